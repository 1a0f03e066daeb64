"""The citation check by meaning: hard checks for numbers, names, negation and overstatement, and
the similarity gate (with a deterministic fake embedder; the real one is scored in eval/claims)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.meaning import MeaningChecker, hard_problem, numbers

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
