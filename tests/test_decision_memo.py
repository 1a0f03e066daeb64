"""The recommendation memo: opened as a real DOCX with python-docx, as Markdown, and as a zip.

Each test guards one fault the memo had (issue 9): US Letter, en-US, author "python-docx", no date,
no page numbers or header/footer, raw codes, internal wording, no synthesis on page 1, next steps
presented as current policy, a Markdown memo whose chart could not be downloaded, generic file names.
"""

import datetime as dt
import re
import zipfile

import pytest
from conftest import BAERUM_2013
from docx import Document
from docx.oxml.ns import qn

from assistant.decision import (
    KommuneProfile,
    assess_ambition,
    assess_scenarios,
    benchmark,
    build_memo,
)
from assistant.decision.memo import HEADINGS, memo_file_name

BAERUM = KommuneProfile.from_dict(BAERUM_2013)
DATE = dt.date(2026, 11, 29)
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def memo():
    return build_memo(
        BAERUM,
        assess_ambition(BAERUM),
        assess_scenarios(BAERUM),
        benchmark(BAERUM, {"okonomi_hr_lonn_per_klient": 800}),
        author="Kari Nordmann",
        organisation="Rådgivning AS",
        date=DATE,
    )


@pytest.fixture(scope="module")
def docx(memo, tmp_path_factory):
    path = memo.to_docx(tmp_path_factory.mktemp("memo") / memo.file_name(".docx"))
    return Document(str(path))


def _text(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def _page_one(doc):
    """The paragraphs before the first page break."""
    out = []
    for p in doc.paragraphs:
        if any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br"))):
            break
        out.append(p.text)
    return "\n".join(out)


def test_docx_has_the_title_and_section_headings_in_order(docx):
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading 1") or p.style.name == "Title"]
    assert headings[0] == "Anbefalingsnotat: IT- og digitaliseringsstrategi for Bærum kommune"
    assert headings[1] == "Anbefaling"
    assert headings[2:] == list(HEADINGS)


def test_docx_is_a4_in_norwegian_with_title_author_and_date(docx):
    section = docx.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    langs = {el.get(qn("w:val")) for el in docx.styles.element.iter(qn("w:lang"))}
    assert langs == {"nb-NO"}
    props = docx.core_properties
    assert props.title.endswith("for Bærum kommune") and props.author == "Kari Nordmann"
    assert props.language == "nb-NO" and props.created.date() == DATE
    assert "Rådgivning AS" in props.comments
    assert "Utarbeidet av Kari Nordmann, Rådgivning AS. Dato: 29. november 2026." in _page_one(docx)


def test_docx_has_header_and_footer_with_page_numbers(docx):
    section = docx.sections[0]
    assert "Bærum kommune · 29. november 2026" in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]
    fields = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Side" in footer.text and "av" in footer.text


def test_file_names_carry_the_kommune_and_the_date(memo):
    assert memo.file_name(".docx") == "Anbefalingsnotat-Baerum-kommune-2026-11-29.docx"
    assert memo_file_name("Våler (Østfold)", DATE, ".md") == "Anbefalingsnotat-Valer-Ostfold-2026-11-29.md"


def test_page_one_holds_the_recommendation_reasons_changes_and_uncertainty(docx, memo):
    page = _page_one(docx)
    assert "Ambisjonsnivå: «I tråd med de 10 store, norske kommunene»." in page
    assert "Start med S1 Tilrettelegger og gå gradvis mot S2 Formidler" in page and "(s. 6)" in page
    assert "Samarbeid: Videreutvikle dagens samarbeid (Interkommunalt selskap (IKS))" in page
    reasons = page.split("Tre hovedgrunner")[1].split("Dette kan endre anbefalingen")[0]
    assert (
        len(
            re.findall(r"\((BCG 2013|Devoteam 2011|PA Consulting 2015)[^)]*; (rapporten sier|vår vurdering)\)", reasons)
        )
        == 3
    )
    changes = page.split("Dette kan endre anbefalingen")[1].split("Usikkerhet")[0]
    assert "store utfordringer i sektorene" in changes and "I tråd med myndighetskrav" in changes
    assert re.search(r"Usikkerhet\n(Liten|Middels|Stor) usikkerhet\.", page)
    assert "sikkerhet:" not in _text(docx)


def test_values_have_human_labels_and_norwegian_numbers(docx):
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.tables]
    profile = dict(row for row in next(t for t in tables if t[0] == ["Opplysning", "Verdi"])[1:])
    assert profile["Innbyggere"] == f"116{NBSP}000"
    assert profile["Land"] == "Norge"
    assert profile["Samarbeidsform for IKT"] == "Interkommunalt selskap (IKS)"
    assert profile["IT-kostnad per innbygger"] == f"1{NBSP}050 kr"
    assert profile["Samlet IT-/digital modenhet"] == "3 av 5"
    cells = {c for t in tables for row in t for c in row}
    assert not cells & {"iks", "NO", "DK", "True", "False", "none"}
    assert not any(re.fullmatch(r"\d+\.\d+", c) for c in cells), "decimal point instead of comma"
    text = _text(docx)
    assert "transkripsjon" not in text.lower() and "python-docx" not in text


