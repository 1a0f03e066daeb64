"""Images and links from reports or a model never render live: chat, export and source view."""

from __future__ import annotations

import re

import pytest

from assistant.chat.conversations import Turn
from assistant.render.export import conversation_markdown
from assistant.render.presenter import SourceView, display_markdown, source_view_html
from assistant.render.safe_markdown import safe_markdown
from assistant.types import Answer, Passage, Statement

HOSTILE = (
    'Se ![sporing](https://tracker.example/p.png) og [klikk her](https://phish.example/login "Logg inn"). '
    "Mer på https://evil.example/x. ![](data:image/png;base64,AAAA)\n\n[ref]: https://ref.example/y\n"
    "<img src=https://img.example/z.png>"
)
LIVE_IMAGE = re.compile(r"!\[[^\]]*\]\(")
LIVE_LINK = re.compile(r"(?<!!)\[[^\]]+\]\(")


def _live(markdown: str) -> list[str]:
    """Every address outside a code span: what a Markdown renderer could fetch or link."""
    outside = re.sub(r"`[^`]*`", "", markdown)
    found = re.findall(r"(?:https?|data):[^\s)\"']+|www\.\S+", outside)
    return found + LIVE_IMAGE.findall(outside) + LIVE_LINK.findall(outside) + re.findall(r"<img", outside)


def test_images_links_and_addresses_become_text():
    out = safe_markdown(HOSTILE)
    assert _live(out) == []
    assert "[bilde: sporing]" in out and "klikk her (`https://phish.example/login`)" in out
    assert "`https://evil.example/x`." in out  # the full stop stays outside the address
    assert "&lt;img" in out


@pytest.mark.parametrize(
    "text",
    [
        "- Elevene får nettbrett innen 2025 [1] [2].\n\n**Kilder**\n[1] Skolerapporten (KS, 2024), s. 3",
        "Kostnaden er 1 050 kr per innbygger (2012).",
    ],
)
def test_ordinary_answer_text_is_unchanged(text):
    assert safe_markdown(text) == text


def _answer() -> Answer:
    passage = Passage(
        chunk_id="x#0", text=HOSTILE, source="x.md", title="Rapport ![t](https://t.example/a.png)", page=2, score=1.0
    )
    return Answer(
        question="Hva med [lenke](https://q.example)?",
        short=(Statement(HOSTILE, (1,)),),
        citations=(passage,),
        quotes=(HOSTILE,),
    )


def test_the_chat_shows_no_live_image_or_link():
    assert _live(display_markdown(_answer())) == []


def test_the_export_has_no_live_image_or_link():
    answer = _answer()
    assert _live(conversation_markdown("Samtale", [Turn(answer.question, answer.text, answer)])) == []


def test_the_source_view_is_escaped_html():
    answer = _answer()
    html = source_view_html(SourceView(passage=answer.citations[0], quote="", before=HOSTILE, after=HOSTILE))
    assert "<img" not in html and "<a " not in html and "](" in html  # Markdown is not rendered in HTML
