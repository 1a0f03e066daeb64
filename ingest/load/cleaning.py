"""Text cleaning shared by every loader: Unicode, whitespace, hyphenation, repeated page furniture."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_SOFT_HYPHEN = "\u00ad"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# "digitali-\nsering" -> "digitalisering"; a lower-case letter on both sides means a broken word.
_BROKEN_WORD = re.compile(r"([a-zæøåäöü])-\n\s*([a-zæøåäöü])")
# "IT-\nstrategi" keeps its hyphen: an upper-case or digit before it marks a real compound.
_BROKEN_COMPOUND = re.compile(r"([A-ZÆØÅ0-9])-\n\s*(\w)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """NFC, no soft hyphens or control characters, single spaces, Unix newlines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(_SOFT_HYPHEN, "").replace("\ufeff", "")
    text = _CONTROL.sub(" ", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def join_hyphenation(text: str) -> str:
    text = _BROKEN_WORD.sub(r"\1\2", text)
    return _BROKEN_COMPOUND.sub(r"\1-\2", text)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded onto one line."""
    blocks = re.split(r"\n\s*\n", join_hyphenation(normalise(text)))
    return [" ".join(b.split()) for b in blocks if b.strip()]


def clean_block(text: str) -> str:
    """A page or section: paragraphs kept apart by blank lines, lines within them joined."""
    return "\n\n".join(paragraphs(text))


def _furniture_key(line: str) -> str:
    # Page numbers change from page to page; the header or footer around them does not.
    return re.sub(r"\d+", "#", line.strip().lower())


def strip_repeated_lines(pages: list[str], edge_lines: int = 2, min_share: float = 0.5) -> list[str]:
    """Drop headers and footers: lines at a page's top or bottom that recur on most pages.

    Needs at least three pages to tell furniture from content. Bare page numbers at the
    edges go too.
    """
    if len(pages) < 3:
        return pages
    split = [[ln for ln in p.split("\n")] for p in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        nonblank = [ln for ln in lines if ln.strip()]
        edges = set(nonblank[:edge_lines] + nonblank[-edge_lines:])
        counts.update({_furniture_key(ln) for ln in edges})
    threshold = max(2, int(min_share * len(pages) + 0.999))
    furniture = {key for key, n in counts.items() if n >= threshold and key.strip("# ")}
    cleaned = []
    for lines in split:
        nonblank_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(nonblank_idx[:edge_lines] + nonblank_idx[-edge_lines:])
        kept = []
        for i, ln in enumerate(lines):
            at_edge = i in edge_idx
            if at_edge and (_furniture_key(ln) in furniture or re.fullmatch(r"\s*-?\s*\d{1,4}\s*-?\s*", ln)):
                continue
            kept.append(ln)
        cleaned.append("\n".join(kept))
    return cleaned