def test_docx_cites_the_report_with_quote_and_page(docx):
    text = _text(docx)
    assert (
        "«Basert på de intervjuer BCG har foretatt og nivå på modenhet i kommunen syntes alternativ 2 "
        "ovenfor å være det riktigste for» (BCG 2013, s. 7)"
    ) in text
    assert "(vår vurdering)" in text and "(rapporten sier)" in text
    assert "Taler for «I tråd med de 10 store, norske kommunene»" in text


def test_the_benchmark_table_is_like_for_like(docx):
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.tables]
    bench = next(t for t in tables if t[0][0] == "Nøkkeltall")
    assert bench[0] == ["Nøkkeltall", "Kommunen", "Referanse", "Verdi", "År", "Kilde"]
    assert [
        "IT-kostnad per innbygger (kr per innbygger)",
        f"1{NBSP}050",
        "K10-snitt (avledet)",
        "525",
        "2012",
        "BCG 2013, s. 5",
    ] in bench
    assert any(row[1] == "800" and row[3] == "1\u00a0097" and row[4] == "2013" for row in bench)  # VarIT, 2013
    assert any(row[1] == "800" and row[2].startswith("RegionData") and row[4] == "2014" for row in bench)


def test_docx_embeds_the_chart(docx):
    images = [r for r in docx.part.rels.values() if "image" in r.reltype]
    assert len(images) == 1
    assert images[0].target_part.blob[:4] == b"\x89PNG"


def test_next_steps_are_dated_to_their_report(docx):
    text = _text(docx)
    steps = text.split(HEADINGS[4])[1].split(HEADINGS[5])[0]
    bullets = [line for line in steps.splitlines()[2:] if line.strip()]
    assert bullets
    assert all(
        line.startswith(
            (
                "BCG anbefalte i 2013 for Bærum:",
                "Devoteam anbefalte i 2011",
                "Rambøll anbefalte i 2020",
                "Vår vurdering ut fra ",
            )
        )
        for line in bullets
    ), bullets
    assert any("BCG anbefalte i 2013 for Bærum: Forankre egne gevinstplaner" in line for line in bullets)


def test_sources_are_listed(docx):
    text = _text(docx)
    assert (
        "Vurdering av alternative IT-strategier (rapport for Bærum kommune). The Boston Consulting Group "
        "(BCG), 2013. Sider brukt:"
    ) in text


def test_collaboration_advice_for_the_kommunes_form(docx):
    text = _text(docx)
    assert "Samarbeidsform: Interkommunalt selskap (IKS)" in text
    assert "(PA Consulting 2015, s. 36)" in text


def test_markdown_has_the_same_content(memo):
    md = memo.to_markdown(image_ref="nokkeltall.png")
    assert md.startswith("# Anbefalingsnotat: IT- og digitaliseringsstrategi for Bærum kommune")
    for heading in HEADINGS:
        assert f"\n## {heading}\n" in md
    assert "| Opplysning | Verdi |" in md
    assert "![Figur: kommunens nøkkeltall mot rapportenes tall](nokkeltall.png)" in md
    assert "(BCG 2013, s. 7)" in md
    assert md.index("## Anbefaling") < md.index(f"## {HEADINGS[0]}")


def test_markdown_zip_carries_its_chart(memo, tmp_path):
    path = memo.to_markdown_zip(tmp_path / memo.file_name("-markdown.zip"))
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        md = zf.read(memo.file_name(".md")).decode("utf-8")
        image = re.search(r"!\[[^\]]*\]\(([^)]+)\)", md).group(1)
        assert image in names and zf.read(image)[:4] == b"\x89PNG"


def test_a_single_markdown_file_carries_its_chart(memo):
    import base64

    md = memo.to_markdown(embed_chart=True)
    data = re.search(r"!\[[^\]]*\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", md).group(1)
    assert base64.b64decode(data) == memo.chart_png


def test_markdown_lists_end_before_the_next_heading(memo):
    md = memo.to_markdown()
    lines = md.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        if line.startswith("## "):
            assert before == ""


def test_what_would_change_it_names_coded_values_in_words():
    from assistant.decision.rules import Condition

    words = [w for _, w in Condition("collaboration", "in", ["iks"]).candidates()]
    assert "samarbeidsform: Interkommunalt selskap (IKS)" in words
    assert not any(re.search(r": (vertskommune|iks|as|none|bilateral|oppgavefellesskap)$", w) for w in words)
    assert "land: Danmark" in [w for _, w in Condition("country", "is", "DK").candidates()]


def test_a_memo_nothing_would_change_says_so_in_a_plain_paragraph(monkeypatch):
    from assistant.decision import memo as memo_module

    monkeypatch.setattr(memo_module, "_what_changes", lambda *args: [])
    quiet = build_memo(BAERUM, assess_ambition(BAERUM), assess_scenarios(BAERUM), benchmark(BAERUM), date=DATE)
    assert all(isinstance(b.text, str) for b in quiet.blocks)
    md = quiet.to_markdown(image_ref="nokkeltall.png")
    assert "\nIngen enkeltopplysning i profilen endrer anbefalingen alene.\n" in md
    assert "- Ingen enkeltopplysning" not in md
