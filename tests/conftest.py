"""Shared fixtures: generated report files, a small corpus, and the real index built once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import fakes
import pytest

from ingest.embed.embedders import PLUGINS_VARIABLE
from ingest.settings import IngestSettings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# The hashing test embedder ("hash:64") lives in tests/fakes.py, not in the product: registered here
# for this process, and named in the environment for the command lines the tests start.
fakes.register()
os.environ.setdefault(PLUGINS_VARIABLE, fakes.PLUGIN)

# The calibration case of the decision tools: Bærum as BCG found it in 2013 (BCG recommended "k10").
BAERUM_2013 = {
    "name": "Bærum kommune",
    "population": 116000,
    "centrality": "sentral",
    "maturity": 3,
    "maturity_areas": {"styring": 2, "porteføljestyring": 2, "gevinstrealisering": 2},
    "it_cost_per_inhabitant": 1050,
    "digitalisation_central_to_attractiveness": False,
    "major_sector_challenges": False,
    "collaboration": "iks",
}


def make_pdf(
    path: Path, pages: list[str], header: str | None = None, footer: bool = False, title: str | None = None
) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if header:
            pdf.set_xy(10, 8)
            pdf.cell(0, 6, header)
        pdf.set_xy(10, 20)
        pdf.multi_cell(0, 6, text)
        if footer:
            pdf.set_xy(10, 280)
            pdf.cell(0, 6, f"Side {number} av {len(pages)}")
    pdf.output(str(path))
    return path


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Three tiny reports in three formats, plus a manifest for one of them."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "skole.txt").write_text(
        "SKOLE OG DIGITALISERING\n\nKommunen skal gi alle elever egne nettbrett innen 2025. "
        "Lærerne får opplæring i digitale verktøy.\n\nSkolene trenger bedre trådløst nett.",
        encoding="utf-8",
    )
    (corpus / "helse.md").write_text(
        "# Helse og velferdsteknologi\n\n## Trygghetsalarmer\n\nKommunen innfører digitale trygghetsalarmer "
        "for hjemmeboende eldre. Alarmene kobles til en felles responssentral.\n",
        encoding="utf-8",
    )
    make_pdf(
        corpus / "okonomi.pdf",
        ["IKT-kostnadene per innbygger var 1 050 kroner i 2012.", "Kostnadene har økt med fem prosent i året."],
        title="Økonomirapport",
    )
    (corpus / "manifest.toml").write_text(
        '["skole.txt"]\ntitle = "Skolerapporten"\ncountry = "NO"\nyear = "2024"\n', encoding="utf-8"
    )
    return corpus


@pytest.fixture
def settings(tmp_path: Path, small_corpus: Path) -> IngestSettings:
    return IngestSettings(
        corpus_dir=small_corpus, index_dir=tmp_path / "index", embedder="hash:64", chunk_words=40, overlap_words=8
    )


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The real corpus with the real bundled embedder: built once for the whole session."""
    from ingest.pipeline import refresh

    root = tmp_path_factory.mktemp("real")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = IngestSettings(corpus_dir=corpus, index_dir=root / "index")
    report = refresh(settings)
    assert not report.failed and report.chunks > 300
    return root / "index"
