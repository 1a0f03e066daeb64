"""The app's server-mode session: conversations in PostgreSQL, the library as jobs, logins from the
user store. app.py calls ``server_session`` when VEIVALG_DATABASE_URL is set."""

from __future__ import annotations

from assistant.chat.session import Session
from assistant.settings import Settings
from ingest.settings import IngestSettings


def server_session(settings: Settings, ingest: IngestSettings, commit: str | None = None) -> Session:
    from server.conversations import PgConversationStore
    from server.library import ServerLibrary

    url = settings.database_url
    assert url
    library = ServerLibrary(url, ingest)
    return Session(settings, ingest, store=PgConversationStore(url), commit=commit, server=library)
