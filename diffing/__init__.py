"""kent-diff's engine: read inspection reports, align them, classify what changed."""
