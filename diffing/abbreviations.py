"""Abbreviations a report defines for itself: "the team around the school (TAS)".

Councils name their own services, and a report spells a name out once, then uses its
initials; the next report may do the opposite. The matcher reads both reports'
definitions and rewrites each abbreviation as its long form, as it does with the
shared vocabulary of mappings/vocabulary.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from diffing.text import fold, tokens

# "... words (ABC)", "(IROs)", "(CiCC)": an abbreviation with at least two capitals
_DEFINED = re.compile(r"\(\s*([A-Z][A-Za-z]{1,7}?)s?\s*\)")
_LINKING = frozenset({"of", "and", "the", "for", "to", "in", "on", "a", "at", "with"})


def _long_form(before: str, initials: str) -> str | None:
    """The words just before a bracketed abbreviation whose initials spell it (with or
    without the linking words: "CiCC", "TAS" for "team around the school")."""
    words = fold(before).split()
    for count in range(2, min(len(words), 2 * len(initials) + 2) + 1):
        chosen = words[-count:]
        if chosen[0] in _LINKING:
            continue
        every = "".join(word[0] for word in chosen)
        content = "".join(word[0] for word in chosen if word not in _LINKING)
        if initials in (every, content):
            return " ".join(chosen)
    return None


def defined(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviation (folded) -> long form (folded) for each one the texts define by
    initials. One that is also an ordinary lower-case word of the texts ("SEND" beside
    "send") or is defined two ways is left alone."""
    texts = list(texts)
    found: dict[str, set[str]] = {}
    for text in texts:
        if "(" not in text:
            continue
        for match in _DEFINED.finditer(text):
            abbreviation = match.group(1)
            if sum(ch.isupper() for ch in abbreviation) < 2:
                continue
            # the words just before the bracket (a long form has at most 2n + 2 words)
            long_form = _long_form(text[max(0, match.start() - 160):match.start()],
                                   abbreviation.lower())
            if long_form:
                found.setdefault(abbreviation.lower(), set()).add(long_form)
    ordinary = {word for text in texts for word in re.findall(r"\b[a-z]{2,8}\b", text)}
    out = {}
    for short, forms in found.items():
        if short in ordinary or len({" ".join(tokens(form)) for form in forms}) > 1:
            continue  # "officer" and "officers" are one form; two names are two
        out[short] = min(forms)
    return out
