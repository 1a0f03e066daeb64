"""Conversations and feedback in PostgreSQL: ``assistant.chat.conversations.ConversationStore`` for server
mode, so a conversation started on one app replica continues on another. Same rules as the SQLite
store: every call names the owner, answers are stored as their structure (JSONB of ``Answer``)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict

from assistant.chat.conversations import (
    DEFAULT_TITLE,
    Conversation,
    Feedback,
    Turn,
    _title,
    answer_from_json,
    answer_to_json,
)
from server import db


class PgConversationStore:
    def __init__(self, url: str) -> None:
        self.url = url

    def _pool(self):
        return db.pool(self.url)

    def conversations(self, owner: str) -> list[Conversation]:
        with self._pool().connection() as conn:
            rows = conn.execute(
                "SELECT id, title, updated_at FROM conversations WHERE owner = %s ORDER BY updated_at DESC", (owner,)
            ).fetchall()
        return [Conversation(*row) for row in rows]

    def create(self, owner: str, title: str = DEFAULT_TITLE) -> Conversation:
        now = time.time()
        conversation = Conversation(uuid.uuid4().hex, _title(title), now)
        with self._pool().connection() as conn:
            conn.execute(
                "INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (%s, %s, %s, %s, %s)",
                (conversation.id, owner, conversation.title, now, now),
            )
        return conversation

    def turns(self, owner: str, conversation_id: str) -> list[Turn]:
        with self._pool().connection() as conn:
            rows = conn.execute(
                "SELECT t.question, t.reply, t.answer::text FROM turns t JOIN conversations c ON c.id = t.conversation_id "
                "WHERE c.id = %s AND c.owner = %s ORDER BY t.position",
                (conversation_id, owner),
            ).fetchall()
        return [Turn(q, reply, answer_from_json(a) if a else None) for q, reply, a in rows]

    def add_turn(self, owner: str, conversation_id: str, turn: Turn) -> None:
        now = time.time()
        with self._pool().connection() as conn:
            # Lock the conversation row: two replicas adding to one conversation get distinct positions.
            owned = conn.execute(
                "SELECT 1 FROM conversations WHERE id = %s AND owner = %s FOR UPDATE", (conversation_id, owner)
            ).fetchone()
            if owned is None:
                raise KeyError(conversation_id)
            (position,) = conn.execute(
                "SELECT count(*) FROM turns WHERE conversation_id = %s", (conversation_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO turns (conversation_id, position, question, reply, answer, created_at) "
                "VALUES (%s, %s, %s, %s, %s::jsonb, %s)",
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
            conn.execute(
                "UPDATE conversations SET updated_at = %s, title = CASE WHEN %s = 0 AND title = %s THEN %s "
                "ELSE title END WHERE id = %s",
                (now, position, DEFAULT_TITLE, _title(turn.question), conversation_id),
            )

    def rename(self, owner: str, conversation_id: str, title: str) -> None:
        with self._pool().connection() as conn:
            conn.execute(
                "UPDATE conversations SET title = %s WHERE id = %s AND owner = %s",
                (_title(title), conversation_id, owner),
            )

    def delete(self, owner: str, conversation_id: str) -> None:
        with self._pool().connection() as conn:
            conn.execute("DELETE FROM conversations WHERE id = %s AND owner = %s", (conversation_id, owner))

    def add_feedback(self, feedback: Feedback) -> int:
        record = asdict(feedback) | {"created_at": feedback.created_at or time.time()}
        with self._pool().connection() as conn:
            (fid,) = conn.execute(
                "INSERT INTO feedback (owner, conversation_id, record, created_at) VALUES (%s, %s, %s::jsonb, %s) RETURNING id",
                (
                    feedback.owner,
                    feedback.conversation_id,
                    json.dumps(record, ensure_ascii=False),
                    record["created_at"],
                ),
            ).fetchone()
        return int(fid)

    def set_comment(self, feedback_id: int, owner: str, comment: str) -> None:
        with self._pool().connection() as conn:
            updated = conn.execute(
                "UPDATE feedback SET record = jsonb_set(record, '{comment}', to_jsonb(%s::text)) WHERE id = %s AND owner = %s",
                (comment.strip(), feedback_id, owner),
            ).rowcount
        if not updated:
            raise KeyError(feedback_id)

    def feedback(self) -> list[Feedback]:
        with self._pool().connection() as conn:
            rows = conn.execute("SELECT record::text FROM feedback ORDER BY id").fetchall()
        out = []
        for (record,) in rows:
            data = json.loads(record)
            out.append(Feedback(**{**data, "citations": tuple(data.get("citations", ()))}))
        return out
