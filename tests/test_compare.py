"""The comparison engine: status rules on short hand-written reports, then the real Kent pair."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from diffing.align import ItemPin, align
from diffing.classify import grade_change, status_of
from diffing.compare import compare
from diffing.mappings import load_knowledge
from diffing.model import AREAS
from diffing.read import parse_text, read_report
from diffing.text import unspaced
from reports.compare_json import SCHEMA, comparison_to_dict, render

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "inspections"
CORPUS = ROOT.parent / "shared" / "corpus"

OLD = """Brookshire County Council
Inspection of services for children in need of help and protection, children looked after and
care leavers
Inspection dates: 2 to 27 May 2016

Recommendations
1. Improve the timeliness of return home interviews for children who go missing from home.
2. Ensure that private fostering assessments are completed promptly.

The experiences and progress of children who need help and protection
Requires improvement

Inspection findings
3. Return home interviews are not timely, and too many children who go missing are not offered one.
4. Strategy discussions are timely and effective, and all relevant agencies attend them.
5. Adopters are very positive about the adoption support they receive from the agency.
"""

NEW = """Inspection of Brookshire local authority children's services
Inspection dates: 9 to 20 May 2022
Judgement Grade
The impact of leaders on social work practice with children and families Good
The experiences and progress of children who need help and protection Good
The experiences and progress of children in care and care leavers Good
Overall effectiveness Good

What needs to improve?
\u25fc The timeliness of visits to children, which too often take place during school hours.

The experiences and progress of children who need help and protection: good
1. Children who go missing from home receive timely and effective return home interviews.
2. Private fostering assessments are still not completed promptly, and some are delayed.
3. Strategy discussions are not always held when risk escalates, and police do not attend.
4. Too many visits to children take place during school hours, so they miss lessons.
"""


@pytest.fixture(scope="module")
def small():
    return compare(parse_text(OLD, "old.txt"), parse_text(NEW, "new.txt"))


def _status(comparison, old_words: str) -> str:
    hits = [r for r in comparison.results if r.old and old_words in r.old.text]
    assert hits, f"no result for {old_words!r}"
    return hits[0].status


def test_status_table():
    assert status_of("concern", "strength") == "improved"
    assert status_of("concern", "neutral") == "improved"
    assert status_of("concern", "concern") == "persisting"
    assert status_of("strength", "concern") == "regressed"
    assert status_of("strength", "strength") == "sustained"
    assert status_of("concern", None) == "not-reported"


def test_old_concern_answered_by_a_strength_is_improved(small):
    assert _status(small, "return home interviews for children") == "improved"


def test_old_concern_still_a_concern_is_persisting(small):
    assert _status(small, "private fostering") == "persisting"


def test_old_strength_now_a_concern_is_regressed(small):
    assert _status(small, "Strategy discussions are timely") == "regressed"


def test_old_finding_the_new_report_does_not_mention_is_not_reported(small):
    assert _status(small, "Adopters are very positive") == "not-reported"


def test_new_concern_with_no_old_counterpart_is_new(small):
    statuses = {r.status for r in small.results
                if r.old is None and r.new and "school hours" in r.new.text}
    assert statuses == {"new"}


def test_an_item_pin_says_what_a_listed_item_carries_on():
    old, new = parse_text(OLD, "old.txt"), parse_text(NEW, "new.txt")

    def item(pins: tuple[ItemPin, ...]) -> list[tuple[str, str, str | None]]:
        results = compare(old, new, pins=pins).results
        return [(r.status, r.matched_by, r.old and r.old.text[:30]) for r in results
                if r.new is not None and r.new.kind == "improvement"]

    visits = unspaced("The timeliness of visits to children")
    # a reader's pairing is taken as given, whatever the words share
    assert item((ItemPin(visits, unspaced("private fostering assessments are completed")),)) \
        == [("persisting", "curated", "Ensure that private fostering ")]
    assert item((ItemPin(visits, None),)) == [("new", "curated", None)]
    # an old passage this reading does not have leaves the item to the matcher
    assert item((ItemPin(visits, unspaced("no such passage")),)) == item(())


BOARD = """
The Local Safeguarding Children Board
Requires improvement

Recommendations
6. Ensure that partners understand private fostering.

Inspection findings
7. {finding}
"""

ADOPTION = """
Adoption performance
Good

