"""Tests of diffing.polarity: the rules on hand-written sentences, lexicon validation,
speed, and accuracy on labelled sentences from real Ofsted reports."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the package is not installed when run from a checkout
    sys.path.insert(0, str(ROOT))

from diffing.polarity import (  # noqa: E402
    DEFAULT_CUES_PATH,
    CueLexicon,
    Scores,
    default_cues,
    load_cues,
    polarity,
    score,
)

DATA = Path(__file__).resolve().parent / "data" / "polarity_sentences.yaml"

# Accuracy measured with the bundled lexicon when this test was written:
#   annotation-derived set (66 sentences, Sefton 2016 and Warwickshire 2017): 0.970
#   hand-labelled sets (444 sentences, 15 other reports):                      0.919
#     of which labelled-final (75), labelled after tuning was finished:        0.80 untouched
#       (0.84 now); labelled-fresh (121): 0.79 before its errors were looked at.
#     labelled-blind (276), drawn at random and labelled by readers who never saw the
#       lexicon: 0.906 untouched, 0.917 now.
# The floors leave room for lexicon changes that trade a few sentences for generality;
# expect 0.8 to 0.9 on unseen sentences.
FLOOR_ANNOTATION = 0.90
FLOOR_LABELLED = 0.85
FLOOR_FINAL = 0.75
FLOOR_BLIND = 0.87


@pytest.fixture(scope="module")
def cues() -> CueLexicon:
    return load_cues()


def label(text: str, cues: CueLexicon) -> str:
    return polarity(text, cues)


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "text",
    [
        "Management oversight is inconsistent and supervision is infrequent.",
        "Too many children experience delay in achieving permanence.",
        "There is a lack of management oversight on children's files.",
        "Children's services in Borough require improvement to be good.",
        "Plans are not updated when children's circumstances change.",
        "Caseloads remain high in the assessment teams.",
        "Low attainment of children in care continues to be a cause for concern.",
    ],
)
def test_plain_concern(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "Social workers know their children well.",
        "Strategy meetings are timely and well attended.",
        "Children benefit from effective, child-focused assessments.",
        "Care leavers receive excellent support from skilled personal advisers.",
        "Leaders have a well-established and comprehensive understanding of practice.",
    ],
)
def test_plain_strength(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "strength"


@pytest.mark.parametrize(
    "text",
    [
        "Return home interviews are not always timely.",
        "The response to allegations is not effective.",
        "Supervision is not regular and lacks reflective discussion.",
        "There is no evidence of effective challenge by IROs.",
        "Assessments are not consistently thorough.",
        # a negation reaches a cue coordinated with the one it turns round
        "Plans are not timely and effective.",
        # "less" before a strength
        "Management oversight of day-to-day decisions is less evident.",
        "This delivers less effective joint work to support families.",
    ],
)
def test_negated_strength_is_concern(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "Children are seen without delay.",
        "Assessments are completed promptly, with no delays in allocation.",
        "This helps to reduce drift for children.",
        "The panel ensures that drift in decision-making is minimised.",
        "Children do not experience delay in moving to their permanent homes.",
        "Robust senior manager oversight minimises any drift and delay.",
        "Children experience no gaps or delays in support.",
        "Staff turnover is also steadily reducing.",
        # negated once, not turned again by what the needs are ("addressed")
        "They have swift access to services and no delay in their needs being addressed.",
    ],
)
def test_negated_or_resolved_concern_is_strength(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "strength"


def test_double_negation_keeps_concern(cues: CueLexicon) -> None:
    text = "Leaders have not tackled key weaknesses quickly enough."
    assert label(text, cues) == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "Most children benefit from good support, but a small number wait too long.",
        "Although plans are clear and detailed, some lack timescales.",
        "While the workforce is stable, children experience too many changes of worker.",
        "Social workers feel well supported; however, supervision is not always recorded.",
        "Despite an increase in social work posts, caseloads are too high.",
    ],
)
def test_mixed_sentence_concern_dominates(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "concern"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negation inside a condition ("when", "if") states no shortfall
        ("Children are supported to remain in contact with their family even when they "
         "do not live with them.", "strength"),
        # (and without a cue either way, a practice stated plainly reads as a strength)
        ("Family finding is extended regionally when there is not a match locally.",
         "strength"),
        ("Plans are not updated when circumstances change.", "concern"),
        # nor does a concern the condition supposes
        ("Managers act quickly and decisively when improvement is needed.", "strength"),
        ("When there are delays in assessments, managers take swift and effective action.",
         "strength"),
        # a strength negated inside the condition ("not good enough") is the same
        ("Leaders take swift action when services are not good enough.", "strength"),
        # the finding itself is a concern: the condition does not excuse it
        ("Delays occur when the team is short of staff.", "concern"),
        ("Plans are not updated when risks increase.", "concern"),
    ],
)
def test_what_a_condition_supposes_is_no_shortfall(
        cues: CueLexicon, text: str, expected: str) -> None:
    assert polarity(text, cues) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negation reaches no further than the next coordinated verb
        ("Support is not as timely and is inconsistent.", "concern"),
        ("Plans are not specific and are inconsistent.", "concern"),
        # what is done instead of what should be: the cue after "rather than" is missing
        ("Reviews are often reactive, rather than proactively tracking progress.", "concern"),
        ("Some plans record parental compliance rather than the changes children need.",
         "concern"),
        ("The service works proactively rather than reactively.", "strength"),
        # more or fewer than the authority would wish; able to demonstrate impact
        ("Fewer foster carers are recruited than the council would wish.", "concern"),
        ("The partnership is able to demonstrate challenge to partners.", "strength"),
        ("Early help is not yet able to demonstrate its impact.", "concern"),
        # a remedy verb turns the shortfall it answers round; a time limit is a design
        ("Workers are skilled at identifying and responding to poor home conditions.",
         "strength"),
        ("Targeted, time-limited interventions make a tangible difference.", "strength"),
        ("Clinical advice further enhances the care children receive.", "strength"),
    ],
)
def test_coordination_rather_than_and_wishes(
        cues: CueLexicon, text: str, expected: str) -> None:
    assert polarity(text, cues) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "an area for improvement" is a verdict
        ("Recording of management decisions is an area for improvement.", "concern"),
        # "the areas for improvement" name a list that leaders know or work through
        ("Leaders had already identified the areas for improvement and have appropriate "
         "plans in place.", "strength"),
        ("Leaders' self-evaluation is accurate, and they are aware of the areas for "
         "improvement identified during the inspection.", "strength"),
        # staying on the list, or not addressing it, is the shortfall
        ("Some areas of practice remain as areas for improvement.", "concern"),
        ("Areas for development in relation to the panel have not been addressed.", "concern"),
    ],
)
def test_the_areas_for_improvement_are_a_list_not_a_verdict(
        cues: CueLexicon, text: str, expected: str) -> None:
    assert polarity(text, cues) == expected


def test_a_shortfall_the_sentence_turns_from_is_not_doubled(cues: CueLexicon) -> None:
    # the contrast factor weighs the concern after the marker, not the one before it
    assert polarity("Workloads can vary but are at manageable levels for the vast majority "
                    "of workers.", cues) == "strength"
    assert polarity("Workloads are manageable, but some vary too much.", cues) == "concern"


def test_contrast_does_not_invent_a_concern(cues: CueLexicon) -> None:
    text = "However, they do benefit from effective interventions."
    assert label(text, cues) == "strength"
    # "while" mid-clause is temporal, not a contrast
    s = score("Children are supported well while they are in care.", cues)
    assert s.concern == 0


@pytest.mark.parametrize(
    "text",
    [
        "At 31 March 2016, 1,974 children had been identified as in need of a specialist service.",
        "Approximately 16% of the local authority's children are living in low-income families.",
        "Inspectors considered the quality of work and the difference adults make to the lives "
        "of children.",
        "The director of children's services has been in post since April 2004.",
        "The local authority was judged to require improvement at its previous inspection.",
        "Leeds is the host authority for the regional adoption agency.",
    ],
)
def test_neutral_statistic_method_and_context(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "neutral"


@pytest.mark.parametrize(
    "text, expected",
    [
        # an age is no statistic
        ("Most care leavers aged 18 to 21 live in suitable accommodation.", "strength"),
        ("Young people aged 16 and 17 at risk of homelessness are supported by housing "
         "officers.", "strength"),
        ("Young people can now stay with their carers after the age of 18.", "strength"),
        # a count is
        ("Over 200 arrangements are currently coordinated by the Letterbox service.", "neutral"),
    ],
)
def test_ages_are_not_statistics(cues: CueLexicon, text: str, expected: str) -> None:
    assert polarity(text, cues) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ensure that care leavers receive timely and effective support.",
        "Improve the quality of plans for children in need.",
        "12. Strengthen management oversight of children's plans.",
        "Further develop processes to provide assurance that return interviews are offered.",
    ],
)
def test_recommendations_are_concerns(cues: CueLexicon, text: str) -> None:
    assert label(text, cues) == "concern"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cues added after a survey of neutral sentences in the corpus reports: verdicts
        # that state a concern or a strength without the older cue words.
        ("There is more to be done to embed the model across all partner agencies.", "concern"),
        ("Recruitment of foster carers is a significant challenge for the council.", "concern"),
        ("Recruitment of prospective adopters remains a challenge for the service.", "concern"),
        ("This leaves some young people in situations of continued risk.", "concern"),
        ("The governance of the partnership needs improvement.", "concern"),
        ("Children with special educational needs perform less well than their peers.", "concern"),
        ("Case records are often incomplete and missing-episode data is unreliable.", "concern"),
        ("In total, 58% of care leavers are in education, employment or training, an increase "
         "on last year but much lower than the figure for all young people of 81%.", "concern"),
        ("Staff sickness has impacted on the capacity of the team.", "concern"),
        ("Care leavers don't always know about their entitlements.", "concern"),
        ("Children's physical and emotional health needs are met.", "strength"),
        ("Children live with carers who meet their needs.", "strength"),
        ("Arrangements for privately fostered children promote the safety of children.",
         "strength"),
        ("Sixty per cent of children waited less than 16 months, which is much better than the "
         "national average of 47%.", "strength"),
        ("This has led to a significant decrease in the number of children going missing.",
         "strength"),
        ("This is a significant improvement since the last inspection.", "strength"),
        ("Audits are used to interrogate practice shortfalls and identify trends.", "strength"),
        ("Decisions to remove children from their parents' care are proportionate.", "strength"),
        ("Children come into care when it is in their best interests.", "strength"),
        ("Elected members take their responsibilities as corporate parents seriously.",
         "strength"),
        ("Drift and delay are avoided through timely escalation to pre-proceedings.", "strength"),
        ("Leaders have ensured that children have not experienced changes of social workers.",
         "strength"),
        ("Children's needs are not met.", "concern"),
        ("Children do not experience unnecessary delay in achieving permanence.", "strength"),
        ("There are 586 children and young people looked after by the council.", "neutral"),
    ],
)
def test_survey_cues(cues: CueLexicon, text: str, expected: str) -> None:
    assert label(text, cues) == expected


def test_masks(cues: CueLexicon) -> None:
    # "as well as" and "wellbeing" are not praise; "not in education" is a status
    s = score("Their emotional wellbeing as well as their health is reviewed.", cues)
    assert s.concern == 0 and s.strength == 0
    s = score("The number of care leavers not in education has risen to 40.", cues)
    assert s.concern == 0 and s.strength == 0


def test_hyphen_and_spacing_variants_match(cues: CueLexicon) -> None:
    for text in ("A well-led service.", "A well led service.", "A wellled service."):
        assert score(text, cues).strength > 0


def test_a_sentence_without_any_cue_reads_as_a_strength_as_the_lexicon_says(
        cues: CueLexicon) -> None:
    # inspectors state what works plainly; a number or a neutral cue keeps it neutral
    plain = "Social workers identify children's wishes and feelings."
    assert score(plain, cues) == Scores(0.0, 0.0, 0.0) and label(plain, cues) == "strength"
    assert label("There are 586 children and young people looked after by the council.",
                 cues) == "neutral"
    from dataclasses import replace
    assert label(plain, replace(cues, uncued_strength=0.0)) == "neutral"


def test_empty_and_punctuation_are_neutral(cues: CueLexicon) -> None:
    assert label("", cues) == "neutral"
    assert label(" -- ; () ", cues) == "neutral"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_label(text: str) -> None:
    assert polarity(text, default_cues()) in ("concern", "strength", "neutral")


# --------------------------------------------------------------------------- loading


def test_default_lexicon_loads() -> None:
    lex = load_cues()
    assert lex.source == str(DEFAULT_CUES_PATH)
    assert len(lex.concern) > 50 and len(lex.strength) > 50
    assert default_cues() is default_cues()
    assert load_cues(DEFAULT_CUES_PATH) == lex


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cues.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = "concern:\n  delay*: 1\nstrength:\n  effective: 1\n"


def test_minimal_lexicon(tmp_path: Path) -> None:
    lex = load_cues(_write(tmp_path, MINIMAL))
    assert polarity("Delays persist.", lex) == "concern"
    assert polarity("Practice is effective.", lex) == "strength"
    assert polarity("Practice is not effective.", lex) == "strength"  # no negators listed


PHRASES = """\
concern:
  well*: 1
  not well supported: 2
  drift*: 1
