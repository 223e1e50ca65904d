"""Golden files: each renderer's output on the bundled Kent 2017 -> 2022 pair, through the
command line a user runs, compared byte for byte.

The matcher is still being tuned, so these files change with it: after a deliberate change,
rewrite them with `python -m pytest tests/test_golden.py --update-golden` and read the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kent_diff import app

GOLDEN = Path(__file__).resolve().parent / "golden"
runner = CliRunner()


def _brief(tmp_path: Path) -> str:
    return _stdout("brief")


def _terminal(tmp_path: Path) -> str:
    # -o writes the terminal view as a file does: 100 columns, no colour.
    target = tmp_path / "kent.txt"
    _stdout("compare", "-o", str(target))
    return target.read_bytes().decode("utf-8")


def _json(tmp_path: Path) -> str:
    return _stdout("compare", "--format", "json")


def _stdout(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "name, produce",
    [("kent-2017-2022.md", _brief), ("kent-2017-2022.txt", _terminal),
     ("kent-2017-2022.json", _json)],
)
def test_output_matches_the_golden_file(name, produce, tmp_path, update_golden):
    actual = produce(tmp_path)
    path = GOLDEN / name
    if update_golden:
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"{path} is missing: run pytest --update-golden"
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            f"golden/{name}", "now",
        ))[:60])
        pytest.fail(f"{name} differs from the golden file (pytest --update-golden rewrites it "
                    f"after a deliberate change):\n{diff}", pytrace=False)


def test_the_output_does_not_change_between_runs(tmp_path):
    assert _brief(tmp_path) == _brief(tmp_path)
    assert _terminal(tmp_path) == _terminal(tmp_path)
