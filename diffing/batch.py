"""Batch runs: read many reports, pair each authority's consecutive inspections, compare
every pair on every core, and say what happened to each report and pair.

Inputs come from a manifest (the format of ``../shared/corpus/manifest.yaml``) or from a
Data to Insight scrape folder (``<URN>_<authority>/children's services inspection -
<publication date>.pdf``). PDF text is cached by the file's SHA-256, so a second run
skips extraction. Every output is written through a temporary file and a rename, and a
pair whose outputs were made from the same input bytes by the same engine is skipped:
an interrupted run leaves no half-written file and a re-run resumes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from diffing.cache import engine_fingerprint
from diffing.errors import InputError
from diffing.files import atomic_write
from diffing.model import Comparison, Framework, Report

GRADED: tuple[Framework, ...] = ("sif", "sif-reinspection", "ilacs")
"""Frameworks whose reports are paired: the graded inspections."""

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d{2})",
    re.IGNORECASE,
)
_SCRAPE_FOLDER = re.compile(r"^(\d+)_(.+)$")
_CACHE_VERSION = "text-v1"


# --- the model --------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One input report as the manifest or the scrape folder names it."""

    path: Path
    """Where the file is."""
    label: str
    """The path as the index and the JSON show it: relative to the manifest or folder."""
    authority: str | None
    """The council, as the manifest or folder names it (None: read it from the report)."""
    published: dt.date | None
    """Publication date from the manifest or the file name."""
    urn: str | None = None
    """The scrape folder's URN, where there is one."""
    expected_framework: str | None = None
    """The framework the manifest states, checked against what the reader finds."""
    expected_grades: tuple[tuple[str, str], ...] = ()
    """The grades the manifest states, checked against what the reader finds."""


@dataclass(frozen=True)
class ReportOutcome:
    """What became of one input report."""

    source: Source
    """The input."""
    status: str
    """paired, unpaired (read, with nothing to pair it with) or refused (not read)."""
    reason: str | None
    """Why it was refused or left unpaired; None when paired."""
    report: Report | None = field(default=None, repr=False, compare=False)
    """The report as read, where it was read."""
    sha256: str | None = None
    """SHA-256 of the file's bytes."""
    date: dt.date | None = None
    """The date reports are ordered by: publication date, else the inspection's last day."""
    authority: str | None = None
    """The council, as grouped."""
    warnings: tuple[str, ...] = ()
    """Where the reader disagrees with the manifest (framework or grades)."""


@dataclass(frozen=True)
class PairOutcome:
    """One compared pair of consecutive inspections of a council."""

    authority: str
    """The council."""
    name: str
    """File name stem of the pair's outputs (under pairs/)."""
    old: ReportOutcome
    """The older report."""
    new: ReportOutcome
    """The newer report."""
    status: str
    """compared (this run), up-to-date (outputs kept from an earlier run) or failed."""
    reason: str | None = None
    """Why the comparison failed."""
    grades: tuple[dict, ...] = ()
    """Grade moves: {area, old, new, change}."""
    summary: dict = field(default_factory=dict)
    """Count of results by status."""
    themes: dict = field(default_factory=dict)
    """Theme keys of the results, by status (only persisting and new are kept)."""
    json_path: str | None = None
    """The pair's JSON, relative to the output folder."""
    brief_path: str | None = None
    """The pair's Markdown brief, relative to the output folder."""


@dataclass(frozen=True)
class BatchRun:
    """What a batch run did: the index renders it."""

    source: str
    """The manifest or folder that was read."""
    reports: tuple[ReportOutcome, ...]
    """Every input report, in order of council and date."""
    pairs: tuple[PairOutcome, ...]
    """Every pair, in order of council and date."""
    seconds: float
    """Wall-clock time of the run."""
    jobs: int
    """Worker processes used."""


Progress = Callable[[str, int, int], None]
"""progress(phase, done, total): phase is "read" or "compare"."""


# --- inputs -----------------------------------------------------------------------------


def load_sources(path: Path) -> tuple[Source, ...]:
    """The reports a manifest lists, or the PDFs under a scrape folder."""
    if path.is_dir():
        return _folder_sources(path)
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    return _manifest_sources(path)


