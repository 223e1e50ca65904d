"""Sentence polarity: does a report sentence state a concern, a strength, or neither?

The status of a finding depends on it (an old concern met by a new strength is
``improved``; an old strength met by a new concern is ``regressed``), so this is a
small, transparent rule system driven by the cue lexicon ``mappings/cues.yaml``,
whose header documents the format and the decision rule:

* weighted cue phrases for ``concern``, ``strength`` and ``neutral``;
* negators that flip a following cue within a few words ("not effective",
  "no delay", "reduces drift"), and resolvers that flip a preceding concern
  ("drift is minimised");
* contrast markers ("but", "however", "although") that let the concern win a
  mixed sentence, as it does in Ofsted's idiom;
* imperative openings ("Ensure that ...", "Improve ...") that mark recommendations.

Matching runs on :func:`diffing.text.fold` text at word boundaries, without
stemming (a phrase may end in ``*`` to allow any ending of its last word). Each
phrase list compiles to one prefix-factorised regex (a trie), so a sentence
costs a handful of regex scans per clause: well under a millisecond.

Public API: :func:`load_cues` -> :class:`CueLexicon`; :func:`polarity` (the
label); :func:`score` (the three scores behind it, for inspection and tests);
:func:`default_cues` (the bundled lexicon, loaded once).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal

import yaml

from diffing.text import fold

Polarity = Literal["concern", "strength", "neutral"]

DEFAULT_CUES_PATH = Path(__file__).resolve().parent.parent / "mappings" / "cues.yaml"

_WEIGHTED_SECTIONS = ("concern", "strength", "neutral", "negators", "contrast", "imperatives")
_LIST_SECTIONS = ("masks", "negation_stops", "resolvers", "contrast_clause_initial",
                  "subordinate")
_REQUIRED_SECTIONS = ("concern", "strength")
# Kinds sharing the main phrase set; a phrase may belong to one of them only.
_CUE_KINDS = ("concern", "strength", "neutral", "masks", "contrast")

_DEFAULT_SETTINGS: dict[str, float] = {
    "negation_window": 3,
    "contrast_factor": 2.0,
    "subordinate_factor": 0.5,
    "concern_ratio": 0.6,
    "min_score": 0.5,
    "number_weight": 0.5,
    "number_cap": 1.0,
}

# Clause boundaries in the raw sentence: commas, semicolons, colons, brackets,
# dashes between words. Negation and resolution do not reach across them.
_CLAUSE_SPLIT = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s|[\u2013\u2014]")
_NUMBER = re.compile(r"(?<![a-z0-9])\d+(?![a-z0-9])")
# What may precede an imperative at the start of a sentence: paragraph numbers, the
# "Recommendation(s)" labels some extractions glue on, and "Further" ("Further develop ...").
_IMPERATIVE_PREFIX = r"^(?:(?:\d+|recommendations?|further)\s)*"
_WORD_CHARS = "[a-z0-9]"
_END, _WILD = "<end>", "<wild>"  # trie node flags (never single characters)


@dataclass(frozen=True)
class Scores:
    """The evidence behind a polarity label."""

    concern: float
    strength: float
    neutral: float


# --------------------------------------------------------------------------- phrase sets


class _PhraseSet:
    """Folded phrases compiled to one trie regex, with the payload of each phrase.

    ``finditer`` yields ``(start, end, payload)`` for non-overlapping matches,
    leftmost first and, at one position, longest first. A phrase ending in ``*``
    matches any ending of its last word; a literal phrase beats a wildcard one on
    the same text ("wellbeing" the mask over "well*" the strength cue).
    """

    __slots__ = ("regex", "_literal", "_wild")

    def __init__(self, entries: Sequence[tuple[str, bool, Any]], prefix: str = "") -> None:
        self._literal: dict[str, Any] = {}
        self._wild: dict[str, Any] = {}
        trie: dict[str, Any] = {}
        for text, wildcard, payload in entries:
            (self._wild if wildcard else self._literal).setdefault(text, payload)
            node = trie
            for ch in text:
                node = node.setdefault(ch, {})
            node[_WILD if wildcard else _END] = True
        body = _render(trie) if entries else "(?!)"
        self.regex = re.compile(prefix + r"(?<![a-z0-9])(" + body + r")(?![a-z0-9])")

    def payload(self, text: str) -> Any:
        if text in self._literal:
            return self._literal[text]
        floor = text.rfind(" ") + 1  # the wildcard extends the last word only
        for k in range(len(text), floor, -1):
            if text[:k] in self._wild:
                return self._wild[text[:k]]
        raise KeyError(text)  # pragma: no cover - the regex only matches known phrases

    def finditer(self, folded: str) -> Iterator[tuple[int, int, Any]]:
        for m in self.regex.finditer(folded):
            yield m.start(1), m.end(1), self.payload(m.group(1))

    def match(self, folded: str) -> Any | None:
        m = self.regex.match(folded)
        return None if m is None else self.payload(m.group(1))


def _render(node: dict[str, Any]) -> str:
    """Regex for a character trie: longer continuations first, so the longest phrase wins."""
    branches = [
        re.escape(ch) + _render(child)
        for ch, child in sorted(node.items())
        if ch not in (_END, _WILD)
    ]
    if node.get(_WILD):
        branches.append(_WORD_CHARS + "*")
    optional = bool(node.get(_END))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    if len(branches) == 1 and not optional:
        return body
    return body + ("?" if optional else "")


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class CueLexicon:
    """A validated, compiled cue lexicon. Build it with :func:`load_cues`."""

    source: str
    """File the lexicon was read from (for messages)."""
    concern: tuple[tuple[str, float], ...]
    strength: tuple[tuple[str, float], ...]
    neutral: tuple[tuple[str, float], ...]
    masks: tuple[str, ...]
    negators: tuple[tuple[str, float], ...]
    negation_stops: tuple[str, ...]
    resolvers: tuple[str, ...]
    contrast: tuple[tuple[str, float], ...]
    contrast_clause_initial: tuple[str, ...]
    imperatives: tuple[tuple[str, float], ...]
    negation_window: int
    contrast_factor: float
    subordinate_factor: float
    concern_ratio: float
    min_score: float
    number_weight: float
    number_cap: float
    # Compiled forms, derived from the fields above.
    _cues: _PhraseSet = field(repr=False, compare=False)
    _negators: _PhraseSet = field(repr=False, compare=False)
    _stops: _PhraseSet = field(repr=False, compare=False)
    _resolvers: _PhraseSet = field(repr=False, compare=False)
    _imperatives: _PhraseSet = field(repr=False, compare=False)
    _initial_only: frozenset[str] = field(repr=False, compare=False)
    _subordinate: tuple[str, ...] = field(repr=False, compare=False, default=())


def _fail(source: str, where: str, message: str) -> ValueError:
    return ValueError(f"{source}: field {where!r}: {message}")


def _variants(phrase: str, source: str, where: str) -> list[tuple[str, bool]]:
    """Folded forms of a natural-form phrase, each with its wildcard flag.

    A trailing "*" lets the last word take any ending. A phrase with in-word
    hyphens also gets the joined form ("well-led": "well led", "wellled"), since
    extraction sometimes joins such words.
    """
    text = phrase.strip()
    wildcard = text.endswith("*")
    body = text.rstrip("*")
    if "*" in body:
        raise _fail(source, where, "'*' is allowed only at the end of a phrase")
    if wildcard and not re.search(r"[A-Za-z0-9]$", body):
        raise _fail(source, where, "'*' must directly follow a letter or digit")
    forms = {fold(body)}
    if re.search(r"\w-\w", body):
        # fold() turns the hyphen into a space; damaged text joins the words
        forms.add(fold(re.sub(r"(?<=\w)-(?=\w)", "", body)))
    forms.discard("")
    if not forms:
        raise _fail(source, where, "phrase has no letters or digits")
    return [(form, wildcard) for form in sorted(forms)]


def _weighted(raw: Any, name: str, source: str) -> tuple[tuple[str, float], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise _fail(source, name, f"expected a mapping of phrase: weight, got {type(raw).__name__}")
    out = []
    for phrase, weight in raw.items():
        where = f"{name}.{phrase}"
        if not isinstance(phrase, str) or not phrase.strip():
            raise _fail(
                source, where, "phrase must be a non-empty string (quote YAML words like no, on)"
            )
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise _fail(source, where, f"weight must be a number, got {weight!r}")
        if weight < 0:
            raise _fail(source, where, f"weight must be >= 0, got {weight!r}")
        out.append((phrase.strip(), float(weight)))
    return tuple(out)


def _strings(raw: Any, name: str, source: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(source, name, f"expected a list of phrases, got {type(raw).__name__}")
    out = []
    for i, phrase in enumerate(raw):
        if not isinstance(phrase, str) or not phrase.strip():
            raise _fail(
                source, f"{name}[{i}]", f"phrase must be a non-empty string, got {phrase!r}"
            )
        out.append(phrase.strip())
    return tuple(out)


def _settings(raw: Any, source: str) -> dict[str, float]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _fail(source, "settings", f"expected a mapping, got {type(raw).__name__}")
    values = dict(_DEFAULT_SETTINGS)
    for key, value in raw.items():
        where = f"settings.{key}"
        if key not in _DEFAULT_SETTINGS:
            raise _fail(source, where, f"unknown setting (known: {', '.join(_DEFAULT_SETTINGS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise _fail(source, where, f"must be a non-negative number, got {value!r}")
        if key == "negation_window" and int(value) != value:
            raise _fail(source, where, f"must be a whole number, got {value!r}")
        values[key] = value
    return values


def _phrase_set(
    items: Sequence[tuple[str, Any]], name: str, source: str, prefix: str = ""
) -> _PhraseSet:
    """Compile ``(phrase, payload)`` items; ``name`` labels errors (a section name)."""
    entries = []
    for phrase, payload in items:
        where = f"{payload[0] if name == 'cues' else name}.{phrase}"
        for form, wildcard in _variants(phrase, source, where):
            entries.append((form, wildcard, payload))
    return _PhraseSet(entries, prefix)


def load_cues(path: Path | None = None) -> CueLexicon:
    """Read, validate and compile a cue lexicon (default: the bundled ``mappings/cues.yaml``).

    Raises ``ValueError`` naming the file and the field when the data is malformed.
    """
    path = Path(path) if path is not None else DEFAULT_CUES_PATH
    source = str(path)
    try:
        # libyaml's safe loader where present: the pure-Python one takes a quarter second
        safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=safe)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping of sections at top level")
    known = set(_WEIGHTED_SECTIONS) | set(_LIST_SECTIONS) | {"settings"}
    for key in data:
        if key not in known:
            raise _fail(source, str(key), f"unknown section (known: {', '.join(sorted(known))})")
    for key in _REQUIRED_SECTIONS:
        if not data.get(key):
            raise _fail(source, key, "section is required and must not be empty")

    weighted = {name: _weighted(data.get(name), name, source) for name in _WEIGHTED_SECTIONS}
    lists = {name: _strings(data.get(name), name, source) for name in _LIST_SECTIONS}
    settings = _settings(data.get("settings"), source)

    # Main phrase set: concern, strength, neutral, masks, contrast; payload (kind, weight).
    cue_items: list[tuple[str, tuple[str, float]]] = []
    seen: dict[str, str] = {}
    for kind in _CUE_KINDS:
        items = [(p, 0.0) for p in lists["masks"]] if kind == "masks" else weighted[kind]
        for phrase, weight in items:
            key = phrase.lower()
            if key in seen:
                raise _fail(source, f"{kind}.{phrase}", f"phrase also listed under {seen[key]!r}")
            seen[key] = kind
            cue_items.append((phrase, (kind, weight)))
    # Phrases must stay distinct after folding, too ("well-being" and "wellbeing").
    folded: dict[str, str] = {}
    for phrase, (kind, _) in cue_items:
        for form, wildcard in _variants(phrase, source, f"{kind}.{phrase}"):
            key = form + ("*" if wildcard else "")
            if key in folded and folded[key] != phrase:
                raise _fail(source, f"{kind}.{phrase}", f"folds to the same as {folded[key]!r}")
            folded[key] = phrase
    for i, phrase in enumerate(lists["contrast_clause_initial"]):
        if seen.get(phrase.lower()) != "contrast":
            where = f"contrast_clause_initial[{i}]"
            raise _fail(source, where, f"{phrase!r} is not listed under 'contrast'")

    return CueLexicon(
        source=source,
        concern=weighted["concern"],
        strength=weighted["strength"],
        neutral=weighted["neutral"],
        masks=lists["masks"],
        negators=weighted["negators"],
        negation_stops=lists["negation_stops"],
        resolvers=lists["resolvers"],
        contrast=weighted["contrast"],
        contrast_clause_initial=lists["contrast_clause_initial"],
        imperatives=weighted["imperatives"],
        negation_window=int(settings["negation_window"]),
        contrast_factor=float(settings["contrast_factor"]),
        subordinate_factor=float(settings["subordinate_factor"]),
        concern_ratio=float(settings["concern_ratio"]),
        min_score=float(settings["min_score"]),
        number_weight=float(settings["number_weight"]),
        number_cap=float(settings["number_cap"]),
        _cues=_phrase_set(cue_items, "cues", source),
        _negators=_phrase_set(weighted["negators"], "negators", source),
        _stops=_phrase_set([(p, None) for p in lists["negation_stops"]], "negation_stops", source),
        _resolvers=_phrase_set([(p, None) for p in lists["resolvers"]], "resolvers", source),
        _imperatives=_phrase_set(
            weighted["imperatives"], "imperatives", source, prefix=_IMPERATIVE_PREFIX
        ),
        _initial_only=frozenset(fold(p) for p in lists["contrast_clause_initial"]),
        _subordinate=tuple(f"{fold(p)} " for p in lists["subordinate"]),
    )


@lru_cache(maxsize=1)
def default_cues() -> CueLexicon:
    """The bundled lexicon, loaded once per process."""
    return load_cues()


# --------------------------------------------------------------------------- scoring


def _spaces(text: str) -> list[int]:
    """Offsets of the spaces in a text, in order."""
    offsets = list(accumulate([len(part) + 1 for part in text.split(" ")], initial=-1))
    return offsets[1:-1]


def score(text: str, cues: CueLexicon) -> Scores:
    """Concern, strength and neutral scores of a sentence (see ``cues.yaml`` for the rule)."""
    concern = strength = neutral = 0.0
    concern_cues = 0.0  # concern cue weight, subject to the contrast factor
    contrast = False
    numbers = 0
    window = cues.negation_window

    imperative = cues._imperatives.match(fold(text))
    if imperative is not None:
        concern += imperative

    for clause in _CLAUSE_SPLIT.split(text):
        folded = fold(clause)
        if not folded:
            continue
        numbers += len(_NUMBER.findall(folded))
        spaces = _spaces(folded)
        # A clause opened by "although", "despite", "when"... is subordinate: the
        # main clause carries the sentence ("fit for purpose, although they could
        # be more explicit"; "although thresholds are clear, they are not applied").
        opening = re.sub(r"^(?:and|or|so|but) ", "", f"{folded} ")
        subordinate = opening.startswith(cues._subordinate) if cues._subordinate else False
        factor = cues.subordinate_factor if subordinate else 1.0

        def token(offset: int, spaces: list[int] = spaces) -> int:
            return bisect_left(spaces, offset)

        # Cues: (first token, last token, kind, weight); contrast markers score at once.
        cues_found: list[tuple[int, int, str, float]] = []
        covered: dict[int, str] = {}  # token -> kind of the cue covering it
        for start, end, (kind, weight) in cues._cues.finditer(folded):
            first, last = token(start), token(end - 1)
            if kind == "contrast":
                if subordinate and first == 0:
                    continue
                if first == 0 or folded[start:end] not in cues._initial_only:
                    contrast = True
                    concern += weight
                continue
            cues_found.append((first, last, kind, weight))
            for t in range(first, last + 1):
                covered[t] = kind

        # Negators outside masks and neutral phrases:
        # [first, last, weight, inside (kind of the cue around it), used, consumed].
        negs: list[list[Any]] = []
        for start, end, weight in cues._negators.finditer(folded):
            first = token(start)
            inside = covered.get(first)
            if inside not in ("masks", "neutral"):
                negs.append([first, token(end - 1), weight, inside, False, False])
        stops = [token(start) for start, _, _ in cues._stops.finditer(folded)]
        resolvers = [
            token(start)
            for start, _, _ in cues._resolvers.finditer(folded)
            if covered.get(token(start)) not in ("masks", "neutral")
        ]

        for first, last, kind, weight in cues_found:
            if kind == "masks" or weight == 0:
                continue
            if kind == "neutral":
                neutral += weight
                continue
            # A negator reaches the nearest cue after it, within the window and clause.
            scope = [
                n
                for n in negs
                if not n[5]
                # a remedy verb (weight 0: "addresses", "responded to") turns a concern
                # round ("addresses delay") but never a strength ("responded to swiftly")
                and (kind == "concern" or n[2] > 0)
                and n[1] < first
                and first - n[1] - 1 <= window
                and not any(n[1] < t < first for t in stops)
            ]
            for n in scope:
                n[5] = True
            flips = len(scope)
            if kind == "concern":
                # "drift ... is minimised", unless negated in between ("has not reduced").
                for r in resolvers:
                    if (
                        last < r
                        and r - last - 1 <= window
                        and not any(last < n[0] and n[1] < r for n in negs)
                        and not any(last < t < r for t in stops)
                    ):
                        flips += 1
                        break
            flipped = flips % 2 == 1
            if flipped and kind == "concern":
                for n in scope:
                    n[4] = True  # this negator turned a concern into a strength
            if (kind == "concern") != flipped:
                concern_cues += weight * factor
            else:
                strength += weight * factor

        # A bare negation states a shortfall ("plans are not updated"), unless in a
        # subordinate clause ("and when they are not, ...").
        for _first, _last, weight, inside, used, _consumed in negs:
            if inside is None and not used and not subordinate:
                concern += weight

    concern += concern_cues * (cues.contrast_factor if contrast else 1.0)
    neutral += min(cues.number_cap, numbers * cues.number_weight)
    return Scores(concern=concern, strength=strength, neutral=neutral)


def polarity(text: str, cues: CueLexicon) -> Polarity:
    """``concern``, ``strength`` or ``neutral`` for one sentence (or list item)."""
    s = score(text, cues)
    top = max(s.concern, s.strength)
    if top < cues.min_score or s.neutral > top:
        return "neutral"
    if s.concern >= cues.concern_ratio * s.strength:
        return "concern"
    return "strength"

