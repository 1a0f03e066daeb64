"""The app's Session without a browser: messages, opening a cited source (text and PDF page), export, feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.conversations import SQLiteConversationStore, Turn
from assistant.chat.session import Session
from assistant.settings import Settings
from assistant.types import Answer
from ingest.pipeline import refresh


@pytest.fixture
def session(settings, tmp_path):
    refresh(settings)
    s = Session(
        Settings(index_dir=Path(settings.index_dir)),
        settings,
        store=SQLiteConversationStore(":memory:"),
        commit="abc123",
    )
    yield s
    s.store.close()


def _answer(session, question: str) -> Answer:
    return [p for p in session.stream(question, []) if isinstance(p, Answer)][-1]


def test_messages_escape_the_question_and_link_each_marker(session):
    answer = _answer(session, "Hva skal elevene få innen 2025?")
    [user, bot] = session.messages([Turn("<script>alert(1)</script> nettbrett?", answer.text, answer)])
    assert "<script>" not in user["content"] and "&lt;script&gt;" in user["content"]
    assert "href='#vv-cite-0-1'" in bot["content"] and "[1]" in bot["content"]


def test_compact_source_list_in_chat_full_details_on_open(session):
    answer = _answer(session, "Hva skal elevene få innen 2025?")
    n = next(i for i, p in enumerate(answer.citations, start=1) if p.source == "skole.txt")
    [_, bot] = session.messages([Turn(answer.question, answer.text, answer)])
    assert "2024" not in bot["content"].split("Kilder")[-1]  # the year is shown when the source is opened
    opened = session.open_source([Turn(answer.question, answer.text, answer)], f"0-{n}")
    assert "Skolerapporten" in opened.html and "2024" in opened.html and "<mark>" in opened.html
    assert (
        opened.page_image is None
        and opened.original.read_bytes() == (session.ingest.corpus_dir / "skole.txt").read_bytes()
    )


def test_a_pdf_source_has_its_page_drawn_with_the_highlight(session):
    answer = _answer(session, "Hva var IKT-kostnadene per innbygger i 2012?")
    n = next(i for i, p in enumerate(answer.citations, start=1) if p.source == "okonomi.pdf")
    opened = session.open_source([Turn(answer.question, answer.text, answer)], f"0-{n}")
    assert opened.page_image.read_bytes().startswith(b"\x89PNG")
    assert f"s. {answer.citations[n - 1].page}" in opened.html


@pytest.mark.parametrize("key", ["", "x", "5-1", "0-99", "0-0"])
def test_a_stale_citation_key_opens_nothing(session, key):
    answer = _answer(session, "Hva skal elevene få innen 2025?")
    assert session.open_source([Turn(answer.question, answer.text, answer)], key) is None


def test_feedback_records_question_answer_citations_embedder_settings_commit(session):
    answer = _answer(session, "Hva skal elevene få innen 2025?")
    conv = session.remember("browser:x", "", Turn(answer.question, answer.text, answer))
    fid = session.feedback("browser:x", conv, [Turn(answer.question, answer.text, answer)], 0, liked=False)
    session.store.set_comment(fid, "browser:x", "Mangler lærerne.")
    [record] = session.store.feedback()
    assert record.question == answer.question and record.answer == answer.text and record.rating == -1
    assert record.citations[0]["source"] == answer.citations[0].source and record.embedder.startswith("hash")
    assert record.commit == "abc123" and record.settings["retrieval"]["fusion"] and record.comment == "Mangler lærerne."
    assert "api_key" not in str(record.settings)


def test_export_needs_a_question_first_then_gives_markdown_and_word(session):
    from ingest.errors import VeivalgError

    with pytest.raises(VeivalgError, match="Still et spørsmål først"):
        session.export("browser:x", "", "md")
    answer = _answer(session, "Hva skal elevene få innen 2025?")
    conv = session.remember("browser:x", "", Turn(answer.question, answer.text, answer))
    md = session.export("browser:x", conv, "md")
    assert "nettbrett" in md.read_text(encoding="utf-8")
    assert session.export("browser:x", conv, "docx").read_bytes().startswith(b"PK")


def test_ukjent_is_a_country_choice_and_finds_reports_without_a_country(session):
    from assistant.chat.library import country_choices

    assert ("ukjent", "") in country_choices(session.documents) and ("Norge", "NO") in country_choices(
        session.documents
    )
    unknown = _answer_filtered(session, "Hva var IKT-kostnadene per innbygger?", countries=[""])
    assert unknown.citations and all(p.source != "skole.txt" for p in unknown.citations)
    both = _answer_filtered(session, "Hva skal elevene få innen 2025?", countries=["NO", ""])
    assert any(p.source == "skole.txt" for p in both.citations)


def _answer_filtered(session, question: str, **filters) -> Answer:
    return [p for p in session.stream(question, [], **filters) if isinstance(p, Answer)][-1]