strength:
  well supported: 1
  well supported by managers: 3
neutral:
  wellbeing: 1
imperatives:
  ensure: 1
imperative_prefixes: [recommendations]
"""


def test_phrase_matching_rules(tmp_path: Path) -> None:
    """Longest phrase at a position, a literal before a wildcard of the same words,
    a wildcard extending only the last word, matches not overlapping."""
    lex = load_cues(_write(tmp_path, PHRASES))
    # longest at a position: 3 from the five-word phrase, not 1 from "well supported"
    assert score("Staff are well supported by managers.", lex).strength == 3
    # "wellbeing" is the literal (neutral) phrase, not the wildcard "well*" (concern)
    assert score("Their wellbeing matters.", lex) == Scores(0, 0, 1)
    assert score("Wellness matters.", lex).concern == 1  # the wildcard where no literal fits
    assert score("The plan drifted.", lex).concern == 1
    assert score("They are not well supported.", lex).concern == 2  # one match, not two
    assert score("Drift well supported.", lex) == Scores(1, 1, 0)
    # imperatives open the sentence, after a paragraph number or label at most
    for text in ("Ensure plans are reviewed.", "3. Ensure plans are reviewed.",
                 "Recommendations 1 Ensure plans are reviewed."):
        assert score(text, lex).concern == 1, text
    assert score("Leaders ensure plans are reviewed.", lex).concern == 0


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("concern:\n  delay: high\nstrength:\n  good: 1\n", "concern.delay"),
        ("concern:\n  delay: -1\nstrength:\n  good: 1\n", "concern.delay"),
        ("concern:\n  delay: true\nstrength:\n  good: 1\n", "concern.delay"),
        (MINIMAL + "negators:\n  no: 1\n", "negators.False"),
        (MINIMAL + "praise:\n  good: 1\n", "praise"),
        (MINIMAL + "settings:\n  window: 3\n", "settings.window"),
        (MINIMAL + "settings:\n  negation_window: 2.5\n", "settings.negation_window"),
        (MINIMAL + "masks: as well as\n", "masks"),
        (MINIMAL + "neutral:\n  effective: 1\n", "neutral.effective"),
        (MINIMAL + "masks: [well-being, wellbeing]\n", "masks.wellbeing"),
        (MINIMAL + "masks: ['de*lay']\n", "masks.de*lay"),
        (MINIMAL + "masks: ['--']\n", "masks.--"),
        (MINIMAL + "contrast_clause_initial: [while]\n", "contrast_clause_initial[0]"),
        ("strength:\n  good: 1\n", "concern"),
    ],
)
def test_bad_lexicon_names_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as err:
        load_cues(path)
    assert str(path) in str(err.value)
    assert repr(field) in str(err.value)


def test_bad_yaml_and_top_level(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not valid YAML"):
        load_cues(_write(tmp_path, "concern: [unclosed\n"))
    with pytest.raises(ValueError, match="top level"):
        load_cues(_write(tmp_path, "- a list\n"))


# --------------------------------------------------------------------------- speed


def test_fast_enough_for_a_comparison(cues: CueLexicon) -> None:
    sentences = [item["text"] for item in _labelled()]
    batch = (sentences * (2000 // len(sentences) + 1))[:2000]
    start = time.perf_counter()
    for text in batch:
        polarity(text, cues)
    # about 0.2 s on the development machine; the bound only catches a regression
    assert time.perf_counter() - start < 3.0


# --------------------------------------------------------------------------- accuracy


def _labelled() -> list[dict[str, str]]:
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert isinstance(items, list) and items
    return items


def _accuracy(items: list[dict[str, str]], cues: CueLexicon) -> tuple[float, Counter[tuple]]:
    errors: Counter[tuple] = Counter()
    right = 0
    for item in items:
        got = polarity(item["text"], cues)
        if got == item["polarity"]:
            right += 1
        else:
            errors[(item["polarity"], got)] += 1
    return right / len(items), errors


def test_labelled_set_is_well_formed() -> None:
    items = _labelled()
    assert all(item["polarity"] in ("concern", "strength", "neutral") for item in items)
    assert len({item["text"] for item in items}) == len(items)
    counts = Counter(item["polarity"] for item in items if item["set"] != "annotation")
    assert min(counts.values()) >= 50


def test_accuracy_on_annotation_derived_sentences(cues: CueLexicon) -> None:
    items = [item for item in _labelled() if item["set"] == "annotation"]
    acc, errors = _accuracy(items, cues)
    assert acc >= FLOOR_ANNOTATION, f"accuracy {acc:.3f} on {len(items)}; (gold, got): {errors}"


def test_accuracy_on_hand_labelled_sentences(cues: CueLexicon) -> None:
    items = [item for item in _labelled() if item["set"] != "annotation"]
    acc, errors = _accuracy(items, cues)
    assert acc >= FLOOR_LABELLED, f"accuracy {acc:.3f} on {len(items)}; (gold, got): {errors}"
    final = [item for item in items if item["set"] == "labelled-final"]
    acc_final, errors = _accuracy(final, cues)
    assert acc_final >= FLOOR_FINAL, f"final set {acc_final:.3f}; (gold, got): {errors}"
    blind = [item for item in items if item["set"] == "labelled-blind"]
    acc_blind, errors = _accuracy(blind, cues)
    assert acc_blind >= FLOOR_BLIND, f"blind set {acc_blind:.3f}; (gold, got): {errors}"
