"""The change brief: a GitHub-flavoured Markdown account of two inspections that a council
officer can paste into a committee paper (`kent-diff brief`, `compare --format markdown`).

Every piece of report text goes through `escape`, so nothing a report says can turn into
Markdown or HTML. The same comparison always gives the same bytes.
"""

from __future__ import annotations

import re

from diffing.model import Comparison, Finding, Report, Status
from reports import selection as view
from reports.selection import Item, Selection, reference

SECTION_TITLES = {
    "improved": "Improved",
    "persisting": "Persisting concerns",
    "new": "New concerns",
    "regressed": "Regressed",
    "not-reported": "Not mentioned in {new}",
    "sustained": "Sustained strengths",
    "new-strength": "New strengths",
}
_HEADLINE = ("improved", "persisting", "new", "regressed")
"""Sections the brief always has, saying "None" where empty."""

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")
_MARKS = {"improved": "▲", "declined": "▼", "unchanged": "=", "not-comparable": "·"}
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def escape(text: str) -> str:
    """Report text made inert: Markdown punctuation and HTML backslash-escaped, entities
    spelled out, whitespace folded to single spaces (a line break could start a block)."""
    text = " ".join(text.split())
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    # At the start of a line (a quotation) "1." or "-" would open a list, ">" a quotation.
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    return marker + "\\" if marker.isdigit() else "\\" + marker


def render(comparison: Comparison, selection: Selection | None = None) -> str:
    """The brief as Markdown text, ending in a newline."""
    selection = selection or Selection()
    old, new = comparison.old, comparison.new
    old_year, new_year = view.year_label(old, "old"), view.year_label(new, "new")
    authority = old.local_authority or new.local_authority
    title = f"{authority} children's services" if authority else "Children's services"
    out = [
        f"# {escape(title)}: Ofsted inspections of {old_year} and {new_year} compared",
        "",
        f"- **{old_year}:** {describe(old)}",
        f"- **{new_year}:** {describe(new)}",
        "",
        "## Summary",
        "",
        _summary(comparison),
        "",
    ]
    out += _new_listed(comparison)
    out += _grades(comparison)
    out += _recommendations(comparison)
    if selection.describe():
        out += [f"*This brief shows only {escape(selection.describe())}.*", ""]
    for group in view.groups(comparison, selection):
        if group.total or group.status in _HEADLINE or selection.statuses:
            out += _section(group, comparison, selection)
    out += _sources(comparison)
    return "\n".join(out).rstrip("\n") + "\n"


def describe(report: Report) -> str:
    """A report's framework, inspection dates and publication date, escaped."""
    parts = [escape(view.FRAMEWORK_NAMES.get(report.framework, report.framework))]
    if report.inspection_dates:
        parts.append(f"inspected {escape(report.inspection_dates)}")
    if report.published:
        parts.append(f"published {escape(report.published)}")
    return ", ".join(parts)


# --- summary -------------------------------------------------------------------------------

def _summary(comparison: Comparison) -> str:
    sentences = [_grade_sentence(comparison)]
    sentences.append(_recommendation_sentence(comparison))
    sentences.append(_improvement_sentence(comparison))
    sentences.append(_findings_sentence(comparison))
    return " ".join(s for s in sentences if s)


def _grade_sentence(comparison: Comparison) -> str:
    old_year = view.year_label(comparison.old, "the older report")
    new_year = view.year_label(comparison.new, "the newer report")
    both = [m for m in comparison.grades if m.old is not None and m.new is not None]
    only_old = [m for m in comparison.grades if m.old is not None and m.new is None]
    only_new = [m for m in comparison.grades if m.old is None and m.new is not None]
    if not comparison.grades:
        return "Neither inspection gives graded judgements."
    if not both:
        sentence = "The two inspections grade no judgement in common."
    else:
        moves = {change: [m for m in both if m.change == change]
                 for change in ("improved", "declined", "unchanged")}
        if len(moves["improved"]) == len(both):
            sentence = (f"{_all(len(both))} graded in both inspections improved")
        elif len(moves["declined"]) == len(both):
            sentence = (f"{_all(len(both))} graded in both inspections declined")
        elif len(moves["unchanged"]) == len(both):
            sentence = (f"{_all(len(both))} graded in both inspections kept "
                        f"{'its' if len(both) == 1 else 'their'} grade")
        else:
            parts = []
            for change, verb in (("improved", "improved"), ("declined", "declined"),
                                 ("unchanged", "stayed the same")):
                if moves[change]:
                    parts.append(f"{_number(len(moves[change]))} {verb}")
            sentence = (f"Of the {_number(len(both))} judgements graded in both inspections, "
                        f"{_join(parts)}")
        overall = next((m for m in both if m.area == "overall"), None)
        if overall is not None and overall.old != overall.new:
            sentence += f" (overall effectiveness from {overall.old} to {overall.new})"
        sentence += "."
    if only_old:
        names = _join([view.AREA_WORDS[m.area] for m in only_old])
        sentence += f" {_capital(names)} {_was(only_old)} graded in {old_year} only."
    if only_new:
        names = _join([view.AREA_WORDS[m.area] for m in only_new])
        sentence += f" {_capital(names)} {_was(only_new)} graded in {new_year} only."
    return sentence


