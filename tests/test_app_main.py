"""How `python app.py` starts Gradio: questions side by side, a bounded session store."""

from __future__ import annotations

import app


class _Demo:
    def __init__(self) -> None:
        self.queued: dict = {}
        self.launched: dict = {}

    def queue(self, **kwargs):
        self.queued = kwargs
        return self

    def launch(self, **kwargs) -> None:
        self.launched = kwargs


def test_main_serves_questions_concurrently_and_bounds_session_state(monkeypatch, tmp_path):
    demo = _Demo()

    class _Session:
        def __init__(self, settings, ingest, store) -> None:
            pass

        def warm_up(self) -> None:
            pass

    monkeypatch.setattr(app, "Session", _Session)
    monkeypatch.setattr(app, "build", lambda session: demo)
    monkeypatch.setattr("ingest.index.files.index_exists", lambda index_dir: True)
    monkeypatch.setattr("assistant.tempfiles.start_cleaner", lambda: None)
    for name in ("VEIVALG_USER", "VEIVALG_PASSWORD", "VEIVALG_CONCURRENCY", "VEIVALG_SESSIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VEIVALG_DATA", str(tmp_path / "store.sqlite3"))
    app.main()
    # Gradio's default is one event at a time: a hung model call would hold up every user.
    assert demo.queued["default_concurrency_limit"] == 8
    # Gradio's default keeps 10 000 sessions (~200 KB each here): memory grew to 1.75 GB.
    assert demo.launched["state_session_capacity"] == 500
