"""A report extracted to Markdown (as PDF-to-Markdown converters write it, for language
models and notes) or to HTML (pdftohtml, a saved web page) read back as the plain text a
PDF extraction gives.

Such a converter marks headings with '#', emphasis with '**', turns the grade table into a
Markdown table, a page's number into a heading of its own ("## 2", often in the middle of
a paragraph the page break cut) and a web address into a link. Markdown is parsed with
markdown-it-py (rich's own Markdown parser) rather than by hand: escapes, entities, links,
inline HTML and nested lists are its business. Anything else passes through unchanged.
"""

from __future__ import annotations

import re

from diffing.text import BULLETS, NUMBERED, PAGE_NUMBER

_HEADING_LINE = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$",
                         re.MULTILINE)
_STRONG = re.compile(r"\*\*\S[^*\n]*\*\*")
_MERGED_COLUMN = re.compile(r"Col\d+")  # a converter's name for a merged cell's column
_BODY_TAG = re.compile(r"<body", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_)\u2019])\s?\[\d{1,2}\]")  # "schools [3]": a superscript
_BULLET_INSIDE = re.compile(f"\\s*(?=[{BULLETS}]\\s)")
# "**==> picture [81 x 41] intentionally omitted <==**" (docling's "<!-- image -->" is an
# HTML block, which is dropped with every other)
_PICTURE = re.compile(r"==>.*<==")

PAGE_BREAK = "\f"


def looks_like_markdown(text: str) -> bool:
    """Whether the text is Markdown: three or more '#' headings, a table's rule row, or
    five or more '**strong**' runs. A PDF's text has none of them."""
    if "#" not in text and "|" not in text and "**" not in text:
        return False  # most text, at once
    return (len(_HEADING_LINE.findall(text, 0, 200_000)) >= 3
            or _TABLE_RULE.search(text) is not None
            or len(_STRONG.findall(text, 0, 200_000)) >= 5)


def looks_like_html(text: str) -> bool:
    """Whether the text is an HTML document (it opens with a doctype or an html tag)."""
    opening = text.lstrip()[:500].lower()
    return opening.startswith(("<!doctype html", "<html", "<?xml")) \
        and _BODY_TAG.search(text) is not None


def plain_text(text: str) -> str:
    """The text of a Markdown document laid out as a PDF extraction lays it out: a line per
    heading, paragraphs apart, '•' before a bullet item and 'N.' before a numbered one, a
    table's cells on lines of their own (a judgement's label, then its grade), a form feed
    for a page-number heading. An HTML document's text is laid out alike: a line per
    paragraph, line break, table cell or list item, a form feed for each of pdftohtml's
    pages. Text that looks like neither is returned as it is."""
    if looks_like_html(text):
        from diffing.html_text import html_text  # the standard library's parser, on demand

        return html_text(text, PAGE_BREAK)
    if not looks_like_markdown(text):
        return text
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)
    out: list[str] = []
    prefixes: list[str] = []  # the marker each open list item has yet to print
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "list_item_open":
            number = token.info if token.markup in (".", ")") else ""
            prefixes.append(f"{number}. " if number else "\u2022 ")
        elif kind == "list_item_close":
            marker = prefixes.pop()
            if marker[:1].isdigit():  # an empty item: "1." alone, its text below it
                out.append(marker.strip() + "\n\n")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            out.append(_row(row))
            row = None
        elif kind == "table_close":
            out.append("\n")
        elif kind == "inline":
            opener = tokens[index - 1].type if index else ""
            words = _inline(token.children or [], heading=opener == "heading_open")
            if row is not None:
                row.append(words)
                continue
            if opener == "heading_open" and PAGE_NUMBER.match(words):
                out.append(PAGE_BREAK + "\n")
                continue
            if _PICTURE.fullmatch(words.strip()):
                continue  # where a converter left a picture out
            marker = ""
            if prefixes and prefixes[-1]:
                marker, prefixes[-1] = prefixes[-1], ""
                if NUMBERED.match(words):
                    # a numbered paragraph a converter took for a bullet item ("- 10.Children
                    # and families have access ..."): its own number is its marker
                    marker = ""
            out.append(marker + words + "\n\n")
        elif kind in ("code_block", "fence"):
            out.append(token.content + "\n")
    return "".join(out)


def _row(cells: list[str]) -> str:
    """A table row's cells, a line each, as a PDF's text gives a judgement's label and then
    its grade; a row of one cell (a merged cell a converter repeats in each column is one
    cell) is a box of text, such as a judgement's summary, and keeps its lines."""
    cells = [c for c in (c.strip() for c in cells) if c and not _MERGED_COLUMN.fullmatch(c)]
    kept = [c for i, c in enumerate(cells) if i == 0 or c.split() != cells[i - 1].split()]
    if len(kept) == 1:
        return kept[0] + "\n\n"
    return "".join(" ".join(c.split()) + "\n" for c in kept)


def _inline(children, heading: bool = False) -> str:
    """An inline run's words: line breaks kept, markup and tags gone, a link's words kept
    and its address dropped. A converter can run a heading, the list under it and the
    next heading into one heading ("What needs to improve ◼ The consistency of ...
    oversight. The experiences and progress of ... : Good"): in a heading, a bullet and
    each bold run after other words start lines of their own."""
    parts: list[str] = []
    closed = False  # a bold or italic run has just ended
    closed_run = False  # ... with nothing but spaces since
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            # "judgement is**inadequate**": a converter that drops the space between a
            # bold run and the words around it (a report emphasises whole words)
            if closed and parts and child.content[:1].isalpha() and parts[-1][-1:].isalpha():
                parts.append(" ")
            text = _FOOTNOTE_MARK.sub("", child.content)
            parts.append(_BULLET_INSIDE.sub("\n", text) if heading else text)
        elif kind in ("strong_open", "em_open") and parts:
            # a heading's bold runs are its lines in the PDF ("London Borough of Hackney
            # **Inspection of services for ...**", "**... help and** **protection: good**")
            if heading and (closed_run or parts[-1].strip()):
                parts.append("\n")
            elif parts[-1][-1:].isalpha():
                parts.append(" ")
        elif kind in ("softbreak", "hardbreak") or (
                kind == "html_inline" and _BREAK_TAG.fullmatch(child.content.strip())):
            parts.append("\n")
        closed = kind in ("strong_close", "em_close")
        if kind not in ("text", "code_inline") or child.content.strip():
            closed_run = closed
    return "".join(parts)
