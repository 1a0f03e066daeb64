"""Web-transcript parsing: synthetic layouts, then the real corpus files."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from ingest.load.transcript import is_transcript, parse_transcript
from ingest.pipeline import load_document
from ingest.settings import IngestSettings
from ingest.text.chunking import chunk_document

NUMBERED = """Rapporttittel

Størrelse: px
Begynne med side:

Download "Rapporttittel"

Transkript

1 Rapporttittel En utredning

2 Innhold om styring. 2011 var et viktig år.

3 Mer innhold om kostnader.

Et annet dokument om arkiv

Et annet dokument om arkiv Teaser-tekst fra det andre dokumentet.

Detaljer

Tredje dokument

Tredje dokument Mer teaser.
"""

DASHED = """Relatert 1
Relatert 2
Relatert 3
Relatert 4
Relatert 5
Relatert 6
Relatert 7

Transkript:

RAPPORT Innledningen står på første side.

- 2-2 Krav og forventninger til kommunen.

- 3 - Tredje side.
"""


def test_numbered_transcript_pages_and_teasers():
    t = parse_transcript(NUMBERED)
    assert t.title == "Rapporttittel"
    assert [(p.number, p.text) for p in t.pages] == [
        (1, "Rapporttittel En utredning"),
        (2, "Innhold om styring. 2011 var et viktig år."),
        (3, "Mer innhold om kostnader."),
    ]
    assert t.noise.teaser_blocks == 2
    assert t.noise.chars_dropped > 0


def test_dash_marked_transcript_and_related_titles():
    t = parse_transcript(DASHED)
    assert [(p.number, p.text) for p in t.pages] == [
        (1, "RAPPORT Innledningen står på første side."),
        (2, "2 Krav og forventninger til kommunen."),
        (3, "Tredje side."),
    ]
    assert t.noise.related_titles == 7 and t.title is None


def test_paragraph_per_page_when_no_markers():
    t = parse_transcript(
        "A\nB\nC\nD\nE\nF\nG\n\nTranskript:\n\nFørste side som slutter midt i\n\nsetningen på andre side."
    )
    assert [p.number for p in t.pages] == [1, 2]


def test_plain_text_is_not_a_transcript():
    assert not is_transcript("Bare en vanlig rapport.\n\nMed avsnitt.")


# --- the real corpus ---------------------------------------------------------------------

EXPECTED_PAGES = {
    "000_80ff94c66eb7de85.txt": list(range(1, 12)),
    "001_ea46e6cbf94a9af8.txt": list(range(1, 69)),
    "002_ba2e8a6974254d04.txt": list(range(1, 42)),
    "003_0fac7f40dd2eb117.txt": list(range(1, 6)),
}


def _noise_lines(name: str) -> list[str]:
    """The file's web-page noise as SOURCES.md describes it: before Transkript, and the teaser tail."""
    lines = [ln.strip() for ln in (CORPUS / name).read_text(encoding="utf-8").split("\n") if ln.strip()]
    marker = next((i for i, ln in enumerate(lines) if re.fullmatch(r"Transkript:?", ln)), None)
    if marker is None:
        return []
    tail = lines.index("Detaljer") - 2 if "Detaljer" in lines else len(lines)  # first teaser's title
    noise = lines[:marker] + lines[tail:]
    report = "\n".join(lines[marker + 1 : tail])
    # The page's own title is also the report's first line; everything else must be gone.
    return [ln for ln in noise if len(ln) >= 25 and ln != "Detaljer" and ln not in report]


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_real_transcripts_have_their_pages(name: str):
    doc = load_document(CORPUS / name, None, IngestSettings())
    assert [p.number for p in doc.pages] == EXPECTED_PAGES[name]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_no_chunk_of_a_real_report_contains_web_page_noise(name: str):
    doc = load_document(CORPUS / name, None, IngestSettings())
    chunks = chunk_document(doc, 160, 30)
    text = "\n".join(c.text for c in chunks)
    noise = _noise_lines(name)
    if name.startswith(("000", "001", "002", "003")):
        assert len(noise) > 50, "the noise detector in this test found too little to be meaningful"
    leaked = [ln for ln in noise if ln in text]
    assert leaked == []
    assert not re.search(r"\bDetaljer\b|Størrelse: px|Begynne med side|Relaterede dokumenter", text)


def test_teaser_titles_of_other_documents_are_gone():
    doc = load_document(CORPUS / "001_ea46e6cbf94a9af8.txt", None, IngestSettings())
    assert "Er arkiv på agendaen til KS?" not in doc.text
    assert "Digitalt førstevalg i Finnmark" not in doc.text
    assert doc.noise.teaser_blocks >= 100
    assert doc.pages[-1].text.endswith("Digital fornying")  # the transcript stops inside p.68


def test_report_text_starts_after_the_related_titles():
    doc = load_document(CORPUS / "000_80ff94c66eb7de85.txt", None, IngestSettings())
    assert doc.pages[0].text.startswith("RAPPORT Oslo, 23. September 2013")
    assert doc.noise.related_titles > 90
