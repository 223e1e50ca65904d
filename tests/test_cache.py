"""The comparison cache: a repeat run answers from it, identically; anything that could
change the answer misses; a broken or unwritable cache only costs time."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import diffing.compare
from diffing import cache
from diffing.bundled import NEW, OLD, bundled_path
from kent_diff import app

runner = CliRunner()


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KENT_DIFF_CACHE", str(folder))
    return folder


def entries(folder):
    return sorted(folder.rglob("*.pickle")) if folder.exists() else []


def compare_json(*args):
    result = runner.invoke(app, ["compare", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.stdout


def forbid_computing(monkeypatch):
    def computed(*args, **kwargs):
        raise AssertionError("the comparison was computed, not taken from the cache")

    monkeypatch.setattr(diffing.compare, "compare", computed)


def test_a_repeat_run_answers_from_the_cache_with_the_same_output(cache_dir, monkeypatch):
    monkeypatch.setenv("KENT_DIFF_CACHE", "off")
    uncached = compare_json()
    monkeypatch.setenv("KENT_DIFF_CACHE", str(cache_dir))
    assert compare_json() == uncached
    assert len(entries(cache_dir)) == 1
    forbid_computing(monkeypatch)
    assert compare_json() == uncached
    other_view = runner.invoke(app, ["compare", "--only", "new"])  # another view, same entry
    assert other_view.exit_code == 0 and "New" in other_view.stdout
    assert len(entries(cache_dir)) == 1


def test_a_changed_report_or_option_is_compared_afresh(cache_dir, tmp_path):
    old, new = tmp_path / OLD, tmp_path / NEW
    shutil.copy(bundled_path(OLD), old)
    shutil.copy(bundled_path(NEW), new)
    first = compare_json(str(old), str(new))
    compare_json(str(old), str(new), "--no-curated")
    assert len(entries(cache_dir)) == 2, "the curated pins are part of the key"
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace("Children are seen", "Children are not always seen", 1),
                   encoding="utf-8")
    changed = compare_json(str(old), str(new))
    assert len(entries(cache_dir)) == 3
    assert changed != first


def test_the_key_covers_names_bytes_pins_and_the_engine():
    base = cache.comparison_key(("a", b"x"), ("b", b"y"), True)
    assert base == cache.comparison_key(("a", b"x"), ("b", b"y"), True)
    assert base != cache.comparison_key(("a2", b"x"), ("b", b"y"), True)  # path is reported
    assert base != cache.comparison_key(("a", b"x!"), ("b", b"y"), True)
    assert base != cache.comparison_key(("b", b"y"), ("a", b"x"), True)
    assert base != cache.comparison_key(("a", b"x"), ("b", b"y"), False)
    assert len(cache.engine_fingerprint()) == 16


def test_a_damaged_entry_is_computed_again_and_replaced(cache_dir, monkeypatch):
    expected = compare_json()
    (entry,) = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:100])  # cut short
    assert compare_json() == expected
    forbid_computing(monkeypatch)
    assert compare_json() == expected, "the damaged entry was replaced by a whole one"


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("KENT_DIFF_CACHE", str(blocker))
    first = compare_json()
    assert compare_json() == first
    assert blocker.read_text(encoding="utf-8").startswith("a file")


@pytest.mark.parametrize("value", ["off", "0", ""])
def test_the_cache_can_be_turned_off(value, tmp_path, monkeypatch):
    monkeypatch.setenv("KENT_DIFF_CACHE", value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_root() is None
    compare_json()
    assert not list(tmp_path.rglob("*.pickle"))


def test_the_default_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("KENT_DIFF_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "kent-diff"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_root() == tmp_path / "home" / ".cache" / "kent-diff"


def test_bad_input_is_refused_and_nothing_is_cached(cache_dir, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["compare", str(empty), "bundled:kent-2022"])
    assert result.exit_code == 2
    assert "empty.pdf" in result.output
    assert entries(cache_dir) == []


def test_the_cache_keeps_the_most_recent_entries_only(cache_dir, monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "KEEP", 2)
    texts = []
    for number in range(3):
        report = tmp_path / f"old{number}.txt"
        report.write_text(bundled_path(OLD).read_text(encoding="utf-8").replace(
            "Children are seen", f"Children ({number}) are seen", 1), encoding="utf-8")
        texts.append(report)
    for report in texts:
        compare_json(str(report), "bundled:kent-2022")
    assert len(entries(cache_dir)) == 2


def test_no_home_directory_means_no_cache_not_a_traceback(monkeypatch):
    monkeypatch.delenv("KENT_DIFF_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def homeless():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(cache.Path, "home", staticmethod(homeless))
    assert cache.cache_root() is None
    assert compare_json()  # the comparison still runs
