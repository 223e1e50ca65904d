"""The typed model every stage passes on: a read report, and the comparison of two."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Framework = Literal["sif", "sif-reinspection", "ilacs", "focused-visit"]
Area = Literal[
    "overall",
    "help-and-protection",
    "children-in-care",
    "care-leavers",
    "adoption",
    "leadership",
    "lscb",
]
Grade = Literal["outstanding", "good", "requires improvement", "inadequate"]
SectionKind = Literal["summary", "recommendations", "improvements", "findings", "lscb", "context"]
FindingKind = Literal["recommendation", "improvement", "finding"]
Polarity = Literal["concern", "strength", "neutral"]
Status = Literal[
    "improved", "persisting", "new", "regressed", "sustained", "not-reported", "new-strength"
]
GradeChange = Literal["improved", "declined", "unchanged", "not-comparable"]

AREAS: tuple[Area, ...] = (
    "overall",
    "help-and-protection",
    "children-in-care",
    "care-leavers",
    "adoption",
    "leadership",
    "lscb",
)
GRADES: tuple[Grade, ...] = ("outstanding", "good", "requires improvement", "inadequate")
STATUSES: tuple[Status, ...] = (
    "improved", "persisting", "new", "regressed", "sustained", "not-reported", "new-strength"
)


@dataclass(frozen=True)
class Section:
    """A headed part of a report."""

    index: int
    """Position of the section in the report, from 0."""
    heading: str
    """The heading as printed (whitespace folded)."""
    kind: SectionKind
    """What the section holds: summary, recommendations, improvements, findings, lscb, context."""
    area: Area | None
    """The judgement area the section reports on, where it reports on one."""


@dataclass(frozen=True)
class Finding:
    """One sentence of a report, or one recommendation / "What needs to improve" item."""

    id: str
    """Stable id within the report: ``f`` and the finding's position, from 1."""
    text: str
    """The whole sentence or item, whitespace folded."""
    section: str
    """Heading of the section it stands in."""
    section_kind: SectionKind
    """Kind of that section."""
    area: Area | None
    """Judgement area of that section, if any."""
    kind: FindingKind
    """recommendation, improvement (a "What needs to improve" item) or finding."""
    polarity: Polarity
    """concern, strength or neutral, from the cue lexicon."""
    paragraph: int | None
    """The report's own paragraph number, where the report numbers its paragraphs."""
    block: int
    """Index of the paragraph (numbered or not) the sentence belongs to, in reading order."""
    item: int | None = None
    """Number of the recommendation or improvement item within its list, from 1."""

    @property
    def stance(self) -> Polarity:
        """Its polarity as a status reads it: a recommendation or a "What needs to improve"
        item is always a concern."""
        return "concern" if self.kind != "finding" else self.polarity


@dataclass(frozen=True)
class GradeEntry:
    """A graded judgement a report states."""

    area: Area
    """The judgement area."""
    grade: Grade
    """The grade given."""


@dataclass(frozen=True)
class Report:
    """An inspection report, read."""

    path: str
    """Where it was read from (``-`` for stdin, ``bundled:NAME`` for a bundled text)."""
    title: str
    """The report's title, as printed."""
    local_authority: str | None
    """The council inspected."""
    framework: Framework
    """sif, sif-reinspection, ilacs or focused-visit, detected from the content."""
    inspection_dates: str | None
    """The inspection dates as printed, e.g. "9 to 20 May 2022"."""
    year: int | None
    """Year of the inspection."""
    grades: tuple[GradeEntry, ...]
    """Graded judgements, in the order of AREAS."""
    sections: tuple[Section, ...]
    """Sections in reading order."""
    findings: tuple[Finding, ...]
    """Findings in reading order."""
    published: str | None = None
    """Publication date as printed, where the report gives one."""

    def grade(self, area: Area) -> Grade | None:
        """The grade for an area, or None where the report does not judge it."""
        for entry in self.grades:
            if entry.area == area:
                return entry.grade
        return None


@dataclass(frozen=True)
class GradeMove:
    """How one judgement area's grade moved between two reports."""

    area: Area
    """The judgement area."""
    old: Grade | None
    """Grade in the older report, None where it does not judge the area."""
    new: Grade | None
    """Grade in the newer report, None where it does not judge the area."""
    change: GradeChange
    """improved, declined, unchanged or not-comparable."""


@dataclass(frozen=True)
class Result:
    """One classified finding: an old finding and/or the new text that answers it."""

    status: Status
    """What happened to it (see Status)."""
    score: float
    """Match score of the pair, 0 to 1; 0 where there is no pair."""
    matched_by: str
    """How the pair was matched: curated, exact, fuzzy, reverse, or none."""
    theme: str | None
    """The theme (from mappings/themes.yaml) the finding is about, where one is found."""
    old: Finding | None
    """The finding in the older report, if any."""
    new: Finding | None
    """The finding in the newer report that answers it, if any."""
    shared_terms: tuple[str, ...] = ()
    """Key terms both texts share, so a reader sees why they were paired."""
    also: tuple[int, ...] = ()
    """Other paragraphs of the newer report that speak to the same finding."""
    paired_back: bool = False
    """Whether the result starts from the newer text (a new finding, or one paired back with
    an old finding) rather than from an old finding linked forward."""


@dataclass(frozen=True)
class Comparison:
    """The comparison of two reports: what every renderer reads."""

    old: Report
    """The older report."""
    new: Report
    """The newer report."""
    grades: tuple[GradeMove, ...]
    """Grade moves, one per area either report judges."""
    results: tuple[Result, ...]
    """Every classified finding, old-side results first in old reading order."""
    warnings: tuple[str, ...] = field(default=())
    """Things a reader should know (e.g. the reports were given newest first)."""
    theme_labels: tuple[tuple[str, str], ...] = field(default=())
    """(key, readable name) of each theme the results name, from mappings/themes.yaml."""

    def summary(self) -> dict[str, int]:
        """Count of results by status, every status present."""
        counts = {status: 0 for status in STATUSES}
        for result in self.results:
            counts[result.status] += 1
        return counts