_REC_PHRASES: dict[str, tuple[str, str]] = {
    "improved": ("shows progress", "show progress"),
    "persisting": ("persists", "persist"),
    "regressed": ("has regressed", "have regressed"),
    "sustained": ("is sustained", "are sustained"),
    "not-reported": ("is not mentioned in {new}", "are not mentioned in {new}"),
}


def _recommendation_sentence(comparison: Comparison) -> str:
    recommendations = view.old_recommendations(comparison)
    if not recommendations:
        return ""
    old_year = view.year_label(comparison.old, "the older report")
    new_year = view.year_label(comparison.new, "the newer report")
    board = sum(1 for f, _ in recommendations if f.section_kind == "lscb")
    total = len(recommendations)
    noun = "recommendation" if total == 1 else "recommendations"
    head = f"Of the {_number(total)} {noun} made in {old_year}"
    if board and board < total:
        head += f" ({_number(total - board)} to the council, {_number(board)} to the LSCB)"
    tally: dict[str, int] = {}
    for _, item in recommendations:
        status = item.status if item is not None else "not-reported"
        tally[status] = tally.get(status, 0) + 1
    parts = []
    for status in view.ORDER:
        if status in tally:
            singular, plural = _REC_PHRASES.get(status, (f"is {status}", f"are {status}"))
            phrase = singular if tally[status] == 1 else plural
            parts.append(f"{_number(tally[status])} {phrase.format(new=new_year)}")
    return f"{head}, {_join(parts)}."


def _improvement_sentence(comparison: Comparison) -> str:
    listed = [f for f in comparison.new.findings if f.kind in view.LISTED_KINDS]
    if not listed:
        return ""
    new_year = view.year_label(comparison.new, "the newer report")
    old_year = view.year_label(comparison.old, "the older report")
    status_of: dict[str, Status] = {}
    for item in view.items(comparison):
        for finding in item.new:
            status_of.setdefault(finding.id, item.status)
    fresh = sum(1 for f in listed if status_of.get(f.id, "new") in ("new", "new-strength"))
    followed = len(listed) - fresh
    kind = ("recommendations" if all(f.kind == "recommendation" for f in listed)
            else "things that need to improve")
    if len(listed) == 1:
        kind = "recommendation" if listed[0].kind == "recommendation" else "thing to improve"
    parts = []
    if fresh:
        parts.append(f"{_number(fresh)} {'is' if fresh == 1 else 'are'} new")
    if followed:
        parts.append(f"{_number(followed)} {'follows' if followed == 1 else 'follow'} "
                     f"up {old_year} findings")
    return f"The {new_year} report lists {_number(len(listed))} {kind}: {_join(parts)}."


def _findings_sentence(comparison: Comparison) -> str:
    tally = view.counts(view.items(comparison))
    old_year = view.year_label(comparison.old, "the older report")
    new_year = view.year_label(comparison.new, "the newer report")
    concerns = "concern" if tally["improved"] == 1 else "concerns"
    parts = [
        f"{tally['improved']} {concerns} from {old_year} improved",
        f"{tally['persisting']} {'persists' if tally['persisting'] == 1 else 'persist'}",
        f"{tally['new']} new {'concern is' if tally['new'] == 1 else 'concerns are'} raised",
        f"{tally['regressed']} {'strength' if tally['regressed'] == 1 else 'strengths'} "
        "regressed",
    ]
    unreported = tally["not-reported"]
    return (f"Across all findings, {_join(parts)}; {unreported} "
            f"{'finding' if unreported == 1 else 'findings'} from {old_year} "
            f"{'is' if unreported == 1 else 'are'} not mentioned in {new_year}.")


