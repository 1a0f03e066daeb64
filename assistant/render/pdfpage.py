"""A PDF report's cited page as an image, with the quoted sentences highlighted (pypdfium2).

The quote is found on the page by its letters alone (spaces, line breaks and hyphenation differ
between PDF text extractors), and its character boxes are painted over the rendered page.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

SCALE = 1.6  # about 115 dpi: readable on a laptop, small enough for a phone
HIGHLIGHT = (255, 214, 64, 110)
CONTEXT = 0.18  # page height kept above and below the highlighted passage
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def _letters(text: str) -> tuple[str, list[int]]:
    """Lower-case text without whitespace or hyphens, and where each kept letter came from."""
    kept, where = [], []
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "-\u00ad\u2010\u2011\ufffe\x02":
            continue
        kept.append(ch.lower())
        where.append(i)
    return "".join(kept), where


def quote_spans(page_text: str, quote: str) -> list[tuple[int, int]]:
    """(first, last) character indexes in ``page_text`` of each quoted sentence found there."""
    letters, where = _letters(page_text)
    spans = []
    for sentence in _SENTENCES.split(quote or ""):
        key, _ = _letters(sentence)
        if len(key) < 8:
            continue
        at = letters.find(key)
        if at < 0:  # the sentence may run onto the next page: try its first half
            key = key[: max(8, len(key) // 2)]
            at = letters.find(key)
        if at >= 0:
            spans.append((where[at], where[at + len(key) - 1]))
    return spans


def render_page(pdf: Path, page_number: int, quote: str) -> bytes | None:
    """PNG of page ``page_number`` (1-based) with ``quote`` highlighted; None when the page is not there."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    document = pdfium.PdfDocument(str(pdf))
    try:
        if not 1 <= page_number <= len(document):
            return None
        page = document[page_number - 1]
        image = page.render(scale=SCALE).to_pil().convert("RGB")
        height = page.get_height()
        text = page.get_textpage()
        overlay = ImageDraw.Draw(image, "RGBA")  # on an RGB image, RGBA fills blend
        full = text.get_text_range()
        marked: list[float] = []
        for first, last in quote_spans(full, quote):
            for i in range(text.count_rects(first, last - first + 1)):
                left, bottom, right, top = text.get_rect(i)
                box = [left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE]
                overlay.rectangle(box, fill=HIGHLIGHT)
                marked += [box[1], box[3]]
        if marked:  # the part of the page around the passage, readable beside the answer; the rest is a click away
            margin = CONTEXT * image.height
            image = image.crop((0, max(0, min(marked) - margin), image.width, min(image.height, max(marked) + margin)))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()
