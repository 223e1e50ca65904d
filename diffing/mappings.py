"""Load and validate the YAML under mappings/: the domain knowledge the engine reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from diffing.errors import InputError
from diffing.model import AREAS, GRADES, Area, Framework, Grade, SectionKind
from diffing.text import fold

_SECTION_KINDS = {"summary", "recommendations", "improvements", "findings", "lscb", "context"}
_FRAMEWORKS = {"sif", "sif-reinspection", "ilacs", "focused-visit"}


def mappings_dir() -> Path:
    """The folder holding the bundled YAML (inside the installed package)."""
    return Path(str(resources.files("mappings")))


def load_yaml(path: Path) -> Any:
    """Parse one YAML file safely; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror})") from None
    try:
        # libyaml's C loader where present: the pure-Python one takes a second
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(str(path), f"{where}invalid YAML ({problem})") from None


def _need(cond: bool, path: Path, field: str, problem: str) -> None:
    if not cond:
        raise InputError(str(path), f"field {field}: {problem}")


@dataclass(frozen=True)
class SectionRule:
    """A known heading and what its section holds."""

    heading: str
    """The heading, folded."""
    kind: SectionKind
    """Kind of the section it opens."""
    area: Area | None
    """Judgement area, where the heading names one."""


@dataclass(frozen=True, eq=False)  # one object a file (load_frameworks caches it): hashed
class Frameworks:                   # by identity, so what is derived from it can be cached
    """What mappings/frameworks.yaml says: detection, grade labels, headings, crosswalk."""

    opening_chars: int
    """How much of a report's opening text framework detection reads."""
    title_chars: int
    """How much of the folded opening holds the title (and a letter's address block)."""
    detect: tuple[tuple[Framework, tuple[str, ...], tuple[str, ...]], ...]
    """(framework, title phrases, confirming phrases), in order of precedence."""
    grade_words: tuple[tuple[str, Grade], ...]
    """(folded phrase, grade), longest phrase first."""
    joiners: tuple[str, ...]
    """Words allowed between a grade label and its grade."""
    grade_labels: tuple[tuple[Area, str], ...]
    """(area, folded label) pairs."""
    sections: tuple[SectionRule, ...]
    """Known headings."""
    crosswalk: dict[Area, tuple[Area, ...]]
    """Old area to the new areas that may answer it."""
    back_matter: tuple[str, ...]
    """Folded openings of the back page (licence, contacts): the report ends before them."""
    letter_start: tuple[str, ...]
    """Folded openings of a letter's salutation: an address block ends there."""
    letter_end: tuple[str, ...]
    """Folded openings of a letter's sign-off: the letter ends there."""
    other_publications: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(name, folded title phrases) of publications that are not inspections it reads."""


@cache
def load_frameworks(path: Path | None = None) -> Frameworks:
    """Read and validate frameworks.yaml (the bundled one by default)."""
    path = path or mappings_dir() / "frameworks.yaml"
    data = load_yaml(path)
    _need(isinstance(data, dict), path, "(top)", "must be a mapping")
    detect = []
    for i, rule in enumerate(data.get("detect") or []):
        _need(rule.get("framework") in _FRAMEWORKS, path, f"detect[{i}].framework",
              f"must be one of {sorted(_FRAMEWORKS)}")
        titles = tuple(fold(t) for t in rule.get("title") or [])
        _need(bool(titles), path, f"detect[{i}].title", "needs at least one phrase")
        detect.append((rule["framework"], titles, tuple(fold(t) for t in rule.get("also") or [])))
    others = []
    for i, rule in enumerate(data.get("other_publications") or []):
        titles = tuple(fold(t) for t in rule.get("title") or [])
        _need(bool(rule.get("name")) and bool(titles), path, f"other_publications[{i}]",
              "needs a name and at least one title phrase")
        others.append((str(rule["name"]), titles))
    words = []
    for grade, phrases in (data.get("grade_words") or {}).items():
        _need(grade in GRADES, path, f"grade_words.{grade}", f"must be one of {list(GRADES)}")
        words += [(fold(p), grade) for p in phrases]
    words.sort(key=lambda pair: -len(pair[0]))
    labels = []
    for area, phrases in (data.get("grades") or {}).items():
        _need(area in AREAS, path, f"grades.{area}", f"must be one of {list(AREAS)}")
        labels += [(area, fold(p.replace("{authority}", "AUTHORITY"))) for p in phrases]
    sections = []
    for i, rule in enumerate(data.get("sections") or []):
        _need(rule.get("kind") in _SECTION_KINDS, path, f"sections[{i}].kind",
              f"must be one of {sorted(_SECTION_KINDS)}")
        _need(rule.get("area") in (None, *AREAS), path, f"sections[{i}].area", "unknown area")
        sections.append(SectionRule(fold(rule["heading"]), rule["kind"], rule.get("area")))
    crosswalk = {}
    for area, targets in (data.get("crosswalk") or {}).items():
        _need(area in AREAS and all(t in AREAS for t in targets), path, f"crosswalk.{area}",
              "unknown area")
        crosswalk[area] = tuple(targets)
    return Frameworks(
        opening_chars=int(data.get("opening_chars", 5000)),
        title_chars=int(data.get("title_chars", 700)),
        detect=tuple(detect),
        grade_words=tuple(words),
        joiners=tuple(fold(j) for j in data.get("joiners") or []),
        grade_labels=tuple(labels),
        sections=tuple(sections),
        crosswalk=crosswalk,
        back_matter=tuple(fold(p) for p in data.get("back_matter") or []),
        letter_start=tuple(fold(p) for p in data.get("letter_start") or []),
        letter_end=tuple(fold(p) for p in data.get("letter_end") or []),
        other_publications=tuple(others),
    )


@lru_cache(maxsize=256)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, ordered)) + r")(?![a-z0-9])")


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of the folded phrases at word boundaries, longest first."""
    return _compiled(tuple(phrases))


