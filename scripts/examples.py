"""Regenerate what the README shows of the bundled Kent 2017 -> 2022 comparison:
docs/kent-2017-2022.svg (the start of the terminal view, exported with Rich's own
Console.export_svg) and examples/kent-2017-2022-brief.md (the change brief).

Run from the repository root, after a change to the matcher or the renderers:

    python scripts/examples.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.text import Text  # noqa: E402

import kent_diff  # noqa: E402
from reports import markdown, terminal  # noqa: E402

SVG = ROOT / "docs" / "kent-2017-2022.svg"
BRIEF = ROOT / "examples" / "kent-2017-2022-brief.md"
WIDTH = 100
LINES = 64
"""How much of the terminal view the picture shows: the header, the grades and the first items."""


def main() -> None:
    # The command line's own path from file names to a Comparison (curated pins included), so
    # the examples are what `kent-diff compare` and `kent-diff brief` print.
    comparison = kent_diff._comparison(kent_diff.DEFAULT_OLD, kent_diff.DEFAULT_REPORT, "-")

    full = Console(file=io.StringIO(), width=WIDTH, record=True, force_terminal=True,
                   color_system="truecolor")
    full.print(terminal.render(comparison))
    lines = full.export_text(styles=True).splitlines()
    picture = Console(file=io.StringIO(), width=WIDTH, record=True, force_terminal=True,
                      color_system="truecolor")
    for line in lines[:LINES]:
        picture.print(Text.from_ansi(line), crop=True, overflow="crop", no_wrap=True)
    if len(lines) > LINES:
        picture.print(Text(f"… {len(lines) - LINES} more lines", style="italic bright_black"))
    SVG.parent.mkdir(exist_ok=True)
    SVG.write_text(picture.export_svg(title="kent-diff compare"), encoding="utf-8")

    BRIEF.parent.mkdir(exist_ok=True)
    BRIEF.write_text(markdown.render(comparison), encoding="utf-8")
    for path in (SVG, BRIEF):
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
