"""The kent-diff command line: parse options, call the stages, pick a renderer, print.

Heavy modules (the reader, Rich, the PDF library) are imported inside the commands so
that `kent-diff --help` stays fast.
"""

from __future__ import annotations

import sys
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
    json = "json"


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
            help="A report (PDF or text), '-' for stdin, or bundled:NAME for a bundled Kent "
            "text (kent-2017, kent-2019, kent-2022).",
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


@app.command()
def compare(
    old: Annotated[
        str,
        typer.Argument(help="The older report (PDF, text, '-' or bundled:NAME).", metavar="OLD"),
    ] = DEFAULT_OLD,
    new: Annotated[
        str, typer.Argument(help="The newer report.", metavar="NEW")
    ] = DEFAULT_REPORT,
    format: Annotated[
        CompareFormat,
        typer.Option("--format", "-f", help="terminal for people, json for scripts."),
    ] = CompareFormat.terminal,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Write here instead of stdout ('-' is stdout).")
    ] = "-",
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list sustained findings and new strengths.")
    ] = False,
    color: Annotated[
        Color, typer.Option("--color", help="Colour (auto: when a terminal, no NO_COLOR).")
    ] = Color.auto,
) -> None:
    """Compare two inspections: grade moves and the status of every finding.

    With no files, compares the bundled Kent 2017 (SIF) and 2022 (ILACS) reports.
    Statuses: improved, persisting, new, regressed, sustained, not-reported,
    new-strength. Exits 0 whatever changed; 2 on bad input.

    \b
    Example:
      kent-diff compare
      kent-diff compare old.pdf new.pdf --format json -o result.json
    """
    from diffing.errors import InputError

    for path in (old, new):
        if output not in ("-", "") and _same_file(output, path):
            _fail(InputError(output, "the output would overwrite an input report"))
    try:
        older, newer = _read(old), _read(new)
        from diffing.compare import compare as run_compare

        comparison = run_compare(older, newer)
    except InputError as error:
        _fail(error)
    for warning in comparison.warnings:
        typer.echo(f"kent-diff: warning: {warning}", err=True)
    if format is CompareFormat.json:
        from reports.compare_json import render

        _emit(render(comparison), output)
        return
    from reports.terminal import render as terminal

    if output in ("-", ""):
        _console(color).print(terminal(comparison, show_all))
        return
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(terminal(comparison, show_all))
    _emit(buffer.getvalue(), output)


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
    import os
    import tempfile
    from pathlib import Path

    from diffing.errors import InputError

    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except OSError as error:
        if "temporary" in locals() and os.path.exists(temporary):
            os.unlink(temporary)
        _fail(InputError(output, f"cannot write ({error.strerror})"))


def _read(file: str):
    """Read the report FILE names: a path, '-' for stdin, or bundled:NAME."""
    from diffing.bundled import PREFIX, bundled_path
    from diffing.read import read_report

    if file == "-":
        return read_report("-", sys.stdin.buffer.read())
    if file.startswith(PREFIX):
        path = bundled_path(file)
        return read_report(PREFIX + path.name, path.read_bytes())
    return read_report(file)


def _console(color: Color):
    from rich.console import Console

    if color is Color.always:
        return Console(force_terminal=True, no_color=False)
    if color is Color.never:
        return Console(no_color=True, color_system=None)
    return Console()  # honours NO_COLOR, FORCE_COLOR and whether stdout is a terminal


def _fail(error: Exception) -> NoReturn:
    typer.echo(f"kent-diff: {error}", err=True)
    raise typer.Exit(2)


def main() -> None:
    """Entry point of the `kent-diff` console script."""
    app(prog_name="kent-diff")


if __name__ == "__main__":
    main()
