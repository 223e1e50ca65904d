"""The comparison as versioned JSON (schema kent-diff/compare/v1): the model, as data."""

from __future__ import annotations

import json

from diffing.model import Comparison, Finding, Report

SCHEMA = "kent-diff/compare/v1"


def _report(report: Report) -> dict:
    return {
        "path": report.path,
        "title": report.title,
        "local_authority": report.local_authority,
        "framework": report.framework,
        "inspection_dates": report.inspection_dates,
        "year": report.year,
        "published": report.published,
    }


def _finding(finding: Finding | None) -> dict | None:
    if finding is None:
        return None
    return {
        "id": finding.id,
        "section": finding.section,
        "section_kind": finding.section_kind,
        "area": finding.area,
        "paragraph": finding.paragraph,
        "item": finding.item,
        "kind": finding.kind,
        "polarity": finding.polarity,
        "text": finding.text,
    }


def comparison_to_dict(comparison: Comparison) -> dict:
    """Plain data in the schema's key order."""
    return {
        "schema": SCHEMA,
        "old": _report(comparison.old),
        "new": _report(comparison.new),
        "grades": [
            {"area": m.area, "old": m.old, "new": m.new, "change": m.change}
            for m in comparison.grades
        ],
        "findings": [
            {
                "status": r.status,
                "score": r.score,
                "matched_by": r.matched_by,
                "theme": r.theme,
                "shared_terms": list(r.shared_terms),
                "also_paragraphs": list(r.also),
                "old": _finding(r.old),
                "new": _finding(r.new),
            }
            for r in comparison.results
        ],
        "summary": comparison.summary(),
        "warnings": list(comparison.warnings),
    }


def render(comparison: Comparison) -> str:
    """Deterministic JSON text, ending in a newline."""
    return json.dumps(comparison_to_dict(comparison), indent=2, ensure_ascii=False) + "\n"
