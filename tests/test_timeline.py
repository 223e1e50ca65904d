"""`kent-diff timeline`: each concern followed across a series of inspections.

The must-show paths on the bundled Kent series (2017 report, 2019 focused visit, 2022 report),
the engine on short hand-built reports, the renderers on a hand-built timeline, the command, and
one council of the shared corpus with three reports.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from diffing.bundled import bundled_path
from diffing.mapping import bundled_mappings, pins_for
from diffing.model import Finding, GradeEntry, Report, Section
from diffing.read import read_report
from diffing.timeline import (
    Evidence,
    GradeRow,
    Step,
    Thread,
    Timeline,
    inspection_date,
    order_reports,
    timeline,
)
from kent_diff import app
from reports import timeline_json, timeline_markdown, timeline_terminal
from reports.selection import reference

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _bundled(name: str) -> Report:
    path = bundled_path(name)
    return read_report(f"bundled:{path.name}", path.read_bytes())


@pytest.fixture(scope="module")
def kent_reports() -> list[Report]:
    return [_bundled("kent-2017"), _bundled("kent-2019"), _bundled("kent-2022")]


def _build(reports: list[Report], mode: str) -> Timeline:
    if mode == "automatic":
        return timeline(reports)
    mappings = bundled_mappings()
    return timeline(reports, pins=lambda old, new: pins_for(old, new, mappings))


@pytest.fixture(scope="module", params=["curated", "automatic"])
def kent(request, kent_reports) -> Timeline:
    """The Kent series as `kent-diff timeline` builds it (curated pins where a mapping is about
    a pair), and by the automatic matcher alone: the must-shows hold either way."""
    return _build(kent_reports, request.param)


def _raised_in(series: Timeline, year: int, *words: str) -> list[Thread]:
    """Threads raised in `year` whose concern mentions every one of `words`."""
    return [
        t for t in series.threads
        if series.reports[t.raised].year == year
        and all(w.lower() in t.finding.text.lower() for w in words)
    ]


def _step(series: Timeline, thread: Thread, year: int) -> Step:
    (step,) = [s for s in thread.steps if series.reports[s.report].year == year]
    return step


def _says(step: Step, *words: str) -> bool:
    """Whether one of the step's texts mentions every one of `words`."""
    return any(all(w.lower() in e.finding.text.lower() for w in words) for e in step.evidence)


# --- the Kent series: what must show ---------------------------------------------------------

def test_kent_reports_in_inspection_order_with_the_grade_history(kent):
    assert [r.year for r in kent.reports] == [2017, 2019, 2022]
    assert [r.framework for r in kent.reports] == ["sif", "focused-visit", "ilacs"]
    rows = {row.area: row.grades for row in kent.grades}
    assert rows["overall"] == ("good", None, "outstanding")
    assert rows["help-and-protection"] == ("requires improvement", None, "good")
    # the focused visit grades nothing: every row is empty in its column
    assert all(row.grades[1] is None for row in kent.grades)


def test_front_door_decision_making_raised_2017_still_a_concern_2019_good_2022(kent):
    threads = _raised_in(kent, 2017, "thresholds", "not consistently applied", "CRU")
    assert threads, "the 2017 concern about thresholds in the Central Referral Unit opens a thread"
    thread = threads[0]
    at_2019 = _step(kent, thread, 2019)
    assert at_2019.status == "persisting"
    assert _says(at_2019, "triage decisions")
    listed = [e.finding for e in at_2019.evidence if e.finding.kind == "improvement"]
    assert listed and reference(listed[0], kent.reports[1]).startswith(
        "2019 what needs to improve ")
    at_2022 = _step(kent, thread, 2022)
    assert at_2022.status == "improved"
    assert _says(at_2022, "thresholds", "appropriately applied")
    assert thread.now == ("improved", 2)


def test_adolescent_risk_arm_panels_2017_action_planning_2019_contextualised_harm_2022(kent):
    threads = [t for t in _raised_in(kent, 2017, "ARM panels", "vary")
               if _step(kent, t, 2019).status == "persisting"]
    assert threads, "a 2017 concern about ARM panels is still a concern at the 2019 visit"
    thread = threads[0]
    assert _says(_step(kent, thread, 2019), "multi-agency action planning", "exploited adolescents")
    at_2022 = _step(kent, thread, 2022)
    assert at_2022.status == "improved"
    assert _says(at_2022, "contextualised harm")


