"""The reranker slot between retrieval and answering: ``Reranker.rerank(query, passages)`` may
reorder (or drop) the fused passages before sentences are scored and an answer is written.

The default, ``none``, keeps the fused order. Another reranker (a cross-encoder, say) is one class
and one ``register_reranker(name, factory)``; ``RetrievalSettings.reranker`` (``VEIVALG_RERANKER``)
chooses it and ``Assistant.load`` puts it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from assistant.answer.query import Query
from assistant.types import Passage
from ingest.errors import VeivalgError


@runtime_checkable
class Reranker(Protocol):
    def rerank(self, query: Query, passages: Sequence[Passage]) -> list[Passage]:
        """``passages`` (best first, as retrieved) in the order the answer should read them.
        Only passages it was given may come back."""
        ...


class NoReranking:
    """The fused order as it is."""

    def rerank(self, query: Query, passages: Sequence[Passage]) -> list[Passage]:
        return list(passages)


RERANKERS: dict[str, Callable[[], Reranker]] = {"none": NoReranking}


def register_reranker(name: str, factory: Callable[[], Reranker]) -> None:
    """Make ``RetrievalSettings(reranker=name)`` use ``factory()``; registering a name again replaces it."""
    RERANKERS[name] = factory


def make_reranker(name: str) -> Reranker:
    try:
        factory = RERANKERS[name]
    except KeyError:
        raise VeivalgError.of("RERANKER_UNKNOWN", name=name, known=", ".join(RERANKERS)) from None
    return factory()


def rerank_rows(reranker: Reranker, query: Query, ranked: list[tuple[Passage, int]]) -> list[tuple[Passage, int]]:
    """``ranked`` (passage, searcher row) reordered by ``reranker``; rows follow their passages by chunk id."""
    if isinstance(reranker, NoReranking) or not ranked:
        return ranked
    rows = {p.chunk_id: row for p, row in ranked}
    return [(p, rows[p.chunk_id]) for p in reranker.rerank(query, [p for p, _ in ranked]) if p.chunk_id in rows]
