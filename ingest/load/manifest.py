"""The corpus manifest (``corpus/manifest.toml``): what each report is, keyed by file name."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.documents import DocumentMeta
from ingest.errors import VeivalgError

MANIFEST_NAME = "manifest.toml"
_FIELDS = ("title", "publisher", "year", "language", "country", "kind")


def read_corpus_manifest(corpus_dir: Path) -> dict[str, dict[str, str]]:
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VeivalgError.of("MANIFEST_UNREADABLE", path=path, reason=exc) from exc
    return {
        name: {k: str(v) for k, v in entry.items() if k in _FIELDS}
        for name, entry in data.items()
        if isinstance(entry, dict)
    }


def document_meta(source: str, entry: dict[str, str] | None, file_title: str | None) -> DocumentMeta:
    """The manifest wins; otherwise the file's own title; otherwise a title made from the file name."""
    entry = entry or {}
    fallback = Path(source).stem.replace("_", " ").replace("-", " ").strip() or source
    return DocumentMeta(
        source=source,
        title=entry.get("title") or file_title or fallback,
        publisher=entry.get("publisher"),
        year=entry.get("year"),
        language=entry.get("language"),
        country=entry.get("country"),
        kind=entry.get("kind"),
    )