def test_homelessness_of_16_and_17_year_olds_raised_not_examined_persisting(kent):
    threads = [t for t in _raised_in(kent, 2017, "homeless", "16 and 17")
               if t.finding.kind == "recommendation"]
    assert threads, "the 2017 recommendation on homeless 16- and 17-year-olds opens a thread"
    thread = threads[0]
    at_2019 = _step(kent, thread, 2019)
    assert at_2019.status == "not-examined"
    assert at_2019.evidence == ()
    at_2022 = _step(kent, thread, 2022)
    assert at_2022.status == "persisting"
    assert _says(at_2022, "homeless")
    assert reference(thread.finding, kent.reports[0]).startswith("2017 recommendation ")
    assert thread.now == ("persisting", 2)


def test_the_focused_visit_examines_nothing_it_does_not_speak_to(kent):
    """A concern the 2019 letter does not look at is not examined, never "not reported"."""
    statuses = {_step(kent, t, 2019).status for t in kent.threads if t.raised == 0}
    assert "not-examined" in statuses
    assert "not-reported" not in statuses


def test_every_concern_is_followed_once(kent):
    """Each concern of the first report opens one thread; a later concern is either an earlier
    thread's evidence at its report or opens a thread of its own, never both."""
    first = [t.finding.id for t in kent.threads if t.raised == 0]
    assert len(first) == len(set(first))
    assert all(f.id in first for f in kent.reports[0].findings if f.kind == "recommendation")
    for index in range(1, len(kent.reports)):
        evidence = {e.finding.id for t in kent.threads for s in t.steps if s.report == index
                    for e in s.evidence}
        raised = {t.finding.id for t in kent.threads if t.raised == index}
        assert not evidence & raised
    for thread in kent.threads:
        assert [s.report for s in thread.steps] == list(range(thread.raised + 1, 3))
        assert all(s.evidence for s in thread.steps if s.status in ("persisting", "improved"))


def test_json_is_versioned_and_deterministic(request, kent, kent_reports):
    text = timeline_json.render(kent)
    data = json.loads(text)
    assert data["schema"] == "kent-diff/timeline/v1"
    assert [r["graded"] for r in data["reports"]] == [True, False, True]
    assert len(data["threads"]) == data["summary"]["threads"] == len(kent.threads)
    thread = data["threads"][0]
    assert set(thread) == {"id", "raised", "theme", "headline", "finding", "steps", "now"}
    assert {"via", "matched_by", "score", "finding"} <= set(
        next(e for s in (t["steps"] for t in data["threads"]) for step in s
             for e in step["evidence"]))
    # the same reports, given in another order, give the same timeline (and say so)
    again = _build(list(reversed(kent_reports)), request.node.callspec.params["kent"])
    assert timeline_json.render(replace(again, warnings=())) == text
    assert again.warnings


def test_markdown_and_terminal_show_the_paths(kent):
    markdown = timeline_markdown.render(kent)
    assert markdown == timeline_markdown.render(kent)
    assert "| Judgement | 2017 SIF inspection | 2019 focused visit | 2022 ILACS inspection |" \
        in markdown
    assert "*ungraded*" in markdown
    assert "2019 **not examined**" in markdown
    assert "what needs to improve" in markdown
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(timeline_terminal.render(kent))
    text = console.file.getvalue()
    assert "2017 raised → 2019 not examined → 2022 persisting" in text
    assert "ungraded" in text
    assert "(use --all)" in text


# --- the engine on short reports ------------------------------------------------------------

def _report(path: str, framework: str, dates: str, year: int,
            texts: list[tuple[str, str, str]], grades=()) -> Report:
    """A hand-built report: (kind, polarity, text) per finding, each its own paragraph."""
    sections = (Section(0, "Findings", "findings", None),
                Section(1, "What needs to improve", "improvements", None))
    findings, items = [], 0
    for position, (kind, polarity, text) in enumerate(texts, start=1):
        listed = kind != "finding"
        items += listed
        findings.append(Finding(
            f"f{position}", text, sections[listed].heading, sections[listed].kind, None, kind,
            polarity, None, position, items if listed else None))
    return Report(path, f"Inspection of Exampleshire ({year})", "Exampleshire", framework,
                  dates, year, tuple(GradeEntry(a, g) for a, g in grades), sections,
                  tuple(findings))


