"""Read an inspection report (PDF or extracted text) into the typed Report model.

The stages: clean the text (page furniture, back matter, address blocks, double
spacing), cut it into headed sections and paragraphs, split paragraphs into
findings, and read the metadata and grades. What a heading or a grade label
looks like lives in mappings/frameworks.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from diffing import markup
from diffing.errors import InputError
from diffing.extract import extract_text
from diffing.mappings import Frameworks, SectionRule, load_frameworks, phrase_pattern
from diffing.model import (
    AREAS,
    Area,
    Finding,
    FindingKind,
    Framework,
    Grade,
    GradeEntry,
    Report,
    Section,
    SectionKind,
)
from diffing.polarity import CueLexicon, default_cues, opens_with_imperative, polarity
from diffing.sources import file_bytes
from diffing.text import BULLETS, NUMBERED, PAGE_NUMBER, fold

# Kinds of section that are a list of items (recommendations, "What needs to improve").
_LIST_SECTIONS = ("recommendations", "improvements")
# Glyphs PDFs use for list bullets (Wingdings and Symbol private-use code points among them).
_BULLET_RE = re.compile(f"^\\s*[{BULLETS}]\\s*")
# Plain-text bullets a typed or converted copy of a report may put in its lists ("- ",
# "* ", "o ", "a) "), read as bullets in a list section only.
_LIST_BULLET_RE = re.compile(r"^\s*(?:[-*o\u2013]|\(?[a-z]\))\s+(?=\S)")
_SOFT_BREAK = re.compile("\u00ad *\n")
# Typographic ligatures some extractions keep ("\ufb01nd", U+FB00 to U+FB06): spelt out as
# Unicode's compatibility form gives them, so a finding's text reads and matches as the
# report's words do.
_LIGATURES = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c))
                            for c in range(0xFB00, 0xFB07)})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# C0 controls but tab, newline and form feed; DEL; C1 controls (\x9b opens a terminal
# escape sequence as ESC [ does)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_FOOTNOTE = re.compile(rf"^\s*\d{{1,2}} (?!(?:{_MONTHS})\b)[A-Z\u2018\u201c]")
_CONTENTS_ENTRY = re.compile(r"[A-Za-z)?]\s+\d{1,3}\s*$")
_TERMINAL = re.compile(r"[.!?:;][\"'\u2019\u201d)]*\s*$")
_DATES = re.compile(r"inspection dates?\s*:?\s*(.+)", re.IGNORECASE)
_PUBLISHED = re.compile(r"report published\s*:?\s*(.+)", re.IGNORECASE)
_META_LABEL = re.compile(r"\s+(?=(?:inspection dates?|report published|lead inspector)\s*:)",
                         re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "mr.", "mrs.", "ms.", "dr.", "no.", "st.", "vs.")
_MARKER = re.compile(r"^\(\s*[A-Za-z ]{2,30}\)\.?$")
_LEADING_MARKER = re.compile(r"^(\(\s*[A-Za-z ]{2,30}\)\.?)\s+(\S.*)$", re.DOTALL)
_FOOTNOTE_DIGIT = re.compile(r"(?<=[a-z)?])\d{1,2}$")
_LETTER_AUTHORITY = re.compile(r"(?:focused|monitoring) visit to (.+?) children", re.IGNORECASE)
_ILACS_AUTHORITY = re.compile(r"inspection of (.+?) (?:local authority )?children", re.IGNORECASE)
# where a converter runs the cover into one line, the report's own title after the council's
# name: "Kent County Council Inspection of services for children ...", "Hackney Inspection of
# children's social care services"
_TITLE_AFTER_NAME = re.compile(r"\s+(?:re-?\s?)?inspection of\b", re.IGNORECASE)
_NAMES_COUNCIL = re.compile(r"\b(?:council|borough of|city of|county of)\b", re.IGNORECASE)
_COUNCIL_KINDS = "borough|county|city|district"
# a line that goes on with a council's name wrapped from the line before
_GOES_ON_NAME = re.compile(rf"(?:council|metropolitan|{_COUNCIL_KINDS})\b", re.IGNORECASE)
_COUNCIL_WORDS = re.compile(
    r"^(?:the\s+)?(?:(?:royal|london)\s+borough\s+of|city\s+of|county\s+of)\s+"
    rf"|\s+(?:metropolitan\s+borough|{_COUNCIL_KINDS})?\s*(?:council)?\s*$",
    re.IGNORECASE,
)


@dataclass
class _Block:
    """A paragraph, list item or heading while the report is being cut up."""

    lines: list[str]
    heading: SectionRule | None = None
    graded: bool = False
    """A heading that states its grade ("... protection: good")."""
    subheading: bool = False
    number: int | None = None
    bullet: bool = False
    section: int = 0


_GAP = re.compile(r"  +")
_WORD_END = re.compile(r"[^\W\d_]+$")
_WORD_START = re.compile(r"[^\W\d_]+")
_PUNCTUATION = "!\"#%&'()*,-./:;?@[]_{}\u2018\u2019\u201c\u201d\u2013\u2014"


def _rejoin_split_words(text: str) -> str:
    """Words a layout extraction split with a wide gap ("wo        rkers", "a     bout":
    pypdf's layout mode spreads justified lines) joined again, where the report uses
    the joined word elsewhere and one of the two pieces is no word of it."""
    gaps = []  # (gap start, gap end, left piece, right piece), between two letters
    for m in _GAP.finditer(text):
        start, end = m.span()
        if 0 < start and end < len(text) and text[start - 1].isalpha() and text[end].isalpha():
            left = _WORD_END.search(text, max(0, start - 40), start)
            right = _WORD_START.match(text, end)
            if left and right:
                gaps.append((start, end, left.group(0).lower(), right.group(0).lower()))
    if not gaps:
        return text
    lowered = text.lower()
    gaps = [gap for gap in gaps if gap[2] + gap[3] in lowered]  # joined, found elsewhere
    if not gaps:
        return text
    # the report's words, but for the pieces around the gaps themselves
    words = Counter(token.strip(_PUNCTUATION) for token in lowered.split())
    words.subtract(piece for _, _, left, right in gaps for piece in (left, right))
    out, last = [], 0
    for start, end, left, right in gaps:
        if words[left + right] > 0 and (words[left] <= 0 or words[right] <= 0):
            out.append(text[last:start])
            last = end
    return "".join(out) + text[last:]


_HYPHENATED = re.compile(r"\b(\w+)-(\w+)\b")
_WORD = re.compile(r"\w+")
# A glued form is taken for one that lost its hyphen at a line end only where the report
# writes the hyphenated form more than this many times as often: authors are not always
# consistent ("front-line" and "frontline", "Health and Wellbeing Board" beside "well-being").
_GLUED_RATIO = 2


def _kept_line_end_hyphens(text: str) -> bool:
    """Whether some word is still hyphenated across a line end ("multi-" / "agency")."""
    at = text.find("-\n")
    while at != -1:
        if 0 < at and text[at - 1].isalpha() and text[at + 2:at + 3].isalpha():
            return True
        at = text.find("-\n", at + 2)
    return False


def _rehyphenate_glued_words(text: str) -> str:
    """Words an extraction glued where a hyphen broke them at a line end ("multi-" /
    "agency" as "multiagency": pdftotext's plain text, some Markdown converters) given
    their hyphen again, where the report mostly writes them hyphenated. A text with any
    word still hyphenated across a line end kept them all, and is left as it is."""
    if _kept_line_end_hyphens(text):
        return text
    lowered = text.lower()
    hyphenated: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for m in _HYPHENATED.finditer(lowered):
        if m.group(1).isalpha() and m.group(2).isalpha():
            key = m.group(1) + m.group(2)
            hyphenated[key] += 1
            spelling.setdefault(key, m.group(0))
    if not hyphenated:
        return text
    glued = Counter(w for w in _WORD.findall(lowered) if w in hyphenated)
    restored = sorted(key for key, n in glued.items() if hyphenated[key] > _GLUED_RATIO * n)
    if not restored:
        return text
    # only a word in lower case: a capitalised one may be a name ("Health and Wellbeing")
    words = re.compile(r"\b(?:" + "|".join(map(re.escape, restored)) + r")\b")
    return words.sub(lambda m: spelling[m.group(0)], text)


@dataclass
class _State:
    frameworks: Frameworks
    sections: list[Section] = field(default_factory=list)


def read_report(path: str | Path, data: bytes | None = None) -> Report:
    """Read a report from a path (or from `data`, with `path` naming where it came from)."""
    name = str(path)
    if data is None:
        data = file_bytes(Path(path), name)
    return parse_text(extract_text(data, name), name)


def parse_text(text: str, path: str = "-", cues: CueLexicon | None = None) -> Report:
    """Build a Report from a report's text."""
    frameworks = load_frameworks()
    cues = cues or default_cues()
    text = _INVISIBLE.sub("", text).translate(_LIGATURES)
    marked = "\ufffe" in text  # pdfium's mark of each hyphen it read: none was lost
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
    text = markup.plain_text(text)  # Markdown or HTML, as a PDF extraction lays it out
    # a soft hyphen shows only where a line breaks (pdfium's U+FFFE above marks every
    # hyphen at a line end, "pre-" / "school" among them); inside a line it is invisible
    text = _SOFT_BREAK.sub("-\n", text).replace("\u00ad", "")
    text = text.replace("\t", " ").replace("\u00a0", " ")
    text = _rejoin_split_words(_CONTROL.sub("", text))
    if not marked:
        text = _rehyphenate_glued_words(text)
    opening = fold(text[: frameworks.opening_chars])
    framework = detect_framework(opening, frameworks)
    if framework is None:
        other = other_publication(opening, frameworks)
        if other is not None:
            raise InputError(path, f"a {other}, not an inspection kent-diff reads "
                             "(it reads SIF and ILACS inspections and focused visits)")
        raise InputError(path, "not an Ofsted children's services inspection report "
                         "(no SIF, ILACS or focused visit title found)")
    lines = _grades_after_labels(_cover_lines(_clean_lines(text, frameworks)), frameworks)
    title, authority, dates, published = _metadata(lines, framework)
    body = _body_lines(lines, framework, frameworks)
    blocks = _blocks(body, frameworks, framework, cues)
    sections, findings = _findings(blocks, framework, cues)
    if not findings:
        raise InputError(path, "no findings could be read from the report")
    folded = " ".join(filter(None, map(fold, lines)))
    grades = () if framework == "focused-visit" else _grades(folded, frameworks)
    year_match = _YEAR.findall(dates or "")
    years = [int(m.group(0)) for m in _YEAR.finditer(dates or "")]
    return Report(
        path=path,
        title=title,
        local_authority=authority,
        framework=framework,
        inspection_dates=dates,
        year=years[-1] if year_match else None,
        grades=grades,
        sections=tuple(sections),
        findings=tuple(findings),
        published=published,
    )


def other_publication(opening: str, frameworks: Frameworks) -> str | None:
    """The name of the other Ofsted publication whose title the folded opening has, if any."""
    head = opening[: frameworks.title_chars]
    for name, titles in frameworks.other_publications:
        if phrase_pattern(titles).search(head):
            return name
    return None


def detect_framework(opening: str, frameworks: Frameworks) -> Framework | None:
    """The framework whose title phrase the folded opening text contains, if any."""
    head = opening[: frameworks.title_chars]
    for framework, titles, confirming in frameworks.detect:
        if phrase_pattern(titles).search(head):
            if confirming and not phrase_pattern(confirming).search(opening):
                continue
            return framework
    return None


# --- cleaning ---------------------------------------------------------------


_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1 << 14)  # asked of each line three or four times
def _digit_shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _clean_lines(text: str, frameworks: Frameworks) -> list[str]:
    """Lines of the report with page furniture and back matter removed."""
    pages = text.split("\f")
    furniture = _running_lines(pages)
    if len(pages) == 1 and furniture:
        pages = _pages_at_furniture(pages[0], furniture)
    lines: list[str] = []
    open_end = False  # the page before ended inside a paragraph
    paged = [page.split("\n") for page in pages]
    for number, rows in enumerate(paged):
        if len(paged) > 1:
            following = paged[number + 1] if number + 1 < len(paged) else []
            rows = _without_numbered_footnotes(rows, furniture,
                                               _footer_above(rows, following, furniture))
        rows = _numbers_beside(_without_furniture(rows, furniture, first=number == 0),
                               open_end)
        filled = [row for row in rows if row.strip()]
        open_end = bool(filled) and not _ENDS.search(filled[-1])
        if len(paged) > 1:
            # a page break is no paragraph break: blank lines at a page's edges go
            # (pdftotext ends each page with one)
            while rows and not rows[-1].strip():
                rows.pop()
            while rows and not rows[0].strip():
                rows.pop(0)
            rows = _drop_footnotes(rows)
        lines += rows
    lines = _drop_contents(_undouble(lines))
    back = phrase_pattern(frameworks.back_matter)
    for index, line in enumerate(lines):
        if index > 20 and back.match(fold(line)):
            return lines[:index]
    return lines


def _cover_lines(lines: list[str]) -> list[str]:
    """The cover's lines with a line that runs on into "Inspection dates:", "Report
    published:" or "Lead inspector:" read as the lines it was (a converter that joins
    the cover's lines into one heading or table cell)."""
    head = [part for line in lines[:_COVER_LINES] for part in _META_LABEL.split(line)]
    return head + lines[_COVER_LINES:]


_COVER_LINES = 80
"""Lines at the top of a report where its cover (title, dates, inspector) is looked for."""


def _pages_at_furniture(text: str, furniture: set[str]) -> list[str]:
    """Text whose page breaks were lost (pages joined by newlines), cut back into pages
    where each run of running headers and footers begins: what a page ends with (its
    footnotes) is then known, as in text that kept its breaks."""
    rows = text.split("\n")
    starts = [0]
    for index, row in enumerate(rows):
        if _is_furniture(row, furniture):
            previous = next((j for j in range(index - 1, -1, -1) if rows[j].strip()), None)
            if previous is not None and previous >= starts[-1] \
                    and not _is_furniture(rows[previous], furniture):
                starts.append(index)
    return ["\n".join(rows[a:b]) for a, b in zip(starts, [*starts[1:], len(rows)], strict=True)]


def _is_furniture(row: str, furniture: set[str]) -> bool:
    """A page number, or a running header or footer (by its digit-blind shape)."""
    return bool(PAGE_NUMBER.match(row)) or _digit_shape(row) in furniture


_BREAK = "\f"  # where page furniture stood, until the blank lines around it are gone


def _without_furniture(rows: list[str], furniture: set[str], first: bool = False) -> list[str]:
    """Rows without running headers, footers and page numbers. In text whose page breaks
    were lost, the blank lines around the furniture go too: a page break is no
    paragraph break. The report's first line (`first`: this is its first page) is its
    title, even where a footer repeats it word for word (an extraction that unwraps the
    title's two lines into one)."""
    marked = [_BREAK if _is_furniture(row, furniture) else row.rstrip() for row in rows]
    opening = next((i for i, row in enumerate(rows) if row.strip()), None) if first else None
    if opening is not None:
        marked[opening] = rows[opening].rstrip()
    out: list[str] = []
    pending: list[str] = []
    for row in marked:
        if row == _BREAK or not row.strip():
            pending.append(row)
            continue
        if _BREAK not in pending:
            out += pending
        pending = []
        out.append(row)
    return out + [row for row in pending if row != _BREAK]


_NUMBER_ALONE = re.compile(r"\s*(\d{1,3})\.\s*")
_ENDS = re.compile(r"[.!?:;)\"'\u2019\u201d]\s*$")  # a paragraph's end ("... (recommendation)")


def _numbers_beside(rows: list[str], open_end: bool = False) -> list[str]:
    """A page whose paragraph numbers were printed apart from their paragraphs put back
    together. pdfminer lays a page's column of numbers out as its own blocks ("1.", "2.",
    "3.", a blank line between each), before or after the paragraphs they number; each
    number goes back to the start of its paragraph. A run of k numbers takes the k
    paragraphs that follow it (past the end of a paragraph the page before began), or
    else the k that end just above it, or else those just above and below it where they
    are k together; otherwise nothing moves. `open_end`: the page before ended inside a
    paragraph, which this page's first block ends."""
    spans: list[tuple[int, int]] = []  # blocks of filled rows: (first, last) row
    for index, row in enumerate(rows):
        if not row.strip():
            continue
        if spans and spans[-1][1] == index - 1:
            spans[-1] = (spans[-1][0], index)
        else:
            spans.append((index, index))
    alone = [_NUMBER_ALONE.fullmatch(rows[a]) if a == b else None for a, b in spans]
    if not any(alone):
        return rows
    last_text = max((k for k, m in enumerate(alone) if m is None), default=-1)
    first_text = next((k for k, m in enumerate(alone) if m is None), -1)

    def kind(k: int) -> str:
        if alone[k]:
            return "number"
        first = rows[spans[k][0]].strip()
        if k == first_text and open_end:
            return "continues"
        if NUMBERED.match(first) or not (first[:1].isupper() or first[:1] in "\u2018\u201c\"'"):
            return "continues" if first[:1].islower() else "other"
        text = rows[spans[k][1]]
        return "paragraph" if _ENDS.search(text) or k == last_text else "other"

    kinds = [kind(k) for k in range(len(spans))]
    prefix: dict[int, int] = {}  # block -> its number
    gone: set[int] = set()
    k = 0
    while k < len(spans):
        if kinds[k] != "number":
            k += 1
            continue
        run = [k]
        while run[-1] + 1 < len(spans) and kinds[run[-1] + 1] == "number" \
                and int(alone[run[-1] + 1].group(1)) == int(alone[run[-1]].group(1)) + 1:
            run.append(run[-1] + 1)
        after, j = [], run[-1] + 1
        while j < len(spans) and kinds[j] == "continues" and not after:
            j += 1
        while j < len(spans) and kinds[j] == "paragraph" and j not in prefix:
            after.append(j)
            j += 1
        before, j = [], run[0] - 1
        # the paragraph just above a column printed after the page's text may run on to
        # the next page ("... next steps. Good" | "management oversight is evident")
        # (a paragraph, not a one-line heading: "Recommendations" above a column of
        # numbers OCR printed apart)
        if j >= 0 and kinds[j] == "other" and j not in prefix \
                and rows[spans[j][0]].strip()[:1].isupper() \
                and (spans[j][1] > spans[j][0] or len(rows[spans[j][0]].split()) > 6):
            before.insert(0, j)
            j -= 1
        while j >= 0 and kinds[j] == "paragraph" and j not in prefix:
            before.insert(0, j)
            j -= 1
        if len(after) >= len(run):
            targets = after[:len(run)]
        elif len(before) >= len(run):
            targets = before[-len(run):]
        elif len(before) + len(after) == len(run):  # the column beside both
            targets = before + after
        else:
            targets = run[:0]  # nowhere to go: the numbers stay
        for number, target in zip(run[:len(targets)], targets, strict=True):
            prefix[target] = int(alone[number].group(1))
            gone.add(number)
        k = run[-1] + 1
    if not gone:
        return rows
    out = list(rows)
    for block, number in prefix.items():
        first = spans[block][0]
        out[first] = f"{number}. {out[first].strip()}"
    drop = {row for block in gone for row in range(spans[block][0], spans[block][1] + 2)
            if row < len(rows) and (row == spans[block][0] or not rows[row].strip())}
    return [row for index, row in enumerate(out) if index not in drop]


_LONE_NUMBER = re.compile(r"\s*\d{1,2}\s*")
_FOOTNOTE_ROWS = 12
"""At most this many filled rows (footnotes, running header and footer, page number) follow
the first footnote's number at a page's foot."""


def _footer_above(rows: list[str], following: list[str], furniture: set[str]) -> bool:
    """Whether this page's footer was printed at the top of the next page (pdftotext
    -raw: each page opens with its running header and the page number, and ends with
    its text): the page then ends in text, and the next page's top has furniture."""
    foot = [row for row in rows if row.strip()][-1:]
    top = [row for row in following if row.strip()][:3]
    return (bool(foot) and not _is_furniture(foot[0], furniture)
            and any(_is_furniture(row, furniture) for row in top))


def _without_numbered_footnotes(rows: list[str], furniture: set[str],
                                footer_above: bool = False) -> list[str]:
    """A page without the footnotes whose numbers stand alone on their lines above their
    text (pdftotext's order), which would otherwise land inside the paragraph the page
    ends with: from the first such number near the page's foot, above the page number or
    footer, everything goes."""
    filled = [index for index, row in enumerate(rows) if row.strip()]
    for position, index in enumerate(filled[1:], 1):
        after = filled[position + 1:]
        if len(after) > _FOOTNOTE_ROWS:
            continue
        if not after or not _LONE_NUMBER.fullmatch(rows[index]):
            continue
        # a page number may also stand alone above a paragraph (pdftotext prints it where
        # it falls): a footnote's number has the page number, or the running footer, still
        # to come below it (or, where the footer went to the next page's top, nothing)
        if footer_above:
            # the page's last rows, one block, ending a sentence: nothing else follows it
            if after != list(range(after[0], after[0] + len(after))) \
                    or not _TERMINAL.search(rows[after[-1]]):
                continue
        elif not any(_is_furniture(rows[later], furniture) for later in after[1:]):
            continue
        text = rows[after[0]].strip()
        if text[:1].isupper() and len(text.split()) >= 3:
            return _above(rows, index)
    return rows


def _above(rows: list[str], index: int) -> list[str]:
    """The rows above `index`, without the blank ones that end them: the gap above a page's
    footnotes goes with them."""
    kept = rows[:index]
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def _drop_footnotes(rows: list[str]) -> list[str]:
    """A page without its footnotes ("1 The areas for improvement have been ..."), which
    follow the page's text and would otherwise land inside the paragraph it breaks."""
    filled = [index for index, row in enumerate(rows) if row.strip()]
    for index in filled[-6:]:
        if _FOOTNOTE.match(rows[index]) and len(rows[index].split()) >= 4:
            return _above(rows, index)
    return rows


def _drop_contents(lines: list[str]) -> list[str]:
    """Lines without the contents page: "Contents" and the entries under it, which end in
    page numbers (an entry may wrap, its number on the second line)."""
    start = next((i for i, line in enumerate(lines[:400]) if fold(line) == "contents"), None)
    if start is None:
        return lines
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if not line.strip() or _CONTENTS_ENTRY.search(line):
            end += 1
            continue
        following = next((j for j in range(end + 1, min(end + 3, len(lines)))
                          if lines[j].strip()), None)
        if following is not None and _CONTENTS_ENTRY.search(lines[following]) \
                and not _TERMINAL.search(line):
            end = following + 1
            continue
        break
    return lines[: start + 1] + lines[end:]


def _running_lines(pages: list[str]) -> set[str]:
    """Digit-blind shapes of running headers and footers."""
    if len(pages) >= 3:
        seen: Counter[str] = Counter()
        for page in pages:
            rows = [line for line in page.split("\n") if line.strip()]
            edge = rows[:3] + rows[-3:]
            seen.update({_digit_shape(line) for line in edge if len(line.split()) >= 2})
        need = max(3, len(pages) // 3)
        return {shape for shape, count in seen.items() if count >= need}
    # Text without page breaks: a header is a recurring line that carries a date
    # or page number, or stands next to one that does.
    rows = [line for line in pages[0].split("\n") if line.strip()]
    counts = Counter(_digit_shape(line) for line in rows)
    recurring = {s for s, c in counts.items() if c >= 3 and len(s.split()) >= 2}
    dated = {s for s in recurring if "#" in s}
    found = set(dated)
    for before, after in zip(rows, rows[1:], strict=False):
        a, b = _digit_shape(before), _digit_shape(after)
        if a in recurring and b in dated:
            found.add(a)
        if b in recurring and a in dated:
            found.add(b)
    return found


def _undouble(lines: list[str]) -> list[str]:
    """Close up double-spaced text (a blank between most lines), where it is double-spaced:
    a letter may be double-spaced on some pages only. Longer gaps stay, as one blank."""
    single = {
        i for i in range(1, len(lines) - 1)
        if not lines[i].strip() and lines[i - 1].strip() and lines[i + 1].strip()
    }
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(single) < 5:
        return lines
    followed = [1 if i + 1 in single else 0 for i in filled]
    drop: set[int] = set()
    for k, i in enumerate(filled):
        low, high = max(0, k - 6), min(len(filled), k + 7)
        if i + 1 in single and sum(followed[low:high]) >= 0.6 * (high - low):
            drop.add(i + 1)
    if not drop:
        return lines
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in drop or (not line.strip() and out and not out[-1].strip()):
            continue
        out.append(line)
    return out


# --- metadata ---------------------------------------------------------------


def _metadata(lines: list[str], framework: Framework):
    head = [" ".join(line.split()) for line in lines[:_COVER_LINES] if line.strip()]
    dates = published = None
    title_lines: list[str] = []
    for line in head:
        if dates is None and (m := _DATES.match(line)):
            dates = m.group(1).strip()
        elif published is None and (m := _PUBLISHED.match(line)):
            published = m.group(1).strip()
    for line in head[:12]:
        if _DATES.match(line) or _PUBLISHED.match(line) \
                or line.lower().startswith("lead inspector"):
            break
        if not PAGE_NUMBER.match(line):
            title_lines.append(line)
    # OCR reads the cover's logo too ("Ofsted", "raising standards", "improving lives"):
    # where a line names a council, the title starts there
    # (the line before, where the name wraps: "Stockport Metropolitan Borough" | "Council")
    named = next((k for k, line in enumerate(title_lines) if _NAMES_COUNCIL.search(line)), 0)
    if named and _GOES_ON_NAME.match(title_lines[named]):
        named -= 1
    title_lines = title_lines[named:]
    title = _FOOTNOTE_DIGIT.sub("", " ".join(title_lines)).strip()
    authority = None
    if framework == "focused-visit":
        for line in head:
            if m := _LETTER_AUTHORITY.search(line):
                authority = m.group(1)
                title = line
                break
        joined = " ".join(head)
        m = re.search(r"\bon (\d{1,2}(?: and \d{1,2}| to \d{1,2})? \w+ (?:19|20)\d{2})", joined)
        dates = m.group(1) if m else dates
    elif framework == "ilacs":
        m = _ILACS_AUTHORITY.search(title)
        if m and not m.group(1).lower().startswith("children"):
            authority = m.group(1)
        elif title_lines:
            authority = title_lines[0]
    elif title_lines:
        authority = title_lines[0]
    if authority and (m := _TITLE_AFTER_NAME.search(authority)):
        authority = authority[:m.start()]
    if authority:
        authority = _authority_name(authority)
    return title or "(untitled)", authority, dates, published


def _authority_name(raw: str) -> str:
    """ "London Borough of Hackney" -> "Hackney", "Kent County Council" -> "Kent"."""
    name = " ".join(raw.split())
    for _ in range(2):
        name = _COUNCIL_WORDS.sub("", name).strip() or name
    small = {"upon", "on", "and", "of", "the", "under", "le", "with"}
    words = name.split()
    return " ".join(
        w.lower() if i and w.lower() in small else (w if w.isupper() else w[:1].upper() + w[1:])
        for i, w in enumerate(words)
    )


# --- sections and paragraphs ----------------------------------------------


def _body_lines(lines: list[str], framework: Framework, frameworks: Frameworks) -> list[str]:
    """The part of a letter between salutation and sign-off; the whole of a report."""
    start_re = phrase_pattern(frameworks.letter_start)
    end_re = phrase_pattern(frameworks.letter_end)
    start = 0
    for index, line in enumerate(lines[:120]):
        if start_re.match(fold(line)) and len(line.split()) <= 6:
            start = index + 1
            break
    body = lines[start:]
    if framework == "ilacs":
        body = body[_after_grade_table(body, frameworks) :]
    for index, line in enumerate(body):
        if end_re.match(fold(line)):
            return body[:index]
    return body


def _after_grade_table(lines: list[str], frameworks: Frameworks) -> int:
    """Index of the first line after an ILACS report's judgement table (0 if none)."""
    words = tuple(word for word, _ in frameworks.grade_words)
    end = 0
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        # prose: the table is over (a judgement's label on one line, its grade on the
        # next, is no prose however long the label)
        if seen > 45 or (len(line.split()) >= 12 and not _is_grade_line(
                next((x for x in lines[index + 1:] if x.strip()), ""), frameworks)):
            break
        if fold(line).endswith(words):
            end = index + 1
    return end


_LONGEST_HEADING = 160
"""Most characters of a heading's first line: the longest known heading with its grade
("The graded judgement about the experience and progress of care leavers is that it
requires improvement to be good", 113) on one line, as an extraction that unwraps
lines prints it."""


def _heading_at(lines: list[str], i: int, frameworks: Frameworks) -> tuple[SectionRule, int] | None:
    """The known heading starting at line i (it may wrap over three lines), and its length."""
    first = lines[i].strip()
    if not first or not first[0].isupper() or len(first) > _LONGEST_HEADING \
            or _TERMINAL.search(first):
        if not (first.endswith("?") or first.endswith(":")) or not first[:1].isupper():
            return None
    # An extraction that keeps the page's layout may set a blank line between a heading's
    # wrapped lines (pdfplumber's layout mode): those lines are tried after the adjacent ones.
    for gap in (0, 1):
        at = _heading_lines(lines, i, gap)
        for parts in (3, 2, 1):
            if len(at) < parts or (gap and at[parts - 1] - i + 1 == parts):
                continue  # too few lines, or none of the gap's blank lines between them
            chunk = " ".join(lines[j].strip() for j in at[:parts])
            rule = _rules(frameworks).get(_heading_key(chunk, frameworks))
            if rule is not None:
                return rule, at[parts - 1] - i + 1
    return None


def _heading_lines(lines: list[str], i: int, gap: int) -> list[int]:
    """Line i and the (at most two) filled lines after it that may go on with a heading
    opening there, each at most `gap` blank lines below the one before (no numbered line)."""
    at = [i]
    while len(at) < 3:
        following = [j for j in range(at[-1] + 1, min(at[-1] + 2 + gap, len(lines)))
                     if lines[j].strip()]
        if not following or NUMBERED.match(lines[following[0]].strip()):
            break
        at.append(following[0])
    return at


@lru_cache(maxsize=8)
def _rules(frameworks: Frameworks) -> dict[str, SectionRule]:
    """The section rules by heading, the first rule of a heading winning."""
    rules: dict[str, SectionRule] = {}
    for rule in frameworks.sections:
        rules.setdefault(rule.heading, rule)
    return rules


@lru_cache(maxsize=8)
def _grade_words(frameworks: Frameworks) -> str:
    """The grade words as a regex alternation ("outstanding|good|...")."""
    return "|".join(re.escape(w) for w, _ in frameworks.grade_words)


@lru_cache(maxsize=8)
def _joiner_words(frameworks: Frameworks) -> str:
    """The words that may stand between a grade label and its grade, as an alternation."""
    return "|".join(re.escape(w) for w in frameworks.joiners)


@lru_cache(maxsize=8)
def _grade_tail(frameworks: Frameworks) -> re.Pattern[str]:
    """A grade word ending a heading ("... help and protection good"), with the joining
    words before it where a heading is a sentence ("Leadership, management and governance
    are inadequate", as 2014 reports put it; "The graded judgement for adoption
    performance is that it is good")."""
    return re.compile(f"(?: (?:{_joiner_words(frameworks)}))* (?:{_grade_words(frameworks)})$")


def _heading_key(text: str, frameworks: Frameworks) -> str:
    key = fold(_FOOTNOTE_DIGIT.sub("", text.strip()))
    key = re.sub(r"(?: \d{1,3})+$", "", key)  # contents-page numbers
    key = _grade_tail(frameworks).sub("", key)
    return re.sub(r"^(?:\d+ )+", "", key)  # "1 Children who need ..." table numbering


def _blocks(lines: list[str], frameworks: Frameworks, framework: Framework,
            cues: CueLexicon) -> list[_Block]:
    """Cut lines into headings, numbered paragraphs, list items and plain paragraphs."""
    blocks: list[_Block] = []
    current: _Block | None = None
    expected = 1
    section_kind: SectionKind = "context"
    seen_heading = False
    widths = sorted(len(line) for line in lines if len(line.strip()) > 30)
    full_width = widths[int(len(widths) * 0.8)] if widths else 80
    # A single space before a line is where an extraction lost a bullet glyph; where most
    # lines have one, it is the text's margin (a converter's indent, a tab made a space).
    written = [line for line in lines if line.strip()]
    margin = sum(line[:1] == " " and line[1:2] != " " for line in written) > len(written) / 2
    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        if not line:
            if (current is None or current.number is None or current.lines) \
                    and not _goes_on(current, lines, i):
                current = None  # a number alone on its line keeps waiting for its text
            i += 1
            continue
        found = _heading_at(lines, i, frameworks)
        if found:
            rule, span = found
            # without a bullet an extraction set on the heading's line (pdftohtml)
            text = " ".join(x.strip() for x in lines[i : i + span] if x.strip()).rstrip(
                BULLETS + " ")
            blocks.append(_Block([text], heading=rule, graded=_ends_with_grade(text, frameworks)))
            section_kind = rule.kind
            seen_heading = True
            current = None
            i += span
            continue
        if current is not None and current.heading is None and _is_grade_line(line, frameworks) \
                and len(current.lines) == 0:
            i += 1
            continue
        if current is None and blocks and blocks[-1].heading is not None:
            # a judgement's grade printed under its heading ("Requires improvement" |
            # "to be good"), not a paragraph of its own
            span = _grade_lines(lines, i, frameworks)
            if span:
                i += span
                continue
        if _is_list_subheading(lines, i, expected):
            blocks.append(_Block([line], subheading=True))
            current = None
            i += 1
            continue
        number = None
        numbered: tuple[int, str] | None = None  # a number the line opens with, and the rest
        if seen_heading and section_kind != "context":
            if m := NUMBERED.match(raw):
                numbered = int(m.group(1)), m.group(2)
            elif expected > 1 and (m := _LOST_DIGITS.match(raw)) and (
                    i == 0 or not lines[i - 1].strip() or _TERMINAL.search(lines[i - 1])):
                # ". Thresholds are ...": OCR lost the number's digits (not a sentence's
                # full stop a converter set at the start of the next line: "... of
                # violence" | ". There is skilled direct work", pdftohtml)
                numbered = expected, m.group(1)
        if numbered:
            n, rest = numbered
            # numbering goes on from the last number, or past at most two an extraction
            # lost (the first ones included: a report whose "1." was lost is numbered still),
            # or past more where the numbers after go on from this one
            if expected <= n <= expected + 2 or (
                    expected > 1 and expected + 2 < n <= expected + _RESUME_GAP
                    and _numbering_goes_on(lines, i, n)):
                if expected == 1 and n == 2 and _lost_first_number(blocks):
                    blocks[-1].number = 1  # the paragraph under the heading lost its "1."
                number = n
                expected = n + 1
                line = rest.strip()
        bullet = bool(_BULLET_RE.match(raw))
        if bullet:
            line = _BULLET_RE.sub("", raw).strip()
        elif section_kind in _LIST_SECTIONS and _LIST_BULLET_RE.match(raw):
            bullet = True
            line = _LIST_BULLET_RE.sub("", raw).strip()
        # a numbered item's wrapped line, indented to hang under its text, goes on
        # with the sentence the line before left open
        hanging = (current is not None and current.number is not None and current.lines
                   and not _TERMINAL.search(current.lines[-1]))
        lost_bullet = (
            not margin and raw.startswith(" ") and not raw.startswith("  ")
            and line[:1].isalnum()
            and not hanging
            and (line[:1].isupper() or section_kind in _LIST_SECTIONS
                 or current is None or _TERMINAL.search(current.lines[-1] if current.lines else ""))
        )
        starts_new = (
            number is not None
            or bullet
            or current is None
            or current.heading is not None
            or lost_bullet
            or (current.lines and _TERMINAL.search(current.lines[-1])
                and (
                    # a paragraph whose first line was lost starts mid-sentence
                    (line[:1].islower() and current.lines[-1].rstrip()[-1:] == ".")
                    # (in text whose paragraphs are a line each, a line break inside
                    # one is where page furniture stood: it goes on)
                    or (section_kind not in _LIST_SECTIONS and full_width < _UNWRAPPED
                        and len(current.lines[-1]) < 0.7 * full_width)
                    # recommendations that lost their bullets and the blank lines
                    # between them: each opens as an instruction ("Ensure that ...")
                    or (section_kind == "recommendations"
                        and opens_with_imperative(line, cues))
                ))
        )
        if number is not None and not line:
            current = _Block([], number=number)
            blocks.append(current)
            i += 1
            continue
        if current is not None and current.number is not None and not current.lines and line:
            current.lines.append(line)
        elif starts_new:
            current = _Block([line], number=number, bullet=bullet or lost_bullet)
            blocks.append(current)
        else:
            current.lines.append(line)
        i += 1
    return blocks


_UNWRAPPED = 400
"""Characters of a typical long line (the 80th percentile) from which a text's lines are
whole paragraphs (a converter that unwraps them), not a page's lines (under 120)."""


def _goes_on(current: _Block | None, lines: list[str], i: int) -> bool:
    """Whether the text after the blank line at i goes on with the current block: its
    last line left a sentence open and the next text starts in lower case (an extraction
    can leave a blank line inside a paragraph or list item, at a page or column break)."""
    if current is None or current.heading is not None or not current.lines:
        return False
    following = next((x.strip() for x in lines[i + 1 : i + 4] if x.strip()), "")
    # pdfminer sets a numbered paragraph's first line apart ("26.  Securing permanence
    # ... a significant strength in", a blank line, "Sunderland. Achieving ..."): a whole
    # first line goes on, whatever the case of the next word, where an unnumbered
    # paragraph follows it (in a report that numbers its paragraphs, none stands alone)
    if current.number is not None and len(current.lines) == 1 \
            and len(current.lines[0]) >= _WHOLE_LINE and not NUMBERED.match(following) \
            and not _BULLET_RE.match(following) \
            and (following[:1].isalpha() or following[:1] in "\u2018\u201c\"'"):
        return True
    return not _TERMINAL.search(current.lines[-1]) and following[:1].islower()


_WHOLE_LINE = 60
"""Fewest characters of a first line that reads as a whole line of a paragraph's text."""


def _numbered_list_follows(blocks: list[_Block], position: int) -> bool:
    """True when the list goes on in numbered items (under its own subheadings, such as
    "Areas for improvement" after "Priority and immediate action")."""
    for block in blocks[position + 1:]:
        if block.heading is not None:
            if block.heading.kind in _LIST_SECTIONS:
                continue
            return False
        if not block.subheading:
            return block.number is not None
    return False


def _ends_with_grade(text: str, frameworks: Frameworks) -> bool:
    folded = fold(text)
    return any(folded.endswith(f" {word}") for word, _ in frameworks.grade_words)


_LOST_DIGITS = re.compile(r"^\s*\.\s+([A-Z\u2018\u201c].*)$")
_RESUME_GAP = 20
"""At most this many numbers an extraction may have lost in a row (OCR reading "3." to "7."
as "."), where the numbering goes on after them."""


def _numbering_goes_on(lines: list[str], i: int, n: int) -> bool:
    """Whether the next numbered line after line i is numbered n + 1 or n + 2."""
    for line in lines[i + 1 : i + 400]:
        m = NUMBERED.match(line)
        if m:
            return n < int(m.group(1)) <= n + 2
    return False


def _lost_first_number(blocks: list[_Block]) -> bool:
    """Whether the last block is a plain paragraph straight under a heading: where the
    first number a report gives is 2, the paragraph that lost its "1."."""
    return (len(blocks) >= 2 and blocks[-2].heading is not None
            and blocks[-1].heading is None and not blocks[-1].subheading
            and not blocks[-1].bullet and blocks[-1].number is None and bool(blocks[-1].lines))


def _is_list_subheading(lines: list[str], i: int, expected: int) -> bool:
    """A short untitled line ("Care leavers") that heads the next numbered item of a list."""
    line = lines[i].strip()
    if len(line.split()) > 6 or not line[:1].isupper() or _TERMINAL.search(line):
        return False
    following = next((x for x in lines[i + 1 : i + 3] if x.strip()), "")
    m = NUMBERED.match(following)
    return bool(m) and int(m.group(1)) == expected and expected > 1


def _is_grade_line(line: str, frameworks: Frameworks) -> bool:
    folded = fold(line)
    return any(folded == word for word, _ in frameworks.grade_words)


def _grade_lines(lines: list[str], i: int, frameworks: Frameworks) -> int:
    """How many lines from line i state a grade alone (2 where it wraps: "Requires
    improvement" | "to be good"); 0 when line i does not."""
    if not _is_grade_line(lines[i], frameworks):
        return 0
    if i + 1 < len(lines) and lines[i + 1].strip() \
            and _is_grade_line(f"{lines[i]} {lines[i + 1]}", frameworks):
        return 2
    return 1


def _join(lines: list[str]) -> str:
    """Join wrapped lines; a word hyphenated across a line break stays one word."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif out.endswith("-") and line[:1].isalpha() and out[-2:-1].isalpha():
            out += line
        else:
            out += " " + line
    return " ".join(out.split())


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping "(Recommendation)"-style markers attached."""
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start()]
        last_word = piece.rsplit(" ", 1)[-1].lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last_word):
            continue
        parts.append(piece.strip())
        start = m.end()
    parts.append(text[start:].strip())
    merged: list[str] = []
    for part in parts:
        if not part:
            continue
        lead = _LEADING_MARKER.match(part)
        if merged and lead:
            # the marker closes the sentence before it; what follows it is its own (in a
            # damaged extraction, often a paragraph whose first line was lost)
            merged[-1] = f"{merged[-1]} {lead.group(1)}"
            part = lead.group(2)
        if merged and (_MARKER.match(part) or len(part.split()) < 3):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _findings(blocks: list[_Block], framework: Framework, cues: CueLexicon):
    """Sections and findings from the blocks."""
    # Before the first heading: a report's cover (context); an ILACS report's opening
    # summary, once the judgement table is over; a letter's frame (who visited, what they
    # looked at: context), unless the letter has no heading at all.
    first_kind: SectionKind = "context"
    if framework == "ilacs" or (framework == "focused-visit"
                                and not any(b.heading is not None for b in blocks)):
        first_kind = "summary"
    sections = [Section(0, "Summary" if first_kind == "summary" else "Cover", first_kind, None)]
    findings: list[Finding] = []
    area: Area | None = None
    in_lscb = False
    listing = False  # the section is a list of recommendations or improvement items
    item = 0
    block_index = 0
    for position, block in enumerate(blocks):
        if block.subheading:
            continue
        if block.heading is not None:
            rule = block.heading
            kind, new_area = rule.kind, rule.area
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            if sections[-1].kind == "recommendations" and kind == "findings" \
                    and new_area is not None \
                    and following is not None and following.number is not None \
                    and not block.graded:
                # an area's name heading its part of a list of recommendations
                kind = sections[-1].kind
            # (a board's recommendations are a list under its own heading, in an lscb
            # section: what the heading's rule says counts, not the section's kind)
            listing = kind in _LIST_SECTIONS
            if kind == "lscb":
                in_lscb = True
            elif kind == "context":
                in_lscb = False
            if in_lscb and kind != "context":
                kind, new_area = "lscb", "lscb"
            elif new_area is None and kind == "findings":
                new_area = area
            area = new_area
            heading = _FOOTNOTE_DIGIT.sub("", " ".join(block.lines[0].split()))
            sections.append(Section(len(sections), heading, kind, new_area))
            item = 0
            continue
        section = sections[-1]
        if section.kind == "context" or not block.lines:
            continue
        text = _join(block.lines)
        if not re.search(r"[A-Za-z]{3}", text):
            continue
        block_index += 1
        if listing and block.number is None and _numbered_list_follows(blocks, position):
            continue  # what opens a numbered list ("There are no priority actions.")
        if listing:
            item += 1
            kind: FindingKind = "improvement" if section.kind == "improvements" else \
                "recommendation"
            pieces = [text]
        else:
            kind = "finding"
            pieces = split_sentences(text)
        for number, piece in enumerate(pieces):
            pol = "concern" if listing else polarity(piece, cues)
            if not listing and number == 0 and _lost_opening(piece):
                pol = "neutral"
            findings.append(Finding(
                id=f"f{len(findings) + 1}",
                text=piece,
                section=section.heading,
                section_kind=section.kind,
                area=section.area,
                kind=kind,
                polarity=pol,
                paragraph=block.number,
                block=block_index,
                item=item if listing else None,
            ))
    return [s for s in sections if s.index == 0 or s.kind != "context"], findings


