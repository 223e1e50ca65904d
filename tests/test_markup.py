"""A report extracted to Markdown or HTML reads as the same report extracted to plain text."""

from __future__ import annotations

import re

import pytest

from diffing.bundled import bundled_path
from diffing.compare import compare
from diffing.mappings import load_knowledge
from diffing.markup import PAGE_BREAK, looks_like_html, looks_like_markdown, plain_text
from diffing.read import parse_text, read_report

OLD = "kent-2017-sif-inspection.txt"
NEW = "kent-2022-ilacs-inspection.txt"


GRADE_WORDS = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")


def _cover_and_table(lines: list[str]) -> tuple[list[str], list[list[str]], int]:
    """The cover lines before the judgement table, the table's rows (label lines, grade)
    and the index of the first line after it, read off the Kent 2022 text."""
    i = 2
    while not lines[i].startswith("Judgement"):
        i += 1
    cover = lines[2:i]
    rows: list[list[str]] = []
    label: list[str] = []
    i += 1
    while True:
        line = lines[i].strip()
        i += 1
        if line in ("", "Grade"):
            continue
        if line in GRADE_WORDS:
            rows.append([*label, line])
            if label == ["Overall effectiveness"]:
                return cover, rows, i
            label = []
        else:
            label.append(line)


def _heading_span(body: list[str], j: int, heading: str) -> int:
    """How many lines from body[j] the heading (as the reader gives it) is printed over."""
    span = 1
    while " ".join(x.strip() for x in body[j:j + span]) != heading:
        span += 1
    return span


def as_converted(text: str, headings: list[str], page_lines: int = 45) -> str:
    """The text of an ILACS report as pymupdf4llm 0.3 writes the corpus PDFs in Markdown:
    the title unwrapped under '#', the cover's labels in bold, the judgement table as a
    Markdown table with '<br>' where a label wrapped, each heading's lines in bold runs
    under '###', '- ' bullets whose wrapped line comes after a blank line, and a page
    number as a heading of its own every `page_lines` lines, in the middle of a
    paragraph as often as not."""
    lines = text.split("\n")
    cover, rows, i = _cover_and_table(lines)
    out = [f"# {lines[0]} {lines[1]}", ""]
    out += [part for line in cover for part in (f"**{line}**", "")]
    out += ["|Judgement|Grade|", "|---|---|"]
    out += [f"|{'<br>'.join(row[:-1])}|{row[-1]}|" for row in rows] + [""]
    body = lines[i:]
    j = 0
    page = 2
    since_page = 0
    while j < len(body):
        line = body[j]
        heading = next((h for h in headings if line.strip() and h.startswith(line.strip())), None)
        if heading:
            span = _heading_span(body, j, heading)
            out += ["", "### " + " ".join(f"**{x.strip()}**" for x in body[j:j + span]), ""]
            j += span
            continue
        if line.startswith("\u25fc "):
            out += ["- " + line[2:], "", ""]
        else:
            out.append(line)
        since_page += 1
        if since_page >= page_lines:
            out += ["", f"## {page}", "", ""]
            page += 1
            since_page = 0
        j += 1
    return "\n".join(out)


