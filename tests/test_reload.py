"""The running assistant follows a refresh made elsewhere (the command line) without a restart."""

from __future__ import annotations

import pytest

from assistant import core
from assistant.core import Assistant
from assistant.settings import Settings
from ingest.pipeline import refresh

QUESTION = "Hva sier rapporten om fiberutbygging i Lofoten?"


@pytest.fixture(autouse=True)
def _check_every_time(monkeypatch):
    monkeypatch.setattr(core, "RELOAD_CHECK_S", 0.0)


def test_a_refresh_from_the_command_line_reaches_the_running_assistant(settings):
    refresh(settings)
    assistant = Assistant.load(Settings(index_dir=settings.index_dir))
    assert assistant.ask(QUESTION).abstained
    old = assistant.loaded_from
    (settings.corpus_dir / "fiber.txt").write_text(
        "FIBER I LOFOTEN\n\nFiberutbygging i Lofoten skal gi alle husstander bredbånd innen 2026.", encoding="utf-8"
    )
    refresh(settings)  # as `python -m ingest refresh` would, in another process
    answer = assistant.ask(QUESTION)
    assert assistant.loaded_from != old and "fiber.txt" in assistant.documents
    assert not answer.abstained and "Lofoten" in answer.text


def test_an_unreadable_new_version_keeps_the_old_one(settings):
    refresh(settings)
    assistant = Assistant.load(Settings(index_dir=settings.index_dir))
    old = assistant.loaded_from
    broken = settings.index_dir / "v-broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    (settings.index_dir / "CURRENT").write_text("v-broken", encoding="utf-8")
    assert not assistant.follow_index()
    assert assistant.loaded_from == old
    assert not assistant.ask("Hva skal elevene få innen 2025?").abstained
