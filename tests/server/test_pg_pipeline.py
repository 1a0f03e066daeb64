"""The ingest pipeline and the assistant on a database URL: refresh writes into PostgreSQL, reuses
vectors it reads back, and an embedder change becomes a new table set the assistant follows."""

from __future__ import annotations

from dataclasses import replace

from assistant.core import Assistant
from assistant.settings import RetrievalSettings, Settings
from ingest.pipeline import refresh
from server.pg_index import PgIndexStore


def test_refresh_into_the_database_and_follow_an_embedder_switch(fresh_db, settings, tmp_path):
    ingest = replace(settings, database_url=fresh_db, index_dir=tmp_path / "unused-index")
    first = refresh(ingest)
    assert not first.failed and first.chunks > 0 and first.wrote_index
    assert not (tmp_path / "unused-index").exists() or not any((tmp_path / "unused-index").glob("v-*"))
    store = PgIndexStore(fresh_db)
    live = store.current()
    assert live is not None and store.manifest()["embedder"].startswith("hash")  # type: ignore[index]

    again = refresh(ingest)
    assert again.embedded == 0 and again.chunks == first.chunks  # vectors came back from the database

    assistant = Assistant.load(
        Settings(
            index_dir=tmp_path / "unused-index",
            database_url=fresh_db,
            retrieval=RetrievalSettings(vector_index="memory"),
        )
    )
    [top, *_] = assistant.retrieve("trygghetsalarmer for eldre", k=3)
    assert top.source == "helse.md"

    switched = refresh(replace(ingest, embedder="hash:32"))
    assert switched.embedded == first.chunks and "Embedderen er endret" in (switched.rebuild_reason or "")
    assert store.current() not in (None, live) and store.read().vectors.shape[1] == 32
    assistant._checked_at -= 60  # it looks for a new version at most once a second
    [top, *_] = assistant.retrieve("trygghetsalarmer for eldre", k=3)  # the assistant moved to the new set
    assert top.source == "helse.md" and assistant.manifest["embedder"].endswith("32")
