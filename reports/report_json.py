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
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
