"""The retrieval API over a small index built with the hashing embedder."""

from __future__ import annotations

import pytest

from assistant import Assistant, Filters, Passage
from assistant.settings import RetrievalSettings, Settings
from ingest.errors import IndexMissing, IndexProblem, VeivalgError
from ingest.pipeline import refresh


@pytest.fixture
def assistant(settings) -> Assistant:
    refresh(settings)
    return Assistant.load(Settings(index_dir=settings.index_dir))


def test_retrieve_returns_ranked_passages_with_citation_fields(assistant: Assistant):
    hits = assistant.retrieve("nettbrett til elevene", k=3)
    assert hits and all(isinstance(h, Passage) for h in hits)
    top = hits[0]
    assert top.source == "skole.txt" and top.title == "Skolerapporten" and "nettbrett" in top.text
    assert top.page is None and top.chunk_id.startswith("skole.txt#") and top.year == "2024"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_pdf_passages_carry_page_numbers(assistant: Assistant):
    top = assistant.retrieve("Kostnadene har økt med fem prosent", k=1)[0]
    assert (top.source, top.page) == ("okonomi.pdf", 2)
    assert top.cite() == "Økonomirapport, s. 2"


def test_bm25_alone_finds_stemmed_forms(settings):
    refresh(settings)
    sparse_only = Assistant.load(
        Settings(index_dir=settings.index_dir, retrieval=RetrievalSettings(use_dense=False, use_sentences=False))
    )
    assert sparse_only.retrieve("trygghetsalarm", k=1)[0].source == "helse.md"  # alarmer -> alarm


def test_filters_restrict_sources(assistant: Assistant):
    hits = assistant.retrieve("kommunen", k=10, filters=Filters(sources=frozenset({"helse.md"})))
    assert hits and {h.source for h in hits} == {"helse.md"}
    assert assistant.retrieve("kommunen", k=10, filters=Filters(countries=frozenset({"DK"}))) == []


def test_empty_question_is_a_clear_error(assistant: Assistant):
    with pytest.raises(VeivalgError, match="Skriv et spørsmål"):
        assistant.retrieve("   ")


def test_odd_questions_do_not_crash(assistant: Assistant):
    assert isinstance(assistant.retrieve("?!#%&/()", k=3), list)
    assert isinstance(assistant.retrieve("ord " * 5000, k=3), list)
    assert isinstance(assistant.retrieve("<script>alert(1)</script>", k=3), list)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissing, match="Fant ingen indeks"):
        Assistant.load(Settings(index_dir=tmp_path / "ingen"))


def test_settings_naming_another_embedder_than_the_index_is_refused(settings):
    refresh(settings)
    with pytest.raises(IndexProblem, match="bygget med «hash:64»"):
        Assistant.load(Settings(index_dir=settings.index_dir, embedder="hash:32"))


def test_langchain_retriever_adapter(assistant: Assistant):
    from assistant.llm.langchain_adapter import VeivalgRetriever

    docs = VeivalgRetriever(assistant=assistant, k=2).invoke("trygghetsalarmer for eldre")
    assert len(docs) == 2 and docs[0].metadata["source"] == "helse.md" and "page" in docs[0].metadata


def test_search_cli(settings, capsys):
    from assistant.__main__ import main

    refresh(settings)
    assert main(["search", "nettbrett", "-k", "2", "--index", str(settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. Skolerapporten")


def test_sentence_vectors_are_stored_and_scored(settings):
    from ingest.index.files import read_index

    refresh(settings)
    data = read_index(settings.index_dir)
    assert data.sentences is not None and len(data.sentences.owner) >= len(data.chunks)
    for row, (start, end) in zip(data.sentences.owner, data.sentences.spans, strict=True):
        assert len(data.chunks[row].text[start:end].split()) >= 4
    only_sentences = Assistant.load(
        Settings(index_dir=settings.index_dir, retrieval=RetrievalSettings(use_dense=False, use_sparse=False))
    )
    assert only_sentences.retrieve("digitale trygghetsalarmer for hjemmeboende eldre", k=1)[0].source == "helse.md"


@pytest.mark.parametrize("fusion", ["zscore", "rrf", "convex"])
def test_every_fusion_mode_answers(settings, fusion):
    refresh(settings)
    a = Assistant.load(
        Settings(
            index_dir=settings.index_dir, retrieval=RetrievalSettings(fusion=fusion, use_sentences=fusion != "convex")
        )
    )
    assert a.retrieve("nettbrett til elevene", k=2)[0].source == "skole.txt"
