"""The kent-diff command line: parse options, call the stages, pick a renderer, print.

Heavy modules (the reader, Rich, the PDF library) are imported inside the commands so
that `kent-diff --help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ParseFormat(StrEnum):
    table = "table"
    json = "json"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


DEFAULT_REPORT = "bundled:kent-2022-ilacs-inspection.txt"
DEFAULT_OLD = "bundled:kent-2017-sif-inspection.txt"


class CompareFormat(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"


_RENDERERS = {
    CompareFormat.terminal: "reports.terminal",
    CompareFormat.markdown: "reports.markdown",
    CompareFormat.json: "reports.compare_json",
}
"""The module that renders each --format (imported while the reports are read)."""


@app.callback()
def _root() -> None:
    """What changed between two Ofsted inspections of a council's children's services.

    \b
    Example:
      kent-diff parse                      # the bundled Kent 2022 report
      kent-diff parse report.pdf --format json
    """


@app.command()
def parse(
    file: Annotated[
        str,
        typer.Argument(
            help="A report (PDF, or its text as plain text, Markdown or HTML), '-' for stdin, "
            "or bundled:NAME for a bundled Kent text (kent-2017, kent-2019, kent-2022).",
            metavar="FILE",
            show_default=True,
        ),
    ] = DEFAULT_REPORT,
    format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")
    ] = ParseFormat.table,
    color: Annotated[
        Color,
        typer.Option("--color", help="Colour the table (auto: when a terminal, no NO_COLOR)."),
    ] = Color.auto,
) -> None:
    """Read one inspection report and show what the reader found in it.

    Shows the metadata, the grades, the findings counted by section and polarity,
    and the recommendations or "What needs to improve" items. With no FILE, reads
    the bundled Kent 2022 ILACS report.

    \b
    Example:
      kent-diff parse
      kent-diff parse bundled:kent-2017 --format json
      kent-diff parse ../shared/corpus/leeds-2022-ilacs.pdf
      kent-diff parse - < report.txt
    """
    from diffing.errors import InputError

    try:
        report = _read(file)
    except InputError as error:
        _fail(error)
    if format is ParseFormat.json:
        from reports.report_json import dumps

        typer.echo(dumps(report), nl=False)
    else:
        from reports.parse_view import parse_view

        _console(color).print(parse_view(report))


_ONLY_HELP = (
    "Show only these statuses, comma-separated (improved, persisting, new, regressed, "
    "not-reported, sustained, new-strength), each in full."
)
_OLD_HELP = "The older report (PDF, text, Markdown, HTML, '-' or bundled:NAME)."
_AREA_HELP = (
    "Show only findings of this judgement area (help-and-protection, children-in-care, "
    "care-leavers, adoption, leadership, lscb, overall): the old finding's area, or the new "
    "one's where the old finding has none."
)


@app.command()
def compare(
    old: Annotated[
        str,
        typer.Argument(help=_OLD_HELP, metavar="OLD"),
    ] = DEFAULT_OLD,
    new: Annotated[
        str, typer.Argument(help="The newer report.", metavar="NEW")
    ] = DEFAULT_REPORT,
    format: Annotated[
        CompareFormat,
        typer.Option(
            "--format", "-f",
            help="terminal for people, markdown for the change brief, json for scripts.",
        ),
    ] = CompareFormat.terminal,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE",
                          help="Write here instead of stdout ('-' is stdout).")
    ] = "-",
    show_all: Annotated[
        bool,
        typer.Option("--all", help="List every finding, sustained ones and new strengths too."),
    ] = False,
    only: Annotated[str, typer.Option("--only", metavar="STATUSES", help=_ONLY_HELP)] = "",
    area: Annotated[str, typer.Option("--area", metavar="AREA", help=_AREA_HELP)] = "",
    color: Annotated[
        Color, typer.Option("--color", help="Colour (auto: when a terminal, no NO_COLOR).")
    ] = Color.auto,
    pager: Annotated[
        bool, typer.Option("--pager", help="Page the terminal view (less -R by default).")
    ] = False,
    no_curated: Annotated[
        bool,
        typer.Option("--no-curated", help="Ignore curated mappings: the automatic matcher alone."),
    ] = False,
) -> None:
    """Compare two inspections: grade moves and the status of every finding.

    With no files, compares the bundled Kent 2017 (SIF) and 2022 (ILACS) reports.
    Statuses: improved, persisting, new, regressed, sustained, not-reported,
    new-strength. Exits 0 whatever changed; 2 on bad input.

    The terminal view and the brief lead each status group with the recommendations
    and "What needs to improve" items, in full, then show the 5 strongest other
    findings (the first 5 new ones) and count the rest; of the findings the new
    report does not speak to, only the recommendations are listed. Sustained
    findings and new strengths are hidden. --all shows everything; --only shows
    the named groups in full. --only and --area also select the JSON's findings.

    Where a curated mapping under mappings/ is about the same two inspections
    (same authority, frameworks and dates, whatever the files), its pins come
    first (matched_by: curated); --no-curated shows the automatic matcher alone.

    A comparison is kept in ~/.cache/kent-diff (or $XDG_CACHE_HOME/kent-diff), keyed
    by both reports' contents and this version's code and mappings, so asking again
    with another --format, --only or --area skips the matching. KENT_DIFF_CACHE=DIR
    moves it; KENT_DIFF_CACHE=off turns it off.

    \b
    Example:
      kent-diff compare
      kent-diff compare --only new,persisting --area help-and-protection
      kent-diff compare --all --pager
      kent-diff compare --no-curated --format json
      kent-diff compare old.pdf new.pdf --format json -o result.json
    """
    selection = _selection(only, area, show_all)
    comparison = _comparison(old, new, output, curated=not no_curated,
                             renderer=_RENDERERS[format])
    if format is CompareFormat.json:
        from reports.compare_json import render
        from reports.selection import select_results

        _emit(render(select_results(comparison, selection)), output)
    elif format is CompareFormat.markdown:
        from reports.markdown import render as markdown

        _emit(markdown(comparison, selection), output)
    else:
        from reports.terminal import render as terminal

        _show(terminal(comparison, selection), output, color, pager)


@app.command()
def brief(
    old: Annotated[
        str,
        typer.Argument(help=_OLD_HELP, metavar="OLD"),
    ] = DEFAULT_OLD,
    new: Annotated[
        str, typer.Argument(help="The newer report.", metavar="NEW")
    ] = DEFAULT_REPORT,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE",
                          help="Write here instead of stdout ('-' is stdout).")
    ] = "-",
    show_all: Annotated[
        bool, typer.Option("--all", help="Every finding in full, not the strongest few.")
    ] = False,
    only: Annotated[str, typer.Option("--only", metavar="STATUSES", help=_ONLY_HELP)] = "",
    area: Annotated[str, typer.Option("--area", metavar="AREA", help=_AREA_HELP)] = "",
) -> None:
    """Write a Markdown change brief of two inspections, for a committee paper.

    A title with the authority and both inspection dates, a generated summary, the
    grade table, where each old recommendation stands, then "Improved", "Persisting
    concerns", "New concerns" and "Regressed": each item with its quoted evidence
    from both reports. Recommendations and "What needs to improve" items come in
    full, then the 5 strongest other findings of each section, with a count of the
    rest (--all lists them all). The same as compare --format markdown.

    \b
    Example:
      kent-diff brief
      kent-diff brief -o kent-brief.md
      kent-diff brief old.pdf new.pdf --only persisting,new -o brief.md
    """
    selection = _selection(only, area, show_all)
    comparison = _comparison(old, new, output, renderer=_RENDERERS[CompareFormat.markdown])
    from reports.markdown import render as markdown

    _emit(markdown(comparison, selection), output)


class CheckFormat(StrEnum):
    terminal = "terminal"
    json = "json"


@app.command()
def check(
    mappings: Annotated[
        list[str] | None,
        typer.Argument(help="Mapping files (default: every kent-diff/mapping/v1 file under "
                       "mappings/).", metavar="[MAPPING]...", show_default=False),
    ] = None,
    format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="terminal for people, json for scripts.")
    ] = CheckFormat.terminal,
    no_curated: Annotated[
        bool,
        typer.Option("--no-curated", help="Compare without the mapping's pins: measures the "
                     "automatic matcher."),
    ] = False,
    suggest: Annotated[
        bool,
        typer.Option("--suggest", help="Print YAML entries for old findings no entry covers."),
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="With --suggest: append them to each mapping file.")
    ] = False,
) -> None:
    """Check curated mappings still hold: each entry held or regressed, with link precision.

    Recomputes each mapping's comparison (its old and new reports: bundled texts, or
    paths relative to the mapping) and reports every entry as held or regressed (link
    lost, link moved, status changed) with what it expects and what it got, then the
    precision and recall of the computed links. Exits 0 when every entry holds, 1 when
    any regressed, 2 when a mapping is invalid (one line: file, line, field). Under
    GitHub Actions (GITHUB_ACTIONS=true) it also prints ::error annotations on the
    mapping's lines. --suggest proposes entries instead; --write appends them, leaving
    every existing line as it was.

    \b
    Example:
      kent-diff check
      kent-diff check --no-curated --format json
      kent-diff check mappings/kent-2017-2022.yaml --suggest --write
    """
    import os

    from diffing.errors import InputError
    from diffing.mapping import MappingError, load_mapping

    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if write and not suggest:
        _fail(Exception("--write needs --suggest"))
    try:
        loaded = [load_mapping(path) for path in _mapping_paths(mappings)]
        compared = [(m, _mapping_comparison(m, curated=not no_curated)) for m in loaded]
    except InputError as error:
        if github and isinstance(error, MappingError):
            from pathlib import Path

            from reports.check_text import annotation

            title = f"invalid mapping ({error.field or 'YAML'})"
            typer.echo(annotation(Path(error.path), error.line, title, str(error)))
        _fail(error)
    if suggest:
        _suggest(compared, write)
        return
    from diffing.check import check_mapping

    checks = tuple(check_mapping(m, c, not no_curated) for m, c in compared)
    if format is CheckFormat.json:
        from reports.check_json import render

        typer.echo(render(checks), nl=False)
    else:
        from reports.check_text import render

        typer.echo(render(checks), nl=False)
    if github:
        from reports.check_text import annotations

        # beside JSON on stdout they would spoil it; the runner reads stderr as well
        typer.echo(annotations(checks), nl=False, err=format is CheckFormat.json)
    raise typer.Exit(1 if any(c.regressed for c in checks) else 0)


def _mapping_paths(names: list[str] | None):
    """The mapping files named, or every one under ./mappings (so CI annotations name the
    checked-out file), else under the installed package's mappings/."""
    from pathlib import Path

    from diffing.errors import InputError
    from diffing.mapping import mapping_files
    from diffing.mappings import mappings_dir

    if names:
        return [Path(name) for name in names]
    found = mapping_files(Path("mappings")) if Path("mappings").is_dir() else ()
    found = found or mapping_files(mappings_dir())
    if not found:
        _fail(InputError("mappings/", "no mapping file (schema kent-diff/mapping/v1)"))
    return list(found)


