"""What the reports people read show: results merged into items, grouped by status, filtered
(--only, --area) and collapsed so that recommendations and improvement points come first.

Shared by the terminal view and the Markdown brief; it only reads the Comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from diffing.model import AREAS, STATUSES, Area, Comparison, Finding, Report, Result, Status

ORDER: tuple[Status, ...] = (
    "improved", "persisting", "new", "regressed", "not-reported", "sustained", "new-strength"
)
"""The order status groups are shown in: what needs attention first."""

DEFAULT_STATUSES: tuple[Status, ...] = (
    "improved", "persisting", "new", "regressed", "not-reported"
)
"""Groups shown without --all or --only (sustained findings and new strengths are hidden)."""

OTHERS_SHOWN = 5
"""Findings shown per group, after its recommendations and improvement points, unless --all."""

_OTHERS_SHOWN = {"not-reported": 0}
"""Groups that show fewer findings by default: of hundreds of old findings the new report does
not mention, only the recommendations matter to most readers."""

LISTED_KINDS = ("recommendation", "improvement")


@dataclass(frozen=True)
class Item:
    """One thing a reader sees: an old finding with every new text that answers it with the same
    status, or one new finding on its own."""

    status: Status
    """The status the results share."""
    old: Finding | None
    """The finding in the older report, if any."""
    new: tuple[Finding, ...]
    """The findings of the newer report that answer it, strongest pair first."""
    results: tuple[Result, ...]
    """The results merged into this item, in comparison order."""
    position: int
    """Index of the item's first result in the comparison: reading order."""

    @property
    def listed(self) -> bool:
        """True for a recommendation or "What needs to improve" item, on either side."""
        findings = ([self.old] if self.old else []) + list(self.new)
        return any(f.kind in LISTED_KINDS for f in findings)

    @property
    def score(self) -> float:
        """The strongest match score among the merged results."""
        return max(r.score for r in self.results)

    @property
    def matched_by(self) -> str:
        """How the strongest pair was matched."""
        return max(self.results, key=lambda r: r.score).matched_by

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme keys of the merged results, each once, in order."""
        return tuple(dict.fromkeys(r.theme for r in self.results if r.theme))

    @property
    def also(self) -> tuple[int, ...]:
        """Other paragraphs of the newer report on the same point (not those quoted)."""
        quoted = {f.paragraph for f in self.new}
        return tuple(sorted({p for r in self.results for p in r.also} - quoted))

    @property
    def area(self) -> Area | None:
        """The judgement area --area filters on (see `result_area`)."""
        return result_area(self.results[0]) if self.results else None


def result_area(result: Result) -> Area | None:
    """The old finding's area; the new finding's where there is no old one, or where the old
    one stands outside the judgement sections (summary, recommendations)."""
    if result.old is not None and result.old.area is not None:
        return result.old.area
    return result.new.area if result.new is not None else None


@dataclass(frozen=True)
class Group:
    """The items of one status a renderer shows, and how many it leaves out."""

    status: Status
    """The status."""
    items: tuple[Item, ...]
    """Items shown: listed items (recommendations, improvement points) first, then findings."""
    hidden: int
    """Items of this status left out by the collapse."""

    @property
    def total(self) -> int:
        """Items of this status after filtering, shown or not."""
        return len(self.items) + self.hidden


@dataclass(frozen=True)
class Selection:
    """What the reader asked to see."""

    statuses: tuple[Status, ...] = ()
    """Only these statuses (--only), each group in full; empty for the default groups."""
    area: Area | None = None
    """Only items of this judgement area (--area)."""
    show_all: bool = False
    """Every status, every item (--all)."""

    @property
    def collapsed(self) -> bool:
        """True when groups show only their first findings."""
        return not (self.show_all or self.statuses)

    def shown_statuses(self) -> tuple[Status, ...]:
        """The status groups to show, in ORDER."""
        if self.statuses:
            return tuple(s for s in ORDER if s in self.statuses)
        return ORDER if self.show_all else DEFAULT_STATUSES

    def describe(self) -> str:
        """The filters in words, empty when there are none."""
        parts = []
        if self.statuses:
            parts.append("status " + ", ".join(s for s in ORDER if s in self.statuses))
        if self.area:
            parts.append(f"area {self.area}")
        return "; ".join(parts)


def parse_statuses(text: str) -> tuple[Status, ...]:
    """--only's value ("new,persisting") as statuses; ValueError naming an unknown one."""
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    for status in wanted:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (choose from {', '.join(ORDER)})")
    return tuple(dict.fromkeys(wanted))  # type: ignore[arg-type]


