"""Citation checking: a sentence stays only when a passage it cites contains what it says."""

from __future__ import annotations

import pytest

from assistant.answer.verify import is_framing, split_units, supports, verify_answer
from assistant.types import Passage

SKOLE = "Kommunen skal gi alle elever egne nettbrett innen 2025. Lærerne får opplæring i digitale verktøy."
SKY = (
    "Bærum kommune har vedtatt en skystrategi. Alle nye fagsystemer skal som hovedregel kjøpes som "
    "skytjenester (SaaS), og kommunen skal avvikle egne serverrom innen 2027."
)
KOSTNAD = "IKT-kostnadene per innbygger var 1 050 kroner i 2012, og 50 % av budsjettet gikk til drift."
DANSK = "Kommunerne bør samarbejde om fælles løsninger for velfærdsteknologi, så borgerne oplever sammenhæng."


def passage(n: int, text: str, title: str | None = None) -> Passage:
    return Passage(chunk_id=f"r#{n}", text=text, source="r.pdf", title=title or f"Rapport {n}", page=n, score=1.0)


@pytest.mark.parametrize(
    ("sentence", "text", "expected"),
    [
        ("Kommunen skal gi alle elever egne nettbrett innen 2025.", SKOLE, True),
        ("Alle elever skal få sitt eget nettbrett innen 2025.", SKOLE, True),  # paraphrase
        ("Ifølge rapporten har Bærum vedtatt en skystrategi.", SKY, True),  # "ifølge rapporten" is no claim
        ("Bærum har vedtatt en strategi for skytjenester.", SKY, True),  # parts of compounds
        ("Lærerne får kurs i kunstig intelligens.", SKOLE, False),  # new content
        ("Bærum kommune bør legge ned IT-avdelingen.", SKY, False),
        # numbers must match exactly, however the thousands are written
        ("IKT-kostnadene per innbygger var 1050 kroner i 2012.", KOSTNAD, True),
        ("50 % av budsjettet gikk til drift.", KOSTNAD, True),
        ("40 % av budsjettet gikk til drift.", KOSTNAD, False),
        ("Elevene får nettbrett innen 2026.", SKOLE, False),
        # a negation the passage does not have
        ("Lærerne får ikke opplæring i digitale verktøy.", SKOLE, False),
        # a supported clause does not carry an invented one
        ("Kommunen skal gi alle elever egne nettbrett innen 2025 og legge ned IT-avdelingen.", SKOLE, False),
        # Norwegian sentence, Danish passage
        ("Kommunene bør samarbeide om felles løsninger for velferdsteknologi.", DANSK, True),
        ("Kommunene bør samarbeide om felles sykehusdrift og ambulanser.", DANSK, False),
    ],
)
def test_supports(sentence: str, text: str, expected: bool) -> None:
    assert supports(sentence, text) is expected


def test_a_supported_answer_keeps_its_sentences_and_citations() -> None:
    ps = [passage(1, SKOLE), passage(2, SKY)]
    v = verify_answer("Elevene får egne nettbrett innen 2025 [1]. Bærum har vedtatt en skystrategi [2].", ps)
    assert v.text == "Elevene får egne nettbrett innen 2025 [1]. Bærum har vedtatt en skystrategi [2]."
    assert v.citations == (ps[0], ps[1])
    assert v.dropped == ()


def test_unsupported_sentence_is_dropped_with_reason() -> None:
    ps = [passage(1, SKY)]
    v = verify_answer("Bærum har vedtatt en skystrategi [1]. Bærum bør legge ned IT-avdelingen [1].", ps)
    assert v.text == "Bærum har vedtatt en skystrategi [1]."
    assert [(d.sentence, d.reason) for d in v.dropped] == [
        ("Bærum bør legge ned IT-avdelingen.", "utdraget støtter ikke setningen")
    ]


def test_wrong_marker_numbers() -> None:
    ps = [passage(1, SKOLE), passage(2, SKY)]
    # The claim is in [1] but cites [2]: it is not re-attributed, it is dropped.
    assert verify_answer("Lærerne får opplæring i digitale verktøy [2].", ps).text == ""
    # A marker past the end of the list.
    v = verify_answer("Lærerne får opplæring i digitale verktøy [7].", ps)
    assert v.text == "" and v.dropped[0].reason == "henviser til utdrag som ikke finnes"
    # Good and bad markers together: the bad ones go, the sentence stays.
    v = verify_answer("Lærerne får opplæring i digitale verktøy [2][7][1].", ps)
    assert v.text == "Lærerne får opplæring i digitale verktøy [1]."
    assert v.citations == (ps[0],)


