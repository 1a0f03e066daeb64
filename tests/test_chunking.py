from ingest.documents import Document, DocumentMeta, Page
from ingest.text.chunking import chunk_document, embedding_text, sentence_spans


def _doc(pages, lang="nb"):
    return Document(
        meta=DocumentMeta(source="r.txt", title="Rapport"), pages=tuple(pages), content_hash="x", language=lang
    )


def _sentences(n, words=10, stem="Setning"):
    return " ".join(f"{stem} {i} " + " ".join(["ord"] * (words - 3)) + " slutt." for i in range(n))


def test_chunks_end_on_sentence_boundaries_and_respect_size():
    doc = _doc([Page(number=3, text=_sentences(20))])
    chunks = chunk_document(doc, chunk_words=40, overlap_words=10)
    assert len(chunks) > 4
    for c in chunks:
        assert c.text.startswith("Setning") and c.text.endswith("slutt.")
        assert len(c.text.split()) <= 40


def test_consecutive_chunks_overlap_by_whole_sentences():
    chunks = chunk_document(_doc([Page(number=1, text=_sentences(12))]), chunk_words=40, overlap_words=10)
    for a, b in zip(chunks, chunks[1:], strict=False):
        first_sentence_of_b = b.text.split(" slutt.")[0] + " slutt."
        assert first_sentence_of_b in a.text
        assert b.start < a.end


def test_chunk_metadata_and_offsets_into_the_document_text():
    doc = _doc(
        [Page(number=4, text=_sentences(3), heading="4.1 Ambisjon"), Page(number=5, text=_sentences(3, stem="Neste"))]
    )
    chunks = chunk_document(doc, chunk_words=200, overlap_words=0)
    assert [(c.page, c.heading, c.chunk_id) for c in chunks] == [(4, "4.1 Ambisjon", "r.txt#0"), (5, None, "r.txt#1")]
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.source == "r.txt" and c.title == "Rapport" and c.language == "nb"


def test_chunks_never_cross_pages():
    doc = _doc([Page(number=1, text="Kort side."), Page(number=2, text="Neste side.")])
    assert [c.text for c in chunk_document(doc, 100, 10)] == ["Kort side.", "Neste side."]


def test_small_unpaged_sections_are_merged():
    doc = _doc(
        [
            Page(number=None, text="OVERSKRIFT", heading="OVERSKRIFT"),
            Page(number=None, text=_sentences(2), heading="DEL"),
        ]
    )
    chunks = chunk_document(doc, 40, 5)
    assert len(chunks) == 1 and chunks[0].text.startswith("OVERSKRIFT\n\nSetning 0")
    assert chunks[0].heading == "OVERSKRIFT"
    assert doc.text[chunks[0].start : chunks[0].end] == chunks[0].text


def test_a_sentence_longer_than_a_chunk_is_cut_into_windows():
    spans = sentence_spans(" ".join(["tabellcelle"] * 95), "nb", max_words=40)
    assert [w for _, _, w in spans] == [40, 40, 15]


def test_danish_sentences_are_split_too():
    spans = sentence_spans("Kommunerne samarbejder. De deler it-drift! Hvorfor? Fordi det betaler sig.", "da", 50)
    assert len(spans) == 4


def test_embedding_text_carries_title_and_heading():
    chunk = chunk_document(_doc([Page(number=1, text="Tekst.", heading="Del 1")]), 50, 0)[0]
    assert embedding_text(chunk, with_context=True) == "Rapport — Del 1\nTekst."
    assert embedding_text(chunk, with_context=False) == "Tekst."
