"""Follow each concern across a series of inspections: where it was raised, what every later
report said about it, and where it stands now (`kent-diff timeline`).

Built on the pairwise comparison: a thread starts at every concern of a report that no earlier
thread already accounts for, and its step at each later report reads that concern's result in
compare(raising report, later report), so every status is relative to where it was raised.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from diffing.align import ItemPin, Pin, TextIndex, align, classifiable, coverage
from diffing.compare import compare
from diffing.errors import InputError
from diffing.mappings import Knowledge, load_knowledge
from diffing.model import AREAS, Area, Comparison, Finding, Grade, Report, Result
from diffing.text import fold, same_council

StepStatus = Literal["raised", "persisting", "improved", "not-reported", "not-examined"]
STEP_STATUSES: tuple[StepStatus, ...] = (
    "raised", "persisting", "improved", "not-reported", "not-examined"
)
Via = Literal["listed", "link", "reverse"]
_VIA_ORDER: tuple[Via, ...] = ("listed", "link", "reverse")


@dataclass(frozen=True)
class Evidence:
    """A text of a later report that speaks to a concern, and how it was found."""

    finding: Finding
    """The later report's finding."""
    via: Via
    """link: the matcher linked the concern to it; reverse: the matcher paired it back with
    the concern; listed: a recommendation or "What needs to improve" item of the later report
    that the matcher links the concern to, among that report's items alone."""
    matched_by: str
    """How the matcher paired it: curated, exact, fuzzy or reverse."""
    score: float
    """The pair's score, 0 to 1."""


@dataclass(frozen=True)
class Step:
    """What one later report says about a concern."""

    report: int
    """Index of the later report in Timeline.reports."""
    status: StepStatus
    """persisting, improved, not-reported (a full inspection that does not speak to it) or
    not-examined (a focused visit that did not look at it)."""
    evidence: tuple[Evidence, ...]
    """The later report's texts on it, listed items first; empty when it says nothing."""


@dataclass(frozen=True)
class Thread:
    """One concern followed from the report that raised it to the latest report."""

    id: str
    """Stable id within the timeline: ``t`` and the thread's position, from 1."""
    raised: int
    """Index of the report that raised it."""
    finding: Finding
    """The concern as that report states it."""
    theme: str | None
    """Its theme (mappings/themes.yaml), where the matcher finds one."""
    steps: tuple[Step, ...]
    """One per later report, in date order."""

    @property
    def now(self) -> tuple[StepStatus, int]:
        """Where it stands: the status at the latest report that examined it, and that report's
        index (raised, at its own report, when no later report did)."""
        for step in reversed(self.steps):
            if step.status != "not-examined":
                return step.status, step.report
        return "raised", self.raised

    @property
    def headline(self) -> bool:
        """True when a recommendation or "What needs to improve" item raised it or answers it:
        the concerns the reports themselves put first."""
        findings = [self.finding, *(e.finding for s in self.steps for e in s.evidence)]
        return any(f.kind != "finding" for f in findings)


@dataclass(frozen=True)
class GradeRow:
    """The grade history of one judgement area."""

    area: Area
    """The judgement area."""
    grades: tuple[Grade | None, ...]
    """Its grade in each report, None where the report does not judge it (a focused visit
    judges nothing)."""


@dataclass(frozen=True)
class Timeline:
    """A council's inspections in date order and every concern's path through them."""

    reports: tuple[Report, ...]
    """The reports, earliest inspection first."""
    grades: tuple[GradeRow, ...]
    """One row per area any report judges, in the order of AREAS."""
    threads: tuple[Thread, ...]
    """Every concern, by raising report, then recommendations and improvement items first,
    then reading order."""
    warnings: tuple[str, ...] = ()
    """Things a reader should know (reports of different councils, given out of order)."""


PinSource = Callable[[Report, Report], tuple[Pin | ItemPin, ...]]


