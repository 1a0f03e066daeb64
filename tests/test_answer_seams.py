"""The reranker slot and the answer strategy: chosen by settings, assembled by ``Assistant.load``."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from stub_openai import StubOpenAI

from assistant import Assistant
from assistant.answer.query import Query
from assistant.answer.strategies import ExtractiveAnswers, ModelAnswers
from assistant.llm.models import LLMSettings
from assistant.retrieval.rerank import RERANKERS, NoReranking, register_reranker
from assistant.settings import RetrievalSettings, Settings
from assistant.types import Passage
from ingest.errors import VeivalgError
from ingest.pipeline import refresh

QUESTION = "Hva trenger skolene og kommunen?"
TWINS = {"skole.txt", "kopi.txt"}


class Reversed:
    """The fused order turned upside down: the passage retrieved last is read first."""

    def rerank(self, query: Query, passages: Sequence[Passage]) -> list[Passage]:
        return list(reversed(passages))


@pytest.fixture
def index(settings):
    # A second report with the school report's very words: which of the two is cited follows
    # only the order the answer reads the passages in.
    corpus = settings.corpus_dir
    (corpus / "kopi.txt").write_text((corpus / "skole.txt").read_text(encoding="utf-8"), encoding="utf-8")
    refresh(settings)
    return settings.index_dir


def test_the_default_keeps_the_fused_order_and_a_reranker_changes_what_is_cited(index, monkeypatch):
    plain = Assistant.load(Settings(index_dir=index))
    assert isinstance(plain.answerer.reranker, NoReranking)
    before = plain.ask(QUESTION)
    cited = [p.source for p in before.citations]
    assert len(cited) == 1 and cited[0] in TWINS, before.text
    monkeypatch.setitem(RERANKERS, "reversed", Reversed)  # removed again after the test
    register_reranker("reversed", Reversed)
    reranked = Assistant.load(Settings(index_dir=index, retrieval=RetrievalSettings(reranker="reversed")))
    after = reranked.ask(QUESTION)
    assert [p.source for p in after.citations] == sorted(TWINS - set(cited)), after.text


def test_an_unknown_reranker_is_named(index):
    with pytest.raises(VeivalgError, match="Ukjent reranker «kryss»"):
        Assistant.load(Settings(index_dir=index, retrieval=RetrievalSettings(reranker="kryss")))


def test_the_reranker_comes_from_the_environment():
    assert Settings.from_env({"VEIVALG_RERANKER": "kryss"}).retrieval.reranker == "kryss"
    assert Settings.from_env({}).retrieval.reranker == "none"


def test_the_strategy_follows_the_language_model_setting(index):
    extractive = Assistant.load(Settings(index_dir=index))
    assert isinstance(extractive.answerer.strategy, ExtractiveAnswers) and not extractive.uses_language_model
    assert extractive.ask(QUESTION).mode == "extractive"
    with StubOpenAI("Alle elever får egne nettbrett innen 2025 [1].") as stub:
        llm = LLMSettings(provider="openai", base_url=stub.url, model="stub")
        model = Assistant.load(Settings(index_dir=index, llm=llm))
        assert isinstance(model.answerer.strategy, ModelAnswers) and model.uses_language_model
        assert model.ask(QUESTION).mode == "llm"
