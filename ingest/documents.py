"""Typed records passed between ingestion stages: load -> clean -> chunk -> embed -> index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


@dataclass(frozen=True)
class Page:
    """One page (or slide) of a report's cleaned text. ``number`` is None when the source has none."""

    number: int | None
    text: str
    heading: str | None = None  # section heading in force at the start of the page, if known


@dataclass(frozen=True)
class DocumentMeta:
    """What the manifest (or, failing that, the file itself) says about a report."""

    source: str  # corpus file name, e.g. "001_ea46e6cbf94a9af8.txt"
    title: str
    publisher: str | None = None
    year: str | None = None
    language: str | None = None  # nb | nn | da | en
    country: str | None = None  # NO | DK
    kind: str | None = None


@dataclass(frozen=True)
class NoiseReport:
    """How much web-page noise a loader dropped, so ingestion can say so."""

    header_lines: int = 0
    related_titles: int = 0
    teaser_blocks: int = 0
    chars_dropped: int = 0

    @property
    def total_lines(self) -> int:
        return self.header_lines + self.related_titles + self.teaser_blocks

    def describe(self) -> str:
        if not self.chars_dropped:
            return "ingen nettsidestøy"
        chars = f"{self.chars_dropped:,}".replace(",", "\u00a0")  # Norwegian thousands: 6 811
        return (
            f"fjernet {self.header_lines} topplinje(r), {self.related_titles} titler på relaterte "
            f"dokumenter og {self.teaser_blocks} utdrag av andre dokumenter ({chars} tegn)"
        )


@dataclass(frozen=True)
class Document:
    """A loaded and cleaned report: its pages in order, plus metadata and what was dropped."""

    meta: DocumentMeta
    pages: tuple[Page, ...]
    content_hash: str  # sha256 of the raw file bytes
    language: str  # detected, or the manifest's override
    noise: NoiseReport = field(default_factory=NoiseReport)
    instructions: tuple[str, ...] = ()  # sentences left out because they address a language model

    @property
    def source(self) -> str:
        return self.meta.source

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


@dataclass(frozen=True)
class Chunk:
    """A passage sized for the embedder, with everything a citation needs."""

    chunk_id: str  # "<source>#<n>"
    source: str
    title: str
    text: str
    page: int | None
    page_end: int | None
    heading: str | None
    language: str
    start: int  # character offsets into the document's cleaned text (Document.text)
    end: int


class NoiseCounts(TypedDict):
    header_lines: int
    related_titles: int
    teaser_blocks: int
    chars_dropped: int


class DocumentRecord(TypedDict, total=False):
    """What an index version's manifest records about one report (JSON in ``manifest.json`` and
    the database's versions table alike): its ``DocumentMeta`` less the file name, and how it was read."""

    title: str
    publisher: str | None
    year: str | None
    language: str | None
    country: str | None
    kind: str | None
    fingerprint: str  # what decides that a report is unchanged (content hash and its manifest entry)
    content_hash: str
    pages: int
    chunks: int
    noise: NoiseCounts
    instructions_removed: int
    indexed_at: str


class IndexManifest(TypedDict, total=False):
    """An index version's manifest: what built it and what it holds. Written last, so a version
    without one is not live."""

    format_version: int
    embedder: str  # the embedder's id: vectors from two embedders are never mixed
    dim: int
    chunking: dict[str, int | bool]  # IngestSettings.chunking_params(): a change re-chunks everything
    built_at: str
    chunks: int
    documents: dict[str, DocumentRecord]  # by corpus file name
    checksums: dict[str, str]  # SHA-256 of every other file in the version (file store)