def _mapping_comparison(mapping, curated: bool):
    """The comparison of a mapping's two reports, checked to be the inspections it names."""
    from diffing.compare import compare as run_compare
    from diffing.mapping import confirm_reports, entry_pins, report_source

    older = _read(report_source(mapping, "old"))
    newer = _read(report_source(mapping, "new"))
    confirm_reports(mapping, older, newer)
    return run_compare(older, newer, pins=entry_pins(mapping) if curated else ())


def _suggest(compared, write: bool) -> None:
    """Print proposed entries for each mapping, or append them to its file."""
    from diffing.errors import InputError
    from diffing.suggest import appended, entries_indent, suggest, to_yaml

    for mapping, comparison in compared:
        text = mapping.path.read_text(encoding="utf-8")
        proposals = suggest(mapping, comparison)
        addition = to_yaml(proposals, entries_indent(text))
        if not write:
            typer.echo(f"# {mapping.path}: {len(proposals)} suggested entries")
            typer.echo(addition, nl=False)
            continue
        try:
            new_text = appended(text, mapping, addition)
        except ValueError as error:
            _fail(InputError(str(mapping.path), str(error)))
        if new_text != text:
            try:
                with mapping.path.open("a", encoding="utf-8") as stream:
                    stream.write(new_text[len(text):])
            except OSError as error:
                _fail(InputError(str(mapping.path), f"cannot write ({error.strerror})"))
        typer.echo(f"kent-diff: appended {len(proposals)} suggested entries to {mapping.path}",
                   err=True)


