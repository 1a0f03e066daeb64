"""The offline answer: the sentences of the retrieved passages that answer the question.

Nothing is written that is not in a cited passage, apart from one framing line. Sentences are
scored by their embedding similarity to the question (vectors stored at indexing time) plus
the share of the question's words they contain; the best are taken without repeats, at most
two from one passage, and shown in reading order, each with the marker of its passage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.retrieval import HybridSearcher
from assistant.types import Passage
from ingest.chunking import sentence_spans
from ingest.lexical import passage_terms, query_terms

MAX_SENTENCES = 4
MAX_PER_PASSAGE = 1  # one excerpt per passage; excerpts from four passages read best
PASSAGES_READ = 6
LEXICAL_WEIGHT = 0.15
KEEP_WITHIN = 1.0  # no cut-off below the best: a sweep on the tuning questions found none that helped
MIN_WORDS = 6  # shorter sentences are fragments ("Figur 2:"); they join the next sentence
REDUNDANT = 0.6  # share of shared words above which a sentence repeats one already chosen
WITH_PREVIOUS = 0  # sentences shown before each chosen one (tried 1: see eval/results/tuning.md)
WITH_NEXT = 2  # also show the sentence after each chosen one: the reason or figure often follows


@dataclass(frozen=True)
class Picked:
    rank: int  # passage rank (0 = best)
    passage: Passage
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end].strip()


def _spans(searcher: HybridSearcher, row: int, passage: Passage, q: np.ndarray) -> list[tuple[int, int, float]]:
    scored = searcher.sentence_scores(row, q)
    if scored:
        return scored
    # An index without sentence vectors: fall back to words alone (similarity 0).
    return [(s, e, 0.0) for s, e, _ in sentence_spans(passage.text, passage.language, 80)]


def _merge_fragments(spans: list[tuple[int, int, float]], text: str) -> list[tuple[int, int, float]]:
    out: list[tuple[int, int, float]] = []
    for s, e, x in spans:
        if out and len(text[out[-1][0] : out[-1][1]].split()) < MIN_WORDS:
            ps, _, px = out[-1]
            out[-1] = (ps, e, max(px, x))
        else:
            out.append((s, e, x))
    return out


def pick_sentences(searcher: HybridSearcher, question: str, q: np.ndarray, ranked: list[tuple[Passage, int]]) -> list[Picked]:
    q_terms = set(query_terms(question))
    candidates: list[Picked] = []
    for rank, (passage, row) in enumerate(ranked[:PASSAGES_READ]):
        for s, e, sim in _merge_fragments(_spans(searcher, row, passage, q), passage.text):
            terms = set(passage_terms(passage.text[s:e], passage.language))
            lexical = len(q_terms & terms) / len(q_terms) if q_terms else 0.0
            candidates.append(Picked(rank, passage, s, e, sim + LEXICAL_WEIGHT * lexical - 0.005 * rank))
    if not candidates:
        return []
    candidates.sort(key=lambda p: -p.score)
    best = candidates[0].score
    chosen: list[Picked] = []
    per_passage: dict[str, int] = {}
    for cand in candidates:
        if len(chosen) >= MAX_SENTENCES or cand.score < best - KEEP_WITHIN:
            break
        if per_passage.get(cand.passage.chunk_id, 0) >= MAX_PER_PASSAGE or _repeats(cand, chosen):
            continue
        chosen.append(cand)
        per_passage[cand.passage.chunk_id] = per_passage.get(cand.passage.chunk_id, 0) + 1
    chosen = _with_following(chosen, candidates)
    # Reading order: passages in rank order, sentences in text order within a passage.
    first_rank = {}
    for c in chosen:
        first_rank.setdefault(c.passage.chunk_id, c.rank)
    return sorted(chosen, key=lambda c: (first_rank[c.passage.chunk_id], c.start))


def _with_following(chosen: list[Picked], candidates: list[Picked]) -> list[Picked]:
    """Each chosen sentence joined with the WITH_PREVIOUS before and WITH_NEXT after it in its passage."""
    if not (WITH_NEXT or WITH_PREVIOUS):
        return chosen
    by_passage: dict[str, list[Picked]] = {}
    for c in candidates:
        by_passage.setdefault(c.passage.chunk_id, []).append(c)
    for spans in by_passage.values():
        spans.sort(key=lambda c: c.start)
    out: list[Picked] = []
    for c in chosen:
        spans = by_passage[c.passage.chunk_id]
        following = [x for x in spans if x.start >= c.end][:WITH_NEXT]
        preceding = [x for x in spans if x.end <= c.start][-WITH_PREVIOUS:] if WITH_PREVIOUS else []
        start = preceding[0].start if preceding else c.start
        end = following[-1].end if following else c.end
        if any(o.passage.chunk_id == c.passage.chunk_id and o.start < end and start < o.end for o in out):
            continue  # already shown as part of a neighbour
        out.append(Picked(c.rank, c.passage, start, end, c.score))
    return out


def _repeats(cand: Picked, chosen: list[Picked]) -> bool:
    mine = set(passage_terms(cand.text, cand.passage.language))
    for other in chosen:
        theirs = set(passage_terms(other.text, other.passage.language))
        if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= REDUNDANT:
            return True
        if other.passage.chunk_id != cand.passage.chunk_id and cand.text in other.passage.text:
            return True  # overlapping chunks: the same sentence from the neighbour
    return False
