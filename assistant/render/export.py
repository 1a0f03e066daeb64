"""A whole conversation as Markdown or Word, read from the answers' structure (never from the chat's HTML)."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.chat.conversations import Turn
from assistant.render.markdown import Block, answer_blocks, answer_markdown, cite, plain_marker
from assistant.render.safe_markdown import safe_markdown


def conversation_markdown(title: str, turns: Sequence[Turn]) -> str:
    lines = [f"# {title}", "", f"*Eksportert fra Veivalg {time.strftime('%Y-%m-%d %H:%M')}.*", ""]
    for i, turn in enumerate(turns, start=1):
        # Report and model text may carry images and links: exported inert, as in the chat.
        lines += [f"## {i}. {safe_markdown(turn.question)}", ""]
        if turn.answer is None:
            lines += [turn.reply, ""]
            continue
        lines += [answer_markdown(turn.answer, marker=plain_marker, escape=safe_markdown), ""]
        quotes = list(turn.answer.quotes) + [""] * len(turn.answer.citations)
        if turn.answer.citations:
            lines += ["**Sitater**", ""]
        for n, p in enumerate(turn.answer.citations, start=1):
            quote = safe_markdown(" ".join((quotes[n - 1] or p.text).split()))
            lines += [
                f"[{n}] {safe_markdown(cite(p, turn.answer.language))} ({safe_markdown(p.source)}):",
                "",
                "> " + quote,
                "",
            ]
    return "\n".join(lines)


_BOLD = re.compile(r"\*\*(.+?)\*\*|_(.+?)_")


def _add_tool_paragraph(doc, text: str) -> None:
    """A decision tool's reply, stored only as its Markdown text: **bold**, _italic_, '- ' bullets."""
    style = None
    if text.startswith("- "):
        text, style = text[2:], "List Bullet"
    paragraph = doc.add_paragraph(style=style)
    pos = 0
    for m in _BOLD.finditer(text):
        paragraph.add_run(text[pos : m.start()])
        run = paragraph.add_run(m.group(1) or m.group(2))
        run.bold, run.italic = bool(m.group(1)), bool(m.group(2))
        pos = m.end()
    paragraph.add_run(text[pos:])


def _add_block(doc, block: Block) -> None:
    paragraph = doc.add_paragraph(style="List Bullet" if block.bullet else None)
    for piece in block.runs:
        run = paragraph.add_run(plain_marker(piece.marker) if piece.marker is not None else piece.text)
        run.bold, run.italic = piece.bold, piece.italic


def conversation_docx(title: str, turns: Sequence[Turn], path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph().add_run(f"Eksportert fra Veivalg {time.strftime('%Y-%m-%d %H:%M')}.").italic = True
    for i, turn in enumerate(turns, start=1):
        document.add_heading(f"{i}. {turn.question}", level=2)
        if turn.answer is None:
            for line in turn.reply.split("\n"):
                if line.strip():
                    _add_tool_paragraph(document, line.strip())
        else:
            for block in answer_blocks(turn.answer):
                _add_block(document, block)
        if turn.answer is not None and turn.answer.citations:
            document.add_heading("Sitater", level=3)
            quotes = list(turn.answer.quotes) + [""] * len(turn.answer.citations)
            for n, p in enumerate(turn.answer.citations, start=1):
                document.add_paragraph(f"[{n}] {cite(p, turn.answer.language)} ({p.source})").runs[0].bold = True
                document.add_paragraph(" ".join((quotes[n - 1] or p.text).split()), style="Quote")
    document.save(str(path))
    return path