def as_unwrapped(text: str, headings: list[str], page_blocks: int = 6) -> str:
    """The same as pymupdf4llm 1.27 writes it: the cover's lines in one bold run, each
    paragraph and list item on one line, a numbered paragraph as a bullet item ("- 1.Children
    and ..."), each heading on one line under '##', and every `page_blocks` blocks a page's
    number on a line of its own, the running header in bold and a picture left out, in the
    middle of a paragraph (which goes on after them)."""
    lines = text.split("\n")
    cover, rows, i = _cover_and_table(lines)
    out = [f"## {lines[0]} {lines[1]} ", "**" + " ".join(cover) + "** ",
           "|**Judgement**|**Grade**|\n|---|---|\n"
           + "\n".join(f"|{'<br>'.join(row[:-1])}|{row[-1]}|" for row in rows)]
    blocks: list[str] = []
    current: list[str] = []
    body = lines[i:]
    j = 0
    while j < len(body):
        line = body[j].strip()
        heading = next((h for h in headings if line and h.startswith(line)), None)
        numbered = re.fullmatch(r"(\d{1,3})\.\s*(.*)", line)
        # a line set in by a space opens a block of its own (the back page's text)
        if heading or not line or line.startswith("\u25fc ") or numbered \
                or body[j].startswith(" "):
            if current:
                blocks.append(" ".join(current))
            current = []
        if heading:
            span = _heading_span(body, j, heading)
            blocks.append(f"## **{heading}** ")
            j += span
            continue
        if line.startswith("\u25fc "):
            current = ["- " + line[2:]]
        elif numbered:
            current = [f"- {numbered.group(1)}.{numbered.group(2)}"]
        elif line:
            if current and re.fullmatch(r"- \d{1,3}\.", current[-1]):
                current[-1] += line
            else:
                current.append(line)
        j += 1
    blocks.append(" ".join(current))
    page = 2
    for n, block in enumerate(blocks, start=1):
        words = block.split()
        # every other page breaks at a sentence's end where the block has one: a line
        # break in unwrapped text is no paragraph's end, whatever ends before it
        ends = [k for k in range(2, len(words) - 1) if words[k - 1].endswith(".")]
        half = min(ends, key=lambda k: abs(k - len(words) // 2)) if ends and page % 2 \
            else len(words) // 2
        if n % page_blocks or block.startswith("#") or half < 2:
            out.append(block + " ")
            continue
        out += [" ".join(words[:half]) + " ", f"{page} ",
                "**Inspection of Kent County Council children's services 9 to 20 May 2022** ",
                "**==> picture [81 x 41] intentionally omitted <==**",
                " ".join(words[half:]) + " "]
        page += 1
    return "\n\n".join(x for x in out if x.strip())


def as_html(text: str, headings: list[str]) -> str:
    """The text of an ILACS report as a web page: the title in <h1>, the judgement table a
    <table>, each heading an <h2>, each paragraph a <p> with its lines joined, each "What
    needs to improve" item an <li>, entities for quotes and ampersands."""
    lines = text.split("\n")
    cover, rows, i = _cover_and_table(lines)
    out = ["<!DOCTYPE html>", "<html><head><title>Kent</title><style>p {margin: 0}</style>",
           "</head><body>", f"<h1>{lines[0]} {lines[1]}</h1>"]
    out += [f"<p>{line}</p>" for line in cover]
    out += ["<table><tr><th>Judgement</th><th>Grade</th></tr>"]
    out += [f"<tr><td>{' '.join(row[:-1])}</td><td>{row[-1]}</td></tr>" for row in rows]
    out.append("</table>")
    body = lines[i:]
    paragraph: list[str] = []
    items: list[str] = []
    j = 0

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{' '.join(paragraph)}</p>")
            paragraph.clear()

    while j < len(body):
        line = body[j].strip()
        heading = next((h for h in headings if line and h.startswith(line)), None)
        if heading or not line or line.startswith("\u25fc ") or body[j].startswith(" ") \
                or re.fullmatch(r"\d{1,3}\.(\s.*)?", line):
            flush()
        if heading:
            span = _heading_span(body, j, heading)
            if items:
                out.append("<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>")
                items = []
            out.append(f"<h2>{heading}</h2>")
            j += span
            continue
        if line.startswith("\u25fc "):
            items.append(line[2:])
        elif items and line and not re.fullmatch(r"\d{1,3}\.", line):
            items[-1] += " " + line
        elif line:
            paragraph.append(line)
        j += 1
    flush()
    out.append("</body></html>")
    return "\n".join(out).replace("\u2019", "&rsquo;").replace(" & ", " &amp; ")


@pytest.fixture(scope="module")
def kent_2022():
    plain = read_report(bundled_path(NEW))
    headings = [s.heading for s in plain.sections if s.kind != "summary"]
    return plain, bundled_path(NEW).read_text(encoding="utf-8"), headings


def findings_of(report):
    return [(f.text, f.section, f.section_kind, f.kind, f.area, f.polarity, f.paragraph)
            for f in report.findings]


@pytest.mark.parametrize("convert", [as_converted, as_unwrapped])
def test_kent_2022_converted_is_markdown_and_plain_texts_are_not(kent_2022, convert):
    _, text, headings = kent_2022
    assert looks_like_markdown(convert(text, headings))
    assert looks_like_html(as_html(text, headings))
    for name in (OLD, NEW, "kent-2019-focused-visit.txt"):
        text = bundled_path(name).read_text(encoding="utf-8")
        assert not looks_like_markdown(text) and not looks_like_html(text)
        assert plain_text(text) is text


@pytest.mark.parametrize("convert", [as_converted, as_unwrapped, as_html])
def test_kent_2022_from_markdown_or_html_reads_as_from_its_text(kent_2022, convert):
    plain, text, headings = kent_2022
    converted = convert(text, headings)
    if convert is not as_html:
        assert converted.count("\n## ") + converted.count(" intentionally omitted") >= 5
    report = parse_text(converted, "kent-2022.md")
    assert (report.title, report.local_authority, report.framework, report.inspection_dates,
            report.year) == (plain.title, plain.local_authority, plain.framework,
                             plain.inspection_dates, plain.year)
    assert report.grades == plain.grades
    assert [s.heading for s in report.sections] == [s.heading for s in plain.sections]
    assert findings_of(report) == findings_of(plain)


def test_a_comparison_against_the_markdown_kent_2022_is_the_same(kent_2022):
    plain, text, headings = kent_2022
    old = read_report(bundled_path(OLD))
    knowledge = load_knowledge()
    expected = compare(old, plain, knowledge)
    got = compare(old, parse_text(as_unwrapped(text, headings), "kent-2022.md"), knowledge)
    assert [(r.status, r.old and r.old.text, r.new and r.new.text) for r in got.results] \
        == [(r.status, r.old and r.old.text, r.new and r.new.text) for r in expected.results]
    assert got.summary()["persisting"] >= 1


def test_markdown_marks_become_the_lines_a_pdf_extraction_gives():
    text = plain_text(
        "# Inspection of Brookshire local authority children's services\n\n"
        "|Judgement|Grade|\n|---|---|\n"
        "|The experiences and progress of children in care and<br>care leavers|Good|\n\n"
        "The overall judgement is**inadequate**, as [the guidance](https://x.example) says "
        "&amp; more [3].\n\n"
        "1. A numbered paragraph that a page number\n\n## 2\n\n\ncuts in two.\n\n"
        "#### **What needs to improve** \u25fc The first item. **The experiences and "
        "progress of children who need help and** **protection: good**\n"
    )
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines[0] == "Inspection of Brookshire local authority children's services"
    assert "The experiences and progress of children in care and care leavers" in lines
    assert lines[lines.index("The experiences and progress of children in care and care "
                             "leavers") + 1] == "Good"
    assert "The overall judgement is inadequate, as the guidance says & more." in lines
    assert "1. A numbered paragraph that a page number" in lines
    assert PAGE_BREAK + "\n" in text
    assert lines[-4:] == ["What needs to improve", "\u25fc The first item. ",
                          "The experiences and progress of children who need help and ",
                          "protection: good"]
    assert not re.search(r"[#*|]|<br>", text)


def test_pdftohtml_lines_and_pages_become_a_pdf_extractions_lines():
    page = ('<div id="page{n}-div" style="position:relative;width:892px;height:1262px;">\n'
            '<p style="position:absolute;top:0px;left:108px" class="ft10">&#160;</p>\n'
            '{body}\n</div>\n')
    html = ("<!DOCTYPE html>\n<html><head><title>x</title><style>\n.ft10{{font-size:18px}}\n"
            "</style></head>\n<body>\n"
            + page.format(n=1, body='<p style="position:absolute;top:9px" class="ft1">'
                          "1.&#160;Early&#160;help&#160;is&#160;<b>strong</b>&#160;and<br/>"
                          "well&#160;used.&#160;<br/>&#160;<br/>2.&#160;Plans&#160;are</p>\n"
                          '<p style="position:absolute;top:40px" class="ft1">weak.</p>')
            + page.format(n=2, body='<p style="position:absolute;top:9px">'
                          "3.&#160;Children&#160;&amp;&#160;families</p>")
            + "</body></html>")
    html = html.replace("{{", "{").replace("}}", "}")
    assert looks_like_html(html) and not looks_like_markdown(html)
    lines = plain_text(html).replace("\u00a0", " ").split("\n")  # the reader reads &#160; so
    assert [line for line in lines if line] == [
        "1. Early help is strong and", "well used.", "2. Plans are", "weak.", PAGE_BREAK,
        "3. Children & families"]
    assert lines[lines.index("well used.") + 1] == ""  # the empty line that ends paragraph 1