def timeline(reports: Sequence[Report], knowledge: Knowledge | None = None,
             pins: PinSource | None = None) -> Timeline:
    """Order the reports by inspection date, compare every earlier report with every later one,
    and follow each concern. `pins` gives the curated pins for a pair (none by default)."""
    if len(reports) < 2:
        raise InputError("timeline", "needs at least two reports")
    knowledge = knowledge or load_knowledge()
    ordered = order_reports(reports)
    warnings = _warnings(reports, ordered)
    count = len(ordered)
    vocabulary = TextIndex(knowledge)
    spoken = [frozenset().union(*(vocabulary.theme_keys(f.text) for f in report.findings))
              for report in ordered]
    pairs = {}
    for i in range(count):
        for j in range(i + 1, count):
            older, newer = ordered[i], ordered[j]
            pairs[i, j] = _Pair(
                j, compare(older, newer, knowledge, pins(older, newer) if pins else ()),
                _listed_answers(older, newer, knowledge, vocabulary), spoken[j])

    # A concern first raised by a later report takes the theme the matcher gave it there.
    raised_themes = {(j, r.new.id): r.theme for (_, j), pair in pairs.items()
                     for r in pair.comparison.results if r.new is not None and r.theme}
    threads: list[Thread] = []
    accounted: set[tuple[int, str]] = set()
    for i, report in enumerate(ordered):
        raised = [f for f in report.findings if _is_concern(f) and (i, f.id) not in accounted]
        raised.sort(key=lambda f: f.kind == "finding")  # stable: reading order otherwise
        for finding in raised:
            steps, theme = [], None
            for j in range(i + 1, count):
                step, step_theme = pairs[i, j].step(finding)
                steps.append(step)
                theme = theme or step_theme
                accounted |= {(j, e.finding.id) for e in step.evidence}
            theme = theme or raised_themes.get((i, finding.id))
            threads.append(Thread(f"t{len(threads) + 1}", i, finding, theme, tuple(steps)))
    return Timeline(tuple(ordered), grade_history(ordered), tuple(threads), tuple(warnings))


def grade_history(reports: Sequence[Report]) -> tuple[GradeRow, ...]:
    """Each judged area's grade in every report, in the order of AREAS."""
    rows = []
    for area in AREAS:
        grades = tuple(report.grade(area) for report in reports)
        if any(grade is not None for grade in grades):
            rows.append(GradeRow(area, grades))
    return tuple(rows)


# --- ordering -------------------------------------------------------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_DAY = re.compile(r"\b\d{1,2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def inspection_date(report: Report) -> tuple[int, int, int] | None:
    """(year, month, day) the inspection began, from its dates as printed ("9 to 20 May 2022",
    "6 March to 30 March 2017"), else from the publication date; month and day are 0 where
    they cannot be read; None when not even a year can."""
    for text in (report.inspection_dates, report.published):
        folded = fold(text or "")
        years = [int(y) for y in _YEAR.findall(folded)]
        year = (report.year if text == report.inspection_dates else None) or next(iter(years),
                                                                               None)
        if year is None:
            continue
        # "9 to 20 May 2022", "6 March to 30 March 2017": the first day and the first month
        month, day = _MONTH.search(folded), _DAY.search(folded)
        return (year, _MONTHS.index(month.group(1)) + 1 if month else 0,
                int(day.group(0)) if day else 0)
    return (report.year, 0, 0) if report.year else None


def order_reports(reports: Sequence[Report]) -> list[Report]:
    """The reports, earliest inspection first (stable for reports of the same date)."""
    keys = []
    for report in reports:
        key = inspection_date(report)
        if key is None:
            raise InputError(report.path, "states no inspection or publication year, so it "
                             "cannot be placed in the timeline")
        keys.append(key)
    order = sorted(range(len(reports)), key=lambda n: keys[n])
    return [reports[n] for n in order]


def _warnings(given: Sequence[Report], ordered: Sequence[Report]) -> list[str]:
    warnings = []
    names = sorted({r.local_authority for r in given if r.local_authority})
    if not all(same_council(a, b) for a, b in itertools.combinations(names, 2)):
        warnings.append(f"the reports are about different councils ({', '.join(names)})")
    if list(given) != list(ordered):
        warnings.append("the reports were not given in inspection order; the timeline orders "
                        "them by inspection date")
    seen: dict[tuple, str] = {}
    for report in ordered:
        key = (fold(report.local_authority or ""), report.framework,
               fold(report.inspection_dates or report.path))
        if key in seen:
            warnings.append(f"{report.path} is the same inspection as {seen[key]}")
        seen.setdefault(key, report.path)
    return warnings


# --- following a concern --------------------------------------------------------------------

def _is_concern(finding: Finding) -> bool:
    """Findings that open a thread: recommendations, improvement items, concerns."""
    if not classifiable(finding):
        return False
    return finding.kind != "finding" or finding.polarity == "concern"


