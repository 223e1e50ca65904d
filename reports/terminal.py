"""The terminal comparison: grade moves, then findings grouped by status (Rich renderables)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from diffing.model import Comparison, Finding, Report, Result

_STYLE = {
    "improved": "green",
    "persisting": "yellow",
    "new": "red",
    "regressed": "magenta",
    "sustained": "cyan",
    "new-strength": "cyan",
    "not-reported": "dim",
}
_MARK = {"improved": "▲", "declined": "▼", "unchanged": "=", "not-comparable": "·"}
_ORDER = ("improved", "persisting", "new", "regressed", "not-reported", "sustained",
          "new-strength")
_SHOWN = ("improved", "persisting", "new", "regressed")


def reference(finding: Finding, report: Report) -> str:
    """How a reader finds the text in its report: "2017 recommendation 3", "2022 paragraph 46"."""
    year = report.year or ""
    if finding.kind == "recommendation":
        return f"{year} recommendation {finding.item}".strip()
    if finding.kind == "improvement":
        return f"{year} what needs to improve {finding.item}".strip()
    if finding.paragraph is not None:
        return f"{year} paragraph {finding.paragraph}".strip()
    return f"{year} {finding.section}".strip()


def _header(comparison: Comparison) -> Text:
    def line(report: Report) -> str:
        return (f"{report.local_authority or report.title} · {report.framework} · "
                f"{report.inspection_dates or report.year or '?'}")

    text = Text()
    text.append(line(comparison.old), style="bold")
    text.append("  →  ")
    text.append(line(comparison.new), style="bold")
    return text


def _grades(comparison: Comparison) -> Table:
    table = Table(title="Grades", title_justify="left", show_edge=False)
    table.add_column("area")
    table.add_column(str(comparison.old.year or "old"))
    table.add_column(str(comparison.new.year or "new"))
    table.add_column("change")
    colours = {"improved": "green", "declined": "red", "unchanged": "", "not-comparable": "dim"}
    for move in comparison.grades:
        table.add_row(move.area, move.old or "-", move.new or "-",
                      Text(f"{_MARK[move.change]} {move.change}", style=colours[move.change]))
    return table


def _item(result: Result, comparison: Comparison) -> Text:
    text = Text()
    text.append(f"[{result.status}]", style=_STYLE[result.status])
    if result.theme:
        text.append(f" {result.theme}", style="bold")
    if result.old is not None:
        text.append(f"\n  {reference(result.old, comparison.old)}: ", style="dim")
        text.append(result.old.text)
    if result.new is not None:
        text.append(f"\n  {reference(result.new, comparison.new)}: ", style="dim")
        text.append(result.new.text)
    if result.old is not None and result.new is not None:
        text.append(f"\n  score {result.score:.2f} ({result.matched_by})", style="dim")
    return text


def render(comparison: Comparison, show_all: bool = False) -> RenderableType:
    """The comparison as Rich renderables; sustained and new strengths only with show_all."""
    parts: list[RenderableType] = [_header(comparison), Text(), _grades(comparison)]
    shown = _ORDER if show_all else _SHOWN
    for status in shown:
        items = [r for r in comparison.results if r.status == status]
        if not items:
            continue
        parts.append(Text(f"\n{status} ({len(items)})", style=f"bold {_STYLE[status]}"))
        parts += [_item(r, comparison) for r in items]
    counts = comparison.summary()
    parts.append(Text("\n" + ", ".join(f"{k}: {v}" for k, v in counts.items())))
    return Group(*parts)
