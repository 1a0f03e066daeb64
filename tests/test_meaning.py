"""The citation check by meaning: hard checks for numbers, names, negation and overstatement, and
the similarity gate (with a deterministic fake embedder; the real one is scored in eval/claims)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.hard_checks import hard_problem, numbers
from assistant.answer.meaning import MeaningChecker

PASSAGE = (
    "Bærum har ~430,000 henvendelser per år innen ulike kanaler, og kun 5 % av disse behandles i dag digitalt. "
    "Kommuner med under 20.000 innbyggere regnes som små kommuner."
)


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("Bærum receives about 430 000 enquiries a year, and only 5 % are handled digitally.", ""),
        ("Bærum får rundt 430.000 henvendelser i året.", ""),
        ("Municipalities with fewer than 20,000 inhabitants count as small.", ""),
        ("Bærum får rundt 530 000 henvendelser i året.", "tallene"),
        ("Lørenskog får rundt 430 000 henvendelser i året.", "Lørenskog"),
        ("Bærum behandler ikke henvendelser digitalt.", "motsatte"),
        ("Bærum får færre henvendelser enn før.", ""),
        ("Rapporten garanterer at Bærum behandler 5 % digitalt.", "mer enn"),
    ],
)
def test_hard_checks(sentence, problem):
    found = hard_problem(sentence, PASSAGE, PASSAGE)
    assert (problem in found) if problem else found == ""


def test_numbers_are_read_in_norwegian_and_english_notation():
    assert {"20000"} <= set().union(*numbers("20.000")) and {"430000"} <= set().union(*numbers("430,000"))
    assert {"0.69"} == set().union(*numbers("0,69"))


def _fake(texts: list[str]) -> np.ndarray:
    """Bag-of-letters vectors: similar spelling, similar vector."""
    out = np.zeros((len(texts), 32), dtype=np.float32)
    for i, t in enumerate(texts):
        for ch in t.lower():
            out[i, ord(ch) % 32] += 1
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_similarity_gate_and_hard_checks_together():
    checker = MeaningChecker(_fake, _fake, threshold=0.9)
    assert checker.supports("Kun 5 % av henvendelsene behandles i dag digitalt.", PASSAGE)
    assert not checker.supports("Skolene trenger bedre trådløst nett og flere lærere.", PASSAGE)  # not similar
    assert not checker.supports("Kun 7 % av henvendelsene behandles i dag digitalt.", PASSAGE)  # number
    judged = checker.judge("Kun 7 % av henvendelsene behandles i dag digitalt.", PASSAGE)
    assert not judged.supported and judged.reason == "tallene står ikke i utdraget"


@pytest.mark.parametrize(
    ("sentence", "closest", "refused"),
    [
        # The passage denies it; the sentence drops the denial.
        (
            "Spørsmålene er testet for statistisk validitet.",
            "Spørsmålene har ikke blitt testet for statistisk validitet.",
            True,
        ),
        ("The report recommends a centralised roll-out.", "En sentralisert utrulling anbefales ikke.", True),
        # A sentence that says the denial in other words is no contradiction.
        ("The municipalities lack a clear strategy.", "Kommunene har ikke en klar strategi.", False),
        # "Ikke overraskende" negates nothing.
        (
            "Drift av systemer er det vanligste samarbeidet.",
            "Ikke overraskende samarbeides det mest om drift av systemer.",
            False,
        ),
        ("IT sin kostnadsandel har økt.", "IT sin kostnadsandel har dermed vært konstant.", True),
    ],
)
def test_negation_and_opposites_against_the_closest_text(sentence, closest, refused):
    assert bool(hard_problem(sentence, closest, closest)) is refused


def test_a_first_word_in_another_spelling_is_no_name():
    passage = "Leveransemodellen bygger på bruk av rammeavtaler der kommunen kan gjøre avrop."
    assert hard_problem("Leverancemodellen bygger på rammeaftaler.", passage, passage) == ""
    assert hard_problem("Horsens bygger på rammeaftaler.", passage, passage) != ""


@pytest.mark.parametrize(
    ("sentence", "passage", "reason"),
    [
        # A number the passage gives for one thing, put on another it also numbers.
        (
            "Samarbeidet gjelder oftest innkjøp (70 %) og drift (55 %).",
            "Det samarbeides mest om drift (70 %) og innkjøp (55 %).",
            "tallene hører til noe annet i utdraget",
        ),
        # A number inside a compound ("femårsprogram") is a number.
        (
            "Danmark gjennomførte et tiårsprogram for felles arkitektur.",
            "Danmark gjennomførte et femårsprogram for felles arkitektur.",
            "tallene står ikke i utdraget",
        ),
        # "nest lavest" is not "lavest".
        (
            "Vestfold har den laveste kostnaden per bruker.",
            "Vestfold har nest lavest kostnad per bruker.",
            "setningen sier mer enn utdraget",
        ),
        # The two sides of a comparison swapped.
        (
            "De små kommunene får mer igjen for pengene enn Hamar.",
            "Hamar får noe mer igjen for pengene enn de små kommunene.",
            "utdraget sier det motsatte",
        ),
        # "uten" negates: "without a joint purchase first" against "a joint purchase is required first".
        (
            "Kommunene kan dele systemene uten felles innkjøp.",
            "Felles innkjøp kreves før kommunene kan dele systemene.",
            "utdraget sier det motsatte",
        ),
        # A short acronym must be a word of the passage, not part of one ("KS" in "tekst").
        (
            "Retningslinjene forvaltes av KS.",
            "Retningslinjene for tekst og arkitektur forvaltes av Difi.",
            "utdraget nevner ikke KS",
        ),
    ],
)
def test_hard_checks_catch_what_similarity_misses(sentence, passage, reason):
    assert hard_problem(sentence, passage, passage) == reason


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        # The same comparison in the same order, and the passage's own acronyms in other languages.
        (
            "Hamar gets somewhat more value for money than the small municipalities.",
            "Hamar får noe mer igjen for pengene enn de små kommunene.",
        ),
        (
            "67 % have assessed which UN goals are relevant.",
            "67 % har vurdert hvilke av FNs bærekraftsmål som er relevante.",
        ),
        ("The gain is about NOK 10 million a year.", "Gevinsten er rundt 10 mnok per år."),
        (
            "The Netherlands has almost four times as many inhabitants.",
            "Nederland har nesten fire ganger så mange innbyggere.",
        ),
    ],
)
def test_hard_checks_let_faithful_sentences_through(sentence, passage):
    assert hard_problem(sentence, passage, passage) == ""


def test_each_sentence_language_gets_its_own_threshold():
    from assistant.answer.meaning import Thresholds

    t = Thresholds(norwegian=0.9, danish=0.85, english=0.8)
    assert t.of("The municipalities should cooperate on procurement.") == 0.8
    assert t.of("Kommunene bør samarbeide om innkjøp av systemer.") == 0.9
    assert t.of("Kommunerne bør samarbejde om indkøb af it-systemer, hvis de vil spare penge.") == 0.85
