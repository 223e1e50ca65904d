"""How a second, blind reading of an annotated pair scores, beside kent-diff.

Each file in ``benchmarks/readings/`` is a second reading of a pair whose annotation (of the
same name) is in ``../shared/annotations/`` or ``benchmarks/annotations/``: made from the two
reports' text and the annotation's item quotes only. It gives, for each old finding or
recommendation, the newer report's paragraph that most directly answers it (or none) and a
status, and for each "What needs to improve" item the old finding it carries on (or none)
and a status. This script writes each reading as a comparison's findings (one per item,
as kent-diff's JSON has them), scores it with the shared scorer as
``benchmarks/accuracy.py`` scores kent-diff's JSON, and prints the two side by side: how
far the annotations agree with another careful reading, and so what a matcher can be
expected to reach on them. (The scorer also checks grades, which a reading does not give.)

Usage, from the repository root:

    python benchmarks/second_reading.py [--corpus DIR] [--scorer FILE] [READING ...]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

import yaml
from accuracy import FAILURES, ROOT, SHARED, score, scored

READINGS = ROOT / "benchmarks" / "readings"


def annotation_of(reading: Path) -> Path:
    for folder in (SHARED / "annotations", ROOT / "benchmarks" / "annotations"):
        if (folder / reading.name).exists():
            return folder / reading.name
    raise SystemExit(f"{reading}: no annotation named {reading.name}")


def findings(reading: Path, annotation: Path) -> list[dict]:
    """The reading as a comparison's findings: an old item's text is its quote, a "What
    needs to improve" item's its new_quote, which is all the scorer looks for."""
    items = {str(item["id"]): item
             for item in yaml.safe_load(annotation.read_text(encoding="utf-8"))["items"]}
    out = []
    for entry in yaml.safe_load(reading.read_text(encoding="utf-8")):
        item = items[str(entry["id"])]
        if item["kind"] == "wnti":
            old = {"text": entry["old_text"]} if entry.get("old_text") else None
            new = {"paragraph": None, "text": item["new_quote"]}
        else:
            old = {"text": item["old_quote"]}
            new = None if entry.get("new_para") is None else \
                {"paragraph": entry["new_para"], "text": ""}
        out.append({"status": entry["status"], "old": old, "new": new})
    return out


def score_reading(reading: Path, annotation: Path, scorer: Path, work: Path) -> dict:
    result = work / f"{reading.stem}.reading.json"
    result.write_text(json.dumps({"schema": "kent-diff/compare/v1", "grades": [],
                                  "findings": findings(reading, annotation)}),
                      encoding="utf-8")
    return scored(annotation, result, scorer)


def by_item(found: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """The failures of old items (recommendations and findings) and of "What needs to
    improve" items apart."""
    out: Counter[tuple[str, str]] = Counter()
    for (kind, what), n in found.items():
        out["wnti" if kind == "wnti" else "old", what] += n
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reading", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score-annotation.py")
    options = parser.parse_args()
    readings = options.reading or sorted(READINGS.glob("*.yaml"))
    print("| pair | items | second reading: linked | right status | link precision "
          "| kent-diff: linked | right status | link precision |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    rows = []
    with tempfile.TemporaryDirectory(prefix="kent-diff-reading-") as temporary:
        for reading in readings:
            annotation = annotation_of(reading)
            read = score_reading(reading, annotation, options.scorer, Path(temporary))
            ours = score(annotation, options.corpus, options.scorer, Path(temporary))
            rows.append((read, ours))
            print(f"| {reading.stem} | {read['items']} | {read['link']:.2f} | "
                  f"{read['status']:.2f} | {read['precision']:.2f} | {ours['link']:.2f} | "
                  f"{ours['status']:.2f} | {ours['precision']:.2f} |")
    total = {(who, key): sum(row[i][key] for row in rows)
             for i, who in enumerate(("read", "ours")) for key in ("items", "linked", "right")}
    print(f"| all items | {total['read', 'items']} | {total['read', 'linked']} | "
          f"{total['read', 'right']} | | {total['ours', 'linked']} | {total['ours', 'right']} | |")
    wrong = {who: sum((by_item(row[i]["failures"]) for row in rows), Counter())
             for i, who in enumerate(("read", "ours"))}
    print()
    print("| what went wrong (old items: recommendations and findings; wnti: What needs to "
          "improve) | second reading: old items | wnti | kent-diff: old items | wnti |")
    print("|---|--:|--:|--:|--:|")
    for what, meaning in FAILURES.items():
        counts = [wrong[who][kind, what] for who in ("read", "ours") for kind in ("old", "wnti")]
        print(f"| {what}: {meaning} | " + " | ".join(map(str, counts)) + " |")


if __name__ == "__main__":
    main()
