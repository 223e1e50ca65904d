"""A report extracted to Markdown reads as the same report extracted to plain text."""

from __future__ import annotations

import re

import pytest

from diffing.bundled import bundled_path
from diffing.compare import compare
from diffing.mappings import load_knowledge
from diffing.markup import PAGE_BREAK, looks_like_markdown, plain_text
from diffing.read import parse_text, read_report

OLD = "kent-2017-sif-inspection.txt"
NEW = "kent-2022-ilacs-inspection.txt"


def as_converted(text: str, headings: list[str], page_lines: int = 45) -> str:
    """The text of an ILACS report as a PDF-to-Markdown converter writes it (the form
    pymupdf4llm gives the corpus reports): the title unwrapped under '#', the cover's
    labels in bold, the judgement table as a Markdown table with '<br>' where a label
    wrapped, each heading's lines in bold runs under '###', '- ' bullets whose wrapped
    line comes after a blank line, and a page number as a heading of its own every
    `page_lines` lines, in the middle of a paragraph as often as not."""
    lines = text.split("\n")
    out = [f"# {lines[0]} {lines[1]}", ""]
    i = 2
    while not lines[i].startswith("Judgement"):
        out += [f"**{lines[i]}**", ""]
        i += 1
    i += 1
    label: list[str] = []
    out += ["|Judgement|Grade|", "|---|---|"]
    while True:
        line = lines[i].strip()
        i += 1
        if line in ("", "Grade"):
            continue
        if line in ("Outstanding", "Good", "Requires improvement to be good", "Inadequate"):
            out.append(f"|{'<br>'.join(label)}|{line}|")
            if label == ["Overall effectiveness"]:
                break
            label = []
        else:
            label.append(line)
    out.append("")
    body = lines[i:]
    j = 0
    page = 2
    since_page = 0
    while j < len(body):
        line = body[j]
        heading = next((h for h in headings if h.startswith(line.strip()) and line.strip()), None)
        if heading:
            span = 1
            while " ".join(x.strip() for x in body[j:j + span]) != heading:
                span += 1
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


@pytest.fixture(scope="module")
def kent_2022():
    plain = read_report(bundled_path(NEW))
    headings = [s.heading for s in plain.sections if s.kind != "summary"]
    return plain, as_converted(bundled_path(NEW).read_text(encoding="utf-8"), headings)


def findings_of(report):
    return [(f.text, f.section, f.section_kind, f.kind, f.area, f.polarity, f.paragraph)
            for f in report.findings]


def test_the_converted_kent_2022_is_markdown_and_plain_text_is_not(kent_2022):
    _, converted = kent_2022
    assert looks_like_markdown(converted)
    assert converted.count("\n## ") >= 5  # page numbers, some inside paragraphs
    for name in (OLD, NEW, "kent-2019-focused-visit.txt"):
        text = bundled_path(name).read_text(encoding="utf-8")
        assert not looks_like_markdown(text)
        assert plain_text(text) is text


def test_kent_2022_read_from_markdown_reads_as_from_its_text(kent_2022):
    plain, converted = kent_2022
    report = parse_text(converted, "kent-2022.md")
    assert (report.title, report.local_authority, report.framework, report.inspection_dates,
            report.year) == (plain.title, plain.local_authority, plain.framework,
                             plain.inspection_dates, plain.year)
    assert report.grades == plain.grades
    assert [s.heading for s in report.sections] == [s.heading for s in plain.sections]
    assert findings_of(report) == findings_of(plain)


def test_a_comparison_against_the_markdown_kent_2022_is_the_same(kent_2022):
    plain, converted = kent_2022
    old = read_report(bundled_path(OLD))
    knowledge = load_knowledge()
    expected = compare(old, plain, knowledge)
    got = compare(old, parse_text(converted, "kent-2022.md"), knowledge)
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
