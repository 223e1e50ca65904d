"""Domain knowledge as YAML: crosswalk, vocabulary, cue lexicon, themes, curated alignments."""
