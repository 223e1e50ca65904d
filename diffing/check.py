"""Check a comparison against a curated mapping: which entries hold, which regressed, and
the precision and recall of the computed links.

The rules are those of ../shared/tools/score-annotation.py: an entry about an old finding
holds when some result whose old text contains its quote links to one of its paragraphs (to
nothing when it lists none) with an accepted status; an improvement entry holds when the
item's result carries an accepted status (and, for persisting with an old_quote, pairs it
with that old finding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from diffing.mapping import Entry, Mapping
from diffing.model import Comparison, Result, Status
from diffing.text import unspaced

Problem = Literal["link lost", "link moved", "status changed"]


@dataclass(frozen=True)
class Outcome:
    """What the comparison says about an entry: one result that quotes it."""

    paragraph: int | None
    """The new paragraph the result links to (None: nothing, or an unnumbered text)."""
    linked: bool
    """Whether the result has a new side at all."""
    status: Status
    """The result's status."""
    matched_by: str
    """How the result was matched."""
    old_text: str | None
    """The result's old finding, if any (for an improvement entry: what the item pairs with)."""


@dataclass(frozen=True)
class Verdict:
    """Whether one entry holds, and if not, how it regressed."""

    entry: Entry
    """The mapping's entry."""
    link_ok: bool
    """A result quoting it links where the entry says."""
    status_ok: bool
    """One of those results carries an accepted status."""
    problem: Problem | None
    """None when it holds."""
    actual: tuple[Outcome, ...]
    """Every result that quotes the entry."""

    @property
    def held(self) -> bool:
        """Link and status both as the entry expects."""
        return self.problem is None


@dataclass(frozen=True)
class MappingCheck:
    """One mapping checked against a fresh comparison."""

    mapping: Mapping
    """The mapping."""
    curated: bool
    """Whether the comparison used the mapping's own pins."""
    verdicts: tuple[Verdict, ...]
    """One per entry, in file order."""
    links: int
    """Computed links from old findings the mapping quotes."""
    wrong_links: int
    """Of those, links to a paragraph the entry does not accept."""

    @property
    def held(self) -> int:
        """Entries that hold."""
        return sum(v.held for v in self.verdicts)

    @property
    def regressed(self) -> int:
        """Entries that do not hold."""
        return len(self.verdicts) - self.held

    @property
    def recall(self) -> float:
        """Share of entries whose link the comparison finds."""
        return sum(v.link_ok for v in self.verdicts) / len(self.verdicts) if self.verdicts else 1.0

    @property
    def status_accuracy(self) -> float:
        """Share of entries with an accepted status on a right link."""
        return (sum(v.status_ok for v in self.verdicts) / len(self.verdicts)
                if self.verdicts else 1.0)

    @property
    def precision(self) -> float:
        """Share of computed links, from quoted old findings, that land where an entry says."""
        return 1 - self.wrong_links / self.links if self.links else 1.0


def _outcome(result: Result) -> Outcome:
    return Outcome(
        paragraph=result.new.paragraph if result.new else None,
        linked=result.new is not None,
        status=result.status,
        matched_by=result.matched_by,
        old_text=result.old.text if result.old else None,
    )


def _right_link(entry: Entry, result: Result) -> bool:
    if not entry.new_paras:
        return result.new is None
    return result.new is not None and result.new.paragraph in entry.new_paras


def judge(entry: Entry, results: tuple[Result, ...]) -> tuple[Verdict, int, int]:
    """The entry's verdict, and the links it counts for precision (all, wrong)."""
    accepted = entry.accepted
    links = wrong = 0
    if entry.kind == "improvement":
        quote = unspaced(entry.new_quote or "")
        found = [r for r in results if r.new is not None and quote in unspaced(r.new.text)]
        link_ok = bool(found)
        if "persisting" in accepted and entry.old_quote:
            old_quote = unspaced(entry.old_quote)
            status_ok = any(r.status in accepted and r.old is not None
                            and old_quote in unspaced(r.old.text) for r in found)
        else:
            status_ok = any(r.status in accepted for r in found)
    else:
        quote = unspaced(entry.old_quote or "")
        found = [r for r in results if r.old is not None and quote in unspaced(r.old.text)]
        for result in found:
            if result.new is not None:
                links += 1
                wrong += not _right_link(entry, result)
        right = [r for r in found if _right_link(entry, r)]
        link_ok = bool(right)
        status_ok = any(r.status in accepted for r in right)
    if not found:
        problem: Problem | None = "link lost"
    elif not link_ok:
        lost = entry.new_paras and all(r.new is None for r in found)
        problem = "link lost" if lost else "link moved"
    elif not status_ok:
        problem = "status changed"
    else:
        problem = None
    verdict = Verdict(entry, link_ok, status_ok, problem, tuple(_outcome(r) for r in found))
    return verdict, links, wrong


def check_mapping(mapping: Mapping, comparison: Comparison, curated: bool) -> MappingCheck:
    """Every entry's verdict on the comparison of the mapping's two reports."""
    verdicts, links, wrong = [], 0, 0
    for entry in mapping.entries:
        verdict, counted, missed = judge(entry, comparison.results)
        verdicts.append(verdict)
        links += counted
        wrong += missed
    return MappingCheck(mapping, curated, tuple(verdicts), links, wrong)
