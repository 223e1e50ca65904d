"""The index of a batch run, as Markdown, JSON and CSV: one row per pair with its grade
moves and status counts, every report with what became of it, and national tallies of
the themes that most often persist or newly appear."""

from __future__ import annotations

import csv
import io
import json

from diffing.batch import BatchRun, PairOutcome, ReportOutcome
from diffing.model import AREAS, STATUSES
from reports.selection import theme_label

SCHEMA = "kent-diff/batch-index/v1"
_FRAMEWORK_SHORT = {
    "sif": "SIF",
    "sif-reinspection": "SIF re-inspection",
    "ilacs": "ILACS",
    "focused-visit": "focused visit",
}


# --- the facts, once ------------------------------------------------------------------


def counts(run: BatchRun) -> dict[str, int]:
    """How many reports and pairs, by what became of them."""
    reports = {"reports": len(run.reports)}
    for status in ("paired", "unpaired", "refused"):
        reports[status] = sum(1 for o in run.reports if o.status == status)
    reports["councils"] = len({p.authority for p in run.pairs})
    reports["pairs"] = len(run.pairs)
    for status in ("compared", "up-to-date", "failed"):
        reports[f"pairs {status}"] = sum(1 for p in run.pairs if p.status == status)
    return reports


def theme_tallies(run: BatchRun) -> list[dict]:
    """Per theme: the councils and pairs where it persists and where it is new."""
    tally: dict[str, dict] = {}
    for pair in run.pairs:
        if pair.status == "failed":
            continue
        for status in ("persisting", "new"):
            for key in pair.themes.get(status, ()):
                row = tally.setdefault(key, {
                    "theme": key, "councils persisting": set(), "councils new": set(),
                    "pairs persisting": set(), "pairs new": set(),
                    "findings persisting": 0, "findings new": 0,
                })
                row[f"councils {status}"].add(pair.authority)
                row[f"pairs {status}"].add(pair.name)
                row[f"findings {status}"] += 1
    out = []
    for key, row in tally.items():
        out.append({
            "theme": key,
            "label": theme_label(key),
            **{name: len(row[name]) for name in ("councils persisting", "councils new",
                                                  "pairs persisting", "pairs new")},
            "findings persisting": row["findings persisting"],
            "findings new": row["findings new"],
        })
    return sorted(out, key=lambda r: (-r["councils persisting"] - r["councils new"], r["theme"]))


def _report_dict(outcome: ReportOutcome) -> dict:
    report = outcome.report
    return {
        "file": outcome.source.label,
        "local_authority": outcome.authority or outcome.source.authority,
        "urn": outcome.source.urn,
        "date": outcome.date.isoformat() if outcome.date else None,
        "framework": report.framework if report else None,
        "inspection_dates": report.inspection_dates if report else None,
        "grades": {e.area: e.grade for e in report.grades} if report else {},
        "sha256": outcome.sha256,
        "status": outcome.status,
        "reason": outcome.reason,
        "warnings": list(outcome.warnings),
    }


def _pair_dict(pair: PairOutcome) -> dict:
    return {
        "local_authority": pair.authority,
        "name": pair.name,
        "old": {"file": pair.old.source.label, "date": _date(pair.old),
                "framework": pair.old.report.framework if pair.old.report else None},
        "new": {"file": pair.new.source.label, "date": _date(pair.new),
                "framework": pair.new.report.framework if pair.new.report else None},
        "status": pair.status,
        "reason": pair.reason,
        "grades": list(pair.grades),
        "summary": dict(pair.summary),
        "json": pair.json_path,
        "brief": pair.brief_path,
    }


def _date(outcome: ReportOutcome) -> str | None:
    return outcome.date.isoformat() if outcome.date else None


# --- JSON -------------------------------------------------------------------------------


