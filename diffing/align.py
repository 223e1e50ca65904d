"""Align two reports: score every old finding against every new paragraph, then link.

Evidence for a pair, all computed as whole matrices: TF-IDF cosine over stemmed,
synonym-folded words; the themes both speak to (mappings/themes.yaml); a
rapidfuzz token-set score (``process.cdist``); and the framework crosswalk as a
prior. Weights and thresholds live in mappings/matcher.yaml. Curated pins, when
given, come first and say so in ``matched_by``.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from diffing.abbreviations import defined
from diffing.mappings import Knowledge
from diffing.model import Area, Finding, Report
from diffing.text import PhraseIndex, bracketed_labels, fold, stem_words, unspaced, without_labels


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the newer report: the unit old findings are linked to."""

    block: int
    """Block index of the paragraph in its report."""
    number: int | None
    """The report's own paragraph number, if it numbers paragraphs."""
    area: Area | None
    """Judgement area of its section."""
    findings: tuple[Finding, ...]
    """Its sentences."""


@dataclass(frozen=True)
class Link:
    """An old finding and where the newer report answers it (or that it does not)."""

    old: Finding
    """The old finding."""
    paragraph: Paragraph | None
    """The new paragraph that answers it; None when nothing does (or the answer is a listed
    item rather than a paragraph)."""
    sentence: Finding | None
    """The sentence of that paragraph closest to the old finding."""
    score: float
    """Pair score, 0 to 1 (0 when unlinked)."""
    matched_by: str
    """curated, exact, fuzzy or none."""
    theme: str | None
    """The old finding's main theme."""
    shared_terms: tuple[str, ...]
    """Words and themes both texts share."""
    also: tuple[int, ...]
    """Other new paragraph numbers that also score above the link threshold."""
    evidence: tuple[Finding, ...] = ()
    """The sentences of the paragraph that speak to the old finding (the closest first
    in reading order among them): their polarity decides the status."""


@dataclass(frozen=True)
class BackLink:
    """A new finding no old finding was linked to, and an old finding close to it (a "What
    needs to improve" item may have several back links, one per old finding it carries on)."""

    new: Finding
    """The new finding."""
    old: Finding | None
    """An old finding close to it above the reverse threshold, if any."""
    score: float
    """Pair score (0 when unpaired)."""
    theme: str | None
    """The new finding's main theme."""
    shared_terms: tuple[str, ...]
    """Words and themes both texts share."""
    curated: bool = False
    """Whether a curated pin made this pairing (or left the item unpaired)."""


@dataclass(frozen=True)
class Alignment:
    """What align() returns: every old finding's link and every unlinked new finding."""

    old: Report
    """The older report."""
    new: Report
    """The newer report."""
    links: tuple[Link, ...]
    """One per classifiable old finding, in reading order."""
    back: tuple[BackLink, ...]
    """One per classifiable new finding that no link points at, in reading order."""


@dataclass(frozen=True)
class Pin:
    """A curated pair: the old finding containing ``old_quote`` answers these paragraphs."""

    old_quote: str
    """The old finding's quote, folded and unspaced (text.unspaced)."""
    new_paras: tuple[int, ...]
    """New paragraph numbers; empty when the newer report says nothing."""


@dataclass(frozen=True)
class ItemPin:
    """A curated pairing of a "What needs to improve" item: the item containing
    ``new_quote`` carries on the old finding containing ``old_quote``, or none (new)."""

    new_quote: str
    """The item's quote, folded and unspaced (text.unspaced)."""
    old_quote: str | None
    """The old finding's quote, the same way; None when the item is new."""


def classifiable(finding: Finding) -> bool:
    """Findings that get a status: concerns, strengths, and every listed item."""
    if finding.kind != "finding":
        return True
    return finding.polarity != "neutral" and finding.section_kind != "context"


def paragraphs(report: Report) -> tuple[Paragraph, ...]:
    """The report's paragraphs that can answer an old finding (lists excluded)."""
    groups: dict[int, list[Finding]] = {}
    for finding in report.findings:
        if finding.kind == "finding":
            groups.setdefault(finding.block, []).append(finding)
    paras = [
        Paragraph(block, items[0].paragraph, items[0].area, tuple(items))
        for block, items in groups.items()
    ]
    if any(p.number is not None for p in paras):
        paras = [p for p in paras if p.number is not None]
    return tuple(paras)


