"""Text normalisation shared by the reader, the matcher and the lexicons."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

_DROP = str.maketrans({"'": None, "\u2018": None, "\u2019": None, "\u02bc": None, "`": None,
                       "\u2013": " ", "\u2014": " ", "\u2212": " "})


@lru_cache(maxsize=1 << 16)  # the matcher folds the same finding many times
def fold(text: str) -> str:
    """Lowercase ASCII form: accents and apostrophes dropped, other punctuation to spaces.

    "children's" and the damaged "childrens" fold alike; a hyphen separates words
    ("17-year-olds" -> "17 year olds"); mappings/vocabulary.yaml folds the joined
    spellings damaged extractions leave ("decisionmaking").
    """
    text = text.lower().translate(_DROP)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _stemmer():
    # PyStemmer: the Snowball (Porter 2) English stemmer in C, so that
    # "referrals"/"referral" and "exploited"/"exploitation" meet, at about a
    # microsecond a word.
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(token: str) -> str:
    """The Snowball stem of one folded token."""
    return _stemmer().stemWord(token)


def stem_words(words: list[str]) -> list[str]:
    """Snowball stems of folded words."""
    return _stemmer().stemWords(words)


def tokens(text: str) -> list[str]:
    """Stemmed tokens of a text, in order."""
    return _stemmer().stemWords(fold(text).split())


def match_key(text: str) -> str:
    """Tokens joined by single spaces, padded: phrase search is a substring test on it."""
    return " " + " ".join(tokens(text)) + " "


_NONE = object()


class PhraseIndex:
    """Find many multi-word phrases in a word sequence in one pass, longest match first.

    A dictionary from a phrase's first word to its candidates replaces one huge
    regex alternation, which Python's engine would try at every position.
    """

    def __init__(self, phrases: dict[str, object]):
        # first word -> [(length, {words: value})], longest first; at one length the
        # first phrase given with those words wins
        by_first: dict[str, dict[int, dict[tuple[str, ...], object]]] = {}
        for phrase, value in phrases.items():
            words = tuple(phrase.split())
            if words:
                by_first.setdefault(words[0], {}).setdefault(len(words), {}).setdefault(
                    words, value)
        self._by_first = {
            first: sorted(lengths.items(), key=lambda item: -item[0])
            for first, lengths in by_first.items()
        }

    def find(self, words: list[str]) -> list[tuple[int, int, object]]:
        """(start, end, value) of non-overlapping matches, left to right."""
        found = []
        by_first = self._by_first
        n = len(words)
        after = 0  # matches do not overlap: the next may start here
        # only the positions of words that begin some phrase (a few in a sentence)
        for i in [i for i, word in enumerate(words) if word in by_first]:
            if i < after:
                continue
            for length, candidates in by_first[words[i]]:
                end = i + length
                if end > n:
                    continue
                value = candidates.get(tuple(words[i:end]), _NONE)
                if value is not _NONE:
                    found.append((i, end, value))
                    after = end
                    break
        return found

    def replace(self, words: list[str]) -> list[str]:
        """The words with each match replaced by its value's words."""
        out: list[str] = []
        last = 0
        for start, end, value in self.find(words):
            out += words[last:start]
            out += str(value).split()
            last = end
        return out + words[last:]
