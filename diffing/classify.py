"""Classify an alignment: each finding's status, each area's grade move."""

from __future__ import annotations

from diffing.align import Alignment
from diffing.model import (
    AREAS,
    GRADES,
    Comparison,
    Grade,
    GradeChange,
    GradeMove,
    Polarity,
    Report,
    Result,
    Status,
)


def status_of(old: Polarity, new: Polarity | None) -> Status:
    """Status of an old finding given what the newer report says (None: nothing)."""
    if new is None:
        return "not-reported"
    if old == "concern":
        return "persisting" if new == "concern" else "improved"
    return "regressed" if new == "concern" else "sustained"


def grade_change(old: Grade | None, new: Grade | None) -> GradeChange:
    """improved, declined or unchanged; not-comparable where either side has no grade."""
    if old is None or new is None:
        return "not-comparable"
    rank_old, rank_new = GRADES.index(old), GRADES.index(new)
    if rank_new < rank_old:
        return "improved"
    return "declined" if rank_new > rank_old else "unchanged"


def grade_moves(old: Report, new: Report) -> tuple[GradeMove, ...]:
    """One move per area either report judges, in the order of AREAS."""
    moves = []
    for area in AREAS:
        before, after = old.grade(area), new.grade(area)
        if before is None and after is None:
            continue
        moves.append(GradeMove(area, before, after, grade_change(before, after)))
    return tuple(moves)


def classify(alignment: Alignment, warnings: tuple[str, ...] = ()) -> Comparison:
    """The comparison: a result per old finding (or, for one a new finding was paired back
    with and no paragraph answers, that pairing), then per unanswered new finding."""
    # An old concern the newer report lists again among what needs to improve has not
    # improved, whatever the paragraph linked to it says. (An old strength such an item
    # is paired with is left to its paragraph: the item may name a narrower shortfall.)
    relisted = {back.old.id for back in alignment.back
                if back.old is not None and back.new.kind != "finding"
                and back.old.stance == "concern"}
    # An old finding a new finding was paired back with is not "not reported": the newer
    # report speaks to it there, below the forward link's threshold but above the reverse
    # one, and that pairing is its one result.
    paired_back = {back.old.id for back in alignment.back if back.old is not None}
    results = []
    for link in alignment.links:
        if link.sentence is None and link.matched_by == "none" and link.old.id in paired_back:
            continue
        new_polarity = None
        if link.sentence is not None:
            new_polarity = _evidence_polarity(link)
            if link.old.id in relisted:
                new_polarity = "concern"
        results.append(Result(
            status=status_of(link.old.stance, new_polarity),
            score=link.score,
            matched_by=link.matched_by,
            theme=link.theme,
            old=link.old,
            new=link.sentence,
            shared_terms=link.shared_terms,
            also=link.also,
        ))
    for back in alignment.back:
        polarity = back.new.stance
        if back.old is None:
            status: Status = "new" if polarity == "concern" else "new-strength"
        else:
            status = status_of(back.old.stance, polarity)
        results.append(Result(
            status=status,
            score=back.score,
            matched_by="curated" if back.curated else "reverse" if back.old is not None
            else "none",
            theme=back.theme,
            old=back.old,
            new=back.new,
            shared_terms=back.shared_terms,
            paired_back=True,
        ))
    return Comparison(alignment.old, alignment.new, grade_moves(alignment.old, alignment.new),
                      tuple(results), warnings)


def _evidence_polarity(link) -> Polarity:
    """What the new report says about the old finding. Any sentence that speaks to it
    and states a concern makes it a concern (Ofsted puts the caveat after the praise);
    otherwise a strength if one does; where all are neutral, the paragraph's balance."""
    evidence = link.evidence or (link.sentence,)
    polarities = {f.polarity for f in evidence}
    if "concern" in polarities:
        return "concern"
    if "strength" in polarities or link.paragraph is None:
        return "strength" if "strength" in polarities else link.sentence.polarity
    others = [f.polarity for f in link.paragraph.findings if f.polarity != "neutral"]
    if not others:
        return "neutral"
    return "concern" if others.count("concern") > len(others) / 2 else "strength"