def _new_listed(comparison: Comparison) -> list[str]:
    """The newer report's own list (What needs to improve, or recommendations), each with
    where it stands against the older report."""
    listed = [f for f in comparison.new.findings if f.kind in view.LISTED_KINDS]
    if not listed:
        return []
    new_year = view.year_label(comparison.new, "the newer report")
    first: dict[str, Item] = {}
    for item in view.items(comparison):
        for finding in item.new:
            first.setdefault(finding.id, item)
    heading = ("recommends" if all(f.kind == "recommendation" for f in listed)
               else "says needs to improve")
    lines = [f"What the {new_year} report {heading}:", ""]
    for number, finding in enumerate(listed, 1):
        item = first.get(finding.id)
        status = item.status if item is not None else "new"
        where = status.replace("-", " ")
        if item is not None and item.old is not None:
            where += f"; linked to {reference(item.old, comparison.old)}"
            if item.old.kind not in view.LISTED_KINDS:
                where += f": “{view.shorten(item.old.text, 10)}”"
        lines.append(f"{finding.item or number}. {escape(finding.text)} *({escape(where)})*")
    return lines + [""]


def _number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def _all(n: int) -> str:
    if n == 1:
        return "The one judgement"
    if n == 2:
        return "Both judgements"
    return f"All {_number(n)} judgements"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _was(moves: list) -> str:
    return "was" if len(moves) == 1 else "were"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- tables --------------------------------------------------------------------------------


def _grades(comparison: Comparison) -> list[str]:
    if not comparison.grades:
        return []
    old_year = view.year_label(comparison.old, "old")
    new_year = view.year_label(comparison.new, "new")
    if old_year == new_year:
        old_year, new_year = "Older", "Newer"
    lines = [
        "## Grades",
        "",
        f"| Judgement | {old_year} | {new_year} | Change |",
        "|---|---|---|---|",
    ]
    for move in comparison.grades:
        lines.append(
            f"| {view.AREA_NAMES.get(move.area, move.area)} | {move.old or 'not graded'} | "
            f"{move.new or 'not graded'} | {_MARKS[move.change]} "
            f"{move.change.replace('-', ' ')} |"
        )
    lines.append("")
    if comparison.new.framework == "ilacs" and _shared_care_judgement(comparison.new):
        lines += [
            "ILACS gives one judgement for children in care and care leavers; both rows "
            "show it.",
            "",
        ]
    return lines


def _shared_care_judgement(report: Report) -> bool:
    grade = report.grade("children-in-care")
    return grade is not None and grade == report.grade("care-leavers")


def _recommendations(comparison: Comparison) -> list[str]:
    recommendations = view.old_recommendations(comparison)
    if not recommendations:
        return []
    old_year = view.year_label(comparison.old, "old")
    new_year = view.year_label(comparison.new, "new")
    lines = [
        f"## The {old_year} recommendations in {new_year}",
        "",
        f"| No. | {old_year} recommendation (opening) | In {new_year} | Evidence |",
        "|---|---|---|---|",
    ]
    for finding, item in recommendations:
        number = f"{'LSCB ' if finding.section_kind == 'lscb' else ''}{finding.item}"
        status = item.status if item is not None else "not-reported"
        where = ", ".join(_short_reference(f, comparison.new) for f in item.new) if item else ""
        lines.append(
            f"| {number} | {escape(view.shorten(finding.text, 16))} | "
            f"{status.replace('-', ' ')} | {where or '–'} |"
        )
    return lines + [""]


def _short_reference(finding: Finding, report: Report) -> str:
    year = view.year_label(report, "")
    return escape(reference(finding, report).removeprefix(year).strip())


# --- sections ------------------------------------------------------------------------------


def _section(group: view.Group, comparison: Comparison, selection: Selection) -> list[str]:
    new_year = view.year_label(comparison.new, "the newer report")
    title = SECTION_TITLES[group.status].format(new=new_year)
    about = _capital(view.describe_status(group.status, comparison))
    lines = [f"## {title}", ""]
    if group.total == 0:
        return lines + [f"None: no {view.describe_status(group.status, comparison)}.", ""]
    listed = [i for i in group.items if i.listed]
    others = [i for i in group.items if not i.listed]
    count = f"{about}: {group.total}."
    if listed:
        count += f" {_listed_count(listed, comparison)} first."
    lines += [count, ""]
    for item in listed:
        lines += _listed_item(item, comparison)
    if others:
        if listed:
            label = "Other findings"
            if group.hidden:
                label += f", the {_number(len(others))} strongest pairs" if (
                    group.status not in ("new", "new-strength")
                ) else f", the first {_number(len(others))}"
            lines += [f"### {label}", ""]
        for item in others:
            lines += _other_item(item, comparison)
        lines.append("")
    if group.hidden:
        things = "finding" if group.hidden == 1 else "findings"
        lines += [
            f"*… and {group.hidden} more {things}: `kent-diff compare --only "
            f"{group.status}` lists them all.*",
            "",
        ]
    return lines


