"""The whole comparison in one call: align two read reports and classify the result."""

from __future__ import annotations

from dataclasses import replace

from diffing.align import ItemPin, Pin, align
from diffing.classify import classify
from diffing.mappings import Knowledge, load_knowledge
from diffing.model import Comparison, Report
from diffing.text import same_council


def prepare() -> Knowledge:
    """Load what comparing needs whatever the reports (the matching libraries, the stemmer
    and the mappings), so that it can be done while the reports are being read."""
    import rapidfuzz.process  # noqa: F401 - imported here for its load time

    from diffing.text import stem

    stem("reports")  # loads the stemmer
    return load_knowledge()


def compare(old: Report, new: Report, knowledge: Knowledge | None = None,
            pins: tuple[Pin | ItemPin, ...] = ()) -> Comparison:
    """Compare an older report with a newer one (a warning when given newest first)."""
    warnings = []
    if old.year and new.year and old.year > new.year:
        warnings.append(
            f"the first report ({old.year}) is newer than the second ({new.year}): "
            "compare expects OLD then NEW"
        )
    if not same_council(old.local_authority, new.local_authority):
        warnings.append(
            f"the reports are about different councils ({old.local_authority}, "
            f"{new.local_authority}): compare expects two inspections of one council"
        )
    knowledge = knowledge or load_knowledge()
    comparison = classify(align(old, new, knowledge, pins), tuple(warnings))
    used = {result.theme for result in comparison.results if result.theme}
    labels = tuple((theme.key, theme.label) for theme in knowledge.themes if theme.key in used)
    return replace(comparison, theme_labels=labels)
