"""How fast kent-diff is, measured in one run, against the targets of issue 6.

Measures, on this machine:

* cold ``kent-diff compare`` of the bundled Kent pair: the median of N fresh processes,
  against ``python -c pass`` (the interpreter's own start-up, the floor), with the
  comparison cache off, then with it filled by an earlier run (a repeat question), and
  held to one core (where compare reads the reports in the same process as it matches);
* cold ``kent-diff --help``;
* the alignment step alone (``diffing.align.align`` on the two read reports) against a
  ``difflib.SequenceMatcher`` all-pairs baseline on the same sentences (every old
  finding the aligner links against every finding of the newer report);
* growth: read and compare with both reports' text replicated 2x, 4x and 8x;
* ``kent-diff batch`` over the corpus: cold (empty cache and output folder), warm
  (a fresh output folder, the PDF text cache kept) and re-run (the same folder: every
  pair up to date).

The processes run a copy of the package with its bytecode compiled, as ``pip install``
leaves it (this checkout may run with PYTHONDONTWRITEBYTECODE, which would otherwise
add a compile of every module to each start-up). Writes benchmarks/results.md.

Usage, from the repository root (the corpus defaults to ../shared/corpus):

    python benchmarks/run.py [--runs 5] [--quick] [--corpus DIR] [--output FILE]

--quick times the difflib baseline on a random sample of pairs and scales it up (the
full baseline takes minutes); the results say which was done. Needs only the standard
library and kent-diff's own dependencies.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ("kent_diff.py", "diffing", "reports", "mappings", "inspections")
TARGETS = {
    "compare": 0.5,
    "help": 0.3,
    "alignment speed-up": 100.0,
    "8x cost": 64.0,
    "warm batch": 10.0,
}


def installed_copy(into: Path) -> Path:
    """The package copied and byte-compiled, as an installation has it."""
    into.mkdir(parents=True)
    for name in PACKAGE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, into / name)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into)], check=True,
                   stdout=subprocess.DEVNULL)
    return into


def median_seconds(command: list[str], runs: int, cwd: Path, cache: Path | None = None,
                   one_core: bool = False) -> tuple[float, list[float]]:
    """Median wall-clock seconds of `runs` fresh processes; the comparison cache off, or in
    `cache` (filled by one run first, not timed); on the first allowed core alone if
    `one_core`."""
    if one_core:
        core = min(os.sched_getaffinity(0))
        command_runs = functools.partial(subprocess.run,
                                         preexec_fn=lambda: os.sched_setaffinity(0, {core}))
    else:
        command_runs = subprocess.run
    times = []
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["KENT_DIFF_CACHE"] = str(cache) if cache is not None else "off"
    if cache is not None:
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    for _ in range(runs):
        started = time.perf_counter()
        command_runs(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def timed(function, repeat: int = 1):
    """(best seconds, result) of calling function()."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def bundled_reports():
    """The Kent 2017 and 2022 reports, read."""
    from diffing.bundled import NEW, OLD, bundled_path
    from diffing.read import read_report

    return [read_report(bundled_path(name)) for name in (OLD, NEW)]


def replicated(report, times: int):
    """The report with its findings repeated `times` times as further paragraphs, each copy
    marked by a word of its own (so no cache sees a text twice)."""
    from dataclasses import replace

    blocks = max(f.block for f in report.findings) + 1
    findings = []
    for copy in range(times):
        for f in report.findings:
            findings.append(replace(
                f, id=f"f{len(findings) + 1}", block=f.block + copy * blocks,
                text=f.text if copy == 0 else f"{f.text} Copy{copy}mark.",
                paragraph=None if f.paragraph is None else f.paragraph + copy * 1000))
    return replace(report, findings=tuple(findings))


def alignment(quick: bool, sample: int, seed: int = 6) -> dict:
    """The aligner against difflib's ratio over every (old finding, new finding) pair."""
    from diffing.align import align, classifiable
    from diffing.mappings import load_knowledge

    old, new = bundled_reports()
    knowledge = load_knowledge()
    align(old, new, knowledge)  # first call: caches warm
    seconds, _ = timed(lambda: align(old, new, knowledge), repeat=5)
    olds = [f.text for f in old.findings if classifiable(f)]
    news = [f.text for f in new.findings]
    pairs = [(a, b) for a in olds for b in news]
    chosen = random.Random(seed).sample(pairs, min(sample, len(pairs))) if quick else pairs

    def baseline():
        for a, b in chosen:
            SequenceMatcher(None, a, b).ratio()

    measured, _ = timed(baseline)
    estimate = measured * len(pairs) / len(chosen)
    return {
        "olds": len(olds), "news": len(news), "pairs": len(pairs), "measured pairs": len(chosen),
        "align": seconds, "difflib measured": measured, "difflib": estimate,
        "speed-up": estimate / seconds,
    }


