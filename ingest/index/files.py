"""The persistent index: plain files in a versioned folder, switched into place atomically.

    index/
      CURRENT                 name of the live version (replaced atomically)
      v-20261122T150102-a1b2/
        manifest.json         format, embedder, chunking, per-report hash and metadata
        chunks.jsonl          one Chunk per line
        vectors.npy           float32 [n, dim], the embeddings (kept to reuse on refresh)
        sentences.npz         per sentence: owning chunk, offsets in its text, vector
        sentences.faiss       FAISS index over the sentence vectors
        dense.faiss           FAISS index over the vectors
        bm25/                 bm25s arrays and vocabulary (json + npy, no pickles)

A new version is written beside the live one and only then named in CURRENT, so a crash or
Ctrl-C at any point leaves the previous index whole and readable. The manifest, written last,
holds a SHA-256 of every other file; loading checks them, so a damaged file is named instead of
crashing a search, and a refresh rebuilds what is damaged.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.documents import Chunk, IndexManifest
from ingest.errors import IndexMissing, IndexProblem, VeivalgError

FORMAT_VERSION = 1
CURRENT = "CURRENT"
# Exact search is fast enough up to here (15 ms at 100k vectors on 2 cores, 140 ms at 1M); past it
# an IVF index takes over: ~1 ms per query at 1M, and it rebuilds in under a minute on every
# refresh, where HNSW would take many minutes (python -m eval bench scale).
ANN_THRESHOLD = 200_000
IVF_NPROBE = 32


@dataclass(frozen=True)
class Sentences:
    """Sentence-level vectors: ``owner[i]`` is the chunk row, ``spans[i]`` the offsets in its text."""

    owner: np.ndarray  # int32 [m]
    spans: np.ndarray  # int32 [m, 2]
    vectors: np.ndarray  # float32 [m, dim]


@dataclass(frozen=True)
class IndexData:
    manifest: IndexManifest
    chunks: list[Chunk]
    vectors: np.ndarray
    path: Path
    sentences: Sentences | None = None
    damaged: tuple[str, ...] = ()  # files whose checksum failed (only with tolerate_damage)


def current_version(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    version = index_dir / pointer.read_text(encoding="utf-8").strip()
    return version if (version / "manifest.json").is_file() else None


def index_exists(index_dir: Path) -> bool:
    return current_version(index_dir) is not None


def read_manifest(index_dir: Path) -> IndexManifest | None:
    version = current_version(index_dir)
    if version is None:
        return None
    return json.loads((version / "manifest.json").read_text(encoding="utf-8"))


# Damage to these can be repaired from the rest (they are rebuilt on every write); damage to the
# chunks or their vectors means reading the reports again.
_REBUILDABLE = ("dense.faiss", "sentences.faiss", "sentences.npz", "bm25/")


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` except the manifest, by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def damaged_files(version: Path, manifest: IndexManifest) -> list[str]:
    """Files that differ from the manifest's checksums (indexes from before checksums: none)."""
    expected = manifest.get("checksums")
    if not expected:
        return []
    found = checksums(version)
    return sorted(name for name, digest in expected.items() if found.get(name) != digest)


