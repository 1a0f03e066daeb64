"""Loaders on generated files, including every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_pdf

from ingest.errors import LoadError
from ingest.load.loaders import decode_text, load_file

LIMIT = 5_000_000


def test_pdf_pages_keep_their_numbers_and_lose_furniture(tmp_path: Path):
    path = make_pdf(
        tmp_path / "rapport.pdf",
        [
            "Første side om styring.",
            "Andre side om kostnader.",
            "Tredje side om gevinster.",
            "Fjerde side om kompetanse.",
        ],
        header="Veivalg AS - konfidensielt",
        footer=True,
        title="Styringsrapport",
    )
    loaded = load_file(path, LIMIT)
    assert loaded.title == "Styringsrapport"
    assert [p.number for p in loaded.pages] == [1, 2, 3, 4]
    assert loaded.pages[1].text == "Andre side om kostnader."
    assert not any("konfidensielt" in p.text or "Side 2 av" in p.text for p in loaded.pages)


def test_pdf_keeps_norwegian_letters(tmp_path: Path):
    loaded = load_file(make_pdf(tmp_path / "n.pdf", ["Bærum, Ørsta og Åfjord samarbeider."]), LIMIT)
    assert "Bærum, Ørsta og Åfjord" in loaded.pages[0].text


def test_plain_text_sections_and_headings(tmp_path: Path):
    path = tmp_path / "notat.txt"
    path.write_text(
        "OM UNDERSØKELSEN\n\nDen ble gjort\ni 2020.\n\n3.2 Kostnadsposisjon\n\nKostnaden er høy.", encoding="utf-8"
    )
    loaded = load_file(path, LIMIT)
    assert [p.heading for p in loaded.pages] == ["OM UNDERSØKELSEN", "3.2 Kostnadsposisjon"]
    assert loaded.pages[0].text == "OM UNDERSØKELSEN\n\nDen ble gjort i 2020."
    assert all(p.number is None for p in loaded.pages)


def test_markdown_headings_and_title(tmp_path: Path):
    path = tmp_path / "n.md"
    path.write_text("# Tittelen\n\nIngress.\n\n## Del to\nTekst i del to.\n", encoding="utf-8")
    loaded = load_file(path, LIMIT)
    assert loaded.title == "Tittelen"
    assert [p.heading for p in loaded.pages] == ["Tittelen", "Del to"]
    assert loaded.pages[1].text == "Del to\n\nTekst i del to."


def test_docx_headings_paragraphs_and_title(tmp_path: Path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Digitaliseringsstrategi"
    d.add_heading("Mål", level=1)
    d.add_paragraph("Alle tjenester skal være digitale.")
    path = tmp_path / "strategi.docx"
    d.save(str(path))
    loaded = load_file(path, LIMIT)
    assert loaded.title == "Digitaliseringsstrategi"
    assert loaded.pages[0].heading == "Mål"
    assert "Alle tjenester skal være digitale." in loaded.pages[0].text


def test_windows_1252_text_is_decoded():
    assert decode_text("Bærum og Ålesund".encode("cp1252"), "x.txt") == "Bærum og Ålesund"


def test_utf16_with_bom_is_decoded():
    assert decode_text("Kostnad per innbygger".encode("utf-16"), "x.txt") == "Kostnad per innbygger"


def _encrypted_pdf(tmp_path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", ["Hemmelig innhold."])
    writer = PdfWriter()
    writer.append(PdfReader(plain))
    writer.encrypt(user_password="hemmelig", owner_password="eier")
    path = tmp_path / "kryptert.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _scanned_pdf(tmp_path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 150, 200, style="F")  # a "scan": marks on the page, no text layer
    path = tmp_path / "skannet.pdf"
    pdf.output(str(path))
    return path


BAD_INPUTS = {
    "corrupt": (
        lambda d: _write(d / "ødelagt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\x00\xff"),
        "ødelagt",
    ),
    "truncated": (
        lambda d: _write(d / "avkuttet.pdf", make_pdf(d / "full.pdf", ["Tekst."]).read_bytes()[:200]),
        "ødelagt",
    ),
    "encrypted": (_encrypted_pdf, "kryptert"),
    "scanned": (_scanned_pdf, "ingen uttrekkbar tekst"),
    "empty": (lambda d: _write(d / "tom.txt", b""), "tom"),
    "blank_text": (lambda d: _write(d / "blank.txt", b"  \n\n \t \n"), "ingen tekst"),
    "undecodable": (lambda d: _write(d / "binær.txt", bytes(range(256)) * 40), "dekodes"),
    "unsupported": (lambda d: _write(d / "regneark.xlsx", b"PK\x03\x04data"), "støttes ikke"),
    "huge": (lambda d: _write(d / "stor.txt", b"ord " * 2_000_000), "for stor"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_message_naming_the_file(tmp_path: Path, case: str):
    make, reason = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(LoadError) as err:
        load_file(path, LIMIT)
    assert err.value.name == path.name
    assert reason in err.value.reason
    assert str(err.value).startswith(path.name + ": ")
