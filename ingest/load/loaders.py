"""Turn one report file into pages of clean text. One loader per format, chosen by extension.

Every failure a user can cause (broken, encrypted, scanned or empty PDF, undecodable text,
unsupported or oversized file) raises ``LoadError`` with a one-line Norwegian reason.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.documents import NoiseReport, Page
from ingest.errors import LoadError
from ingest.load.cleaning import clean_block, normalise, paragraphs, strip_repeated_lines
from ingest.load.transcript import is_transcript, parse_transcript

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".pdf", ".txt", ".md", ".markdown", ".docx")
_MAX_HEADING_WORDS = 12


@dataclass(frozen=True)
class Loaded:
    """What a loader found: pages, a title if the file states one, and the noise it dropped."""

    pages: tuple[Page, ...]
    title: str | None = None
    noise: NoiseReport = NoiseReport()


@dataclass(frozen=True)
class Limits:
    """What ingestion can finish in reasonable time on a small machine (see IngestSettings)."""

    max_bytes: int = 50_000_000
    max_chars: int = 1_000_000  # ~5 minutes of embedding on 2 cores (the five reports: 436 000)
    max_pages: int = 2_000
    max_word_chars: int = 500  # a run without spaces this long is not prose; the embedder chokes on it


def load_file(path: Path, limits: Limits | int = Limits()) -> Loaded:
    """Load ``path`` or raise ``LoadError`` naming the problem."""
    limits = Limits(max_bytes=limits) if isinstance(limits, int) else limits
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise LoadError(
            path.name, f"filtypen «{ext or '(ingen)'}» støttes ikke (støttet: {', '.join(SUPPORTED_EXTENSIONS)})"
        )
    size = path.stat().st_size
    if size == 0:
        raise LoadError(path.name, "filen er tom")
    if size > limits.max_bytes:
        raise LoadError(path.name, f"filen er for stor ({megabytes(size)}; grensen er {megabytes(limits.max_bytes)})")
    loaded = _load_pdf(path, limits) if ext == ".pdf" else _LOADERS[ext](path)
    if not any(p.text.strip() for p in loaded.pages):
        raise LoadError(path.name, "filen inneholder ingen tekst")
    chars = sum(len(p.text) for p in loaded.pages)
    if chars > limits.max_chars:
        raise LoadError(
            path.name, f"teksten er for lang ({_count(chars)} tegn; grensen er {_count(limits.max_chars)}); del den opp"
        )
    longest = max((len(m.group()) for p in loaded.pages for m in _LONG_RUN.finditer(p.text)), default=0)
    if longest > limits.max_word_chars:
        raise LoadError(
            path.name,
            f"teksten har en sammenhengende tegnrekke uten mellomrom på {_count(longest)} tegn (grensen er {_count(limits.max_word_chars)}); er det virkelig tekst?",
        )
    return loaded


_LONG_RUN = re.compile(r"\S{200,}")


def megabytes(n: int) -> str:
    """'12 MB', '0.3 MB', '40 kB': never 'grensen er 0 MB'."""
    if n >= 10_000_000:
        return f"{n / 1e6:.0f} MB"
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{max(1, round(n / 1e3))} kB"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")  # Norwegian thousands: 1 000 000


# --- plain text and Markdown ------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 if it reads as text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise LoadError(name, "teksten kan ikke dekodes (verken UTF-8, UTF-16 eller Windows-1252)")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t\f")
    return odd / len(text) < 0.01


def _load_text(path: Path) -> Loaded:
    text = decode_text(path.read_bytes(), path.name)
    if is_transcript(text):
        t = parse_transcript(text)
        return Loaded(pages=t.pages, title=t.title, noise=t.noise)
    return Loaded(pages=tuple(_sections(paragraphs(text), _plain_heading)), title=_first_heading(text))


def _load_markdown(path: Path) -> Loaded:
    text = decode_text(path.read_bytes(), path.name)
    blocks = [ln for ln in normalise(text).split("\n\n") if ln.strip()]
    flat: list[str] = []
    for block in blocks:  # a Markdown heading may sit directly above its paragraph
        lines = block.split("\n")
        if lines[0].startswith("#") and len(lines) > 1:
            flat += [lines[0], "\n".join(lines[1:])]
        else:
            flat.append(block)
    flat = [" ".join(b.split()) for b in flat]
    title = next((b.lstrip("#").strip() for b in flat if b.startswith("# ")), None)
    return Loaded(pages=tuple(_sections(flat, _markdown_heading)), title=title)


def _markdown_heading(para: str) -> str | None:
    m = re.match(r"^#{1,6}\s+(.+)$", para)
    return m.group(1).strip() if m else None


def _plain_heading(para: str) -> str | None:
    """A short line in capitals ("OM IT I PRAKSIS") or with a section number ("3.2 Kostnader").

    Plain text has no styles, and mixed-case short lines are as often chart labels, names
    or addresses as headings, so only these two unmistakable forms count.
    """
    words = para.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(para) > 90 or para[-1] in ".,;:!?»)":
        return None
    letters = [ch for ch in para if ch.isalpha()]
    if len(letters) >= 8 and all(ch.isupper() for ch in letters):
        return para
    if re.match(r"^\d+(\.\d+)+\.?\s+[A-ZÆØÅ]\w+", para) or re.match(r"^\d+\.?\s+[A-ZÆØÅ][a-zæøå]+(\s\S+){0,8}$", para):
        return para
    return None


def _sections(paras: list[str], heading_of: Callable[[str], str | None]) -> list[Page]:
    """Group paragraphs under the heading before them; unpaged sources get page None.

    The heading stays in the section's text too, so its words are searchable and
    character offsets into the document hold.
    """
    pages: list[Page] = []
    heading: str | None = None
    body: list[str] = []

    def flush() -> None:
        if body:
            pages.append(Page(number=None, text="\n\n".join(body), heading=heading))

    for para in paras:
        found = heading_of(para)
        if found is not None:
            flush()
            heading, body = found, [para.lstrip("#").strip()]
        else:
            body.append(para)
    flush()
    return pages


def _first_heading(text: str) -> str | None:
    for para in paragraphs(text)[:5]:
        if _plain_heading(para):
            return para
    return None


# --- PDF -----------------------------------------------------------------------------------


def _load_pdf(path: Path, limits: Limits = Limits()) -> Loaded:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not _decrypt_without_password(reader):
            raise LoadError(path.name, "PDF-en er kryptert (passordbeskyttet); lagre en ukryptert kopi")
        if len(reader.pages) > limits.max_pages:
            raise LoadError(
                path.name,
                f"PDF-en har for mange sider ({len(reader.pages)}; grensen er {limits.max_pages}); del den opp",
            )
        raw_pages = [page.extract_text() or "" for page in reader.pages]
        title = _pdf_title(reader)
    except LoadError as exc:
        raise LoadError(path.name, exc.reason) from exc
    except (
        PdfReadError,
        DependencyError,
        ValueError,
        KeyError,
        TypeError,
        OSError,
        IndexError,
        AttributeError,
        RecursionError,
        ZeroDivisionError,
    ) as exc:
        log.info("%s: %s: %s", path.name, type(exc).__name__, exc)  # the class name is for the log
        raise LoadError(path.name, "PDF-en kan ikke leses; filen ser ut til å være ødelagt") from exc
    if not any(t.strip() for t in raw_pages):
        raise LoadError(path.name, "PDF-en har ingen uttrekkbar tekst (skannet bilde?); kjør OCR først")
    cleaned = strip_repeated_lines([normalise(t) for t in raw_pages])
    pages = tuple(Page(number=i, text=clean_block(t)) for i, t in enumerate(cleaned, start=1) if t.strip())
    return Loaded(pages=pages, title=title)


def _decrypt_without_password(reader) -> bool:
    """Many PDFs are 'encrypted' with an empty user password only to restrict printing."""
    from pypdf.errors import DependencyError

    try:
        return bool(reader.decrypt(""))
    except DependencyError as exc:  # AES needs `cryptography` (declared in pyproject.toml)
        raise LoadError("PDF", "PDF-en er AES-kryptert, og pakken «cryptography» mangler; installer den") from exc
    except Exception:  # noqa: BLE001 - any failure here means we cannot read it
        return False


def _pdf_title(reader) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # noqa: BLE001 - broken metadata must not stop the text
        return None
    title = str(title).strip() if title else ""
    return title or None


# --- Word ----------------------------------------------------------------------------------


def _load_docx(path: Path) -> Loaded:
    try:
        return _read_docx(path)
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise a dozen kinds on a broken file
        raise LoadError(path.name, "Word-filen kan ikke leses (ødelagt .docx)") from exc


def _read_docx(path: Path) -> Loaded:
    from docx import Document as DocxDocument

    doc = DocxDocument(str(path))
    paras: list[str] = []
    headings: set[str] = set()
    for p in doc.paragraphs:
        text = " ".join(p.text.split())
        if not text:
            continue
        style = (p.style.name or "").lower() if p.style is not None else ""
        if style.startswith(("heading", "overskrift", "title", "tittel")):
            headings.add(text)
        paras.append(text)
    title = (doc.core_properties.title or "").strip() or None
    pages = _sections(paras, lambda para: para if para in headings else None)
    return Loaded(pages=tuple(pages), title=title)


_LOADERS: dict[str, Callable[[Path], Loaded]] = {
    ".pdf": _load_pdf,
    ".txt": _load_text,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".docx": _load_docx,
}
