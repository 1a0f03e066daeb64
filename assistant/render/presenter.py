"""Turning answers and passages into what the app shows: safe Markdown/HTML, source views, exports.

Every piece of text that comes from a user or a document is escaped here, so neither a
question nor a report can inject HTML or script into the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.render.markdown import answer_markdown, plain_marker
from assistant.render.safe_markdown import safe_markdown
from assistant.types import Answer, Passage


def escape_text(text: str) -> str:
    """Text that will be rendered as Markdown: HTML escaped, images off, links inert (safe_markdown)."""
    return safe_markdown(text)


def citation_link(turn: int) -> Callable[[int], str]:
    """[n] as a link the page's script turns into "open source n of answer ``turn``" (no Markdown parsed back)."""
    return lambda n: f"<a href='#vv-cite-{turn}-{n}' class='vv-cite' title='Vis kilde {n}'>[{n}]</a>"


def short_title(title: str, limit: int = 48) -> str:
    """'Felles IKT-utvikling i kommunal sektor — Utfordringer …' -> 'Felles IKT-utvikling i kommunal sektor'."""
    short = re.split(r" — | – | \(|: ", title, maxsplit=1)[0].strip()
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"


def compact(answer: Answer) -> Answer:
    """The answer with a compact source list: short titles, no publisher or year (shown when a source is opened)."""
    return replace(
        answer,
        citations=tuple(replace(p, title=short_title(p.title), publisher=None, year=None) for p in answer.citations),
    )


def display_markdown(answer: Answer, turn: int | None = None) -> str:
    """The answer as the chat shows it: escaped, [n] clickable, notes about fallbacks and removed sentences."""
    parts = []
    if answer.note and not answer.abstained:
        parts.append(f"_{escape_text(answer.note)}_")
    marker = citation_link(turn) if turn is not None else plain_marker
    parts.append(answer_markdown(compact(answer), marker=marker, escape=escape_text))
    if answer.dropped:
        n = len(answer.dropped)
        parts.append(
            f"_{n} setning{'er' if n > 1 else ''} fra språkmodellen ble fjernet fordi ingen kilde støttet {'dem' if n > 1 else 'den'}._"
        )
    return "\n\n".join(parts)


@dataclass(frozen=True)
class SourceView:
    passage: Passage
    quote: str  # the sentences the answer used (highlighted)
    before: str  # neighbouring text before the passage, same report
    after: str


def _highlight(text: str, quote: str) -> str:
    """Escaped text with every quoted sentence wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for sentence in [s for s in re.split(r"(?<=[.!?])\s+", quote) if len(s) > 3]:
        i = text.find(sentence)
        if i >= 0:
            spans.append((i, i + len(sentence)))
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


CONTEXT_CHARS = 280  # text shown around the passage: enough to place it, short enough for a phone


def where(p: Passage) -> str | None:
    """'s. 12', or the section for a report without pages."""
    if p.page is not None:
        return f"s. {p.page}"
    return f"avsnitt «{p.heading}»" if p.heading else None


def source_view_html(view: SourceView, n: int | None = None) -> str:
    p = view.passage
    meta = " · ".join(html.escape(x) for x in (p.publisher, p.year, where(p), p.source) if x)
    heading = f"<div class='vv-heading'>{html.escape(p.heading)}</div>" if p.heading and p.page is not None else ""
    before = f"<p class='vv-context'>…{html.escape(view.before[-CONTEXT_CHARS:])}</p>" if view.before else ""
    after = f"<p class='vv-context'>{html.escape(view.after[:CONTEXT_CHARS])}…</p>" if view.after else ""
    label = f"<div class='vv-label'>Kilde [{n}]</div>" if n is not None else ""
    return (
        f"<div class='vv-source'>{label}<h3>{html.escape(p.title)}</h3><div class='vv-meta'>{meta}</div>{heading}"
        f"{before}<p class='vv-passage'>{_highlight(p.text, view.quote)}</p>{after}</div>"
    )
