"""`kent-diff check` for people (plain lines, one per entry) and for GitHub Actions
(``::error`` workflow commands that a pull request shows on the mapping's lines)."""

from __future__ import annotations

import os
from pathlib import Path

from diffing.check import MappingCheck, Outcome, Verdict
from diffing.mapping import Entry


def _paras(entry: Entry) -> str:
    if not entry.new_paras:
        return "nothing"
    return " or ".join(f"para {p}" for p in entry.new_paras)


def expected(entry: Entry) -> str:
    """What the entry expects, in words."""
    statuses = " or ".join((entry.status, *entry.also_accept))
    if entry.kind == "improvement":
        pairing = f' paired with "{entry.old_quote}"' if entry.old_quote else ""
        return f"the item {statuses}{pairing}"
    return f"{_paras(entry)}, {statuses}"


def _outcome(entry: Entry, outcome: Outcome) -> str:
    if entry.kind == "improvement":
        pairing = f' paired with "{_short(outcome.old_text)}"' if outcome.old_text else ""
        return f"{outcome.status} ({outcome.matched_by}){pairing}"
    where = (f"para {outcome.paragraph}" if outcome.paragraph is not None
             else "an unnumbered passage" if outcome.linked else "nothing")
    return f"{where}, {outcome.status} ({outcome.matched_by})"


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def actual(verdict: Verdict) -> str:
    """What the comparison says, in words."""
    if not verdict.actual:
        quote = "new_quote" if verdict.entry.kind == "improvement" else "old_quote"
        return f"no finding with a status contains its {quote}"
    return "; ".join(_outcome(verdict.entry, o) for o in verdict.actual)


def _summary(check: MappingCheck) -> str:
    n = len(check.verdicts)
    linked = sum(v.link_ok for v in check.verdicts)
    return (f"  {n} entries: {check.held} held, {check.regressed} regressed; links: recall "
            f"{check.recall:.2f} ({linked}/{n}), precision {check.precision:.2f} "
            f"({check.links - check.wrong_links}/{check.links} computed links right); "
            f"statuses {check.status_accuracy:.2f}")


def display_path(path: Path) -> str:
    """The path relative to the working directory where it lies under it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def render(checks: tuple[MappingCheck, ...]) -> str:
    """Every entry's verdict, then a summary line per mapping."""
    out = []
    for check in checks:
        mapping = check.mapping
        pins = "curated pins on" if check.curated else "automatic matcher alone (--no-curated)"
        out.append(f"{display_path(mapping.path)}: {mapping.old} -> {mapping.new} ({pins})")
        width = max((len(v.entry.id) for v in check.verdicts), default=2)
        for verdict in check.verdicts:
            entry = verdict.entry
            head = f"  {'held' if verdict.held else 'REGRESSED':<9}  {entry.id:<{width}}"
            if verdict.held:
                out.append(f"{head}  {actual(verdict)}")
            else:
                out.append(f"{head}  line {entry.line}: {verdict.problem}: expected "
                           f"{expected(entry)}; got {actual(verdict)}")
        out.append(_summary(check))
    return "\n".join(out) + "\n"


def _escape(text: str, property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def annotation(path: Path, line: int | None, title: str, message: str) -> str:
    """One GitHub Actions ``::error`` command."""
    where = f"file={_escape(display_path(path), True)}"
    if line:
        where += f",line={line}"
    return f"::error {where},title={_escape(title, True)}::{_escape(message)}"


def annotations(checks: tuple[MappingCheck, ...]) -> str:
    """An ``::error`` per regressed entry, on the entry's line of its mapping."""
    out = [
        annotation(check.mapping.path, v.entry.line, f"mapping entry {v.entry.id} {v.problem}",
                   f"{v.entry.id}: {v.problem}: expected {expected(v.entry)}; got {actual(v)}")
        for check in checks for v in check.verdicts if not v.held
    ]
    return "".join(line + "\n" for line in out)