class TextIndex:
    """Stemmed, synonym-folded forms of texts and the themes they speak to, as the matcher
    scores them."""

    def __init__(self, knowledge: Knowledge, abbreviations: dict[str, str] | None = None):
        self.knowledge = knowledge
        synonyms = PhraseIndex(dict(knowledge.synonyms))
        if abbreviations:
            # the reports' own abbreviations, spelt out (the shared vocabulary first)
            own = {short: " ".join(synonyms.replace(long.split()))
                   for short, long in abbreviations.items()}
            synonyms = PhraseIndex({**own, **dict(knowledge.synonyms)})
        self._synonyms = synonyms
        self._labels = bracketed_labels(knowledge.label_words, knowledge.label_suffix)
        term_theme: dict[str, set[int]] = {}
        for index, theme in enumerate(knowledge.themes):
            for term in theme.terms:
                term_theme.setdefault(term, set()).add(index)
        self._themes = PhraseIndex(term_theme)
        self._cache: dict[str, list[str]] = {}
        # themes() and content() memoised by the stems list they were given; the list is
        # kept in the value so its id cannot be reused while the memo lives
        self._theme_memo: dict[int, tuple[list[str], set[int]]] = {}
        self._content_memo: dict[int, tuple[list[str], list[str]]] = {}

    def stems(self, text: str) -> list[str]:
        cached = self._cache.get(text)
        if cached is None:
            words = self._synonyms.replace(fold(without_labels(text, self._labels)).split())
            cached = self._cache[text] = stem_words(words)
        return cached

    def themes(self, stems: list[str]) -> set[int]:
        memo = self._theme_memo.get(id(stems))
        if memo is not None and memo[0] is stems:
            return set(memo[1])
        found = set(self.theme_counts(stems))
        self._theme_memo[id(stems)] = (stems, found)
        return set(found)

    def theme_counts(self, stems: list[str]) -> Counter[int]:
        """How many times a text speaks to each of its themes (a term found)."""
        counts: Counter[int] = Counter()
        for _, _, themes in self._themes.find(stems):
            counts.update(themes)
        return counts

    def content(self, stems: list[str]) -> list[str]:
        memo = self._content_memo.get(id(stems))
        if memo is not None and memo[0] is stems:
            return list(memo[1])
        words = [s for s in stems if self._is_content(s)]
        self._content_memo[id(stems)] = (stems, words)
        return list(words)

    def term_words(self, stems: list[str]) -> list[frozenset[str]]:
        """The content words of each theme term a text uses, term by term."""
        return [frozenset(s for s in stems[start:end] if self._is_content(s))
                for start, end, _ in self._themes.find(stems)]

    def _is_content(self, stem: str) -> bool:
        return stem not in self.knowledge.stopwords and not stem.isdigit() and len(stem) > 1

    def words(self, text: str) -> frozenset[str]:
        """A text's content words (stemmed, synonym-folded, no stopwords)."""
        return frozenset(self.content(self.stems(text)))

    def theme_keys(self, text: str) -> frozenset[str]:
        """Keys of the themes a text speaks to."""
        return frozenset(self.knowledge.themes[t].key for t in self.themes(self.stems(text)))


def _tfidf(docs: list[list[str]], idf: dict[str, float], index: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(docs), len(index)), dtype=np.float32)
    rows, cols, counts, weights = [], [], [], []  # one fancy-index assignment, not one per cell
    for row, doc in enumerate(docs):
        for term, count in Counter(doc).items():
            col = index.get(term)
            if col is not None:
                rows.append(row)
                cols.append(col)
                counts.append(count)
                weights.append(idf[term])
    matrix[rows, cols] = (1.0 + np.log(np.array(counts, dtype=np.float64))) * weights
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _bm25(queries: list[list[str]], docs: list[list[str]], idf: dict[str, float],
          index: dict[str, int], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """BM25 of each query against each document, as a share of the query's best possible."""
    if not queries or not docs:
        return np.zeros((len(queries), len(docs)), dtype=np.float32)
    tf = np.zeros((len(index), len(docs)), dtype=np.float32)
    for col, doc in enumerate(docs):
        for term, count in Counter(doc).items():
            tf[index[term], col] = count
    lengths = tf.sum(axis=0)
    average = float(lengths.mean()) or 1.0
    weight = np.array([idf[t] for t in sorted(index, key=index.get)], dtype=np.float32)
    saturation = tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths / average))
    query = np.zeros((len(queries), len(index)), dtype=np.float32)
    for row, words in enumerate(queries):
        for term in set(words):
            query[row, index[term]] = weight[index[term]]
    best = query.sum(axis=1, keepdims=True) * (k1 + 1)
    best[best == 0] = 1.0
    return (query @ saturation) / best


def _theme_matrix(sets: list[set[int]], size: int) -> np.ndarray:
    matrix = np.zeros((len(sets), max(size, 1)), dtype=np.float32)
    for row, found in enumerate(sets):
        for col in found:
            matrix[row, col] = 1.0
    return matrix