def _manifest_sources(path: Path) -> tuple[Source, ...]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text (a manifest is YAML)") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror})") from None
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise InputError(str(path), f"{where}refused: {error.problem} "
                         "(a manifest is plain YAML data)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(str(path), f"{where}invalid YAML ({problem})") from None
    entries = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(str(path), "field reports: missing (a manifest lists its reports "
                         "under 'reports:')")
    base = path.parent
    sources = []
    for index, entry in enumerate(entries):
        where = f"field reports[{index}]"
        if not isinstance(entry, dict):
            raise InputError(str(path), f"{where}: expected a mapping with 'file'")
        file = entry.get("file")
        if not isinstance(file, str) or not file.strip():
            raise InputError(str(path), f"{where}.file: missing")
        authority = entry.get("local_authority")
        if authority is not None and not isinstance(authority, str):
            raise InputError(str(path), f"{where}.local_authority: expected text")
        published = entry.get("published")
        if isinstance(published, str):
            try:
                published = dt.date.fromisoformat(published.strip())
            except ValueError:
                raise InputError(str(path), f"{where}.published: expected a date like "
                                 f"2022-08-12, got {published!r}") from None
        elif isinstance(published, dt.datetime):
            published = published.date()
        elif published is not None and not isinstance(published, dt.date):
            raise InputError(str(path), f"{where}.published: expected a date like 2022-08-12")
        grades = entry.get("grades") or {}
        if not isinstance(grades, dict):
            raise InputError(str(path), f"{where}.grades: expected a mapping of area: grade")
        framework = entry.get("framework")
        sources.append(Source(
            path=base / file,
            label=file,
            authority=authority.strip() if authority else None,
            published=published,
            expected_framework=str(framework) if framework else None,
            expected_grades=tuple(sorted((str(k), str(v)) for k, v in grades.items())),
        ))
    return tuple(sources)


def _folder_sources(folder: Path) -> tuple[Source, ...]:
    """PDFs under a folder; a Data to Insight layout gives authority, URN and date."""
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
    if not files:
        raise InputError(str(folder), "no PDF reports in this folder")
    sources = []
    for file in files:
        urn = authority = None
        if m := _SCRAPE_FOLDER.match(file.parent.name):
            urn, authority = m.group(1), " ".join(m.group(2).split())
        sources.append(Source(
            path=file,
            label=file.relative_to(folder).as_posix(),
            authority=authority,
            published=_last_date(file.stem),
            urn=urn,
        ))
    return tuple(sources)


def _last_date(text: str | None) -> dt.date | None:
    """The last "21 March 2014" in a text ("9 to 20 May 2022" gives 20 May 2022)."""
    found = None
    for m in _DAY_MONTH_YEAR.finditer(text or ""):
        day, month, year = int(m.group(1)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(3))
        try:
            found = dt.date(year, month, day)
        except ValueError:
            continue
    return found


def _authority_key(name: str) -> str:
    from diffing.text import fold

    return fold(name)


def slug(text: str) -> str:
    """A file-name-safe form of a council's name."""
    from diffing.text import fold

    return "-".join(fold(text).split()) or "unknown"


# --- the engine fingerprint and the text cache -------------------------------------------


def _cached_text(data: bytes, sha: str, label: str, cache: Path | None) -> str:
    """The report's text, from the cache where a run has extracted it before."""
    from diffing.extract import extract_text

    if cache is None or not data.lstrip()[:5] == b"%PDF-":
        return extract_text(data, label)
    entry = cache / _CACHE_VERSION / sha[:2] / f"{sha}.txt"
    try:
        return entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = extract_text(data, label)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(entry, text)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return text


# --- workers (run in other processes: plain functions of picklable values) --------------


def _read_one(path: Path, label: str, cache: Path | None) -> tuple[str | None, Report | None,
                                                                   str | None]:
    """(sha256, report, problem) for one input file; never raises for a bad report."""
    from diffing.extract import MAX_BYTES, too_large
    from diffing.read import parse_text
    from diffing.sources import file_bytes

    try:
        data = file_bytes(path, label)
    except InputError as error:
        return None, None, error.problem
    if len(data) > MAX_BYTES:
        return None, None, too_large()
    sha = hashlib.sha256(data).hexdigest()
    try:
        return sha, parse_text(_cached_text(data, sha, label, cache), label), None
    except InputError as error:
        return sha, None, error.problem
    except Exception as error:  # a reader bug must not stop the other 499 reports
        return sha, None, f"internal error while reading ({type(error).__name__}: {error})"


def _compare_pair(old: Report, new: Report, brief: bool) -> tuple[str, str | None, dict]:
    """(JSON, Markdown brief, index facts) of one pair."""
    from diffing.compare import compare
    from diffing.mapping import bundled_mappings, pins_for
    from reports.compare_json import render

    comparison = compare(old, new, pins=pins_for(old, new, bundled_mappings()))
    markdown = _brief(comparison) if brief else None
    return render(comparison), markdown, _facts(comparison)


def _brief(comparison: Comparison) -> str | None:
    try:
        from reports.markdown import render
    except ImportError:  # the brief renderer is optional
        return None
    return render(comparison)


def _facts(comparison: Comparison) -> dict:
    """What the index needs of a pair: grade moves, status counts, persisting and new themes."""
    themes: dict[str, list[str]] = {"persisting": [], "new": []}
    for result in comparison.results:
        if result.status in themes and result.theme:
            themes[result.status].append(result.theme)
    grades = [{"area": m.area, "old": m.old, "new": m.new, "change": m.change}
              for m in comparison.grades]
    return {"grades": grades, "summary": comparison.summary(), "themes": themes}


def _init_worker() -> None:
    # Ctrl-C is the parent's to handle: it stops the workers and cleans up.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- writing ------------------------------------------------------------------------------


# --- the run --------------------------------------------------------------------------------


def run_batch(
    source: Path,
    outdir: Path,
    cache: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    brief: bool = True,
    progress: Progress | None = None,
) -> BatchRun:
    """Read, pair, compare and write; returns what happened for the index.

    Raises InputError for a bad manifest or an output folder that cannot be used;
    a bad report or a failed comparison is recorded, never raised.
    """
    started = time.perf_counter()
    sources = load_sources(source)
    outdir, cache = _prepare(outdir, cache, sources, source)
    jobs = max(1, jobs or os.cpu_count() or 1)
    progress = progress or (lambda phase, done, total: None)
    pool = _pool(jobs)
    try:
        read = _read_all(sources, cache, pool, progress)
        pool = _usable(pool, jobs)
        outcomes, planned = _pair(sources, read)
        fingerprint = engine_fingerprint()
        pairs = _compare_all(outcomes, planned, outdir, fingerprint, force, brief, pool,
                             progress)
    except BaseException:
        _stop(pool)
        raise
    _close(pool)
    return BatchRun(
        source=str(source),
        reports=outcomes,
        pairs=pairs,
        seconds=round(time.perf_counter() - started, 2),
        jobs=jobs,
    )


def _prepare(outdir: Path, cache: Path | None, sources: tuple[Source, ...], manifest: Path):
    """Create the output and cache folders, refusing an output that is one of the inputs."""
    inputs = {_resolved(s.path) for s in sources} | {_resolved(manifest)}
    out = _resolved(outdir)
    if out in inputs:
        raise InputError(str(outdir), "the output folder is one of the inputs")
    for name in ("index.md", "index.json", "index.csv", "reports.csv"):
        if _resolved(outdir / name) in inputs:
            raise InputError(str(outdir / name), "the output would overwrite an input report")
    if any(_resolved(s.path).parent == out / "pairs" for s in sources):
        raise InputError(str(outdir / "pairs"), "the output would overwrite input reports")
    cache = cache if cache is not None else outdir / ".cache"
    for folder in (outdir, outdir / "pairs", outdir / ".state", cache):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(str(folder), f"cannot write ({error.strerror})") from None
        if not os.access(folder, os.W_OK):
            raise InputError(str(folder), "cannot write (permission denied)")
    return outdir, cache


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _pool(jobs: int):
    if jobs == 1:
        return None  # in this process: no start-up cost, and simple to debug
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker)


