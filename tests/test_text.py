"""The shared text facts (ingest/text/numbers.py): numbers as Norwegians write them, negations, markers."""

from __future__ import annotations

import pytest

from ingest.text.numbers import (
    MARKER,
    NEGATIONS,
    nb_number,
    number_key,
    number_keys,
    number_readings,
    parse_number,
)


@pytest.mark.parametrize(
    ("written", "key"), [("1 050", "1050"), ("2,5", "2.5"), ("116\u00a0000", "116000"), ("2025", "2025")]
)
def test_a_number_has_one_key_whatever_its_spacing(written, key):
    assert number_key(written) == key


def test_the_keys_of_a_sentence_and_the_readings_of_an_ambiguous_number():
    assert number_keys("IKT-kostnadene var 1 050 kroner i 2012, opp 2,5 prosent.") == {"1050", "2012", "2.5"}
    assert number_readings("20.000") == {"20.000", "20000"}  # a decimal or thousands
    assert number_readings("1.234,5") == {"1234.5"}


@pytest.mark.parametrize(
    ("raw", "value"),
    [("116 000", 116000.0), ("1.050", 1050.0), ("12,5", 12.5), (7, 7.0), (True, None), ("mange", None)],
)
def test_parse_number_reads_what_a_form_or_chat_sends(raw, value):
    assert parse_number(raw) == value


def test_nb_number_writes_norwegian():
    assert nb_number(116000) == "116\u00a0000" and nb_number(2.50) == "2,5" and nb_number(-3, 0) == "−3"


def test_markers_and_negations():
    assert [m.group(1) for m in MARKER.finditer("Nettbrett [1, 3]. Ikke mer [2].")] == ["1, 3", "2"]
    assert {"ikke", "aldri", "not"} <= NEGATIONS and "kanskje" not in NEGATIONS
