"""The whole comparison in one call: align two read reports and classify the result."""

from __future__ import annotations

from diffing.align import Pin, align
from diffing.classify import classify
from diffing.mappings import Knowledge, load_knowledge
from diffing.model import Comparison, Report


def compare(old: Report, new: Report, knowledge: Knowledge | None = None,
            pins: tuple[Pin, ...] = ()) -> Comparison:
    """Compare an older report with a newer one (a warning when given newest first)."""
    warnings = []
    if old.year and new.year and old.year > new.year:
        warnings.append(
            f"the first report ({old.year}) is newer than the second ({new.year}): "
            "compare expects OLD then NEW"
        )
    alignment = align(old, new, knowledge or load_knowledge(), pins)
    return classify(alignment, tuple(warnings))
