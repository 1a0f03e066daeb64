"""The offline answer: the sentences of the retrieved passages that answer the question.

Every sentence of the top passages that is quotable prose becomes a candidate, scored by
``sentence_scorer`` (fitted on the tuning half of the dev set). The direct answer is the best
one to three sentences, each with the sentence before it when it refers back to it ("Dette",
"alternativ 2 ovenfor"). Excerpts from other passages follow only when they are nearly as likely
to answer and add terms of the question the short answer lacks. Citations are exactly the
passages quoted; the other close passages go to "Se også", not presented as support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer.prose import clean_quote, is_prose
from assistant.answer.query import Query
from assistant.answer.sentence_scorer import SentenceFacts, features, load_model
from assistant.retrieval.hybrid import HybridSearcher
from assistant.types import Answer, Excerpt, Passage, Statement
from ingest.text.chunking import sentence_spans
from ingest.text.lexical import passage_terms

PASSAGES_READ = 8
MAX_SHORT = 2
SHORT_WITHIN = 0.55  # further short-answer sentences need this share of the best one's probability
SHORT_MIN = 0.25  # … and at least this probability
EXCERPT_WITHIN = 0.9  # an excerpt from another passage needs this share of the best probability (tuned)
MAX_EXCERPTS = 0  # excerpts from further passages cost more precision than they add recall (tuning grid)
SEE_ALSO = 3
FILL_WORDS = 120  # fill the answer up to this many words with the best passage's neighbouring sentences
WITH_NEXT = 1  # the sentence after a short-answer sentence: the reason or figure often follows
REDUNDANT = 0.6  # share of shared terms above which a sentence repeats one already chosen
_REFERS_BACK = re.compile(
    r"^(dette|denne|disse|det|de|dei|desse|dermed|derfor|her|slik|sådan|således|this|these|that|those|"
    r"it|they|such|thus|hence|samtidig|videre|i tillegg)\b|\b(ovenfor|ovennevnte|nevnt over|over nevnte|"
    r"førnevnte|nævnte|ovenstående|foregående|above|aforementioned|alternativ \d ovenfor)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    rank: int  # rank of the passage in the fused ranking (0 = best)
    passage: Passage
    spans: tuple[tuple[int, int], ...]  # all sentence spans of the passage, in text order
    index: int  # which of them this is
    sim: float
    features: tuple[float, ...] = ()
    probability: float = 0.0

    @property
    def text(self) -> str:
        s, e = self.spans[self.index]
        return clean_quote(self.passage.text[s:e])

    def neighbour(self, step: int) -> str | None:
        i = self.index + step
        if 0 <= i < len(self.spans):
            s, e = self.spans[i]
            text = clean_quote(self.passage.text[s:e])
            return text if is_prose(text) else None
        return None


def _sentences(searcher: HybridSearcher, row: int, passage: Passage, q: np.ndarray) -> list[tuple[int, int, float]]:
    scored = searcher.sentence_scores(row, q)
    if scored:
        return scored
    # An index without sentence vectors: words alone decide (similarity 0).
    return [(s, e, 0.0) for s, e, _ in sentence_spans(passage.text, passage.language, 80)]


def candidates(
    searcher: HybridSearcher, query: Query, q: np.ndarray, ranked: list[tuple[Passage, int]]
) -> list[Candidate]:
    """Every quotable sentence of the top passages, scored, best first."""
    raw: list[Candidate] = []
    for rank, (passage, row) in enumerate(ranked[:PASSAGES_READ]):
        scored = _sentences(searcher, row, passage, q)
        spans = tuple((s, e) for s, e, _ in scored)
        for i, (s, e, sim) in enumerate(scored):
            if is_prose(passage.text[s:e]):
                raw.append(Candidate(rank, passage, spans, i, sim))
    if not raw:
        return []
    model, terms = load_model(), frozenset(query.terms)
    rarity = {t: searcher.idf(t) for t in terms}
    best_sim = max(c.sim for c in raw)
    top_score = ranked[0][0].score
    out = []
    for c in raw:
        context = " ".join(x for x in (c.neighbour(-1), c.text, c.neighbour(1)) if x)
        facts = SentenceFacts(
            text=c.text,
            context=context,
            language=c.passage.language,
            sim=c.sim,
            best_sim=best_sim,
            passage_rank=c.rank,
            passage_score=_relative(c.passage.score, top_score),
            position=c.index,
            source=f"{c.passage.title} {c.passage.publisher or ''} {c.passage.heading or ''}",
        )
        x = features(facts, terms, query.kind, rarity, query.subject)
        out.append(replace(c, features=tuple(x), probability=model.probability(x)))
    return sorted(out, key=lambda c: -c.probability)


def _relative(score: float, top: float) -> float:
    return score / top if top > 0 else 0.0


def _terms(text: str, lang: str) -> set[str]:
    return set(passage_terms(text, lang))


def _repeats(cand: Candidate, chosen: list[Candidate]) -> bool:
    mine = _terms(cand.text, cand.passage.language)
    for other in chosen:
        if other.passage.chunk_id == cand.passage.chunk_id and other.index == cand.index:
            return True
        if cand.text == other.text:
            return True  # the same sentence from an overlapping chunk
        theirs = _terms(other.text, other.passage.language)
        if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= REDUNDANT:
            return True
    return False


def choose(
    cands: list[Candidate],
    max_short: int = MAX_SHORT,
    short_within: float = SHORT_WITHIN,
    max_excerpts: int = MAX_EXCERPTS,
    excerpt_within: float = EXCERPT_WITHIN,
) -> tuple[list[Candidate], list[Candidate]]:
    """The short answer's sentences and the excerpts (one per further passage)."""
    if not cands:
        return [], []
    best = cands[0].probability
    short: list[Candidate] = [cands[0]]
    for c in cands[1:]:
        if len(short) >= max_short or c.probability < max(SHORT_MIN, short_within * best):
            break
        if c.passage.chunk_id in {s.passage.chunk_id for s in short} or c.rank <= short[0].rank + 2:
            if not _repeats(c, short):
                short.append(c)
    covered = {s.passage.chunk_id for s in short}
    excerpts: list[Candidate] = []
    for c in cands:
        if len(excerpts) >= max_excerpts or c.probability < excerpt_within * best:
            break
        if c.passage.chunk_id in covered or _repeats(c, short + excerpts):
            continue
        excerpts.append(c)
        covered.add(c.passage.chunk_id)
    return short, excerpts