def _lost_opening(text: str) -> bool:
    """A paragraph whose opening an extraction lost leaves the tail of its first sentence
    ("needs.", "regulations.", "earliest opportunity."): it states nothing on its own."""
    return text[:1].islower() and len(text.split()) < 4


# --- grades -----------------------------------------------------------------


_MOVED = "\x00moved"  # a lone grade line whose grade went to its label
_BESIDE = re.compile(r"^(.*\S)\s{3,}(\S.*?)\s*$")  # text, a column gap, more text


def _grades_after_labels(lines: list[str], frameworks: Frameworks) -> list[str]:
    """Lines with a table's grade moved after its wrapped label. Column layouts print
    "The impact of leaders on social work      Good" above "practice with children
    and families"; the label must be whole before its grade."""
    words = _grade_words(frameworks)
    gap = re.compile(rf"^(.*\S)\s{{3,}}((?i:{words}))\s*$")
    near = re.compile(rf"^(.*?\S)\s((?i:{words}))\s*$")
    labels = tuple(label for _, label in frameworks.grade_labels if "authority" not in label)
    alone = re.compile(rf"^\s*((?i:{words}))\s*$")
    # a row whose label's wrapped end is printed after its grade, in a column of its own
    # ("Children looked after and achieving    Requires improvement    permanence",
    # PyMuPDF's text sorted by position)
    between = re.compile(rf"^(.*\S)\s{{3,}}((?i:{words}))\s{{3,}}([a-z]\S*(?: \S+)*)\s*$")
    out = [f"{m.group(1)} {m.group(3)}   {m.group(2)}"
           if (m := between.match(line)) and fold(f"{m.group(1)} {m.group(3)}").endswith(labels)
           else line for line in lines]
    for i, line in enumerate(out):
        m = gap.match(fold(line) and line.replace("\u00a0", " "))
        if not m and i + 1 < len(out) and out[i + 1].strip()[:1].islower():
            # the column gap closed up to one space (pdfplumber): only where the row
            # and the line under it make a grade's label ("... achieving Good",
            # "permanence")
            m = near.match(line.replace("\u00a0", " "))
            if m and not fold(f"{m.group(1)} {out[i + 1]}").endswith(labels):
                m = None
        if not m:
            continue
        last = i
        while last + 1 < len(out) and last - i < 2 and out[last + 1].strip()[:1].islower() \
                and not gap.match(out[last + 1]):
            last += 1
        if last > i:
            grade = m.group(2)
            for j in range(i + 1, last + 1):
                # the grade's wrapped end printed beside the label's next line ("...
                # achieving      to be good", pypdf's layout mode)
                beside = _BESIDE.match(out[j])
                if beside and alone.match(f"{grade} {beside.group(2)}"):
                    out[j] = beside.group(1)
                    grade = f"{grade} {beside.group(2)}"
            out[i] = m.group(1)
            out[last] = f"{out[last].rstrip()} {grade}"
    # ...and some print a numbered row's grade on the line above it (where the line
    # above that already has its grade, the lone grade cannot be its)
    graded = re.compile(rf"\b(?i:{words})\s*$")
    row = re.compile(rf"^\s*\d+(?:\.\d+)?\.?\s+(?!.*\b(?i:{words})\s*$)\S")
    for i in range(1, len(out) - 1):
        m = alone.match(out[i])
        if not m:
            continue
        before = next((out[j] for j in range(i - 1, max(i - 5, -1), -1)
                       if out[j].strip() and out[j] is not _MOVED), "")
        following = next((j for j in range(i + 1, min(i + 5, len(out))) if out[j].strip()), None)
        if following is None or alone.match(f"{out[i].strip()} {out[following].strip()}"):
            continue  # (a grade that wraps: "Requires improvement" | "to be good")
        # a wrapped row's or heading's grade printed between its two lines
        wraps = (before.strip() and not graded.search(before)
                 and not before.rstrip().endswith((".", ";", ":", "?"))
                 and out[following].strip()[:1].islower())
        if wraps and _interleaved(out, i, following, alone):
            continue
        # (a grade stacked under another lone grade is that row's: pdfminer prints a
        # table's labels, then its grades, one under another)
        if wraps or (graded.search(before) and not alone.match(before)
                     and row.match(out[following])):
            out[following] = f"{out[following].rstrip()} {m.group(1)}"
            out[i] = _MOVED
    _stacked_grades(out, alone, row)
    return [line for line in out if line is not _MOVED]