@dataclass(frozen=True)
class Theme:
    """A topic of children's social care, with its wording in both frameworks."""

    key: str
    """Theme id, e.g. "front-door"."""
    label: str
    """Readable name."""
    areas: tuple[Area, ...]
    """Judgement areas where the theme is usually reported."""
    terms: tuple[str, ...]
    """Terms as stemmed match keys (space-joined stems)."""


@dataclass(frozen=True)
class Knowledge:
    """Everything the matcher reads from mappings/: themes, synonyms, weights, crosswalk."""

    themes: tuple[Theme, ...]
    """The theme taxonomy."""
    synonyms: tuple[tuple[str, str], ...]
    """(folded variant, folded canonical form), longest variant first."""
    weights: dict[str, float]
    """Weights of the pair score's parts: lexical, themes, fuzzy, prior."""
    thresholds: dict[str, float]
    """Decision thresholds: link, lexical_alone, reverse."""
    stopwords: frozenset[str]
    """Stemmed words left out before scoring."""
    crosswalk: dict[Area, tuple[Area, ...]]
    """Old area to the new areas that may answer it."""
    label_words: tuple[str, ...] = ()
    """Words opening a bracketed label the matcher leaves out ("(outcome 3, ...)")."""
    label_suffix: str = ""
    """The words that may close such a label ("national framework")."""
    anaphora: frozenset[str] = frozenset()
    """Folded words that, opening a sentence, refer back to the sentence before it."""