def parse_area(text: str) -> Area:
    """--area's value as an area; ValueError naming the choices."""
    if text not in AREAS:
        raise ValueError(f"unknown area {text!r} (choose from {', '.join(AREAS)})")
    return text  # type: ignore[return-value]


def select_results(comparison: Comparison, selection: Selection) -> Comparison:
    """The comparison with only the results --only and --area ask for (all without them):
    what `--format json` prints under those options."""
    from dataclasses import replace

    def wanted(result: Result) -> bool:
        if selection.statuses and result.status not in selection.statuses:
            return False
        return selection.area is None or result_area(result) == selection.area

    return replace(comparison, results=tuple(r for r in comparison.results if wanted(r)))


_last_items: list = [None, ()]  # the last comparison asked about and its items


def items(comparison: Comparison) -> tuple[Item, ...]:
    """Every result, merged where one old finding has several answers with the same status."""
    # a renderer asks several times about one (immutable) comparison: merge once
    if _last_items[0] is comparison:
        return _last_items[1]
    merged: dict[tuple, list[tuple[int, Result]]] = {}
    for position, result in enumerate(comparison.results):
        key = (
            (result.status, result.old.id) if result.old is not None else ("single", position)
        )
        merged.setdefault(key, []).append((position, result))
    out = []
    for entries in merged.values():
        results = tuple(r for _, r in entries)
        strongest = sorted(results, key=lambda r: -r.score)  # stable: comparison order on ties
        news = tuple(dict.fromkeys(r.new for r in strongest if r.new is not None))
        out.append(Item(results[0].status, results[0].old, news, results, entries[0][0]))
    _last_items[:] = [comparison, tuple(out)]
    return _last_items[1]


def filtered(comparison: Comparison, selection: Selection) -> tuple[Item, ...]:
    """The items the selection admits, ignoring the collapse (what counts are made of)."""
    statuses = set(selection.shown_statuses())
    return tuple(
        item
        for item in items(comparison)
        if item.status in statuses and (selection.area is None or item.area == selection.area)
    )


def groups(comparison: Comparison, selection: Selection) -> tuple[Group, ...]:
    """The status groups to show, each with its listed items in full and, unless the selection
    asks for everything, its strongest few other findings (shown in reading order)."""
    chosen = filtered(comparison, selection)
    out = []
    for status in selection.shown_statuses():
        of_status = [i for i in chosen if i.status == status]
        listed = [i for i in of_status if i.listed]
        others = [i for i in of_status if not i.listed]
        limit = _OTHERS_SHOWN.get(status, OTHERS_SHOWN) if selection.collapsed else len(others)
        strongest = sorted(others, key=lambda i: (-i.score, i.position))[:limit]
        shown = listed + sorted(strongest, key=lambda i: i.position)
        out.append(Group(status, tuple(shown), len(others) - len(strongest)))
    return tuple(out)


def counts(chosen: tuple[Item, ...]) -> dict[Status, int]:
    """Items by status, every status present, in ORDER."""
    tally = {status: 0 for status in ORDER}
    for item in chosen:
        tally[item.status] += 1
    return tally


