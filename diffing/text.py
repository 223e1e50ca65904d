"""Text normalisation shared by the reader, the matcher and the lexicons."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_WORD_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011\u00ad\ufffe](?=\w)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Light suffix stripping: enough to fold plurals and common verb forms so that
# "referrals"/"referral" and "exploited"/"exploitation" meet, without a stemmer
# dependency. Order matters: longest suffix first.
_SUFFIXES = (
    ("ations", "ate"),
    ("ation", "ate"),
    ("ities", "ity"),
    ("ness", ""),
    ("ments", "ment"),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
)


def fold(text: str) -> str:
    """Lowercase ASCII form: accents dropped, apostrophes and in-word hyphens removed.

    "decision-making" and the damaged "decisionmaking" fold to the same string,
    as do "children's" and "childrens".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.lower())
    text = _WORD_HYPHEN.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


def stem(token: str) -> str:
    """A crude stem of one folded token."""
    if len(token) <= 4 or token.isdigit():
        return token
    for suffix, replacement in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            if suffix == "s" and token.endswith(("ss", "us", "is")):
                return token
            return token[: len(token) - len(suffix)] + replacement
    return token


def tokens(text: str) -> list[str]:
    """Stemmed tokens of a text, in order."""
    return [stem(tok) for tok in fold(text).split()]


def match_key(text: str) -> str:
    """Tokens joined by single spaces, padded: phrase search is a substring test on it."""
    return " " + " ".join(tokens(text)) + " "
