"""The timeline in a terminal (Rich renderables): the inspections, the grade history, then each
concern's path, report by report, with the texts that carry it.

Report text goes into Rich as Text objects, never as markup, so "[bold]" in a report prints as
written.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from diffing.timeline import StepStatus, Thread, Timeline
from reports import timeline_view as view
from reports.parse_view import GRADE_STYLES
from reports.selection import AREA_NAMES, reference

STATUS_STYLES: dict[StepStatus, str] = {
    "raised": "red",
    "persisting": "yellow",
    "improved": "green",
    "not-reported": "bright_black",
    "not-examined": "blue",
}
_STATUS_WIDTH = 12
_REFERENCE_WIDTH = 28


def render(timeline: Timeline, show_all: bool = False) -> RenderableType:
    """The timeline for a terminal: headline concerns only, unless `show_all`."""
    parts: list[RenderableType] = [_header(timeline), Text(), _grades(timeline)]
    for group in view.groups(timeline, show_all):
        parts += [Text(), _group_heading(group, timeline)]
        parts += [_thread(thread, timeline, show_all) for thread in group.threads]
        if group.hidden:
            things = "concern" if group.hidden == 1 else "concerns"
            parts.append(Text(f"… and {group.hidden} more {things} (use --all)",
                              style="italic bright_black"))
    parts += [Text(), _counts(timeline)]
    return Group(*parts)


def _header(timeline: Timeline) -> RenderableType:
    authority = view.authority(timeline)
    title = Text(f"{authority} children's services" if authority else "Children's services",
                 style="bold")
    title.append(f": {len(timeline.reports)} Ofsted inspections, {view.span(timeline)}, "
                 "concern by concern")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for index, report in enumerate(timeline.reports):
        table.add_row(Text(view.label(report, index)), Text(view.describe(report)))
    parts: list[RenderableType] = [title, table]
    parts += [Text(f"warning: {w}", style="yellow") for w in timeline.warnings]
    return Group(*parts)


def _grades(timeline: Timeline) -> RenderableType:
    if not timeline.grades:
        return Text("No report grades a judgement.", style="italic")
    table = Table(title=Text("Grades", style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False)
    table.add_column("Judgement")
    for index, report in enumerate(timeline.reports):
        table.add_column(f"{view.label(report, index)}\n{view.SHORT_FRAMEWORKS[report.framework]}")
    for row in timeline.grades:
        cells = [Text(AREA_NAMES.get(row.area, row.area))]
        for report, grade in zip(timeline.reports, row.grades, strict=True):
            if report.framework == "focused-visit":
                cells.append(Text("ungraded", style="bright_black italic"))
            elif grade is None:
                cells.append(Text("not judged", style="bright_black"))
            else:
                cells.append(Text(grade, style=GRADE_STYLES.get(grade, "")))
        table.add_row(*cells)
    return table


def _group_heading(group: view.Group, timeline: Timeline) -> RenderableType:
    year = view.label(timeline.reports[group.report], group.report)
    title = Text(f"Raised in {year} ({group.total})", style="bold")
    return Group(Rule(title, align="left"), Text(view.group_note(group), style="bright_black"))


def _path(thread: Thread, timeline: Timeline) -> Text:
    text = Text()
    for position, (year, status) in enumerate(view.path(thread, timeline)):
        if position:
            text.append(" → ", style="bright_black")
        text.append(f"{year} ")
        text.append(view.STATUS_WORDS[status], style=STATUS_STYLES[status])
    return text


def _thread(thread: Thread, timeline: Timeline, show_all: bool) -> RenderableType:
    reports = timeline.reports
    # Fixed widths keep the columns of every thread in line.
    table = Table.grid(padding=(0, 2))
    table.add_column(width=_STATUS_WIDTH, no_wrap=True)
    table.add_column(width=_REFERENCE_WIDTH, style="bright_black")
    table.add_column(ratio=1)
    table.add_row(_status("raised"), Text(reference(thread.finding, reports[thread.raised])),
                  Text(thread.finding.text))
    for step in thread.steps:
        shown, hidden = view.shown_evidence(step, show_all)
        if not shown:
            table.add_row(_status(step.status), Text(view.label(reports[step.report],
                                                                step.report)),
                          Text(view.silence(step), style="italic bright_black"))
            continue
        for position, evidence in enumerate(shown):
            table.add_row(_status(step.status) if position == 0 else Text(""),
                          Text(reference(evidence.finding, reports[step.report])),
                          Text(evidence.finding.text))
        if hidden:
            more = "text" if hidden == 1 else "texts"
            table.add_row(Text(""), Text(""),
                          Text(f"… and {hidden} more {more} (use --all)", style="bright_black"))
    outer = Table.grid()
    outer.add_column(width=2, no_wrap=True)
    outer.add_column(ratio=1)
    outer.add_row(Text("•", style=STATUS_STYLES[thread.now[0]]),
                  Text(view.name(thread), style="bold"))
    outer.add_row(Text(""), _path(thread, timeline))
    outer.add_row(Text(""), table)
    return outer


def _status(status: StepStatus) -> Text:
    return Text(view.STATUS_WORDS[status], style=STATUS_STYLES[status])


def _counts(timeline: Timeline) -> Text:
    text = Text("Where the concerns stand now: ", style="bold")
    counts = [(s, n) for s, n in view.now_counts(timeline).items() if n]
    for position, (status, count) in enumerate(counts):
        if position:
            text.append(" · ")
        text.append(f"{view.STATUS_WORDS[status]} {count}", style=STATUS_STYLES[status])
    return text