def old_recommendations(comparison: Comparison) -> tuple[tuple[Finding, Item | None], ...]:
    """Each recommendation of the older report with the first item that carries it."""
    first: dict[str, Item] = {}
    for item in items(comparison):
        if item.old is not None and item.old.id not in first:
            first[item.old.id] = item
    return tuple(
        (f, first.get(f.id)) for f in comparison.old.findings if f.kind == "recommendation"
    )


def reference(finding: Finding, report: Report) -> str:
    """How a reader finds the text in its report: "2017 recommendation 3", "2022 paragraph 46"."""
    year = report.year or ""
    if finding.kind == "recommendation":
        board = "LSCB " if finding.section_kind == "lscb" else ""
        return f"{year} {board}recommendation {finding.item}".strip()
    if finding.kind == "improvement":
        return f"{year} what needs to improve {finding.item}".strip()
    if finding.paragraph is not None:
        return f"{year} paragraph {finding.paragraph}".strip()
    where = f"{year} {finding.section}".strip()
    area = AREA_WORDS.get(finding.area or "", "")
    # Reports without paragraph numbers repeat headings ("Inspection findings") per area.
    if area and area.removeprefix("the ").split()[-1].lower() not in finding.section.lower():
        where += f" ({area})"
    return where


def year_label(report: Report, fallback: str) -> str:
    """The report's year, or "old"/"new" where it has none."""
    return str(report.year) if report.year else fallback


def describe_status(status: Status, comparison: Comparison) -> str:
    """What a status means, in the reports' years."""
    old = year_label(comparison.old, "old")
    new = year_label(comparison.new, "new")
    if old == new:
        old, new = "older", "newer"
    return {
        "improved": f"{old} concerns the {new} report finds addressed",
        "persisting": f"{old} concerns the {new} report still raises",
        "new": f"concerns the {new} report raises that the {old} report did not",
        "regressed": f"{old} strengths the {new} report finds weaker",
        "not-reported": f"{old} findings the {new} report does not speak to",
        "sustained": f"{old} strengths the {new} report confirms",
        "new-strength": f"strengths the {new} report notes that the {old} report did not",
    }[status]


@cache
def _theme_labels() -> dict[str, str]:
    from diffing.mappings import theme_labels

    return theme_labels()


def theme_label(key: str) -> str:
    """A theme's readable name (mappings/themes.yaml), or its key made readable."""
    return _theme_labels().get(key) or key.replace("-", " ").capitalize()


def shorten(text: str, words: int = 14) -> str:
    """The first words of a text, with an ellipsis where it goes on."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + "…"


def gist(item: Item, comparison: Comparison | None = None) -> str:
    """A one-line name for an item: its themes (named as the comparison names them, else
    as themes.yaml does), else the opening of its text."""
    if item.themes:
        labels = dict(comparison.theme_labels) if comparison is not None else {}
        return "; ".join(labels.get(key) or theme_label(key) for key in item.themes[:2])
    finding = item.old or (item.new[0] if item.new else None)
    return shorten(finding.text) if finding is not None else ""


FRAMEWORK_NAMES = {
    "sif": "Single Inspection Framework (SIF)",
    "sif-reinspection": "Single Inspection Framework (SIF) re-inspection",
    "ilacs": "Inspection of local authority children's services (ILACS)",
    "focused-visit": "ILACS focused visit",
}

AREA_NAMES = {
    "overall": "Overall effectiveness",
    "help-and-protection": "Children who need help and protection",
    "children-in-care": "Children in care",
    "care-leavers": "Care leavers",
    "adoption": "Adoption",
    "leadership": "Leadership",
    "lscb": "Local Safeguarding Children Board",
}

AREA_WORDS = {
    "overall": "overall effectiveness",
    "help-and-protection": "help and protection",
    "children-in-care": "children in care",
    "care-leavers": "care leavers",
    "adoption": "adoption",
    "leadership": "leadership",
    "lscb": "the LSCB",
}
"""Area names as they read inside a sentence."""