def build_answer(
    query: Query,
    ranked: list[tuple[Passage, int]],
    cands: list[Candidate],
    with_next: int = WITH_NEXT,
    fill_words: int = FILL_WORDS,
    **limits,
) -> Answer | None:
    short, excerpts = choose(cands, **limits)
    if not short:
        return None
    numbers: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    passages: dict[str, Passage] = {}

    def marker(c: Candidate, text: str) -> int:
        # Chunks of one page are one citation: [1], not [1] and [2] both for "s. 36".
        key = next((k for k, p in passages.items() if _overlaps(p, c.passage)), c.passage.chunk_id)
        passages[key] = _merged(passages[key], c.passage) if key in passages else c.passage
        quotes.setdefault(key, []).append(text)
        return numbers.setdefault(key, len(numbers) + 1)

    statements: list[Statement] = []
    # Reading order within a passage; passages in the order of their best sentence.
    first = {c.passage.chunk_id: i for i, c in reversed(list(enumerate(short)))}
    for c in sorted(short, key=lambda c: (first[c.passage.chunk_id], c.index)):
        before = c.neighbour(-1)
        if before and _REFERS_BACK.search(c.text) and not any(before == s.text for s in statements):
            statements.append(Statement(before, (marker(c, before),), role="context"))
        if not any(c.text == s.text for s in statements):
            statements.append(Statement(c.text, (marker(c, c.text),)))
        for step in range(1, with_next + 1):
            after = c.neighbour(step)
            if not after or any(after == s.text for s in statements) or any(after == x.text for x in short):
                break
            statements.append(Statement(after, (marker(c, after),), role="context"))
    statements = _as_list_items(statements)
    shown = [Excerpt(marker(c, text), text) for c in excerpts for text in [_excerpt_text(c)]]
    used = sum(len(s.text.split()) for s in statements) + sum(len(e.text.split()) for e in shown)
    more = _fill(short[0], {s.text for s in statements} | {e.text for e in shown}, fill_words - used)
    if more:
        shown.insert(0, Excerpt(marker(short[0], more), more))
    citations = tuple(passages[k] for k in numbers)
    cited = set(numbers)
    see_also = tuple(p for p in readable(ranked, cands) if p.chunk_id not in cited and not _same_text(p, citations))[
        :SEE_ALSO
    ]
    return Answer(
        question=query.asked,
        short=tuple(statements),
        excerpts=tuple(shown),
        citations=citations,
        see_also=see_also,
        language=query.language,
        search_query=query.searched,
        quotes=tuple(" ".join(quotes[k]) for k in numbers),
    )


