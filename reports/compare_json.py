"""The comparison as versioned JSON (schema kent-diff/compare/v1): the model, as data."""

from __future__ import annotations

from diffing.model import AREAS, Comparison, GradeMove
from reports.report_json import finding_to_dict, indented, metadata_to_dict

SCHEMA = "kent-diff/compare/v1"


def comparison_to_dict(comparison: Comparison) -> dict:
    """Plain data in the schema's key order."""
    judged = {m.area: m for m in comparison.grades}
    return {
        "schema": SCHEMA,
        "old": metadata_to_dict(comparison.old),
        "new": metadata_to_dict(comparison.new),
        # every area key, in AREAS order: one neither report judges is null to null
        "grades": [
            {"area": m.area, "old": m.old, "new": m.new, "change": m.change}
            for m in (judged.get(area, GradeMove(area, None, None, "not-comparable"))
                      for area in AREAS)
        ],
        "findings": [
            {
                "status": r.status,
                "score": r.score,
                "matched_by": r.matched_by,
                "theme": r.theme,
                "shared_terms": list(r.shared_terms),
                "also_paragraphs": list(r.also),
                "old": finding_to_dict(r.old) if r.old else None,
                "new": finding_to_dict(r.new) if r.new else None,
            }
            for r in comparison.results
        ],
        "summary": comparison.summary(),
        "warnings": list(comparison.warnings),
    }


def render(comparison: Comparison) -> str:
    """Deterministic JSON text, ending in a newline."""
    return indented(comparison_to_dict(comparison)) + "\n"
