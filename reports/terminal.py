"""The terminal comparison (Rich renderables): who was inspected when, grade moves, then the
findings grouped by status, each with both texts and the words that changed highlighted.

Report text goes into Rich as Text objects, never as markup, so "[bold]" in a report prints
as written.
"""

from __future__ import annotations

import difflib
import re

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from diffing.model import Comparison, Report
from reports import selection as view
from reports.parse_view import GRADE_STYLES
from reports.selection import Item, Selection, reference

__all__ = ["render", "reference", "word_diff"]

STATUS_STYLES = {
    "improved": "green",
    "persisting": "yellow",
    "new": "red",
    "regressed": "magenta",
    "not-reported": "bright_black",
    "sustained": "cyan",
    "new-strength": "cyan",
}
STATUS_TITLES = {
    "improved": "Improved",
    "persisting": "Persisting",
    "new": "New concerns",
    "regressed": "Regressed",
    "not-reported": "Not reported",
    "sustained": "Sustained",
    "new-strength": "New strengths",
}
_MARKS = {"improved": "▲", "declined": "▼", "unchanged": "=", "not-comparable": "·"}
_MOVE_STYLES = {
    "improved": "bold green",
    "declined": "bold red",
    "unchanged": "",
    "not-comparable": "bright_black",
}
REMOVED = "red"
"""Words of the old text that the new text does not keep."""
ADDED = "green"
"""Words of the new text that the old text did not have."""
_WORD = re.compile(r"\S+")
_REFERENCE_WIDTH = 28
"""Widest the reference column gets: a long section heading wraps rather than squeeze the text."""


def render(comparison: Comparison, selection: Selection | None = None) -> RenderableType:
    """The comparison for a terminal; what it lists follows `selection` (default: the four
    headline statuses and the unreported recommendations, collapsed)."""
    selection = selection or Selection()
    parts: list[RenderableType] = [_header(comparison), Text(), _grades(comparison)]
    old_year = view.year_label(comparison.old, "old")
    new_year = view.year_label(comparison.new, "new")
    legend = Text("Changed words: ", style="bright_black")
    legend.append(f"only in {old_year}", style=REMOVED)
    legend.append(", ", style="bright_black")
    legend.append(f"only in {new_year}", style=ADDED)
    legend.append(".", style="bright_black")
    if selection.describe():
        legend.append(f"  Showing {selection.describe()}.", style="bright_black")
    parts += [Text(), legend]
    for group in view.groups(comparison, selection):
        if group.total == 0 and not selection.statuses:
            continue
        parts += [Text(), _group_heading(group, comparison)]
        for item in group.items:
            parts.append(_item(item, comparison))
        if group.hidden:
            parts.append(Text(_more(group), style="italic bright_black"))
    parts += [Text(), _counts(comparison, selection)]
    return Group(*parts)


def _header(comparison: Comparison) -> RenderableType:
    old, new = comparison.old, comparison.new
    authority = old.local_authority or new.local_authority
    title = Text(f"{authority} children's services" if authority else "Children's services",
                 style="bold")
    title.append(": two Ofsted inspections compared")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for label, report in (("old", old), ("new", new)):
        table.add_row(Text(view.year_label(report, label)), _describe(report))
    return Group(title, table)


def _describe(report: Report) -> Text:
    text = Text(view.FRAMEWORK_NAMES.get(report.framework, report.framework))
    if report.inspection_dates:
        text.append(f" · inspected {report.inspection_dates}")
    if report.published:
        text.append(f" · published {report.published}")
    if report.local_authority is None:
        text.append(f" · {report.title}")
    return text