def readable(ranked: list[tuple[Passage, int]], cands: list[Candidate], limit: int = PASSAGES_READ) -> list[Passage]:
    """The passages among the first ``limit`` with at least one quotable sentence (a contents page or a
    flattened table is no use to a reader as "the closest the reports come"), each previewed by its
    sentence most likely to answer, not by whatever its text starts with."""
    best: dict[str, str] = {}
    for c in cands:  # best first
        best.setdefault(c.passage.chunk_id, c.text)
    out: list[Passage] = []
    shown: set[str] = set()
    for p, _ in ranked[:limit]:
        if p.chunk_id in best and best[p.chunk_id] not in shown:  # overlapping chunks share a best sentence
            shown.add(best[p.chunk_id])
            out.append(replace(p, preview=best[p.chunk_id]))
    return out


def _fill(best: Candidate, shown: set[str], budget: int) -> str:
    """The best passage's other prose sentences nearest the best one, in text order, within ``budget`` words."""
    picked: list[int] = []
    for step in range(1, len(best.spans)):
        for i in (best.index + step, best.index - step):
            text = best.neighbour(i - best.index)
            if budget <= 0 or text is None or text in shown:
                continue
            if len(text.split()) <= budget:
                picked.append(i)
                budget -= len(text.split())
    return " ".join(best.neighbour(i - best.index) or "" for i in sorted(picked)).strip()


def _excerpt_text(c: Candidate) -> str:
    """The sentence, with the one before it when it refers back to it."""
    before = c.neighbour(-1)
    return f"{before} {c.text}" if before and _REFERS_BACK.search(c.text) else c.text


_SENTENCE_END = re.compile(r"[.!?…:;]+[\"'»”’)]*$")


def _as_list_items(statements: list[Statement]) -> list[Statement]:
    """Points of a list (a table's pros and cons, a slide's bullets) have no full stop; run together
    they read as one long sentence, so each becomes a list item, and the prose after them a new
    paragraph."""
    if sum(not _SENTENCE_END.search(s.text) for s in statements) < 2:
        return statements
    out: list[Statement] = []
    after_item = False
    for s in statements:
        item = not _SENTENCE_END.search(s.text)
        lead = "\n- " if item else ("\n\n" if after_item else s.lead)
        out.append(replace(s, lead=lead))
        after_item = item
    return out


def _overlaps(a: Passage, b: Passage) -> bool:
    """Chunks of the same page (a chunk repeats the end of the one before; a long slide has several),
    or, in a report without pages, chunks whose text overlaps."""
    if a.source != b.source or a.page != b.page:
        return False
    return a.page is not None or (a.start < b.end and b.start < a.end)


def _merged(a: Passage, b: Passage) -> Passage:
    """One passage covering both, in text order; both are slices of the same page text, so an overlap
    lines up, and a gap between them is marked […]."""
    if a.chunk_id == b.chunk_id or (a.start <= b.start and b.end <= a.end):
        return a
    if b.start <= a.start and a.end <= b.end:
        return replace(b, chunk_id=a.chunk_id, score=a.score)
    left, right = (a, b) if a.start <= b.start else (b, a)
    if right.start < left.end:
        text = left.text + right.text[left.end - right.start :]
    else:
        text = f"{left.text} […] {right.text}"
    return replace(a, text=text, start=left.start, end=right.end)


def _same_text(p: Passage, citations: tuple[Passage, ...]) -> bool:
    return any(c.source == p.source and c.page == p.page and (p.start < c.end and c.start < p.end) for c in citations)
