"""Domain knowledge as YAML: framework crosswalk, vocabulary, cue lexicon, themes, curated alignments."""