def _selection(only: str, area: str, show_all: bool):
    """The --only, --area and --all options as a Selection; a bad value exits 2."""
    from reports.selection import Selection, parse_area, parse_statuses

    try:
        statuses = parse_statuses(only) if only else ()
    except ValueError as error:
        _fail(Exception(f"--only: {error}"))
    try:
        chosen = parse_area(area) if area else None
    except ValueError as error:
        _fail(Exception(f"--area: {error}"))
    return Selection(statuses=statuses, area=chosen, show_all=show_all)


def _comparison(old: str, new: str, output: str, curated: bool = True, renderer: str = ""):
    """Read both reports and compare them (with the pins of a curated mapping about them,
    unless curated is False; the module `renderer` imported meanwhile); warnings to stderr,
    bad input exits 2."""
    import importlib

    from diffing.errors import InputError

    for path in (old, new):
        if output not in ("-", "") and _same_file(output, path):
            _fail(InputError(output, "the output would overwrite an input report"))
    try:
        from diffing.cache import compare_sources

        comparison = compare_sources(
            old, new, curated=curated,
            meanwhile=(lambda: importlib.import_module(renderer)) if renderer else None)
    except InputError as error:
        _fail(error)
    for warning in comparison.warnings:
        typer.echo(f"kent-diff: warning: {warning}", err=True)
    return comparison