OLD = _report("old", "sif", "6 to 30 March 2017", 2017, [
    ("finding", "concern", "Services to homeless 16- and 17-year-olds are underdeveloped, and "
     "housing officers do not refer homeless young people for assessment."),
    ("finding", "concern", "Thresholds at the front door are not consistently applied, and some "
     "referrals are closed before enough is known."),
    ("finding", "strength", "Foster carers are well trained and supported by their link workers."),
], grades=[("overall", "requires improvement")])
VISIT = _report("visit", "focused-visit", "14 and 15 January 2019", 2019, [
    ("finding", "neutral", "Inspectors looked at contacts and referrals at the front door."),
    ("finding", "concern", "Some triage decisions at the front door do not apply thresholds "
     "consistently, so referrals are closed before enough is known."),
    ("improvement", "concern", "triage decisions at the front door, so that thresholds are "
     "applied consistently"),
])
NEW = _report("new", "ilacs", "9 to 20 May 2022", 2022, [
    ("finding", "strength", "Thresholds at the front door are applied well and referrals are "
     "only closed once enough is known."),
    ("finding", "concern", "Some homeless 16- and 17-year-olds still wait too long for an "
     "assessment by housing officers."),
    ("finding", "concern", "Too many social workers leave within their first year."),
], grades=[("overall", "good")])


@pytest.fixture(scope="module")
def small() -> Timeline:
    return timeline([NEW, OLD, VISIT])


def test_small_series_is_ordered_by_inspection_date_with_a_warning(small):
    assert [r.path for r in small.reports] == ["old", "visit", "new"]
    assert any("inspection order" in w for w in small.warnings)
    assert small.grades == (GradeRow("overall", ("requires improvement", None, "good")),)


def test_a_council_named_shortly_in_one_report_is_the_same_council():
    # Newcastle upon Tyne's 2022 report calls it "Newcastle"
    series = timeline([OLD, replace(NEW, local_authority="Exampleshire and Vale")])
    assert not any("different councils" in w for w in series.warnings)
    other = timeline([OLD, replace(NEW, local_authority="Westmoor")])
    assert any("different councils (Exampleshire, Westmoor)" in w for w in other.warnings)


def test_small_series_follows_each_concern(small):
    homeless = _raised_in(small, 2017, "homeless")[0]
    assert [s.status for s in homeless.steps] == ["not-examined", "persisting"]
    front_door = _raised_in(small, 2017, "thresholds")[0]
    assert [s.status for s in front_door.steps] == ["persisting", "improved"]
    # strengths open no thread; a concern only the last report raises is raised there
    assert not _raised_in(small, 2017, "foster carers")
    (leaving,) = _raised_in(small, 2022, "social workers leave")
    assert leaving.steps == () and leaving.now == ("raised", 2)


def test_a_timeline_needs_two_reports():
    from diffing.errors import InputError

    with pytest.raises(InputError):
        timeline([OLD])


@pytest.mark.parametrize("dates, expected", [
    ("9 to 20 May 2022", (2022, 5, 9)),
    ("6 March to 30 March 2017", (2017, 3, 6)),
    ("14 and 15 January 2019", (2019, 1, 14)),
    ("22 November to 3 December 2021", (2021, 11, 22)),
])
def test_inspection_date_reads_the_first_day(dates, expected):
    assert inspection_date(_report("r", "ilacs", dates, expected[0], [])) == expected


def test_same_year_reports_order_by_month():
    spring = _report("spring", "focused-visit", "1 to 2 March 2019", 2019, [])
    winter = _report("winter", "ilacs", "2 to 13 December 2019", 2019, [])
    assert [r.path for r in order_reports([winter, spring])] == ["spring", "winter"]


# --- renderers on a hand-built timeline -----------------------------------------------------

