"""Build and refresh the index: only new or changed reports are loaded, chunked and embedded.

A report is unchanged when its bytes, its manifest entry, the chunking parameters and the
embedder are all the same as when it was indexed; its chunks and vectors are then reused as
they are. Vectors are also reused chunk by chunk (by a hash of the embedded text), so editing
one page of a report re-embeds only the passages that changed. The library is quiet: progress
goes to an optional callback, and the CLI or the app draws the bar.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ingest.documents import (
    Chunk,
    Document,
    DocumentRecord,
    IndexManifest,
    NoiseCounts,
    NoiseReport,
    Page,
)
from ingest.embed.embedders import make_embedder, spec_of
from ingest.errors import IndexMissing, IndexProblem, LoadError, VeivalgError
from ingest.index.files import IndexData, Sentences
from ingest.index.store import IndexStore
from ingest.load.injection import strip_instructions
from ingest.load.loaders import load_file
from ingest.load.manifest import MANIFEST_NAME, document_meta, read_corpus_manifest
from ingest.settings import IngestSettings
from ingest.text.chunking import chunk_document, chunk_sentences, embedding_text
from ingest.text.language import detect_language
from ingest.text.lexical import passage_terms

log = logging.getLogger(__name__)
LOCK_WAIT_S = 120.0  # the lock is held only while writing, so waiting for another writer is short
Progress = Callable[[str, int, int], None]  # (what, done, total)
_IGNORED = {MANIFEST_NAME, "README.md", "SOURCES.md"}


@dataclass(frozen=True)
class Failure:
    name: str
    reason: str
    kept_previous: bool = False  # the report's earlier version stays in the index

    def line(self) -> str:
        kept = " (forrige versjon beholdes i indeksen)" if self.kept_previous else ""
        return " ".join(f"FEIL {self.name}: {self.reason}{kept}".split())


@dataclass(frozen=True)
class RefreshReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    noise: dict[str, NoiseReport] = field(default_factory=dict)
    instructions: dict[str, int] = field(default_factory=dict)  # sentences left out as instructions
    chunks: int = 0
    embedded: int = 0  # chunk vectors computed (the rest were reused)
    embedded_sentences: int = 0
    seconds: float = 0.0
    rebuild_reason: str | None = None
    wrote_index: bool = False

    def summary(self) -> str:
        lines = []
        if self.rebuild_reason:
            lines.append(self.rebuild_reason)
        lines.append(
            f"Lagt til: {len(self.added)}, endret: {len(self.changed)}, fjernet: {len(self.removed)}, "
            f"uendret: {len(self.unchanged)}, feilet: {len(self.failed)}. "
            f"{self.chunks} tekstbiter i indeksen, {self.embedded} nye embeddinger av tekstbiter og "
            f"{self.embedded_sentences} av setninger, {self.seconds:.1f} s."
        )
        lines += [f"  {name}: {noise.describe()}" for name, noise in self.noise.items() if noise.chars_dropped]
        lines += [
            f"  {name}: {n} setning{'er' if n > 1 else ''} som ligner instruksjoner til en språkmodell er utelatt"
            for name, n in self.instructions.items()
            if n
        ]
        lines += [f"  {failure.line()}" for failure in self.failed]
        if not self.wrote_index:
            lines.append("Ingen endringer; indeksen er uendret.")
        return "\n".join(lines)


def load_document(path: Path, manifest_entry: dict | None, settings: IngestSettings) -> Document:
    loaded = load_file(path, settings.limits)
    meta = document_meta(path.name, manifest_entry, loaded.title)
    text = "\n\n".join(p.text for p in loaded.pages)
    language = meta.language or detect_language(text)
    # Instructions to a model are not content: they never reach the index (ingest/load/injection.py).
    pages: list[Page] = []
    removed: list[str] = []
    for page in loaded.pages:
        stripped = strip_instructions(page.text, language)
        removed += stripped.removed
        if stripped.text.strip():
            pages.append(page if stripped.text == page.text else replace(page, text=stripped.text))
    if not pages:
        raise LoadError(path.name, "filen inneholder bare tekst som ligner instruksjoner til en språkmodell")
    return Document(
        meta=meta,
        pages=tuple(pages),
        content_hash=_sha256(path.read_bytes()),
        language=language,
        noise=loaded.noise,
        instructions=tuple(removed),
    )


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise LoadError(str(corpus_dir), "korpusmappen finnes ikke")
    return sorted(
        p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith(".") and p.name not in _IGNORED
    )


def printable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as surrogates) shown as '?'."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\ufffd", "?")


def _read_one(path: Path, entry: dict | None, settings: IngestSettings) -> Document:
    """One report, or a ``LoadError`` with a one-line reason, whatever went wrong inside."""
    if printable_name(path.name) != path.name:
        raise LoadError(
            printable_name(path.name), "filnavnet er ikke gyldig UTF-8; gi filen et nytt navn (uten spesialtegn)"
        )
    try:
        return load_document(path, entry, settings)
    except LoadError:
        raise
    except (
        MemoryError,
        RecursionError,
        OSError,
        ValueError,
        UnicodeError,
        LookupError,
        TypeError,
        AttributeError,
    ) as exc:
        log.warning("Uventet feil ved lesing av %s", path.name, exc_info=True)
        raise LoadError(path.name, "filen kunne ikke leses (uventet feil, se loggen)") from exc


def refresh(
    settings: IngestSettings,
    progress: Progress | None = None,
    full: bool = False,
    allow_empty: bool = False,
    lock_wait_s: float = LOCK_WAIT_S,
) -> RefreshReport:
    """Bring the index in line with the corpus folder. ``full`` re-embeds everything.

    A corpus folder with no reports would empty a non-empty index; that takes ``allow_empty``
    (a mistyped --corpus must not wipe the index).

    The slow part (embedding) runs first without the writer lock, so an upload or another
    refresh is not held up for its duration. Then, under the lock, the same pass runs again
    from the live index with every vector already in hand, and writes.
    """
    started = time.perf_counter()
    progress = progress or (lambda what, done, total: None)
    cache = _Cache()  # vectors by text, computed in the unlocked pass
    store = settings.store()
    _refresh_once(settings, store, progress, full, allow_empty, cache, write=False)
    with store.lock(wait_s=lock_wait_s):
        store.cleanup()
        report = _refresh_once(settings, store, lambda what, done, total: None, full, allow_empty, cache, write=True)
    assert report is not None
    if not report.wrote_index:
        return replace(report, seconds=time.perf_counter() - started)
    return replace(
        report,
        embedded=cache.embedded_chunks,
        embedded_sentences=cache.embedded_sentences,
        seconds=time.perf_counter() - started,
    )


@dataclass
class _Cache:
    """Vectors by a hash of their text, kept between the unlocked and the locked pass."""

    chunks: dict[str, np.ndarray] = field(default_factory=dict)
    sentences: dict[str, np.ndarray] = field(default_factory=dict)
    embedded_chunks: int = 0
    embedded_sentences: int = 0


def _refresh_once(
    settings: IngestSettings,
    store: IndexStore,
    progress: Progress,
    full: bool,
    allow_empty: bool,
    cache: _Cache,
    write: bool,
) -> RefreshReport | None:
    """One pass; embeds only what ``cache`` lacks (and adds it). ``write=False`` stops before writing."""
    started = time.perf_counter()
    old, reason = _previous_index(settings, store, full)
    entries = read_corpus_manifest(settings.corpus_dir)
    params = settings.chunking_params()
    old_docs = old.manifest["documents"] if old else {}
    old_chunks = _chunks_by_source(old) if old else {}
    same_chunking = old is not None and reason is None  # _previous_index gives a reason when chunking changed

    kept: dict[str, list[Chunk]] = {}
    docs_meta: dict[str, DocumentRecord] = {}
    fresh: dict[str, Document] = {}
    fingerprints: dict[str, str] = {}
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    failed: list[Failure] = []
    noise: dict[str, NoiseReport] = {}
    instructions: dict[str, int] = {}
    files = corpus_files(settings.corpus_dir)
    if not files and not allow_empty and (live := _live_documents(store)):
        raise VeivalgError(
            f"Korpusmappen «{settings.corpus_dir}» har ingen rapporter, men indeksen har {live}. "
            "Sjekk mappen; vil du virkelig tømme indeksen, kjør med --allow-empty."
        )
    for i, path in enumerate(files):
        progress("Leser rapporter", i, len(files))
        entry = entries.get(path.name)
        if printable_name(path.name) != path.name:  # never let such a name into the manifest
            failed.append(
                Failure(
                    printable_name(path.name),
                    "filnavnet er ikke gyldig UTF-8; gi filen et nytt navn (uten spesialtegn)",
                )
            )
            continue
        fingerprint = fingerprints[path.name] = _fingerprint(path, entry)
        previous = old_docs.get(path.name)
        if previous and same_chunking and previous.get("fingerprint") == fingerprint:
            kept[path.name], docs_meta[path.name] = old_chunks.get(path.name, []), previous
            unchanged.append(path.name)
            continue
        try:
            doc = _read_one(path, entry, settings)
        except LoadError as exc:
            failed.append(Failure(exc.name, exc.reason, kept_previous=bool(previous)))
            log.info(
                "%s ble ikke lest (%s)%s", exc.name, exc.reason, "; den forrige versjonen beholdes" if previous else ""
            )
            if previous:  # a broken new version must not wipe out the good old one
                kept[path.name], docs_meta[path.name] = old_chunks.get(path.name, []), previous
            continue
        fresh[path.name] = doc
        noise[path.name] = doc.noise
        instructions[path.name] = len(doc.instructions)
        (changed if previous else added).append(path.name)
    progress("Leser rapporter", len(files), len(files))

    present = {p.name for p in files if printable_name(p.name) == p.name}
    removed = sorted(name for name in old_docs if name not in present)
    if old and not (added or changed or removed) and not reason:
        return RefreshReport(
            unchanged=unchanged, failed=failed, chunks=len(old.chunks), seconds=time.perf_counter() - started
        )

    new_chunks: dict[str, list[Chunk]] = {}
    for name, doc in fresh.items():
        new_chunks[name] = chunk_document(doc, settings.chunk_words, settings.overlap_words)
        docs_meta[name] = _doc_entry(doc, fingerprints[name], len(new_chunks[name]))
    for name, chunks in kept.items():
        docs_meta[name] = {**docs_meta[name], "chunks": len(chunks)}

    chunks, vectors, embedded = _assemble(settings, old, kept, new_chunks, progress, cache)
    sentences = _sentence_vectors(settings, old, chunks, progress, cache) if settings.sentence_vectors else None
    if not write:
        return None
    embedder = make_embedder(settings.embedder)
    manifest: IndexManifest = {
        "embedder": embedder.embedder_id,
        "dim": int(vectors.shape[1]),
        "chunking": params,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "documents": {name: docs_meta[name] for name in sorted(docs_meta)},
    }
    progress("Skriver indeks", 0, 1)
    store.write(
        manifest,
        chunks,
        vectors,
        [passage_terms(c.text, c.language) for c in chunks],
        sentences=None if sentences is None else sentences.arrays,
    )
    progress("Skriver indeks", 1, 1)
    return RefreshReport(
        added=added,
        changed=changed,
        removed=removed,
        unchanged=unchanged,
        failed=failed,
        noise=noise,
        instructions=instructions,
        chunks=len(chunks),
        embedded=embedded,
        seconds=time.perf_counter() - started,
        embedded_sentences=0 if sentences is None else sentences.embedded,
        rebuild_reason=reason,
        wrote_index=True,
    )


def _previous_index(settings: IngestSettings, store: IndexStore, full: bool) -> tuple[IndexData | None, str | None]:
    """The index to refresh from, or None with the reason everything is rebuilt."""
    try:
        old = store.read(tolerate_damage=True)
    except IndexMissing:
        return None, None
    except IndexProblem as exc:
        log.warning("Den gamle indeksen i %s kunne ikke leses; bygger alt på nytt: %s", store.location, exc)
        return None, f"Den gamle indeksen kunne ikke leses ({exc}); bygger alt på nytt."
    if full:
        return None, "Full ombygging: alle rapporter leses og embeddes på nytt."
    if old.damaged:
        # Rebuilt from the chunks and vectors, which are intact (read_index checked them).
        log.warning("Skadde filer i indeksen i %s bygges opp igjen: %s", store.location, ", ".join(old.damaged))
        return old, f"Skadde filer i indeksen ({', '.join(old.damaged)}) bygges opp igjen."
    if spec_of(old.manifest["embedder"]) != settings.embedder:
        return None, (
            f"Embedderen er endret fra «{old.manifest['embedder']}» til «{settings.embedder}»: "
            "alle rapporter embeddes på nytt (vektorer fra to modeller blandes aldri)."
        )
    if old.manifest.get("chunking") != settings.chunking_params():
        return old, "Oppdelingen i tekstbiter er endret: alle rapporter deles opp på nytt."
    return old, None


def _assemble(settings, old, kept, new_chunks, progress, shared: _Cache) -> tuple[list[Chunk], np.ndarray, int]:
    """All chunks in source order with their vectors; embeds only texts not seen before."""
    embedder = make_embedder(settings.embedder)
    with_context = settings.context_in_embedding
    cache = shared.chunks
    if old is not None:
        old_context = old.manifest.get("chunking", {}).get("context_in_embedding", with_context)
        for chunk, vec in zip(old.chunks, old.vectors, strict=True):
            cache.setdefault(_text_key(embedding_text(chunk, old_context)), vec)
    old_vectors = {c.chunk_id: v for c, v in zip(old.chunks, old.vectors, strict=True)} if old is not None else {}

    chunks: list[Chunk] = []
    for name in sorted(set(kept) | set(new_chunks)):
        chunks.extend(kept.get(name) or new_chunks.get(name, []))
    texts = [embedding_text(c, with_context) for c in chunks]
    dim = embedder.dim or (old.vectors.shape[1] if old is not None else 0)
    vectors = np.zeros((len(chunks), dim), dtype=np.float32)
    todo: list[int] = []
    for i, chunk in enumerate(chunks):
        if chunk.source not in new_chunks:  # an unchanged report keeps its vectors
            vectors[i] = old_vectors[chunk.chunk_id]
        elif (key := _text_key(texts[i])) in cache:  # an unchanged passage of a changed report
            vectors[i] = cache[key]
        else:
            todo.append(i)
    batch = settings.embed_batch
    for done in range(0, len(todo), batch):
        progress("Embedder tekstbiter", done, len(todo))
        ids = todo[done : done + batch]
        vectors[ids] = embedder.embed_passages([texts[i] for i in ids])
        for i in ids:
            cache[_text_key(texts[i])] = vectors[i]
    shared.embedded_chunks += len(todo)
    progress("Embedder tekstbiter", len(todo), len(todo))
    return chunks, vectors, len(todo)


@dataclass(frozen=True)
class _SentenceBuild:
    arrays: Sentences
    embedded: int


def _sentence_vectors(settings, old, chunks: list[Chunk], progress, shared: _Cache) -> _SentenceBuild:
    """Vectors for every sentence of every chunk; sentences seen before (same text) are reused."""
    embedder = make_embedder(settings.embedder)
    dim = int(embedder.dim)
    cache = shared.sentences
    if old is not None and old.sentences is not None and old.sentences.vectors.shape[1:] == (dim,):
        for row, (start, end), vec in zip(old.sentences.owner, old.sentences.spans, old.sentences.vectors, strict=True):
            cache.setdefault(_text_key(old.chunks[row].text[start:end]), vec)
    owner, spans, keys, texts = [], [], [], []
    for row, chunk in enumerate(chunks):
        for start, end in chunk_sentences(chunk):
            owner.append(row)
            spans.append((start, end))
            texts.append(chunk.text[start:end])
            keys.append(_text_key(texts[-1]))
    todo = list(dict.fromkeys(k for k in keys if k not in cache))  # overlapping chunks repeat sentences
    text_of = dict(zip(keys, texts, strict=True))
    batch = settings.embed_batch * 2  # sentences are short
    for done in range(0, len(todo), batch):
        progress("Embedder setninger", done, len(todo))
        part = todo[done : done + batch]
        for key, vec in zip(part, embedder.embed_passages([text_of[k] for k in part]), strict=True):
            cache[key] = vec
    progress("Embedder setninger", len(todo), len(todo))
    vectors = np.stack([cache[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)
    arrays = Sentences(
        owner=np.asarray(owner, np.int32), spans=np.asarray(spans, np.int32).reshape(-1, 2), vectors=vectors
    )
    shared.embedded_sentences += len(todo)
    return _SentenceBuild(arrays=arrays, embedded=len(todo))


def _live_documents(store: IndexStore) -> int:
    """How many reports the live index holds (0 when there is none or it cannot be read)."""
    try:
        return len((store.manifest() or {}).get("documents", {}))
    except (OSError, ValueError):
        return 0


def _chunks_by_source(index: IndexData) -> dict[str, list[Chunk]]:
    out: dict[str, list[Chunk]] = {}
    for chunk in index.chunks:
        out.setdefault(chunk.source, []).append(chunk)
    return out


def _doc_entry(doc: Document, fingerprint: str, n_chunks: int) -> DocumentRecord:
    meta = doc.meta
    return DocumentRecord(
        title=meta.title,
        publisher=meta.publisher,
        year=meta.year,
        language=doc.language,
        country=meta.country,
        kind=meta.kind,
        fingerprint=fingerprint,
        content_hash=doc.content_hash,
        pages=sum(1 for p in doc.pages if p.number is not None),
        chunks=n_chunks,
        noise=NoiseCounts(
            header_lines=doc.noise.header_lines,
            related_titles=doc.noise.related_titles,
            teaser_blocks=doc.noise.teaser_blocks,
            chars_dropped=doc.noise.chars_dropped,
        ),
        instructions_removed=len(doc.instructions),
        indexed_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
    )


def _fingerprint(path: Path, entry: dict | None) -> str:
    h = hashlib.sha256(path.read_bytes())
    h.update(json.dumps(entry or {}, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
