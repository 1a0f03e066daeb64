"""Turning answers and passages into what the app shows: safe Markdown/HTML, source views, exports.

Every piece of text that comes from a user or a document is escaped here, so neither a
question nor a report can inject HTML or script into the page.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass

from assistant.render import answer_markdown
from assistant.safe_markdown import safe_markdown
from assistant.types import Answer, Passage


def escape_text(text: str) -> str:
    """Text that will be rendered as Markdown: HTML escaped, images off, links inert (safe_markdown)."""
    return safe_markdown(text)


def display_markdown(answer: Answer) -> str:
    """The answer as the chat shows it: escaped, with notes about fallbacks and removed sentences."""
    parts = []
    if answer.note and not answer.abstained:
        parts.append(f"_{escape_text(answer.note)}_")
    parts.append(answer_markdown(answer, escape=escape_text))
    if answer.dropped:
        n = len(answer.dropped)
        parts.append(f"_{n} setning{'er' if n > 1 else ''} fra språkmodellen ble fjernet fordi ingen kilde støttet {'dem' if n > 1 else 'den'}._")
    return "\n\n".join(parts)


def citation_label(n: int, passage: Passage) -> str:
    return f"[{n}] {passage.cite()}"


def citation_choices(answer: Answer | None) -> list[str]:
    if answer is None:
        return []
    return [citation_label(n, p) for n, p in enumerate(answer.citations, start=1)]


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


def source_view_html(view: SourceView) -> str:
    p = view.passage
    meta = " · ".join(html.escape(x) for x in (p.publisher, p.year, f"s. {p.page}" if p.page is not None else None, p.source) if x)
    heading = f"<div class='vv-heading'>{html.escape(p.heading)}</div>" if p.heading else ""
    before = f"<p class='vv-context'>…{html.escape(view.before[-600:])}</p>" if view.before else ""
    after = f"<p class='vv-context'>{html.escape(view.after[:600])}…</p>" if view.after else ""
    return (
        f"<div class='vv-source'><h3>{html.escape(p.title)}</h3><div class='vv-meta'>{meta}</div>{heading}"
        f"{before}<p class='vv-passage'>{_highlight(p.text, view.quote)}</p>{after}</div>"
    )


def export_markdown(answer: Answer) -> str:
    """An answer with its sources, for a consultant's notes."""
    lines = [
        "# Svar fra Veivalg", "",
        f"*Eksportert {time.strftime('%Y-%m-%d %H:%M')}; {'språkmodell' if answer.mode == 'llm' else 'utdrag fra rapportene'}.*", "",
        "## Spørsmål", "", safe_markdown(answer.question), "", "## Svar", "", safe_markdown(answer.text), "", "## Kildeutdrag", "",
    ]
    for n, (p, quote) in enumerate(zip(answer.citations, answer.quotes or [""] * len(answer.citations), strict=False), start=1):
        lines += [f"**[{n}] {safe_markdown(p.cite())}** ({safe_markdown(p.source)})", "", "> " + safe_markdown(" ".join((quote or p.text).split())), ""]
    return "\n".join(lines)
