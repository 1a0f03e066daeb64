"""The systems the runner compares: Veivalg, its BM25-only and dense-only halves, and the
textbook LangChain pipeline (RecursiveCharacterTextSplitter 1000/200 on the raw files, no
cleaning, the same embedder, FAISS top-k)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.core import Assistant
from assistant.retrieval.hybrid import HybridSearcher
from assistant.retrieval.indexes import open_index
from ingest.embed.embedders import make_embedder

Search = Callable[[str, int], list[tuple[str, str]]]  # question, k -> [(text, source)]
CACHE_DIR = Path("eval/cache")


@dataclass(frozen=True)
class System:
    name: str
    search: Search
    passages: list[str]  # every passage the system can return (to count the relevant ones)


def veivalg_system(assistant: Assistant, name: str = "Veivalg") -> System:
    return System(
        name=name,
        search=lambda q, k: [(p.text, p.source) for p in assistant.retrieve(q, k=k)],
        passages=[assistant.searcher.store.chunk(i).text for i in range(len(assistant.searcher.store))],
    )


def variant(assistant: Assistant, name: str, **retrieval_changes) -> System:
    """The same index searched with other retrieval settings (e.g. BM25 only)."""
    settings = replace(assistant.settings.retrieval, **retrieval_changes)
    index = open_index(assistant.settings.store(), settings.vector_index)
    searcher = HybridSearcher.over(index, assistant.searcher.embed_query, settings)
    other = Assistant(searcher, assistant.settings.with_(retrieval=settings), assistant.manifest)
    return veivalg_system(other, name)


def textbook_system(corpus_dir: Path, embedder_spec: str, cache_dir: Path = CACHE_DIR) -> System:
    import faiss
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts: list[str] = []
    sources: list[str] = []
    for path in sorted(corpus_dir.glob("*")):
        if path.suffix.lower() not in (".txt", ".md"):
            continue
        for piece in splitter.split_text(path.read_text(encoding="utf-8", errors="replace")):
            texts.append(piece)
            sources.append(path.name)
    embedder = make_embedder(embedder_spec)
    vectors = _cached_vectors(embedder, texts, cache_dir)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)

    def search(question: str, k: int) -> list[tuple[str, str]]:
        q = np.asarray(embedder.embed_query(question), dtype=np.float32).reshape(1, -1)
        _, ids = index.search(q, k)
        return [(texts[i], sources[i]) for i in ids[0] if i >= 0]

    return System(name="Lærebok-RAG (LangChain 1000/200, rå filer)", search=search, passages=texts)


def _cached_vectors(embedder, texts: list[str], cache_dir: Path) -> np.ndarray:
    """Embedding the raw corpus takes minutes; keep the vectors between runs (git-ignored)."""
    key = hashlib.sha256((embedder.embedder_id + "\x00" + "\x00".join(texts)).encode()).hexdigest()[:16]
    path = cache_dir / f"textbook-{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors, allow_pickle=False)
    return vectors