def _listed_count(listed: list[Item], comparison: Comparison) -> str:
    old_recs = sum(1 for i in listed if i.old is not None and i.old.kind == "recommendation")
    rest = len(listed) - old_recs
    parts = []
    if old_recs:
        parts.append(f"{_number(old_recs)} "
                     f"{'recommendation' if old_recs == 1 else 'recommendations'}")
    if rest:
        parts.append(f"{_number(rest)} listed improvement {'point' if rest == 1 else 'points'}")
    return _capital(_join(parts)) + (" come" if len(listed) > 1 else " comes")


def _listed_item(item: Item, comparison: Comparison) -> list[str]:
    lead = item.old if item.old is not None and item.old.kind in view.LISTED_KINDS else None
    if lead is None:
        lead = next(f for f in item.new if f.kind in view.LISTED_KINDS)
    report = comparison.old if lead is item.old else comparison.new
    name = escape(view.gist(item, comparison))
    lines = [f"### {_capital(escape(reference(lead, report)))}: {name}", ""]
    if item.old is not None:
        lines += _quote(item.old, comparison.old)
    for finding in item.new:
        lines += _quote(finding, comparison.new)
    if item.old is None or not item.new:
        lines += [f"*{_unpaired(item, comparison)}*", ""]
    else:
        lines += [f"*{_note(item, comparison)}*", ""]
    return lines


def _quote(finding: Finding, report: Report) -> list[str]:
    return [f"**{_capital(escape(reference(finding, report)))}**", "", f"> {escape(finding.text)}",
            ""]


def _other_item(item: Item, comparison: Comparison) -> list[str]:
    lines = [f"- **{escape(view.gist(item, comparison))}**"]
    if item.old is not None:
        lines.append(f"  - {_inline(item.old, comparison.old)}")
    for finding in item.new:
        lines.append(f"  - {_inline(finding, comparison.new)}")
    return lines


def _inline(finding: Finding, report: Report) -> str:
    return f"{_capital(escape(reference(finding, report)))}: “{escape(finding.text)}”"


def _note(item: Item, comparison: Comparison) -> str:
    old_year = view.year_label(comparison.old, "older")
    new_year = view.year_label(comparison.new, "newer")
    how = {
        "exact": "The same words in both reports",
        "curated": "A curated pairing",
        "fuzzy": "Paired by the scorer",
        "reverse": f"Paired from the {new_year} text back to a close {old_year} finding",
    }.get(item.matched_by, f"Paired ({item.matched_by})")
    note = f"{how} (score {item.score:.2f})"
    if item.also:
        numbers = ", ".join(str(p) for p in item.also)
        if len(item.also) == 1:
            note += f"; {new_year} paragraph {numbers} also speaks to it"
        else:
            note += f"; {new_year} paragraphs {numbers} also speak to it"
    return note + "."


def _unpaired(item: Item, comparison: Comparison) -> str:
    old_year = view.year_label(comparison.old, "the older report")
    new_year = view.year_label(comparison.new, "the newer report")
    if item.old is None:
        return f"Nothing in the {old_year} report was paired with this."
    return f"Nothing in the {new_year} report was paired with this."


def _sources(comparison: Comparison) -> list[str]:
    return sources([(view.year_label(comparison.old, "old"), comparison.old),
                    (view.year_label(comparison.new, "new"), comparison.new)])


def sources(reports: list[tuple[str, Report]]) -> list[str]:
    """The "Sources" section: each report with its label, then the licence attribution."""
    lines = ["## Sources", ""]
    for label, report in reports:
        parts = [f"*{escape(report.title)}*", describe(report), f"read from {escape(report.path)}"]
        lines.append(f"- {label}: " + "; ".join(parts) + ".")
    lines += [
        "",
        "Contains public sector information licensed under the "
        f"[Open Government Licence v3.0]({OGL}). Crown copyright, Ofsted.",
        "",
        "Generated by kent-diff, which pairs findings automatically: check each quotation "
        "against the report before relying on it.",
    ]
    return lines
