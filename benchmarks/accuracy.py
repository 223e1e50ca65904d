"""How well the matcher agrees with independent readings of report pairs.

For every annotation (``../shared/annotations/*.yaml`` and ``benchmarks/annotations/*.yaml``;
each names its two corpus PDFs on its ``# OLD:`` and ``# NEW:`` lines), runs

    kent-diff compare OLD.pdf NEW.pdf --format json -o RESULT.json

with the comparison cache off, scores the result with the shared scorer

    python ../shared/tools/score-annotation.py ANNOTATION RESULT.json

and prints a Markdown table of the scorer's figures (link, status, link precision) with
their mean and their totals over all items. With ``--failures`` it also counts the items
the scorer marks wrong by what went wrong (from the scorer's ``--verbose`` verdicts): a
link where the reader found no answer, no link where the reader found one, a link to
another paragraph, or the right paragraph with a status the reader did not accept.

With ``--extraction pypdf`` (or ``pdfminer``) the two reports are first extracted to text
with pypdf (or pdfminer.six; pages joined by form feeds) and the texts are compared
instead: the same reports as another extraction gives them, which should score as the
PDFs do. ``--extraction markdown`` compares them as pymupdf4llm writes them
in Markdown (which loses some of the text: a page here and there, line-end hyphens), and
``--extraction html`` as poppler's pdftohtml writes them in HTML.

The annotations in benchmarks/annotations/ are our own: each was written by someone
reading both reports in full, without running kent-diff, in the form of the shared ones.
Use them to measure, not to fit.

Usage, from the repository root:

    python benchmarks/accuracy.py [--corpus DIR] [--scorer FILE] [--failures]
                                  [--extraction pypdf|pdfminer|markdown|html] [ANNOTATION ...]

--extraction pypdf needs pypdf (pip install pypdf); pdfminer needs pdfminer.six; markdown
needs pymupdf4llm; html needs pdftohtml (poppler-utils).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_NAMED = re.compile(r"^#\s*(OLD|NEW):\s*(\S+\.pdf)", re.MULTILINE)
_FIGURES = re.compile(r"link (\d+)/(\d+)=\S+ status (\d+)/\d+=\S+ link-precision (\S+)"
                      r" \((\d+) links\)")
# one item's verdict, as the scorer prints it with --verbose
_VERDICT = re.compile(r"^\s*(\S+) link=(ok|BAD)\s* status=(ok|BAD)\s* want=\[([^]]*)\]/\[[^]]*\]"
                      r" got=(MISSING|\[[^]]*\])", re.MULTILINE)
# what went wrong with an item the scorer marks wrong, by kind of item
FAILURES = {
    "forced": "linked where the reader found no answer",
    "missed": "not reported where the reader found an answer",
    "wrong paragraph": "linked to a paragraph the reader did not accept",
    "not found": "no finding holds the reader's quote",
    "status": "a right link with a status the reader did not accept",
}


def annotations(given: list[Path]) -> list[Path]:
    if given:
        return given
    found = sorted((SHARED / "annotations").glob("*.yaml"))
    return found + sorted((ROOT / "benchmarks" / "annotations").glob("*.yaml"))


def extracted_text(pdf: Path, work: Path, extraction: str) -> Path:
    """The PDF's text as pypdf or pdfminer.six extracts it, pages joined by form feeds, or
    as pymupdf4llm writes it in Markdown or pdftohtml in HTML, in a file."""
    suffix = {"markdown": "md", "html": "html"}.get(extraction, "txt")
    target = work / f"{pdf.stem}.{extraction}.{suffix}"
    if target.exists():
        return target
    if extraction == "html":
        subprocess.run(["pdftohtml", "-s", "-i", "-noframes", "-q", str(pdf), str(target)],
                       check=True)
        return target
    if extraction == "pypdf":
        from pdf_libraries import extract_pypdf  # the PDF-library benchmark's own extraction

        text = "\f".join(page or "" for page in extract_pypdf(pdf))
    elif extraction == "markdown":
        import pymupdf4llm

        text = pymupdf4llm.to_markdown(str(pdf))
    else:
        from pdfminer.high_level import extract_text  # ends each page with a form feed

        text = extract_text(pdf)
    target.write_text(text, encoding="utf-8")
    return target


def score(annotation: Path, corpus: Path, scorer: Path, work: Path,
          extraction: str = "pdf") -> dict:
    named = dict(_NAMED.findall(annotation.read_text(encoding="utf-8")))
    if set(named) != {"OLD", "NEW"}:
        raise SystemExit(f"{annotation}: no '# OLD: x.pdf' and '# NEW: y.pdf' lines")
    result = work / f"{annotation.stem}.json"
    env = {**os.environ, "KENT_DIFF_CACHE": "off"}
    old, new = corpus / named["OLD"], corpus / named["NEW"]
    if extraction != "pdf":
        old, new = extracted_text(old, work, extraction), extracted_text(new, work, extraction)
    subprocess.run([sys.executable, "-m", "kent_diff", "compare", str(old),
                    str(new), "--format", "json", "-o", str(result)],
                   cwd=ROOT, env=env, check=True, stderr=subprocess.DEVNULL)
    return scored(annotation, result, scorer)


def scored(annotation: Path, result: Path, scorer: Path) -> dict:
    """The scorer's figures for a comparison's JSON against an annotation, with what went
    wrong."""
    out = subprocess.run([sys.executable, str(scorer), str(annotation), str(result),
                          "--verbose"], capture_output=True, text=True).stdout
    found = figures(out)
    if found is None:
        raise SystemExit(f"{annotation}: the scorer said {out.strip()!r}")
    link, items, status, precision, links = found
    return {"pair": annotation.stem, "items": items, "link": link / items,
            "status": status / items, "precision": precision,
            "grades": "grades-wrong 0" in out, "linked": link, "right": status,
            # the scorer prints precision to two places: exact below 100 links a pair
            "links": links, "right links": round(precision * links),
            "failures": failures(out, item_kinds(annotation))}


def figures(printed: str) -> tuple[int, int, int, float, int] | None:
    """(items linked, items, items with the right status, link precision, links) from the
    scorer's figures line, None where it printed none."""
    match = _FIGURES.search(printed)
    if not match:
        return None
    link, items, status, precision, links = match.groups()
    return int(link), int(items), int(status), float(precision), int(links)


