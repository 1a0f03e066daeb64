"""PgIndexStore against the embedded store on the same index: the same passages for the dev questions,
filters acting inside the search, writes that fail leave the old version, an embedder switch."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.hybrid import HybridSearcher
from assistant.retrieval.indexes import Filters, open_embedded
from assistant.settings import RetrievalSettings
from eval.gold import load_gold
from ingest.embed.embedders import make_embedder
from ingest.errors import IndexMissing, VeivalgError
from ingest.index.files import IndexData
from ingest.index.store import FileIndexStore, open_store
from ingest.settings import IngestSettings
from ingest.text.lexical import passage_terms, query_terms
from server.db import connect
from server.pg_index import PgIndexStore

ROOT = Path(__file__).resolve().parents[2]
EMBEDDER = "hash:64"


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> IndexData:
    """The real corpus, indexed with the hash embedder (seconds, no model)."""
    from ingest.pipeline import refresh

    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    report = refresh(IngestSettings(corpus_dir=root / "corpus", index_dir=root / "index", embedder=EMBEDDER))
    assert not report.failed and report.chunks > 100
    return FileIndexStore(root / "index").read()


def _terms(data: IndexData) -> list[list[str]]:
    return [passage_terms(c.text, c.language) for c in data.chunks]  # as ingest.pipeline gives bm25s


@pytest.fixture(scope="module")
def pg_store(pg_url, embedded) -> PgIndexStore:
    store = PgIndexStore(pg_url)
    store.write(embedded.manifest, embedded.chunks, embedded.vectors, _terms(embedded), embedded.sentences)
    return store


def _questions() -> list[str]:
    return [q.question for q in load_gold(ROOT / "eval/gold/dev.jsonl")]


def _searchers(embedded, pg_store, settings: RetrievalSettings):
    embedder = make_embedder(EMBEDDER)
    embed = lambda text: embedder.embed_queries([text])[0]  # noqa: E731
    return (
        HybridSearcher.over(open_embedded(embedded, "memory"), embed, settings),
        HybridSearcher.over(pg_store.open_index(), embed, settings),
    )


def test_open_store_and_round_trip(pg_store, pg_url, embedded):
    assert isinstance(open_store(Path("unused"), pg_url), PgIndexStore)
    back = pg_store.read()
    assert back.chunks == embedded.chunks
    np.testing.assert_allclose(back.vectors, embedded.vectors, rtol=0, atol=1e-6)
    assert back.sentences is not None and embedded.sentences is not None
    np.testing.assert_array_equal(back.sentences.owner, embedded.sentences.owner)
    np.testing.assert_array_equal(back.sentences.spans, embedded.sentences.spans)
    np.testing.assert_allclose(back.sentences.vectors, embedded.sentences.vectors, atol=1e-6)
    assert back.manifest["documents"] == embedded.manifest["documents"]
    assert back.manifest["embedder"] == embedded.manifest["embedder"] and pg_store.current() == back.path.name
    assert "password" not in pg_store.location


def test_bm25_scores_equal_bm25s(embedded, pg_store):
    opened, pg = open_embedded(embedded, "memory").lexical, pg_store.open_index().lexical
    assert sorted(pg.vocabulary()) == sorted(t for t in opened.vocabulary() if t)  # bm25s keeps an empty token
    rows = list(range(len(embedded.chunks)))
    for question in _questions()[:15]:
        terms = [t for t in query_terms(question) if opened.knows(t)]
        np.testing.assert_allclose(pg.scores(terms, rows), opened.scores(terms, rows), rtol=1e-4, atol=1e-5)
        assert pg.search(terms, 10) == opened.search(terms, 10)
        for t in terms[:3]:
            assert pg.document_frequency(t) == opened.document_frequency(t) > 0


def test_dense_only_passages_are_identical(embedded, pg_store):
    settings = RetrievalSettings(use_sparse=False, use_sentences=False)
    local, server = _searchers(embedded, pg_store, settings)
    rows = {c.chunk_id: i for i, c in enumerate(embedded.chunks)}
    for question in _questions():
        q = local.embed(question)
        a, b = [p.chunk_id for p in local.search(question, 5)], [p.chunk_id for p in server.search(question, 5)]
        sa, sb = (embedded.vectors[[rows[c] for c in ids]] @ q for ids in (a, b))
        np.testing.assert_allclose(sb, sa, atol=1e-6)  # the same similarities, rank by rank
        for x, y, score in zip(a, b, sa, strict=True):  # the same passages, but for exact ties
            assert x == y or np.sum(np.isclose(embedded.vectors @ q, score, atol=1e-6)) > 1, question


def test_hybrid_same_top_passage_and_strong_overlap(embedded, pg_store):
    local, server = _searchers(embedded, pg_store, RetrievalSettings())
    overlaps = []
    for question in _questions():
        a, b = [p.chunk_id for p in local.search(question, 10)], [p.chunk_id for p in server.search(question, 10)]
        assert a[0] == b[0], question
        overlaps.append(len(set(a) & set(b)) / len(a))
    assert np.mean(overlaps) >= 0.95


@pytest.mark.parametrize("kind", ["sources", "countries", "languages"])
def test_filters_return_k_from_the_filtered_set(embedded, pg_store, kind):
    docs = embedded.manifest["documents"]
    source = sorted(docs)[0]
    filters = {
        "sources": Filters(sources=frozenset({source})),
        "countries": Filters(countries=frozenset({"DK"})),
        "languages": Filters(languages=frozenset({"da"})),
    }[kind]
    allowed = [
        i
        for i, c in enumerate(embedded.chunks)
        if (not filters.sources or c.source in filters.sources)
        and (not filters.countries or docs[c.source].get("country") in filters.countries)
        and (not filters.languages or c.language in filters.languages)
    ]
    assert 10 < len(allowed) < len(embedded.chunks)
    local, server = _searchers(embedded, pg_store, RetrievalSettings())
    opened = pg_store.open_index()
    q = server.embed(_questions()[0])
    dense = opened.dense.search(q, 10, filters)
    assert len(dense) == 10 and set(dense) <= set(allowed)
    assert dense == local._dense.search(q, 10, filters)
    assert opened.sentences is not None
    by_sentence = opened.sentences.search(q, 10, filters)
    assert len(by_sentence) == 10 and set(by_sentence) <= set(allowed)
    for index in (opened.dense, opened.sentences):  # the HNSW path too (a narrow filter is searched exactly)
        index.exact_below = 0  # type: ignore[union-attr]
        through_hnsw = index.search(q, 10, filters)
        assert len(through_hnsw) == 10 and set(through_hnsw) <= set(allowed)
        index.exact_below = 10**9  # type: ignore[union-attr]
    assert opened.dense.search(q, 10, filters) == dense
    narrow = allowed[:3]
    tiny = Filters(sources=frozenset({embedded.chunks[narrow[0]].source}))
    assert len(opened.dense.search(q, 10_000, tiny)) == sum(c.source in tiny.sources for c in embedded.chunks)
    for question in _questions()[:10]:
        got = server.search(question, 5, filters)
        assert len(got) == 5 and {server.row_of(p.chunk_id) for p in got} <= set(allowed)
        assert got[0].chunk_id == local.search(question, 5, filters)[0].chunk_id


def _schemas(url: str) -> set[str]:
    with connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ix\\_%'").fetchall()}


def _small(embedded: IndexData, n: int = 40, dim: int | None = None) -> tuple[dict, list, np.ndarray, list[list[str]]]:
    chunks = embedded.chunks[:n]
    vectors = (
        embedded.vectors[:n] if dim is None else np.random.default_rng(0).standard_normal((n, dim)).astype(np.float32)
    )
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return dict(embedded.manifest), chunks, vectors, _terms(replace(embedded, chunks=chunks))


def test_a_failed_write_leaves_the_old_version_live_and_nothing_half_written(fresh_db, embedded, monkeypatch):
    store = PgIndexStore(fresh_db)
    with pytest.raises(IndexMissing):
        store.read()
    manifest, chunks, vectors, terms = _small(embedded)
    first = store.write(manifest, chunks, vectors, terms)
    schemas = _schemas(fresh_db)
    import server.pg_index as pg_index

    def broken(*args):
        raise RuntimeError("disk full while building the index")

    monkeypatch.setattr(pg_index, "_indexes", broken)  # fails after every row is copied in
    with pytest.raises(RuntimeError):
        store.write(
            manifest,
            embedded.chunks[:60],
            embedded.vectors[:60],
            _terms(replace(embedded, chunks=embedded.chunks[:60])),
        )
    assert store.current() == first and len(store.read().chunks) == 40
    assert _schemas(fresh_db) == schemas
    with connect(fresh_db) as conn:
        assert conn.execute("SELECT count(*) FROM index_versions").fetchone()[0] == 1
    monkeypatch.undo()
    with pytest.raises(Exception):  # noqa: B017 - a duplicate chunk id: the database refuses the COPY
        store.write(manifest, chunks + chunks[:1], np.vstack([vectors, vectors[:1]]), terms + terms[:1])
    assert store.current() == first and _schemas(fresh_db) == schemas


def test_embedder_switch_builds_a_new_set_while_the_old_one_answers(fresh_db, embedded):
    store = PgIndexStore(fresh_db)
    manifest, chunks, vectors, terms = _small(embedded)
    first = store.write(manifest, chunks, vectors, terms)
    old = store.open_index()
    q_old = vectors[3]
    assert old.dense.search(q_old, 1) == [3]

    seen: list[tuple[str | None, int]] = []
    stop = threading.Event()

    def reader() -> None:  # every answer during the switch comes from one whole version
        while not stop.is_set():
            opened = store.open_index()
            seen.append((opened.name, len(opened.dense.search(np.ones(opened.manifest["dim"], np.float32), 100))))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        manifest2, _, vectors2, _ = _small(embedded, dim=32)
        second = store.write({**manifest2, "embedder": "other:32"}, chunks[:30], vectors2[:30], terms[:30])
    finally:
        stop.set()
        thread.join()
    assert second != first and store.current() == second
    assert {name for name, _ in seen} <= {first, second}
    assert all(n == (40 if name == first else 30) for name, n in seen)
    assert old.dense.search(q_old, 1) == [3]  # the replaced version still answers its readers
    new = store.open_index()
    assert new.manifest["embedder"] == "other:32" and store.read().vectors.shape == (30, 32)
    third = store.write(manifest2, chunks[:20], vectors2[:20], terms[:20])
    assert store.current() == third and len(_schemas(fresh_db)) == 2  # live + the one it replaced


def test_one_writer_at_a_time(fresh_db):
    store = PgIndexStore(fresh_db)
    with store.lock():
        with pytest.raises(VeivalgError):
            with PgIndexStore(fresh_db).lock(wait_s=0.3):
                pass
    with PgIndexStore(fresh_db).lock():
        pass


def test_full_text_search_mode_ranks_in_the_chunks_language(embedded, pg_url, pg_store):
    lexical = PgIndexStore(pg_url, lexical="fts").open_index().lexical
    terms = [t for t in query_terms("kommunernes digitalisering og samarbejde") if lexical.knows(t)]
    rows = lexical.search(terms, 20)
    assert len(rows) == 20
    scores = lexical.scores(terms, rows)
    assert np.all(scores > 0) and list(scores) == sorted(scores, reverse=True)
    danish = lexical.search(terms, 20, Filters(languages=frozenset({"da"})))
    assert danish and all(embedded.chunks[r].language == "da" for r in danish)
    nothing = [
        i
        for i, c in enumerate(embedded.chunks)
        if "digitali" not in (c.title + (c.heading or "") + c.text).lower()
        and "samarbej" not in (c.title + (c.heading or "") + c.text).lower()
        and "kommun" not in (c.title + (c.heading or "") + c.text).lower()
    ][:5]
    assert nothing and not np.any(lexical.scores(terms, nothing))