def _interleaved(out: list[str], i: int, following: int, alone: re.Pattern[str]) -> bool:
    """A wrapped grade printed beside a wrapped heading, line by line ("The experiences and
    progress of" | "Requires improvement" | "children looked after and achieving" | "to be
    good" | "permanence", pdfplumber; or with the grade's end beside the heading's last
    line, pdftotext -layout): the grade goes after the heading's last line.
    Changes `out` in place; False (nothing moved) where the lines are not so."""
    rest = [j for j in range(following + 1, min(following + 4, len(out)))
            if out[j].strip() and out[j] is not _MOVED]
    # a layout keeps the columns apart: the heading's last line carries the grade's end
    # beside it ("permanence      to be good", pdftotext -layout)
    beside = _BESIDE.match(out[rest[0]]) if rest else None
    if beside and beside.group(1).strip()[:1].islower() \
            and alone.match(f"{out[i].strip()} {beside.group(2)}"):
        out[rest[0]] = f"{beside.group(1).rstrip()} {out[i].strip()} {beside.group(2)}"
        out[i] = _MOVED
        return True
    if len(rest) < 2 or not alone.match(f"{out[i].strip()} {out[rest[0]].strip()}") \
            or not out[rest[1]].strip()[:1].islower():
        return False
    last = rest[1]
    out[last] = f"{out[last].rstrip()} {out[i].strip()} {out[rest[0]].strip()}"
    out[i] = out[rest[0]] = _MOVED
    return True


