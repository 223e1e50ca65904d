"""Text normalisation shared by the reader, the matcher and the lexicons."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

BULLETS = "\u25fc\u25aa\u25a0\u2022\u25cf\u2023\u2043\uf06e\uf0a7\uf0b7\uf0d8\uf0fc\uf02d\uf076"
"""The glyphs PDF extractions print for a list item's bullet (squares, dots, and the
private-use code points of Wingdings and Symbol bullets)."""

PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
"""A line that is a page's number ("12", "Page 3 of 40")."""

NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$|(?=[A-Z\u2018\u201c]))(.*)$")
"""A line opening with a paragraph's number ("12. Children ...", "12.Children ...", "12."
alone): the number, then the text."""

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


def same_council(name: str | None, other: str | None) -> bool:
    """Whether two names reports give their council may name the same council: the same
    words, or the one the other's opening words ("Newcastle", "Newcastle upon Tyne"). A
    report that names none matches any."""
    if not name or not other:
        return True
    short, long = sorted((fold(name).split(), fold(other).split()), key=len)
    return long[: len(short)] == short


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
    "delays"); on the same words a literal phrase beats a wildcard one. The phrases
    are a trie of words: finding one walks from a word as far as some phrase goes on,
    instead of trying one huge regex alternation at every position (which Python's
    engine would also compile on every run).
    """

    def __init__(self, phrases: dict[str, object]):
        # a node: [value of the phrase ending here or _NONE, {next word: node},
        #          [(beginning, value)] of wildcard last words after it, longest first
        #          (an empty tuple where there are none)];
        # the first phrase given with the same words wins
        self._roots: dict[str, list] = {}
        single: list[tuple[str, object]] = []  # one-word wildcard phrases
        tailed: list[list] = []  # the nodes with wildcard tails, to sort them once filled
        for phrase, value in phrases.items():
            wildcard = phrase.endswith("*")
            words = tuple(phrase.rstrip("*").split())
            if not words:
                continue
            if wildcard and len(words) == 1:
                single.append((words[0], value))
                continue
            path = words[:-1] if wildcard else words
            node = self._roots.get(path[0])
            if node is None:
                node = self._roots[path[0]] = [_NONE, {}, ()]
            for word in path[1:]:
                child = node[1].get(word)
                if child is None:
                    child = node[1][word] = [_NONE, {}, ()]
                node = child
            if not wildcard:
                if node[0] is _NONE:
                    node[0] = value
            elif all(tail != words[-1] for tail, _ in node[2]):
                if not node[2]:
                    node[2] = []
                    tailed.append(node)
                node[2].append((words[-1], value))
        for node in tailed:
            node[2].sort(key=lambda tail: -len(tail[0]))
        # one-word wildcard phrases by their first letters, longest first
        self._head = min([4, *(len(text) for text, _ in single)])
        self._singles: dict[str, list[tuple[str, object]]] = {}
        for text, value in sorted(single, key=lambda item: -len(item[0])):
            heads = self._singles.setdefault(text[:self._head], [])
            if all(other != text for other, _ in heads):
                heads.append((text, value))

    def at(self, words: list[str], i: int) -> tuple[int, object] | None:
        """(end, value) of the longest phrase beginning at word i, or None."""
        node = self._roots.get(words[i])
        found = None
        if node is not None:
            if node[0] is not _NONE:
                found = (i + 1, node[0])
            for j in range(i + 1, len(words)):
                word = words[j]
                child = node[1].get(word)
                if child is not None and child[0] is not _NONE:
                    found = (j + 1, child[0])
                else:
                    for tail, value in node[2]:
                        if word.startswith(tail):
                            found = (j + 1, value)
                            break
                if child is None:
                    break
                node = child
        if found is not None:
            return found
        for text, value in self._singles.get(words[i][:self._head], ()):
            if words[i].startswith(text):
                return i + 1, value
        return None

    def find(self, words: list[str]) -> list[tuple[int, int, object]]:
        """(start, end, value) of non-overlapping matches, left to right."""
        found = []
        by_first, singles, head = self._roots, self._singles, self._head
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
