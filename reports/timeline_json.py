"""The timeline as versioned JSON (schema kent-diff/timeline/v1): the model, as data."""

from __future__ import annotations

import json

from diffing.timeline import Thread, Timeline
from reports.report_json import finding_to_dict, metadata_to_dict
from reports.timeline_view import now_counts

SCHEMA = "kent-diff/timeline/v1"


def timeline_to_dict(timeline: Timeline) -> dict:
    """Plain data in the schema's key order."""
    return {
        "schema": SCHEMA,
        "reports": [
            {**metadata_to_dict(r), "graded": r.framework != "focused-visit"}
            for r in timeline.reports
        ],
        "grades": [{"area": row.area, "grades": list(row.grades)} for row in timeline.grades],
        "threads": [_thread(thread) for thread in timeline.threads],
        "summary": {"threads": len(timeline.threads),
                    "headline": sum(t.headline for t in timeline.threads),
                    "now": now_counts(timeline)},
        "warnings": list(timeline.warnings),
    }


def _thread(thread: Thread) -> dict:
    status, report = thread.now
    return {
        "id": thread.id,
        "raised": thread.raised,
        "theme": thread.theme,
        "headline": thread.headline,
        "finding": finding_to_dict(thread.finding),
        "steps": [
            {
                "report": step.report,
                "status": step.status,
                "evidence": [
                    {"via": e.via, "matched_by": e.matched_by, "score": e.score,
                     "finding": finding_to_dict(e.finding)}
                    for e in step.evidence
                ],
            }
            for step in thread.steps
        ],
        "now": {"status": status, "report": report},
    }


def render(timeline: Timeline) -> str:
    """Deterministic JSON text, ending in a newline."""
    return json.dumps(timeline_to_dict(timeline), indent=2, ensure_ascii=False) + "\n"