def _stop(pool) -> None:
    """Stop at once, whatever the workers are doing (Ctrl-C, or a hang): cancel what has
    not started and end the workers. The pool is spent: _usable replaces it."""
    if pool is None:
        return
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()  # the default action ends the process even inside C code
    pool._kent_diff_stopped = True  # the executor itself notices dead workers only later


def _close(pool) -> None:
    if pool is not None:
        pool.shutdown(wait=True)


class WorkerDied(Exception):
    """The process running a call died (a crash inside the PDF library, the memory killer)."""


CALL_LIMIT = 120.0
"""Seconds the workers may go without finishing any call before the calls still running
are taken to hang (a PDF the library never finishes reading): each is then run again in
a process of its own for as long, and one that hangs there too is stopped and refused.
The longest corpus report reads in about a second."""


def _run(pool, function, argument_lists: list[tuple], progress: Progress, phase: str):
    """Yield (index, result) as each call finishes, reporting progress; a call that raised
    yields its exception, one whose process died or that hung a WorkerDied."""
    total = len(argument_lists)
    progress(phase, 0, total)
    if pool is None:
        for done, arguments in enumerate(argument_lists, 1):
            result = function(*arguments)
            progress(phase, done, total)
            yield done - 1, result
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    futures = {pool.submit(function, *arguments): i for i, arguments in enumerate(argument_lists)}
    pending = set(futures)
    lost: list[int] = []
    done = 0
    while pending:
        finished, pending = wait(pending, timeout=CALL_LIMIT, return_when=FIRST_COMPLETED)
        if not finished:
            # nothing has finished for CALL_LIMIT seconds: end the workers, and try each
            # call still in the pool alone
            _stop(pool)
            lost += [futures[future] for future in pending]
            break
        for future in sorted(finished, key=futures.get):
            index = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:
                lost.append(index)
                continue
            except Exception as error:
                result = error
            done += 1
            progress(phase, done, total)
            yield index, result
    # A worker that dies breaks the whole pool and every call still in it: run each of
    # those again in a process of its own, so only a file that kills its process is lost.
    for index in sorted(lost):
        result = _alone(function, argument_lists[index])
        done += 1
        progress(phase, done, total)
        yield index, result


