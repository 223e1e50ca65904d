"""Text helpers the reader and the matcher share: the phrase finder and the labels newer
reports put on their improvement items (words from mappings/matcher.yaml)."""

from __future__ import annotations

import pytest

from diffing.mappings import load_knowledge
from diffing.text import PhraseIndex, bracketed_labels, without_labels


def test_phrase_index_finds_the_longest_phrase_without_overlap():
    index = PhraseIndex({"care leavers": "cl", "care leavers accommodation": "acc",
                         "leavers": "x", "delay*": "d", "delayed start": "ds"})
    words = "care leavers accommodation is delayed and delays persist".split()
    assert index.find(words) == [(0, 3, "acc"), (4, 5, "d"), (6, 7, "d")]
    assert index.find("a delayed start".split()) == [(1, 3, "ds")]  # literal, longer
    assert index.replace("the care leavers".split()) == ["the", "cl"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Help for care leavers (outcome 3, national framework).", "Help for care leavers  ."),
    ("Leaders' oversight (Enabler two: National Framework)", "Leaders' oversight  "),
    ("Timely assessments (Outcome three)", "Timely assessments  "),
    ("Children in care (CiC) are seen", "Children in care (CiC) are seen"),
])
def test_national_framework_labels_are_left_out(text, expected):
    knowledge = load_knowledge()  # the label words are in mappings/matcher.yaml
    labels = bracketed_labels(knowledge.label_words, knowledge.label_suffix)
    assert without_labels(text, labels) == expected


def test_the_words_that_refer_back_are_read_from_matcher_yaml(tmp_path):
    import shutil

    from diffing.errors import InputError
    from diffing.mappings import mappings_dir

    assert {"this", "they"} <= load_knowledge().anaphora
    folder = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), folder)
    matcher = folder / "matcher.yaml"
    matcher.write_text(matcher.read_text(encoding="utf-8").replace(
        "anaphora: [this,", "anaphora: this\nunused: [this,"), encoding="utf-8")
    with pytest.raises(InputError, match="field anaphora: must be a list of words"):
        load_knowledge(folder)


@pytest.mark.parametrize(("name", "other", "same"), [
    ("Newcastle upon Tyne", "Newcastle", True),
    ("Kent", "kent", True),
    ("Kent", None, True),
    ("Kent", "Sefton", False),
    ("North Yorkshire", "North Somerset", False),
])
def test_same_council(name, other, same):
    from diffing.text import same_council

    assert same_council(name, other) is same
    assert same_council(other, name) is same
