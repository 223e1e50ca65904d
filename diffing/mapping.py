"""Curated mappings (schema kent-diff/mapping/v1): what a careful reader agrees two reports say.

A mapping names two inspections by who was inspected, under which framework and when, so
that any extraction of the same two reports gets its pins; each entry pins an old finding
(by a quote) to the new paragraphs that answer it, with the status a reader expects.
Errors name the file, the line and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Literal, get_args

import yaml

from diffing.align import ItemPin, Pin
from diffing.errors import InputError
from diffing.model import Finding, Framework, Report, Status
from diffing.text import fold, unspaced

SCHEMA = "kent-diff/mapping/v1"
"""The schema id a mapping file states on its `schema:` line."""

EntryKind = Literal["recommendation", "finding", "improvement"]
OLD_STATUSES: tuple[Status, ...] = ("improved", "persisting", "regressed", "sustained",
                                    "not-reported")
"""Statuses an entry about an old finding may expect."""
ITEM_STATUSES: tuple[Status, ...] = ("new", "persisting", "regressed")
"""Statuses an entry about a newer report's "What needs to improve" item may expect."""

_SCHEMA_LINE = re.compile(r"^schema:\s*['\"]?kent-diff/mapping/v1['\"]?\s*(#.*)?$", re.M)
_MONTHS = frozenset("january february march april may june july august september october "
                    "november december".split())
_COUNCIL = re.compile(r"\s+(?:(?:county|city|borough|metropolitan borough|district)\s+)?"
                      r"council$")


class MappingError(InputError):
    """A mapping that cannot be used: str() is "FILE: line N: field F: problem"."""

    def __init__(self, path: str, line: int | None, field: str | None, problem: str):
        where = f"line {line}: " if line else ""
        what = f"field {field}: " if field else ""
        super().__init__(path, f"{where}{what}{problem}")
        self.line = line
        self.field = field


@dataclass(frozen=True)
class Inspection:
    """Which inspection one side of a mapping is about, as the report itself states it."""

    framework: Framework
    """sif, sif-reinspection, ilacs or focused-visit."""
    dates: str
    """The inspection dates as printed, e.g. "9 to 20 May 2022"."""

    @property
    def year(self) -> int | None:
        """The last year the dates name."""
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", self.dates)]
        return years[-1] if years else None


@dataclass(frozen=True)
class Entry:
    """One curated alignment."""

    id: str
    """R<n>, W<n>, F<n>, L<n>: unique within the mapping."""
    kind: EntryKind
    """recommendation or finding (an old finding), improvement (a new "What needs to improve"
    item)."""
    old_quote: str | None
    """A distinctive part of one old sentence (optional for an improvement item)."""
    new_quote: str | None
    """For an improvement item: a distinctive part of the item."""
    new_paras: tuple[int, ...]
    """New paragraph numbers that answer it, most relevant first; empty: none does."""
    status: Status
    """The status a careful reader expects."""
    also_accept: tuple[Status, ...]
    """Other statuses the texts also support."""
    note: str
    """Why, in a line."""
    line: int
    """Line of the entry in its file."""

    @property
    def accepted(self) -> frozenset[Status]:
        """The expected status and every status also accepted."""
        return frozenset((self.status, *self.also_accept))


@dataclass(frozen=True)
class Mapping:
    """A curated mapping file, validated."""

    path: Path
    """Where it was read from."""
    local_authority: str
    """The council both reports inspect."""
    old: str
    """The older report: a bundled text's name, or a path relative to the mapping file."""
    new: str
    """The newer report, named the same way."""
    old_inspection: Inspection
    """Which inspection the older report is."""
    new_inspection: Inspection
    """Which inspection the newer report is."""
    entries: tuple[Entry, ...]
    """The curated entries, in file order."""
    lines: tuple[tuple[str, int], ...]
    """(top-level field, its line), for messages about it."""

    def line_of(self, field: str) -> int | None:
        """The line a top-level field is on."""
        return dict(self.lines).get(field)


# --- validation: pydantic models of the file, then the frozen model above ------------------
# A well-formed file passes a plain check of the same rules (_plain_fields); only a file
# that fails it is validated by the pydantic models, which name the first problem. Pydantic
# is imported then, and only then: a command that reads a good mapping does not pay for it.


