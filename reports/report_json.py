"""The JSON form of one read Report (schema "kent-diff/report/v1"): `parse --format json`."""

from __future__ import annotations

import json
from typing import Any

from diffing.model import Report

SCHEMA = "kent-diff/report/v1"


def report_to_dict(report: Report) -> dict[str, Any]:
    """Plain data for a Report: metadata, grades, sections and findings, in report order."""
    return {
        "schema": SCHEMA,
        "metadata": {
            "path": report.path,
            "title": report.title,
            "local_authority": report.local_authority,
            "framework": report.framework,
            "inspection_dates": report.inspection_dates,
            "year": report.year,
            "published": report.published,
        },
        "grades": [{"area": g.area, "grade": g.grade} for g in report.grades],
        "sections": [
            {"index": s.index, "heading": s.heading, "kind": s.kind, "area": s.area}
            for s in report.sections
        ],
        "findings": [
            {
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
            for f in report.findings
        ],
    }


def dumps(report: Report) -> str:
    """Deterministic JSON text for a Report: fixed key order, two-space indent, final newline."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
