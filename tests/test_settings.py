from pathlib import Path

import pytest

from assistant.settings import AppSettings, Settings
from ingest.errors import VeivalgError
from ingest.settings import IngestSettings


def test_app_listens_on_loopback_without_login_by_default():
    app = AppSettings.from_env({})
    assert (app.host, app.port, app.auth) == ("127.0.0.1", 7860, None)


def test_login_needs_both_user_and_password():
    app = AppSettings.from_env({"VEIVALG_USER": "radmann", "VEIVALG_PASSWORD": "hemmelig", "VEIVALG_PORT": "8080"})
    assert app.auth == ("radmann", "hemmelig") and app.port == 8080


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"VEIVALG_USER": "radmann"}, "VEIVALG_PASSWORD mangler"),
        ({"VEIVALG_PASSWORD": "hemmelig"}, "VEIVALG_USER mangler"),
        ({"VEIVALG_USER": "radmann", "VEIVALG_PASSWORD": ""}, "VEIVALG_PASSWORD mangler"),
        ({"VEIVALG_USERNAME": "radmann", "VEIVALG_PASSWORD": "hemmelig"}, "VEIVALG_USERNAME"),
        ({"VEIVALG_USER": "radmann", "VEIVALG_PASS": "hemmelig"}, "VEIVALG_PASS"),
    ],
)
def test_half_a_login_refuses_to_start(env, missing):
    with pytest.raises(VeivalgError, match=missing):
        AppSettings.from_env(env)


def test_app_refuses_to_start_with_half_a_login(monkeypatch, capsys):
    import app

    monkeypatch.setenv("VEIVALG_USER", "radmann")
    monkeypatch.delenv("VEIVALG_PASSWORD", raising=False)
    with pytest.raises(SystemExit) as stopped:
        app.main()
    assert stopped.value.code != 0 and "VEIVALG_PASSWORD mangler" in str(stopped.value.code)


def test_concurrency_is_a_setting():
    assert AppSettings.from_env({}).concurrency == 8
    assert AppSettings.from_env({"VEIVALG_CONCURRENCY": "3"}).concurrency == 3
    with pytest.raises(VeivalgError):
        AppSettings.from_env({"VEIVALG_CONCURRENCY": "0"})


def test_settings_from_environment_and_overrides():
    s = Settings.from_env({"VEIVALG_INDEX": "/tmp/x", "VEIVALG_FUSION": "rrf"})
    assert s.index_dir == Path("/tmp/x") and s.retrieval.fusion == "rrf" and s.llm.provider is None
    assert Settings.from_env({}, index_dir="idx").index_dir == Path("idx")
    i = IngestSettings.from_env({"VEIVALG_CHUNK_WORDS": "120", "VEIVALG_EMBEDDER": "hash:8"})
    assert (i.chunk_words, i.embedder) == (120, "hash:8")
    assert i.chunking_params()["chunk_words"] == 120
