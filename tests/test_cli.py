"""The command line through Typer's test runner: output, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kent_diff
from diffing.bundled import FOCUSED, bundled_path
from kent_diff import app
from reports.report_json import SCHEMA

runner = CliRunner()


def run(*args: str, input: bytes | str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_parse_shows_the_bundled_2022_report_by_default():
    result = run("parse")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Inspection of Kent County Council" in out
    assert "ilacs" in out
    for area, grade in [("overall", "outstanding"), ("help-and-protection", "good")]:
        assert any(area in line and grade in line for line in out.splitlines())
    assert "What needs to improve?" in out
    assert "\x1b[" not in out, "no colour codes when the output is not a terminal"


def test_parse_table_lists_the_recommendations_of_a_named_bundled_report():
    result = run("parse", "bundled:kent-2017")
    assert result.exit_code == 0, result.output
    assert "Ensure that prompt consideration is given" in result.stdout
    assert "LSCB: Recommendations" in result.stdout
    assert "requires improvement" in result.stdout


def test_parse_json_is_the_model_and_deterministic():
    first = run("parse", "bundled:kent-2022", "--format", "json")
    second = run("parse", "bundled:kent-2022", "--format", "json")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["schema"] == SCHEMA
    assert data["metadata"]["framework"] == "ilacs"
    assert data["metadata"]["path"] == "bundled:kent-2022-ilacs-inspection.txt"
    assert {"area": "overall", "grade": "outstanding"} in data["grades"]
    improvements = [f for f in data["findings"] if f["kind"] == "improvement"]
    assert [f["item"] for f in improvements] == [1, 2, 3]
    assert set(data["findings"][0]) == {
        "id",
        "section",
        "section_kind",
        "area",
        "paragraph",
        "kind",
        "polarity",
        "text",
        "item",
    }


def test_parse_reads_stdin():
    text = bundled_path(FOCUSED).read_bytes()
    result = run("parse", "-", "--format", "json", input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["metadata"]["path"] == "-"
    assert data["metadata"]["framework"] == "focused-visit"


def _blank_pdf() -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def _error_cases(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name -> (FILE argument, what the message says)."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.dat").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "scan.pdf").write_bytes(_blank_pdf())
    (tmp_path / "folder").mkdir()
    return {
        "county council paper": ("bundled:kent-2017-county-council-paper", "not an Ofsted"),
        "missing file": (str(tmp_path / "missing.pdf"), "no such file"),
        "directory": (str(tmp_path / "folder"), "directory"),
        "empty file": (str(tmp_path / "empty.txt"), "empty"),
        "binary file": (str(tmp_path / "binary.dat"), "binary"),
        "pdf without text layer": (str(tmp_path / "scan.pdf"), "no text layer"),
        "unknown bundled name": ("bundled:kent-1999", "no such bundled report"),
    }


CASES = [
    "county council paper",
    "missing file",
    "directory",
    "empty file",
    "binary file",
    "pdf without text layer",
    "unknown bundled name",
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("format", ["table", "json"])
def test_user_errors_are_one_line_naming_the_file_and_exit_2(case, format, tmp_path):
    argument, problem = _error_cases(tmp_path)[case]
    result = run("parse", argument, "--format", format)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit), "no exception escapes"
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kent-diff: ")
    named = argument.removeprefix("bundled:").removesuffix(".txt")
    assert named in lines[0]
    assert problem in lines[0]
    assert "Traceback" not in result.output


def test_the_installed_entry_point_prints_no_traceback(tmp_path: Path):
    """Through a real process, as a user runs it (CliRunner would hide a traceback)."""
    (tmp_path / "empty.txt").write_bytes(b"")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import kent_diff; kent_diff.main()",
            "parse",
            str(tmp_path / "empty.txt"),
        ],
        capture_output=True,
        text=True,
        cwd=Path(kent_diff.__file__).parent,
    )
    assert done.returncode == 2
    assert done.stderr == f"kent-diff: {tmp_path / 'empty.txt'}: the file is empty\n"


def test_the_installed_entry_point_writes_what_the_command_writes(monkeypatch):
    """main() (its collector settings, the reports read in a second process) changes
    nothing in what compare writes, to a pipe, through a real process."""
    monkeypatch.setenv("KENT_DIFF_CACHE", "off")
    done = subprocess.run(
        [sys.executable, "-c", "import kent_diff; kent_diff.main()", "compare", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=Path(kent_diff.__file__).parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == run("compare", "-f", "json").stdout


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    return group, sorted(group.commands)


def test_every_command_has_a_summary_and_an_example():
    group, names = _commands()
    assert "parse" in names
    for args in [[], *([name] for name in names)]:
        result = run(*args, "--help")
        assert result.exit_code == 0, result.output
        assert "Example:" in result.stdout, args
        assert "kent-diff" in result.stdout.split("Example:", 1)[1], args
    for name in names:
        summary = group.commands[name].get_short_help_str(limit=200)
        assert summary and summary.endswith("."), name


def test_help_does_not_import_the_engine():
    """`kent-diff --help` stays fast: the reader, Rich and the PDF library load on use."""
    code = (
        "import sys, kent_diff\n"
        "try:\n    kent_diff.main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('diffing.read', 'pypdfium2', 'rich.console', 'yaml')"
        " if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--help"],
        capture_output=True,
        text=True,
        cwd=Path(kent_diff.__file__).parent,
    )
    assert done.returncode == 0, done.stderr
    assert "Example:" in done.stdout
    assert done.stdout.endswith("HEAVY=\n"), done.stdout.rsplit("\n", 2)[-2]
