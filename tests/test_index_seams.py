"""The index seams (assistant.retrieval.indexes): filters act inside the search, under flat and IVF FAISS and the
numpy index, and the searcher runs unchanged over another vector backend."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.hybrid import Filters, HybridSearcher
from assistant.retrieval.indexes import (
    Bm25Index,
    FaissVectorIndex,
    LexicalIndex,
    MemoryChunkStore,
    NumpyVectorIndex,
    VectorIndex,
)
from assistant.settings import RetrievalSettings
from ingest.documents import Chunk
from ingest.index.files import Sentences, build_dense_index, read_index, write_index

N, DIM, K = 25_000, 32, 10  # 25 000 vectors: IVF gets its 632 lists trained without a warning


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    """Clustered, as text embeddings are (on uniform noise no IVF index finds neighbours)."""
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((500, DIM))
    return _unit(centres[rng.integers(500, size=N)] + 0.4 * rng.standard_normal((N, DIM)))


def _masks(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    wide, narrow, tiny = (np.zeros(n, bool) for _ in range(3))
    wide[rng.choice(n, n // 50, replace=False)] = True  # 2 %: about 1 per IVF list
    narrow[rng.choice(n, 12, replace=False)] = True  # a dozen rows scattered over the lists
    tiny[rng.choice(n, 3, replace=False)] = True  # fewer than k
    return {"wide": wide, "narrow": narrow, "tiny": tiny}


def _exact(vectors: np.ndarray, q: np.ndarray, k: int, allowed: np.ndarray) -> list[int]:
    rows = np.flatnonzero(allowed)
    return [int(r) for r in rows[np.argsort(-(vectors[rows] @ q))[:k]]]


@pytest.mark.parametrize("kind", ["flat", "ivf", "numpy"])
def test_filtered_vector_search_returns_k_from_the_filtered_set(vectors, kind):
    if kind == "numpy":
        index: VectorIndex = NumpyVectorIndex(vectors)
    else:
        built = build_dense_index(vectors, force="ivf" if kind == "ivf" else None)
        assert type(built).__name__ == ("IndexIVFFlat" if kind == "ivf" else "IndexFlatIP")
        index = FaissVectorIndex(built)
    assert isinstance(index, VectorIndex) and len(index) == N
    rng = np.random.default_rng(2)
    for name, allowed in _masks(N).items():
        for _ in range(5):
            q = _unit(vectors[rng.integers(N)] + 0.5 * rng.standard_normal(DIM))
            got = [int(r) for r in index.search(q, K, allowed)]
            exact = _exact(vectors, q, K, allowed)
            assert len(got) == min(K, int(allowed.sum())), (name, got)
            assert all(allowed[r] for r in got) and len(set(got)) == len(got)
            if kind != "ivf" or name == "tiny":
                assert got == exact, name  # exact search, or IVF widened to every list to find k
            else:
                assert len(set(got) & set(exact)) >= K // 2, name  # approximate, but near
    unfiltered = index.search(vectors[7], K)
    assert len(unfiltered) == K and unfiltered[0] == 7


REPORTS = 40


def _synthetic_index(root, vectors: np.ndarray):
    """An index of N one-line chunks over REPORTS reports plus one small report «smal.txt» of a dozen
    chunks scattered through the rows; reports r00–r03 are Danish."""
    rng = np.random.default_rng(3)
    small = set(rng.choice(N, 12, replace=False).tolist())
    chunks, terms = [], []
    for i in range(N):
        source = "smal.txt" if i in small else f"r{i % REPORTS:02d}.txt"
        text = f"felles ord{i % 97} tekst{i}"
        chunks.append(
            Chunk(
                chunk_id=f"{source}#{i}",
                source=source,
                title=source,
                text=text,
                page=None,
                page_end=None,
                heading=None,
                language="nb",
                start=0,
                end=len(text),
            )
        )
        terms.append(text.split())
    documents = {f"r{j:02d}.txt": {"country": "DK" if j < 4 else "NO"} for j in range(REPORTS)}
    documents["smal.txt"] = {"country": "NO"}
    sentences = Sentences(
        owner=np.arange(N, dtype=np.int32),
        spans=np.array([[0, len(c.text)] for c in chunks], dtype=np.int32),
        vectors=vectors,
    )
    write_index(root, {"embedder": "test", "documents": documents}, chunks, vectors, terms, sentences)
    return read_index(root)


@pytest.fixture(scope="module", params=["flat", "ivf"])
def synthetic(request, tmp_path_factory, vectors):
    """The synthetic index written as ingest writes it, once flat and once past the IVF switch."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "ivf":  # the real switch is 200 000 vectors; the same code path at 20 000
            patch.setattr("ingest.index.files.ANN_THRESHOLD", 20_000)
        return request.param, _synthetic_index(tmp_path_factory.mktemp(request.param), vectors)


