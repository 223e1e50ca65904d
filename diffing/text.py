"""Text normalisation shared by the reader, the matcher and the lexicons."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
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


def unspaced(text: str) -> str:
    """fold(text) without its spaces, on which a quote is found in a report: extractions
    of one PDF differ in where words break ("decision-making", "decisionmaking",
    "decision- making"), and a curated quote must find its sentence in all of them."""
    return fold(text).replace(" ", "")


def match_key(text: str) -> str:
    """Tokens joined by single spaces, padded: phrase search is a substring test on it."""
    return " " + " ".join(tokens(text)) + " "


def bracketed_labels(words: Iterable[str], suffix: str = "") -> re.Pattern[str] | None:
    """A pattern for labels in brackets that open with one of `words` (or its plural) and
    a number, optionally ending ", <suffix>": "(outcome 3, national framework)"; None
    when there are no words."""
    openings = "|".join(re.escape(w) for w in words if w.strip())
    if not openings:
        return None
    ending = r"\s+".join(re.escape(w) for w in suffix.split())
    tail = rf"(?:[,:;]\s*{ending}\s*)?" if ending else ""
    return re.compile(rf"\(\s*(?:{openings})s?\s+[a-z0-9]+\s*{tail}\)", re.IGNORECASE)


def without_labels(text: str, labels: re.Pattern[str] | None) -> str:
    """The text without the bracketed labels `labels` (see bracketed_labels) finds."""
    return labels.sub(" ", text) if labels is not None and "(" in text else text


_NONE = object()


class PhraseIndex:
    """Find many multi-word phrases in a word sequence in one pass, longest match first.

    A phrase ending in ``*`` lets its last word take any ending ("delay*" finds
    "delays"); on the same words a literal phrase beats a wildcard one. A dictionary
    from a phrase's first word to its candidates replaces one huge regex alternation,
    which Python's engine would try at every position (and compile on every run).
    """

    def __init__(self, phrases: dict[str, object]):
        # first word -> [(length, {words: value})], longest first; at one length the
        # first phrase given with those words wins
        by_first: dict[str, dict[int, dict[tuple[str, ...], object]]] = {}
        # wildcard phrases of two words or more, by all but their last word: the last
        # word's beginnings, longest first, with their values
        self._tails: dict[tuple[str, ...], list[tuple[str, object]]] = {}
        single: list[tuple[str, object]] = []  # one-word wildcard phrases
        for phrase, value in phrases.items():
            wildcard = phrase.endswith("*")
            words = tuple(phrase.rstrip("*").split())
            if not words:
                continue
            if wildcard and len(words) == 1:
                single.append((words[0], value))
                continue
            candidates = by_first.setdefault(words[0], {}).setdefault(len(words), {})
            if not wildcard:
                candidates.setdefault(words, value)
            else:
                tails = self._tails.setdefault(words[:-1], [])
                if all(tail != words[-1] for tail, _ in tails):
                    tails.append((words[-1], value))
        for tails in self._tails.values():
            tails.sort(key=lambda tail: -len(tail[0]))
        self._by_first = {
            first: sorted(lengths.items(), key=lambda item: -item[0])
            for first, lengths in by_first.items()
        }
        # one-word wildcard phrases by their first letters, longest first
        self._head = min([4, *(len(text) for text, _ in single)])
        self._singles: dict[str, list[tuple[str, object]]] = {}
        for text, value in sorted(single, key=lambda item: -len(item[0])):
            heads = self._singles.setdefault(text[:self._head], [])
            if all(other != text for other, _ in heads):
                heads.append((text, value))

    def at(self, words: list[str], i: int) -> tuple[int, object] | None:
        """(end, value) of the longest phrase beginning at word i, or None."""
        for length, candidates in self._by_first.get(words[i], ()):
            end = i + length
            if end > len(words):
                continue
            key = tuple(words[i:end])
            value = candidates.get(key, _NONE)
            if value is not _NONE:
                return end, value
            last = words[end - 1]
            for tail, value in self._tails.get(key[:-1], ()):
                if last.startswith(tail):
                    return end, value
        for text, value in self._singles.get(words[i][:self._head], ()):
            if words[i].startswith(text):
                return i + 1, value
        return None

    def find(self, words: list[str]) -> list[tuple[int, int, object]]:
        """(start, end, value) of non-overlapping matches, left to right."""
        found = []
        by_first, singles, head = self._by_first, self._singles, self._head
        after = 0  # matches do not overlap: the next may start here
        # only the positions of words that may begin some phrase (a few in a sentence)
        for i in [i for i, word in enumerate(words)
                  if word in by_first or (singles and word[:head] in singles)]:
            if i >= after and (match := self.at(words, i)) is not None:
                found.append((i, *match))
                after = match[0]
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
