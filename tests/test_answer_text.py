"""Quotable prose, sentence splitting that knows Norwegian abbreviations, and the one renderer."""

from __future__ import annotations

import pytest

from assistant.answer.prose import clean_quote, is_prose
from assistant.render.markdown import answer_markdown
from assistant.types import Answer, Excerpt, Passage, Statement
from ingest.text.chunking import sentence_spans


@pytest.mark.parametrize(
    "text",
    [
        "Fordeler med scenario 2 Ulemper med scenario 2 Økt samordning og styring",  # flattened table header
        "3.2 Organisering av IKT ........................ 14",  # contents line
        "og dette er resten av en setning som ble delt av et sideskift.",  # starts mid-sentence
        "Side 4 av 40 Vurdering av alternative IT-strategier",  # page furniture
        "Tabell 3 12 45 67 89 10 11 12 13",  # a table row
        "Dette er en setning med innslag av фальшивый текст i seg.",  # another script
        "8.7 Scenario 2: Utvikle, forvalte og formidle felleskomponenter og tjenester.",  # a numbered heading
        "6. Kvalitetsanalyse RegionData ganske lavt på tjenesteomfang, men tilbyr også få fellesløsninger.",
        "Kort.",
        # a sentence run into a flattened table: column headings and cells
        "Kongsbergregionen har høyest kostnad knyttet til brukerstøtte. Totalkostnadsanalyse Åpningstider "
        "BRUKERSTØTTE KOSTNAD PR. KLIENT RegionData Servicedesk 8:00-16:00 VarIT 8:00-15:30 2,0 3,0 1,5 4,0.",
        "Brukerstøtten måles i kroner per klient og vises som 2,0 3,0 1,5 4,0 3,75 for samarbeidene.",
        # a figure caption, alone or run into the next sentence
        "Figur 2: Kommunens IT-kostnader per innbygger i perioden (Kilde SSB / Kostra)",
        "Tabell 1: Svar på spørsmålene Kapittel 10 beskriver tre modeller for samarbeid.",
        # bullet points whose line breaks were lost
        "Med ressurser fra kommunene Samordne krav til leverandørene overfor markedet Sikre overføring av resultater.",
    ],
)
def test_non_prose_is_never_quoted(text):
    assert not is_prose(text)


def test_title_case_and_names_are_still_prose():
    assert is_prose("The services themselves have long been referred to as Software as a Service (SaaS).")
    assert is_prose(
        "Arbeidet i Asker kan gi lærdom til andre kommuner, men det krever innsikt i hvordan Asker gikk frem."
    )
    assert clean_quote("Dette gjøres ikke for allmennheten. (") == "Dette gjøres ikke for allmennheten."


def test_prose_is_quoted_without_markup():
    assert is_prose("Kommunen bør velge alternativ 2 fordi det gir best balanse mellom kostnad og nytte.")
    assert clean_quote("**Dette er  viktig for kommunen.**") == "Dette er viktig for kommunen."
    # Figures are what a quantity question asks for: a sentence full of them is still prose.
    assert is_prose("Det ble brukt 2,5 millioner i 2012, 3 millioner i 2013 og 4 millioner i 2014 på drift.")
    assert is_prose(
        "Ikke overraskende samarbeides det mest om drift av systemer (87 %) og anskaffelser (81 %) (KS, 2009)."
    )


def _sentences(text: str, lang: str = "nb") -> list[str]:
    return [text[s:e] for s, e, _ in sentence_spans(text, lang, 80)]


@pytest.mark.parametrize("lang", ["nb", "da"])
def test_abbreviations_do_not_end_sentences(lang):
    text = "Det koster ca. 40 mill. kr. pr. innbygger, jf. s. 7 og bl.a. tabell 3, f.eks. i Oslo, dvs. mye. Neste setning her."
    assert _sentences(text, lang) == [text[: text.index(" Neste")], "Neste setning her."]