def _alone(function, arguments: tuple):
    """One call in a process of its own: its result, its exception, or WorkerDied (its
    process died, or it ran past CALL_LIMIT and was stopped)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    single = ProcessPoolExecutor(max_workers=1, initializer=_init_worker)
    future = single.submit(function, *arguments)
    try:
        return future.result(timeout=CALL_LIMIT)
    except BrokenProcessPool:
        return WorkerDied("its process died (a crash in the PDF library, or out of memory)")
    except Exception as error:
        if not future.done():  # the time ran out, not the call
            _stop(single)
            return WorkerDied(f"it ran for over {CALL_LIMIT:g} s and was stopped")
        return error
    finally:
        single.shutdown(wait=False, cancel_futures=True)


def _usable(pool, jobs: int):
    """The pool, or a new one where a dead worker broke it or a hang ended it."""
    if pool is not None and (getattr(pool, "_broken", False)
                             or getattr(pool, "_kent_diff_stopped", False)):
        pool.shutdown(wait=False, cancel_futures=True)
        return _pool(jobs)
    return pool


def _read_all(sources, cache, pool, progress) -> list[tuple]:
    read: list[tuple] = [(None, None, "not read")] * len(sources)
    arguments = [(s.path, s.label, cache) for s in sources]
    for index, result in _run(pool, _read_one, arguments, progress, "read"):
        if isinstance(result, WorkerDied):
            result = (None, None, f"not read: {result}")
        elif isinstance(result, BaseException):
            result = (None, None, f"internal error while reading ({type(result).__name__})")
        read[index] = result
    return read


def _order_date(source: Source, report: Report) -> dt.date | None:
    return (source.published or _last_date(report.published)
            or _last_date(report.inspection_dates))


def _checks(source: Source, report: Report) -> tuple[str, ...]:
    """Where the reader disagrees with what the manifest states."""
    notes = []
    if source.expected_framework and source.expected_framework != report.framework:
        notes.append(f"framework: the manifest says {source.expected_framework}, "
                     f"the report reads as {report.framework}")
    if source.expected_grades:
        found = {e.area: e.grade for e in report.grades}
        for area, grade in source.expected_grades:
            if found.get(area) != grade:
                notes.append(f"grade {area}: the manifest says {grade}, "
                             f"the report reads as {found.get(area) or 'none'}")
    return tuple(notes)


def _merge_short_names(groups: dict[str, list[ReportOutcome]], named_by_report: set[str]) -> None:
    """Reports that name their council two ways ("Newcastle" in 2022, "Newcastle upon
    Tyne" in 2017), with no manifest or folder to say they are one, go in one group: a
    name whose words open exactly one other name is that council (a "Kingston" beside
    both "Kingston upon Hull" and "Kingston upon Thames" stays apart)."""
    from diffing.text import same_council

    for short in sorted(named_by_report, key=len):
        longer = [key for key in named_by_report
                  if len(key) > len(short) and key in groups and same_council(short, key)]
        if len(longer) == 1 and short in groups:
            groups[longer[0]] = groups.pop(short) + groups[longer[0]]


def _pair(sources, read) -> tuple[tuple[ReportOutcome, ...], list[tuple[str, str, int, int]]]:
    """Each report's outcome, and the pairs to compare: consecutive graded inspections of
    one council by date. Returns outcomes in council and date order, and (authority, name,
    old index, new index) into those outcomes."""
    groups: dict[str, list[ReportOutcome]] = {}
    refused: list[ReportOutcome] = []
    seen: dict[tuple[str, str], str] = {}
    named_by_report: set[str] = set()  # councils no manifest or folder named
    for source, (sha, report, problem) in zip(sources, read, strict=True):
        if report is None:
            refused.append(ReportOutcome(source, "refused", problem, None, sha))
            continue
        authority = source.authority or report.local_authority or "(unknown council)"
        key = _authority_key(authority)
        if authority.islower() and report.local_authority:
            authority = report.local_authority  # a scrape folder's name is lower case
        outcome = ReportOutcome(source, "unpaired", None, report, sha,
                                _order_date(source, report), authority, _checks(source, report))
        if (key, sha) in seen:
            outcome = _with(outcome, reason=f"the same file as {seen[key, sha]}")
        else:
            seen[key, sha] = source.label
            if report.framework not in GRADED:
                outcome = _with(outcome, reason=f"a {report.framework}: batch pairs graded "
                                "inspections (SIF and ILACS)")
            elif outcome.date is None:
                outcome = _with(outcome, reason="no date: neither the manifest, the file name "
                                "nor the report gives one")
        groups.setdefault(key, []).append(outcome)
        if not source.authority:
            named_by_report.add(key)
    _merge_short_names(groups, named_by_report)

    ordered: list[ReportOutcome] = []
    planned: list[tuple[str, str, int, int]] = []
    names: set[str] = set()  # output names, unique across councils (two may share a name)
    for key in sorted(groups):
        members = _one_file_an_inspection(
            sorted(groups[key], key=lambda o: (o.date or dt.date.min, o.source.label)))
        chain = [o for o in members if o.reason is None]
        display = chain[-1].authority if chain else members[-1].authority
        start = len(ordered)
        ordered.extend(members)
        position = {id(o): start + i for i, o in enumerate(members)}
        for older, newer in zip(chain, chain[1:], strict=False):
            name = f"{slug(display)}_{_date_label(older)}_{_date_label(newer)}"
            while name in names:
                name += "-2"
            names.add(name)
            planned.append((display, name, position[id(older)], position[id(newer)]))
        if len(chain) == 1:
            ordered[position[id(chain[0])]] = _with(
                chain[0], reason="the only graded inspection of this council in the input")
    paired = {i for _, _, a, b in planned for i in (a, b)}
    ordered = [_with(o, status="paired") if i in paired else o for i, o in enumerate(ordered)]
    return tuple(ordered + sorted(refused, key=lambda o: o.source.label)), planned


def _one_file_an_inspection(members: list[ReportOutcome]) -> list[ReportOutcome]:
    """Two files of one inspection (a report republished with corrections) would pair
    an inspection with itself: of consecutive graded reports with the same framework and
    the same last day of inspection, only the later file is paired."""
    out = list(members)
    chain = [i for i, o in enumerate(out) if o.reason is None]
    for a, b in zip(chain, chain[1:], strict=False):
        older, newer = out[a], out[b]
        ended = _last_date(older.report.inspection_dates)
        if (ended is not None and older.report.framework == newer.report.framework
                and ended == _last_date(newer.report.inspection_dates)):
            out[a] = _with(older, reason="another file of the inspection ending "
                           f"{ended.day} {ended:%B %Y} ({newer.source.label} is paired instead)")
    return out


def _with(outcome: ReportOutcome, **changes) -> ReportOutcome:
    from dataclasses import replace

    return replace(outcome, **changes)


def _date_label(outcome: ReportOutcome) -> str:
    return outcome.date.isoformat() if outcome.date else slug(Path(outcome.source.label).stem)


def _state_key(old: ReportOutcome, new: ReportOutcome, fingerprint: str, brief: bool) -> str:
    return f"{old.sha256}:{new.sha256}:{fingerprint}:{'brief' if brief else 'json'}"


def _compare_all(outcomes, planned, outdir: Path, fingerprint: str, force: bool, brief: bool, pool,
                 progress: Progress) -> tuple[PairOutcome, ...]:
    pairs_dir, state_dir = outdir / "pairs", outdir / ".state"
    results: dict[int, PairOutcome] = {}
    todo: list[int] = []
    outcomes_of = {i: (outcomes[a], outcomes[b]) for i, (_, _, a, b) in enumerate(planned)}
    for index, (authority, name, _, _) in enumerate(planned):
        old, new = outcomes_of[index]
        kept = None if force else _kept(outdir, name, _state_key(old, new, fingerprint, brief),
                                        brief)
        if kept is not None:
            results[index] = _pair_outcome(authority, name, old, new, "up-to-date", kept, brief)
        else:
            todo.append(index)
    arguments = [(outcomes_of[i][0].report, outcomes_of[i][1].report, brief) for i in todo]
    for position, result in _run(pool, _compare_pair, arguments, progress, "compare"):
        index = todo[position]
        authority, name, _, _ = planned[index]
        old, new = outcomes_of[index]
        if isinstance(result, BaseException):
            reason = f"comparison failed ({type(result).__name__}: {result})"
            results[index] = PairOutcome(authority, name, old, new, "failed", reason)
            continue
        json_text, markdown, facts = result
        atomic_write(pairs_dir / f"{name}.json", json_text)
        if markdown is not None:
            atomic_write(pairs_dir / f"{name}.md", markdown)
        state = {"key": _state_key(old, new, fingerprint, brief), **facts}
        atomic_write(state_dir / f"{name}.json", json.dumps(state, indent=1) + "\n")
        results[index] = _pair_outcome(authority, name, old, new, "compared", facts,
                                       markdown is not None)
    return tuple(results[i] for i in range(len(planned)))


def _kept(outdir: Path, name: str, key: str, brief: bool) -> dict | None:
    """The facts of a pair an earlier run finished with the same inputs and engine."""
    try:
        state = json.loads((outdir / ".state" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    outputs = [outdir / "pairs" / f"{name}.json"]
    if brief and state.get("key", "").endswith(":brief"):
        outputs.append(outdir / "pairs" / f"{name}.md")
    if state.get("key") != key or not all(p.is_file() for p in outputs):
        return None
    return state


def _pair_outcome(authority, name, old, new, status, facts: dict, has_brief: bool) -> PairOutcome:
    return PairOutcome(
        authority=authority,
        name=name,
        old=old,
        new=new,
        status=status,
        grades=tuple(facts.get("grades", ())),
        summary=dict(facts.get("summary", {})),
        themes={k: list(v) for k, v in facts.get("themes", {}).items()},
        json_path=f"pairs/{name}.json",
        brief_path=f"pairs/{name}.md" if has_brief else None,
    )


def iter_reasons(run: BatchRun) -> Iterable[tuple[str, str]]:
    """(label, reason) of every report that was refused."""
    for outcome in run.reports:
        if outcome.status == "refused":
            yield outcome.source.label, outcome.reason or ""
