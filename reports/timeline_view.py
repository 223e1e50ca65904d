"""What the timeline views people read show, shared by the terminal and Markdown renderers: which
threads, in what order, under which names. It only reads the Timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from diffing.model import Report
from diffing.timeline import STEP_STATUSES, Evidence, Step, StepStatus, Thread, Timeline
from reports.selection import FRAMEWORK_NAMES, shorten, theme_label

STATUS_WORDS: dict[StepStatus, str] = {
    "raised": "raised",
    "persisting": "persisting",
    "improved": "improved",
    "not-reported": "not reported",
    "not-examined": "not examined",
}
SHORT_FRAMEWORKS = {
    "sif": "SIF inspection",
    "sif-reinspection": "SIF re-inspection",
    "ilacs": "ILACS inspection",
    "focused-visit": "focused visit",
}
EVIDENCE_SHOWN = 3
"""Texts shown per step unless --all: the listed item and the strongest links come first."""


@dataclass(frozen=True)
class Group:
    """The threads raised by one report, and how many of them the view leaves out."""

    report: int
    """Index of the raising report."""
    threads: tuple[Thread, ...]
    """Threads shown, in timeline order."""
    hidden: int
    """Threads of this report left out (those no listed item raised or answers)."""

    @property
    def total(self) -> int:
        """Threads this report raised."""
        return len(self.threads) + self.hidden


def groups(timeline: Timeline, show_all: bool = False) -> tuple[Group, ...]:
    """Threads by raising report: every one with --all, else the headline ones (a
    recommendation or "What needs to improve" item raised or answers them)."""
    out = []
    for index in range(len(timeline.reports)):
        raised = [t for t in timeline.threads if t.raised == index]
        shown = raised if show_all else [t for t in raised if t.headline]
        if raised:
            out.append(Group(index, tuple(shown), len(raised) - len(shown)))
    return tuple(out)


def group_note(group: Group) -> str:
    """What a group shows, in words."""
    if group.hidden:
        return ('Concerns a recommendation or "What needs to improve" item raised or answers, '
                "each followed through the later reports:")
    return "Each concern followed through the later reports:"


def name(thread: Thread) -> str:
    """A thread's name: its theme, else the opening words of the concern."""
    return theme_label(thread.theme) if thread.theme else shorten(thread.finding.text)


def label(report: Report, index: int) -> str:
    """A report's short label: its year (or its place in the series)."""
    return str(report.year) if report.year else f"report {index + 1}"


def path(thread: Thread, timeline: Timeline) -> tuple[tuple[str, StepStatus], ...]:
    """The thread's path: (report label, status) from the raising report on."""
    reports = timeline.reports
    first = ((label(reports[thread.raised], thread.raised), "raised"),)
    return first + tuple((label(reports[s.report], s.report), s.status) for s in thread.steps)


def shown_evidence(step: Step, show_all: bool) -> tuple[tuple[Evidence, ...], int]:
    """The step's texts a view lists, and how many it leaves out."""
    if show_all:
        return step.evidence, 0
    return step.evidence[:EVIDENCE_SHOWN], max(0, len(step.evidence) - EVIDENCE_SHOWN)


def silence(step: Step) -> str:
    """What a step without texts means, in words."""
    if step.status == "not-examined":
        return "The focused visit did not look at this."
    return "The report does not speak to this."


def now_counts(timeline: Timeline) -> dict[StepStatus, int]:
    """Threads by where they stand now, every status present, in STEP_STATUSES order."""
    counts = {status: 0 for status in STEP_STATUSES}
    for thread in timeline.threads:
        counts[thread.now[0]] += 1
    return counts


def describe(report: Report) -> str:
    """The framework and dates of a report, in one line."""
    text = FRAMEWORK_NAMES.get(report.framework, report.framework)
    if report.inspection_dates:
        text += f" · inspected {report.inspection_dates}"
    if report.published:
        text += f" · published {report.published}"
    return text


def authority(timeline: Timeline) -> str | None:
    """The council the reports are about (the latest report's name for it)."""
    for report in reversed(timeline.reports):
        if report.local_authority:
            return report.local_authority
    return None


def span(timeline: Timeline) -> str:
    """"2017 to 2022": the years the series covers."""
    first = label(timeline.reports[0], 0)
    last = label(timeline.reports[-1], len(timeline.reports) - 1)
    return first if first == last else f"{first} to {last}"
