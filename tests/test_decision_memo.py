"""The recommendation memo: opened as a real DOCX with python-docx, and as Markdown."""

import pytest
from conftest import BAERUM_2013
from docx import Document

from assistant.decision import (
    KommuneProfile,
    assess_ambition,
    assess_scenarios,
    benchmark,
    build_memo,
)

BAERUM = KommuneProfile.from_dict(BAERUM_2013)
HEADINGS = [
    "1. Kommuneprofil", "2. Anbefalt ambisjonsnivå", "3. Scenario og samarbeidsform", "4. Nøkkeltall",
    "5. Neste steg", "6. Forbehold", "7. Kilder",
]


@pytest.fixture(scope="module")
def memo():
    return build_memo(BAERUM, assess_ambition(BAERUM), assess_scenarios(BAERUM),
                      benchmark(BAERUM, {"okonomi_hr_lonn_per_klient": 800}))


@pytest.fixture(scope="module")
def docx(memo, tmp_path_factory):
    path = memo.to_docx(tmp_path_factory.mktemp("memo") / "notat.docx")
    return Document(str(path))


def _text(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def test_docx_has_the_title_and_section_headings_in_order(docx):
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[0] == "Anbefalingsnotat: IT- og digitaliseringsstrategi for Bærum kommune"
    assert headings[1:] == HEADINGS


def test_docx_states_the_recommended_level_and_scenario(docx):
    text = _text(docx)
    assert "Anbefalt ambisjonsnivå: I tråd med de 10 store, norske kommunene" in text
    assert "Scenario som passer best: S1 Tilrettelegger" in text


def test_docx_cites_the_report_with_quote_and_page(docx):
    text = _text(docx)
    assert ("«Basert på de intervjuer BCG har foretatt og nivå på modenhet i kommunen syntes alternativ 2 "
            "ovenfor å være det riktigste for» (BCG 2013, s. 7)") in text
    assert "(vår vurdering)" in text and "(rapporten sier)" in text


def test_docx_has_the_profile_and_benchmark_tables(docx):
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.tables]
    profile = next(t for t in tables if t[0] == ["Opplysning", "Verdi"])
    assert ["Innbyggere", "116 000"] in profile
    assert ["Samarbeidsform", "iks"] in profile
    bench = next(t for t in tables if t[0][0] == "Nøkkeltall")
    assert bench[0] == ["Nøkkeltall", "Enhet", "Kommunen", "Referanse", "Verdi", "År", "Kilde"]
    assert ["IT-kostnad per innbygger", "kr per innbygger", "1 050", "K10-snitt (avledet)", "525", "2012",
            "BCG 2013, s. 5"] in bench
    assert any(row[2] == "800" and row[3].startswith("RegionData") for row in bench)


def test_docx_embeds_the_chart(docx):
    images = [r for r in docx.part.rels.values() if "image" in r.reltype]
    assert len(images) == 1
    assert images[0].target_part.blob[:4] == b"\x89PNG"


def test_next_steps_and_sources_are_listed(docx):
    text = _text(docx)
    assert "Forankre egne gevinstplaner" in text
    assert ("Vurdering av alternative IT-strategier (rapport for Bærum kommune). The Boston Consulting Group "
            "(BCG), 2013. Sider brukt:") in text
    assert "IT i praksis 2020. Rambøll Management Consulting, 2020. Uten sidetall." in text


def test_collaboration_advice_for_the_kommunes_form(docx):
    text = _text(docx)
    assert "Samarbeidsform: Interkommunalt selskap (IKS)." in text
    assert "(PA Consulting 2015, s. 36)" in text


def test_markdown_has_the_same_content(memo):
    md = memo.to_markdown(image_ref="nokkeltall.png")
    assert md.startswith("# Anbefalingsnotat: IT- og digitaliseringsstrategi for Bærum kommune")
    for heading in HEADINGS:
        assert f"\n## {heading}\n" in md
    assert "| Opplysning | Verdi |" in md
    assert "![Figur: kommunens nøkkeltall mot rapportenes tall](nokkeltall.png)" in md
    assert "(BCG 2013, s. 7)" in md


def test_markdown_lists_end_before_the_next_heading(memo):
    md = memo.to_markdown()
    lines = md.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        if line.startswith("## "):
            assert before == ""