def _show(renderable, output: str, color: Color, pager: bool) -> None:
    """Print a Rich renderable (paged on request), or write it, 100 wide and plain, to a file."""
    if output in ("-", ""):
        console = _console(color)
        if pager and console.is_terminal:
            import os

            os.environ.setdefault("LESS", "-FRX")  # as git does: colour, quit if one screen
            with console.pager(styles=console.color_system is not None):
                console.print(renderable)
        else:
            console.print(renderable)
        return
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(renderable)
    # Rich pads table cells to the width; a file keeps no trailing blanks.
    _emit("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()), output)


def _same_file(output: str, path: str) -> bool:
    from pathlib import Path

    try:
        return Path(output).resolve() == Path(path).resolve()
    except OSError:
        return False


def _emit(text: str, output: str) -> None:
    """Write to stdout, or to a file through a temporary file and a rename (never half-written)."""
    if output in ("-", ""):
        typer.echo(text, nl=False)
        return
    from pathlib import Path

    from diffing.errors import InputError
    from diffing.files import atomic_write

    target = Path(output)
    try:
        atomic_write(target, text)
    except OSError as error:
        _fail(InputError(output, f"cannot write ({error.strerror or error})"))


def _read(file: str):
    """Read the report FILE names: a path, '-' for stdin, or bundled:NAME."""
    from diffing.read import read_report
    from diffing.sources import source_bytes

    return read_report(*source_bytes(file))


def _console(color: Color):
    from rich.console import Console

    if color is Color.always:
        return Console(force_terminal=True, no_color=False)
    import os

    # Rich's own NO_COLOR handling drops colours but keeps bold and dim: no escape codes at all.
    if color is Color.never or os.environ.get("NO_COLOR"):
        return Console(no_color=True, color_system=None)
    return Console()  # honours FORCE_COLOR and whether stdout is a terminal


def _fail(error: Exception) -> NoReturn:
    typer.echo(f"kent-diff: {error}", err=True)
    raise typer.Exit(2)


DEFAULT_SERIES = ["bundled:kent-2017", "bundled:kent-2019", "bundled:kent-2022"]


@app.command()
def timeline(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Two or more reports of one council (PDF, text, Markdown, HTML, '-' or "
                       "bundled:NAME), in any order. Default: the bundled Kent 2017 report, "
                       "2019 focused visit and 2022 report.", metavar="[FILE]...",
                       show_default=False),
    ] = None,
    format: Annotated[
        CompareFormat,
        typer.Option("--format", "-f", help="terminal for people, markdown for a paper, json "
                     "for scripts."),
    ] = CompareFormat.terminal,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE",
                          help="Write here instead of stdout ('-' is stdout).")
    ] = "-",
    show_all: Annotated[
        bool, typer.Option("--all", help="Every concern and every text, not the headline ones.")
    ] = False,
    color: Annotated[
        Color, typer.Option("--color", help="Colour (auto: when a terminal, no NO_COLOR).")
    ] = Color.auto,
    pager: Annotated[
        bool, typer.Option("--pager", help="Page the terminal view (less -R by default).")
    ] = False,
    no_curated: Annotated[
        bool,
        typer.Option("--no-curated", help="Ignore curated mappings: the automatic matcher alone."),
    ] = False,
) -> None:
    """Follow each concern across a series of inspections, to where it stands now.

    Orders the reports by inspection date and compares each with every later one. A thread
    starts at each concern (recommendation, "What needs to improve" item, or concern
    finding) that no earlier thread accounts for; each later report's step says persisting,
    improved, not reported, or not examined (a focused visit that did not look at it), with
    the texts and references that carry it. Then the grade history, focused visits
    ungraded. The terminal view and Markdown show the concerns a recommendation or "What
    needs to improve" item raised or answers; --all shows every one. Exits 0; 2 on bad input.

    \b
    Example:
      kent-diff timeline
      kent-diff timeline --format markdown -o kent-timeline.md
      kent-diff timeline a-2017.pdf a-2022.pdf a-2025.pdf --format json
    """
    from diffing.errors import InputError
    from diffing.timeline import timeline as follow

    names = files or DEFAULT_SERIES
    for name in names:
        if output not in ("-", "") and _same_file(output, name):
            _fail(InputError(output, "the output would overwrite an input report"))
    pins = None
    if not no_curated:
        from diffing.mapping import bundled_mappings, pins_for

        mappings = bundled_mappings()
        pins = lambda old, new: pins_for(old, new, mappings)  # noqa: E731
    try:
        series = follow([_read(name) for name in names], pins=pins)
    except InputError as error:
        _fail(error)
    for warning in series.warnings:
        typer.echo(f"kent-diff: warning: {warning}", err=True)
    if format is CompareFormat.json:
        from reports.timeline_json import render as as_json

        _emit(as_json(series), output)
    elif format is CompareFormat.markdown:
        from reports.timeline_markdown import render as as_markdown

        _emit(as_markdown(series, show_all), output)
    else:
        from reports.timeline_terminal import render as as_terminal

        _show(as_terminal(series, show_all), output, color, pager)


