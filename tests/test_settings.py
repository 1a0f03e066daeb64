from pathlib import Path

from assistant.settings import AppSettings, Settings
from ingest.settings import IngestSettings


def test_app_listens_on_loopback_without_login_by_default():
    app = AppSettings.from_env({})
    assert (app.host, app.port, app.auth) == ("127.0.0.1", 7860, None)


def test_login_needs_both_user_and_password():
    assert AppSettings.from_env({"VEIVALG_USER": "radmann"}).auth is None
    app = AppSettings.from_env({"VEIVALG_USER": "radmann", "VEIVALG_PASSWORD": "hemmelig", "VEIVALG_PORT": "8080"})
    assert app.auth == ("radmann", "hemmelig") and app.port == 8080


def test_settings_from_environment_and_overrides():
    s = Settings.from_env({"VEIVALG_INDEX": "/tmp/x", "VEIVALG_FUSION": "rrf"})
    assert s.index_dir == Path("/tmp/x") and s.retrieval.fusion == "rrf" and s.llm.provider is None
    assert Settings.from_env({}, index_dir="idx").index_dir == Path("idx")
    i = IngestSettings.from_env({"VEIVALG_CHUNK_WORDS": "120", "VEIVALG_EMBEDDER": "hash:8"})
    assert (i.chunk_words, i.embedder) == (120, "hash:8")
    assert i.chunking_params()["chunk_words"] == 120
