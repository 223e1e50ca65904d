"""The JSON form of one read Report (schema "kent-diff/report/v1"): `parse --format json`."""

from __future__ import annotations

import json
from typing import Any

from diffing.model import Finding, Report

SCHEMA = "kent-diff/report/v1"


def metadata_to_dict(report: Report) -> dict[str, Any]:
    """A report's metadata as plain data (also the "old"/"new" blocks of a comparison)."""
    return {
        "path": report.path,
        "title": report.title,
        "local_authority": report.local_authority,
        "framework": report.framework,
        "inspection_dates": report.inspection_dates,
        "year": report.year,
        "published": report.published,
    }


def finding_to_dict(f: Finding) -> dict[str, Any]:
    """One finding as plain data."""
    return {
        "id": f.id,
        "section": f.section,
        "section_kind": f.section_kind,
        "area": f.area,
        "paragraph": f.paragraph,
        "kind": f.kind,
        "polarity": f.polarity,
        "text": f.text,
        "item": f.item,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """Plain data for a Report: metadata, grades, sections and findings, in report order."""
    return {
        "schema": SCHEMA,
        "metadata": metadata_to_dict(report),
        "grades": [{"area": g.area, "grade": g.grade} for g in report.grades],
        "sections": [
            {"index": s.index, "heading": s.heading, "kind": s.kind, "area": s.area}
            for s in report.sections
        ],
        "findings": [finding_to_dict(f) for f in report.findings],
    }


def dumps(report: Report) -> str:
    """Deterministic JSON text for a Report: fixed key order, two-space indent, final newline."""
    return indented(report_to_dict(report)) + "\n"


def indented(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, the same text several times faster:
    any indent sends json to its pure-Python encoder, a tenth of a second on a comparison."""
    out: list[str] = []
    try:
        _write(data, out, "\n")
    except _Unsupported:
        return json.dumps(data, indent=2, ensure_ascii=False)  # json's own answer or error
    return "".join(out)


class _Unsupported(Exception):
    """A value json would convert in its own way (a non-string key, an unknown type)."""


def _write(value: Any, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise _Unsupported
        _container("{", "}", [(_string(key) + ": ", item) for key, item in value.items()],
                   out, newline)
    elif isinstance(value, (list, tuple)):
        _container("[", "]", [("", item) for item in value], out, newline)
    else:
        raise _Unsupported


def _container(opening: str, closing: str, entries: list[tuple[str, Any]], out: list[str],
               newline: str) -> None:
    """An object or array: each (prefix, value) entry on a line of its own, indented."""
    if not entries:
        out.append(opening + closing)
        return
    inner = newline + "  "
    out.append(opening)
    for position, (prefix, item) in enumerate(entries):
        out.append(("," if position else "") + inner + prefix)
        _write(item, out, inner)
    out.append(newline + closing)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


# json's own string encoder (its C version where built): the escapes are json's
_string = json.encoder.encode_basestring