def growth(multipliers=(1, 2, 4, 8)) -> list[dict]:
    """Compare time with both reports' findings replicated (the reader is linear: it reads
    a line at a time)."""
    from diffing.compare import compare
    from diffing.mappings import load_knowledge

    load_knowledge()
    old, new = bundled_reports()
    rows = []
    for k in multipliers:
        bigger = replicated(old, k), replicated(new, k)
        seconds, comparison = timed(lambda bigger=bigger: compare(*bigger))
        rows.append({"x": k, "findings": sum(len(r.findings) for r in bigger),
                     "compare": seconds, "results": len(comparison.results)})
    for row in rows:
        row["ratio"] = row["compare"] / rows[0]["compare"]
    return rows


def batch(copy: Path, corpus: Path, work: Path) -> dict:
    manifest = corpus / "manifest.yaml"
    command = [sys.executable, "-m", "kent_diff", "batch", str(manifest)]

    def run(*args: str) -> float:
        started = time.perf_counter()
        subprocess.run([*command, *args], cwd=copy, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return time.perf_counter() - started

    cache = work / "cache"
    cold = run("-o", str(work / "cold"), "--cache", str(cache))
    warm = run("-o", str(work / "warm"), "--cache", str(cache))
    rerun = run("-o", str(work / "warm"), "--cache", str(cache))
    import json

    index = json.loads((work / "cold" / "index.json").read_text(encoding="utf-8"))
    return {"cold": cold, "warm": warm, "rerun": rerun, "counts": index["counts"],
            "reports": len(index["reports"])}


def verdict(value: float, target: float, lower_is_better: bool = True) -> str:
    met = value <= target if lower_is_better else value >= target
    return "met" if met else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per start-up figure")
    parser.add_argument("--quick", action="store_true",
                        help="time the difflib baseline on a sample of pairs and scale it up")
    parser.add_argument("--sample", type=int, default=3000, help="pairs sampled by --quick")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.md")
    options = parser.parse_args()
    if options.runs < 5:
        parser.error("--runs: at least 5 (the figures are medians)")
    sys.path.insert(0, str(ROOT))
    load = os.getloadavg() if hasattr(os, "getloadavg") else None

    with tempfile.TemporaryDirectory(prefix="kent-diff-bench-") as temporary:
        work = Path(temporary)
        copy = installed_copy(work / "package")
        cli = [sys.executable, "-m", "kent_diff"]
        print("start-up ...", file=sys.stderr)
        floor, floor_runs = median_seconds([sys.executable, "-c", "pass"], options.runs, copy)
        compare_s, compare_runs = median_seconds([*cli, "compare"], options.runs, copy)
        json_s, json_runs = median_seconds([*cli, "compare", "--format", "json"],
                                           options.runs, copy)
        single = hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 1
        one_core_s, one_core_runs = (median_seconds([*cli, "compare"], options.runs, copy,
                                                    one_core=True) if single else (None, []))
        cache = work / "compare-cache"
        cached_s, cached_runs = median_seconds([*cli, "compare"], options.runs, copy, cache)
        cached_json_s, cached_json_runs = median_seconds(
            [*cli, "compare", "--format", "json"], options.runs, copy, cache)
        help_s, help_runs = median_seconds([*cli, "--help"], options.runs, copy)
        print("alignment ...", file=sys.stderr)
        aligned = alignment(options.quick, options.sample)
        print("growth ...", file=sys.stderr)
        grown = growth()
        batched = None
        if (options.corpus / "manifest.yaml").exists():
            print("batch ...", file=sys.stderr)
            batched = batch(copy, options.corpus, work)

    def runs(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    lines = [
        "# kent-diff benchmarks",
        "",
        f"`python benchmarks/run.py{' --quick' if options.quick else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
        + (f", load average {load[0]:.2f} at the start" if load else "") + ".",
        "Start-up figures are medians of fresh processes running an installed-style copy "
        "(bytecode compiled); wall-clock seconds.",
        "",
        "| Measure | Result | Target | |",
        "|---|---|---|---|",
        f"| cold `kent-diff compare` (bundled Kent pair, terminal view) | {compare_s:.2f} s "
        f"(floor `python -c pass` {floor:.2f} s) | ≤ {TARGETS['compare']} s | "
        f"{verdict(compare_s, TARGETS['compare'])} |",
        f"| cold `kent-diff compare --format json` | {json_s:.2f} s | ≤ {TARGETS['compare']} s "
        f"| {verdict(json_s, TARGETS['compare'])} |",
        f"| cold `kent-diff compare`, the comparison cached by an earlier run | "
        f"{cached_s:.2f} s | ≤ {TARGETS['compare']} s | "
        f"{verdict(cached_s, TARGETS['compare'])} |",
        f"| cold `kent-diff compare --format json`, cached | {cached_json_s:.2f} s | "
        f"≤ {TARGETS['compare']} s | {verdict(cached_json_s, TARGETS['compare'])} |",
        f"| cold `kent-diff --help` | {help_s:.2f} s | ≤ {TARGETS['help']} s | "
        f"{verdict(help_s, TARGETS['help'])} |",
        f"| alignment step alone vs difflib all pairs | {aligned['align']:.3f} s vs "
        f"{aligned['difflib']:.1f} s{' (estimated)' if options.quick else ''}: "
        f"{aligned['speed-up']:.0f}x faster | ≥ {TARGETS['alignment speed-up']:.0f}x | "
        f"{verdict(aligned['speed-up'], TARGETS['alignment speed-up'], False)} |",
        f"| 8x input (compare) | {grown[-1]['ratio']:.1f}x the 1x cost | ≤ "
        f"{TARGETS['8x cost']:.0f}x | {verdict(grown[-1]['ratio'], TARGETS['8x cost'])} |",
    ]
    if batched:
        lines.append(
            f"| warm `kent-diff batch` over the corpus (fresh output, cached text) | "
            f"{batched['warm']:.1f} s (cold {batched['cold']:.1f} s; re-run of a finished "
            f"folder {batched['rerun']:.1f} s) | < {TARGETS['warm batch']:.0f} s | "
            f"{verdict(batched['warm'], TARGETS['warm batch'])} |")
    lines += [
        "",
        "## Start-up",
        "",
        f"- `python -c pass`: median {floor:.3f} s (runs: {runs(floor_runs)})",
        f"- `kent-diff compare`: median {compare_s:.3f} s (runs: {runs(compare_runs)})",
        f"- `kent-diff compare --format json`: median {json_s:.3f} s (runs: {runs(json_runs)})",
        f"- the same two with the comparison cache filled by one earlier run: "
        f"`compare` {cached_s:.3f} s (runs: {runs(cached_runs)}), `--format json` "
        f"{cached_json_s:.3f} s (runs: {runs(cached_json_runs)})",
        *([f"- `kent-diff compare` held to one core (so the reports are read in the same "
           f"process as the matching): median {one_core_s:.3f} s (runs: {runs(one_core_runs)})"]
          if one_core_s is not None else []),
        "- all other figures run with the cache off (`KENT_DIFF_CACHE=off`).",
        f"- `kent-diff --help`: median {help_s:.3f} s (runs: {runs(help_runs)})",
        "",
        "## Alignment",
        "",
        f"`diffing.align.align` on the read Kent 2017 and 2022 reports, best of 5: "
        f"{aligned['align']:.3f} s. Baseline: `difflib.SequenceMatcher(None, a, b).ratio()` "
        f"for every pair of the {aligned['olds']} old findings the aligner links and the "
        f"{aligned['news']} findings of the newer report ({aligned['pairs']:,} pairs): ",
    ]
    if options.quick:
        lines[-1] += (f"{aligned['difflib measured']:.2f} s measured on a random sample of "
                      f"{aligned['measured pairs']:,} pairs, so about {aligned['difflib']:.0f} s "
                      "for all (estimated, --quick).")
    else:
        lines[-1] += f"{aligned['difflib']:.1f} s measured on all of them."
    lines += [
        "",
        "## Growth",
        "",
        "Both Kent reports with their findings repeated k times (each copy's sentences "
        "marked by a word of its own, so they are new text to every cache), compared "
        "in-process:",
        "",
        "| k | findings (both) | results | compare (s) | cost vs 1x |",
        "|--:|--:|--:|--:|--:|",
    ]
    for row in grown:
        lines.append(f"| {row['x']} | {row['findings']} | {row['results']} | "
                     f"{row['compare']:.2f} | {row['ratio']:.1f}x |")
    if batched:
        c = batched["counts"]
        lines += [
            "",
            "## Batch over the corpus",
            "",
            f"`kent-diff batch {options.corpus / 'manifest.yaml'} -o OUT --cache CACHE` on "
            f"{os.cpu_count()} cores: {batched['reports']} reports, {c['pairs']} pairs of "
            f"{c['councils']} councils, {c['refused']} refused, {c['pairs failed']} failed.",
            "",
            f"- cold (empty cache and output folder): {batched['cold']:.1f} s",
            f"- warm (fresh output folder, PDF text from the cache): {batched['warm']:.1f} s",
            f"- re-run over the finished folder (every pair up to date): "
            f"{batched['rerun']:.1f} s",
        ]
    text = "\n".join(lines) + "\n"
    options.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
