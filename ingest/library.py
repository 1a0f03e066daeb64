"""The report library as a library API: add, replace, delete a report and edit its metadata.

Every change is one transaction: the corpus folder and ``manifest.toml`` are changed, the index
is refreshed (itself written atomically), and if anything fails on the way the corpus and the
manifest are put back byte for byte, so the library and the index never disagree. The app calls
these functions; the command line can too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ingest.error_catalogue import message
from ingest.errors import LoadError, VeivalgError
from ingest.load.loaders import SUPPORTED_EXTENSIONS
from ingest.load.manifest import MANIFEST_NAME, read_corpus_manifest
from ingest.pipeline import Progress, RefreshReport, corpus_files, load_document, refresh
from ingest.settings import IngestSettings

EDITABLE_FIELDS = ("title", "publisher", "year", "country", "language")
COUNTRIES = ("NO", "DK")
LANGUAGES = ("nb", "nn", "da", "en")

log = logging.getLogger(__name__)


class ReportExists(VeivalgError):
    """A report with this file name is already in the library: the caller must choose."""

    code = "REPORT_EXISTS"

    def __init__(self, name: str, alternative: str) -> None:
        super().__init__(message(self.code, name=name, alternative=alternative))
        self.name = name
        self.alternative = alternative


class DuplicateReport(VeivalgError):
    """The same bytes are already in the library under another name."""

    code = "REPORT_DUPLICATE"

    def __init__(self, name: str, existing: str) -> None:
        super().__init__(message(self.code, name=name, existing=existing))
        self.name = name
        self.existing = existing


class NotIndexed(VeivalgError):
    """A file the index never reads (the corpus's own README.md, SOURCES.md or manifest)."""

    code = "REPORT_NOT_INDEXED"

    def __init__(self, name: str) -> None:
        super().__init__(message(self.code, name=name))


@dataclass(frozen=True)
class LibraryChange:
    """What a library operation did, and the refresh behind it."""

    action: str  # "added" | "replaced" | "deleted" | "edited"
    name: str
    report: RefreshReport

    def message(self) -> str:
        verb = {"added": "lagt til", "replaced": "erstattet", "deleted": "slettet", "edited": "oppdatert"}[self.action]
        return f"«{self.name}» er {verb}. {self.report.summary()}"


def safe_name(filename: str) -> str:
    """A plain file name: no folders, no odd characters, a supported extension."""
    base = Path(filename).name
    stem, ext = os.path.splitext(base)
    ext = ext.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise LoadError(
            base or "(uten navn)",
            f"filtypen «{ext or '(ingen)'}» støttes ikke (støttet: {', '.join(SUPPORTED_EXTENSIONS)}).",
        )
    stem = re.sub(r"[^\w\-. ]", "_", stem).strip(" .") or "rapport"
    return stem + ext


def free_name(name: str, corpus_dir: Path) -> str:
    """``name``, or ``stem (2).ext``, ``stem (3).ext`` … — the first that is not taken."""
    stem, ext = os.path.splitext(name)
    candidate, n = name, 1
    while (corpus_dir / candidate).exists():
        n += 1
        candidate = f"{stem} ({n}){ext}"
    return candidate


def add_report(
    upload: Path,
    original_name: str,
    settings: IngestSettings,
    *,
    on_conflict: str = "ask",
    progress: Progress | None = None,
) -> LibraryChange:
    """Check ``upload`` and add it to the corpus as ``original_name``, then refresh the index.

    ``on_conflict`` says what to do when the name is taken: "ask" raises ``ReportExists``,
    "replace" replaces the report, "keep_both" adds it under a free name.
    """
    name = safe_name(original_name)
    if not _is_indexed_name(name):
        raise NotIndexed(name)
    data = Path(upload).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    existing = _same_content(digest, settings)
    if existing:
        raise DuplicateReport(name, existing)
    target = settings.corpus_dir / name
    action = "added"
    if target.exists():
        if on_conflict == "replace":
            action = "replaced"
        elif on_conflict == "keep_both":
            name = free_name(name, settings.corpus_dir)
        else:
            raise ReportExists(name, free_name(name, settings.corpus_dir))
    entry = read_corpus_manifest(settings.corpus_dir).get(name)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / name
        staged.write_bytes(data)
        load_document(staged, entry, settings)  # raises LoadError naming the problem; nothing changed yet
    with _transaction(settings, [name]):
        _write_atomically(settings.corpus_dir / name, data)
        report = _refresh(settings, name, progress)
    return LibraryChange(action, name, report)


def delete_report(name: str, settings: IngestSettings, progress: Progress | None = None) -> LibraryChange:
    """Remove a report from the corpus, its manifest entry, and its passages from the index."""
    path = _existing(name, settings)
    with _transaction(settings, [name]):
        path.unlink()
        entries = read_corpus_manifest(settings.corpus_dir)
        if entries.pop(name, None) is not None:
            _write_manifest(settings.corpus_dir, entries)
        report = _refresh(settings, None, progress)
    return LibraryChange("deleted", name, report)


def edit_metadata(
    name: str, settings: IngestSettings, progress: Progress | None = None, **fields: str | None
) -> LibraryChange:
    """Set title, publisher, year, country or language of a report (blank: remove the value)."""
    _existing(name, settings)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise VeivalgError.of("REPORT_FIELD_UNKNOWN", fields=", ".join(sorted(unknown)))
    country = (fields.get("country") or "").strip()
    if country and country not in COUNTRIES:
        raise VeivalgError.of("REPORT_COUNTRY", countries=" eller ".join(COUNTRIES))
    language = (fields.get("language") or "").strip()
    if language and language not in LANGUAGES:
        raise VeivalgError.of("REPORT_LANGUAGE", languages=", ".join(LANGUAGES))
    year = (fields.get("year") or "").strip()
    if year and not re.fullmatch(r"\d{4}", year):
        raise VeivalgError.of("REPORT_YEAR")
    entries = read_corpus_manifest(settings.corpus_dir)
    entry = dict(entries.get(name, {}))
    for key, value in fields.items():
        value = (value or "").strip()
        if value:
            entry[key] = value
        else:
            entry.pop(key, None)
    entries[name] = entry
    with _transaction(settings, []):
        _write_manifest(settings.corpus_dir, entries)
        report = _refresh(settings, name, progress)
    return LibraryChange("edited", name, report)


def _is_indexed_name(name: str) -> bool:
    """Whether a file of this name would be read by a refresh (asks the pipeline, not a copy of its rules)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(b"")
        return bool(corpus_files(Path(tmp)))


def _existing(name: str, settings: IngestSettings) -> Path:
    path = settings.corpus_dir / Path(name).name
    if Path(name).name != name or not path.is_file() or not _is_indexed_name(name):
        raise VeivalgError.of("REPORT_NOT_FOUND", name=name)
    return path


def _same_content(digest: str, settings: IngestSettings) -> str | None:
    """The report whose bytes hash to ``digest``, if any (indexed, or waiting in the corpus)."""
    if (manifest := settings.store().manifest()) is not None:
        for name, doc in manifest["documents"].items():
            if doc.get("content_hash") == digest:
                return name
    for path in corpus_files(settings.corpus_dir):
        if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            return path.name
    return None


def _refresh(settings: IngestSettings, name: str | None, progress: Progress | None) -> RefreshReport:
    report = refresh(settings, progress=progress)
    failure = next((f for f in report.failed if f.name == name), None)
    if failure is not None:
        raise LoadError(failure.name, failure.reason)
    return report


@contextmanager
def _transaction(settings: IngestSettings, names: list[str]) -> Iterator[None]:
    """Undo every change to these corpus files and the manifest if the block fails."""
    paths = [settings.corpus_dir / n for n in names] + [settings.corpus_dir / MANIFEST_NAME]
    saved = {p: (p.read_bytes() if p.exists() else None) for p in paths}
    try:
        yield
    except Exception as exc:
        for path, data in saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                _write_atomically(path, data)
        if isinstance(exc, VeivalgError):
            log.warning("Endringen av %s er rullet tilbake: %s: %s", ", ".join(names), type(exc).__name__, exc)
            raise
        log.exception("Endringen av %s feilet uventet og er rullet tilbake", ", ".join(names))
        raise VeivalgError.of("REPORT_REFRESH_FAILED") from exc


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _write_manifest(corpus_dir: Path, entries: dict[str, dict[str, str]]) -> None:
    """Rewrite manifest.toml, keeping its leading comment block."""
    path = corpus_dir / MANIFEST_NAME
    header = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            header.append(line)
    lines = [*header, ""] if header else []
    for name in sorted(entries):
        lines.append(f"[{_toml_string(name)}]")
        lines += [f"{key} = {_toml_string(value)}" for key, value in entries[name].items()]
        lines.append("")
    _write_atomically(path, "\n".join(lines).encode("utf-8"))


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string for everything a title can hold.
    return json.dumps(str(value), ensure_ascii=False)


def copy_original(name: str, settings: IngestSettings, folder: Path) -> Path:
    """A copy of a report's original file (for a download link), never the corpus file itself."""
    source = _existing(name, settings)
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(source, folder / source.name))
