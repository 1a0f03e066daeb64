"""Saved conversations and answer feedback, behind one small interface.

``ConversationStore`` is the seam: SQLite (a file next to the index, no server) is the embedded
default; a server database is one more class with the same methods. Every call names the owner
(the logged-in user, or a browser's own id when no login is set), so nobody sees another's
conversations. Answers are stored as their structure (JSON of ``Answer``), so a conversation
opened later still has clickable citations; nothing is parsed back from text.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.types import Answer, Excerpt, Passage, Statement

DEFAULT_TITLE = "Ny samtale"
TITLE_CHARS = 60


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    updated_at: float


@dataclass(frozen=True)
class Turn:
    """One question and what the assistant replied: an ``Answer``, or a decision tool's Markdown."""

    question: str
    reply: str  # the reply as plain Markdown (for export and the API)
    answer: Answer | None = None


@dataclass(frozen=True)
class Feedback:
    """A thumbs up or down on one answer, with everything needed to reproduce it."""

    owner: str
    conversation_id: str
    question: str
    answer: str
    rating: int  # +1 or -1
    comment: str = ""
    citations: tuple[dict, ...] = ()  # title, page, source, quote
    embedder: str = ""
    settings: dict = field(default_factory=dict)
    commit: str = ""
    created_at: float = 0.0


class ConversationStore(Protocol):
    def conversations(self, owner: str) -> list[Conversation]: ...
    def create(self, owner: str, title: str = DEFAULT_TITLE) -> Conversation: ...
    def turns(self, owner: str, conversation_id: str) -> list[Turn]: ...
    def add_turn(self, owner: str, conversation_id: str, turn: Turn) -> None: ...
    def rename(self, owner: str, conversation_id: str, title: str) -> None: ...
    def delete(self, owner: str, conversation_id: str) -> None: ...
    def add_feedback(self, feedback: Feedback) -> int: ...
    def set_comment(self, feedback_id: int, owner: str, comment: str) -> None: ...
    def feedback(self) -> list[Feedback]: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    question TEXT NOT NULL, reply TEXT NOT NULL, answer TEXT, created_at REAL NOT NULL,
    PRIMARY KEY (conversation_id, position));
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, conversation_id TEXT NOT NULL, record TEXT NOT NULL,
    created_at REAL NOT NULL);
"""


class SQLiteConversationStore:
    """One SQLite file; safe to share between Gradio's worker threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock, self._db:
            return self._db.execute(sql, args).fetchall()

    def conversations(self, owner: str) -> list[Conversation]:
        rows = self._run(
            "SELECT id, title, updated_at FROM conversations WHERE owner = ? ORDER BY updated_at DESC", (owner,)
        )
        return [Conversation(*row) for row in rows]

    def create(self, owner: str, title: str = DEFAULT_TITLE) -> Conversation:
        now = time.time()
        conversation = Conversation(uuid.uuid4().hex, _title(title), now)
        self._run(
            "INSERT INTO conversations VALUES (?, ?, ?, ?, ?)", (conversation.id, owner, conversation.title, now, now)
        )
        return conversation

    def _owned(self, owner: str, conversation_id: str) -> bool:
        return bool(self._run("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)))

    def turns(self, owner: str, conversation_id: str) -> list[Turn]:
        rows = self._run(
            "SELECT t.question, t.reply, t.answer FROM turns t JOIN conversations c ON c.id = t.conversation_id "
            "WHERE c.id = ? AND c.owner = ? ORDER BY t.position",
            (conversation_id, owner),
        )
        return [Turn(q, reply, answer_from_json(a) if a else None) for q, reply, a in rows]

    def add_turn(self, owner: str, conversation_id: str, turn: Turn) -> None:
        if not self._owned(owner, conversation_id):
            raise KeyError(conversation_id)
        now = time.time()
        with self._lock, self._db:
            (position,) = self._db.execute(
                "SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
            self._db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    position,
                    turn.question,
                    turn.reply,
                    answer_to_json(turn.answer) if turn.answer else None,
                    now,
                ),
            )
            # The first question names the conversation, until the user renames it.
            self._db.execute(
                "UPDATE conversations SET updated_at = ?, title = CASE WHEN ? = 0 AND title = ? THEN ? ELSE title END WHERE id = ?",
                (now, position, DEFAULT_TITLE, _title(turn.question), conversation_id),
            )

    def rename(self, owner: str, conversation_id: str, title: str) -> None:
        self._run(
            "UPDATE conversations SET title = ? WHERE id = ? AND owner = ?", (_title(title), conversation_id, owner)
        )

    def delete(self, owner: str, conversation_id: str) -> None:
        self._run("DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner))

    def add_feedback(self, feedback: Feedback) -> int:
        record = asdict(feedback) | {"created_at": feedback.created_at or time.time()}
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO feedback (owner, conversation_id, record, created_at) VALUES (?, ?, ?, ?)",
                (
                    feedback.owner,
                    feedback.conversation_id,
                    json.dumps(record, ensure_ascii=False),
                    record["created_at"],
                ),
            )
            if cursor.lastrowid is None:  # sqlite sets it after every INSERT
                raise RuntimeError("feedback row has no id")
            return cursor.lastrowid

    def set_comment(self, feedback_id: int, owner: str, comment: str) -> None:
        rows = self._run("SELECT record FROM feedback WHERE id = ? AND owner = ?", (feedback_id, owner))
        if not rows:
            raise KeyError(feedback_id)
        record = json.loads(rows[0][0]) | {"comment": comment.strip()}
        self._run("UPDATE feedback SET record = ? WHERE id = ?", (json.dumps(record, ensure_ascii=False), feedback_id))

    def feedback(self) -> list[Feedback]:
        out = []
        for (record,) in self._run("SELECT record FROM feedback ORDER BY id"):
            data = json.loads(record)
            out.append(Feedback(**{**data, "citations": tuple(data.get("citations", ()))}))
        return out


def _title(text: str) -> str:
    text = " ".join((text or "").split()) or DEFAULT_TITLE
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def answer_to_json(answer: Answer) -> str:
    return json.dumps(asdict(answer), ensure_ascii=False)


def answer_from_json(text: str) -> Answer:
    data = json.loads(text)
    known = set(Answer.__dataclass_fields__)
    data = {k: v for k, v in data.items() if k in known}  # an answer saved by an older version still opens
    data["short"] = tuple(Statement(**{**s, "markers": tuple(s["markers"])}) for s in data.get("short", ()))
    data["excerpts"] = tuple(Excerpt(**e) for e in data.get("excerpts", ()))
    data["citations"] = tuple(Passage(**p) for p in data.get("citations", ()))
    data["see_also"] = tuple(Passage(**p) for p in data.get("see_also", ()))
    for key in ("dropped", "quotes"):
        data[key] = tuple(data.get(key, ()))
    return Answer(**data)


def citation_records(answer: Answer) -> tuple[dict, ...]:
    """Each citation as the API and the feedback log give it: title, page, section, file, quote."""
    quotes = list(answer.quotes) + [""] * len(answer.citations)
    return tuple(
        {
            "n": n,
            "title": p.title,
            "page": p.page,
            "section": p.heading,
            "source": p.source,
            "quote": quotes[n - 1] or p.text,
        }
        for n, p in enumerate(answer.citations, start=1)
    )
