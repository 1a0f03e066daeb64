"""Saved conversations, feedback and exports: the SQLite store, and `python -m eval feedback`."""

from __future__ import annotations

import json

import pytest

from assistant.chat.conversations import (
    DEFAULT_TITLE,
    Feedback,
    SQLiteConversationStore,
    Turn,
    answer_from_json,
    answer_to_json,
)
from assistant.chat.feedback import gold_candidates, summary
from assistant.render.export import conversation_docx, conversation_markdown
from assistant.types import Answer, Excerpt, Passage, Statement

PASSAGE = Passage(
    chunk_id="c1",
    text="Alle elever får nettbrett innen 2025.",
    source="skole.txt",
    title="Skolerapporten",
    page=None,
    score=1.0,
    heading="Skole",
    year="2024",
    publisher="Kommunen",
)
ANSWER = Answer(
    question="Hva får elevene?",
    short=(Statement("Alle elever får nettbrett innen 2025.", (1,)),),
    excerpts=(Excerpt(1, "Alle elever får nettbrett."),),
    citations=(PASSAGE,),
    quotes=("Alle elever får nettbrett innen 2025.",),
)


@pytest.fixture
def store(tmp_path):
    s = SQLiteConversationStore(tmp_path / "data" / "samtaler.sqlite3")
    yield s
    s.close()


def test_answer_round_trips_through_json():
    again = answer_from_json(answer_to_json(ANSWER))
    assert again == ANSWER and again.text == ANSWER.text


def test_conversation_is_named_by_its_first_question_and_survives_reopening(tmp_path):
    path = tmp_path / "s.sqlite3"
    first = SQLiteConversationStore(path)
    conv = first.create("browser:a")
    assert conv.title == DEFAULT_TITLE
    first.add_turn("browser:a", conv.id, Turn(ANSWER.question, ANSWER.text, ANSWER))
    first.add_turn("browser:a", conv.id, Turn("Og lærerne?", "Lærerne får kurs."))
    first.close()
    reopened = SQLiteConversationStore(path)
    [saved] = reopened.conversations("browser:a")
    assert saved.title == "Hva får elevene?"
    turns = reopened.turns("browser:a", conv.id)
    assert [t.question for t in turns] == ["Hva får elevene?", "Og lærerne?"]
    assert turns[0].answer == ANSWER and turns[1].answer is None
    reopened.close()


def test_owners_never_see_each_others_conversations(store):
    conv = store.create("user:kari")
    store.add_turn("user:kari", conv.id, Turn("Spørsmål", "Svar"))
    assert store.conversations("user:ola") == [] and store.turns("user:ola", conv.id) == []
    with pytest.raises(KeyError):
        store.add_turn("user:ola", conv.id, Turn("Inn i Karis samtale", "Nei"))
    store.delete("user:ola", conv.id)
    store.rename("user:ola", conv.id, "Kapret")
    assert [c.title for c in store.conversations("user:kari")] == ["Spørsmål"]


def test_rename_and_delete(store):
    conv = store.create("b")
    store.add_turn("b", conv.id, Turn("Første", "Svar"))
    store.rename("b", conv.id, "  Budsjett   2025 ")
    assert store.conversations("b")[0].title == "Budsjett 2025"
    store.delete("b", conv.id)
    assert store.conversations("b") == [] and store.turns("b", conv.id) == []


def test_feedback_is_stored_with_its_context_and_comment(store):
    fid = store.add_feedback(
        Feedback(
            owner="b",
            conversation_id="c",
            question="Q?",
            answer="A [1].",
            rating=-1,
            citations=({"n": 1, "source": "skole.txt"},),
            embedder="hash:64",
            settings={"k": 1},
            commit="abc",
        )
    )
    store.set_comment(fid, "b", "Feil rapport.")
    with pytest.raises(KeyError):
        store.set_comment(fid, "someone-else", "Hei")
    [record] = store.feedback()
    assert (record.rating, record.comment, record.embedder, record.commit) == (-1, "Feil rapport.", "hash:64", "abc")
    assert record.citations[0]["source"] == "skole.txt" and record.created_at > 0


def test_summary_and_gold_candidates():
    records = [
        Feedback(owner="a", conversation_id="c", question="Q1", answer="x", rating=1, embedder="e", commit="1"),
        Feedback(
            owner="a",
            conversation_id="c",
            question="Q2",
            answer="y",
            rating=-1,
            comment="Mangler kilde",
            citations=({"source": "a.txt"},),
            embedder="e",
            commit="1",
        ),
        Feedback(owner="b", conversation_id="d", question="Q2", answer="y", rating=-1, embedder="e", commit="1"),
    ]
    text = summary(records)
    assert "3 tilbakemeldinger: 1 tommel opp, 2 tommel ned." in text and "Mangler kilde" in text
    [candidate] = gold_candidates(records)
    assert candidate["question"] == "Q2" and candidate["cited_sources"] == ["a.txt"] and candidate["needs_review"]


def test_eval_feedback_cli(tmp_path, capsys):
    from eval.__main__ import main

    db = tmp_path / "s.sqlite3"
    s = SQLiteConversationStore(db)
    s.add_feedback(Feedback(owner="a", conversation_id="c", question="Hva koster IKT?", answer="x", rating=-1))
    s.close()
    out = tmp_path / "kandidater.jsonl"
    assert main(["feedback", "--db", str(db), "--out", str(out)]) == 0
    assert "1 tommel ned" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["question"] == "Hva koster IKT?"
    assert main(["feedback", "--db", str(tmp_path / "mangler.sqlite3")]) == 2


def test_conversation_exports_as_markdown_and_word(tmp_path):
    import docx

    turns = [
        Turn(ANSWER.question, ANSWER.text, ANSWER),
        Turn("Hvilket ambisjonsnivå passer?", "**Anbefalt:** K10-nivå."),
    ]
    md = conversation_markdown("Skole", turns)
    assert (
        md.startswith("# Skole") and "## 1. Hva får elevene?" in md and "[1] Skolerapporten" in md and "«Skole»" in md
    )
    assert "## 2. Hvilket ambisjonsnivå passer?" in md
    path = conversation_docx("Skole", turns, tmp_path / "s.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert (
        "Hva får elevene?" in text and "Alle elever får nettbrett innen 2025." in text and "Anbefalt: K10-nivå." in text
    )
    assert "**" not in text


def test_word_export_is_built_from_the_answer_not_its_markdown(tmp_path):
    """Report text with Markdown-looking characters stays as written; headings are bold runs and
    the citation markers sit before the full stop, as in the chat."""
    import docx

    odd = Statement("Budsjettet er *ikke* vedtatt_ennå_ for 2025.", (1,))
    answer = Answer(question="Budsjett?", short=(odd,), citations=(PASSAGE,), quotes=("x",))
    path = conversation_docx("Budsjett", [Turn(answer.question, answer.text, answer)], tmp_path / "b.docx")
    paragraphs = docx.Document(str(path)).paragraphs
    texts = [p.text for p in paragraphs]
    assert "Budsjettet er *ikke* vedtatt_ennå_ for 2025 [1]." in texts
    heading = next(p for p in paragraphs if p.text == "Kort svar")
    assert all(run.bold for run in heading.runs)
    assert any(t.startswith("[1] Skolerapporten (Kommunen, 2024)") for t in texts)
