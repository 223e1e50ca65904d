"""Propose mapping entries for old findings a mapping does not cover, as YAML text to append.

Suggestions are text, never a YAML dump of the file: appending them leaves every human
entry and comment exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diffing.errors import InputError
from diffing.mapping import Mapping, covers, parse_mapping
from diffing.model import Comparison, Finding, Report, Status
from diffing.text import fold

_QUOTE_WORDS = 8
"""Words a suggested quote starts with; more when fewer do not single out one sentence."""


@dataclass(frozen=True)
class Suggestion:
    """A proposed entry: what the comparison says now about an uncovered old finding."""

    id: str
    """A free id in the mapping's scheme (R, F or L and the next number)."""
    kind: str
    """recommendation or finding."""
    old_quote: str
    """Words of the finding that no other old finding contains."""
    new_paras: tuple[int, ...]
    """The paragraph the comparison links it to, or none."""
    status: Status
    """The status the comparison gives it."""
    note: str
    """Where the proposal comes from."""


def _quote(finding: Finding, others: list[str]) -> str | None:
    """The shortest opening-first run of words, from _QUOTE_WORDS on, found in no other
    old finding; None when every run is (a finding that only repeats another's words)."""
    words = finding.text.split()
    for size in range(min(_QUOTE_WORDS, len(words)), len(words) + 1):
        for start in range(len(words) - size + 1):
            quote = " ".join(words[start:start + size]).strip(" ,.;:()\"'")
            key = fold(quote)
            if key and sum(key in other for other in others) == 1:
                return quote
    return None


def _next_ids(mapping: Mapping):
    highest: dict[str, int] = {}
    for entry in mapping.entries:
        match = re.fullmatch(r"([A-Z]+)(\d+)", entry.id)
        if match:
            prefix, number = match.group(1), int(match.group(2))
            highest[prefix] = max(highest.get(prefix, 0), number)

    def next_id(prefix: str) -> str:
        highest[prefix] = highest.get(prefix, 0) + 1
        return f"{prefix}{highest[prefix]}"

    return next_id


def suggest(mapping: Mapping, comparison: Comparison) -> tuple[Suggestion, ...]:
    """One proposal per old finding with a status that no entry quotes, in reading order
    (leaving out a finding no quote can single out)."""
    old: Report = comparison.old
    others = [fold(f.text) for f in old.findings]
    next_id = _next_ids(mapping)
    proposals, seen = [], set()
    for result in comparison.results:
        finding = result.old
        if finding is None or result.paired_back or finding.id in seen:
            continue
        seen.add(finding.id)
        quote = None if covers(mapping, finding) else _quote(finding, others)
        if quote is None:
            continue
        # the mapping's recommendations are those to the local authority, not the LSCB's own
        kind = ("recommendation" if finding.kind == "recommendation"
                and finding.section_kind != "lscb" else "finding")
        prefix = "R" if kind == "recommendation" else "L" if finding.section_kind == "lscb" \
            else "F"
        paragraph = result.new.paragraph if result.new is not None else None
        paras = (paragraph,) if paragraph is not None else ()
        status: Status = result.status if paras else "not-reported"
        how = (f"{result.matched_by}, score {result.score:.2f}" if paras
               else "the matcher links it to nothing")
        proposals.append(Suggestion(
            id=next_id(prefix),
            kind=kind,
            old_quote=quote,
            new_paras=paras,
            status=status,
            note=f"suggested ({how}); read both reports, then correct or delete",
        ))
    return tuple(proposals)


def _scalar(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def to_yaml(suggestions: tuple[Suggestion, ...], indent: int = 2) -> str:
    """The proposals as entries of a mapping's entries list, with a comment heading them."""
    if not suggestions:
        return ""
    dash, inner = " " * indent, " " * (indent + 2)
    lines = [f"{dash}# --- suggested by `kent-diff check --suggest`: each one is what the "
             "matcher says now,", f"{dash}# not what a reader agreed; check it against both "
             "reports before relying on it ---"]
    for s in suggestions:
        lines += [
            f"{dash}- id: {s.id}",
            f"{inner}kind: {s.kind}",
            f"{inner}old_quote: {_scalar(s.old_quote)}",
            f"{inner}new_paras: [{', '.join(str(p) for p in s.new_paras)}]",
            f"{inner}status: {s.status}",
            f"{inner}note: {_scalar(s.note)}",
        ]
    return "\n".join(lines) + "\n"


def entries_indent(text: str) -> int:
    """Column of the dash of the entries list's items (2 when the list is empty)."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "entries" and isinstance(value, yaml.SequenceNode) and value.value:
            first = value.value[0].start_mark
            line = text.splitlines()[first.line]
            return line.index("-") if "-" in line[:first.column] else max(first.column - 2, 0)
    return 2


def appended(text: str, mapping: Mapping, addition: str) -> str:
    """The mapping's text with the proposals appended, checked to extend its entries list and
    to leave every entry it had as it was; ValueError when appending cannot do that (the
    entries list is not the file's last field, or is written inline)."""
    if not addition:
        return text
    joined = text + ("" if text.endswith("\n") or not text else "\n") + addition
    try:
        extended = parse_mapping(joined, mapping.path)
    except InputError as error:
        raise ValueError(f"appending would not give a valid mapping ({error.problem}); the "
                         "entries list must be the file's last field") from None
    before = [(e.id, e.old_quote, e.new_paras, e.status) for e in mapping.entries]
    after = [(e.id, e.old_quote, e.new_paras, e.status) for e in extended.entries]
    if after[:len(before)] != before or len(after) <= len(before):
        raise ValueError("appending would not extend the entries list "
                         "(it must be the file's last field, written as a block list)")
    return joined