def test_run_on_slide_text_is_split_at_clause_openers_and_headings():
    text = (
        "Vil en ambisiøs IT strategi kunne være riktig Dersom kommunen opplever store utfordringer "
        "vil en minimumsambisjon være riktig Basert på intervjuene syntes alternativ 2 riktigst."
    )
    assert _sentences(text) == [
        "Vil en ambisiøs IT strategi kunne være riktig",
        "Dersom kommunen opplever store utfordringer vil en minimumsambisjon være riktig",
        "Basert på intervjuene syntes alternativ 2 riktigst.",
    ]
    assert _sentences("Bærum Kommune har mye å vinne.") == ["Bærum Kommune har mye å vinne."]  # names stay whole
    assert _sentences("Det gjelder scenario 1. Det er ikke spesifisert noe.") == [
        "Det gjelder scenario 1.",
        "Det er ikke spesifisert noe.",
    ]


P = Passage(
    chunk_id="a#0",
    text="Kommunen bør velge alternativ 2. Det gir lavere kostnader.",
    source="a.txt",
    title="Rapport",
    page=7,
    score=1.0,
    publisher="BCG",
    year="2013",
)
Q = Passage(
    chunk_id="b#0",
    text="Noe helt annet om skoler.",
    source="b.txt",
    title="IT i praksis",
    page=None,
    score=0.5,
    heading="Skole og digitalisering",
)


def _answer(lang: str) -> Answer:
    return Answer(
        question="?",
        short=(Statement("Kommunen bør velge alternativ 2.", (1,)),),
        excerpts=(Excerpt(1, "Det gir lavere kostnader."),),
        citations=(P,),
        see_also=(Q,),
        language=lang,
    )


@pytest.mark.parametrize(
    ("lang", "short", "sources", "see_also"),
    [
        ("nb", "Kort svar", "Kilder", "Se også"),
        ("nn", "Kort svar", "Kjelder", "Sjå også"),
        ("da", "Kort svar", "Kilder", "Se også"),
        ("en", "Short answer", "Sources", "See also"),
    ],
)
def test_the_answer_is_rendered_in_the_askers_language(lang, short, sources, see_also):
    text = _answer(lang).text
    assert text.startswith(f"**{short}**\n\nKommunen bør velge alternativ 2 [1].")
    assert f"**{sources}**" in text and f"**{see_also}" in text
    assert ("Norwegian or Danish" in text) is (lang == "en")
    assert ("p. 7" if lang == "en" else "s. 7") in text
    # A report without pages is cited by its section heading; see-also never gets a marker.
    assert "IT i praksis, «Skole og digitalisering»" in text and "[2]" not in text


def test_markers_go_where_the_caller_wants_them():
    text = answer_markdown(_answer("nb"), marker=lambda n: f"<a href='#k{n}'>[{n}]</a>")
    assert "alternativ 2 <a href='#k1'>[1]</a>." in text


def test_a_refusal_says_so_and_lists_the_closest_without_markers():
    answer = Answer(question="?", see_also=(P,), language="da", abstained=True, note="rapporterne nævner ikke Tromsø")
    text = answer.text
    assert text.startswith("**Rapporterne besvarer ikke dette** (rapporterne nævner ikke Tromsø).")
    assert "Det nærmeste rapporterne har" in text and "[1]" not in text


def test_a_title_with_commas_stays_whole_in_the_source_list():
    p = Passage(
        chunk_id="c#0",
        text="x",
        source="c.txt",
        title="IT i praksis 2020 — Strategi, ledelse, trender",
        page=None,
        score=1.0,
        heading="INNSATSOMRÅDER",
        publisher="Rambøll",
        year="2020",
    )
    from assistant.render.markdown import source_line

    assert source_line(1, p) == "[1] IT i praksis 2020 — Strategi, ledelse, trender (Rambøll, 2020), «INNSATSOMRÅDER»"


def test_a_close_passage_is_shown_from_its_first_whole_sentence():
    from assistant.render.markdown import one_line

    text = "mellom kart og saksbehandlingssystem for å kjøre. Med FAKS kan en tjeneste utviklet for Bærum brukes av Bergen."
    assert one_line(text) == "…Med FAKS kan en tjeneste utviklet for Bærum brukes av Bergen."
    whole = "Slikt samarbeid kan knytte nabokommuner sterkere sammen."
    assert one_line(whole) == whole
    assert (
        one_line("og så videre uten noe punktum i hele teksten her")
        == "og så videre uten noe punktum i hele teksten her"
    )


