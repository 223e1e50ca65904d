"""An HTML document's text laid out as a PDF extraction lays it out (see diffing.markup)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SPACES = " \t\u00a0"  # not the form feed that marks a page
_HTML_SKIP = frozenset({"head", "style", "script", "title", "template"})
_HTML_BLOCKS = frozenset({"p", "div", "br", "tr", "td", "th", "table", "ul", "ol", "li", "h1",
                          "h2", "h3", "h4", "h5", "h6", "hr", "section", "article", "header",
                          "footer", "blockquote", "pre", "dt", "dd", "caption"})
_HTML_PAGE = re.compile(r"page\d+-div")  # pdftohtml's <div id="page3-div">


class _HtmlText(HTMLParser):
    """An HTML document's words, a line break at each block element's edges."""

    def __init__(self, page_break: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_break = page_break
        self.parts: list[str] = []
        self.skipping = 0
        self.seen_words = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HTML_SKIP:
            self.skipping += 1
        elif tag in _HTML_BLOCKS:
            named = dict(attrs)
            if tag == "div" and _HTML_PAGE.fullmatch(named.get("id") or "") and self.seen_words:
                self.parts.append(self.page_break + "\n")
            elif tag == "p" and "absolute" in (named.get("style") or ""):
                # a line (or lines) of a page that pdftohtml placed, not a paragraph:
                # only an empty line inside marks where a paragraph ends
                self.parts.append("" if self.parts[-1:] == ["\n"] else "\n")
            else:
                self.parts.append("\n\n")
            if tag == "li":
                self.parts.append("\u2022 ")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _HTML_BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping or (not data.strip() and self.parts[-1:] in (["\n"], ["\n\n"])):
            return  # the source's own line breaks between elements
        self.parts.append(data.replace("\n", " "))
        self.seen_words = self.seen_words or bool(data.strip())


def html_text(text: str, page_break: str) -> str:
    """The document's text: a line per paragraph, line break, table cell or list item
    ('•' before it), `page_break` on a line where each of pdftohtml's pages begins."""
    parser = _HtmlText(page_break)
    parser.feed(text)
    parser.close()
    # pdftohtml sets an empty line of a no-break space here and there
    lines = [line.strip(_SPACES) if line.strip(_SPACES) in ("", page_break)
             else line.rstrip(_SPACES) for line in "".join(parser.parts).split("\n")]
    # no more than one empty line in a row, as a PDF's text has them
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept)