def test_markers_are_renumbered_by_first_use() -> None:
    ps = [passage(1, SKOLE), passage(2, KOSTNAD), passage(3, SKY)]
    v = verify_answer(
        "Bærum har vedtatt en skystrategi [3]. Elevene får nettbrett innen 2025 [1]. "
        "Serverrommene skal avvikles innen 2027 [3, 1].",
        ps,
    )
    assert v.text == (
        "Bærum har vedtatt en skystrategi [1]. Elevene får nettbrett innen 2025 [2]. "
        "Serverrommene skal avvikles innen 2027 [1]."
    )
    assert v.citations == (ps[2], ps[0])


def test_framing_is_kept_and_unmarked_claims_are_not() -> None:
    ps = [passage(1, SKOLE)]
    text = "Rapportene sier følgende:\n\nLærerne får opplæring i digitale verktøy [1]."
    assert verify_answer(text, ps).text == text
    assert verify_answer("Rapportene svarer ikke på dette.", ps).text == "Rapportene svarer ikke på dette."
    # Short but a claim, or long: without a marker it goes.
    v = verify_answer("Bærum bør legge ned IT-avdelingen. Ja.", ps)
    assert v.text == "" and {d.reason for d in v.dropped} == {"ingen kildehenvisning"}
    assert not is_framing("Kommunen har 40 ansatte i IT-avdelingen:")  # numbers are never framing
    assert is_framing("Kilderne besvarer ikke spørgsmålet.") and is_framing("The reports do not answer this.")


def test_bullets_are_sentences_and_keep_their_layout() -> None:
    ps = [passage(1, SKOLE), passage(2, SKY)]
    text = (
        "Tiltakene er:\n"
        "- Alle elever får egne nettbrett innen 2025 [1].\n"
        "- Bærum legger ned IT-avdelingen [2]. Bærum har vedtatt en skystrategi [2].\n"
        "1. Kommunen kjøper ny skole for 2 milliarder [1].\n"
        "2. Lærerne får opplæring i digitale verktøy [1]."
    )
    v = verify_answer(text, ps)
    assert v.text == (
        "Tiltakene er:\n"
        "- Alle elever får egne nettbrett innen 2025 [1].\n"
        "- Bærum har vedtatt en skystrategi [2].\n"
        "2. Lærerne får opplæring i digitale verktøy [1]."
    )
    assert len(v.dropped) == 2


def test_sentence_splitting() -> None:
    units = split_units("Dette gjelder f.eks. Oslo, jf. s. 7 [1]. Neste setning. [2] Tredje [3]\n\n- Punkt [1]")
    assert [u.sentence for u in units] == [
        "Dette gjelder f.eks. Oslo, jf. s. 7 [1].",
        "Neste setning. [2]",  # a marker after the full stop stays with its sentence
        "Tredje [3]",
        "Punkt [1]",
    ]
    assert units[-1].bullet == "- " and units[-1].blank_before


def test_markers_inside_a_sentence_vouch_for_the_text_before_them() -> None:
    ps = [passage(1, SKOLE), passage(2, SKY)]
    ok = "Elevene får egne nettbrett innen 2025 [1], mens Bærum avvikler egne serverrom innen 2027 [2]."
    assert verify_answer(ok, ps).text == ok
    # Each half must hold: the second is invented, so the whole sentence goes.
    bad = "Elevene får egne nettbrett innen 2025 [1], mens Bærum legger ned IT-avdelingen [2]."
    assert verify_answer(bad, ps).text == ""


def test_a_sentence_can_be_supported_by_its_passages_together() -> None:
    ps = [passage(1, SKOLE), passage(2, SKY)]
    both = "Bærum kjøper fagsystemer som skytjenester og elevene får nettbrett innen 2025 [1][2]."
    v = verify_answer(both, ps)
    assert v.text == both and v.citations == (ps[0], ps[1])
    assert (
        verify_answer("Bærum kjøper fagsystemer som skytjenester og elevene får nettbrett innen 2025 [2].", ps).text
        == ""
    )


