"""kent-diff batch: pairing, the index, the text cache, resuming, and the scrape folder.

Most tests run on the bundled Kent texts copied beside a manifest (fast, no corpus
needed) and in this process (jobs=1); one runs the worker pool, and the scrape-folder
test copies two corpus PDFs into the Data to Insight layout."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diffing import batch
from diffing.bundled import FOCUSED, NEW, OLD, bundled_path
from diffing.errors import InputError
from kent_diff import app
from reports import batch_index

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.yaml").exists(),
                                  reason=f"the corpus is not at {CORPUS}")
PAPER = "kent-2017-county-council-paper.txt"


def kent_folder(tmp_path: Path, extra: str = "") -> Path:
    """The bundled Kent texts beside a manifest: the 2017 SIF and 2022 ILACS reports (a
    pair), the 2019 focused visit (read, not paired) and a county council paper (refused)."""
    for name in (OLD, NEW, FOCUSED, PAPER):
        shutil.copy(bundled_path(name), tmp_path / name)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "reports:\n"
        f"- file: {OLD}\n  local_authority: Kent\n  published: '2017-03-08'\n"
        "  framework: sif\n"
        f"- file: {NEW}\n  local_authority: Kent\n  published: '2022-07-15'\n"
        "  framework: ilacs\n  grades:\n    overall: outstanding\n"
        f"- file: {FOCUSED}\n  local_authority: Kent\n  published: '2019-12-17'\n"
        f"- file: {PAPER}\n  local_authority: Kent\n  published: '2017-11-20'\n" + extra,
        encoding="utf-8",
    )
    return manifest


def second_pair(tmp_path: Path) -> str:
    """A third Kent ILACS report (the 2022 text, one sentence changed, inspected in 2025)
    for a second pair."""
    text = bundled_path(NEW).read_text(encoding="utf-8")
    text = text.replace("Inspection dates: 9 to 20 May 2022", "Inspection dates: 12 to 23 May 2025")
    (tmp_path / "kent-2025.txt").write_text(text.replace(
        "Children are seen", "Children are not always seen", 1), encoding="utf-8")
    return "- file: kent-2025.txt\n  local_authority: Kent\n  published: '2025-06-01'\n"


def test_pairs_consecutive_graded_reports_and_names_every_other(tmp_path):
    run = batch.run_batch(kent_folder(tmp_path), tmp_path / "out", jobs=1)
    assert [(p.old.source.label, p.new.source.label) for p in run.pairs] == [(OLD, NEW)]
    status = {o.source.label: (o.status, o.reason) for o in run.reports}
    assert status[OLD][0] == status[NEW][0] == "paired"
    assert status[FOCUSED][0] == "unpaired" and "focused-visit" in status[FOCUSED][1]
    assert status[PAPER][0] == "refused"
    assert "not an Ofsted children's services inspection report" in status[PAPER][1]
    pair = run.pairs[0]
    assert pair.status == "compared" and pair.name == "kent_2017-03-08_2022-07-15"
    data = json.loads((tmp_path / "out" / pair.json_path).read_text(encoding="utf-8"))
    assert data["schema"] == "kent-diff/compare/v1"
    assert data["summary"] == pair.summary
    assert {"area": "overall", "old": "good", "new": "outstanding",
            "change": "improved"} in data["grades"]
    assert (tmp_path / "out" / pair.brief_path).read_text(encoding="utf-8").startswith("# ")


def test_index_in_markdown_json_and_csv_says_what_became_of_everything(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(kent_folder(tmp_path)), "-o",
                                 str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "1 pairs (1 compared" in result.output
    out = tmp_path / "out"
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["schema"] == "kent-diff/batch-index/v1"
    assert index["counts"]["pairs"] == 1 and index["counts"]["refused"] == 1
    assert [p["name"] for p in index["pairs"]] == ["kent_2017-03-08_2022-07-15"]
    refused = [r for r in index["reports"] if r["status"] == "refused"]
    assert [r["file"] for r in refused] == [PAPER] and refused[0]["reason"]
    assert index["themes"] and {"theme", "councils persisting", "councils new"} <= set(
        index["themes"][0])
    markdown = (out / "index.md").read_text(encoding="utf-8")
    assert PAPER in markdown and "good → outstanding" in markdown
    assert "Concerns that most often persist" in markdown
    rows = list(csv.DictReader((out / "index.csv").open(encoding="utf-8")))
    assert len(rows) == 1
    assert (rows[0]["overall_old"], rows[0]["overall_new"]) == ("good", "outstanding")
    assert int(rows[0]["persisting"]) == index["pairs"][0]["summary"]["persisting"]
    reports = list(csv.DictReader((out / "reports.csv").open(encoding="utf-8")))
    assert {r["file"]: r["status"] for r in reports}[PAPER] == "refused"


def test_a_manifest_that_disagrees_with_the_reader_is_flagged(tmp_path):
    manifest = kent_folder(tmp_path)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "overall: outstanding", "overall: good"), encoding="utf-8")
    run = batch.run_batch(manifest, tmp_path / "out", jobs=1)
    new = next(o for o in run.reports if o.source.label == NEW)
    assert new.warnings == ("grade overall: the manifest says good, the report reads as "
                            "outstanding",)
    assert "Where the reader disagrees" in batch_index.render_markdown(run)


def test_a_second_run_skips_finished_pairs_and_extraction(tmp_path, monkeypatch):
    manifest = kent_folder(tmp_path, second_pair(tmp_path))
    out = tmp_path / "out"
    first = batch.run_batch(manifest, out, jobs=1)
    assert [p.status for p in first.pairs] == ["compared", "compared"]
    written = {p: p.stat().st_mtime_ns for p in (out / "pairs").iterdir()}

    def no_comparing(*args):
        raise AssertionError("an up-to-date pair was compared again")

    monkeypatch.setattr(batch, "_compare_pair", no_comparing)
    second = batch.run_batch(manifest, out, jobs=1)
    assert [p.status for p in second.pairs] == ["up-to-date", "up-to-date"]
    assert [p.summary for p in second.pairs] == [p.summary for p in first.pairs]
    assert {p: p.stat().st_mtime_ns for p in (out / "pairs").iterdir()} == written


def test_a_changed_input_is_compared_again(tmp_path):
    manifest = kent_folder(tmp_path, second_pair(tmp_path))
    out = tmp_path / "out"
    batch.run_batch(manifest, out, jobs=1)
    changed = tmp_path / "kent-2025.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = batch.run_batch(manifest, out, jobs=1)
    assert [p.status for p in again.pairs] == ["up-to-date", "compared"]


@needs_corpus
def test_pdf_text_is_cached_by_content_hash(tmp_path, monkeypatch):
    files = ["coventry-2017-sif-reinspection.pdf", "coventry-2022-ilacs.pdf"]
    for name in files:
        shutil.copy(CORPUS / name, tmp_path / name)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("reports:\n" + "".join(f"- file: {n}\n" for n in files))
    cache = tmp_path / "cache"
    first = batch.run_batch(manifest, tmp_path / "one", cache=cache, jobs=1)
    assert len(list(cache.rglob("*.txt"))) == 2

    import diffing.extract

    def no_extracting(data, path):
        raise AssertionError(f"{path} was extracted again")

    monkeypatch.setattr(diffing.extract, "extract_text", no_extracting)
    second = batch.run_batch(manifest, tmp_path / "two", cache=cache, jobs=1)
    assert [p.summary for p in second.pairs] == [p.summary for p in first.pairs]
    assert (tmp_path / "one" / "pairs" / f"{first.pairs[0].name}.json").read_bytes() == (
        tmp_path / "two" / "pairs" / f"{second.pairs[0].name}.json").read_bytes()


_real_read_one = batch._read_one


def _crashing_read_one(path, label, cache):
    """The reader, except that it kills its process on the focused visit, as a crash
    inside the PDF library would."""
    import os

    if label == FOCUSED:
        os._exit(1)
    return _real_read_one(path, label, cache)


def test_a_worker_that_dies_costs_only_its_own_report(tmp_path, monkeypatch):
    """A dead worker breaks the whole pool: the reports still in it are read again, each
    in a process of its own, and only the one that kills its process is refused."""
    monkeypatch.setattr(batch, "_read_one", _crashing_read_one)  # forked workers inherit it
    run = batch.run_batch(kent_folder(tmp_path), tmp_path / "out", jobs=2)
    status = {o.source.label: (o.status, o.reason) for o in run.reports}
    assert status[FOCUSED][0] == "refused" and "process died" in status[FOCUSED][1]
    assert status[OLD][0] == status[NEW][0] == "paired"
    assert [p.status for p in run.pairs] == ["compared"]


def _hanging_read_one(path, label, cache):
    """The reader, except that it never finishes the focused visit, as a PDF the library
    loops on would."""
    import time

    if label == FOCUSED:
        time.sleep(600)
    return _real_read_one(path, label, cache)


def test_a_report_that_hangs_is_stopped_and_refused_and_the_rest_go_on(tmp_path, monkeypatch):
    """No call finishing for CALL_LIMIT seconds ends the workers; the calls they held run
    again alone, and the one that hangs alone too is stopped and refused."""
    monkeypatch.setattr(batch, "_read_one", _hanging_read_one)  # forked workers inherit it
    monkeypatch.setattr(batch, "CALL_LIMIT", 2.0)
    started = time.perf_counter()
    run = batch.run_batch(kent_folder(tmp_path), tmp_path / "out", jobs=2)
    assert time.perf_counter() - started < 60
    status = {o.source.label: (o.status, o.reason) for o in run.reports}
    assert status[FOCUSED][0] == "refused" and "stopped" in status[FOCUSED][1]
    assert status[OLD][0] == status[NEW][0] == "paired"
    assert [p.status for p in run.pairs] == ["compared"]


def test_a_republished_report_is_not_paired_with_itself(tmp_path):
    """A corrected copy of the 2022 report (same inspection, published later): the 2017
    report pairs with the later file only, and the earlier file says why it is left out."""
    text = bundled_path(NEW).read_text(encoding="utf-8")
    (tmp_path / "kent-2022-amended.txt").write_text(
        text.replace("Children are seen", "Children are always seen", 1), encoding="utf-8")
    amended = "- file: kent-2022-amended.txt\n  local_authority: Kent\n  published: '2022-09-01'\n"
    run = batch.run_batch(kent_folder(tmp_path, amended), tmp_path / "out", jobs=1)
    assert [(p.old.source.label, p.new.source.label) for p in run.pairs] == [
        (OLD, "kent-2022-amended.txt")]
    status = {o.source.label: (o.status, o.reason) for o in run.reports}
    assert status[NEW][0] == "unpaired"
    assert status[NEW][1].startswith("another file of the inspection ending 20 May 2022")


def test_reports_that_name_their_council_two_ways_pair_without_a_manifest_name(tmp_path):
    """No manifest name: a council the 2017 report calls "Kent" and a later report "Kent
    upon Sea" (as Newcastle upon Tyne's reports call it "Newcastle" in 2022) is one council,
    unless the shorter name opens two others."""
    text = bundled_path(NEW).read_text(encoding="utf-8")
    shutil.copy(bundled_path(OLD), tmp_path / OLD)
    for name, council in (("upon-sea.txt", "Kent upon Sea"), ("weald.txt", "Kent Weald")):
        (tmp_path / name).write_text(text.replace(
            "Inspection of Kent County Council", f"Inspection of {council} County Council", 1),
            encoding="utf-8")
    manifest = tmp_path / "manifest.yaml"
    entries = f"reports:\n- file: {OLD}\n  published: '2017-03-08'\n"
    manifest.write_text(entries + "- file: upon-sea.txt\n  published: '2022-07-15'\n",
                        encoding="utf-8")
    run = batch.run_batch(manifest, tmp_path / "out", jobs=1)
    assert [(p.old.source.label, p.new.source.label) for p in run.pairs] == [
        (OLD, "upon-sea.txt")]
    assert run.pairs[0].new.authority == "Kent upon Sea"
    manifest.write_text(entries + "- file: upon-sea.txt\n  published: '2022-07-15'\n"
                        "- file: weald.txt\n  published: '2022-07-16'\n", encoding="utf-8")
    run = batch.run_batch(manifest, tmp_path / "out2", jobs=1)
    assert run.pairs == ()


def test_two_scrape_folders_of_one_named_council_get_their_own_outputs(tmp_path):
    """Scrape folders name councils in lower case, so a pair is named by the council the
    report names: two folders whose reports name the same council must not share files."""
    for folder in ("101_kent", "202_kent county council"):
        where = tmp_path / "inspection_reports" / folder
        where.mkdir(parents=True)
        # text files under PDF names: the reader goes by the bytes, not the name
        shutil.copy(bundled_path(OLD), where / "children's services inspection - 8 march 2017.pdf")
        shutil.copy(bundled_path(NEW), where / "children's services inspection - 15 july 2022.pdf")
    run = batch.run_batch(tmp_path / "inspection_reports", tmp_path / "out", jobs=1)
    names = [p.name for p in run.pairs]
    assert len(names) == 2 and len(set(names)) == 2, names
    assert all((tmp_path / "out" / "pairs" / f"{name}.json").is_file() for name in names)


@needs_corpus
def test_a_scrape_folder_gives_authority_and_date_and_runs_on_worker_processes(tmp_path):
    folder = tmp_path / "export_data" / "inspection_reports" / "80456_coventry"
    folder.mkdir(parents=True)
    shutil.copy(CORPUS / "coventry-2017-sif-reinspection.pdf",
                folder / "children's services inspection - 13 june 2017.pdf")
    shutil.copy(CORPUS / "coventry-2022-ilacs.pdf",
                folder / "children's services inspection,  pdf - 12 august 2022.pdf")
    # not a PDF at all, named like one: refused with its reason, the rest carry on
    (folder / "children's services inspection - 01 may 2023.pdf").write_bytes(b"%PDF-1.7 junk")
    run = batch.run_batch(tmp_path / "export_data", tmp_path / "out", jobs=2)
    assert [(o.status, o.date, o.source.urn) for o in run.reports] == [
        ("paired", dt.date(2017, 6, 13), "80456"),
        ("paired", dt.date(2022, 8, 12), "80456"),
        ("refused", None, "80456"),
    ]
    assert "not a readable PDF" in run.reports[2].reason
    assert [p.name for p in run.pairs] == ["coventry_2017-06-13_2022-08-12"]
    assert run.pairs[0].status == "compared" and run.jobs == 2


def test_scrape_names_give_dates_and_folders_give_councils(tmp_path):
    folder = tmp_path / "inspection_reports" / "2532287_bournemouth, christchurch & poole"
    folder.mkdir(parents=True)
    (folder / "children's services inspection - 29 january 2025.pdf").write_bytes(b"%PDF-")
    (folder / "children's services inspection,  pdf - 16 august 2013.pdf").write_bytes(b"x")
    sources = batch.load_sources(tmp_path / "inspection_reports")
    assert [(s.authority, s.urn, s.published) for s in sources] == [
        ("bournemouth, christchurch & poole", "2532287", dt.date(2025, 1, 29)),
        ("bournemouth, christchurch & poole", "2532287", dt.date(2013, 8, 16)),
    ]
    assert batch.slug("Bournemouth, Christchurch & Poole") == "bournemouth-christchurch-poole"


@pytest.mark.parametrize("text, problem", [
    ("reports: nope\n", "field reports: missing"),
    ("reports:\n- local_authority: Kent\n", "field reports[0].file: missing"),
    ("reports:\n- file: a.pdf\n  published: last year\n", "field reports[0].published"),
    ("reports: [\n", "invalid YAML"),
])
def test_a_bad_manifest_names_the_field(tmp_path, text, problem):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        batch.run_batch(manifest, tmp_path / "out", jobs=1)
    result = CliRunner().invoke(app, ["batch", str(manifest), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_batch_help_has_a_summary_and_an_example():
    result = CliRunner().invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "kent-diff batch" in result.output
