"""The terminal view and the Markdown brief on small comparisons built here, one result of
every status, with report text that looks like Rich markup, Markdown and HTML."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from diffing.model import Comparison, Finding, GradeEntry, GradeMove, Report, Result, Section
from reports import markdown, terminal
from reports.selection import OTHERS_SHOWN, Selection, groups, items
from reports.terminal import ADDED, REMOVED, word_diff

RECS = Section(0, "Recommendations", "recommendations", None)
HELP = Section(1, "Help and protection", "findings", "help-and-protection")
CARE = Section(2, "Children in care", "findings", "children-in-care")
IMPROVE = Section(0, "What needs to improve?", "improvements", None)
NEW_HELP = Section(1, "Help and protection: good", "findings", "help-and-protection")

MARKUP = "Plans use [bold]SMART[/bold] targets [/] and [link=https://example.org]links[/link]."
MARKDOWN = "Some *plans* use __bold__ | pipes | `code` <b>html</b> &copy; and [a](link)."


def _finding(n, text, section, kind="finding", polarity="concern", item=None, paragraph=None):
    return Finding(
        id=f"f{n}", text=text, section=section.heading, section_kind=section.kind,
        area=section.area, kind=kind, polarity=polarity,
        paragraph=paragraph if paragraph is not None else (None if item else n),
        block=n, item=item,
    )


OLD_FINDINGS = (
    _finding(1, "Improve the timeliness of return home interviews for children who go missing.",
             RECS, "recommendation", item=1),
    _finding(2, "Ensure that homeless 16 and 17 year olds are assessed promptly.", RECS,
             "recommendation", item=2),
    _finding(3, "Evaluate the quality of supervision across teams.", RECS, "recommendation",
             item=3),
    _finding(4, "Private fostering assessments are not rigorous enough.", HELP),
    _finding(5, "Strategy discussions are timely and well attended.", HELP, polarity="strength"),
    _finding(6, MARKUP, CARE),
    _finding(7, "Children in care see their social workers regularly.", CARE,
             polarity="strength"),
)
NEW_FINDINGS = (
    _finding(1, "The practice of conducting visits to children during school hours.", IMPROVE,
             "improvement", item=1),
    _finding(2, "The response to young people aged 16 and 17 who present as homeless.", IMPROVE,
             "improvement", item=2),
    _finding(3, "When children go missing, return home interviews are timely and effective.",
             NEW_HELP, polarity="strength", paragraph=3),
    _finding(4, "Some homeless 16 and 17 year olds are still not assessed promptly.", NEW_HELP,
             paragraph=4),
    _finding(5, "Private fostering assessments are thorough.", NEW_HELP, polarity="strength",
             paragraph=5),
    _finding(6, "Strategy discussions are not always held when risk increases.", NEW_HELP,
             paragraph=6),
    _finding(7, MARKDOWN, NEW_HELP, paragraph=7),
    _finding(8, "Children in care see their social workers regularly and alone.", NEW_HELP,
             polarity="strength", paragraph=8),
    _finding(9, "Care leavers praise their personal advisers.", NEW_HELP, polarity="strength",
             paragraph=9),
)
OLD = Report(
    path="old.txt", title="Inspection of [red]Brookshire[/red]", local_authority="Brookshire",
    framework="sif", inspection_dates="2 to 27 May 2016", year=2016,
    grades=(GradeEntry("overall", "requires improvement"), GradeEntry("adoption", "good")),
    sections=(RECS, HELP, CARE), findings=OLD_FINDINGS,
)
NEW = Report(
    path="new.txt", title="Inspection of Brookshire", local_authority="Brookshire",
    framework="ilacs", inspection_dates="9 to 20 May 2022", year=2022,
    grades=(GradeEntry("overall", "good"),), sections=(IMPROVE, NEW_HELP), findings=NEW_FINDINGS,
)
RESULTS = (
    Result("improved", 0.7, "fuzzy", "missing", OLD_FINDINGS[0], NEW_FINDINGS[2],
           ("return", "interview")),
    Result("persisting", 0.6, "fuzzy", "homeless-16-17", OLD_FINDINGS[1], NEW_FINDINGS[3],
           also=(12,)),
    Result("not-reported", 0.0, "none", None, OLD_FINDINGS[2], None),
    Result("improved", 0.65, "fuzzy", "private-fostering", OLD_FINDINGS[3], NEW_FINDINGS[4]),
    Result("regressed", 0.5, "fuzzy", "strategy-and-enquiries", OLD_FINDINGS[4], NEW_FINDINGS[5]),
    Result("persisting", 0.4, "fuzzy", None, OLD_FINDINGS[5], NEW_FINDINGS[6]),
    Result("sustained", 0.9, "exact", "visits", OLD_FINDINGS[6], NEW_FINDINGS[7]),
    Result("persisting", 0.55, "reverse", "homeless-16-17", OLD_FINDINGS[1], NEW_FINDINGS[1]),
    Result("new", 0.0, "none", "visits", None, NEW_FINDINGS[0]),
    Result("new-strength", 0.0, "none", None, None, NEW_FINDINGS[8]),
)
GRADES = (
    GradeMove("overall", "requires improvement", "good", "improved"),
    GradeMove("adoption", "good", None, "not-comparable"),
)
COMPARISON = Comparison(OLD, NEW, GRADES, RESULTS)


def show(comparison=COMPARISON, selection=None, width=100, color=False) -> str:
    console = Console(
        file=io.StringIO(), width=width, color_system="truecolor" if color else None,
        force_terminal=color,
    )
    console.print(terminal.render(comparison, selection))
    return console.file.getvalue()


def folded(text: str) -> str:
    return " ".join(text.split())


# --- terminal ------------------------------------------------------------------------------


def test_the_header_names_both_inspections_and_the_grades_move():
    out = show()
    assert "Brookshire" in out
    assert "2 to 27 May 2016" in out and "9 to 20 May 2022" in out
    assert "Single Inspection Framework" in out and "ILACS" in out
    overall = next(line for line in out.splitlines() if "Overall effectiveness" in line)
    assert "requires improvement" in overall and "good" in overall and "▲ improved" in overall
    adoption = next(line for line in out.splitlines() if "Adoption" in line)
    assert "not graded" in adoption


def test_each_headline_status_has_its_group_and_sustained_ones_are_hidden():
    out = show()
    for title in ("Improved (2)", "Persisting (2)", "New concerns (1)", "Regressed (1)",
                  "Not reported (1)"):
        assert title in out
    assert "Sustained" not in out.split("Counts:")[0]
    assert "regularly and alone" not in out
    everything = show(selection=Selection(show_all=True))
    assert "Sustained (1)" in everything and "New strengths (1)" in everything
    assert "regularly and alone" in everything
    assert "Care leavers praise their personal advisers." in everything


def test_items_show_both_texts_with_their_references():
    out = folded(show())
    assert "2016 recommendation 1 Improve the timeliness" in out
    assert "2022 paragraph 3 When children go missing" in out
    assert "2022 what needs to improve 1 The practice of conducting visits" in out
    assert "also 2022 paragraph 12" in out


def test_one_old_finding_answered_twice_is_one_item_with_both_answers():
    out = folded(show())
    assert out.count("Ensure that homeless 16 and 17 year olds") == 1
    homeless = out.split("Ensure that homeless", 1)[1].split("•", 1)[0]
    assert "2022 what needs to improve 2" in homeless and "2022 paragraph 4" in homeless


def test_recommendations_lead_their_group():
    out = show()
    improved = out.split("Improved (2)")[1].split("Persisting")[0]
    assert improved.index("recommendation 1") < improved.index("Private fostering assessments")


def test_report_text_that_looks_like_rich_markup_prints_literally():
    for color in (False, True):
        out = show(color=color, width=200)
        plain = out if not color else __import__("re").sub(r"\x1b\[[0-9;]*m", "", out)
        assert folded(MARKUP) in folded(plain)
        assert "[bold]SMART[/bold]" in plain


def test_changed_words_are_highlighted_and_kept_words_are_not():
    old, new = word_diff("Return home interviews are late.", "Return home interviews are timely.")
    assert old.plain == "Return home interviews are late."
    assert [(old.plain[s.start:s.end], str(s.style)) for s in old.spans] == [("late.", REMOVED)]
    assert [(new.plain[s.start:s.end], str(s.style)) for s in new.spans] == [("timely.", ADDED)]
    same_old, same_new = word_diff("Plans, are good", "plans are good.")
    assert not same_old.spans and not same_new.spans


def test_colour_only_when_asked():
    assert "\x1b[" not in show()
    coloured = show(color=True)
    assert "\x1b[" in coloured


@pytest.mark.parametrize("width", [50, 80, 140])
def test_the_view_fits_the_width(width):
    for line in show(width=width).splitlines():
        assert len(line) <= width


def _many(count: int) -> Comparison:
    """A comparison with `count` improved findings after one improved recommendation."""
    extra = tuple(
        _finding(100 + n, f"Concern number {n} about plans.", HELP) for n in range(count)
    )
    answers = tuple(
        _finding(100 + n, f"Plans number {n} are better.", NEW_HELP, polarity="strength")
        for n in range(count)
    )
    results = RESULTS + tuple(
        Result("improved", 0.3 + n / 1000, "fuzzy", None, old, new)
        for n, (old, new) in enumerate(zip(extra, answers, strict=True))
    )
    return replace(COMPARISON, old=replace(OLD, findings=OLD_FINDINGS + extra),
                   new=replace(NEW, findings=NEW_FINDINGS + answers), results=results)


def test_long_groups_collapse_to_the_strongest_with_a_count_of_the_rest():
    count = OTHERS_SHOWN + 7
    comparison = _many(count)
    improved = groups(comparison, Selection())[0]
    assert improved.status == "improved"
    assert improved.items[0].old.kind == "recommendation"
    assert len(improved.items) == 1 + OTHERS_SHOWN
    assert improved.hidden == count + 1 - OTHERS_SHOWN  # the private fostering finding too
    shown_scores = sorted(i.score for i in improved.items[1:])
    hidden_best = max(i.score for i in items(comparison)
                      if i.status == "improved" and i not in improved.items)
    assert min(shown_scores) >= hidden_best
    out = show(comparison)
    assert f"… and {improved.hidden} more findings" in out
    assert "--only improved" in out
    full = groups(comparison, Selection(statuses=("improved",)))
    assert [g.status for g in full] == ["improved"] and full[0].hidden == 0


def test_only_and_area_filter_the_groups():
    out = show(selection=Selection(statuses=("new", "persisting")))
    assert "Persisting (2)" in out and "New concerns (1)" in out
    assert "Improved (" not in out and "Regressed (" not in out
    care = show(selection=Selection(area="children-in-care"))
    assert "[bold]SMART[/bold]" in care
    assert "Private fostering" not in care
    # a recommendation has no area of its own: the answering paragraph's area counts
    helped = folded(show(selection=Selection(area="help-and-protection")))
    assert "Improve the timeliness of return home interviews" in helped
    assert "[bold]SMART" not in helped


# --- markdown ------------------------------------------------------------------------------

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def brief(comparison=COMPARISON, selection=None) -> str:
    return markdown.render(comparison, selection)


def _headings(tokens, level: str) -> list[str]:
    return [tokens[i + 1].content for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.tag == level]


def test_the_brief_has_its_title_summary_tables_and_sections():
    tokens = MD.parse(brief())
    [title] = _headings(tokens, "h1")
    assert "Brookshire" in title and "2016" in title and "2022" in title
    assert _headings(tokens, "h2") == [
        "Summary", "Grades", "The 2016 recommendations in 2022", "Improved",
        "Persisting concerns", "New concerns", "Regressed", "Not mentioned in 2022", "Sources",
    ]
    tables = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    assert len(tables) == 2
    grade_rows = _table_rows(tokens, tables[0])
    assert grade_rows[0] == ["Judgement", "2016", "2022", "Change"]
    assert grade_rows[1] == ["Overall effectiveness", "requires improvement", "good",
                             "▲ improved"]
    recommendation_rows = _table_rows(tokens, tables[1])
    assert [row[2] for row in recommendation_rows[1:]] == ["improved", "persisting",
                                                          "not reported"]
    text = brief()
    assert "9 to 20 May 2022" in text and "2 to 27 May 2016" in text
    assert "Open Government Licence v3.0" in text


def _table_rows(tokens, start: int) -> list[list[str]]:
    rows, row = [], None
    for token in tokens[start:]:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content.replace("\\", ""))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
        elif token.type == "table_close":
            return rows
    return rows


def test_the_summary_counts_grades_and_recommendations():
    summary = brief().split("## Summary")[1].split("##")[0]
    assert "The one judgement graded in both inspections improved" in summary
    assert "requires improvement to good" in summary
    assert "Adoption was graded in 2016 only" in summary
    assert ("Of the three recommendations made in 2016, one shows progress, one persists and "
            "one is not mentioned in 2022") in summary
    assert "The 2022 report lists two things that need to improve" in summary


def test_the_summary_words_mixed_grade_moves():
    moves = (
        GradeMove("overall", "good", "good", "unchanged"),
        GradeMove("help-and-protection", "good", "requires improvement", "declined"),
        GradeMove("leadership", "requires improvement", "good", "improved"),
    )
    summary = brief(replace(COMPARISON, grades=moves)).split("## Summary")[1]
    assert ("Of the three judgements graded in both inspections, one improved, one declined "
            "and one stayed the same.") in summary


def test_every_recommendation_and_improvement_point_is_quoted_in_full():
    text = folded(brief())
    for finding in (*OLD_FINDINGS, *NEW_FINDINGS):
        if finding.kind in ("recommendation", "improvement"):
            assert finding.text in text, finding.text


def test_quoted_evidence_names_both_years():
    text = brief()
    persisting = text.split("## Persisting concerns")[1].split("## New concerns")[0]
    assert "**2016 recommendation 2**" in persisting
    assert "**2022 what needs to improve 2**" in persisting
    assert "> Some homeless 16 and 17 year olds are still not assessed promptly." in persisting


def _inline_texts(tokens) -> list[tuple[str, list[str]]]:
    """(joined text, child token types) of every inline token."""
    out = []
    for token in tokens:
        if token.type == "inline":
            children = token.children or []
            out.append(("".join(c.content for c in children if c.type == "text"),
                        [c.type for c in children]))
    return out


def test_markdown_and_html_in_report_text_stay_literal():
    tokens = MD.parse(brief())
    html = MD.render(brief())
    assert "<b>html</b>" not in html and "&lt;b&gt;html&lt;/b&gt;" in html
    assert "<code>" not in html and "<em>plans</em>" not in html
    quoted = [types for text, types in _inline_texts(tokens) if MARKDOWN in text]
    assert quoted, "the markdown-looking finding is quoted, word for word"
    assert all(types == ["text"] for types in quoted)
    assert any(MARKUP in text for text, _ in _inline_texts(tokens))


def test_a_pipe_in_report_text_does_not_split_a_table_cell():
    rec = replace(OLD_FINDINGS[0], text="Improve | the * timeliness | of `visits`.")
    comparison = replace(COMPARISON, old=replace(OLD, findings=(rec, *OLD_FINDINGS[1:])),
                         results=(replace(RESULTS[0], old=rec), *RESULTS[1:]))
    tokens = MD.parse(brief(comparison))
    table = [i for i, t in enumerate(tokens) if t.type == "table_open"][1]
    rows = _table_rows(tokens, table)
    assert all(len(row) == 4 for row in rows)
    assert rows[1][1] == "Improve | the * timeliness | of `visits`."


def test_filters_show_in_the_brief():
    text = brief(selection=Selection(statuses=("new",)))
    assert "*This brief shows only status new.*" in text
    assert "## New concerns" in text and "## Improved" not in text


def test_the_brief_is_deterministic():
    assert brief() == brief()


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80))
def test_escaped_text_parses_back_to_itself(text):
    source = markdown.escape(text)
    tokens = MD.parse(source)
    expected = folded(text)
    if not expected:
        assert not tokens
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], source
    [(parsed, types)] = _inline_texts(tokens)
    assert types == ["text"] and parsed == expected, source


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_any_report_text_renders_in_both_views(text):
    finding = replace(OLD_FINDINGS[3], text=text)
    comparison = replace(COMPARISON, results=(replace(RESULTS[3], old=finding), *RESULTS[4:]))
    show(comparison, width=60, color=True)
    brief(comparison)
