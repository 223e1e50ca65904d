"""Curated mappings: loading and validation, which mapping applies to two reports, the pins
compare honours, and `kent-diff check` (held / regressed, exit codes, --suggest --write)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diffing.align import ItemPin
from diffing.bundled import NEW, OLD, bundled_path
from diffing.mapping import (
    MappingError,
    bundled_mappings,
    entry_pins,
    load_mapping,
    parse_mapping,
    pins_for,
)
from diffing.mappings import mappings_dir
from diffing.model import Report
from diffing.text import unspaced
from kent_diff import app

KENT = mappings_dir() / "kent-2017-2022.yaml"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def _copy(tmp_path: Path, text: str | None = None) -> Path:
    """A copy of the Kent mapping, beside which the bundled reports are not: check finds them
    as bundled texts."""
    target = tmp_path / "kent.yaml"
    target.write_text(KENT.read_text(encoding="utf-8") if text is None else text,
                      encoding="utf-8")
    return target


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """Line number of the nth line holding needle (-1: the last)."""
    pattern = re.compile(re.escape(needle) + r"(?!\w)")  # "R1" is not "R10"
    lines = [n for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]
    return lines[nth - 1 if nth > 0 else nth]


# --- loading ---------------------------------------------------------------------------------

def test_the_kent_mapping_loads_with_each_entry_and_its_line():
    mapping = load_mapping(KENT)
    text = KENT.read_text(encoding="utf-8")
    assert mapping.local_authority == "Kent"
    assert len({e.id for e in mapping.entries}) == len(mapping.entries) >= 30
    first = mapping.entries[0]
    assert text.splitlines()[first.line - 1].strip() == f"- id: {first.id}"


def test_a_python_object_tag_is_refused_and_never_built(tmp_path):
    text = KENT.read_text(encoding="utf-8").replace(
        "local_authority: Kent", 'local_authority: !!python/object/apply:builtins.print ["RAN"]')
    with pytest.raises(MappingError) as caught:
        parse_mapping(text, tmp_path / "kent.yaml")
    assert caught.value.line == _line_of(text, "!!python/object")
    assert "refused" in str(caught.value)

    result = run("check", str(_copy(tmp_path, text)))
    assert result.exit_code == 2
    assert "RAN" not in result.output
    assert "refused" in result.stderr


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("status: improved", "status: better"), "entries[0].status"),
        (("new_paras: [3, 10]", 'new_paras: [3, "ten"]'), "entries[0].new_paras[1]"),
        (("    kind: recommendation\n", "    kind: recommendation\n    colour: red\n"),
         "entries[0].colour"),
        (("  - id: R2", "  - id: R1"), "entries[1].id"),  # R1 twice
        (("old_inspection: {framework: sif", "old_inspection: {framework: sif-2"),
         "old_inspection.framework"),
    ],
)
def test_an_invalid_field_is_named_with_its_line(tmp_path, change, field):
    text = KENT.read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(MappingError) as caught:
        parse_mapping(text, tmp_path / "kent.yaml")
    assert caught.value.field == field
    # the changed line (for the duplicate id, its second use)
    assert caught.value.line == _line_of(text, change[1].strip().splitlines()[-1], -1)


def _mutated(path: tuple, value):
    import copy

    import yaml

    data = copy.deepcopy(yaml.safe_load(KENT.read_text(encoding="utf-8")))
    *parents, last = path
    holder = data
    for key in parents:
        holder = holder[key]
    if value is KeyError:
        del holder[last]
    else:
        holder[last] = value
    return data


@pytest.mark.parametrize(("path", "value"), [
    (("schema",), "kent-diff/mapping/v2"),
    (("local_authority",), ""),
    (("old",), 3),
    (("old_inspection", "framework"), "sif-2"),
    (("old_inspection", "extra"), "x"),
    (("new_inspection", "dates"), KeyError),
    (("entries", 0, "kind"), "advice"),
    (("entries", 0, "status"), "better"),
    (("entries", 0, "new_paras"), [3, "ten"]),
    (("entries", 0, "new_paras"), [0]),
    (("entries", 0, "new_paras"), [True]),
    (("entries", 0, "also_accept"), ["improved", "maybe"]),
    (("entries", 0, "old_quote"), ""),
    (("entries", 0, "note"), KeyError),
    (("entries", 0, "colour"), "red"),
    (("entries",), "none"),
])
def test_the_fast_check_refuses_whatever_the_pydantic_models_refuse(path, value):
    """A good mapping is checked without importing pydantic (_plain_fields), a bad one is
    explained by the pydantic models: the two must agree on what is good."""
    from pydantic import ValidationError

    from diffing.mapping import _models, _plain_fields

    with pytest.raises(ValidationError):
        _models().model_validate(_mutated(path, value))
    assert _plain_fields(_mutated(path, value)) is None


def test_the_fast_check_reads_a_good_mapping_as_the_pydantic_models_do():
    import yaml

    from diffing.mapping import _models, _plain_fields

    data = yaml.safe_load(KENT.read_text(encoding="utf-8"))
    plain, models = _plain_fields(data), _models().model_validate(data)
    assert plain is not None
    for name in ("local_authority", "old", "new"):
        assert getattr(plain, name) == getattr(models, name)
    for side in ("old_inspection", "new_inspection"):
        assert vars(getattr(plain, side)) == getattr(models, side).model_dump()
    assert [vars(e) for e in plain.entries] == [e.model_dump() for e in models.entries]


# --- which mapping applies -------------------------------------------------------------------

def _report(authority: str, framework: str, dates: str | None, year: int | None) -> Report:
    return Report(path="x.txt", title="", local_authority=authority, framework=framework,
                  inspection_dates=dates, year=year, grades=(), sections=(), findings=())


def test_pins_follow_the_inspections_not_the_file_names():
    mappings = bundled_mappings()
    kent = next(m for m in mappings if m.path.name == KENT.name)
    old = _report("Kent County Council", "sif", "6 March to 30 March 2017", 2017)
    new = _report("Kent", "ilacs", "9 May to 20 May 2022", 2022)
    assert pins_for(old, new, mappings) == entry_pins(kent)
    undated = _report("Kent", "ilacs", None, 2022)
    assert pins_for(old, undated, mappings) == entry_pins(kent), "the year when no dates"
    assert pins_for(new, old, mappings) == (), "given newest first"
    assert pins_for(_report("Medway", "sif", "6 to 30 March 2017", 2017), new, mappings) == ()
    assert pins_for(old, _report("Kent", "ilacs", "1 to 5 May 2025", 2025), mappings) == ()
    assert pins_for(old, _report("Kent", "focused-visit", "9 to 20 May 2022", 2022),
                    mappings) == ()


def test_improvement_entries_pin_what_the_item_carries_on():
    mapping = load_mapping(KENT)
    pins = entry_pins(mapping)
    items = {pin.new_quote: pin for pin in pins if isinstance(pin, ItemPin)}
    improvements = [e for e in mapping.entries if e.kind == "improvement"]
    assert len(pins) == len(mapping.entries) and len(items) == len(improvements)
    for entry in improvements:
        pin = items[unspaced(entry.new_quote or "")]
        # "new" pairs the item with nothing, whatever passage the entry names
        assert pin.old_quote == (None if entry.status == "new" else unspaced(entry.old_quote))


def _items(result, words: str) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [f for f in json.loads(result.stdout)["findings"]
            if f["new"] and f["new"]["kind"] == "improvement" and words in f["new"]["text"]]


def test_an_item_pin_comes_first_and_the_matcher_adds_its_other_pairings():
    caseloads = _items(run("compare", "--format", "json"), "caseloads")
    assert [(f["status"], f["matched_by"], f["old"]) for f in caseloads] == [
        ("new", "curated", None)]
    pinned = _items(run("compare", "--format", "json"), "aged 16 and 17")
    first, others = pinned[0], pinned[1:]
    assert first["matched_by"] == "curated" and first["status"] == "persisting"
    assert "aware of their right" in first["old"]["text"]
    automatic = _items(run("compare", "--no-curated", "--format", "json"), "aged 16 and 17")
    assert {f["old"]["text"] for f in others} == (
        {f["old"]["text"] for f in automatic} - {first["old"]["text"]})
    assert {f["matched_by"] for f in others} <= {"reverse"}


def _matched_by(result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {f["matched_by"] for f in json.loads(result.stdout)["findings"]}


def test_compare_honours_pins_for_another_extraction_and_no_curated_turns_them_off(tmp_path):
    # the same two reports under other names, with CRLF line ends: the pins still apply
    for name in (OLD, NEW):
        text = bundled_path(name).read_text(encoding="utf-8")
        (tmp_path / f"copy-{name}").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    pinned = run("compare", str(tmp_path / f"copy-{OLD}"), str(tmp_path / f"copy-{NEW}"),
                 "--format", "json")
    assert "curated" in _matched_by(pinned)
    automatic = run("compare", "--no-curated", "--format", "json")
    assert "curated" not in _matched_by(automatic)


def test_every_pin_finds_its_sentence_in_an_extraction_that_glues_hyphenated_words(tmp_path):
    # pdftotext joins "multi-agency" and "decision-making" into one word where a line
    # breaks them; a curated quote written with the hyphen must still find its sentence
    glued = re.sub(r"(?<=[a-z])-(?=[a-z])", "", bundled_path(OLD).read_text(encoding="utf-8"))
    (tmp_path / OLD).write_text(glued, encoding="utf-8")

    def curated(*args: str) -> int:
        result = run("compare", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return sum(f["matched_by"] == "curated" for f in json.loads(result.stdout)["findings"])

    assert curated(str(tmp_path / OLD), str(bundled_path(NEW))) == curated()


def test_a_pin_whose_paragraphs_an_extraction_lost_leaves_the_finding_to_the_matcher(tmp_path):
    # without the newer report's paragraph numbers a pin names nothing there: the finding
    # is matched as if unpinned, never forced to "not reported"
    numbered = bundled_path(NEW).read_text(encoding="utf-8")
    (tmp_path / NEW).write_text(re.sub(r"(?m)^(\s*)\d{1,2}\.\s+", r"\1", numbered),
                                encoding="utf-8")
    result = run("compare", str(bundled_path(OLD)), str(tmp_path / NEW), "--format", "json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert all(f["new"] is None or f["new"]["paragraph"] is None for f in findings)
    curated = [f for f in findings if f["matched_by"] == "curated"]
    # the item pins need no paragraph numbers: the listed items keep theirs
    items = [f for f in curated if f["new"] is not None and f["new"]["kind"] == "improvement"]
    entries = load_mapping(KENT).entries
    empty = sum(not e.new_paras for e in entries if e.kind != "improvement")
    assert len(items) == sum(e.kind == "improvement" for e in entries)
    rest = [f for f in curated if f not in items]
    assert len(rest) == empty and all(f["new"] is None for f in rest)


# --- check -----------------------------------------------------------------------------------

def test_a_changed_expected_status_exits_1_naming_the_entry(tmp_path):
    text = KENT.read_text(encoding="utf-8")
    start = text.index("  - id: R2\n")
    end = text.index("  - id: R3\n")
    # a recommendation is a concern: it can improve or persist, never regress
    entry = text[start:end].replace("status: improved", "status: regressed")
    changed = text[:start] + entry + text[end:]
    path = _copy(tmp_path, changed)
    result = run("check", str(path), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1, result.output
    line = next(x for x in result.stdout.splitlines() if re.match(r"\s+REGRESSED\s+R2\s", x))
    assert "status changed" in line and "expected para 11, regressed" in line
    assert f"line {_line_of(changed, '- id: R2')}:" in line
    assert re.search(rf"^::error file=[^\n]*kent\.yaml,line={_line_of(changed, '- id: R2')},"
                     r"[^\n]*::R2: status changed", result.stdout, re.M)


def test_a_mapping_whose_entries_hold_exits_0(tmp_path):
    text = KENT.read_text(encoding="utf-8")
    head = text[:text.index("entries:")]
    kept = [block for block in re.split(r"(?m)^(?=  - id: )", text[text.index("entries:"):])
            if "status: not-reported" in block and "also_accept" not in block]
    assert kept, "the Kent mapping has entries the 2022 report says nothing about"
    path = _copy(tmp_path, head + "entries:\n" + "".join(kept))
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "kent-diff/check/v1"
    assert data["regressed"] == 0 and data["held"] == len(kept)
    assert data["mappings"][0]["recall"] == 1.0


def test_broken_yaml_exits_2_with_its_line(tmp_path):
    text = KENT.read_text(encoding="utf-8").replace("new_paras: [11]", "new_paras: [11", 1)
    path = _copy(tmp_path, text)
    result = run("check", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    (message,) = result.stderr.splitlines()
    assert message.startswith(f"kent-diff: {path}: line {_line_of(text, 'new_paras: [11')}: ")


def test_check_by_default_reads_every_mapping_and_its_exit_code_follows_the_verdicts():
    result = run("check", "--format", "json")
    data = json.loads(result.stdout)
    assert [Path(m["path"]).name for m in data["mappings"]] == [KENT.name]
    (kent,) = data["mappings"]
    assert kent["curated"] is True
    assert len(kent["verdicts"]) == len(load_mapping(KENT).entries)
    assert result.exit_code == (1 if data["regressed"] else 0)
    for verdict in kent["verdicts"]:
        assert verdict["held"] == (verdict["problem"] is None)


def test_suggest_write_appends_and_leaves_every_line_intact(tmp_path):
    original = KENT.read_text(encoding="utf-8").replace(
        "  - id: R1\n", "  # a reader's comment before R1\n  - id: R1  # and one after\n"
    ) + "  # a closing comment, last in the file\n"
    path = _copy(tmp_path, original)
    printed = run("check", str(path), "--suggest")
    assert printed.exit_code == 0, printed.output
    assert path.read_text(encoding="utf-8") == original, "--suggest alone writes nothing"
    written = run("check", str(path), "--suggest", "--write")
    assert written.exit_code == 0, written.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(original)
    assert after.splitlines()[: len(original.splitlines())] == original.splitlines()
    mapping = load_mapping(path)
    before = load_mapping(KENT)
    assert [e.id for e in mapping.entries[: len(before.entries)]] == [e.id for e in before.entries]
    added = mapping.entries[len(before.entries):]
    assert added, "the Kent mapping does not cover every 2017 finding"
    assert "--- suggested by `kent-diff check --suggest`" in after
    # what --suggest printed is what --write appended
    assert printed.stdout.split("\n", 1)[1] == after[len(original):]


def test_each_finding_takes_the_first_pin_whose_quote_it_holds():
    from types import SimpleNamespace

    from diffing.align import Pin, _pins_by_finding

    findings = [SimpleNamespace(id="f1", text="Plans are clear. Reviews are timely."),
                SimpleNamespace(id="f2", text="Reviews are timely, and plans are clear."),
                SimpleNamespace(id="f3", text="Timely. Plans are")]
    first, second, third = (Pin("reviewsaretimely", (1,)), Pin("plansareclear", (2,)),
                            Pin("timelyplansare", (3,)))
    spanning = Pin("timelyreviewsare", (4,))  # the end of f1 and the start of f2
    pinned = _pins_by_finding(findings, (first, second, third, spanning))
    # f1 and f2 hold both of the first two quotes: the first pin listed wins; f3 holds the
    # third; no quote is found across the end of one text and the start of the next
    assert pinned == {"f1": first, "f2": first, "f3": third}
    assert _pins_by_finding(findings, ()) == {}