def read_index(index_dir: Path, tolerate_damage: bool = False) -> IndexData:
    """The live index. A damaged file raises ``IndexProblem`` naming it, unless ``tolerate_damage``
    and it is one a refresh can rebuild (then it is listed in ``damaged`` and not used)."""
    version = current_version(index_dir)
    if version is None:
        raise IndexMissing(
            f"Fant ingen indeks i «{index_dir}». Bygg den med `make index` (eller `python -m ingest build`)."
        )
    try:
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexProblem(f"Indeksen i «{index_dir}» har et annet format; bygg den på nytt med `make index`.")
        damaged = damaged_files(version, manifest)
        if damaged and not (tolerate_damage and all(name.startswith(_REBUILDABLE) for name in damaged)):
            raise IndexProblem(
                f"Indeksen i «{index_dir}» er skadet ({', '.join(damaged)}); kjør `python -m ingest refresh` "
                "for å bygge den opp igjen."
            )
        with (version / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [Chunk(**json.loads(line)) for line in fh if line.strip()]
        vectors = np.load(version / "vectors.npy", allow_pickle=False)
        sentences = None
        if (version / "sentences.npz").is_file() and "sentences.npz" not in damaged:
            with np.load(version / "sentences.npz", allow_pickle=False) as z:
                sentences = Sentences(owner=z["owner"], spans=z["spans"], vectors=z["vectors"])
    except (OSError, ValueError, TypeError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise IndexProblem(
            f"Indeksen i «{index_dir}» kan ikke leses ({exc}); bygg den på nytt med `make index`."
        ) from exc
    if len(chunks) != len(vectors):
        raise IndexProblem(f"Indeksen i «{index_dir}» er inkonsistent; bygg den på nytt med `make index`.")
    return IndexData(
        manifest=manifest, chunks=chunks, vectors=vectors, path=version, sentences=sentences, damaged=tuple(damaged)
    )


def build_dense_index(vectors: np.ndarray, force: str | None = None):
    """Inner product on normalised vectors = cosine. Exact (flat) below ANN_THRESHOLD, IVF above."""
    import faiss

    dim = vectors.shape[1]
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    index: faiss.Index
    if force == "ivf" or (force is None and len(vectors) >= ANN_THRESHOLD):
        nlist = max(16, int(4 * np.sqrt(len(vectors))))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = data[np.random.default_rng(0).choice(len(data), min(len(data), 64 * nlist), replace=False)]
        index.train(sample)
        index.nprobe = IVF_NPROBE
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(data)
    return index


def write_index(
    index_dir: Path,
    manifest: IndexManifest,
    chunks: list[Chunk],
    vectors: np.ndarray,
    bm25_terms: list[list[str]],
    sentences: Sentences | None = None,
) -> Path:
    """Write a complete new version, then switch CURRENT to it. Returns the version folder."""
    import bm25s
    import faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        manifest = {**manifest, "format_version": FORMAT_VERSION, "chunks": len(chunks)}
        _write_text(tmp / "chunks.jsonl", "".join(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in chunks))
        with (tmp / "vectors.npy").open("wb") as fh:
            np.save(fh, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
            _sync(fh)
        if sentences is not None:
            with (tmp / "sentences.npz").open("wb") as fh:
                np.savez(fh, owner=sentences.owner, spans=sentences.spans, vectors=sentences.vectors)
                _sync(fh)
            faiss.write_index(build_dense_index(sentences.vectors), str(tmp / "sentences.faiss"))
        faiss.write_index(build_dense_index(vectors), str(tmp / "dense.faiss"))
        bm25 = bm25s.BM25()
        bm25.index(bm25_terms or [[""]], show_progress=False)
        bm25.save(str(tmp / "bm25"), show_progress=False)
        # Last, with the checksums of everything above: a version without a manifest is not live.
        _write_text(
            tmp / "manifest.json", json.dumps({**manifest, "checksums": checksums(tmp)}, ensure_ascii=False, indent=2)
        )
        os.rename(tmp, index_dir / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _write_text(index_dir / f"{CURRENT}.tmp", name)
    os.replace(index_dir / f"{CURRENT}.tmp", index_dir / CURRENT)
    _remove_stale_versions(index_dir, keep=name)
    return index_dir / name


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(text)
        _sync(fh)


def _sync(fh) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def remove_stale_versions(index_dir: Path) -> None:
    """Versions and half-written folders left by a crash; the live one stays. Call under the lock."""
    live = current_version(index_dir)
    if live is not None and index_dir.is_dir():
        _remove_stale_versions(index_dir, keep=live.name)


def _remove_stale_versions(index_dir: Path, keep: str) -> None:
    for entry in index_dir.iterdir():
        if entry.is_dir() and entry.name != keep and (entry.name.startswith("v-") or entry.name.startswith(".tmp-")):
            shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(index_dir: Path, wait_s: float = 0.0):
    """One writer at a time (the app's upload and the CLI may both refresh); waits up to ``wait_s``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as fh:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() >= deadline:
                    raise VeivalgError(
                        f"En annen oppdatering av indeksen i «{index_dir}» pågår; prøv igjen om litt."
                    ) from exc
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
