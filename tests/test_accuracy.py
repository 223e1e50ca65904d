"""The matcher against independent readings of report pairs: the figures the README states
must not fall. A change that lowers one fails here; a change that raises one should raise
its floor too (benchmarks/accuracy.py prints the figures)."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from diffing.compare import compare
from diffing.read import read_report
from reports.compare_json import render

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score-annotation.py"

# annotation: (link, status) floors, a little under the figures measured when each was set
FLOORS = {
    SHARED / "annotations" / "sefton-2016-2022.yaml": (0.88, 0.80),
    SHARED / "annotations" / "warwickshire-2017-2022.yaml": (0.85, 0.80),
    ROOT / "benchmarks" / "annotations" / "stockport-2017-2022.yaml": (0.81, 0.70),
    ROOT / "benchmarks" / "annotations" / "warwickshire-2022-2025.yaml": (0.82, 0.80),
    ROOT / "benchmarks" / "annotations" / "newcastle-upon-tyne-2017-2022.yaml": (0.82, 0.65),
    ROOT / "benchmarks" / "annotations" / "hackney-2019-2024.yaml": (0.82, 0.77),
    ROOT / "benchmarks" / "annotations" / "coventry-2017-2022.yaml": (0.76, 0.73),
    ROOT / "benchmarks" / "annotations" / "sunderland-2021-2025.yaml": (0.68, 0.60),
    ROOT / "benchmarks" / "annotations" / "leeds-2015-2018.yaml": (0.61, 0.56),
    ROOT / "benchmarks" / "annotations" / "stockport-2022-2025.yaml": (0.73, 0.63),
    ROOT / "benchmarks" / "annotations" / "hackney-2016-2019.yaml": (0.64, 0.54),
    ROOT / "benchmarks" / "annotations" / "newcastle-upon-tyne-2022-2025.yaml": (0.77, 0.69),
    ROOT / "benchmarks" / "annotations" / "sefton-2022-2025.yaml": (0.71, 0.67),
    ROOT / "benchmarks" / "annotations" / "coventry-2014-2017.yaml": (0.81, 0.66),
    ROOT / "benchmarks" / "annotations" / "sunderland-2018-2021.yaml": (0.82, 0.82),
    ROOT / "benchmarks" / "annotations" / "leeds-2022-2025.yaml": (0.74, 0.66),
    ROOT / "benchmarks" / "annotations" / "leeds-2018-2022.yaml": (0.72, 0.66),
    ROOT / "benchmarks" / "annotations" / "coventry-2022-2026.yaml": (0.72, 0.69),
    ROOT / "benchmarks" / "annotations" / "sunderland-2015-2018.yaml": (0.70, 0.56),
    ROOT / "benchmarks" / "annotations" / "hackney-2016-2024.yaml": (0.64, 0.64),
    ROOT / "benchmarks" / "annotations" / "warwickshire-2017-2025.yaml": (0.62, 0.54),
    ROOT / "benchmarks" / "annotations" / "sefton-2016-2025.yaml": (0.78, 0.76),
}
_NAMED = re.compile(r"^#\s*(OLD|NEW):\s*(\S+\.pdf)", re.MULTILINE)
_FIGURES = re.compile(r"link \d+/\d+=(\S+) status \d+/\d+=(\S+) .* grades-wrong (\d+)")


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scorer():
    return _module("score_annotation", SCORER)


@functools.cache
def _accuracy():
    """The accuracy benchmark, whose reading of the scorer's verdicts is tested here."""
    return _module("accuracy", ROOT / "benchmarks" / "accuracy.py")


@pytest.mark.skipif(not SCORER.exists() or not (SHARED / "corpus").is_dir(),
                    reason="../shared (corpus and scorer) is not here")
@pytest.mark.parametrize("annotation", list(FLOORS), ids=lambda p: p.stem)
def test_the_matcher_agrees_with_the_annotation_at_least_as_well_as_before(annotation,
                                                                           tmp_path):
    named = dict(_NAMED.findall(annotation.read_text(encoding="utf-8")))
    old = read_report(SHARED / "corpus" / named["OLD"])
    new = read_report(SHARED / "corpus" / named["NEW"])
    result = tmp_path / "result.json"
    result.write_text(render(compare(old, new)), encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        _scorer().main([str(annotation), str(result), "--verbose"])
    link, status, grades_wrong = _FIGURES.search(printed.getvalue()).groups()
    floor_link, floor_status = FLOORS[annotation]
    assert float(link) >= floor_link and float(status) >= floor_status, printed.getvalue()
    assert grades_wrong == "0", printed.getvalue()
    assert json.loads(result.read_text(encoding="utf-8"))["schema"] == "kent-diff/compare/v1"
    # the benchmark's count of what went wrong reads every verdict the scorer printed
    linked, items, right, _, _ = _accuracy().figures(printed.getvalue())
    kinds = _accuracy().item_kinds(annotation)
    found = _accuracy().failures(printed.getvalue(), kinds)
    assert sum(n for (_, what), n in found.items() if what != "status") == items - linked
    assert sum(n for (_, what), n in found.items() if what == "status") == linked - right
    assert {kind for kind, _ in found} <= set(kinds.values())


@pytest.mark.skipif(not SCORER.exists(), reason="../shared (scorer) is not here")
@pytest.mark.parametrize("reading", sorted((ROOT / "benchmarks" / "readings").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_a_second_reading_answers_each_item_of_its_annotation_once(reading, tmp_path,
                                                                     monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    second = _module("second_reading", ROOT / "benchmarks" / "second_reading.py")
    annotation = second.annotation_of(reading)
    kinds = _accuracy().item_kinds(annotation)
    entries = [str(e["id"]) for e in yaml.safe_load(reading.read_text(encoding="utf-8"))]
    assert sorted(entries) == sorted(kinds)
    read = second.score_reading(reading, annotation, SCORER, tmp_path)
    # every item is scored, and what went wrong is read from every verdict
    assert read["items"] == len(kinds)
    assert sum(n for (_, what), n in read["failures"].items() if what != "status") \
        == read["items"] - read["linked"]
