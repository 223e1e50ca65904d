"""The reports through the command line: colour rules, filters, the brief command, -o."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from kent_diff import app

runner = CliRunner()
ESC = "\x1b["


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def kent_brief() -> str:
    result = run("brief")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_into_a_pipe_there_are_no_escape_codes():
    result = run("compare")
    assert result.exit_code == 0, result.output
    assert ESC not in result.stdout
    assert "Improved (" in result.stdout


def test_no_color_means_no_escape_codes_even_on_a_terminal():
    # FORCE_COLOR makes Rich treat the output as a terminal; NO_COLOR still wins under auto.
    forced = run("compare", env={"FORCE_COLOR": "1"})
    assert ESC in forced.stdout, "the terminal case colours, so the next assertion means something"
    result = run("compare", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert ESC not in result.stdout
    assert run("compare", "--color", "never", env={"FORCE_COLOR": "1"}).stdout.count(ESC) == 0


def test_color_always_colours_a_pipe():
    result = run("compare", "--color", "always")
    assert result.exit_code == 0, result.output
    assert ESC in result.stdout


def test_pager_into_a_pipe_just_prints():
    result = run("compare", "--pager")
    assert result.exit_code == 0, result.output
    assert result.stdout == run("compare").stdout


def _group_titles(out: str) -> list[str]:
    titles = ("Improved (", "Persisting (", "New concerns (", "Regressed (", "Not reported (",
              "Sustained (", "New strengths (")
    return [t.rstrip(" (") for t in titles if t in out]


def test_only_shows_the_named_statuses():
    result = run("compare", "--only", "new,persisting")
    assert result.exit_code == 0, result.output
    assert _group_titles(result.stdout) == ["Persisting", "New concerns"]
    assert "more findings (use --all" not in result.stdout, "--only shows its groups in full"


def test_area_shows_only_that_area():
    everything = run("compare", "--all", "--format", "json")
    result = run("compare", "--all", "--area", "leadership", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    findings = json.loads(result.stdout)["findings"]
    assert findings and len(findings) < len(json.loads(everything.stdout)["findings"])
    for finding in findings:
        side = finding["old"] if finding["old"] and finding["old"]["area"] else finding["new"]
        assert side["area"] == "leadership"
    view = run("compare", "--area", "leadership")
    assert "Overall effectiveness" in view.stdout  # the grade table stays
    assert "(area leadership)" in view.stdout


@pytest.mark.parametrize("option, value", [("--only", "fixed"), ("--area", "schools")])
def test_a_bad_filter_is_one_line_and_exit_2(option, value):
    result = run("compare", option, value)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and option in result.stderr and value in result.stderr


def test_brief_writes_markdown_to_a_file(tmp_path: Path, kent_brief: str):
    target = tmp_path / "brief.md"
    result = run("brief", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == kent_brief
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"], "no temporary file left"


def test_compare_format_markdown_is_the_brief(kent_brief: str):
    result = run("compare", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == kent_brief


def test_the_kent_brief_is_a_committee_ready_document(kent_brief: str):
    tokens = MarkdownIt("commonmark").enable("table").parse(kent_brief)
    h1 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h1" and t.nesting == 1]
    assert h1 == ["Kent children's services: Ofsted inspections of 2017 and 2022 compared"]
    assert "6 March to 30 March 2017" in kent_brief and "9 to 20 May 2022" in kent_brief
    h2 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h2" and t.nesting == 1]
    for section in ("Summary", "Grades", "Improved", "Persisting concerns", "New concerns",
                    "Regressed", "Sources"):
        assert section in h2
    grades = kent_brief.split("## Grades")[1].split("##")[0]
    for judgement in ("Overall effectiveness", "Children who need help and protection",
                      "Children in care", "Leadership"):
        assert f"| {judgement} |" in grades
    assert "Open Government Licence v3.0" in kent_brief


def test_the_kent_brief_quotes_every_recommendation_and_improvement_point(kent_brief: str):
    """Whatever the matcher pairs them with, none of the reports' own lists goes missing."""
    from diffing.bundled import NEW, OLD, bundled_path
    from diffing.read import read_report

    folded = " ".join(kent_brief.replace("\\", "").split())
    for name in (OLD, NEW):
        report = read_report(str(bundled_path(name)))
        listed = [f for f in report.findings if f.kind in ("recommendation", "improvement")]
        assert listed
        for finding in listed:
            assert finding.text in folded, finding.text
