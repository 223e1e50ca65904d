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
stemming (a phrase may end in ``*`` to allow any ending of its last word). Phrases
are found with :class:`diffing.text.PhraseIndex`, dictionaries keyed by a phrase's first
word, as the matcher finds theme terms: loading the lexicon compiles nothing and a
sentence costs a few dictionary lookups per word.

Public API: :func:`load_cues` -> :class:`CueLexicon`; :func:`polarity` (the
label); :func:`score` (the three scores behind it, for inspection and tests);
:func:`default_cues` (the bundled lexicon, loaded once).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from diffing.text import PhraseIndex, fold

Polarity = Literal["concern", "strength", "neutral"]

DEFAULT_CUES_PATH = Path(__file__).resolve().parent.parent / "mappings" / "cues.yaml"

_WEIGHTED_SECTIONS = ("concern", "strength", "neutral", "negators", "contrast", "imperatives")
_LIST_SECTIONS = ("masks", "negation_stops", "resolvers", "contrast_clause_initial",
                  "subordinate", "conditions", "imperative_prefixes", "age_words")
_REQUIRED_SECTIONS = ("concern", "strength")
# Kinds sharing the main phrase set; a phrase may belong to one of them only.
_CUE_KINDS = ("concern", "strength", "neutral", "masks", "contrast")

_DEFAULT_SETTINGS: dict[str, float] = {
    "negation_window": 3,
    "contrast_factor": 2.0,
    "subordinate_factor": 0.5,
    "condition_factor": 0.5,
    "concern_ratio": 0.6,
    "min_score": 0.5,
    "number_weight": 0.5,
    "number_cap": 1.0,
    "uncued_strength": 0.0,
}

# Clause boundaries in the raw sentence: commas, semicolons, colons, brackets,
# dashes between words. Negation and resolution do not reach across them.
_CLAUSE_SPLIT = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s|[\u2013\u2014]")
_JOINER = re.compile(r"^(?:and|or|so|but) ")  # before a subordinate clause's opening


_BETWEEN_AGE_AND_NUMBER = frozenset(("and", "to", "or", "of", "the"))


def _statistics(words: list[str], age_words: frozenset[str]) -> int:
    """How many of the words are numbers other than ages ("aged 16 and 17", "at the age
    of 18": an age word, then numbers and joining words)."""
    count = 0
    age = False  # whether the words since the last age word lead up to an age
    for word in words:
        if word in age_words:
            age = True
        elif word.isdigit():
            count += not age
        elif word not in _BETWEEN_AGE_AND_NUMBER:
            age = False
    return count


@dataclass(frozen=True)
class Scores:
    """The evidence behind a polarity label."""

    concern: float
    strength: float
    neutral: float


# --------------------------------------------------------------------------- phrase sets


def _imperative(phrases: PhraseIndex, prefixes: frozenset[str], words: list[str]) -> float | None:
    """The weight of an imperative opening the sentence, after any paragraph numbers and
    `prefixes` words (a "Recommendation" label, "Further"); None if none."""
    start = 0
    while start < len(words) and (words[start].isdigit() or words[start] in prefixes):
        start += 1
    for i in range(min(start, len(words) - 1), -1, -1):  # a greedy prefix backs off
        if (match := phrases.at(words, i)) is not None:
            return match[1]
    return None


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
    condition_factor: float
    concern_ratio: float
    min_score: float
    number_weight: float
    number_cap: float
    uncued_strength: float
    # Compiled forms, derived from the fields above.
    _cues: PhraseIndex = field(repr=False, compare=False)
    _negators: PhraseIndex = field(repr=False, compare=False)
    _stops: PhraseIndex = field(repr=False, compare=False)
    _resolvers: PhraseIndex = field(repr=False, compare=False)
    _imperatives: PhraseIndex = field(repr=False, compare=False)
    _initial_only: frozenset[str] = field(repr=False, compare=False)
    _subordinate: tuple[str, ...] = field(repr=False, compare=False)
    _conditions: PhraseIndex = field(repr=False, compare=False)
    _imperative_prefixes: frozenset[str] = field(repr=False, compare=False)
    _age_words: frozenset[str] = field(repr=False, compare=False)


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