def _themes(path: Path) -> tuple[Theme, ...]:
    from diffing.text import tokens

    themes = []
    for key, body in _theme_entries(path).items():
        _need(isinstance(body, dict), path, f"themes.{key}", "must be a mapping")
        terms = body.get("terms") or []
        _need(isinstance(terms, list) and all(isinstance(t, str) for t in terms), path,
              f"themes.{key}.terms", "must be a list of phrases")
        areas = tuple(body.get("areas") or ())
        _need(all(a in AREAS for a in areas), path, f"themes.{key}.areas", "unknown area")
        keys = tuple(sorted({" ".join(words) for words in map(tokens, terms) if words}))
        themes.append(Theme(str(key), str(body.get("label", key)), areas, keys))
    return tuple(themes)


def theme_labels(folder: Path | None = None) -> dict[str, str]:
    """Each theme's readable name by key: what a renderer needs of themes.yaml, without
    the work of preparing its terms for matching."""
    return {str(key): str(body.get("label", key)) if isinstance(body, dict) else str(key)
            for key, body in _theme_entries((folder or mappings_dir()) / "themes.yaml").items()}


def _theme_entries(path: Path) -> dict[Any, Any]:
    """themes.yaml's mapping of theme key to theme, as written."""
    data = load_yaml(path)
    _need(isinstance(data, dict) and isinstance(data.get("themes"), dict), path, "themes",
          "must be a mapping of theme id to theme")
    return data["themes"]


def _synonyms(path: Path) -> tuple[tuple[str, str], ...]:
    data = load_yaml(path)
    _need(isinstance(data, dict) and isinstance(data.get("synonyms"), dict), path, "synonyms",
          "must be a mapping of canonical form to variants")
    pairs = []
    for canonical, variants in data["synonyms"].items():
        _need(isinstance(variants, list), path, f"synonyms.{canonical}", "must list variants")
        pairs += [(fold(v), fold(str(canonical))) for v in variants if fold(v)]
    pairs.sort(key=lambda pair: -len(pair[0]))
    return tuple(pairs)


@cache
def load_knowledge(folder: Path | None = None) -> Knowledge:
    """Read themes.yaml, vocabulary.yaml, matcher.yaml and the crosswalk, validated."""
    from diffing.text import tokens

    folder = folder or mappings_dir()
    settings = load_yaml(folder / "matcher.yaml")
    _need(isinstance(settings, dict), folder / "matcher.yaml", "(top)", "must be a mapping")
    weights = {k: float(v) for k, v in (settings.get("weights") or {}).items()}
    thresholds = {k: float(v) for k, v in (settings.get("thresholds") or {}).items()}
    for name in ("lexical", "sentence", "bm25", "context", "themes", "theme_focus", "fuzzy",
                 "prior", "listed"):
        _need(name in weights, folder / "matcher.yaml", f"weights.{name}", "missing")
    for name in ("link", "lexical_alone", "reverse", "reverse_coverage",
                 "evidence_share", "absent_theme", "absent_term", "words_floor",
                 "carried"):
        _need(name in thresholds, folder / "matcher.yaml", f"thresholds.{name}", "missing")
    stop = frozenset(t for word in settings.get("stopwords") or [] for t in tokens(str(word)))
    labels = settings.get("bracketed_labels") or {}
    _need(isinstance(labels, dict), folder / "matcher.yaml", "bracketed_labels",
          "must be a mapping of words and suffix")
    anaphora = settings.get("anaphora") or []
    _need(isinstance(anaphora, list) and all(isinstance(w, str) for w in anaphora),
          folder / "matcher.yaml", "anaphora", "must be a list of words")
    vocabulary = folder / "vocabulary.yaml"
    return Knowledge(
        themes=_themes(folder / "themes.yaml"),
        synonyms=_synonyms(vocabulary) if vocabulary.exists() else (),
        weights=weights,
        thresholds=thresholds,
        stopwords=stop,
        crosswalk=load_frameworks(folder / "frameworks.yaml").crosswalk,
        label_words=tuple(str(w) for w in labels.get("words") or ()),
        label_suffix=str(labels.get("suffix") or ""),
        anaphora=frozenset(fold(w) for w in anaphora if fold(w)),
    )
