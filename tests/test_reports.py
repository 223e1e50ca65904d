"""Renderers of one Report, on Report objects built here."""

from __future__ import annotations

import io
import json

from rich.console import Console

from diffing.model import Finding, GradeEntry, Report, Section
from reports.parse_view import parse_view
from reports.report_json import SCHEMA, dumps, report_to_dict


def _finding(n: int, text: str, section: Section, kind="finding", polarity="neutral", item=None):
    return Finding(
        id=f"f{n}",
        text=text,
        section=section.heading,
        section_kind=section.kind,
        area=section.area,
        kind=kind,
        polarity=polarity,
        paragraph=n,
        block=n,
        item=item,
    )


SUMMARY = Section(0, "Summary [red]", "summary", None)
IMPROVE = Section(1, "What needs to improve?", "improvements", None)
HELP = Section(2, "Help and protection", "findings", "help-and-protection")
REPORT = Report(
    path="made-up.txt",
    title="Inspection of [bold]Markup[/bold] children’s services",
    local_authority="Markup",
    framework="ilacs",
    inspection_dates="1 to 5 May 2023",
    year=2023,
    grades=(GradeEntry("overall", "good"), GradeEntry("help-and-protection", "inadequate")),
    sections=(SUMMARY, IMPROVE, HELP),
    findings=(
        _finding(1, "Children are [bold]safe[/bold] and seen.", SUMMARY, polarity="strength"),
        _finding(2, "The quality of [link=x]plans[/link].", IMPROVE, "improvement", "concern", 1),
        _finding(3, "Too many assessments are late.", HELP, polarity="concern"),
        _finding(4, "Visits are timely.", HELP, polarity="strength"),
    ),
)


def render(report: Report) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(parse_view(report))
    return console.file.getvalue()


def test_the_view_prints_report_text_literally():
    out = render(REPORT)
    assert "Inspection of [bold]Markup[/bold] children’s services" in out
    assert "Children are [bold]safe[/bold] and seen." not in out  # findings are counted, not listed
    assert "The quality of [link=x]plans[/link]." in out
    assert "Summary [red]" in out


def test_the_view_shows_grades_counts_and_items():
    out = render(REPORT)
    lines = out.splitlines()
    assert any("help-and-protection" in line and "inadequate" in line for line in lines)
    help_row = next(line for line in lines if line.strip().startswith("Help and protection"))
    assert help_row.split()[-4:] == ["2", "1", "1", "0"]  # findings, concern, strength, neutral
    total = next(line for line in lines if line.strip().startswith("Total"))
    assert total.split()[-4:] == ["4", "2", "2", "0"]
    assert "1. The quality of" in out


def test_a_report_without_grades_says_so():
    from dataclasses import replace

    assert "No graded judgements" in render(replace(REPORT, grades=()))


def test_json_carries_the_whole_model_in_order():
    data = report_to_dict(REPORT)
    assert data["schema"] == SCHEMA == "kent-diff/report/v1"
    assert data["metadata"]["title"] == REPORT.title
    assert data["grades"] == [
        {"area": "overall", "grade": "good"},
        {"area": "help-and-protection", "grade": "inadequate"},
    ]
    assert [s["heading"] for s in data["sections"]] == [s.heading for s in REPORT.sections]
    assert [f["id"] for f in data["findings"]] == ["f1", "f2", "f3", "f4"]
    assert data["findings"][1] == {
        "id": "f2",
        "section": "What needs to improve?",
        "section_kind": "improvements",
        "area": None,
        "paragraph": 2,
        "kind": "improvement",
        "polarity": "concern",
        "text": "The quality of [link=x]plans[/link].",
        "item": 1,
    }


def test_dumps_is_deterministic_json_text():
    text = dumps(REPORT)
    assert text == dumps(REPORT)
    assert text.endswith("}\n")
    assert json.loads(text) == report_to_dict(REPORT)
    assert "children’s" in text  # UTF-8 kept readable, not \u-escaped