Inspection findings
7. {finding}
"""


@pytest.mark.parametrize("part, loose", [
    # ILACS reviews no safeguarding board
    (BOARD, "The board has not checked how well partners attend strategy discussions."),
    # nor judges adoption performance
    (ADOPTION, "Managers have not checked how well partners attend strategy discussions."),
], ids=["board", "adoption"])
def test_what_the_newer_framework_does_not_judge_is_answered_only_directly(part, loose):
    # a finding from a part of the older report the newer one neither judges nor reviews
    # that only shares a topic with a paragraph is not reported, where the same words
    # among the council's findings link; a sentence on the matter still answers it
    new = parse_text(NEW, "new.txt")

    def result(old_text: str, words: str) -> tuple[str, int | None]:
        hits = [r for r in compare(parse_text(old_text, "old.txt"), new).results
                if r.old is not None and words in r.old.text and not r.paired_back]
        return hits[0].status, hits[0].new and hits[0].new.paragraph

    assert result(OLD + part.format(finding=loose), loose) == ("not-reported", None)
    council = OLD.replace("5. Adopters", f"5. {loose}\n6. Adopters")
    assert result(council, loose) == ("persisting", 3)
    direct = "Partners do not routinely attend strategy meetings."
    assert result(OLD + part.format(finding=direct), direct) == ("persisting", 3)


def test_grade_changes(small):
    moves = {m.area: (m.old, m.new, m.change) for m in small.grades}
    assert moves["help-and-protection"] == ("requires improvement", "good", "improved")
    assert grade_change("good", "inadequate") == "declined"
    assert grade_change("good", "good") == "unchanged"
    assert grade_change(None, "good") == "not-comparable"


def test_every_old_classifiable_finding_lands_in_exactly_one_old_side_result(small):
    old_ids = [r.old.id for r in small.results if r.old is not None and not r.paired_back]
    assert len(old_ids) == len(set(old_ids))


def test_json_has_the_schema_keys(small):
    data = json.loads(render(small))
    assert data["schema"] == SCHEMA
    assert set(data["old"]) >= {"path", "title", "local_authority", "framework",
                                "inspection_dates", "year"}
    for finding in data["findings"]:
        assert set(finding) >= {"status", "score", "matched_by", "theme", "old", "new"}
        for side in ("old", "new"):
            if finding[side] is not None:
                assert set(finding[side]) >= {"section", "paragraph", "kind", "text"}
    assert sum(data["summary"].values()) == len(data["findings"])


# --- Kent 2017 -> 2022 -------------------------------------------------------


@pytest.fixture(scope="module")
def kent():
    old = read_report(BUNDLED / "kent-2017-sif-inspection.txt")
    new = read_report(BUNDLED / "kent-2022-ilacs-inspection.txt")
    return compare(old, new)


def test_kent_grade_moves(kent):
    moves = {m.area: (m.old, m.new, m.change) for m in kent.grades}
    assert moves["overall"] == ("good", "outstanding", "improved")
    assert moves["help-and-protection"] == ("requires improvement", "good", "improved")
    assert moves["children-in-care"] == ("good", "outstanding", "improved")
    assert moves["leadership"] == ("good", "outstanding", "improved")
    assert moves["lscb"][2] == "not-comparable"


def test_kent_every_recommendation_has_a_result(kent):
    recs = [r for r in kent.results if r.old is not None and r.old.kind == "recommendation"
            and r.old.section_kind == "recommendations" and r.matched_by != "reverse"]
    assert len(recs) == 10


def test_kent_homelessness_persists(kent):
    hits = [r for r in kent.results if r.old and r.old.kind == "recommendation"
            and "homeless" in r.old.text]
    assert hits and hits[0].status == "persisting"
    assert hits[0].new is not None and hits[0].new.paragraph in (4, 46)


def test_kent_school_hours_visits_are_new(kent):
    hits = [r for r in kent.results if r.new and r.new.kind == "improvement"
            and "school hours" in r.new.text]
    assert [r.status for r in hits] == ["new"]


def test_kent_caseloads_are_new_or_regressed(kent):
    hits = [r for r in kent.results if r.new and r.new.kind == "improvement"
            and "caseloads" in r.new.text]
    assert hits and hits[0].status in ("new", "regressed")


def test_same_report_twice_has_nothing_new_improved_or_regressed():
    report = read_report(BUNDLED / "kent-2022-ilacs-inspection.txt")
    summary = compare(report, report).summary()
    assert summary["new"] == summary["improved"] == summary["regressed"] == 0
    assert summary["sustained"] + summary["persisting"] > 0


def test_newer_report_first_warns(kent):
    flipped = compare(kent.new, kent.old)
    assert any("newer" in w for w in flipped.warnings)


def test_reports_of_two_councils_warn_but_compare():
    other = NEW.replace("Brookshire", "Westmoor")
    warned = compare(parse_text(OLD, "old.txt"), parse_text(other, "new.txt"))
    assert any("different councils (Brookshire, Westmoor)" in w for w in warned.warnings)
    assert warned.results
    # a council named in full in one report and shortly in the other is one council
    longer = NEW.replace("Brookshire", "Brookshire and Vale")
    assert not compare(parse_text(OLD, "old.txt"), parse_text(longer, "new.txt")).warnings


def test_output_is_deterministic(kent):
    again = compare(kent.old, kent.new)
    assert render(again) == render(kent)


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the project")
def test_every_sif_to_ilacs_pair_of_one_council():
    reports = sorted(CORPUS.glob("warwickshire-*.pdf"))
    read = [read_report(p) for p in reports]
    sif = [r for r in read if r.framework.startswith("sif")]
    ilacs = [r for r in read if r.framework == "ilacs"]
    assert sif and ilacs
    for old in sif:
        for new in ilacs:
            data = json.loads(render(compare(old, new)))
            assert data["schema"] == SCHEMA
            moves = {g["area"]: g for g in data["grades"]}
            for area, move in moves.items():
                assert move["old"] == old.grade(area) and move["new"] == new.grade(area)
            assert comparison_to_dict(compare(old, new)) == data


def test_json_grades_name_every_area_even_one_neither_report_judges():
    later = parse_text(NEW, "later.txt")
    data = comparison_to_dict(compare(later, later))
    assert [g["area"] for g in data["grades"]] == list(AREAS)
    moves = {g["area"]: g for g in data["grades"]}
    for area in AREAS:
        if later.grade(area) is None:
            assert moves[area] == {"area": area, "old": None, "new": None,
                                   "change": "not-comparable"}
        else:
            assert moves[area]["change"] == "unchanged"
    assert moves["adoption"]["change"] == "not-comparable"  # ILACS does not judge it


def test_a_shared_theme_without_shared_words_is_no_link():
    # Both texts speak of domestic abuse, but the later report says nothing of the
    # programmes the earlier one praised: a theme in common is no answer on its own.
    old = OLD.replace(
        "5. Adopters are very positive",
        "5. The Caring Dads group and the Different Futures project help fathers to "
        "understand the effect of their behaviour on their children.\n"
        "6. Adopters are very positive")
    new = NEW + ("5. Operation Encompass alerts schools quickly when police attend a "
                 "domestic abuse incident at a pupil's home.\n")
    data = comparison_to_dict(compare(parse_text(old, "old.txt"), parse_text(new, "new.txt")))
    (result,) = [r for r in data["findings"] if r["old"] and "Caring Dads" in r["old"]["text"]]
    assert result["status"] == "not-reported" and result["new"] is None


def test_a_term_the_newer_report_never_uses_asks_for_a_closer_sentence():
    # "Chronologies" tags the finding with assessments, a theme the newer report speaks
    # to, but the newer report never uses the word: its closest sentence must reach
    # `absent_term`. (Set high here: on a report this short every sentence is close.)
    finding = "Chronologies are not kept up to date, and so do not inform assessments."
    old = parse_text(OLD.replace("5. Adopters are very positive",
                                 f"5. {finding}\n6. Adopters are very positive"), "old.txt")
    knowledge = load_knowledge()
    strict = replace(knowledge, thresholds={**knowledge.thresholds, "absent_term": 0.99})

    def linked(paragraph: str, settings) -> int | None:
        new = parse_text(NEW + f"5. {paragraph}\n", "new.txt")
        (link,) = [k for k in align(old, new, settings).links if k.old.text == finding]
        return link.paragraph and link.paragraph.number

    unnamed = "Assessments of children's needs are thorough, timely and kept up to date."
    assert linked(unnamed, knowledge) == 5
    assert linked(unnamed, strict) is None
    # where the newer report uses the word, the finding is matched as any other
    named = "Assessments are thorough, and up-to-date chronologies inform them well."
    assert linked(named, strict) == 5


def test_a_finding_that_refers_back_is_read_with_the_sentence_before_it():
    # "They" are the private fostering assessments of the sentence before: matched on
    # its own words the finding names no topic and finds no answer.
    old = OLD.replace(
        "5. Adopters are very positive",
        "5. Private fostering arrangements are assessed by a dedicated social worker. They "
        "are not always completed quickly enough.\n6. Adopters are very positive")
    reports = parse_text(old, "old.txt"), parse_text(NEW, "new.txt")

    def result(knowledge):
        (hit,) = [r for r in compare(*reports, knowledge).results
                  if r.old and r.old.text.startswith("They are not always")]
        return hit

    knowledge = load_knowledge()
    read_back = result(knowledge)
    assert (read_back.status, read_back.new.paragraph) == ("persisting", 2)
    assert read_back.theme == "private-fostering"
    alone = result(replace(knowledge, anaphora=frozenset()))
    assert alone.status == "not-reported" and alone.new is None


def _listing_pair(item: str | None):
    old = OLD.replace(
        "5. Adopters are very positive",
        "5. Assessments are not thorough enough, and too few consider the history of the family.\n"
        "6. Child in need plans are not specific enough, and too many lack timescales.\n"
        "7. Adopters are very positive")
    new = NEW + ("5. Assessments are thorough and consider the history of the family well.\n"
                 "6. Child in need plans are reviewed regularly.\n")
    if item is not None:
        visits = "\u25fc The timeliness of visits"
        new = new.replace(visits, f"\u25fc {item}\n{visits}")
    return compare(parse_text(old, "old.txt"), parse_text(new, "new.txt"))


def test_a_listed_item_naming_two_old_concerns_carries_on_both():
    # One "What needs to improve" item names two shortfalls the older report found: it is
    # paired back with each, and an old concern the newer report lists again has not
    # improved, though the paragraph linked to it now reads well.
    item = ("How thoroughly assessments consider the history of the family, and timescales "
            "in child in need plans.")
    listed = _listing_pair(item)
    paired = {r.old.text.split(",")[0] for r in listed.results
              if r.matched_by == "reverse" and r.old and r.new.text == item}
    assert paired == {"Assessments are not thorough enough",
                      "Child in need plans are not specific enough"}
    assert {r.status for r in listed.results if r.new and r.new.text == item} == {"persisting"}
    assert _status(listed, "Assessments are not thorough") == "persisting"
    assert _status(_listing_pair(None), "Assessments are not thorough") == "improved"


def test_a_listed_item_naming_no_theme_is_paired_back_on_its_words():
    # "The clarity of letters sent to parents" names a topic no theme lists: as a listed
    # item it is paired with the old concern in the same words, as a sentence of a
    # paragraph would be.
    old = parse_text(OLD.replace(
        "5. Adopters are very positive",
        "5. Letters sent to parents are not clear enough, and too many arrive late.\n"
        "6. Adopters are very positive"), "old.txt")
    item = "The clarity of letters sent to parents."
    knowledge = load_knowledge()

    def paired(new: str, knowledge=knowledge):
        return [(r.status, r.old and r.old.text.split(",")[0])
                for r in compare(old, parse_text(new, "new.txt"), knowledge).results
                if r.new is not None and "clarity of letters" in r.new.text]

    listed = NEW.replace("\u25fc The timeliness", f"\u25fc {item}\n\u25fc The timeliness")
    assert paired(listed) == [("persisting", "Letters sent to parents are not clear enough")]
    # where plain words in common are not enough, the item is new
    strict = replace(knowledge, thresholds={**knowledge.thresholds, "lexical_alone": 1.1})
    assert paired(listed, strict) == [("new", None)]


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the project")
def test_a_listed_item_carries_on_the_old_concern_its_topic_paragraph_still_finds():
    # Warwickshire 2025 lists "The consistency of supervision and oversight ..."; its own
    # paragraph on supervision (65) still finds the 2022 concern about supervision records,
    # so the item carries that concern on, though their words differ
    old, new = (read_report(CORPUS / f"warwickshire-{year}-ilacs.pdf") for year in (2022, 2025))
    knowledge = load_knowledge()

    def paired(knowledge):
        return {r.old.text.split(",")[0]: r.status for r in compare(old, new, knowledge).results
                if r.matched_by == "reverse" and r.old is not None
                and r.new.text.startswith("The consistency of supervision and oversight")}

    records = "In other teams"
    assert paired(knowledge).get(records) == "persisting"
    alone = replace(knowledge, thresholds={**knowledge.thresholds, "carried": 0})
    assert records not in paired(alone)


def test_only_a_listed_item_is_paired_back_more_than_once(kent):
    reverse = Counter(r.new.id for r in kent.results if r.matched_by == "reverse")
    kinds = {r.new.id: r.new.kind for r in kent.results if r.matched_by == "reverse"}
    assert any(n > 1 for n in reverse.values())  # a 2022 listed item carries on several
    assert all(kinds[new] == "improvement" for new, n in reverse.items() if n > 1)


def test_an_old_finding_is_not_reported_only_where_nothing_speaks_to_it(kent):
    # a finding no paragraph answers above the link threshold but a 2022 finding is paired
    # back with ("The local authority recognises the vulnerabilities of unaccompanied
    # asylum-seeking children") has that pairing as its result, not also "not-reported"
    rows: dict[str, set[str]] = {}
    for result in kent.results:
        if result.old is not None:
            rows.setdefault(result.old.id, set()).add(result.status)
    assert all(statuses == {"not-reported"} for statuses in rows.values()
               if "not-reported" in statuses)
    old = {f.id for f in kent.old.findings if f.stance != "neutral"}
    assert old <= set(rows)  # every finding with a stance has a result still
