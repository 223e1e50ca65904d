"""The terminal view of one read Report: what `kent-diff parse` shows by default.

Report text goes into Rich as Text objects, never as markup, so "[bold]" in a
report prints as written.
"""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from diffing.model import AREAS, Finding, Report, Section

GRADE_STYLES = {
    "outstanding": "bold green",
    "good": "green",
    "requires improvement": "yellow",
    "inadequate": "bold red",
}
POLARITY_STYLES = {"concern": "red", "strength": "green", "neutral": "dim"}
_POLARITIES = ("concern", "strength", "neutral")


def parse_view(report: Report) -> RenderableType:
    """Metadata, grades, findings by section and polarity, and the listed items."""
    parts: list[RenderableType] = [_metadata(report), Text(), _grades(report), Text()]
    parts.append(_counts(report))
    for heading, items in _listed(report):
        parts += [Text(), _items(heading, items)]
    return Group(*parts)


def _metadata(report: Report) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("Title", report.title),
        ("Local authority", report.local_authority),
        ("Framework", report.framework),
        ("Inspection dates", report.inspection_dates),
        ("Year", None if report.year is None else str(report.year)),
        ("Published", report.published),
        ("Source", report.path),
    ]
    for label, value in rows:
        table.add_row(Text(label), Text(value) if value else Text("-", style="dim"))
    return table


def _grades(report: Report) -> RenderableType:
    if not report.grades:
        return Text("No graded judgements in this report.", style="italic")
    table = Table(
        title=Text("Grades", style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    table.add_column("Area")
    table.add_column("Grade")
    for entry in sorted(report.grades, key=lambda e: AREAS.index(e.area)):
        table.add_row(Text(entry.area), Text(entry.grade, style=GRADE_STYLES[entry.grade]))
    return table


def _counts(report: Report) -> Table:
    table = Table(
        title=Text("Findings by section", style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_footer=True,
        show_edge=False,
    )
    table.add_column("Section (kind, area)", footer=Text("Total"), ratio=1)
    totals = Counter(f.polarity for f in report.findings)
    table.add_column(
        "Findings", justify="right", no_wrap=True, footer=Text(str(len(report.findings)))
    )
    for polarity in _POLARITIES:
        table.add_column(
            Text(polarity, style=POLARITY_STYLES[polarity]),
            justify="right",
            no_wrap=True,
            footer=Text(str(totals[polarity])),
        )
    for section, counts in _section_counts(report):
        label = Text(section.heading)
        label.append(
            f"\n{section.kind}" + (f", {section.area}" if section.area else ""), style="dim"
        )
        table.add_row(
            label, Text(str(sum(counts.values()))), *(Text(str(counts[p])) for p in _POLARITIES)
        )
    return table


def _section_counts(report: Report) -> list[tuple[Section, Counter[str]]]:
    """Each section holding findings, with its findings counted by polarity."""
    # A finding names its section by heading and kind; headings can repeat (a SIF
    # report's LSCB part has its own "Recommendations"), so walk both in reading order.
    rows: list[tuple[Section, Counter[str]]] = []
    pending = list(report.sections)
    for finding in report.findings:
        if not rows or (rows[-1][0].heading, rows[-1][0].kind) != (
            finding.section,
            finding.section_kind,
        ):
            while pending and (pending[0].heading, pending[0].kind) != (
                finding.section,
                finding.section_kind,
            ):
                pending.pop(0)
            section = (
                pending.pop(0)
                if pending
                else Section(len(rows), finding.section, finding.section_kind, finding.area)
            )
            rows.append((section, Counter()))
        rows[-1][1][finding.polarity] += 1
    return rows


def _listed(report: Report) -> list[tuple[str, list[Finding]]]:
    """Recommendations and improvement items, grouped by the section they stand in."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        if finding.kind in ("recommendation", "improvement"):
            groups.setdefault((finding.section, finding.section_kind), []).append(finding)
    titled = []
    for (heading, kind), items in groups.items():
        prefix = "LSCB: " if kind == "lscb" else ""
        titled.append((f"{prefix}{heading}", items))
    return titled


def _items(heading: str, items: list[Finding]) -> RenderableType:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for position, finding in enumerate(items, 1):
        table.add_row(Text(f"{finding.item or position}."), Text(finding.text))
    return Group(Text(heading, style="bold"), table)