@dataclass(frozen=True)
class _Pair:
    """What following a concern from an earlier report to report j reads."""

    j: int
    """Index of the later report."""
    comparison: Comparison
    """compare(earlier report, report j)."""
    listed: dict[str, Evidence]
    """Recommendations or "What needs to improve" items of report j that answer a concern of
    the earlier report, by the concern's id."""
    spoken: frozenset[str]
    """Themes report j mentions anywhere."""

    def step(self, finding: Finding) -> tuple[Step, str | None]:
        """The concern's step at report j, and its theme."""
        forward: Result | None = None
        reverse: list[Result] = []
        for result in self.comparison.results:
            if result.old is None or result.old.id != finding.id:
                continue
            if result.paired_back:
                reverse.append(result)
            elif forward is None:
                forward = result
        theme = forward.theme if forward is not None else None
        focused = self.comparison.new.framework == "focused-visit"
        # A focused visit looks at part of the service: a concern on a theme it never
        # mentions was not examined, whatever words it happens to share with the letter.
        if focused and theme is not None and theme not in self.spoken:
            return Step(self.j, "not-examined", ()), theme

        evidence: list[Evidence] = []
        if forward is not None and forward.new is not None:
            evidence.append(Evidence(forward.new, "link", forward.matched_by, forward.score))
        evidence += [Evidence(r.new, "reverse", r.matched_by, r.score) for r in reverse
                     if r.new is not None]
        curated = forward is not None and forward.matched_by == "curated"
        # The later report's own list of what needs to improve is its verdict: where one of
        # its items answers the concern, the concern persists (unless a curated pin, a
        # reader's judgement of the pair, says where the answer is).
        if finding.id in self.listed and not curated:
            evidence.append(self.listed[finding.id])
        seen: set[str] = set()
        merged = []
        for entry in sorted(evidence, key=lambda e: _VIA_ORDER.index(e.via)):
            if entry.finding.id not in seen:
                seen.add(entry.finding.id)
                merged.append(entry)

        linked = forward is not None and forward.new is not None
        if linked and curated:
            status: StepStatus = "persisting" if forward.status == "persisting" else "improved"
        elif any(e.finding.kind != "finding" for e in merged):
            status = "persisting"
        elif linked:
            status = "persisting" if forward.status == "persisting" else "improved"
        elif reverse:
            status = ("persisting" if any(r.status == "persisting" for r in reverse)
                      else "improved")
        else:
            status = "not-examined" if focused else "not-reported"
        return Step(self.j, status, tuple(merged)), theme


def _listed_answers(older: Report, newer: Report, knowledge: Knowledge,
                    vocabulary: TextIndex) -> dict[str, Evidence]:
    """The later report's recommendation or "What needs to improve" item that answers each
    concern of the earlier one, by the concern's id. The matcher links each concern to the
    items as if each were a paragraph (compare never links to a listed item, and pairs one
    back with at most one old finding); a link is kept where the words both share carry
    enough of the concern's weight."""
    concerns = tuple(f for f in older.findings if _is_concern(f))
    items = [f for f in newer.findings if f.kind != "finding"]
    if not concerns or not items:
        return {}
    stand_ins = tuple(replace(f, kind="finding", block=-1 - n, paragraph=None)
                      for n, f in enumerate(items))
    alignment = align(replace(older, findings=concerns), replace(newer, findings=stand_ins),
                      knowledge)
    # The matcher's own rule for pairing a new text back with an old one: the words they
    # share must carry a share of the weight (IDF over both reports' sentences), so that
    # "children" and "plans" alone pair nothing.
    limit = knowledge.thresholds["reverse_coverage"]
    df = Counter(w for f in (*older.findings, *newer.findings) for w in vocabulary.words(f.text))
    total = len(older.findings) + len(newer.findings) + 1
    idf = {w: math.log(total / (n + 1)) + 1.0 for w, n in df.items()}
    out: dict[str, Evidence] = {}
    for link in alignment.links:
        if link.sentence is None or link.paragraph is None:
            continue
        item = items[-1 - link.paragraph.block]
        words = vocabulary.words(link.old.text)
        shared = words & vocabulary.words(item.text)
        if shared and coverage(words, shared, idf) >= limit:
            out[link.old.id] = Evidence(item, "listed", link.matched_by, link.score)
    return out
