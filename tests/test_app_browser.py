"""A person's path through the app, in headless Chromium (Debian's package; `make test` installs it)."""

from __future__ import annotations

import os
import shutil

import pytest
from app_server import running_app

CHROMIUM = os.environ.get("VEIVALG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="chromium is not installed (make test installs it)"
)


def test_ask_see_a_cited_answer_and_open_the_source(settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM, "chromium must be installed in CI (see the Makefile's browser target)"
    with running_app(settings) as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(url)
        expect(page.get_by_text("Spør rapportene").first).to_be_visible(timeout=30_000)
        box = page.locator("#vv-question textarea")
        box.fill("Hva skal elevene få innen 2025?")
        box.press("Enter")
        chat = page.locator("#vv-chat")
        expect(chat).to_contain_text("Kilder", timeout=30_000)
        expect(chat).to_contain_text("nettbrett")
        page.locator("#vv-sources label").first.click()
        view = page.locator("#vv-source-view")
        expect(view.locator("mark").first).to_be_visible(timeout=15_000)
        expect(view).to_contain_text("Skolerapporten")
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
        browser.close()
