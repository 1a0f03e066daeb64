"""The memo as a reader gets it: DOCX converted to PDF by LibreOffice, then read back with pypdf.

Checks what a person would look at first: A4 pages, a sensible page count, page numbers that add up,
and page 1 holding the recommendation, for a small kommune and a large one. Needs Debian's
libreoffice-writer and poppler-utils, which `make test` installs where it can (the `office` target);
elsewhere the test is skipped with a message saying so.
"""

import datetime as dt
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from assistant.decision import (
    KommuneProfile,
    assess_ambition,
    assess_scenarios,
    benchmark,
    build_memo,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) eller pdftoppm mangler; kjør `make test` som root for å installere "
    "libreoffice-writer og poppler-utils. Gjengivelsestesten av notatet hoppes over.",
)

SMALL = {
    "name": "Fjellvik kommune",
    "population": 1200,
    "centrality": "distrikt",
    "maturity": 2,
    "it_staff_fte": 0.5,
    "bestiller_competence": 2,
    "has_it_strategy": False,
    "digitalisation_central_to_attractiveness": False,
    "major_sector_challenges": False,
    "collaboration": "none",
    "it_cost_per_inhabitant": 2400,
    "maturity_areas": {"styring": 2, "gevinstrealisering": 1},
}
LARGE = {
    "name": "Bærum kommune",
    "population": 116000,
    "centrality": "sentral",
    "maturity": 3,
    "maturity_areas": {"styring": 2, "porteføljestyring": 2, "gevinstrealisering": 2},
    "it_cost_per_inhabitant": 1050,
    "digitalisation_central_to_attractiveness": False,
    "major_sector_challenges": False,
    "collaboration": "iks",
    "has_it_strategy": True,
    "bestiller_competence": 4,
    "it_staff_fte": 60,
}
A4 = (595.3, 841.9)  # points


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    out = {}
    for key, data in (("small", SMALL), ("large", LARGE)):
        p = KommuneProfile.from_dict(data)
        memo = build_memo(
            p,
            assess_ambition(p),
            assess_scenarios(p),
            benchmark(p),
            author="Kari Nordmann",
            organisation="Rådgivning AS",
            date=dt.date(2026, 11, 29),
        )
        out[key] = (memo, memo.to_docx(folder / memo.file_name(".docx")))
    # One conversion for both, with a private LibreOffice profile so parallel runs do not collide.
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(d) for _, d in out.values()),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {key: (memo, docx.with_suffix(".pdf")) for key, (memo, docx) in out.items()}


@pytest.mark.parametrize("key", ["small", "large"])
def test_pdf_pages_are_a4_and_numbered(rendered, key):
    _, pdf = rendered[key]
    reader = PdfReader(str(pdf))
    n = len(reader.pages)
    assert 3 <= n <= 12, f"{n} sider"
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2
    last = reader.pages[-1].extract_text()
    assert f"Side {n} av {n}" in " ".join(last.split())


@pytest.mark.parametrize("key", ["small", "large"])
def test_page_one_holds_the_recommendation(rendered, key):
    memo, pdf = rendered[key]
    first = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    for words in (
        "Anbefaling",
        "Ambisjonsnivå:",
        "Start med S1 Tilrettelegger",
        "Samarbeid:",
        "Tre hovedgrunner",
        "Dette kan endre anbefalingen",
        "usikkerhet",
        memo.kommune,
        "29. november 2026",
    ):
        assert words in first, words
    assert "1. Kommuneprofil" not in first  # the details start on page 2


def test_pages_render_to_images(rendered, tmp_path):
    _, pdf = rendered["small"]
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "side")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    png = next(tmp_path.glob("side*.png"))
    from matplotlib.image import imread

    height, width = imread(str(png)).shape[:2]
    assert abs(height / width - A4[1] / A4[0]) < 0.02