# Excerpts of real chunks from corpus/ (RegionData 2015, Devoteam 2011, Kolding notat), with the
# kind of sentences a model writes about them. SUPPORT_THRESHOLD was chosen on this set.
REGIONDATA = (
    "RegionData bør fortsette samarbeid om drift, og bør også vurdere å øke graden av samhandling om "
    "brukerstøtte for å øke kvaliteten på IKT-tjenestene i medlemskommunene. For å sikre porteføljestyring "
    "og tilstrekkelig koordinering er det viktig at brukerstøtte på vegne av alle medlemskommunene "
    "organiseres gjennom IKT-samarbeidet."
)
PLAN = "Mange kommuner og interkommunale samarbeid utvikler sine lokale IKTstrategier og handlingsplaner. I 2009 var det 58 % av kommunene som har utarbeidet en IKT-plan."
SILKEBORG = (
    "De første spæde sonderinger på et formaliseret samarbejde omfattede 4 kommuner, Silkeborg, Viborg, "
    "Horsens og Randers. Horsens og Randers kommuner meldte sig forholdsvis hurtigt ud af projektet. "
    "I forsommeren 2014 blev der indledt en dialog mellem Silkeborg og Viborgs kommuners it- og digitaliseringschefer."
)
RESSOURCER = (
    "Iværksættelse af indledende samtaler med potentielle kommuner vil kræve anvendelse af betydelige "
    "ressourcer fra IT afdelingen, evt. bistand fra ekstern konsulenthus. KMD monopolbruddet, betydelige digitaliseringstiltag på televelfærdsområdet m.fl. projekter beslaglægger "
    "allerede betydelige ressourcer i IT afdelingen, hvorfor et indledende forretningsstrategisk samarbejde "
    "med andre kommuner ville skulle dækkes ind ved tilførsel af ekstra ressourcer bl.a. til IT afdelingen."
)
FAITHFUL = [
    (REGIONDATA, "RegionData bør fortsette samarbeidet om drift."),
    (REGIONDATA, "RegionData bør også vurdere mer samhandling om brukerstøtte for å øke kvaliteten på IKT-tjenestene."),
    (REGIONDATA, "Brukerstøtten for alle medlemskommunene bør organiseres gjennom IKT-samarbeidet."),
    (PLAN, "I 2009 hadde 58 % av kommunene utarbeidet en IKT-plan."),
    (PLAN, "Mange kommuner og interkommunale samarbeid lager egne IKT-strategier og handlingsplaner."),
    (SILKEBORG, "Horsens og Randers meldte seg raskt ut av prosjektet."),
    (SILKEBORG, "Dialogen mellom Silkeborg og Viborg startet forsommeren 2014."),
    (RESSOURCER, "Mange prosjekter legger allerede beslag på betydelige ressurser i IT-avdelingen."),
    (RESSOURCER, "Et nytt samarbeid med andre kommuner ville kreve ekstra ressurser til IT-avdelingen."),
]
FALSE = [
    (REGIONDATA, "RegionData bør sette ut brukerstøtten til en privat leverandør."),
    (REGIONDATA, "Kommunene bør kutte IKT-budsjettene sine."),
    (PLAN, "I 2009 hadde 85 % av kommunene utarbeidet en IKT-plan."),
    (PLAN, "Mange kommuner har innført skytjenester for sine fagsystemer."),
    (SILKEBORG, "Samarbeidet omfattet først fire kommuner, blant annet Aarhus og Odense."),
    (SILKEBORG, "Silkeborg og Viborg slo sammen sine IT-avdelinger i 2014."),
    (RESSOURCER, "IT-afdelingen har rigeligt med ledige ressourcer til nye projekter."),
    # Known misses of a word-based check: the words are the passage's, the claim is not.
    (REGIONDATA, "RegionData bør legge ned samarbeidet om drift."),
    (RESSOURCER, "Kommunen bør outsource hele IT-avdelingen til KMD."),
]


def test_calibration_on_real_passages() -> None:
    assert [s for p, s in FAITHFUL if not supports(s, p)] == []
    let_through = [s for p, s in FALSE if supports(s, p)]
    assert len(let_through) <= 2, let_through