def render_json(run: BatchRun) -> str:
    """The index as JSON (schema kent-diff/batch-index/v1), ending in a newline."""
    data = {
        "schema": SCHEMA,
        "source": run.source,
        "seconds": run.seconds,
        "jobs": run.jobs,
        "counts": counts(run),
        "pairs": [_pair_dict(p) for p in run.pairs],
        "themes": theme_tallies(run),
        "reports": [_report_dict(o) for o in run.reports],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- CSV --------------------------------------------------------------------------------


def _safe(value) -> str:
    """A spreadsheet cell that is never a formula (file names and text come from outside)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(run: BatchRun) -> str:
    """One row per pair: both reports, each area's grades and move, the status counts."""
    header = ["local_authority", "old_file", "old_date", "old_framework", "new_file",
              "new_date", "new_framework", "status", "reason"]
    for area in AREAS:
        header += [f"{area}_old", f"{area}_new", f"{area}_change"]
    header += list(STATUSES) + ["json", "brief"]
    rows = [header]
    for pair in run.pairs:
        data = _pair_dict(pair)
        moves = {m["area"]: m for m in pair.grades}
        row = [pair.authority, data["old"]["file"], data["old"]["date"],
               data["old"]["framework"], data["new"]["file"], data["new"]["date"],
               data["new"]["framework"], pair.status, pair.reason]
        for area in AREAS:
            move = moves.get(area, {})
            row += [move.get("old"), move.get("new"), move.get("change")]
        row += [pair.summary.get(status, "") for status in STATUSES]
        row += [pair.json_path, pair.brief_path]
        rows.append(row)
    return _csv(rows)


def render_reports_csv(run: BatchRun) -> str:
    """One row per input report: what the reader found and what became of it."""
    header = ["file", "local_authority", "urn", "date", "framework", "inspection_dates",
              *[f"grade_{area}" for area in AREAS], "status", "reason", "warnings", "sha256"]
    rows = [header]
    for outcome in run.reports:
        data = _report_dict(outcome)
        rows.append([data["file"], data["local_authority"], data["urn"], data["date"],
                     data["framework"], data["inspection_dates"],
                     *[data["grades"].get(area) for area in AREAS], data["status"],
                     data["reason"], "; ".join(data["warnings"]), data["sha256"]])
    return _csv(rows)


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()


# --- Markdown ---------------------------------------------------------------------------


def _cell(value) -> str:
    """Text for a Markdown table cell, shown literally: no markup, links or HTML."""
    text = " ".join(("" if value is None else str(value)).split())
    for char in "\\`*_[]<>|~&":
        text = text.replace(char, "\\" + char)
    return text or "-"


def _link(label: str, path: str | None) -> str:
    if not path:
        return ""
    # a path with spaces or brackets still links: angle brackets, escaped
    target = path.replace("\\", "/").replace("<", "%3C").replace(">", "%3E")
    return f"[{label}](<{target}>)"


def _move(pair: PairOutcome, area: str) -> str:
    for move in pair.grades:
        if move["area"] == area:
            old, new = move["old"] or "not judged", move["new"] or "not judged"
            return old if old == new else f"{old} → {new}"
    return "-"


def _other_moves(pair: PairOutcome) -> str:
    changes = [m["change"] for m in pair.grades if m["area"] != "overall"]
    parts = [f"{changes.count(c)} {c}" for c in ("improved", "declined", "unchanged")
             if changes.count(c)]
    return ", ".join(parts) or "-"


def _report_name(outcome: ReportOutcome) -> str:
    framework = outcome.report.framework if outcome.report else None
    date = _date(outcome) or "undated"
    return f"{date} {_FRAMEWORK_SHORT.get(framework, framework or '')}".strip()


def render_markdown(run: BatchRun, top: int = 15) -> str:
    """The index as Markdown, ending in a newline."""
    c = counts(run)
    out = [
        f"# Ofsted inspections compared: {c['pairs']} pairs of consecutive inspections "
        f"of {c['councils']} councils",
        "",
        f"Source: {_cell(run.source)}. {c['reports']} reports: {c['paired']} paired, "
        f"{c['unpaired']} read but not paired, {c['refused']} refused. "
        f"Pairs: {c['pairs compared']} compared in this run, {c['pairs up-to-date']} up to "
        f"date from an earlier run, {c['pairs failed']} failed. "
        f"Run time {run.seconds:.1f} s on {run.jobs} worker{'s' if run.jobs != 1 else ''}.",
        "",
        "## Pairs",
        "",
    ]
    if run.pairs:
        out += [
            "| Council | Older | Newer | Overall | Other grades | Improved | Persisting | New "
            "| Regressed | Not reported | Outputs |",
            "|---|---|---|---|---|--:|--:|--:|--:|--:|---|",
        ]
        for pair in run.pairs:
            if pair.status == "failed":
                cells = [pair.authority, _report_name(pair.old), _report_name(pair.new),
                         f"failed: {pair.reason}", "", "", "", "", "", "", ""]
                out.append("| " + " | ".join(_cell(x) if x else "" for x in cells) + " |")
                continue
            s = pair.summary
            outputs = " · ".join(filter(None, (_link("JSON", pair.json_path),
                                                _link("brief", pair.brief_path))))
            out.append("| " + " | ".join([
                _cell(pair.authority), _cell(_report_name(pair.old)),
                _cell(_report_name(pair.new)), _cell(_move(pair, "overall")),
                _cell(_other_moves(pair)), str(s.get("improved", 0)),
                str(s.get("persisting", 0)), str(s.get("new", 0)), str(s.get("regressed", 0)),
                str(s.get("not-reported", 0)), outputs,
            ]) + " |")
    else:
        out.append("No pairs: no council has two graded inspections in the input.")
    tallies = theme_tallies(run)
    for status, heading in (("persisting", "Concerns that most often persist"),
                            ("new", "Concerns that most often newly appear")):
        ranked = sorted((t for t in tallies if t[f"councils {status}"]),
                        key=lambda t: (-t[f"councils {status}"], -t[f"findings {status}"],
                                       t["theme"]))[:top]
        out += ["", f"## {heading}", ""]
        if not ranked:
            out.append("None.")
            continue
        out += ["| Theme | Councils | Pairs | Findings |", "|---|--:|--:|--:|"]
        for t in ranked:
            out.append(f"| {_cell(t['label'])} | {t[f'councils {status}']} | "
                       f"{t[f'pairs {status}']} | {t[f'findings {status}']} |")
    left_out = [o for o in run.reports if o.status != "paired"]
    out += ["", "## Reports not compared", ""]
    if left_out:
        out += ["| Report | Council | Status | Reason |", "|---|---|---|---|"]
        for o in left_out:
            out.append(f"| {_cell(o.source.label)} | {_cell(o.authority or o.source.authority)} "
                       f"| {o.status} | {_cell(o.reason)} |")
    else:
        out.append("None: every report was read and paired.")
    out += ["", "## Every report", "",
            "| Report | Council | Date | Framework | Overall | Status |",
            "|---|---|---|---|---|---|"]
    for o in run.reports:
        framework = o.report.framework if o.report else None
        overall = o.report.grade("overall") if o.report else None
        out.append(f"| {_cell(o.source.label)} | {_cell(o.authority or o.source.authority)} | "
                   f"{_cell(_date(o))} | {_cell(framework)} | {_cell(overall)} | {o.status} |")
    warned = [o for o in run.reports if o.warnings]
    if warned:
        out += ["", "## Where the reader disagrees with the manifest", ""]
        for o in warned:
            for warning in o.warnings:
                out.append(f"- {_cell(o.source.label)}: {_cell(warning)}")
    return "\n".join(out) + "\n"
