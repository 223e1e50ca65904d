"""`kent-diff check --format json` (schema kent-diff/check/v1): every verdict, as data."""

from __future__ import annotations

import json
from typing import Any

from diffing.check import MappingCheck, Verdict
from reports.check_text import display_path

SCHEMA = "kent-diff/check/v1"


def _verdict(verdict: Verdict) -> dict[str, Any]:
    entry = verdict.entry
    return {
        "id": entry.id,
        "line": entry.line,
        "kind": entry.kind,
        "held": verdict.held,
        "problem": verdict.problem,
        "expected": {"new_paras": list(entry.new_paras), "status": entry.status,
                     "also_accept": list(entry.also_accept)},
        "actual": [
            {"paragraph": o.paragraph, "linked": o.linked, "status": o.status,
             "matched_by": o.matched_by, "old_text": o.old_text}
            for o in verdict.actual
        ],
    }


def check_to_dict(check: MappingCheck) -> dict[str, Any]:
    """One mapping's check as plain data."""
    return {
        "path": display_path(check.mapping.path),
        "old": check.mapping.old,
        "new": check.mapping.new,
        "curated": check.curated,
        "entries": len(check.verdicts),
        "held": check.held,
        "regressed": check.regressed,
        "recall": round(check.recall, 4),
        "precision": round(check.precision, 4),
        "status_accuracy": round(check.status_accuracy, 4),
        "links": check.links,
        "wrong_links": check.wrong_links,
        "verdicts": [_verdict(v) for v in check.verdicts],
    }


def render(checks: tuple[MappingCheck, ...]) -> str:
    """Deterministic JSON text, ending in a newline."""
    data = {
        "schema": SCHEMA,
        "held": sum(c.held for c in checks),
        "regressed": sum(c.regressed for c in checks),
        "mappings": [check_to_dict(c) for c in checks],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