@pytest.mark.parametrize(
    ("lang", "label"),
    [("nb", "Usikkert treff"), ("nn", "Usikkert treff"), ("da", "Usikkert match"), ("en", "Uncertain match")],
)
def test_an_uncertain_match_says_so_instead_of_short_answer(lang, label):
    from dataclasses import replace

    from assistant.render.markdown import answer_blocks

    answer = replace(_answer(lang), tentative=True)
    text = answer.text
    assert text.startswith(f"**{label}**") and "Kort svar" not in text and "Short answer" not in text
    assert "Kommunen bør velge alternativ 2 [1]." in text  # the quote keeps its citation
    first = answer_blocks(answer)[0].runs[0]
    assert first.bold and first.text.startswith(label)


def test_see_also_shows_the_passages_sentence_closest_to_the_question_when_known():
    from dataclasses import replace

    from assistant.answer.extractive import Candidate, readable

    start = "Innholdsfortegnelse 4. Indikatorsett 5. Hold kursen"
    passage = replace(Q, text=f"{start} Kommunene bør dele erfaringer om gevinster.")
    twin = replace(passage, chunk_id="b#1")  # an overlapping chunk with the same best sentence
    spans = ((0, len(start)), (len(start) + 1, len(passage.text)))
    cands = [Candidate(0, p, spans, 1, 0.9, probability=0.8) for p in (passage, twin)]
    shown = readable([(passage, 0), (twin, 1)], cands)
    assert [p.chunk_id for p in shown] == ["b#0"]
    text = replace(_answer("nb"), see_also=tuple(shown)).text
    assert "«Kommunene bør dele erfaringer om gevinster.»" in text and "Innholdsfortegnelse" not in text


def test_sentences_from_two_chunks_of_one_page_cite_it_once():
    from dataclasses import replace

    from assistant.answer.extractive import Candidate, build_answer
    from assistant.answer.query import make_query

    page = "Styret leder samarbeidet i regionen. Kommunene opplever at de ikke er godt involvert i arbeidet."
    cut = page.index("Kommunene")
    first = replace(P, chunk_id="r#1", text=page[:cut].strip(), page=36, start=0, end=cut - 1)
    second = replace(P, chunk_id="r#2", text=page[cut:], page=36, start=cut, end=len(page))
    elsewhere = replace(
        P, chunk_id="r#9", text="Bestillerrollen er lagt til et eget selskap.", page=33, start=500, end=544
    )

    def cand(p, rank, probability):
        return Candidate(rank, p, ((0, len(p.text)),), 0, 0.9, probability=probability)

    cands = [cand(second, 1, 0.9), cand(first, 0, 0.8), cand(elsewhere, 2, 0.1)]
    ranked = [(first, 0), (second, 1), (elsewhere, 2)]
    answer = build_answer(make_query("Hvordan er kommunene involvert i samarbeidet?"), ranked, cands)
    assert answer is not None and len(answer.citations) == 1
    assert {n for s in answer.short for n in s.markers} == {1}
    assert answer.citations[0].text == f"{first.text} […] {second.text}"  # a gap between them is marked
    assert [p.page for p in answer.see_also] == [33]  # the other page is no citation of it


def test_list_points_without_full_stops_are_shown_as_a_list():
    from dataclasses import replace

    from assistant.answer.extractive import _as_list_items
    from assistant.render.markdown import answer_blocks

    points = [
        Statement("Mange ressurser går med til å følge opp leverandørene", (1,)),
        Statement("Det tar lang tid å etablere felleskomponenter", (1,)),
        Statement("Dette gjelder særlig de små kommunene.", (1,)),
    ]
    answer = replace(_answer("nb"), short=tuple(_as_list_items(points)))
    text = answer.text
    assert "\n- Mange ressurser går med til å følge opp leverandørene [1]\n- Det tar lang tid" in text
    assert "felleskomponenter [1]\n\nDette gjelder særlig de små kommunene [1]." in text  # prose after the list
    blocks = answer_blocks(answer)
    assert [b.bullet for b in blocks[1:4]] == [True, True, False]
    # Whole sentences stay one paragraph.
    prose = [Statement("Kommunen bør velge alternativ 2.", (1,)), Statement("Det gir lavere kostnader.", (1,))]
    assert _as_list_items(prose) == prose
