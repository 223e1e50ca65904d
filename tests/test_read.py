"""The reader: issue 2's "Must show" on the bundled Kent texts and the corpus PDFs,
and engine tests on short reports written here."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from diffing.align import classifiable
from diffing.bundled import FOCUSED, NEW, OLD, bundled_path
from diffing.errors import InputError
from diffing.mapping import bundled_mappings, pins_for
from diffing.model import Report
from diffing.read import parse_text, read_report
from diffing.text import fold

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@cache
def bundled(name: str) -> Report:
    return read_report(bundled_path(name))


def retyped(name: str, change) -> Report:
    """The bundled report read from its text as `change` (text -> text) alters it."""
    return parse_text(change(bundled_path(name).read_text(encoding="utf-8")), f"{name}.txt")


def grades(report: Report) -> dict[str, str]:
    return {entry.area: entry.grade for entry in report.grades}


def listed(report: Report, kind: str, section_kind: str) -> list[str]:
    return [f.text for f in report.findings if f.kind == kind and f.section_kind == section_kind]


# --- Kent 2022 (ILACS) ------------------------------------------------------


def test_kent_2022_is_ilacs_with_its_grades():
    report = bundled(NEW)
    assert report.framework == "ilacs"
    assert report.local_authority == "Kent"
    assert report.year == 2022
    assert grades(report) == {
        "overall": "outstanding",
        "leadership": "outstanding",
        "help-and-protection": "good",
        # one ILACS judgement covers "children in care and care leavers": both keys carry it
        "children-in-care": "outstanding",
        "care-leavers": "outstanding",
    }


def test_kent_2022_numbers_its_paragraphs_1_to_53_in_order_each_with_text():
    report = bundled(NEW)
    order: list[int] = []
    text: dict[int, str] = {}
    for finding in report.findings:
        if finding.paragraph is None:
            continue
        if not order or order[-1] != finding.paragraph:
            order.append(finding.paragraph)
        text[finding.paragraph] = text.get(finding.paragraph, "") + finding.text
    assert order == list(range(1, 54))
    assert all(re.search(r"[A-Za-z]{3}.*[A-Za-z]{3}", text[n]) for n in order)


def test_a_report_whose_first_paragraph_lost_its_number_is_numbered_still():
    # an extraction that drops "1." (it printed it apart, or not at all) would otherwise
    # leave the report unnumbered: every link without its paragraph
    report = retyped(NEW, lambda text: re.sub(r"(?m)^1\.[ \t]*", "", text, count=1))
    numbered = _numbered(report)
    assert numbered == _numbered(bundled(NEW))
    assert {n for n, _ in numbered} == set(range(1, 54))


def _numbered(report: Report) -> list[tuple[int, str]]:
    return [(f.paragraph, f.text) for f in report.findings if f.paragraph is not None]


def test_numbering_goes_on_after_more_than_two_lost_numbers():
    # OCR may lose a run of numbers; where the numbers after go on, so does the numbering
    intact = _numbered(bundled(NEW))
    report = retyped(NEW, lambda text: re.sub(r"(?m)^[3-7]\.\n", "\n", text))
    assert _numbered(report) == [(n, t) for n, t in intact if not 3 <= n <= 7]


def test_a_number_whose_digits_ocr_lost_is_the_next_number():
    # ". When there are concerns ...": OCR kept the number's full stop alone
    intact = _numbered(bundled(NEW))
    report = retyped(NEW, lambda text: re.sub(r"(?m)^[3-7]\.\n\n", ". ", text))
    assert _numbered(report) == intact


def test_a_full_stop_a_converter_set_at_a_lines_start_is_no_number():
    # pdftohtml may end a line before a sentence's full stop (". There is skilled direct
    # work"): mid-paragraph, that is no number whose digits were lost
    def moved(text: str) -> str:
        return re.sub(r"([a-z])\.\n([A-Z][a-z])", r"\1\n. \2", text)

    text = bundled_path(NEW).read_text(encoding="utf-8")
    assert moved(text) != text
    report = retyped(NEW, moved)
    assert [n for n, _ in _numbered(report)] == [n for n, _ in _numbered(bundled(NEW))]


def test_a_heading_wrapped_over_a_blank_line_is_a_heading():
    # pdfplumber's layout mode may set a blank line between a heading's wrapped lines
    intact = bundled(NEW)
    report = retyped(NEW, lambda text: text.replace(
        "who need help and\nprotection: good", "who need help and\n\nprotection: good"))
    assert [(s.kind, s.area) for s in report.sections] == \
        [(s.kind, s.area) for s in intact.sections]
    assert [(f.paragraph, f.area, f.text) for f in report.findings] == \
        [(f.paragraph, f.area, f.text) for f in intact.findings]


@pytest.mark.parametrize("name", [OLD, NEW])
def test_the_cover_logo_ocr_reads_is_not_the_council(name):
    # OCR reads the logo on the cover ("Ofsted", "raising standards", "improving lives")
    intact = bundled(name)
    report = retyped(name, lambda text: "KK\nOfsted\nraising standards\nimproving lives\n" + text)
    assert (report.local_authority, report.title) == (intact.local_authority, intact.title)


def test_kent_2022_has_exactly_the_three_what_needs_to_improve_items():
    report = bundled(NEW)
    items = [f for f in report.findings if f.kind == "improvement"]
    assert [f.item for f in items] == [1, 2, 3]
    assert all(f.section_kind == "improvements" for f in items)
    assert "visits to children during school hours" in items[0].text
    assert "caseloads" in items[1].text
    assert "homeless" in items[2].text
    assert not [f for f in report.findings if f.kind == "recommendation"]


@pytest.mark.parametrize("marks", [("-", "-", "-"), ("*", "*", "*"), ("o", "o", "o"),
                                   ("a)", "b)", "c)"), ("(a)", "(b)", "(c)")])
def test_a_list_typed_with_plain_text_bullets_keeps_its_items(marks):
    # A copy of the report typed or converted to text loses the PDF's bullet glyphs.
    def rebullet(text: str) -> str:
        start = text.index("What needs to improve?")
        end = text.index("The experiences and progress", start)
        listed = text[start:end].split("\u25fc")
        assert len(listed) == 4
        marked = "".join(f"{mark}{item}" for mark, item in zip(marks, listed[1:], strict=True))
        return text[:start] + listed[0] + marked + text[end:]

    report = retyped(NEW, rebullet)
    items = [f.text for f in report.findings if f.kind == "improvement"]
    assert [item.split()[0] for item in items] == ["The", "Manageable", "The"]
    assert items == [f.text for f in bundled(NEW).findings if f.kind == "improvement"]


def test_soft_hyphens_inside_words_are_invisible():
    # Text copied from a web page can carry soft hyphens at every possible break.
    def soften(text: str) -> str:
        softened = re.sub(r"(?<=[a-z]{4})(?=[a-z]{4})", "\u00ad", text)
        assert "\u00ad" in softened
        return softened

    report = retyped(NEW, soften)
    assert [f.text for f in report.findings] == [f.text for f in bundled(NEW).findings]


def test_words_glued_at_a_line_end_get_their_hyphen_back():
    # The bundled texts' extraction dropped the hyphen of words broken at a line end
    # ("multiagency", "decisionmaking"), as pdftotext's plain text does: where the report
    # mostly writes the word hyphenated, the hyphen comes back.
    words = " ".join(f.text for f in bundled(OLD).findings)
    assert "multi-agency" in words and "decision-making" in words
    assert not re.search(r"\b(multiagency|decisionmaking)\b", words)
    # the same text with one word still hyphenated across a line end kept them all
    kept = retyped(OLD, lambda text: text.replace("is delivering", "is deliv-\nering", 1))
    assert re.search(r"\bmultiagency\b", " ".join(f.text for f in kept.findings))


def test_a_glued_word_the_report_also_writes_so_is_left_alone():
    body = ("Multi-agency work is strong, and multi-agency plans are clear. A multi-agency "
            "panel meets weekly. Multiagency meetings are held. The Health and Wellbeing "
            "Board meets, and children's well-being, well-being and well-being improve. "
            "Most multiagency audits are timely. Child-focused plans and childfocused "
            "reviews are in place.")
    sample = SAMPLE.replace("multi-\nagency", "multi-agency") + "6. " + body + "\n"
    text = " ".join(f.text for f in parse_text(sample, "sample.txt").findings)
    # "multi-agency" is written three times, the glued form twice: not twice as often
    assert text.count("multiagency") + text.count("Multiagency") == 2
    # a capitalised glued word may be a name; one hyphenated form is no majority either
    assert "Wellbeing Board" in text and "childfocused" in text


@pytest.mark.parametrize("layout", [
    # pdftotext -layout: the grade's start between the heading's lines, its end beside
    # the last
    "The experiences and progress of\n{pad}Requires improvement\nchildren who need help and\n"
    "protection{pad}to be good\n",
    # pypdf's layout mode: the grade beside the heading's first two lines
    "The experiences and progress of{pad}Requires improvement\nchildren who need help and"
    "{pad}to be good\nprotection\n",
])
def test_a_heading_with_its_wrapped_grade_in_a_column_beside_it(layout):
    heading = ("The experiences and progress of\nchildren who need help and\nprotection\n\n"
               "Requires improvement\n")

    def lay_out(text: str) -> str:
        assert text.count(heading) == 1
        return text.replace(heading, layout.format(pad=" " * 30))

    report = retyped(OLD, lay_out)
    original = bundled(OLD)
    assert grades(report) == grades(original)
    assert [(f.text, f.area) for f in report.findings] == \
        [(f.text, f.area) for f in original.findings]


def test_ligatures_are_spelt_out():
    # Some extractions keep typographic ligatures; a finding reads as the report's words.
    report = retyped(NEW, lambda text: text.replace("fi", "\ufb01").replace("fl", "\ufb02"))
    assert [f.text for f in report.findings] == [f.text for f in bundled(NEW).findings]


def test_recommendations_without_bullets_or_blank_lines_stay_apart():
    # The bundled 2017 text lost its bullets; without the blank lines between them too,
    # each recommendation still opens as an instruction ("Ensure that ...").
    report = retyped(OLD, lambda text: re.sub(r"\n\n+", "\n", text))
    recommendations = [f.text for f in report.findings if f.kind == "recommendation"]
    assert recommendations == [f.text for f in bundled(OLD).findings
                               if f.kind == "recommendation"]
    assert len(recommendations) == 16


def test_kent_2022_leaves_out_the_back_page():
    texts = " ".join(fold(f.text) for f in bundled(NEW).findings)
    assert "regulates and inspects" not in texts
    assert "open government licence" not in texts


# --- Kent 2017 (SIF) --------------------------------------------------------


def test_kent_2017_is_sif_with_all_seven_grades_from_the_body():
    # the first-page table of this text is scrambled: these come from the body
    report = bundled(OLD)
    assert report.framework == "sif"
    assert grades(report) == {
        "overall": "good",
        "help-and-protection": "requires improvement",
        "children-in-care": "good",
        "adoption": "good",
        "care-leavers": "good",
        "leadership": "good",
        "lscb": "requires improvement",
    }


def test_kent_2017_has_ten_recommendations_to_the_local_authority():
    report = bundled(OLD)
    recs = [
        f
        for f in report.findings
        if f.kind == "recommendation" and f.section_kind == "recommendations"
    ]
    assert len(recs) == 10
    assert [f.item for f in recs] == list(range(1, 11))
    assert recs[0].text.startswith("Ensure that prompt consideration is given to convening")
    assert "neglect" in recs[-1].text


def test_kent_2017_keeps_the_safeguarding_boards_recommendations_apart():
    report = bundled(OLD)
    board = listed(report, "recommendation", "lscb")
    assert board, "the LSCB's own recommendations are read"
    # none of them is counted among the local authority's ten
    assert not set(board) & set(listed(report, "recommendation", "recommendations"))
    assert all(f.area == "lscb" for f in report.findings if f.section_kind == "lscb")


# --- Kent 2019 (focused visit) ---------------------------------------------


def test_kent_2019_focused_visit_has_no_grades_and_four_improvement_items():
    report = bundled(FOCUSED)
    assert report.framework == "focused-visit"
    assert report.grades == ()
    items = [f for f in report.findings if f.kind == "improvement"]
    assert [f.item for f in items] == [1, 2, 3, 4]
    assert "audit" in items[0].text


def test_kent_2019_letters_method_and_close_are_no_findings():
    # who inspected, what they reviewed, when Ofsted last inspected, what it will do with
    # the findings: the letter's frame, not something the council does well or badly
    report = bundled(FOCUSED)
    frame = ("The inspectors were", "Inspectors reviewed", "This included the quality",
             "Ofsted last inspected", "your next inspection")
    assert [f.text for f in report.findings
            if classifiable(f) and any(words in f.text for words in frame)] == []
    # the letter's findings start under its first heading; a letter without headings is
    # read whole
    assert [f.section for f in report.findings if classifiable(f)][0] == "Overview"
    headings = {s.heading for s in report.sections if s.index}
    text = bundled_path(FOCUSED).read_text(encoding="utf-8")
    plain = parse_text("\n".join(line for line in text.split("\n")
                                 if line.strip() not in headings), "plain.txt")
    assert [s.kind for s in plain.sections] == ["summary"]
    assert len(plain.findings) > len(report.findings)


def test_the_county_council_paper_is_refused():
    with pytest.raises(InputError) as caught:
        read_report(bundled_path("kent-2017-county-council-paper.txt"))
    assert "not an Ofsted" in str(caught.value)


# --- the corpus ---------------------------------------------------------------


def _manifest() -> list[dict]:
    path = CORPUS / "manifest.yaml"
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8"))["reports"]


MANIFEST = _manifest()
needs_corpus = pytest.mark.skipif(
    not MANIFEST, reason=f"the corpus is not at {CORPUS} (../shared/corpus from the repo root)"
)
corpus_files = pytest.mark.parametrize(
    "entry", MANIFEST or [{"file": "none"}], ids=lambda e: e["file"]
)


MONTHS = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"


@cache
def corpus_report(name: str) -> Report:
    return read_report(CORPUS / name)


@cache
def page_edges(name: str) -> frozenset[str]:
    """Running headers and footers of a PDF, found here independently of the reader:
    lines among the first or last two of a page that recur on a third of the pages
    (digits blinded, so "... 2022 3" and "... 2022 4" count as one)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(CORPUS / name)
    pages = []
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        pages.append(textpage.get_text_range())
    document.close()
    shapes: dict[str, set[int]] = {}
    lines: dict[str, set[str]] = {}
    for number, page in enumerate(pages):
        rows = [" ".join(row.split()) for row in page.splitlines() if row.strip()]
        for row in rows[:2] + rows[-2:]:
            shape = re.sub(r"\d+", "#", row)
            shapes.setdefault(shape, set()).add(number)
            lines.setdefault(shape, set()).add(row)
    running = set()
    for shape, on in shapes.items():
        if len(on) >= max(3, len(pages) // 3) and len(fold(shape).split()) >= 3:
            running |= {fold(row) for row in lines[shape]}
    return frozenset(running)


@needs_corpus
@corpus_files
def test_corpus_framework_and_grades_match_the_manifest(entry):
    report = corpus_report(entry["file"])
    assert report.framework == entry["framework"]
    found = grades(report)
    expected = entry.get("grades") or {}
    # the manifest lists the judgement table; a SIF report also judges its LSCB
    extra = set(found) - set(expected)
    assert extra <= ({"lscb"} if report.framework == "sif" else set())
    assert {area: found.get(area) for area in expected} == expected


@needs_corpus
@corpus_files
def test_corpus_findings_hold_no_page_furniture(entry):
    report = corpus_report(entry["file"])
    running = page_edges(entry["file"])
    authority = fold(entry["local_authority"]).split()[0]
    for finding in report.findings:
        text, folded = finding.text, fold(finding.text)
        where = f"{finding.id} ({finding.section}): {text[:120]}"
        assert not any(line in folded for line in running), where
        # the ILACS running header, and a date line ending in a page number
        assert not re.search(
            rf"inspection of {authority}\b.{{0,40}} local authority childrens services", folded
        ), where
        assert not re.search(r"\b(?:19|20)\d\d \d{1,3}(?: [A-Z]|$)", text), where
        assert not re.search(r"\bpage \d+ of \d+\b", folded), where
        # a page number (or footnote number) left between sentences or at an end
        assert not re.search(r"(?:^|[.!?:]['\u2019\u201d)]? )\d{1,3}$", text), where
        assert not re.match(rf"\d{{1,3}} (?!{MONTHS})[A-Z]", text), where
        # contents page entries end with a page number; back page boilerplate
        assert not re.search(r"[a-z?] \d{1,3}$", text), where
        assert not re.search(
            r"open government licence|crown copyright|ofsted\.gov\.uk|piccadilly gate"
            r"|regulates and inspects",
            text,
            re.IGNORECASE,
        ), where


@needs_corpus
@corpus_files
def test_corpus_section_headings_carry_no_footnote_mark(entry):
    # "What needs to improve?1": the 1 marks a footnote, not part of the heading
    headings = [s.heading for s in corpus_report(entry["file"]).sections]
    assert not [h for h in headings if re.search(r"[a-z?)]\d{1,2}$", h)]


@needs_corpus
def test_corpus_is_read_whole():
    """Every manifest entry has its PDF (so the parametrised tests cover the corpus)."""
    assert len(MANIFEST) >= 27
    assert all((CORPUS / entry["file"]).exists() for entry in MANIFEST)


# --- engine tests on short reports ------------------------------------------

HEADER = "Inspection of Exampleshire local authority children’s services\n1 to 5 May 2023 {page}\n"

SAMPLE = """Inspection of Exampleshire County Council children’s services
Inspection dates: 1 to 5 May 2023
Lead inspector: Ann Example, His Majesty’s Inspector

Judgement

Grade

The impact of leaders on social work
practice with children and families

Good

The experiences and progress of
children who need help and protection

Requires improvement to be good

The experiences and progress of
children in care

Good

The experiences and progress of
care leavers

Good

Overall effectiveness

Good

Children in Exampleshire receive a good service. Leaders know their services well and
act quickly when practice is not good enough.

What needs to improve?
 The quality of plans for children in need.
 The timeliness of return home interviews.

The experiences and progress of children who need help and protection: requires
improvement to be good

1. Children receive a timely response when they are referred. The multi-
agency safeguarding hub works well with partners.
2. Too many assessments are late, and some children wait too long for help.
7
Managers do not always check that plans are carried out.

The experiences and progress of children in care: good

3. Children in care live in stable homes and see their social workers often.

The experiences and progress of care leavers: good

4. Care leavers’ café sessions are popular, and advisers keep in touch with them.

The impact of leaders on social work practice with children and families: good

5. Leaders have a clear plan and have reduced caseloads.
"""


def texts(report: Report) -> list[str]:
    return [f.text for f in report.findings]


def test_a_short_ilacs_report_is_read_into_the_model():
    report = parse_text(SAMPLE, "sample.txt")
    assert report.framework == "ilacs"
    assert report.local_authority == "Exampleshire"
    assert report.inspection_dates == "1 to 5 May 2023"
    assert grades(report) == {
        "overall": "good",
        "help-and-protection": "requires improvement",
        "children-in-care": "good",
        "care-leavers": "good",
        "leadership": "good",
    }
    improvements = [f for f in report.findings if f.kind == "improvement"]
    assert [f.text for f in improvements] == [
        "The quality of plans for children in need.",
        "The timeliness of return home interviews.",
    ]
    assert [f.paragraph for f in report.findings if f.paragraph] == [1, 1, 2, 2, 3, 4, 5]
    assert {f.area for f in report.findings if f.paragraph == 3} == {"children-in-care"}


def test_a_blank_line_inside_an_unfinished_sentence_does_not_cut_it():
    # pdftotext leaves one where a column or page breaks a list item or a paragraph
    broken = SAMPLE.replace("The quality of plans for children in need.",
                            "The quality of plans for children\n\nin need.").replace(
        "Leaders have a clear plan and have reduced caseloads.",
        "Leaders have a clear plan and\n\nhave reduced caseloads.")
    assert texts(parse_text(broken, "pdftotext.txt")) == texts(parse_text(SAMPLE, "sample.txt"))


@pytest.mark.parametrize(("text", "expected"), [
    ("Plans are weak. (Recommendation) Chairs are independent and well attended.",
     ["Plans are weak. (Recommendation)", "Chairs are independent and well attended."]),
    # a damaged extraction: the paragraph after the marker lost its first line
    ("Plans are weak. (Recommendation) and well attended by agencies.",
     ["Plans are weak. (Recommendation)", "and well attended by agencies."]),
    ("Plans are weak. (Recommendation)", ["Plans are weak. (Recommendation)"]),
])
def test_a_recommendation_marker_closes_the_sentence_before_it(text, expected):
    from diffing.read import split_sentences

    assert split_sentences(text) == expected


def test_a_word_hyphenated_across_a_line_break_reads_as_one_word():
    found = texts(parse_text(SAMPLE, "sample.txt"))
    assert "The multi-agency safeguarding hub works well with partners." in found


def test_a_word_a_layout_extraction_split_with_a_wide_gap_is_whole_again():
    # pypdf's layout mode spreads justified lines, sometimes inside a word; a gap
    # between two words stays a gap
    spread = SAMPLE.replace("check that plans are carried out",
                            "check that pl        ans are        carried out")
    found = texts(parse_text(spread, "layout.txt"))
    assert "Managers do not always check that plans are carried out." in found
    assert found == texts(parse_text(SAMPLE, "sample.txt"))


def test_a_page_number_line_is_dropped():
    report = parse_text(SAMPLE, "sample.txt")
    second = [f.text for f in report.findings if f.paragraph == 2]
    assert second == [
        "Too many assessments are late, and some children wait too long for help.",
        "Managers do not always check that plans are carried out.",
    ]
    assert not any(re.search(r"(?:^| )7(?: |$)", text) for text in texts(report))


ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8 with BOM": lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    "cp1252": lambda s: s.encode("cp1252"),
    "latin-1": lambda s: s.replace("’", "'").encode("latin-1"),
    "CRLF": lambda s: s.replace("\n", "\r\n").encode("utf-8"),
    "cp1252 CRLF": lambda s: s.replace("\n", "\r\n").encode("cp1252"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_in_the_usual_encodings_reads_the_same(encoding):
    expected = parse_text(SAMPLE, "sample.txt")
    report = read_report("sample.txt", ENCODINGS[encoding](SAMPLE))
    got = texts(report)
    if encoding == "latin-1":  # latin-1 has no curly apostrophe: the sample uses a straight one
        got = [t.replace("'", "’") for t in got]
    assert got == texts(expected)
    assert report.grades == expected.grades
    assert any("café" in t for t in got), "accented letters survive decoding"
    assert not any("\r" in t or "\ufeff" in t for t in got)


def _paged(text: str, breaks: list[str], page_end: str = "") -> str:
    """The sample as a PDF's text would give it: pages split before each of `breaks`, each
    page after the first opening with the running header. pypdfium2 ends a page without a
    newline (page_end ""); pdftotext ends it with one and leaves a blank after the header."""
    pages = [text]
    for marker in breaks:
        head, _, tail = pages[-1].partition(marker)
        pages[-1:] = [head.rstrip("\n") + page_end, marker + tail]
    return "\f".join(
        page if number == 0 else HEADER.format(page=number + 1) + page_end + page
        for number, page in enumerate(pages)
    )


BREAKS = ["Children in Exampleshire", "agency safeguarding", "3. Children", "5. Leaders"]


@pytest.mark.parametrize("page_end", ["", "\n"], ids=["pypdfium2", "pdftotext"])
def test_running_headers_and_page_breaks_stay_out_of_findings(page_end):
    report = parse_text(_paged(SAMPLE, BREAKS, page_end), "paged.pdf")
    found = " ".join(texts(report))
    assert "local authority children" not in found
    assert "May 2023" not in found
    # a paragraph broken by a page reads as if the page had not broken it
    assert texts(report) == texts(parse_text(SAMPLE, "sample.txt"))


_FOOTNOTE_TEXT = ("The areas for improvement have been cross-referenced with the national\n"
                  "framework. This statutory guidance sets out expected outcomes.")


def _with_footnote(foot: str, join: str = "\f") -> list[str]:
    """The findings of the paged sample whose second page ends with `foot`, its pages
    joined by `join`."""
    first, second, *rest = _paged(SAMPLE, BREAKS).split("\f")
    return texts(parse_text(join.join([first, second + foot, *rest]), "footnote.txt"))


@pytest.mark.parametrize("gap", ["\n", "\n \n \n"], ids=["none", "blank lines (pypdf)"])
def test_a_footnote_at_a_page_foot_stays_out_of_the_paragraph_it_breaks(gap):
    assert _with_footnote(f"{gap}1 {_FOOTNOTE_TEXT}") == texts(parse_text(SAMPLE, "sample.txt"))


def test_a_footnote_stays_out_of_its_paragraph_when_the_page_breaks_were_lost():
    # pages joined by newlines (a text export without form feeds): the running header
    # still marks where each page began
    found = _with_footnote(f"\n\n1 {_FOOTNOTE_TEXT}\n", join="\n")
    assert found == texts(parse_text(SAMPLE, "sample.txt"))


def test_a_footnote_whose_number_stands_alone_above_it_stays_out_too():
    # pdftotext's order: the footnote's number on a line of its own, then its text, then
    # the running header and the page number
    found = _with_footnote(f"\n\n1\n\n{_FOOTNOTE_TEXT}\n\n2\n")
    assert found == texts(parse_text(SAMPLE, "sample.txt"))


def test_a_footnote_goes_where_the_footer_opens_the_next_page():
    # pdftotext -raw: each page opens with the running header and page number and ends
    # with its text, so nothing follows the footnote on its page
    assert _with_footnote(f"\n1\n{_FOOTNOTE_TEXT}") == texts(parse_text(SAMPLE, "sample.txt"))


def test_a_page_number_standing_alone_above_a_paragraph_keeps_the_paragraph():
    # pdftotext may print the page number where it falls, above the page's last paragraph:
    # nothing below it is a page number, so it is no footnote's number
    pages = _paged(SAMPLE, BREAKS).split("\f")
    pages[-1] = pages[-1].replace("5. Leaders have", "5.\n\n9\n\nLeaders have")
    assert "\n9\n" in pages[-1]
    report = parse_text("\f".join(pages), "pdftotext.txt")
    assert "Leaders have a clear plan and have reduced caseloads." in texts(report)


SIF = """Exampleshire County Council
Inspection of services for children in need of help and protection,
children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children Board
Inspection dates: 6 March to 30 March 2017
Report published: 13 June 2017
Children’s services in Exampleshire are good
\f2
Contents
Executive summary 2
Recommendations 4
The Local Safeguarding Children Board (LSCB) 10
What does the LSCB need to improve? 11
Information about this inspection 12
\f3
Executive summary
Exampleshire County Council is delivering a good service to children and families.
Leaders have responded purposefully to weaknesses.
Recommendations
1. Ensure that strategy discussions are held for all children when risk increases.
2. Improve the timeliness of return home interviews.
The experiences and progress of children who need help and protection requires improvement
Summary
Children do not always receive help quickly enough.
\f4
The Local Safeguarding Children Board (LSCB)
Executive summary
The board is not yet good. It requires improvement.
Recommendations
3. Ensure that the board scrutinises frontline practice.
"""


def test_a_sif_report_keeps_its_contents_page_and_its_boards_recommendations_apart():
    report = parse_text(SIF, "sif.pdf")
    assert report.framework == "sif"
    assert grades(report)["help-and-protection"] == "requires improvement"
    found = texts(report)
    assert not any(re.search(r"\d$", text) for text in found), "no contents entry is a finding"
    assert not any("What does the LSCB" in text for text in found)
    assert listed(report, "recommendation", "recommendations") == [
        "Ensure that strategy discussions are held for all children when risk increases.",
        "Improve the timeliness of return home interviews.",
    ]
    assert listed(report, "recommendation", "lscb") == [
        "Ensure that the board scrutinises frontline practice."
    ]


def test_a_numbered_list_under_a_heading_that_names_no_area_is_no_longer_recommendations():
    # SIF reports of 2014-15 number on from the recommendations into "The local
    # authority's strengths": an area's name inside the list heads its part of it, any
    # other heading ends it
    sif = SIF.replace(
        "2. Improve the timeliness of return home interviews.\n",
        "Children looked after\n"
        "2. Improve the timeliness of return home interviews.\n"
        "The local authority\u2019s strengths\n"
        "3. Leaders know the service well and act quickly on what they find.\n",
    )
    report = parse_text(sif, "sif.pdf")
    assert listed(report, "recommendation", "recommendations") == [
        "Ensure that strategy discussions are held for all children when risk increases.",
        "Improve the timeliness of return home interviews.",
    ]
    assert "Leaders know the service well and act quickly on what they find." in listed(
        report, "finding", "findings")


@needs_corpus
def test_a_sif_report_of_2015_ends_its_recommendations_where_its_strengths_begin():
    report = corpus_report("leeds-2015-sif.pdf")
    council = [f for f in report.findings if f.kind == "recommendation" and f.area != "lscb"]
    assert council[-1].text.startswith("Ensure that all young people have information in "
                                       "relation to their health history")
    strengths = [f for f in report.findings if "strengths" in f.section]
    assert strengths and {f.kind for f in strengths} == {"finding"}


SIF_2014 = """Exampleshire County Council
Inspection of services for children in need of help and protection, children looked
after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children Board
Inspection dates: 10 February to 5 March 2014
Report published: 21 March 2014
Children's services in Exampleshire are inadequate
What does the local authority need to improve?
Priority and immediate action
1. Senior leaders need to ensure that children referred to social care are seen swiftly.
Areas for improvement
2. Ensure that plans for children have clear outcomes and timescales.
The experiences and progress of children who need help and protection are inadequate
3. Too many children wait too long for an assessment.
The graded judgment for adoption performance is requires improvement
4. Adopters are well prepared and supported.
Leadership, management and governance are inadequate
5. Leaders have not tackled known weaknesses quickly enough.
Section 2: The effectiveness of the local safeguarding children board
The effectiveness of the LSCB is inadequate
Priority and immediate action
There are no priority actions.
Areas for improvement
6. Ensure that partners attend child protection conferences.
Key strengths and weaknesses of the LSCB
7. The board does not hold partners to account.
"""


def test_a_2014_sif_report_states_each_grade_in_its_heading():
    report = parse_text(SIF_2014, "sif-2014.txt")
    by_text = {f.text: f for f in report.findings}
    assert listed(report, "recommendation", "recommendations") == [
        "Senior leaders need to ensure that children referred to social care are seen swiftly.",
        "Ensure that plans for children have clear outcomes and timescales.",
    ]
    assert [(f.text, f.area) for f in report.findings if f.kind == "recommendation"
            and f.section_kind == "lscb"] == [
        ("Ensure that partners attend child protection conferences.", "lscb")]
    assert by_text["Too many children wait too long for an assessment."].area \
        == "help-and-protection"
    assert by_text["Adopters are well prepared and supported."].area == "adoption"
    assert by_text["Leaders have not tackled known weaknesses quickly enough."].area \
        == "leadership"
    assert by_text["The board does not hold partners to account."].area == "lscb"
    assert not any("are inadequate" in text or "is requires" in text or "no priority" in text
                   for text in by_text), "headings and a list's opening are not findings"


@needs_corpus
def test_a_sif_report_of_2014_has_its_parts_and_its_boards_recommendations_apart():
    report = corpus_report("coventry-2014-sif.pdf")
    areas = {f.area for f in report.findings if f.kind == "finding"}
    assert {"help-and-protection", "children-in-care", "adoption", "care-leavers",
            "leadership", "lscb"} <= areas
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    assert len([f for f in recommendations if f.area != "lscb"]) == 21  # numbered 23 to 43
    assert len([f for f in recommendations if f.area == "lscb"]) == 6  # numbered 120 to 125


@pytest.mark.parametrize(("printed", "grade"), [
    ("\n\nRequires improvement\n\n", "requires improvement"),
    ("\n\nGood\n\n", "good"),
    # Sunderland 2018 wraps the grade under its heading
    ("\nRequires improvement\nto be good\n", "requires improvement"),
])
def test_a_grade_printed_under_its_heading_is_no_finding(printed, grade):
    # as Kent 2017 and most SIF reports print a judgement: its heading, then its grade
    sif = SIF.replace(
        "The experiences and progress of children who need help and protection requires "
        "improvement\n",
        f"The experiences and progress of\nchildren who need help and\nprotection{printed}")
    report = parse_text(sif, "sif.pdf")
    assert grades(report)["help-and-protection"] == grade
    only_grades = re.compile(r"(?:requires improvement|to be good|good| )+")
    assert not [t for t in texts(report) if only_grades.fullmatch(fold(t))]


def test_a_wrapped_grade_printed_line_by_line_beside_its_wrapped_heading():
    # pdfplumber interleaves the two columns: heading, grade, heading, grade, heading
    sif = SIF.replace(
        "The experiences and progress of children who need help and protection requires "
        "improvement\n",
        "The experiences and progress of\nRequires improvement\nchildren who need help\n"
        "to be good\nand protection\n")
    report = parse_text(sif, "pdfplumber.txt")
    assert grades(report)["help-and-protection"] == "requires improvement"
    summary = [f for f in report.findings if f.text.startswith("Children do not always")]
    assert summary and summary[0].area == "help-and-protection"
    assert not [t for t in texts(report) if "to be good" in t or "Requires" in t]


def test_a_table_rows_wrapped_label_end_printed_after_its_grade():
    # PyMuPDF's text sorted by position sets a row's wrapped label end after its grade
    sif = SIF.replace(
        "Children’s services in Exampleshire are good\n",
        "Children’s services in Exampleshire are good\n"
        "1. Children who need help and protection          Requires improvement\n"
        "2. Children looked after and achieving       Good       permanence\n")
    report = parse_text(sif, "pymupdf.txt")
    assert grades(report)["children-in-care"] == "good"
    assert grades(report)["help-and-protection"] == "requires improvement"


def test_a_heading_above_a_column_of_numbers_printed_apart_keeps_its_place():
    # OCR printed the recommendations' numbers apart, some lost ("1.", then "3."): the
    # lone "1." is not the heading's number
    sif = SIF.replace(
        "Recommendations\n1. Ensure that strategy discussions are held for all children when "
        "risk increases.\n2. Improve the timeliness of return home interviews.\n",
        "\nRecommendations\n\n1.\n\n3.\n\nEnsure that strategy discussions are held for all "
        "children when risk increases.\n\nImprove the timeliness of return home interviews.\n")
    assert sif != SIF
    report = parse_text(sif, "ocr.txt")
    assert [f.text[:24] for f in report.findings if f.section_kind == "recommendations"] \
        == ["Ensure that strategy dis", "Improve the timeliness o"]


@pytest.mark.parametrize("heading", [
    "The graded judgement for adoption performance is that it is good",
    "The graded judgement for adoption performance is that it\nis good",
])
def test_a_judgement_heading_that_is_a_sentence_heads_its_part(heading):
    # SIF reports of 2016-18 head adoption and care leavers with a sentence stating the grade
    sif = SIF.replace("The Local Safeguarding Children Board (LSCB)\n",
                      f"{heading}\n\nAdopters are well prepared and supported.\n\n"
                      "The Local Safeguarding Children Board (LSCB)\n")
    report = parse_text(sif, "sif.pdf")
    assert grades(report)["adoption"] == "good"
    assert [(f.text, f.area) for f in report.findings if "dopt" in f.text] == [
        ("Adopters are well prepared and supported.", "adoption")]


def test_a_numbered_items_hanging_lines_stay_with_it():
    # pypdf prints the wrapped lines of a numbered item with the one space they hang by
    hanging = SIF.replace(
        "1. Ensure that strategy discussions are held for all children when risk increases.\n",
        "1. Ensure that strategy discussions are held for all children when risk\n"
        " increases, and that partners attend\n"
        " them.\n",
    ).replace(
        "2. Improve the timeliness of return home interviews.\n",
        "2. Improve the timeliness of return home interviews.\n"
        " Managers check them weekly.\n",
    )
    assert listed(parse_text(hanging, "pypdf.txt"), "recommendation", "recommendations") == [
        "Ensure that strategy discussions are held for all children when risk increases, "
        "and that partners attend them.",
        "Improve the timeliness of return home interviews.",
        # after a full stop, a line that hangs by one space is a list item whose
        # bullet the extraction lost
        "Managers check them weekly.",
    ]


def test_text_that_is_not_a_report_names_the_file_and_the_problem():
    with pytest.raises(InputError) as caught:
        parse_text("Minutes of the county council meeting.\nItems of business.\n", "notes.txt")
    assert str(caught.value).startswith("notes.txt: not an Ofsted")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Monitoring visit to Sunderland children's services", "a monitoring visit letter"),
        ("Joint targeted area inspection of the multi-agency response to children at risk",
         "a joint targeted area inspection"),
        ("Inspection of safeguarding and looked after children services: Kent",
         "a 2009-2012 inspection of safeguarding"),
    ],
)
def test_other_ofsted_publications_are_refused_by_name(title, named):
    text = (f"{title}\n\nInspection dates: 4 to 15 March 2019\n\n"
            "Plans are not consistently updated and managers do not always check them.\n")
    with pytest.raises(InputError) as caught:
        parse_text(text, "letter.pdf")
    message = str(caught.value)
    assert message.startswith(f"letter.pdf: {named}")
    assert "not an inspection kent-diff reads" in message and "\n" not in message


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (bytes(range(256)) * 64, "binary"),
        (b"%PDF-1.4\nnot really a pdf", "not a readable PDF"),
    ],
    ids=["empty", "blank", "binary", "broken-pdf"],
)
def test_unusable_bytes_raise_one_line_input_errors(data, problem):
    with pytest.raises(InputError) as caught:
        read_report("input.bin", data)
    assert str(caught.value).startswith("input.bin: ")
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_file_and_a_directory_raise_input_errors(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_report(tmp_path / "missing.pdf")
    with pytest.raises(InputError, match="directory"):
        read_report(tmp_path)


# --- grade tables as other extractors lay them out ----------------------------

_SIF_TOP = """Brookshire County Council
Inspection of services for children in need of help and protection, children looked after and
care leavers
Inspection dates: 2 to 27 May 2016
Children's services in Brookshire require improvement to be good
"""
_SIF_BODY = """
Recommendations
1. Ensure that return home interviews are timely for children who go missing.

Inspection findings
2. Strategy discussions are timely and effective, and all relevant agencies attend them.
"""


@pytest.mark.parametrize(
    "table",
    [
        # a column layout: the grade beside the first line of a wrapped label
        "1. Children who need help and protection        Requires improvement\n"
        "2. Children looked after and achieving          Good\n"
        "   permanence\n"
        "3. Leadership, management and governance        Inadequate\n",
        # the grade printed on the line above its row
        "1. Children who need help and protection        Requires improvement\n"
        "2. Children looked after and achieving          Requires improvement\n"
        "   permanence\n"
        "                                                Good\n"
        "   2.1 Adoption performance\n"
        "                                                Inadequate\n"
        "3. Leadership, management and governance\n",
        # the grade printed between the two lines of a wrapped row
        "1. Children who need help and protection        Requires improvement\n"
        "2. Children looked after and achieving\n"
        "                                                Good\n"
        "   permanence\n"
        "3. Leadership, management and governance        Inadequate\n",
        # pdfplumber: the column gap closed up to one space, the grade above its row
        "1. Children who need help and protection Requires improvement\n"
        "2. Children looked after and achieving Requires improvement\n"
        "permanence\n"
        "Good\n"
        "2.1 Adoption performance\n"
        "Inadequate\n"
        "3. Leadership, management and governance\n",
        # pdfminer: the labels, then their grades stacked one under another
        "1.  Children who need help and protection\n\n"
        "2.  Children looked after and achieving\n\npermanence\n\n"
        "Requires improvement\n\nGood\n\n"
        "3.  Leadership, management and governance\n\nInadequate\n",
        "1.  Children who need help and protection\n\n"
        "2.  Children looked after and achieving\n\npermanence\n\n"
        "2.1 Adoption performance\n\n"
        "Requires improvement\n\nRequires improvement\n\nGood\n\n"
        "3.  Leadership, management and governance\n\nInadequate\n",
    ],
    ids=["beside", "above", "between", "pdfplumber", "pdfminer", "pdfminer-adoption"],
)
def test_grade_tables_in_column_layouts(table):
    report = parse_text(_SIF_TOP + table + _SIF_BODY, "layout.txt")
    grades = {g.area: g.grade for g in report.grades}
    assert grades["help-and-protection"] == "requires improvement"
    assert grades["overall"] == "requires improvement"
    if "2.1 Adoption" in table:
        assert grades["children-in-care"] == "requires improvement"
        assert grades["adoption"] == "good"
        assert grades["leadership"] == "inadequate"
    else:
        assert grades["children-in-care"] == "good"
        assert grades["leadership"] == "inadequate"


# --- paragraph numbers as pdfminer lays them out -----------------------------

_ILACS_PAGES = [
    """Inspection of Brookshire local authority children's services
Inspection dates: 1 to 12 May 2023
Lead inspector: A Inspector, His Majesty's Inspector

Judgement

Grade

Overall effectiveness

Good

The experiences and progress of children who need help and protection: good

1.

2.

Early help is well established and families get support when they first need it.

The front door responds to contacts promptly, and thresholds are applied well by
managers who know their teams.

Inspection of Brookshire local authority children's services
1 to 12 May 2023
2""",
    """Assessments are thorough, and children's views are captured well and shape what
happens next for them.

Plans for children in need are not consistently specific about what must change, and
some lack timescales.

3.

4.

Inspection of Brookshire local authority children's services
1 to 12 May 2023
3""",
    """5.  Disabled children are seen regularly by social workers who know them very well
and who

6.

build trusting relationships with them and their families. Short breaks are well used.

Children at risk of exploitation are identified early.

Inspection of Brookshire local authority children's services
1 to 12 May 2023
4""",
]


def _numbered_paragraphs(report: Report) -> dict[int, str]:
    found: dict[int, str] = {}
    for finding in report.findings:
        if finding.paragraph is not None:
            found[finding.paragraph] = f"{found.get(finding.paragraph, '')} {finding.text}".strip()
    return found


def test_a_column_of_paragraph_numbers_printed_apart_goes_back_to_its_paragraphs():
    # pdfminer prints a page's paragraph numbers as blocks of their own, before the
    # paragraphs (page 1), after them (page 2), or around them (page 3, where a paragraph
    # begun on the page before comes first)
    paragraphs = _numbered_paragraphs(parse_text("\f".join(_ILACS_PAGES), "pdfminer.txt"))
    assert sorted(paragraphs) == [1, 2, 3, 4, 5, 6]
    assert paragraphs[1].startswith("Early help is well established")
    assert paragraphs[2].startswith("The front door responds")
    assert paragraphs[3].startswith("Assessments are thorough")
    assert paragraphs[4].startswith("Plans for children in need")
    assert paragraphs[5] == ("Disabled children are seen regularly by social workers who know "
                             "them very well and who build trusting relationships with them "
                             "and their families. Short breaks are well used.")
    assert paragraphs[6] == "Children at risk of exploitation are identified early."


def test_numbers_printed_after_a_page_take_its_last_paragraph_though_it_runs_on():
    # the page's last paragraph goes on over the page break, so it ends without a full
    # stop, and a footnote follows the column of numbers printed after the page's text:
    # the column still numbers the paragraphs above it
    pages = list(_ILACS_PAGES)
    pages[1] = pages[1].replace("some lack timescales.", "some lack").replace(
        "4.\n\n", "4.\n\n1 The areas for improvement are cross-referenced with the national "
        "framework.\n\n")
    pages[2] = "timescales for the help families will get.\n\n" + pages[2]
    paragraphs = _numbered_paragraphs(parse_text("\f".join(pages), "pdfminer.txt"))
    assert paragraphs[3].startswith("Assessments are thorough")
    assert paragraphs[4] == ("Plans for children in need are not consistently specific about "
                             "what must change, and some lack timescales for the help "
                             "families will get.")


def test_a_numbered_paragraphs_first_line_set_apart_goes_on_with_its_text():
    # pdfminer sets the first line of a numbered paragraph apart by a blank line, even
    # where the next line starts a sentence or a name
    text = "\f".join(_ILACS_PAGES).replace(
        "Children at risk of exploitation are identified early.",
        "Children at risk of exploitation are identified early.\n\n"
        "7.  Children at risk of exploitation are identified early and helped by a team in\n\n"
        "Brookshire. Return home interviews are timely, and what children say in them is\n"
        "shared with the police and with the schools they attend, so that patterns of\n"
        "risk are seen and acted on across the partnership.\n\n"
        "8.  Private fostering arrangements are assessed well, and children are visited.\n\n"
        "Children who are homeless at 16 and 17 are helped to find a home quickly, and\n"
        "advocates help them to be heard when decisions are made about where they will\n"
        "live and who will support them once they have moved.\n\n"
        "9.  Care leavers are helped well by personal advisers who know them, and most\n"
        "live in suitable homes that they chose with the help of their advisers and\n"
        "in which they feel safe and settled.")
    paragraphs = _numbered_paragraphs(parse_text(text, "pdfminer.txt"))
    assert paragraphs[7].startswith(
        "Children at risk of exploitation are identified early and helped by a team in "
        "Brookshire. Return home interviews are timely")
    assert paragraphs[8].startswith(
        "Private fostering arrangements are assessed well, and children are visited. Children "
        "who are homeless at 16 and 17 are helped")
    assert paragraphs[9].startswith("Care leavers are helped well")


# --- lines an unwrapping converter runs together ------------------------------


def test_a_long_sif_heading_on_one_line_is_a_heading():
    # pymupdf4llm 1.27 prints a heading on one line however long; this one is 113 characters
    heading = ("The graded judgement about the experience and progress of care leavers is "
               "that it requires improvement to be good")
    text = (_SIF_TOP + "1. Children who need help and protection Requires improvement\n"
            + _SIF_BODY + "\n" + heading + "\n3. Pathway plans are too general.\n")
    report = parse_text(text, "unwrapped.txt")
    last = report.findings[-1]
    assert last.text == "Pathway plans are too general."
    assert (last.section, last.area, last.paragraph) == (heading, "care-leavers", 3)
    assert {g.area: g.grade for g in report.grades}["care-leavers"] == "requires improvement"


def test_a_cover_run_into_one_line_still_gives_dates_and_the_judgement_table():
    # a converter that sets the cover's lines in one run ("... services Inspection dates:
    # 11 to 22 November 2019 Lead inspector: ..."), and each judgement's label unwrapped
    text = bundled_path(NEW).read_text(encoding="utf-8")
    lines = text.split("\n")
    judgement = lines.index("Judgement")
    cover = " ".join(line.strip() for line in lines[:judgement])
    plain = bundled(NEW)
    report = parse_text(cover + "\n" + "\n".join(lines[judgement:]), "cover.txt")
    assert (report.title, report.local_authority, report.inspection_dates) == (
        plain.title, plain.local_authority, plain.inspection_dates)
    assert [f.text for f in report.findings] == [f.text for f in plain.findings]
    unwrapped = retyped(NEW, lambda t: t.replace("social work\npractice", "social work practice")
                        .replace("of\nchildren who", "of children who"))
    assert [(f.text, f.section) for f in unwrapped.findings] == \
        [(f.text, f.section) for f in plain.findings]


def test_a_cover_run_into_one_line_still_names_the_council_and_keeps_the_curated_pins():
    # "Kent County Council Inspection of services for children in need ... Inspection dates:
    # 6 March to 30 March 2017 Report published: 13 June 2017" on one line: the council is
    # the name before the report's own title (else the Kent mapping would not apply)
    lines = bundled_path(OLD).read_text(encoding="utf-8").split("\n")
    published = next(i for i, line in enumerate(lines) if line.startswith("Report published"))
    cover = " ".join(line.strip() for line in lines[:published + 1])
    report = parse_text(cover + "\n" + "\n".join(lines[published + 1:]), "cover.txt")
    plain = bundled(OLD)
    assert (report.local_authority, report.inspection_dates) == (
        plain.local_authority, plain.inspection_dates) == ("Kent", "6 March to 30 March 2017")
    assert pins_for(report, bundled(NEW), bundled_mappings()) == \
        pins_for(plain, bundled(NEW), bundled_mappings()) != ()
    # an ILACS cover of the 2018-2021 kind: the council's name, then the title
    ilacs = parse_text("Sunderland City Council Inspection of children’s social care services "
                       "Inspection dates: 28 June 2021 to 9 July 2021\n"
                       + "\n".join(bundled_path(NEW).read_text(encoding="utf-8")
                                    .split("\n")[3:]), "ilacs.txt")
    assert ilacs.local_authority == "Sunderland"


@pytest.mark.parametrize("margin", ["\t", " "])
def test_a_margin_before_every_line_is_not_a_lost_bullet_on_each(margin: str):
    # a single space before a line marks a bullet glyph the extraction lost; before every
    # line (a converter's indent, or a tab) it is the text's margin
    def indented(text: str) -> str:
        return margin + text.replace("\n", "\n" + margin)

    def reading(report: Report) -> list[tuple]:
        return [(f.text, f.paragraph, f.section, f.kind) for f in report.findings]

    for name in (OLD, NEW):
        assert reading(retyped(name, indented)) == reading(bundled(name))


def test_a_bullet_an_extraction_sets_on_a_heading_line_is_not_part_of_the_heading():
    # pdftohtml prints the first item's bullet at the end of "What needs to improve?"
    report = retyped(NEW, lambda t: t.replace("What needs to improve?\n\u25fc ",
                                              "What needs to improve? \u25fc\n", 1))
    items = [f for f in report.findings if f.kind == "improvement"]
    assert len(items) == 3
    assert {f.section for f in items} == {"What needs to improve?"}


def test_the_tail_of_a_sentence_whose_paragraph_start_was_lost_is_no_finding():
    # Kent 2017's text lost the first line of some paragraphs: "needs." is what is left of
    # a sentence, and states nothing; the sentences after it are read as ever
    kent = bundled(OLD)
    (tail,) = [f for f in kent.findings if f.text == "needs."]
    after = [f for f in kent.findings if f.block == tail.block]
    assert tail.polarity == "neutral"
    assert after[1].text.startswith("A minority of plans seen were of poorer quality")
    assert after[1].polarity == "concern"
    # a short sentence that opens as a sentence does is read as one
    assert any(f.text == "Morale is good." and f.polarity == "strength" for f in kent.findings)
