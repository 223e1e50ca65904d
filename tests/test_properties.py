"""Properties (hypothesis): the reader and the comparer on arbitrary text (Markdown and
HTML among it) never raise anything but InputError, always give schema-shaped JSON, and
give the same bytes twice; a report compared with itself has nothing new, improved or
regressed."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffing.bundled import NEW, bundled_path
from diffing.compare import compare
from diffing.errors import InputError
from diffing.model import STATUSES
from diffing.read import parse_text, read_report
from reports.compare_json import render
from reports.report_json import dumps, indented

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(SETTINGS, max_examples=25)  # each example compares two reports
# The opening of a real ILACS report (title, dates, judgement table): generated bodies
# follow it, so the examples reach sections, findings and grades, not just the refusal.
HEADER = "\n".join(bundled_path(NEW).read_text(encoding="utf-8").splitlines()[:26])

WORDS = ("children", "families", "plans", "social", "workers", "leaders", "managers",
         "assessments", "timely", "effective", "strong", "good", "not", "no", "weak",
         "delays", "drift", "inconsistent", "improve", "ensure", "however", "but",
         "although", "well", "poor", "quality", "supervision", "care", "leavers",
         "risk", "help", "protection", "visits", "homeless", "caseloads", "is", "are", "the",
         "a", "of", "to", "in", "and", "Ensure", "Improve", "Most", "Some", "Children")
word = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12))
sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(word, min_size=1, max_size=18), st.sampled_from([".", "!", "?", "", ";"]))
paragraph = st.lists(sentence, min_size=1, max_size=5).map(" ".join)
HEADINGS = (
    "The experiences and progress of children who need help and protection: good",
    "The experiences and progress of children in care and care leavers: outstanding",
    "The impact of leaders on social work practice with children and families: good",
)


@st.composite
def report_texts(draw) -> str:
    """Report-like text: the real opening, then a summary, a "What needs to improve" list
    and numbered paragraphs under known headings, of generated words and stray text."""
    out = [HEADER, *draw(st.lists(paragraph, max_size=3)), "What needs to improve?"]
    out += ["\u25fc " + item for item in draw(st.lists(sentence, max_size=4))]
    number = 0
    for heading in draw(st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=3)):
        out.append(heading)
        for text in draw(st.lists(paragraph, min_size=1, max_size=6)):
            number += 1
            out.append(f"{number}. {text}")
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n\f"]))
    return separator.join(out)


def read_or_refuse(text: str, name: str = "generated.txt"):
    try:
        return parse_text(text, name)
    except InputError as error:
        assert str(error).startswith(f"{name}: ") and "\n" not in str(error)
        return None


@SETTINGS
@given(st.text())
def test_any_text_is_read_or_refused_with_an_input_error(text):
    report = read_or_refuse(text)
    if report is not None:
        json.loads(dumps(report))


MARKS = ("# ", "## 3\n", "**", "_", "|", "|---|---|\n", "- ", "12. ", "<br>", "[1]", "<p>",
         "</p>", "<!DOCTYPE html><html><body>", '<div id="page2-div">', "&amp;", "\u25fc ",
         "**==> picture [1 x 1] intentionally omitted <==**", "\n", "\n\n", "> ", "```")


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(MARKS), st.sampled_from(WORDS), st.text(max_size=8)),
                max_size=80))
def test_any_markdown_or_html_is_read_or_refused_with_an_input_error(parts):
    # the report's own opening, then Markdown and HTML marks among words and anything
    read_or_refuse("# " + HEADER.replace("\n", "\n\n") + "\n\n" + " ".join(parts))
    read_or_refuse("<!DOCTYPE html><html><body><p>" + HEADER + "</p>" + " ".join(parts))


@SETTINGS
@given(st.binary())
def test_any_bytes_are_read_or_refused_with_an_input_error(data):
    try:
        read_report("generated.bin", data)
    except InputError:
        pass


@SETTINGS
@given(report_texts(), st.text(max_size=200))
def test_report_like_text_with_anything_inside_is_read_or_refused(text, noise):
    middle = len(text) // 2
    report = read_or_refuse(text[:middle] + noise + text[middle:])
    if report is not None:
        data = json.loads(dumps(report))
        assert data["schema"] == "kent-diff/report/v1"
        assert [f["id"] for f in data["findings"]] == [
            f"f{i}" for i in range(1, len(report.findings) + 1)]


COMPARE_KEYS = {"schema", "old", "new", "grades", "findings", "summary", "warnings"}
RESULT_KEYS = {"status", "score", "matched_by", "theme", "shared_terms", "also_paragraphs",
               "old", "new"}
FINDING_KEYS = {"id", "section", "section_kind", "area", "paragraph", "kind", "polarity",
                "text", "item"}


def check_schema(text: str) -> dict:
    data = json.loads(text)
    assert set(data) == COMPARE_KEYS and data["schema"] == "kent-diff/compare/v1"
    assert set(data["summary"]) == set(STATUSES)
    assert sum(data["summary"].values()) == len(data["findings"])
    for result in data["findings"]:
        assert set(result) == RESULT_KEYS and result["status"] in STATUSES
        assert 0.0 <= result["score"] <= 1.0
        for side in ("old", "new"):
            assert result[side] is None or set(result[side]) == FINDING_KEYS
        assert result["old"] is not None or result["new"] is not None
    for move in data["grades"]:
        assert move["change"] in ("improved", "declined", "unchanged", "not-comparable")
    return data


@SLOW
@given(report_texts(), report_texts())
def test_comparing_any_two_reports_gives_schema_json_the_same_every_time(old_text, new_text):
    old, new = read_or_refuse(old_text, "old.txt"), read_or_refuse(new_text, "new.txt")
    if old is None or new is None:
        return
    first = render(compare(old, new))
    check_schema(first)
    assert render(compare(read_or_refuse(old_text, "old.txt"),
                          read_or_refuse(new_text, "new.txt"))) == first


@SLOW
@given(report_texts())
def test_a_report_compared_with_itself_has_nothing_new_improved_or_regressed(text):
    report = read_or_refuse(text)
    if report is None:
        return
    summary = check_schema(render(compare(report, report)))["summary"]
    assert summary["new"] == summary["improved"] == summary["regressed"] == 0
    assert summary["new-strength"] == 0


def test_a_report_that_repeats_a_sentence_compared_with_itself_has_nothing_new():
    text = "\n".join([HEADER, "What needs to improve?", "\u25fc Children timely.",
                      HEADINGS[0], "1. Children timely."])
    report = parse_text(text, "repeats.txt")
    summary = compare(report, report).summary()
    assert summary["new"] == summary["improved"] == summary["regressed"] == 0


def test_each_bundled_report_compared_with_itself_has_nothing_new():
    for name in ("kent-2017-sif-inspection.txt", "kent-2019-focused-visit.txt", NEW):
        report = read_report(bundled_path(name))
        summary = compare(report, report).summary()
        assert summary["new"] == summary["improved"] == summary["regressed"] == 0, name


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@SETTINGS
@given(json_values)
def test_the_fast_json_writer_gives_json_dumps_bytes(value):
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


CORPUS = bundled_path(NEW).parents[1].parent / "shared" / "corpus"


@pytest.mark.parametrize("old_name, new_name", [
    ("kent-2017-sif-inspection.txt", NEW),
    ("sunderland-2015-sif.pdf", "sunderland-2018-sif-reinspection.pdf"),
])
def test_scoring_only_the_pairs_that_can_link_gives_the_full_matrix_result(
        old_name, new_name, monkeypatch):
    """align() computes the fuzzy score only where a pair could reach a threshold: the
    result must be the one the whole matrix gives (any change to the score or the
    thresholds must keep this)."""
    from diffing import align
    from diffing.mapping import bundled_mappings, pins_for

    paths = []
    for name in (old_name, new_name):
        path = bundled_path(name) if name.endswith(".txt") else CORPUS / name
        if not path.exists():
            pytest.skip(f"{path} is not here")
        paths.append(path)
    old, new = (read_report(p) for p in paths)
    pins = pins_for(old, new, bundled_mappings())
    pruned = render(compare(old, new, pins=pins))
    monkeypatch.setattr(align, "_PRUNE", False)
    assert render(compare(old, new, pins=pins)) == pruned