def test_filtered_hybrid_search_past_the_ivf_switch(synthetic, vectors):
    import faiss

    switch, data = synthetic
    for name in ("dense", "sentences"):
        built = type(faiss.read_index(str(data.path / f"{name}.faiss"))).__name__
        assert built == ("IndexIVFFlat" if switch == "ivf" else "IndexFlatIP")
    rng = np.random.default_rng(4)
    q = _unit(rng.standard_normal(DIM))
    searcher = HybridSearcher.embedded(data, lambda _: q, RetrievalSettings())
    sources = {c.source for c in data.chunks}
    danish = {s for s in sources if data.manifest["documents"][s]["country"] == "DK"}
    cases = [
        ("ukjentord", Filters(sources=frozenset({"smal.txt"})), {"smal.txt"}),  # vectors alone nominate
        ("ukjentord", Filters(countries=frozenset({"DK"})), danish),
        ("felles", Filters(sources=frozenset({"smal.txt"})), {"smal.txt"}),  # BM25 too
        ("felles", Filters(sources=frozenset({"r05.txt", "r06.txt"})), {"r05.txt", "r06.txt"}),
    ]
    for query, filters, allowed in cases:
        hits = searcher.search(query, K, filters)
        assert len(hits) == K, (query, filters)
        assert {h.source for h in hits} <= allowed, (query, filters)
    # The nearest chunks of the small report by vector come back, not just any ten of its twelve.
    small_rows = [i for i, c in enumerate(data.chunks) if c.source == "smal.txt"]
    nearest = {data.chunks[small_rows[j]].chunk_id for j in np.argsort(-(vectors[small_rows] @ q))[:3]}
    only_vectors = HybridSearcher.embedded(data, lambda _: q, RetrievalSettings(use_sparse=False))
    assert nearest <= {
        h.chunk_id for h in only_vectors.search("ukjentord", K, Filters(sources=frozenset({"smal.txt"})))
    }


def test_bm25_mask_comes_before_the_cut(synthetic):
    _, data = synthetic
    chunks = MemoryChunkStore(data)
    lexical = Bm25Index.open(data.path, len(data.chunks), chunks.mask)
    assert isinstance(lexical, LexicalIndex) and lexical.knows("felles") and not lexical.knows("ukjentord")
    assert lexical.document_frequency("felles") == N and lexical.document_frequency("ukjentord") == 0
    only_small = Filters(sources=frozenset({"smal.txt"}))
    allowed = chunks.mask(only_small)
    rows = lexical.search(["felles", "ord3"], K, only_small)
    assert len(rows) == K and all(allowed[r] for r in rows)
    scores = lexical.scores(["felles", "ord3"], rows)
    assert scores.shape == (K,) and list(scores) == sorted(scores, reverse=True)
    assert list(lexical.scores(["felles", "ord3"], range(N))[rows]) == list(scores)
    assert lexical.search(["ukjentord"], K) == []


def test_another_vector_backend_is_one_class_and_a_name(settings):
    """The searcher over the numpy index ranks exactly as over FAISS (both exact at this size)."""
    from assistant.retrieval.indexes import VECTOR_INDEXES
    from ingest.embed.embedders import make_embedder
    from ingest.errors import VeivalgError
    from ingest.pipeline import refresh

    refresh(settings)
    data = read_index(settings.index_dir)
    embedder = make_embedder("hash:64")
    embed = lambda text: embedder.embed_queries([text])[0]  # noqa: E731
    over_faiss = HybridSearcher.embedded(data, embed, RetrievalSettings())
    over_numpy = HybridSearcher.embedded(data, embed, RetrievalSettings(), vector_index="memory")
    assert isinstance(over_numpy._dense._index, NumpyVectorIndex) and "memory" in VECTOR_INDEXES
    for query in ("nettbrett til elevene", "trygghetsalarmer for eldre", "kostnader per innbygger"):
        for filters in (None, Filters(sources=frozenset({"helse.md", "okonomi.pdf"}))):
            a = sorted(
                (-round(p.score, 5), p.chunk_id) for p in over_faiss.search(query, 5, filters)
            )  # ties in any order
            b = sorted((-round(p.score, 5), p.chunk_id) for p in over_numpy.search(query, 5, filters))
            assert a and a == b, (query, filters)
    with pytest.raises(VeivalgError, match="Ukjent vektorindeks"):
        HybridSearcher.embedded(data, embed, RetrievalSettings(), vector_index="nei")
