"""Reports saved from document-sharing web pages ("web transcripts").

Their layout: web-page furniture (title, "Størrelse: px", "Download …") or a long list of
unrelated document titles, a line ``Transkript`` / ``Transkript:``, the report text, and often a
tail of teaser blocks for OTHER documents (a title, a teaser starting with that title, ``Detaljer``).
Only the report text is kept. Page numbers come from whichever convention the file uses:

* each line starts with its page or slide number: ``17 …`` (numbers counting up from 1);
* page markers at paragraph starts: ``- 4 -`` or ``- 8-4.2.1 …`` (page 8, section 4.2.1);
* neither: each paragraph is one page, as the transcript breaks lines only at page breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.documents import NoiseReport, Page
from ingest.load.cleaning import normalise

_MARKER_LINE = re.compile(r"^Transkript:?$", re.IGNORECASE)
_TEASER_END = "Detaljer"
_WEB_HEADER = re.compile(r"^(Størrelse:|Begynne med side:|Download\b|Last ned\b)", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^(\d{1,4})\s+(\S.*)$")
_DASH_MARKER = re.compile(r"^-\s*(\d{1,4})\s*-\s*")
_MAX_PAGE_GAP = 3  # tolerate a few missing pages in a numbered transcript


@dataclass(frozen=True)
class Transcript:
    title: str | None  # the web page's title line, when the header has one
    pages: tuple[Page, ...]
    noise: NoiseReport


def is_transcript(text: str) -> bool:
    """True when the text has the ``Transkript`` line that starts the report proper."""
    head = text[:60_000].split("\n")
    return any(_MARKER_LINE.match(line.strip()) for line in head)


def parse_transcript(text: str) -> Transcript:
    lines = [ln.strip() for ln in normalise(text).split("\n")]
    paras = [ln for ln in lines if ln]
    marker = next(i for i, p in enumerate(paras) if _MARKER_LINE.match(p))
    before, body = paras[:marker], paras[marker + 1 :]

    # A short preamble is the page's own header (title + widgets); a long one lists other documents.
    title = before[0] if before and len(before) <= 6 else None
    related = [] if title else [p for p in before if not _WEB_HEADER.match(p)]
    header_count = len(before) - len(related)

    body, teasers, teaser_chars = _cut_teasers(body)
    pages = _paginate(body)
    dropped = sum(len(p) for p in before) + len(paras[marker]) + teaser_chars
    noise = NoiseReport(
        header_lines=header_count + 1,  # + the Transkript line itself
        related_titles=len(related),
        teaser_blocks=teasers,
        chars_dropped=dropped,
    )
    return Transcript(title=title, pages=tuple(pages), noise=noise)


def _is_teaser_start(paras: list[str], i: int) -> bool:
    """A title followed by a teaser that repeats it (and usually a ``Detaljer`` line)."""
    if i + 1 >= len(paras):
        return False
    title, teaser = paras[i], paras[i + 1]
    head = title[: min(len(title), 40)]
    return teaser.startswith(head) and len(title) < 400 and teaser != title


def _cut_teasers(body: list[str]) -> tuple[list[str], int, int]:
    """Drop everything from the first teaser block on; return (kept, blocks, chars dropped)."""
    first_details = next((i for i, p in enumerate(body) if p == _TEASER_END), None)
    if first_details is None:
        return body, 0, 0
    start = first_details - 2 if first_details >= 2 and _is_teaser_start(body, first_details - 2) else first_details - 1
    start = max(start, 0)
    tail = body[start:]
    blocks = sum(1 for i in range(len(tail)) if _is_teaser_start(tail, i))
    return body[:start], max(blocks, tail.count(_TEASER_END)), sum(len(p) for p in tail)


def _paginate(body: list[str]) -> list[Page]:
    if _numbered_share(body) >= 0.6:
        return _numbered_pages(body)
    if sum(1 for p in body if _DASH_MARKER.match(p)) >= 2:
        return _dash_marked_pages(body)
    return [Page(number=i, text=p) for i, p in enumerate(body, start=1)]


def _numbered_share(body: list[str]) -> float:
    """Share of paragraphs that start with the next page number in sequence."""
    if not body:
        return 0.0
    expected, hits = 1, 0
    for p in body:
        m = _LEADING_NUMBER.match(p)
        if m and expected <= int(m.group(1)) <= expected + _MAX_PAGE_GAP:
            hits += 1
            expected = int(m.group(1)) + 1
    return hits / len(body)


def _numbered_pages(body: list[str]) -> list[Page]:
    pages: list[tuple[int | None, list[str]]] = []
    expected = 1
    for p in body:
        m = _LEADING_NUMBER.match(p)
        if m and expected <= int(m.group(1)) <= expected + _MAX_PAGE_GAP:
            number = int(m.group(1))
            pages.append((number, [m.group(2)]))
            expected = number + 1
        elif pages:
            pages[-1][1].append(p)
        else:
            pages.append((None, [p]))
    return [Page(number=n, text="\n\n".join(ps)) for n, ps in pages]


def _dash_marked_pages(body: list[str]) -> list[Page]:
    pages: list[tuple[int | None, list[str]]] = []
    for p in body:
        m = _DASH_MARKER.match(p)
        if m:
            pages.append((int(m.group(1)), [p[m.end() :]]))
        elif pages:
            pages[-1][1].append(p)
        else:
            pages.append((None, [p]))
    # Text before the first marker is the page before it (page 1 in practice).
    if pages and pages[0][0] is None:
        following = next((n for n, _ in pages if n is not None), 2)
        pages[0] = (max(1, following - 1), pages[0][1])
    return [Page(number=n, text="\n\n".join(ps)) for n, ps in pages]