def item_kinds(annotation: Path) -> dict[str, str]:
    """Each item's kind (rec, finding, wnti) by its id, as the annotation gives them."""
    items = yaml.safe_load(annotation.read_text(encoding="utf-8"))["items"]
    return {str(item["id"]): item["kind"] for item in items}


def failures(verbose: str, kinds: dict[str, str]) -> Counter[tuple[str, str]]:
    """(kind of item, what went wrong) of each item the scorer's --verbose verdicts mark
    wrong."""
    found: Counter[tuple[str, str]] = Counter()
    for item, link, status, want, got in _VERDICT.findall(verbose):
        kind = kinds.get(item, "?")
        if link == "ok":
            if status == "BAD":
                found[kind, "status"] += 1
        elif got == "MISSING":
            found[kind, "not found"] += 1
        elif not want.strip():
            found[kind, "forced"] += 1
        elif got == "[None]":
            found[kind, "missed"] += 1
        else:
            found[kind, "wrong paragraph"] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("annotation", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score-annotation.py")
    parser.add_argument("--extraction",
                        choices=("pdf", "pypdf", "pdfminer", "markdown", "html"), default="pdf",
                        help="compare the PDFs (pdf), their text as pypdf or pdfminer.six "
                        "extracts it, their Markdown as pymupdf4llm writes it, or their HTML "
                        "as pdftohtml writes it")
    parser.add_argument("--failures", action="store_true",
                        help="also count the items the scorer marks wrong by what went wrong")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kent-diff-accuracy-") as temporary:
        rows = [score(a, options.corpus, options.scorer, Path(temporary), options.extraction)
                for a in annotations(options.annotation)]
    print("| pair | items | linked to a right paragraph | right status | link precision "
          "| grades |")
    print("|---|--:|--:|--:|--:|---|")
    for row in rows:
        print(f"| {row['pair']} | {row['items']} | {row['link']:.2f} | {row['status']:.2f} | "
              f"{row['precision']:.2f} | {'right' if row['grades'] else '**wrong**'} |")
    if not rows:
        return
    mean = {k: sum(r[k] for r in rows) / len(rows) for k in ("link", "status", "precision")}
    total = {k: sum(r[k] for r in rows)
             for k in ("items", "linked", "right", "links", "right links")}
    print(f"| mean | {total['items']} | {mean['link']:.2f} | "
          f"{mean['status']:.2f} | {mean['precision']:.2f} | |")
    print(f"| all items | {total['items']} | {total['linked']} | {total['right']} | "
          f"{total['right links']} of {total['links']} links | |")
    if options.failures:
        found = sum((r["failures"] for r in rows), Counter())
        kinds = sorted({kind for kind, _ in found})
        print()
        print("| what went wrong | " + " | ".join(kinds) + " | all |")
        print("|---|" + "--:|" * (len(kinds) + 1))
        for what, meaning in FAILURES.items():
            counts = [found[kind, what] for kind in kinds]
            print(f"| {what}: {meaning} | " + " | ".join(map(str, counts))
                  + f" | {sum(counts)} |")


if __name__ == "__main__":
    main()
