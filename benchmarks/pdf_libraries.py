"""Compare pypdf and pypdfium2 on the Ofsted inspection report corpus.

For each library, extract the text of every page of every PDF in the corpus and measure:

* speed: total extraction wall time (best of three runs) and the per-report median;
* text quality, summed over the corpus: ligature glyphs left, private-use-area characters,
  line-break hyphenation markers (pdfium's U+FFFE and words split as "xxx-" at line end),
  glued words (runs of more than 25 letters), paragraph numbers glued to their first word,
  and the reading order of the numbered paragraphs of ILACS reports;
* agreement: the share of identical words between the two libraries' outputs (difflib on
  the word lists of every report), raw and after normalisation.

Prints a Markdown table and writes it, with a recommendation, the machine, the library
versions and the command, to benchmarks/pdf-libraries.md.

Usage, from the repository root (the corpus defaults to ../shared/corpus):

    python benchmarks/pdf_libraries.py [CORPUS_DIR] [--runs N] [--output FILE]

Needs only the Python standard library, pypdf and pypdfium2.
"""

import argparse
import difflib
import os
import platform
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pypdfium2 as pdfium

SCRIPT = Path(__file__).resolve()
REPO_ROOT = SCRIPT.parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_OUTPUT = SCRIPT.parent / "pdf-libraries.md"
DEFAULT_RUNS = 3

LIGATURES = "\ufb00\ufb01\ufb02\ufb03\ufb04"  # ﬀ ﬁ ﬂ ﬃ ﬄ
PDFIUM_HYPHEN = "\ufffe"  # pdfium's marker for a hyphen at a line break (line break removed)
PUA_RE = re.compile("[\ue000-\uf8ff]")
LINE_END_HYPHEN_RE = re.compile(r"[^\W\d_]-[^\S\n]*\n")
GLUED_RE = re.compile(r"[^\W\d_]{26,}")
# A numbered paragraph: "12." at the start of a line, then (maybe no) space, then not a digit.
PARAGRAPH_RE = re.compile(r"^[^\S\n]*(\d{1,3})\.[^\S\n]*(?=[^\d\s])", re.MULTILINE)
GLUED_NUMBER_RE = re.compile(r"^[^\S\n]*\d{1,3}\.[^\W\d_]", re.MULTILINE)
WORD_RE = re.compile(r"\w+(?:[-'\u2019]\w+)*")

Extractor = Callable[[Path], list[str]]


def extract_pypdf(path: Path) -> list[str]:
    """Return the text of each page, as read by pypdf."""
    reader = pypdf.PdfReader(path)
    return [page.extract_text() for page in reader.pages]


