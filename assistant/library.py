"""The report library behind the app's corpus panel: what is indexed, and adding a new report.

An upload is read and checked before it is copied into the corpus, so a broken file is
refused with a clear message and changes nothing; a good one is copied atomically and the
index refreshed (itself written atomically).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import LoadError, VeivalgError
from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.manifest import read_corpus_manifest
from ingest.pipeline import Progress, RefreshReport, load_document, refresh
from ingest.settings import IngestSettings

COUNTRY_NAMES = {"NO": "Norge", "DK": "Danmark"}
LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk", "da": "dansk", "en": "engelsk"}


@dataclass(frozen=True)
class ReportRow:
    source: str
    title: str
    year: str
    country: str
    language: str
    chunks: int
    indexed_at: str

    def as_list(self) -> list:
        return [self.title, self.source, self.year, self.country, self.language, self.chunks, self.indexed_at]


TABLE_HEADERS = ["Tittel", "Fil", "År", "Land", "Språk", "Tekstbiter", "Indeksert"]


def report_rows(documents: dict[str, dict]) -> list[ReportRow]:
    return [
        ReportRow(
            source=name, title=d.get("title", name), year=d.get("year") or "–",
            country=COUNTRY_NAMES.get(d.get("country") or "", d.get("country") or "–"),
            language=LANGUAGE_NAMES.get(d.get("language", ""), d.get("language", "–")),
            chunks=int(d.get("chunks", 0)), indexed_at=str(d.get("indexed_at", "")).replace("T", " "),
        )
        for name, d in sorted(documents.items())
    ]


def safe_name(filename: str) -> str:
    """A plain file name: no folders, no odd characters, a supported extension."""
    base = Path(filename).name
    stem, ext = os.path.splitext(base)
    ext = ext.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise LoadError(base or "(uten navn)", f"filtypen «{ext or '(ingen)'}» støttes ikke (støttet: {', '.join(SUPPORTED_EXTENSIONS)})")
    stem = re.sub(r"[^\w\-. ]", "_", stem).strip(" .") or "rapport"
    return stem + ext


def add_report(upload: Path, original_name: str, settings: IngestSettings, progress: Progress | None = None) -> RefreshReport:
    """Check ``upload``, copy it into the corpus as ``original_name``, and refresh the index."""
    name = safe_name(original_name)
    entry = read_corpus_manifest(settings.corpus_dir).get(name)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / name
        shutil.copyfile(upload, staged)
        load_document(staged, entry, settings)  # raises LoadError naming the problem; nothing copied yet
        target = settings.corpus_dir / name
        previous = target.read_bytes() if target.exists() else None
        partial = settings.corpus_dir / f".{name}.uploading"
        shutil.copyfile(staged, partial)
        os.replace(partial, target)
    try:
        return refresh(settings, progress=progress)
    except Exception as exc:
        # The index is untouched (atomic write); put the corpus back as it was too.
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)
        if isinstance(exc, VeivalgError):
            raise
        raise VeivalgError(f"Oppdateringen av indeksen feilet ({type(exc).__name__}: {exc}); ingenting er endret.") from exc