def _phrase_set(items: Sequence[tuple[str, Any]], name: str, source: str) -> PhraseIndex:
    """Index ``(phrase, payload)`` items; ``name`` labels errors (a section name)."""
    entries: dict[str, Any] = {}
    for phrase, payload in items:
        where = f"{payload[0] if name == 'cues' else name}.{phrase}"
        for form, wildcard in _variants(phrase, source, where):
            entries.setdefault(form + "*" if wildcard else form, payload)
    return PhraseIndex(entries)


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
        condition_factor=float(settings["condition_factor"]),
        concern_ratio=float(settings["concern_ratio"]),
        min_score=float(settings["min_score"]),
        number_weight=float(settings["number_weight"]),
        number_cap=float(settings["number_cap"]),
        uncued_strength=float(settings["uncued_strength"]),
        _cues=_phrase_set(cue_items, "cues", source),
        _negators=_phrase_set(weighted["negators"], "negators", source),
        _stops=_phrase_set([(p, None) for p in lists["negation_stops"]], "negation_stops", source),
        _resolvers=_phrase_set([(p, None) for p in lists["resolvers"]], "resolvers", source),
        _imperatives=_phrase_set(weighted["imperatives"], "imperatives", source),
        _initial_only=frozenset(fold(p) for p in lists["contrast_clause_initial"]),
        _subordinate=tuple(f"{fold(p)} " for p in lists["subordinate"]),
        _conditions=_phrase_set([(p, None) for p in lists["conditions"]], "conditions", source),
        _imperative_prefixes=frozenset(fold(p) for p in lists["imperative_prefixes"]),
        _age_words=frozenset(fold(p) for p in lists["age_words"]),
    )


@lru_cache(maxsize=1)
def default_cues() -> CueLexicon:
    """The bundled lexicon, loaded once per process."""
    return load_cues()


# --------------------------------------------------------------------------- scoring