def _stacked_grades(out: list[str], alone: re.Pattern[str], row: re.Pattern[str]) -> None:
    """pdfminer prints a table's labels, then their grades one under another: a stack of
    k grades goes, in order, to the k rows just above it that have none (each at the end
    of its wrapped label). Changes `out` in place."""
    filled = [i for i, line in enumerate(out) if line.strip() and line is not _MOVED]
    start = 0
    while start < len(filled):
        end = start
        while end < len(filled) and alone.match(out[filled[end]]):
            end += 1
        if end - start < 2:
            start = end + 1
            continue
        rows: list[int] = []  # the last line of each row above, nearest first
        pending = None
        for j in range(start - 1, -1, -1):
            line = out[filled[j]]
            if row.match(line):
                rows.append(pending if pending is not None else filled[j])
                pending = None
                if len(rows) == end - start:
                    break
            elif line.strip()[:1].islower() and pending is None and not alone.match(line):
                pending = filled[j]  # a wrapped label's second line
            else:
                break
        if len(rows) == end - start:
            for target, grade in zip(reversed(rows), filled[start:end], strict=True):
                out[target] = f"{out[target].rstrip()} {alone.match(out[grade]).group(1)}"
                out[grade] = _MOVED
        start = end


def _grades(folded: str, frameworks: Frameworks) -> tuple[GradeEntry, ...]:
    """Grades stated in the report: for each area, the grade its labels are most often given."""
    words = _grade_words(frameworks)
    grade_of = dict(frameworks.grade_words)
    joiners = _joiner_words(frameworks)
    votes: dict[Area, Counter[Grade]] = {}
    first: dict[tuple[Area, Grade], int] = {}
    place = r"[a-z]+(?: [a-z]+){0,4}?"  # the authority as the report names it; lazy
    for area, label in frameworks.grade_labels:
        label_re = re.escape(label).replace("AUTHORITY", place).replace(
            re.escape("authority"), place)
        # The label's literal opening comes first and the word-boundary check after it
        # (the same test, looking back over it): a pattern that opens with a literal lets
        # the regex engine skip to where it occurs, twenty times faster on a whole report.
        literal = re.match(r"(?:[a-z0-9]|\\ )*", label_re).group(0)
        if literal.replace("\\ ", " ") not in folded:
            continue  # no match can begin anywhere: the pattern is not even compiled
        pattern = re.compile(
            rf"{literal}(?<![a-z0-9]{literal}){label_re[len(literal):]}"
            rf"(?: (?:{joiners})){{0,4}} ({words})(?![a-z0-9])"
        )
        for m in pattern.finditer(folded):
            grade = grade_of[m.group(1)]
            votes.setdefault(area, Counter())[grade] += 1
            first.setdefault((area, grade), m.start())
    entries = []
    for area in AREAS:
        if area not in votes:
            continue
        ranked = sorted(votes[area].items(), key=lambda kv: (-kv[1], first[(area, kv[0])]))
        entries.append(GradeEntry(area, ranked[0][0]))
    return tuple(entries)
