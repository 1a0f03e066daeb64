"""Chat and form as one profile, in headless Chromium (issue 9): what the form holds the chat does not ask
for, and a fact stated in the chat shows up in the form."""

from __future__ import annotations

import os
import shutil

import pytest
from app_server import running_app

CHROMIUM = os.environ.get("VEIVALG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="chromium is not installed (make test installs it)"
)


def test_the_form_feeds_the_chat_and_the_chat_fills_the_form(settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with running_app(settings) as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("tab", name="Beslutningsverktøy").click()
        page.get_by_label("Kommunens navn").fill("Vik kommune")
        population = page.get_by_label("Innbyggertall")
        population.fill("4000")
        cost = page.get_by_label("IT-kostnad per innbygger (kr)")
        cost.fill("2400")
        cost.press("Tab")
        page.wait_for_timeout(1500)  # a person takes this long to switch tabs; the form's events land first
        page.get_by_role("tab", name="Spør", exact=True).click()
        box = page.locator("#vv-question textarea")
        box.fill("Hvordan ligger vi an på nøkkeltall?")
        box.press("Enter")
        chat = page.locator("#vv-chat")
        expect(chat).to_contain_text("Nøkkeltall for Vik kommune mot rapportenes tall", timeout=30_000)
        expect(chat).not_to_contain_text("trenger jeg å vite")
        box.fill("Vi har 12 000 innbyggere. Sammenlign nøkkeltallene våre igjen.")
        box.press("Enter")
        expect(chat).to_contain_text("Jeg leste: 12 000 innbyggere", timeout=30_000)
        page.get_by_role("tab", name="Beslutningsverktøy").click()
        expect(population).to_have_value("12000", timeout=15_000)
        page.screenshot(path=str(tmp_path / "form.png"), full_page=True)
        browser.close()
