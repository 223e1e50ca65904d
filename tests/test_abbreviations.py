"""Abbreviations a report defines for itself, and what the matcher makes of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diffing.abbreviations import defined
from diffing.align import TextIndex
from diffing.compare import compare
from diffing.mappings import load_knowledge
from diffing.read import read_report
from reports.compare_json import render

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_initials_with_and_without_linking_words():
    found = defined([
        "Schools are linked to the team around the school (TAS) in each district.",
        "The children in care council (CiCC) meets monthly.",
        "Referrals go to the multi-agency safeguarding hub (MASH).",
        "Independent reviewing officers (IROs) chair reviews.",
    ])
    assert found == {
        "tas": "team around the school",
        "cicc": "children in care council",
        "mash": "multi agency safeguarding hub",
        "iro": "independent reviewing officers",
    }


def test_what_is_not_a_definition_is_left_alone():
    found = defined([
        "Plans are reviewed (see below) and agreed (MAP) by managers.",  # initials differ
        "Support for special educational needs and disabilities (SEND) is strong.",
        "Schools send information promptly.",  # "send" is an ordinary word here
        "The Local Safeguarding Board (LSB) met. The Leeds Safeguarding Board (LSB) met.",
    ])
    assert found == {}


def test_one_name_in_two_forms_is_one_definition():
    found = defined(["An independent reviewing officer (IRO) visits.",
                     "Independent reviewing officers (IROs) chair reviews."])
    assert set(found) == {"iro"}


def test_the_matcher_reads_an_abbreviation_as_its_long_form():
    texts = TextIndex(load_knowledge(), {"tas": "team around the school"})
    assert texts.words("The TAS approach is working.") >= texts.words(
        "The team around the school approach")
    plain = TextIndex(load_knowledge())
    assert "tas" in plain.words("The TAS approach is working.")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_a_finding_named_by_initials_meets_the_paragraph_that_spells_them_out():
    # Stockport 2017 writes of "a TAS approach", defined earlier as the team around the
    # school; 2022 describes the "team around the school" model in paragraph 15.
    old = read_report(CORPUS / "stockport-2017-sif.pdf")
    new = read_report(CORPUS / "stockport-2022-ilacs.pdf")
    data = json.loads(render(compare(old, new)))
    (result,) = [f for f in data["findings"]
                 if f["old"] and "development of a TAS approach" in f["old"]["text"]]
    assert result["new"] is not None and result["new"]["paragraph"] == 15
