"""The timeline as GitHub-flavoured Markdown (`kent-diff timeline --format markdown`): the
inspections, the grade history, then each concern's path with its quoted texts.

Every piece of report text goes through `escape`; the same timeline gives the same bytes.
"""

from __future__ import annotations

from diffing.model import Finding, Report
from diffing.timeline import Thread, Timeline
from reports import timeline_view as view
from reports.markdown import describe, escape, sources
from reports.selection import AREA_NAMES, reference


def render(timeline: Timeline, show_all: bool = False) -> str:
    """The timeline as Markdown text, ending in a newline: headline concerns only, unless
    `show_all`."""
    authority = view.authority(timeline)
    title = f"{authority} children's services" if authority else "Children's services"
    out = [f"# {escape(title)}: Ofsted inspections {view.span(timeline)}, concern by concern",
           ""]
    for index, report in enumerate(timeline.reports):
        out.append(f"- **{view.label(report, index)}:** {describe(report)}")
    out.append("")
    out += [f"> Warning: {escape(w)}" for w in timeline.warnings]
    if timeline.warnings:
        out.append("")
    out += _standing(timeline)
    out += _grades(timeline)
    for group in view.groups(timeline, show_all):
        year = view.label(timeline.reports[group.report], group.report)
        out += [f"## Raised in {year} ({group.total})", "", view.group_note(group), ""]
        for thread in group.threads:
            out += _thread(thread, timeline, show_all)
        if group.hidden:
            things = "concern" if group.hidden == 1 else "concerns"
            out += [f"*… and {group.hidden} more {things} (`--all` lists them).*", ""]
    out += _sources(timeline)
    return "\n".join(out).rstrip("\n") + "\n"


def _standing(timeline: Timeline) -> list[str]:
    counts = [f"{view.STATUS_WORDS[s]} {n}" for s, n in view.now_counts(timeline).items() if n]
    return ["## Where the concerns stand now", "",
            f"{len(timeline.threads)} concerns: " + ", ".join(counts) + ".", ""]


def _grades(timeline: Timeline) -> list[str]:
    if not timeline.grades:
        return []
    headers = [f"{view.label(r, i)} {view.SHORT_FRAMEWORKS[r.framework]}"
               for i, r in enumerate(timeline.reports)]
    lines = ["## Grades", "", "| Judgement | " + " | ".join(headers) + " |",
             "|---" * (len(headers) + 1) + "|"]
    for row in timeline.grades:
        cells = []
        for report, grade in zip(timeline.reports, row.grades, strict=True):
            if report.framework == "focused-visit":
                cells.append("*ungraded*")
            else:
                cells.append(grade or "not judged")
        lines.append(f"| {AREA_NAMES.get(row.area, row.area)} | " + " | ".join(cells) + " |")
    lines.append("")
    if any(r.framework == "focused-visit" for r in timeline.reports):
        lines += ["A focused visit gives no grades.", ""]
    return lines


def _thread(thread: Thread, timeline: Timeline, show_all: bool) -> list[str]:
    reports = timeline.reports
    path = " → ".join(f"{year} {view.STATUS_WORDS[status]}"
                      for year, status in view.path(thread, timeline))
    raised_in = reports[thread.raised]
    lines = [f"### {escape(view.name(thread))}", "", f"*{path}*", "",
             f"- {view.label(raised_in, thread.raised)} **raised**:",
             f"  - {_inline(thread.finding, raised_in)}"]
    for step in thread.steps:
        shown, hidden = view.shown_evidence(step, show_all)
        status = view.STATUS_WORDS[step.status]
        year = view.label(reports[step.report], step.report)
        if not shown:
            lines.append(f"- {year} **{status}**: {view.silence(step)}")
            continue
        lines.append(f"- {year} **{status}**:")
        lines += [f"  - {_inline(e.finding, reports[step.report])}" for e in shown]
        if hidden:
            lines.append(f"  - … and {hidden} more (`--all` lists them)")
    return lines + [""]


def _inline(finding: Finding, report: Report) -> str:
    return f"{escape(reference(finding, report))}: “{escape(finding.text)}”"


def _sources(timeline: Timeline) -> list[str]:
    return sources([(view.label(report, index), report)
                    for index, report in enumerate(timeline.reports)])
