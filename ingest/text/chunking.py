"""Sentence-boundary chunking with spaCy's rule-based sentencizer (no trained pipeline needed).

Sentences are packed greedily up to ``chunk_words`` words; the next chunk repeats the last
sentences of the previous one up to ``overlap_words`` words, so a fact on a boundary is
whole in at least one chunk. Chunks never cross a page, so every chunk has one page to cite.
A "sentence" longer than a chunk (tables, slide text without punctuation) is cut into windows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.documents import Chunk, Document, Page

_WORD = re.compile(r"\S+")
_SPACY_LANG = {"nb": "nb", "nn": "nb", "da": "da", "en": "en"}


@lru_cache(maxsize=4)
def _sentencizer(lang: str):
    import spacy

    nlp = spacy.blank(_SPACY_LANG.get(lang, "nb"))
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


# Norwegian and Danish abbreviations that end in a full stop. Those in NEVER_FINAL are followed by
# more of the sentence ("ca. 40", "jf. s. 7", "f.eks. Oslo"); the others can also end one
# ("… 40 mill. kr."), so they only join a next piece that starts in lower case or with a digit.
NEVER_FINAL = frozenset(
    "ca pr jf jfr bl f.eks eks dvs nr s kap fig tab pkt iht ifm mht pga ev evt inkl ekskl vs ref st "
    "bl.a f.t t.o.m o.l m.fl m.m dr prof kl ang vedr tlf".split()
)
MAY_END = frozenset("kr mill mrd mio osv mv etc m.v o.a mm".split())
ABBREVIATIONS = NEVER_FINAL | MAY_END
_LAST_WORD = re.compile(r"(\S+)\.$")


def _ends_in_abbreviation(piece: str, following: str) -> bool:
    m = _LAST_WORD.search(piece.rstrip())
    if not m:
        return False
    word = m.group(1).lower().lstrip('(«"')
    if word in NEVER_FINAL or (len(word) == 1 and word.isalpha()):  # "bl. a.", "s. 7"
        return True
    head = following.lstrip()[:1]
    return word in MAY_END and bool(head) and (head.islower() or head.isdigit())


# Slides and bullet lists lose their punctuation in PDF transcripts, so "… kunne være riktig
# Dersom kommunen …" runs on. A capitalised clause opener right after a lower-case word starts a
# new sentence; names never are in this list, so "Bærum Kommune" stays whole.
_OPENERS = (
    "Det Dette Denne Disse De Den Dersom Hvis Når Basert Vi Dog Samtidig Derfor Dermed Her Slik "
    "Kommunen Kommunene Kommunerne Rapporten Der Hvor Hvordan Hva Hvad Hvilke Ved Gjennom Etter Efter "
    "Som Med Til Om Også For En Et I På Av Fra Fra Blant Både Mange Flere Noen Nogle Alle Store Små"
).split()
_RUN_ON = re.compile(
    r"(?<=[a-zæøåäöü0-9%)»])\s+(?=(?:" + "|".join(_OPENERS) + r")\s+[a-zæøåA-ZÆØÅ0-9])"
    r"|(?<=[a-zæøåäöü%)»])\s+(?=\d+(?:\.\d+)+\.?\s+[A-ZÆØÅ])"  # "… kommune 8.7 Scenario 2: …": a section heading
    r"|\s+(?=(?:Figur|Figure|Tabell|Table|Kilde|Source)\s+\d+\s*:)"  # a caption
    r"|(?<=\d\.)\s+(?=(?:" + "|".join(_OPENERS) + r")\s)"  # "… scenario 1. Det …": spaCy reads "1." as an ordinal
)


def _split_run_ons(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in _RUN_ON.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def sentence_spans(text: str, lang: str, max_words: int) -> list[tuple[int, int, int]]:
    """(start, end, words) of each sentence; paragraphs always end a sentence."""
    spans: list[tuple[int, int, int]] = []
    nlp = _sentencizer(lang)
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        base = para.start()
        pieces: list[tuple[int, int]] = []
        for sent in nlp(para.group()).sents:
            s, e = base + sent.start_char, base + sent.end_char
            if pieces and _ends_in_abbreviation(text[pieces[-1][0] : pieces[-1][1]], text[s:e]):
                pieces[-1] = (pieces[-1][0], e)  # spaCy split after "ca." or "bl.": one sentence
            else:
                pieces.append((s, e))
        for s, e in pieces:
            for a, b in _split_run_ons(text, s, e) if lang != "en" else [(s, e)]:
                spans.extend(_split_long(text, a, b, max_words))
    return spans


def _split_long(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int, int]]:
    words = list(_WORD.finditer(text, start, end))
    if not words:
        return []
    out = []
    for i in range(0, len(words), max_words):
        window = words[i : i + max_words]
        out.append((window[0].start(), window[-1].end(), len(window)))
    return out


def _merge_small_sections(pages: tuple[Page, ...], min_words: int) -> list[tuple[Page, int]]:
    """Unpaged sections too short to stand alone join the next one; returns (page, offset)."""
    out: list[tuple[Page, int]] = []
    offset = 0
    for page in pages:
        prev = out[-1][0] if out else None
        if prev is not None and prev.number is None and page.number is None and len(prev.text.split()) < min_words:
            merged = Page(number=None, text=prev.text + "\n\n" + page.text, heading=prev.heading or page.heading)
            out[-1] = (merged, out[-1][1])
        else:
            out.append((page, offset))
        offset += len(page.text) + 2  # Document.text joins pages with a blank line
    return out


def chunk_document(doc: Document, chunk_words: int, overlap_words: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    for page, offset in _merge_small_sections(doc.pages, max(1, chunk_words // 4)):
        for start, end in _pack(sentence_spans(page.text, doc.language, chunk_words), chunk_words, overlap_words):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.source}#{len(chunks)}",
                    source=doc.source,
                    title=doc.meta.title,
                    text=page.text[start:end],
                    page=page.number,
                    page_end=page.number,
                    heading=page.heading,
                    language=doc.language,
                    start=offset + start,
                    end=offset + end,
                )
            )
    return chunks


def _pack(sents: list[tuple[int, int, int]], chunk_words: int, overlap_words: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j, words = i, 0
        while j < len(sents) and (j == i or words + sents[j][2] <= chunk_words):
            words += sents[j][2]
            j += 1
        out.append((sents[i][0], sents[j - 1][1]))
        if j >= len(sents):
            break
        # Step back over whole sentences for the overlap, but always move forward.
        back, k = 0, j
        while k - 1 > i and back + sents[k - 1][2] <= overlap_words:
            k -= 1
            back += sents[k][2]
        i = k
    return out


MIN_SENTENCE_WORDS = 4  # "Figur 3:" and the like match everything and mean nothing


def chunk_sentences(chunk: Chunk) -> list[tuple[int, int]]:
    """(start, end) offsets within ``chunk.text`` of the sentences that get their own vector."""
    return [(s, e) for s, e, words in sentence_spans(chunk.text, chunk.language, 60) if words >= MIN_SENTENCE_WORDS]


def embedding_text(chunk: Chunk, with_context: bool) -> str:
    """What the embedder reads: the passage, led by its report title and section when asked."""
    if not with_context:
        return chunk.text
    context = chunk.title if not chunk.heading else f"{chunk.title} — {chunk.heading}"
    return f"{context}\n{chunk.text}"