def _tricky() -> Timeline:
    old = _report("old.txt", "sif", "1 to 5 May 2017", 2017, [
        ("recommendation", "concern", "Fix [bold]this[/bold] *now* | <b>then</b> `x`"),
    ], grades=[("overall", "good")])
    visit = _report("visit.txt", "focused-visit", "1 and 2 May 2019", 2019, [])
    new = _report("new.txt", "ilacs", "1 to 12 May 2023", 2023, [
        ("finding", "concern", "Still [red]not[/red] fixed_ # 1. done"),
    ], grades=[("overall", "good")])
    thread = Thread("t1", 0, old.findings[0], None, (
        Step(1, "not-examined", ()),
        Step(2, "persisting", (Evidence(new.findings[0], "link", "fuzzy", 0.5),)),
    ))
    return Timeline((old, visit, new), (GradeRow("overall", ("good", None, "good")),),
                    (thread,))


def test_terminal_prints_report_text_as_written():
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(timeline_terminal.render(_tricky()))
    text = console.file.getvalue()
    assert "Fix [bold]this[/bold] *now* | <b>then</b> `x`" in text
    assert "Still [red]not[/red] fixed_ # 1. done" in text
    assert "The focused visit did not look at this." in text


def test_markdown_escapes_report_text():
    markdown = timeline_markdown.render(_tricky())
    assert r"Fix \[bold\]this\[/bold\] \*now\* \| \<b\>then\</b\> \`x\`" in markdown
    assert "<b>" not in markdown
    assert "2017 raised → 2019 not examined → 2023 persisting" in markdown
    assert "Open Government Licence" in markdown


# --- the command ----------------------------------------------------------------------------

runner = CliRunner()


def test_command_writes_json_atomically(tmp_path):
    target = tmp_path / "timeline.json"
    result = runner.invoke(app, ["timeline", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "kent-diff/timeline/v1"
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.json"]


def test_command_refuses_one_report_and_overwriting_an_input(tmp_path):
    result = runner.invoke(app, ["timeline", "bundled:kent-2017"])
    assert result.exit_code == 2
    assert "at least two reports" in result.output
    report = tmp_path / "r.txt"
    report.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["timeline", str(report), "bundled:kent-2022", "-o", str(report)])
    assert result.exit_code == 2
    assert "overwrite an input" in result.output
    assert report.read_text(encoding="utf-8") == "x"


# --- a council of the shared corpus ---------------------------------------------------------

WARWICKSHIRE = ["warwickshire-2025-ilacs.pdf", "warwickshire-2017-sif.pdf",
                "warwickshire-2022-ilacs.pdf"]


@pytest.fixture(scope="module")
def warwickshire() -> Timeline:
    if not all((CORPUS / name).exists() for name in WARWICKSHIRE):
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return timeline([read_report(CORPUS / name) for name in WARWICKSHIRE])


def test_warwickshire_three_inspections_in_order(warwickshire):
    assert [r.framework for r in warwickshire.reports] == ["sif", "ilacs", "ilacs"]
    years = [r.year for r in warwickshire.reports]
    assert years == sorted(years) and years[0] == 2017 and years[-1] == 2025
    rows = {row.area: row.grades for row in warwickshire.grades}
    # the manifest's grades: requires improvement, then good, then requires improvement
    assert rows["overall"] == ("requires improvement", "good", "requires improvement")


def test_warwickshire_concerns_followed_through_both_later_reports(warwickshire):
    # the council's recommendations (the board's own are about a board neither ILACS
    # report reviews)
    recommendations = [t for t in warwickshire.threads if t.raised == 0
                       and t.finding.kind == "recommendation"
                       and t.finding.section_kind == "recommendations"]
    assert len(recommendations) >= 10
    assert all(len(t.steps) == 2 for t in recommendations)
    # full inspections examine everything: nothing is "not examined"
    assert all(s.status != "not-examined" for t in warwickshire.threads for s in t.steps)
    # most recommendations are answered in both later reports, with references
    answered = [t for t in recommendations if all(s.evidence for s in t.steps)]
    assert len(answered) >= len(recommendations) // 2
    step = answered[0].steps[1]
    assert reference(step.evidence[0].finding, warwickshire.reports[2]).startswith("2025 ")
    # the 2025 report's own list of what needs to improve is followed: answering an earlier
    # concern, or raised in 2025
    latest = warwickshire.reports[2]
    items = {f.id for f in latest.findings if f.kind == "improvement"}
    assert items
    seen = {e.finding.id for t in warwickshire.threads for s in t.steps if s.report == 2
            for e in s.evidence} | {t.finding.id for t in warwickshire.threads if t.raised == 2}
    assert items <= seen