@app.command()
def batch(
    manifest: Annotated[
        str,
        typer.Argument(help="A manifest (YAML: reports, each with file, local_authority, "
                       "published) or a Data to Insight scrape folder "
                       "(<URN>_<authority>/children's services inspection - <date>.pdf).",
                       metavar="MANIFEST"),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="OUTDIR",
                          help="Folder for the pairs' JSON and briefs (pairs/) and the index.")
    ],
    cache: Annotated[
        str, typer.Option("--cache", metavar="DIR",
                          help="Cache of extracted PDF text, by content hash "
                          "[default: OUTDIR/.cache].")
    ] = "",
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", metavar="N", help="Worker processes (0: one per core).")
    ] = 0,
    force: Annotated[
        bool, typer.Option("--force", help="Compare every pair again, even those whose "
                           "outputs are up to date.")
    ] = False,
) -> None:
    """Compare every council's consecutive inspections: a JSON and a brief per pair, an index.

    Pairs each council's graded inspections (SIF, ILACS) by publication date and compares
    each with the next, on every core. Writes OUTDIR/pairs/<council>_<old>_<new>.json and
    .md, and OUTDIR/index.md, index.json, index.csv (one row per pair) and reports.csv
    (every report, with its grades and what became of it). A report that cannot be read
    (one that crashes the PDF library, or runs over two minutes, included), or is not an
    inspection report (a monitoring visit, a JTAI letter), is named in the index with the
    reason and skipped. Every file is written whole or not at all; a second
    run reuses the cached PDF text and skips pairs whose outputs are up to date, so an
    interrupted run resumes. Exits 0 when the run finished, 2 on a bad manifest or an
    output folder that cannot be written, 130 when interrupted.

    \b
    Example:
      kent-diff batch ../shared/corpus/manifest.yaml -o national
      kent-diff batch export_data/inspection_reports -o national --cache ~/.cache/kent-diff
    """
    from pathlib import Path

    from diffing.batch import run_batch
    from diffing.errors import InputError
    from diffing.files import atomic_write
    from reports import batch_index

    if jobs < 0:
        _fail(Exception("--jobs: must be 0 (one per core) or more"))
    outdir = Path(output)
    try:
        with _batch_progress() as progress:
            run = run_batch(Path(manifest), outdir, Path(cache) if cache else None,
                            jobs or None, force, progress=progress)
        for name, render in (("index.md", batch_index.render_markdown),
                             ("index.json", batch_index.render_json),
                             ("index.csv", batch_index.render_csv),
                             ("reports.csv", batch_index.render_reports_csv)):
            atomic_write(outdir / name, render(run))
    except InputError as error:
        _fail(error)
    except OSError as error:
        _fail(InputError(getattr(error, "filename", None) or output,
                         f"cannot write ({error.strerror})"))
    except KeyboardInterrupt:
        typer.echo("kent-diff: interrupted: every file written is whole; run the same "
                   "command again to resume", err=True)
        raise typer.Exit(130) from None
    c = batch_index.counts(run)
    typer.echo(f"kent-diff: {c['reports']} reports ({c['paired']} paired, {c['unpaired']} "
               f"not paired, {c['refused']} refused); {c['pairs']} pairs ({c['pairs compared']}"
               f" compared, {c['pairs up-to-date']} up to date, {c['pairs failed']} failed) "
               f"in {run.seconds:.1f} s; index: {outdir / 'index.md'}", err=True)


def _batch_progress():
    """A Rich progress bar on stderr for the batch's reading and comparing phases; a
    context manager giving the progress(phase, done, total) callback."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    @contextmanager
    def bar():
        labels = {"read": "Reading reports", "compare": "Comparing pairs"}
        console = Console(stderr=True)
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                      transient=False, disable=not console.is_terminal) as progress:
            tasks: dict[str, int] = {}

            def update(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = progress.add_task(labels.get(phase, phase), total=total)
                progress.update(tasks[phase], completed=done, total=total)

            yield update

    return bar()


def main() -> None:
    """Entry point of the `kent-diff` console script."""
    import gc

    # A run makes many objects that live to its end and few reference cycles: the cycle
    # collector runs less often (mypy's thresholds), and not over them all on the way out
    # (together about a tenth of a cold compare's time).
    gc.set_threshold(200_000, 30, 30)
    try:
        app(prog_name="kent-diff")
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
