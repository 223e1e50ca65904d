"""Hostile inputs: every one is read in bounded time or refused in one line naming the
problem, shown literally, and never leaves a half-written file."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diffing import batch
from diffing import files as writes
from diffing.bundled import NEW, OLD, bundled_path
from diffing.errors import InputError
from diffing.extract import MAX_BYTES, MAX_CHARS, MAX_PAGES
from diffing.read import parse_text, read_report
from kent_diff import app

runner = CliRunner()
KENT = bundled_path(NEW).read_text(encoding="utf-8")


def kent_with(insert: str, before: str = "12. When children go missing") -> str:
    """The Kent 2022 text with something put inside its findings, before a paragraph."""
    assert before in KENT
    return KENT.replace(before, insert + "\n\n" + before, 1)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- size ---------------------------------------------------------------------------------


def test_a_file_over_50_mb_is_refused_at_once_naming_the_limit(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written to the test disk
    started = time.perf_counter()
    with pytest.raises(InputError, match="larger than 50 MB"):
        read_report(big)
    assert time.perf_counter() - started < 2
    result = runner.invoke(app, ["parse", str(big)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "50 MB" in result.output


def test_a_file_at_the_limit_is_read_or_refused_in_bounded_time(tmp_path):
    # 50 MB exactly: no more than the byte limit, but far more text than any report
    text = ("Inspection of Kent County Council children's services\n" + "x" * 99 + "\n")
    path = tmp_path / "at-limit.txt"
    path.write_bytes((text * (MAX_BYTES // len(text) + 1)).encode()[:MAX_BYTES])
    started = time.perf_counter()
    with pytest.raises(InputError, match=f"longer than {MAX_CHARS:,} characters"):
        read_report(path)
    assert time.perf_counter() - started < 10


def test_a_small_pdf_of_very_many_blank_pages_is_refused_naming_the_limit(tmp_path):
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        document.new_page(200, 200)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "pages.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match=f"{MAX_PAGES + 1:,} pages .*limit for a report is"):
        read_report(path)


def test_an_endless_device_is_not_read_to_its_end():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(InputError, match="50 MB"):
        read_report("/dev/zero")


# --- strange text ---------------------------------------------------------------------


def test_very_long_lines_are_read_in_bounded_time():
    for line in ("Leaders have not ensured " + "that plans work " * 40_000 + ".",
                 "x" * 600_000):
        started = time.perf_counter()
        report = parse_text(kent_with(line), "long.txt")
        assert time.perf_counter() - started < 20
        assert any(len(f.text) > 500_000 for f in report.findings)


def test_nul_bytes_are_dropped_and_a_binary_file_refused(tmp_path):
    data = KENT.encode()
    sprinkled = data.replace(b"Children", b"Chil\x00dren", 5)
    assert [f.text for f in read_report("a", sprinkled).findings] == [
        f.text for f in read_report("b", data).findings]
    with pytest.raises(InputError, match="binary"):
        read_report("c", b"\x00" * 10_000 + data)


def test_control_and_bidi_override_characters_never_reach_the_output():
    hostile = ("Children\u202e are seen\x1b[31m quickly\x9b[2J and\u2066 safely\u0007 by "
               "workers\u200f who know them\x7f well.")
    report = parse_text(kent_with(hostile), "bidi.txt")
    texts = [f.text for f in report.findings]
    # what is left of an escape sequence without its escape is plain text
    assert "Children are seen[31m quickly[2J and safely by workers who know them well." in texts
    bad = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
    assert not any(bad.search(t) for t in texts)


MARKUP = ("Leaders have not ensured that [bold red]plans[/bold red] and "
          "<script>alert(1)</script> **strategies** are _used_ by [link](http://x.test) "
          "managers.")


def test_rich_markup_markdown_and_html_in_a_report_are_shown_literally(tmp_path):
    old = write(tmp_path, "old.txt", KENT)
    new = write(tmp_path, "new.txt", kent_with(MARKUP))
    terminal = runner.invoke(app, ["compare", str(old), str(new), "--all", "--color",
                                   "always"], env={"COLUMNS": "400"})  # wide: no wrapping
    assert terminal.exit_code == 0, terminal.output
    plain = re.sub(r"\x1b\[[0-9;]*m", "", terminal.stdout)
    assert MARKUP in plain
    markdown = runner.invoke(app, ["compare", str(old), str(new), "--all", "--format",
                                   "markdown"])
    assert markdown.exit_code == 0, markdown.output
    from markdown_it import MarkdownIt

    html = MarkdownIt().render(markdown.stdout)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>strategies</strong>" not in html and "<em>used</em>" not in html
    assert 'href="http://x.test"' not in html
    shown = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">")
    assert "**strategies** are _used_ by [link](http://x.test)" in " ".join(shown.split())


# --- mappings and manifests -------------------------------------------------------------


PYTHON_TAG = "!!python/object/apply:os.system ['touch {}']"


def test_mapping_yaml_with_python_object_tags_is_refused(tmp_path):
    from diffing.mapping import load_mapping
    from diffing.mappings import load_yaml
    from diffing.polarity import load_cues

    marker = tmp_path / "pwned"
    tag = PYTHON_TAG.format(marker)
    mapping = write(tmp_path, "mapping.yaml",
                    f"schema: kent-diff/mapping/v1\nlocal_authority: {tag}\n")
    with pytest.raises(InputError, match="refused"):
        load_mapping(mapping)
    with pytest.raises(InputError):
        load_yaml(write(tmp_path, "themes.yaml", f"themes: {tag}\n"))
    with pytest.raises(ValueError):
        load_cues(write(tmp_path, "cues.yaml", f"concern: {tag}\n"))
    with pytest.raises(InputError, match="refused"):
        batch.load_sources(write(tmp_path, "manifest.yaml", f"reports: {tag}\n"))
    result = runner.invoke(app, ["check", str(mapping)])
    assert result.exit_code == 2 and "refused" in result.output
    assert not marker.exists()


# --- outputs --------------------------------------------------------------------------


def test_an_unwritable_output_path_is_one_line_and_exit_2(tmp_path):
    blocker = write(tmp_path, "a-file", "not a folder")
    result = runner.invoke(app, ["compare", "-o", str(blocker / "result.json"),
                                 "--format", "json"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "cannot write" in result.output
    manifest = write(tmp_path, "manifest.yaml", f"reports:\n- file: {OLD}\n")
    result = runner.invoke(app, ["batch", str(manifest), "-o", str(blocker / "out")])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_an_output_path_that_is_an_input_is_refused(tmp_path):
    old = write(tmp_path, "old.txt", bundled_path(OLD).read_text(encoding="utf-8"))
    before = old.read_bytes()
    result = runner.invoke(app, ["compare", str(old), "bundled:kent-2022", "-o", str(old)])
    assert result.exit_code == 2 and "overwrite an input" in result.output
    assert old.read_bytes() == before
    manifest = write(tmp_path, "manifest.yaml", "reports:\n- file: old.txt\n")
    result = runner.invoke(app, ["batch", str(manifest), "-o", str(manifest)])
    assert result.exit_code == 2 and "one of the inputs" in result.output
    write(tmp_path, "index.md", "a report that happens to share the index's name")
    manifest.write_text("reports:\n- file: index.md\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(manifest), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "overwrite an input" in result.output


# --- Ctrl-C during a batch --------------------------------------------------------------


def test_ctrl_c_during_a_batch_leaves_no_half_written_file_and_a_rerun_resumes(
        tmp_path, monkeypatch):
    for name in (OLD, NEW):
        shutil.copy(bundled_path(name), tmp_path / name)
    text = KENT.replace("Children are seen", "Children are not always seen", 1)
    text = text.replace("Inspection dates: 9 to 20 May 2022", "Inspection dates: 12 to 23 May 2025")
    write(tmp_path, "kent-2025.txt", text)  # a later inspection
    manifest = write(tmp_path, "manifest.yaml", (
        f"reports:\n- file: {OLD}\n  published: '2017-03-08'\n"
        f"- file: {NEW}\n  published: '2022-07-15'\n"
        "- file: kent-2025.txt\n  published: '2025-06-01'\n"))
    out = tmp_path / "out"
    renames = []
    real_replace = writes._replace

    def interrupted(source, target):
        # the fourth output (the second pair's JSON): written to its temporary file,
        # then Ctrl-C before the rename
        renames.append(target)
        if len(renames) == 4:
            assert Path(source).stat().st_size > 0
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(writes, "_replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(manifest, out, jobs=1)
    files = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts]
    assert not [p for p in files if p.name.endswith(".tmp")], "a temporary file was left"
    for path in files:
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))  # whole, or not there at all
    assert sorted(p.name for p in (out / "pairs").iterdir()) == [
        "kent_2017-03-08_2022-07-15.json", "kent_2017-03-08_2022-07-15.md"]

    monkeypatch.setattr(writes, "_replace", real_replace)
    rerun = batch.run_batch(manifest, out, jobs=1)
    assert [p.status for p in rerun.pairs] == ["up-to-date", "compared"]
    assert len(list((out / "pairs").iterdir())) == 4


def test_ctrl_c_on_the_command_line_says_how_to_resume(tmp_path, monkeypatch):
    manifest = write(tmp_path, "manifest.yaml", f"reports:\n- file: {OLD}\n")
    shutil.copy(bundled_path(OLD), tmp_path / OLD)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_batch", interrupt)
    result = runner.invoke(app, ["batch", str(manifest), "-o", str(tmp_path / "out")])
    assert result.exit_code == 130 and "run the same command again" in result.output