def score(text: str, cues: CueLexicon) -> Scores:
    """Concern, strength and neutral scores of a sentence (see ``cues.yaml`` for the rule)."""
    concern = strength = neutral = 0.0
    concern_cues = 0.0  # concern cue weight after a contrast marker, subject to its factor
    before_contrast = 0.0  # concern cue weight before the first contrast marker
    contrast = False
    marker = (0, 0)  # (clause, token) of the first contrast marker
    numbers = 0
    window = cues.negation_window

    imperative = _imperative(cues._imperatives, cues._imperative_prefixes, fold(text).split(" "))
    if imperative is not None:
        concern += imperative

    for clause_no, clause in enumerate(_CLAUSE_SPLIT.split(text)):
        folded = fold(clause)
        if not folded:
            continue
        words = folded.split(" ")
        # an age is no statistic: "Most care leavers aged 18 to 21 live in suitable homes"
        numbers += _statistics(words, cues._age_words)
        # A clause opened by "although", "despite", "when"... is subordinate: the
        # main clause carries the sentence ("fit for purpose, although they could
        # be more explicit"; "although thresholds are clear, they are not applied").
        opening = _JOINER.sub("", f"{folded} ")
        subordinate = opening.startswith(cues._subordinate)  # False for an empty list
        factor = cues.subordinate_factor if subordinate else 1.0

        # Cues: (first token, last token, kind, weight); contrast markers score at once.
        cues_found: list[tuple[int, int, str, float]] = []
        covered: dict[int, str] = {}  # token -> kind of the cue covering it
        for first, end, (kind, weight) in cues._cues.find(words):
            last = end - 1
            if kind == "contrast":
                if subordinate and first == 0:
                    continue
                if first == 0 or " ".join(words[first:last + 1]) not in cues._initial_only:
                    if not contrast:
                        marker = (clause_no, first)
                    contrast = True
                    concern += weight
                continue
            cues_found.append((first, last, kind, weight))
            for t in range(first, last + 1):
                covered[t] = kind

        # Negators outside masks and neutral phrases:
        # [first, last, weight, inside (kind of the cue around it), used, consumed].
        negs: list[list[Any]] = []
        for first, end, weight in cues._negators.find(words):
            last = end - 1
            inside = covered.get(first)
            if inside not in ("masks", "neutral"):
                negs.append([first, last, weight, inside, False, False])
        # stops bound negators and resolvers; resolvers follow concern cues (looked for
        # only where a clause has what they act on)
        concerns = any(kind == "concern" for _, _, kind, _ in cues_found)
        stops = [first for first, _, _ in cues._stops.find(words)] \
            if negs or concerns else []
        resolvers = [
            first
            for first, _, _ in cues._resolvers.find(words)
            if covered.get(first) not in ("masks", "neutral")
        ] if concerns else []

        # a concern after "when" or "if" is a circumstance the sentence supposes, not a
        # shortfall it finds ("leaders act quickly when improvement is needed")
        conditions = [first for first, _, _ in cues._conditions.find(words)] \
            if cues_found or negs else []
        previous: tuple[int, str, bool] | None = None  # last cue: last token, kind, negated
        for first, last, kind, weight in cues_found:
            if kind == "masks" or weight == 0:
                continue
            if kind == "neutral":
                neutral += weight
                continue
            # "minimises drift and delay", "no gaps or delays": a negation reaches a cue
            # coordinated with the one it turned round
            coordinated = (previous is not None and previous[1] == kind and previous[2]
                       and first == previous[0] + 2 and words[previous[0] + 1] in ("and", "or"))
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
            if coordinated and not scope:
                flips += 1
            previous = (last, kind, flips % 2 == 1)
            if kind == "concern" and not scope:
                # "drift ... is minimised", unless negated in between ("has not reduced");
                # a concern a negator already turned round is not turned again ("no delay
                # in their needs being addressed": it is the needs that are addressed)
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
                if any(t < first for t in conditions):
                    weight *= cues.condition_factor
                if contrast and (clause_no, first) > marker:
                    concern_cues += weight * factor
                else:
                    # a shortfall the sentence then turns from ("Workloads can vary but are
                    # at manageable levels"), or one with no contrast at all, counts once;
                    # the contrast factor is for what follows the marker
                    before_contrast += weight * factor
            else:
                strength += weight * factor

        # A bare negation states a shortfall ("plans are not updated"), unless in a
        # subordinate clause ("and when they are not, ...") or after a word opening a
        # condition or relative clause ("in contact with their family even when they
        # do not live with them").
        for first, _last, weight, inside, used, _consumed in negs:
            if inside is None and not used and not subordinate \
                    and not any(t < first for t in conditions):
                concern += weight

    concern += before_contrast + concern_cues * cues.contrast_factor
    neutral += min(cues.number_cap, numbers * cues.number_weight)
    return Scores(concern=concern, strength=strength, neutral=neutral)


def opens_with_imperative(text: str, cues: CueLexicon) -> bool:
    """Whether the text opens as a recommendation does ("Ensure that ...", "Improve ..."):
    with one of the lexicon's imperatives."""
    return _imperative(cues._imperatives, cues._imperative_prefixes,
                       fold(text).split(" ")) is not None


def polarity(text: str, cues: CueLexicon) -> Polarity:
    """``concern``, ``strength`` or ``neutral`` for one sentence (or list item)."""
    s = score(text, cues)
    if not (s.concern or s.strength or s.neutral) and re.search(r"[A-Za-z]{3}", text):
        # no cue at all: a report states what works plainly ("Social workers identify
        # children's wishes and feelings"); settings.uncued_strength says how it reads
        s = Scores(concern=0.0, strength=cues.uncued_strength, neutral=0.0)
    top = max(s.concern, s.strength)
    if top < cues.min_score or s.neutral > top:
        return "neutral"
    if s.concern >= cues.concern_ratio * s.strength:
        return "concern"
    return "strength"