def _focus_matrix(counts: list[Counter[int]], size: int) -> np.ndarray:
    """Each row's theme counts as shares of its largest count (1 for its main themes)."""
    matrix = np.zeros((len(counts), max(size, 1)), dtype=np.float32)
    for row, found in enumerate(counts):
        if found:
            top = max(found.values())
            for col, count in found.items():
                matrix[row, col] = count / top
    return matrix


def _theme_score(left: np.ndarray, right: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Share of each left row's (weighted) themes that each right row also has."""
    weighted = left * weight
    total = weighted.sum(axis=1, keepdims=True)
    total[total == 0] = 1.0
    return (weighted @ right.T) / total


def _fuzzy(left: list[str], right: list[str]) -> np.ndarray:
    from rapidfuzz import fuzz, process

    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    if len(right) < len(left):
        # token_set_ratio is symmetric and rapidfuzz prepares each query once: the
        # shorter list as queries is the same matrix in about half the time
        return process.cdist(right, left, scorer=fuzz.token_set_ratio, dtype=np.float32,
                             workers=_workers(len(left) * len(right))).T / 100.0
    return process.cdist(left, right, scorer=fuzz.token_set_ratio, dtype=np.float32,
                         workers=_workers(len(left) * len(right))) / 100.0


def _workers(pairs: int) -> int:
    """rapidfuzz's threads for this many pairs: every core (-1) only where there is enough
    work to pay for starting them (a few milliseconds: a thousand pairs or more)."""
    return -1 if pairs >= 1_000 else 1


_PRUNE = True  # tests set False to check the pruned scores give the same alignment


def _rows_with_ties(values: np.ndarray, top: int = 5) -> list[int]:
    """Rows where two of the `top` largest finite values are equal: there the order the
    best few are ranked in (the link and its also_paragraphs) depends on the rest."""
    ordered = -np.sort(-values, axis=1)[:, :top]
    equal = (ordered[:, 1:] == ordered[:, :-1]) & np.isfinite(ordered[:, 1:])
    return [int(r) for r in np.nonzero(equal.any(axis=1))[0]]


def _fuzzy_where(left: list[str], right: list[str], needed: np.ndarray) -> np.ndarray:
    """_fuzzy's values where `needed` is true, 0 elsewhere (rapidfuzz's pairwise cpdist
    gives the same value for a pair as cdist)."""
    from rapidfuzz import fuzz, process

    out = np.zeros(needed.shape, dtype=np.float32)
    rows, cols = np.nonzero(needed)
    if len(rows):
        out[rows, cols] = process.cpdist([left[i] for i in rows], [right[j] for j in cols],
                                         scorer=fuzz.token_set_ratio, dtype=np.float32,
                                         workers=_workers(len(rows)))
    return out / 100.0


def align(old: Report, new: Report, knowledge: Knowledge,
          pins: tuple[Pin | ItemPin, ...] = ()) -> Alignment:
    """Link each classifiable old finding to the new paragraph that answers it, if any."""
    weights, limits = knowledge.weights, knowledge.thresholds
    # the abbreviations either report spells out ("team around the school (TAS)") are
    # read as their long form in both
    texts = TextIndex(knowledge, defined(f.text for f in (*old.findings, *new.findings)))
    # A curated pin also names a finding the cue lexicon left neutral: a reader said it
    # matters, so it gets a status like any other.
    pinned = _pins_by_finding(old.findings, tuple(p for p in pins if isinstance(p, Pin)))
    olds = [f for f in old.findings if classifiable(f) or f.id in pinned]
    paras = paragraphs(new)
    news = [f for f in new.findings if classifiable(f)]

    old_stems = [texts.stems(f.text) for f in olds]
    para_stems = [[s for f in p.findings for s in texts.stems(f.text)] for p in paras]
    new_stems = [texts.stems(f.text) for f in news]
    sentence_stems = {f.id: texts.stems(f.text) for p in paras for f in p.findings}

    old_words = [texts.content(s) for s in old_stems]
    para_words = [texts.content(s) for s in para_stems]
    new_words = [texts.content(s) for s in new_stems]

    # Document frequency over sentences of both reports: words every paragraph
    # uses ("children", "plans") weigh little, rare shared words weigh a lot.
    corpus = [texts.content(texts.stems(f.text)) for f in (*old.findings, *new.findings)]
    # every word the newer report uses: a theme term of an old finding with a word outside
    # them names something the newer report never does
    vocabulary = set().union(*corpus[len(old.findings):])
    df = Counter(term for doc in corpus for term in set(doc))
    n_docs = len(corpus) + 1
    idf = {term: math.log(n_docs / (count + 1)) + 1.0 for term, count in df.items()}
    index = {term: i for i, term in enumerate(sorted(idf))}
    for doc in (*old_words, *para_words, *new_words):
        for term in doc:
            if term not in index:
                index[term] = len(index)
                idf[term] = math.log(n_docs) + 1.0

    n_themes = len(knowledge.themes)
    old_themes = [texts.themes(s) for s in old_stems]
    # "This means that multi-agency intervention is often too adult-focused": a finding
    # that refers back and names no topic of its own is about what the sentence before
    # it names, so it is matched with that sentence's themes and words as well.
    bare = {row: olds[row] for row, found in enumerate(old_themes) if not found}
    for row, before in _antecedents(old, bare, knowledge.anaphora).items():
        stems = texts.stems(before.text)
        old_themes[row] = texts.themes(stems)
        old_words[row] = old_words[row] + texts.content(stems)
    para_theme_counts = [texts.theme_counts(s) for s in para_stems]
    para_themes = [set(counts) for counts in para_theme_counts]
    new_themes = [texts.themes(s) for s in new_stems]
    theme_df = Counter(t for found in para_themes for t in found)
    theme_weight = np.array(
        [math.log((len(paras) + 1) / (theme_df.get(t, 0) + 1)) + 1.0 for t in range(n_themes)]
        or [1.0], dtype=np.float32)

    old_vec = _tfidf(old_words, idf, index)
    para_vec = _tfidf(para_words, idf, index)
    lexical = old_vec @ para_vec.T
    bm25 = _bm25(old_words, para_words, idf, index)
    # A sentence often leans on its neighbours ("This is particularly evident for
    # children living in neglectful circumstances"): its whole paragraph as context.
    blocks: dict[int, list[str]] = {}
    for finding in old.findings:
        blocks.setdefault(finding.block, []).extend(texts.content(texts.stems(finding.text)))
    # one row per paragraph, then one per old finding (rows are computed independently)
    block_list = sorted({f.block for f in olds})
    block_row = {block: i for i, block in enumerate(block_list)}
    block_vec = _tfidf([blocks.get(block, []) for block in block_list], idf, index)
    context_vec = block_vec[[block_row[f.block] for f in olds]].reshape(len(olds), len(index))
    context = context_vec @ para_vec.T
    # A long paragraph dilutes the one sentence that answers an old finding: score
    # each new sentence too and keep, per paragraph, its best sentence.
    sentence_rows = [f for p in paras for f in p.findings]
    sentence_row = {f.id: i for i, f in enumerate(sentence_rows)}
    if sentence_rows:
        sentence_vec = _tfidf([texts.content(sentence_stems[f.id]) for f in sentence_rows],
                              idf, index)
        starts = np.cumsum([0] + [len(p.findings) for p in paras[:-1]])
        best_sentence = np.maximum.reduceat(old_vec @ sentence_vec.T, starts, axis=1)
    else:
        best_sentence = np.zeros_like(lexical)
    # A paragraph about a theme speaks to it again and again; one that names it in
    # passing, once: the share of the theme score that goes by how much of the
    # paragraph is about each theme (its count against the paragraph's most spoken-of).
    focus = weights["theme_focus"]
    old_theme_matrix = _theme_matrix(old_themes, n_themes)
    para_theme_matrix = _theme_matrix(para_themes, n_themes)
    themes = (1 - focus) * _theme_score(old_theme_matrix, para_theme_matrix, theme_weight)
    if focus:
        themes += focus * _theme_score(old_theme_matrix,
                                       _focus_matrix(para_theme_counts, n_themes), theme_weight)
    prior = _prior_matrix([o.area for o in olds], [p.area for p in paras], knowledge)

    def total(fuzzy: np.ndarray) -> np.ndarray:
        return (weights["lexical"] * lexical + weights["sentence"] * best_sentence
                + weights["bm25"] * bm25 + weights["context"] * context
                + weights["themes"] * themes + weights["fuzzy"] * fuzzy
                + weights["prior"] * prior)

    # The paragraphs each pin names, as columns (none where this extraction lost their
    # numbers: then the matcher decides for the finding, rather than a forced "not reported").
    by_number = {p.number: i for i, p in enumerate(paras) if p.number is not None}
    pin_columns = {fid: [by_number[n] for n in pin.new_paras if n in by_number]
                   for fid, pin in pinned.items()}
    usable = {fid: pin for fid, pin in pinned.items() if pin_columns[fid] or not pin.new_paras}

    fuzzy_texts = ([" ".join(w) for w in old_words], [" ".join(w) for w in para_words])
    if not _PRUNE or weights["fuzzy"] < 0:
        fuzzy = _fuzzy(*fuzzy_texts)
    else:
        # The fuzzy score is the costliest part, and below the link threshold a pair is
        # only ever compared with others, never taken: it is computed where the score
        # could reach the threshold (the same sum with fuzzy 1 bounds it from above,
        # float rounding included), and in full for rows whose pairs are all looked at.
        needed = total(np.ones_like(lexical)) >= limits["link"]
        # a pinned finding's score is that of its pin's paragraphs
        for r, f in enumerate(olds):
            if f.id in usable:
                needed[r, pin_columns[f.id]] = True
        fuzzy = _fuzzy_where(*fuzzy_texts, needed)
        # Equal scores among a row's best: how argsort ranks the next best paragraphs
        # (also_paragraphs) then rests on the whole row, so compute it all.
        tied = _rows_with_ties(np.where(needed, total(fuzzy), -np.inf))
        if tied:
            fuzzy[tied] = _fuzzy([fuzzy_texts[0][r] for r in tied], fuzzy_texts[1])
    score = total(fuzzy)
    shares_theme = (old_theme_matrix @ para_theme_matrix.T) > 0

    para_of = {f.id: p for p in paras for f in p.findings}
    # Evidence of absence in the reports' structure: a finding of the older report's
    # review of the local safeguarding board, where the newer report reviews no board
    # (ILACS reports and letters do not), and one about an area the older report judges
    # and the newer one neither judges nor gives a section (ILACS judges no adoption
    # performance), are answered only by a sentence that speaks to them directly, as for
    # a theme the newer report never mentions.
    unreviewed = not any(section.kind == "lscb" for section in new.sections)
    judged = {g.area for g in new.grades} | {s.area for s in new.sections if s.area}
    unjudged = {g.area for g in old.grades} - judged if new.grades else set()
    # Tier 1: the same words in both reports (a re-extraction, a report compared
    # with itself, a recommendation repeated verbatim) pair before any scoring.
    verbatim = _verbatim(news)
    links = []
    for row, finding in enumerate(olds):
        main_theme = _main_theme(old_themes[row], theme_weight, knowledge)
        pin = usable.get(finding.id)
        same = _same(finding, verbatim) if pin is None else None
        if same is not None:
            links.append(Link(finding, para_of.get(same.id), same, 1.0, "exact", main_theme,
                              (), ()))
            continue
        if pin is not None:
            targets = pin_columns[finding.id]
            if not targets:
                links.append(Link(finding, None, None, 0.0, "curated", main_theme, (), ()))
                continue
            col = targets[0]  # the curator lists the paragraph that answers it first
            matched_by = "curated"
            also = tuple(paras[c].number for c in targets if c != col)
        else:
            if not len(paras):
                links.append(Link(finding, None, None, 0.0, "none", main_theme, (), ()))
                continue
            # A shared theme is not enough on its own: the paragraph must also use some of
            # the finding's own words (BM25 at least `words_floor` of its best).
            floor = limits["words_floor"]
            col = int(np.argmax(np.where(bm25[row] >= floor, score[row], -1.0)))
            best = float(score[row, col])
            # Evidence of absence (the finding's most specific theme appears nowhere in
            # the newer report, or the part of the older report it comes from has no
            # counterpart there): only plain words in common can link it.
            absent = (any(theme_df.get(t, 0) == 0
                          for t in _specific(old_themes[row], theme_weight))
                      or finding.area in unjudged
                      or (unreviewed and finding.section_kind == "lscb"))
            # Weaker evidence: a theme term of the finding has a word the newer report
            # never uses ("chronologies", "health passport", "permanent exclusions"),
            # though its theme is there: the closest sentence must still share some of
            # the finding's words.
            needed = (limits["absent_theme"] if absent
                      else limits["absent_term"]
                      if any(words - vocabulary for words in texts.term_words(old_stems[row]))
                      else 0.0)
            linked = (
                best >= limits["link"] and bm25[row, col] >= floor
                and (shares_theme[row, col]
                     or best_sentence[row, col] >= limits["lexical_alone"])
                and best_sentence[row, col] >= needed
            )
            if not linked:
                links.append(Link(finding, None, None, 0.0, "none", main_theme, (), ()))
                continue
            matched_by = "fuzzy"
            also = tuple(
                paras[c].number for c in np.argsort(-score[row])[1:4]
                if score[row, c] >= max(limits["link"], best - 0.05) and paras[c].number
                and bm25[row, c] >= floor
            )
        paragraph = paras[col]
        # the rows _best_sentences would build: the old finding's and its sentences'
        rows = np.concatenate((old_vec[row:row + 1],
                               sentence_vec[[sentence_row[f.id] for f in paragraph.findings]]))
        sentence, evidence = _best_sentences(old_words[row], old_themes[row], paragraph,
                                             sentence_stems, texts, idf, index,
                                             limits["evidence_share"], rows)
        shared = _shared(old_words[row], para_words[col], old_themes[row] & para_themes[col],
                         knowledge)
        links.append(Link(finding, paragraph, sentence, _unit(score[row, col]),
                          matched_by, main_theme, shared, also, evidence))

    answered = {link.sentence.id for link in links if link.sentence is not None}
    carried = _carried(news, new_words, new_themes, olds, old_themes, links, paras,
                       sentence_vec, starts, idf, index) if sentence_rows else {}
    items = _item_pins(news, olds, tuple(p for p in pins if isinstance(p, ItemPin)))
    back = _back_links(news, new_words, new_themes, olds, old_words, old_themes, answered,
                       idf, index, theme_weight, knowledge, old_vec, carried, items)
    return Alignment(old, new, tuple(links), back)


def _prior_matrix(rows: list[Area | None], cols: list[Area | None], knowledge: Knowledge,
                  swap: bool = False) -> np.ndarray:
    """_prior for every (row, column) pair of areas (swap: rows are the new side), as a
    lookup into the small table of distinct areas."""
    kinds = sorted({*rows, *cols}, key=str)
    code = {area: i for i, area in enumerate(kinds)}
    table = np.array([[_prior(b, a, knowledge) if swap else _prior(a, b, knowledge)
                       for b in kinds] for a in kinds], dtype=np.float32)
    return table[np.ix_([code[a] for a in rows], [code[b] for b in cols])].reshape(
        len(rows), len(cols))


def _unit(value) -> float:
    """A pair score as reported: the weighted sum, capped at 1 (weights may sum past 1)."""
    return round(min(1.0, max(0.0, float(value))), 4)


def _verbatim(findings) -> dict[tuple[str, str], Finding]:
    """Findings by (kind, folded text) and by ("", folded text), first occurrence kept."""
    index: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = fold(finding.text)
        index.setdefault((finding.kind, key), finding)
        index.setdefault(("", key), finding)
    return index


def _same(finding: Finding, verbatim: dict[tuple[str, str], Finding]) -> Finding | None:
    """The finding with the same words in the other report, of the same kind if any."""
    key = fold(finding.text)
    return verbatim.get((finding.kind, key)) or verbatim.get(("", key))


def _prior(old_area: Area | None, new_area: Area | None, knowledge: Knowledge) -> float:
    if old_area is None or new_area is None:
        return 0.5
    return 1.0 if new_area in knowledge.crosswalk.get(old_area, (old_area,)) else 0.0


def _specific(found: set[int], weight: np.ndarray) -> list[int]:
    """The finding's most specific themes: those of the highest weight it has."""
    if not found:
        return []
    top = max(weight[t] for t in found)
    return [t for t in found if weight[t] >= top - 1e-6]


def _main_theme(found: set[int], weight: np.ndarray, knowledge: Knowledge) -> str | None:
    if not found:
        return None
    best = max(sorted(found), key=lambda t: weight[t])
    return knowledge.themes[best].key


def _antecedents(report: Report, findings: dict[int, Finding],
                 anaphora: frozenset[str]) -> dict[int, Finding]:
    """Of the findings given by row, each that opens with a word referring back
    (knowledge.anaphora), with the sentence before it in its paragraph."""
    if not anaphora or not findings:
        return {}
    before: dict[str, Finding | None] = {}
    last: dict[int, Finding] = {}
    for finding in report.findings:
        before[finding.id] = last.get(finding.block)
        last[finding.block] = finding
    out = {}
    for row, finding in findings.items():
        opening = fold(finding.text).split()[:1]
        previous = before.get(finding.id)
        if opening and opening[0] in anaphora and previous is not None:
            out[row] = previous
    return out


def _pins_by_finding(findings, pins: tuple[Pin, ...]) -> dict[str, Pin]:
    """Each finding whose text holds a pin's quote, with the first such pin. The quotes
    are looked for in all the texts at once (joined by a character no text has), as a
    loop over pins for each finding costs several milliseconds a report."""
    if not pins:
        return {}
    texts = [unspaced(f.text) for f in findings]
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    joined = "\0".join(texts)
    pinned: dict[str, Pin] = {}
    for pin in pins:
        if not pin.old_quote:
            continue
        at = joined.find(pin.old_quote)
        while at != -1:
            finding = findings[bisect.bisect_right(starts, at) - 1]
            pinned.setdefault(finding.id, pin)
            at = joined.find(pin.old_quote, at + 1)
    return pinned


def _item_pins(news, olds, pins: tuple[ItemPin, ...]) -> dict[int, int | None]:
    """For each listed item an item pin names, the row in `olds` it carries on (None: it is
    new), by the index of the item in `news`. A pin whose old finding this reading does
    not classify leaves the item to the matcher."""
    if not pins:
        return {}
    old_texts = [unspaced(f.text) for f in olds]
    pinned: dict[int, int | None] = {}
    for i, finding in enumerate(news):
        if finding.kind == "finding":
            continue
        text = unspaced(finding.text)
        pin = next((p for p in pins if p.new_quote and p.new_quote in text), None)
        if pin is None:
            continue
        if pin.old_quote is None:
            pinned[i] = None
            continue
        row = next((r for r, t in enumerate(old_texts) if pin.old_quote in t), None)
        if row is not None:
            pinned[i] = row
    return pinned


def _best_sentences(words, found, paragraph, sentence_stems, texts, idf, index, share,
                    rows=None):
    """The sentence of the paragraph that speaks most directly to the old finding, and
    every sentence that speaks to it nearly as directly (at least `share` of the best)."""
    candidates = list(paragraph.findings)
    if rows is None:
        docs = [texts.content(sentence_stems[f.id]) for f in candidates]
        rows = _tfidf([words, *docs], idf, index)
    vec = rows
    lexical = vec[1:] @ vec[0]
    scores = []
    for i, f in enumerate(candidates):
        overlap = len(found & texts.themes(sentence_stems[f.id])) / (len(found) or 1)
        scores.append(float(lexical[i]) + 0.5 * overlap)
    best = int(np.argmax(scores))
    close = tuple(f for f, value in zip(candidates, scores, strict=True)
                  if value > 0 and value >= share * scores[best])
    return candidates[best], close or (candidates[best],)


def coverage(words, other, idf: dict[str, float]) -> float:
    """Share of a text's word weight (IDF) that another text also has."""
    present = set(other)
    total = sum(idf.get(w, 1.0) for w in set(words)) or 1.0
    return sum(idf.get(w, 1.0) for w in set(words) if w in present) / total


def _shared(left: list[str], right: list[str], themes: set[int], knowledge: Knowledge):
    common = sorted(set(left) & set(right), key=lambda t: (-len(t), t))[:6]
    labels = sorted(knowledge.themes[t].key for t in themes)[:3]
    return tuple(labels + common)


def _carried(news, new_words, new_themes, olds, old_themes, links, paras, sentence_vec,
             starts, idf, index) -> dict[int, list[int]]:
    """For each "What needs to improve" item, the old concerns it carries on through the
    newer report's own paragraph on its topic: those linked to the paragraph that speaks
    most directly to the item, where that paragraph still finds a concern, and that share
    a theme with the item (rows of `olds`, by the index of the item in `news`)."""
    listed = [i for i, f in enumerate(news) if f.kind != "finding"]
    if not listed or not olds:
        return {}
    closest = np.maximum.reduceat(
        _tfidf([new_words[i] for i in listed], idf, index) @ sentence_vec.T, starts, axis=1)
    column = {p.block: c for c, p in enumerate(paras)}
    landed = [column[link.paragraph.block] if link.paragraph is not None
              and olds[row].stance == "concern"
              and any(e.stance == "concern" for e in link.evidence) else -1
              for row, link in enumerate(links)]
    carried = {}
    for r, i in enumerate(listed):
        if closest[r].max() <= 0:
            continue
        best = set(np.flatnonzero(closest[r] == closest[r].max()).tolist())
        carried[i] = [row for row, col in enumerate(landed)
                      if col in best and new_themes[i] & old_themes[row]]
    return carried


def _back_links(news, new_words, new_themes, olds, old_words, old_themes, answered,
                idf, index, theme_weight, knowledge, old_vec,
                carried: dict[int, list[int]],
                items: dict[int, int | None]) -> tuple[BackLink, ...]:
    """Pair each unanswered new finding with its closest old finding, when close enough."""
    rows = [i for i, f in enumerate(news) if f.id not in answered]
    if not rows:
        return ()
    weights, limits = knowledge.weights, knowledge.thresholds
    n_themes = len(knowledge.themes)
    score = np.zeros((len(rows), len(olds)), dtype=np.float32)
    if olds:
        new_vec = _tfidf([new_words[i] for i in rows], idf, index)
        lexical = new_vec @ old_vec.T
        left = _theme_matrix([new_themes[i] for i in rows], n_themes)
        right = _theme_matrix(old_themes, n_themes)
        themes = _theme_score(left, right, theme_weight)
        prior = _prior_matrix([news[i].area for i in rows], [o.area for o in olds], knowledge,
                              swap=True)
        # sentence against sentence: every lexical part of the forward score is one here
        lexical_weight = sum(weights[k] for k in ("lexical", "sentence", "bm25", "context"))
        # A "What needs to improve" item is the newer framework's recommendation:
        # where one answers an old recommendation, prefer that pairing.
        item = np.array([news[i].kind != "finding" for i in rows])  # listed items' rows
        listed = np.outer(item, [o.kind != "finding" for o in olds]).astype(np.float32)
        listed = listed.reshape(len(rows), len(olds))
        # Only a pair at or above `reverse` is taken, so the fuzzy score (at most 1, the
        # costliest part) is computed only where it could lift a pair that high: the same
        # sum with fuzzy 1 bounds the score from above, float rounding included.
        upper = (lexical_weight * lexical + weights["themes"] * themes
                 + weights["fuzzy"] * np.ones_like(lexical) + weights["prior"] * prior
                 + weights["listed"] * listed)
        needed = upper >= limits["reverse"] if _PRUNE else np.ones_like(upper, bool)
        for r, i in enumerate(rows):  # carried concerns are ranked by their score
            needed[r, carried.get(i, [])] = True
            if items.get(i) is not None:  # a curated pairing reports its score
                needed[r, items[i]] = True
        fuzzy = _fuzzy_where([" ".join(new_words[i]) for i in rows],
                             [" ".join(w) for w in old_words], needed)
        score = (lexical_weight * lexical + weights["themes"] * themes
                 + weights["fuzzy"] * fuzzy + weights["prior"] * prior
                 + weights["listed"] * listed)
        # A pair must share a theme, as forward links must; a "What needs to improve"
        # item may instead share plain words (`lexical_alone`), as a sentence of a
        # paragraph may forward: an item names its topic in a few words that often name
        # no theme ("The consistency of responses to care leavers"), where a new finding
        # that shares no theme is mostly a generic one ("This is a strength.").
        shares = ((left @ right.T) > 0) | (item[:, None] & (lexical >= limits["lexical_alone"]))
    out = []
    verbatim = _verbatim(olds)
    for r, i in enumerate(rows):
        finding = news[i]
        theme = _main_theme(new_themes[i], theme_weight, knowledge)
        pinned = items.get(i)
        if pinned is None and i in items:  # curated as new: paired with nothing
            out.append(BackLink(finding, None, 0.0, theme, (), curated=True))
            continue
        if pinned is not None:  # the curated pairing first; the matcher may add others
            shared = _shared(new_words[i], old_words[pinned],
                             new_themes[i] & old_themes[pinned], knowledge)
            out.append(BackLink(finding, olds[pinned], _unit(score[r, pinned]), theme, shared,
                                curated=True))
        same = _same(finding, verbatim)
        if same is not None:  # the same words in the older report, as in the forward tier
            if pinned is None or olds[pinned] is not same:
                out.append(BackLink(finding, same, 1.0, theme, ()))
            continue
        if olds:
            # the closest old findings that share a theme and cover enough of the new
            # one's words (the top scorer alone may fail on coverage)
            cols = [int(c) for c in np.argsort(-score[r], kind="stable")[:5]
                    if score[r, c] >= limits["reverse"] and shares[r, c]
                    and coverage(new_words[i], old_words[c], idf) >= limits["reverse_coverage"]]
            # A new finding is paired with the closest of them. A "What needs to improve"
            # item is often a heading over several shortfalls ("assessments, plans and
            # managerial oversight"): it is also paired with each other old concern among
            # them, as it carries each on.
            if finding.kind == "finding":
                cols = cols[:1]
            else:
                cols = cols[:1] + [c for c in cols[1:] if olds[c].stance == "concern"]
                # and with the old concerns its topic's paragraph carries on, closest first
                more = sorted((c for c in carried.get(i, ()) if c not in cols),
                              key=lambda c: (-score[r, c], c))
                cols += more[:int(limits["carried"])]
            cols = [c for c in cols if c != pinned]
            for col in cols:
                shared = _shared(new_words[i], old_words[col], new_themes[i] & old_themes[col],
                                 knowledge)
                out.append(BackLink(finding, olds[col], _unit(score[r, col]), theme,
                                    shared))
            if cols:
                continue
        if pinned is None:
            out.append(BackLink(finding, None, 0.0, theme, ()))
    return tuple(out)
