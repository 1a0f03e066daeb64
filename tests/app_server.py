"""Start the real app on loopback over a small index, for the API and browser tests."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from pathlib import Path

from assistant.chat.conversations import SQLiteConversationStore
from assistant.settings import AppSettings, Settings
from ingest.pipeline import refresh
from ingest.settings import IngestSettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(ingest: IngestSettings, app_settings: AppSettings | None = None):
    """The app over ``ingest``'s corpus; conversations and feedback in a SQLite file beside the index."""
    import app

    refresh(ingest)
    store = SQLiteConversationStore(Path(ingest.index_dir).parent / "veivalg.sqlite3")
    session = app.Session(Settings(index_dir=Path(ingest.index_dir)), ingest, store=store, commit="test")
    demo = app.build(session)
    port = free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **app.launch_options(app_settings),
    )
    try:
        yield f"http://127.0.0.1:{port}/", session
    finally:
        demo.close()
        store.close()