@cache
def _models():
    """The pydantic models of a mapping file (built on first use)."""
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

    text = Annotated[StrictStr, Field(min_length=1)]

    class _InspectionFields(BaseModel):
        model_config = ConfigDict(extra="forbid")
        framework: Framework
        dates: text

    class _EntryFields(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: text
        kind: EntryKind
        old_quote: text | None = None
        new_quote: text | None = None
        new_paras: list[Annotated[StrictInt, Field(ge=1)]]
        status: Status
        also_accept: list[Status] = []
        note: text

    class _MappingFields(BaseModel):
        model_config = ConfigDict(extra="forbid")
        schema_: Literal["kent-diff/mapping/v1"] = Field(alias="schema")
        local_authority: text
        old: text
        old_inspection: _InspectionFields
        new: text
        new_inspection: _InspectionFields
        entries: list[_EntryFields]

    return _MappingFields


_FRAMEWORKS = frozenset(get_args(Framework))
_KINDS = frozenset(get_args(EntryKind))
_STATUSES = frozenset(get_args(Status))
_TOP_FIELDS = frozenset(("schema", "local_authority", "old", "old_inspection", "new",
                         "new_inspection", "entries"))
_ENTRY_REQUIRED = frozenset(("id", "kind", "new_paras", "status", "note"))
_ENTRY_FIELDS = _ENTRY_REQUIRED | {"old_quote", "new_quote", "also_accept"}


def _is_text(value: object) -> bool:
    return type(value) is str and len(value) >= 1


def _is_choice(value: object, choices: frozenset[str]) -> bool:
    return type(value) is str and value in choices


def _plain_inspection(data: object) -> SimpleNamespace | None:
    if (type(data) is not dict or data.keys() != {"framework", "dates"}
            or not _is_choice(data["framework"], _FRAMEWORKS) or not _is_text(data["dates"])):
        return None
    return SimpleNamespace(framework=data["framework"], dates=data["dates"])


def _plain_entry(data: object) -> SimpleNamespace | None:
    if type(data) is not dict or not _ENTRY_REQUIRED <= data.keys() <= _ENTRY_FIELDS:
        return None
    quotes = [data.get(k) for k in ("old_quote", "new_quote")]
    paras, also = data["new_paras"], data.get("also_accept", [])
    if (not _is_text(data["id"]) or not _is_choice(data["kind"], _KINDS)
            or not all(q is None or _is_text(q) for q in quotes)
            or type(paras) is not list or not all(type(p) is int and p >= 1 for p in paras)
            or not _is_choice(data["status"], _STATUSES)
            or type(also) is not list or not all(_is_choice(a, _STATUSES) for a in also)
            or not _is_text(data["note"])):
        return None
    return SimpleNamespace(id=data["id"], kind=data["kind"], old_quote=quotes[0],
                           new_quote=quotes[1], new_paras=list(paras), status=data["status"],
                           also_accept=list(also), note=data["note"])


def _plain_fields(data: dict) -> SimpleNamespace | None:
    """The file's fields when every one is well-formed by the pydantic models' rules
    (strict text of at least a character, the listed choices, whole paragraph numbers from
    1, no unknown or missing field), as the models would give them; None otherwise."""
    if data.keys() != _TOP_FIELDS or data["schema"] != SCHEMA or type(data["schema"]) is not str:
        return None
    if not all(_is_text(data[k]) for k in ("local_authority", "old", "new")):
        return None
    old, new = _plain_inspection(data["old_inspection"]), _plain_inspection(data["new_inspection"])
    if old is None or new is None or type(data["entries"]) is not list:
        return None
    entries = [_plain_entry(entry) for entry in data["entries"]]
    if any(entry is None for entry in entries):
        return None
    return SimpleNamespace(local_authority=data["local_authority"], old=data["old"],
                           new=data["new"], old_inspection=old, new_inspection=new,
                           entries=entries)


def _entry_problems(entry) -> list[tuple[str, str]]:
    """(field, problem) for rules one field's type cannot say."""
    problems = []
    if entry.kind == "improvement":
        if entry.new_quote is None or not fold(entry.new_quote):
            problems.append(("new_quote", "an improvement entry needs the item's words"))
        allowed = ITEM_STATUSES
    else:
        if entry.old_quote is None or not fold(entry.old_quote):
            problems.append(("old_quote", f"a {entry.kind} entry needs a quote of it"))
        if entry.new_quote is not None:
            problems.append(("new_quote", "only an improvement entry quotes the newer report"))
        allowed = OLD_STATUSES
    if entry.status not in allowed:
        problems.append(("status", f"must be one of {', '.join(allowed)} for kind {entry.kind}"))
    for i, status in enumerate(entry.also_accept):
        if status not in allowed:
            problems.append((f"also_accept[{i}]", f"must be one of {', '.join(allowed)}"))
    if entry.kind != "improvement" and bool(entry.new_paras) == (entry.status == "not-reported"):
        problems.append(("new_paras", "is empty exactly when status is not-reported"))
    return problems


def _node_at(node: yaml.Node | None, loc: tuple) -> yaml.Node | None:
    """The node at a pydantic error location, as deep as the document has it (a missing
    field: the mapping that lacks it)."""
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node = child
    return node


def _field_name(loc: tuple) -> str:
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + ("schema" if part == "schema_" else str(part))
    return name or "(top)"


def _parse(text: str, path: Path) -> tuple[object, yaml.Node | None]:
    """The document and its node tree: the safe constructor, so no tag builds an object."""
    # libyaml's loader where present (a tenth of the time); both keep node marks
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as error:
        # a tag such as !!python/object: the safe constructor refuses to build it
        mark = error.problem_mark
        raise MappingError(str(path), mark.line + 1 if mark else None, None,
                           f"refused: {error.problem} (a mapping is plain YAML data)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        context, begun = getattr(error, "context", None) or "", getattr(error, "context_mark", None)
        if (("flow" in context or "quoted" in context) and begun is not None
                and mark is not None and begun.line != mark.line):
            # an unclosed [..], {..} or "..": the fault is where it opens, not where the
            # parser gave up
            opened = context.removeprefix("while parsing ").removeprefix("while scanning ")
            problem = f"{opened} opened here is not closed: {problem} on line {mark.line + 1}"
            mark = begun
        raise MappingError(str(path), mark.line + 1 if mark else None, None,
                           f"invalid YAML ({problem})") from None
    finally:
        loader.dispose()
    return data, node


def parse_mapping(text: str, path: Path) -> Mapping:
    """Validate a mapping's text; the first problem raises MappingError (file, line, field)."""
    data, root = _parse(text, path)
    if not isinstance(data, dict):
        raise MappingError(str(path), 1, "(top)", "a mapping file is a YAML mapping")
    fields = _plain_fields(data)
    if fields is not None:
        return _mapping(fields, root, path)
    from pydantic import ValidationError

    try:
        fields = _models().model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        loc = tuple("schema" if p == "schema_" else p for p in loc)
        node = _node_at(root, loc)
        line = node.start_mark.line + 1 if node is not None else None
        problem = first["msg"]
        if first["type"] == "missing":
            problem = "missing"
        elif first["type"] == "extra_forbidden":
            problem = "unknown field"
        raise MappingError(str(path), line, _field_name(loc), problem) from None
    return _mapping(fields, root, path)


def _mapping(fields, root: yaml.Node, path: Path) -> Mapping:
    """The Mapping of a file's validated fields (the rules across fields checked here)."""
    items = _node_at(root, ("entries",))
    entries, seen = [], {}
    for i, fields_i in enumerate(fields.entries):
        item = items.value[i]
        for field, problem in _entry_problems(fields_i):
            node = _node_at(item, (field.split("[")[0],)) or item
            raise MappingError(str(path), node.start_mark.line + 1, f"entries[{i}].{field}",
                               problem)
        if fields_i.id in seen:
            node = _node_at(item, ("id",))
            raise MappingError(str(path), node.start_mark.line + 1, f"entries[{i}].id",
                               f"{fields_i.id} already names the entry on line {seen[fields_i.id]}")
        seen[fields_i.id] = item.start_mark.line + 1
        entries.append(Entry(
            id=fields_i.id,
            kind=fields_i.kind,
            old_quote=fields_i.old_quote,
            new_quote=fields_i.new_quote,
            new_paras=tuple(fields_i.new_paras),
            status=fields_i.status,
            also_accept=tuple(fields_i.also_accept),
            note=fields_i.note,
            line=item.start_mark.line + 1,
        ))
    return Mapping(
        path=path,
        local_authority=fields.local_authority,
        old=fields.old,
        new=fields.new,
        old_inspection=Inspection(fields.old_inspection.framework, fields.old_inspection.dates),
        new_inspection=Inspection(fields.new_inspection.framework, fields.new_inspection.dates),
        entries=tuple(entries),
        lines=tuple((k.value, k.start_mark.line + 1) for k, _ in root.value),
    )


def load_mapping(path: Path) -> Mapping:
    """Read and validate one mapping file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    return parse_mapping(text, path)


def is_mapping_file(path: Path) -> bool:
    """Whether a YAML file states the mapping schema (checked on its text, without parsing)."""
    try:
        return bool(_SCHEMA_LINE.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def mapping_files(folder: Path) -> tuple[Path, ...]:
    """Every mapping file (schema kent-diff/mapping/v1) in a folder, sorted."""
    return tuple(p for p in sorted(folder.glob("*.yaml")) if is_mapping_file(p))


@cache
def bundled_mappings() -> tuple[Mapping, ...]:
    """The mappings shipped under mappings/, validated."""
    from diffing.mappings import mappings_dir

    return tuple(load_mapping(p) for p in mapping_files(mappings_dir()))


# --- which mapping applies to two reports --------------------------------------------------

def _authority(name: str | None) -> str:
    return _COUNCIL.sub("", fold(name or ""))


def _date_key(dates: str) -> frozenset[str]:
    """Days, months and years a dates string names: "6 March to 30 March 2017" and
    "6 to 30 March 2017" name the same inspection."""
    return frozenset(w for w in fold(dates).split() if w.isdigit() or w in _MONTHS)


def is_inspection(report: Report, authority: str, inspection: Inspection) -> bool:
    """Whether a read report is this authority's inspection (framework and dates; the year
    alone when the report's dates could not be read)."""
    if _authority(report.local_authority) != _authority(authority):
        return False
    if report.framework != inspection.framework:
        return False
    if report.inspection_dates:
        return _date_key(report.inspection_dates) == _date_key(inspection.dates)
    return report.year is not None and report.year == inspection.year


def applies(mapping: Mapping, old: Report, new: Report) -> bool:
    """Whether the mapping is about these two reports, in this order."""
    return (is_inspection(old, mapping.local_authority, mapping.old_inspection)
            and is_inspection(new, mapping.local_authority, mapping.new_inspection))


def entry_pins(mapping: Mapping) -> tuple[Pin | ItemPin, ...]:
    """The pins a mapping's entries make.

    An entry about an old finding pins the paragraphs that answer it. An improvement entry
    pins what the item carries on: nothing when its status is new, else the old finding its
    old_quote names (an entry without one leaves the item to the matcher). It never pins a
    paragraph: the item is a list entry, which the matcher never links a paragraph to.
    """
    pins: list[Pin | ItemPin] = []
    for e in mapping.entries:
        if e.kind != "improvement":  # validation: an old finding's entry quotes it
            pins.append(Pin(unspaced(e.old_quote or ""), e.new_paras))
        elif e.status == "new":  # validation: an improvement entry quotes its item
            pins.append(ItemPin(unspaced(e.new_quote or ""), None))
        elif e.old_quote:
            pins.append(ItemPin(unspaced(e.new_quote or ""), unspaced(e.old_quote)))
    return tuple(pins)


def pins_for(old: Report, new: Report,
             mappings: tuple[Mapping, ...]) -> tuple[Pin | ItemPin, ...]:
    """The pins of the first mapping about these two reports; none when no mapping is."""
    for mapping in mappings:
        if applies(mapping, old, new):
            return entry_pins(mapping)
    return ()


def covers(mapping: Mapping, finding: Finding) -> bool:
    """Whether some entry quotes this old finding."""
    text = unspaced(finding.text)
    return any(e.old_quote and unspaced(e.old_quote) in text for e in mapping.entries)


def report_source(mapping: Mapping, side: Literal["old", "new"]) -> str:
    """Where to read one of the mapping's reports: a path relative to the mapping file, or
    else a bundled text (``bundled:NAME``)."""
    from diffing.bundled import PREFIX, bundled_names

    name = getattr(mapping, side)
    if not name.startswith(PREFIX):
        local = mapping.path.parent / name
        if local.is_file():
            return str(local)
    key = name.removeprefix(PREFIX)
    if key in bundled_names() or f"{key}.txt" in bundled_names():
        return PREFIX + key
    raise MappingError(str(mapping.path), mapping.line_of(side), side,
                       f"no report {name} (neither next to the mapping nor bundled)")


def confirm_reports(mapping: Mapping, old: Report, new: Report) -> None:
    """Raise MappingError, on the header line at fault, when the reports the mapping names
    are not the inspections its header says they are."""
    for side, report, inspection in (("old", old, mapping.old_inspection),
                                     ("new", new, mapping.new_inspection)):
        if _authority(report.local_authority) != _authority(mapping.local_authority):
            raise MappingError(str(mapping.path), mapping.line_of("local_authority"),
                               "local_authority", f"the {side} report inspects "
                               f"{report.local_authority or 'an unnamed authority'}")
        if not is_inspection(report, mapping.local_authority, inspection):
            raise MappingError(str(mapping.path), mapping.line_of(f"{side}_inspection"),
                               f"{side}_inspection", f"the {side} report is {report.framework}, "
                               f"inspected {report.inspection_dates or report.year}")