def extract_pypdfium2(path: Path) -> list[str]:
    """Return the text of each page, as read by pypdfium2, closing every handle."""
    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    texts.append(textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
        return texts
    finally:
        pdf.close()


EXTRACTORS: dict[str, Extractor] = {"pypdf": extract_pypdf, "pypdfium2": extract_pypdfium2}


@dataclass
class Report:
    """One PDF of the corpus."""

    path: Path
    framework: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class LibraryResult:
    """Timings and extracted text of one library over the corpus."""

    run_totals: list[float] = field(default_factory=list)
    report_times: dict[str, list[float]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def best_total(self) -> float:
        return min(self.run_totals)

    @property
    def median_report(self) -> float:
        return statistics.median(min(times) for times in self.report_times.values())


def read_corpus(corpus: Path) -> list[Report]:
    """List the corpus PDFs, with each one's framework from manifest.yaml (or its file name)."""
    frameworks: dict[str, str] = {}
    manifest = corpus / "manifest.yaml"
    if manifest.exists():
        current = None
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if match := re.match(r"^-\s+file:\s*(\S+)", line):
                current = match.group(1)
            elif (match := re.match(r"^\s+framework:\s*(\S+)", line)) and current:
                frameworks[current] = match.group(1)
    reports = []
    for path in sorted(corpus.glob("*.pdf")):
        default = "ilacs" if "-ilacs" in path.stem else "other"
        reports.append(Report(path, frameworks.get(path.name, default)))
    return reports


def run_timings(reports: list[Report], runs: int) -> dict[str, LibraryResult]:
    """Extract the whole corpus `runs` times with each library, alternating the libraries."""
    results = {name: LibraryResult() for name in EXTRACTORS}
    for run in range(runs):
        for name, extract in EXTRACTORS.items():
            result = results[name]
            total = 0.0
            for report in reports:
                start = time.perf_counter()
                pages = extract(report.path)
                elapsed = time.perf_counter() - start
                total += elapsed
                result.report_times.setdefault(report.name, []).append(elapsed)
                if run == 0:
                    result.texts[report.name] = pages
            result.run_totals.append(total)
            print(f"  run {run + 1}/{runs} {name:<9} {total:8.2f} s", file=sys.stderr)
    return results


def plain(pages: list[str]) -> str:
    """Join the pages of a report, with "\\n" line ends."""
    return "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")


def normalised_words(text: str) -> list[str]:
    """Words for comparison: NFKC, case-folded, line-break hyphens rejoined to their word."""
    text = text.replace(PDFIUM_HYPHEN, "-")
    text = re.sub(r"-[^\S\n]*\n\s*", "-", text)
    return WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def paragraph_order(text: str) -> tuple[int, int, int]:
    """Numbered paragraphs of a report: (numbers found, highest number, out-of-order numbers).

    A number is out of order when it is not higher than a number read before it.
    """
    numbers = [int(number) for number in PARAGRAPH_RE.findall(text)]
    out_of_order = 0
    highest = 0
    for number in numbers:
        if number <= highest:
            out_of_order += 1
        highest = max(highest, number)
    return len(set(numbers)), highest, out_of_order


def quality(reports: list[Report], result: LibraryResult) -> dict[str, int]:
    """Text-quality counts of one library, summed over the corpus."""
    counts: Counter[str] = Counter()
    for report in reports:
        pages = result.texts[report.name]
        text = plain(pages)
        counts["pages"] += len(pages)
        counts["words"] += len(normalised_words(text))
        counts["ligatures"] += sum(text.count(glyph) for glyph in LIGATURES)
        counts["pua"] += len(PUA_RE.findall(text))
        counts["fffe"] += text.count(PDFIUM_HYPHEN)
        counts["line_end_hyphen"] += len(LINE_END_HYPHEN_RE.findall(text))
        counts["glued"] += len(GLUED_RE.findall(text))
        counts["glued_numbers"] += len(GLUED_NUMBER_RE.findall(text))
        if report.framework == "ilacs":
            found, highest, out_of_order = paragraph_order(text)
            counts["ilacs_reports"] += 1
            counts["paragraphs_found"] += found
            counts["paragraphs_expected"] += highest
            counts["out_of_order"] += out_of_order
            counts["reports_out_of_order"] += out_of_order > 0
    return counts


def matched(a: list[str], b: list[str]) -> int:
    """Number of words the two lists have in common, in order (difflib)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def agreement(reports: list[Report], first: LibraryResult, second: LibraryResult) -> dict:
    """Share of identical words between two libraries, raw tokens and normalised words."""
    totals: Counter[str] = Counter()
    for report in reports:
        text_a = plain(first.texts[report.name])
        text_b = plain(second.texts[report.name])
        for kind, words_a, words_b in (
            ("raw", text_a.split(), text_b.split()),
            ("normalised", normalised_words(text_a), normalised_words(text_b)),
        ):
            same = matched(words_a, words_b)
            totals[f"{kind}_same"] += 2 * same
            totals[f"{kind}_all"] += len(words_a) + len(words_b)
            totals[f"{kind}_identical_reports"] += words_a == words_b
    return {
        "raw": totals["raw_same"] / totals["raw_all"],
        "normalised": totals["normalised_same"] / totals["normalised_all"],
        "raw_identical_reports": totals["raw_identical_reports"],
        "normalised_identical_reports": totals["normalised_identical_reports"],
    }


def fffe_examples(result: LibraryResult, limit: int = 3) -> list[str]:
    """The commonest words pdfium broke with U+FFFE, shown with a hyphen."""
    words: Counter[str] = Counter()
    for pages in result.texts.values():
        for match in re.finditer(rf"\w+{PDFIUM_HYPHEN}\w+", plain(pages)):
            words[match.group().replace(PDFIUM_HYPHEN, "-").lower()] += 1
    return [word for word, _ in words.most_common(limit)]


def table(reports: list[Report], results: dict[str, LibraryResult], counts: dict, agree: dict):
    """The figures as a Markdown table, one column per library."""
    names = list(results)
    n_reports = len(reports)

    def row(label: str, values: list[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |"

    def each(key: str) -> list[str]:
        return [f"{counts[name][key]:,}" for name in names]

    def both(value: str) -> list[str]:
        return [value] * len(names)

    lines = [
        row("Measure", names),
        "|---|" + "---:|" * len(names),
        row(
            f"Total extraction time, {n_reports} reports (best of "
            f"{len(results[names[0]].run_totals)})",
            [f"{results[name].best_total:.2f} s" for name in names],
        ),
        row(
            "Per-report extraction time (median)",
            [f"{results[name].median_report * 1000:.0f} ms" for name in names],
        ),
        row(
            "Pages / normalised words",
            [f"{counts[name]['pages']:,} / {counts[name]['words']:,}" for name in names],
        ),
        row("(a) Ligature glyphs left (ﬁ ﬂ ﬀ ﬃ ﬄ)", each("ligatures")),
        row("(b) Private-use-area characters (U+E000–U+F8FF)", each("pua")),
        row("(c) U+FFFE line-break hyphen markers", each("fffe")),
        row('(c) Words split as "xxx-⏎" at line end', each("line_end_hyphen")),
        row("(d) Glued words (runs of more than 25 letters)", each("glued")),
        row(
            '(d) Paragraph numbers glued to their first word ("10.Strategy")', each("glued_numbers")
        ),
        row(
            "(e) ILACS numbered paragraphs found / highest number",
            [
                f"{counts[name]['paragraphs_found']:,} / {counts[name]['paragraphs_expected']:,}"
                for name in names
            ],
        ),
        row(
            f"(e) ILACS paragraph numbers out of order ({counts[names[0]]['ilacs_reports']} "
            "reports)",
            [
                f"{counts[name]['out_of_order']} (in {counts[name]['reports_out_of_order']} "
                "reports)"
                for name in names
            ],
        ),
        row(
            "(f) Identical words, raw whitespace tokens (difflib, all reports)",
            both(
                f"{agree['raw']:.2%}; {agree['raw_identical_reports']}/{n_reports} "
                "reports identical"
            ),
        ),
        row(
            "(f) Identical words, normalised (difflib, all reports)",
            both(
                f"{agree['normalised']:.2%}; {agree['normalised_identical_reports']}/"
                f"{n_reports} reports identical"
            ),
        ),
    ]
    return "\n".join(lines)


def machine() -> str:
    """A one-line description of this machine and Python."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpu}, {cores} cores, {platform.platform()}, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )


def versions() -> str:
    return (
        f"pypdf {pypdf.__version__}, pypdfium2 {pdfium.PYPDFIUM_INFO} (PDFium {pdfium.PDFIUM_INFO})"
    )


def recommendation(results: dict[str, LibraryResult], counts: dict, agree: dict) -> str:
    """The recommendation paragraph, worded from the figures."""
    slow, fast = results["pypdf"].best_total, results["pypdfium2"].best_total
    speedup = slow / fast
    fium = counts["pypdfium2"]
    same_text = agree["normalised"] >= 0.999
    if speedup > 1 and same_text:
        verdict = (
            f"**Use pypdfium2.** It extracted the corpus {speedup:.0f}x faster than pypdf "
            f"({fast:.2f} s against {slow:.2f} s, best of {len(results['pypdf'].run_totals)}), "
            f"and the two read the same text: {agree['normalised']:.2%} of normalised words "
            "are identical, with the numbered paragraphs in the same order."
        )
    else:
        verdict = (
            f"pypdfium2 is {speedup:.1f}x the speed of pypdf, but only {agree['normalised']:.2%} "
            "of normalised words agree: inspect the differences before choosing."
        )
    cautions = []
    if fium["fffe"]:
        examples = ", ".join(fffe_examples(results["pypdfium2"]))
        cautions.append(
            f"pdfium replaces a hyphen at a line break with U+FFFE and drops the line break "
            f"({fium['fffe']} times here, in hyphenated words such as {examples}), so map "
            'U+FFFE to "-", not to nothing'
        )
    if fium["glued_numbers"]:
        cautions.append(
            f"it drops the gap after some paragraph numbers ({fium['glued_numbers']} times, "
            'e.g. "10.Strategy"), so match numbers as `\\d+\\.\\s*`'
        )
    if fium["pua"]:
        cautions.append(
            f"Wingdings bullets arrive as private-use characters ({fium['pua']}, the same in "
            "both libraries) and need stripping"
        )
    cautions.append('lines end with "\\r\\n"')
    return verdict + " What a pypdfium2 caller must handle: " + "; ".join(cautions) + "."


def command(corpus: Path) -> str:
    """The command that reproduces this run, from the repository root."""
    base = "python benchmarks/pdf_libraries.py"
    if corpus.resolve() == DEFAULT_CORPUS.resolve():
        return base
    try:
        return f"{base} {os.path.relpath(corpus.resolve(), REPO_ROOT)}"
    except ValueError:
        return f"{base} {corpus.resolve()}"


def document(markdown_table: str, summary: str, corpus: Path, n_reports: int, runs: int) -> str:
    """The benchmarks/pdf-libraries.md page."""
    return "\n".join(
        [
            "# pypdf against pypdfium2 on the Ofsted report corpus",
            "",
            f"Text extraction of every page of the {n_reports} inspection reports in "
            "`../shared/corpus` (SIF and ILACS, 2014–2026), one column per library.",
            "",
            markdown_table,
            "",
            summary,
            "",
            f"- Machine: {machine()}",
            f"- Libraries: {versions()}",
            f"- Run: {datetime.now(UTC):%Y-%m-%d}, {runs} runs per library, alternating.",
            f"- Reproduce, from the repository root: `{command(corpus)}`",
            "",
            "Timings are the sum of per-report `time.perf_counter()` intervals around opening the "
            "PDF and extracting every page. Word agreement is difflib's matching-block share "
            "`2*M/(len(a)+len(b))` over the whole corpus. Raw tokens are the text split on white "
            'space; normalised words are NFKC, case-folded, with U+FFFE and "-⏎" rejoined as "-". '
            "Paragraph order looks at lines starting with a number and a full stop in ILACS "
            "reports.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus",
        nargs="?",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"folder of PDFs (default: {DEFAULT_CORPUS})",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help="timing runs per library; the best counts (default: 3)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"Markdown file to write (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)

    reports = read_corpus(args.corpus)
    if not reports:
        parser.error(f"no PDFs in {args.corpus}")
    print(f"{len(reports)} reports in {args.corpus}; {versions()}", file=sys.stderr)

    results = run_timings(reports, args.runs)
    counts = {name: quality(reports, result) for name, result in results.items()}
    agree = agreement(reports, results["pypdf"], results["pypdfium2"])

    markdown_table = table(reports, results, counts, agree)
    summary = recommendation(results, counts, agree)
    print(markdown_table)
    print()
    print(summary)
    args.output.write_text(
        document(markdown_table, summary, args.corpus, len(reports), args.runs),
        encoding="utf-8",
    )
    print(f"\nwrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