def _grades(comparison: Comparison) -> RenderableType:
    if not comparison.grades:
        return Text("Neither report grades a judgement.", style="italic")
    table = Table(
        title=Text("Grades", style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    old_year = view.year_label(comparison.old, "old")
    new_year = view.year_label(comparison.new, "new")
    if old_year == new_year:
        old_year, new_year = "older", "newer"
    table.add_column("Judgement")
    table.add_column(old_year)
    table.add_column(new_year)
    table.add_column("Change", no_wrap=True)
    for move in comparison.grades:
        table.add_row(
            Text(view.AREA_NAMES.get(move.area, move.area)),
            _grade(move.old),
            _grade(move.new),
            Text(f"{_MARKS[move.change]} {move.change.replace('-', ' ')}",
                 style=_MOVE_STYLES[move.change]),
        )
    return table


def _grade(grade: str | None) -> Text:
    if grade is None:
        return Text("not graded", style="bright_black")
    return Text(grade, style=GRADE_STYLES.get(grade, ""))


def _group_heading(group: view.Group, comparison: Comparison) -> RenderableType:
    style = STATUS_STYLES[group.status]
    title = Text(f"{STATUS_TITLES[group.status]} ({group.total})", style=f"bold {style}")
    about = Text(view.describe_status(group.status, comparison), style="bright_black")
    return Group(Rule(title, align="left", style=style), about)


def _item(item: Item, comparison: Comparison) -> RenderableType:
    # The bullet carries the status colour; the theme names the item where there is one
    # (without one, the bullet stands by the first reference).
    bullet = Text("•", style=STATUS_STYLES[item.status])
    if item.old is not None and item.new:
        old_text, first_new = word_diff(item.old.text, item.new[0].text)
        news = [first_new] + [word_diff(item.old.text, f.text)[1] for f in item.new[1:]]
    else:
        old_text = Text(item.old.text) if item.old is not None else None
        news = [Text(f.text) for f in item.new]
    rows: list[tuple[Text, Text]] = []
    if item.old is not None and old_text is not None:
        rows.append((_reference(reference(item.old, comparison.old)), old_text))
    for finding, text in zip(item.new, news, strict=True):
        rows.append((_reference(reference(finding, comparison.new)), text))
    note = _note(item, comparison)
    if note:
        rows.append((_reference(""), Text(note, style="bright_black")))
    table = _Rows([(bullet if position == 0 and not item.themes else None, label, text)
                   for position, (label, text) in enumerate(rows)])
    if not item.themes:
        return table
    heading = Text.assemble(bullet, " ", (view.gist(item, comparison), "bold"))
    return Group(heading, table)


def _reference(words: str) -> Text:
    return Text(words, style="bright_black")


class _Rows:
    """An item's rows in three columns: the bullet (two cells), the reference (as wide as
    its widest, up to _REFERENCE_WIDTH, wrapping beyond) and the text in the rest, wrapped.

    What a Rich Table.grid of those columns prints, but in half the time: a grid measures
    every cell to size its columns, and the terminal view has a grid an item (70 of the
    0.5 s a cold `compare` takes, against 33 now)."""

    def __init__(self, rows: list[tuple[Text | None, Text, Text]]):
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        labels = max((label.cell_len for _, label, _ in self.rows), default=0)
        label_width = min(_REFERENCE_WIDTH, labels)
        text_width = max(1, options.max_width - 2 - label_width - 2)
        blank_label = Segment(" " * (label_width + 2))
        for bullet, label, text in self.rows:
            label_lines = label.wrap(console, label_width) if label_width else Lines()
            text_lines = text.wrap(console, text_width)
            for line in range(max(len(label_lines), len(text_lines))):
                if line == 0 and bullet is not None:
                    yield from _styled(bullet).render(console)
                    yield Segment(" " * (2 - bullet.cell_len))
                else:
                    yield Segment("  ")
                if line < len(label_lines):
                    words = label_lines[line]
                    yield from _styled(words).render(console)
                    yield Segment(" " * (label_width - words.cell_len + 2))
                else:
                    yield blank_label
                if line < len(text_lines):
                    words = text_lines[line]
                    yield from _styled(words).render(console)
                    yield Segment(" " * (text_width - words.cell_len))
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


def _styled(text: Text) -> Text:
    """The text with its own style as a span: Text.render prints spans only."""
    if not text.style:
        return text
    spanned = text.copy()
    spanned.stylize(text.style)
    spanned.style = ""
    return spanned


def _note(item: Item, comparison: Comparison) -> str:
    parts = []
    if item.old is not None and item.new:
        parts.append(f"matched {item.matched_by}, score {item.score:.2f}")
    if item.also:
        year = view.year_label(comparison.new, "new")
        numbers = ", ".join(str(p) for p in item.also)
        label = "paragraphs" if len(item.also) > 1 else "paragraph"
        parts.append(f"also {year} {label} {numbers}")
    return " · ".join(parts)


def _more(group: view.Group) -> str:
    things = "finding" if group.hidden == 1 else "findings"
    return (f"… and {group.hidden} more {things} "
            f"(use --all, or --only {group.status} for this group in full)")


def _counts(comparison: Comparison, selection: Selection) -> Text:
    tally = view.counts(view.filtered(comparison, Selection(area=selection.area, show_all=True)))
    text = Text("Counts: ", style="bold")
    for position, status in enumerate(view.ORDER):
        if position:
            text.append(" · ")
        text.append(f"{status} {tally[status]}", style=STATUS_STYLES[status])
    if selection.area:
        text.append(f" (area {selection.area})")
    return text


def word_diff(old: str, new: str) -> tuple[Text, Text]:
    """Both texts as Rich Text, with the words only one of them has styled REMOVED or ADDED.

    Words compare case-insensitively and without surrounding punctuation, so "Plans," and
    "plans" count as the same word.
    """
    old_words = list(_WORD.finditer(old))
    new_words = list(_WORD.finditer(new))
    matcher = difflib.SequenceMatcher(
        None, [_key(m.group()) for m in old_words], [_key(m.group()) for m in new_words],
        autojunk=False,
    )
    old_text, new_text = Text(old), Text(new)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace") and i2 > i1:
            old_text.stylize(REMOVED, old_words[i1].start(), old_words[i2 - 1].end())
        if tag in ("insert", "replace") and j2 > j1:
            new_text.stylize(ADDED, new_words[j1].start(), new_words[j2 - 1].end())
    return old_text, new_text


def _key(word: str) -> str:
    return word.strip(".,;:!?()[]'\"‘’“”").lower()
