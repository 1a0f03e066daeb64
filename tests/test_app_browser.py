"""A person's path through the app, in headless Chromium (Debian's package; `make test` installs it).

The browser says it speaks English (locale en-US), as many do: the app must still be Norwegian.
Set VEIVALG_SCREENSHOTS=folder to keep the screenshots (desktop 1366×900, mobile 375×812).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

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
DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 375, "height": 812}
QUESTION = "Hva skal elevene få innen 2025?"

# Gradio's own English strings that showed in this app before it was translated (and their kin).
ENGLISH = [
    "Drop File Here",
    "Click to Upload",
    "Copy message",
    "Copied message",
    "Clear",
    "Submit",
    "Retry",
    "Undo",
    "Like",
    "Dislike",
    "Loading",
    "Error",
    "processing",
    "steps",
    "More tabs",
    "Built with Gradio",
    "Use via API",
    "Settings",
    "Toggle Sidebar",
    "Chatbot",
    "Download",
    "Share",
    "Fullscreen",
    "Conversation",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="chromium is not installed (make test installs it)"
)

VISIBLE_WORDS = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  return out.join('\\n');
}"""


def english_on_page(page) -> list[str]:
    text = page.evaluate(VISIBLE_WORDS)
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def ask_and_open_first_source(page, question: str):
    from playwright.sync_api import expect

    box = page.locator("#vv-question textarea")
    box.fill(question)
    box.press("Enter")
    chat = page.locator("#vv-chat")
    expect(chat.locator('a[href^="#vv-cite-"]').first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(300)  # the scroll to the answer's start
    chat.locator('a[href^="#vv-cite-"]').first.click()
    view = page.locator("#vv-source-view")
    expect(view.locator("mark").first).to_be_in_viewport(timeout=15_000)
    return view


def shoot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("VEIVALG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)
    page.screenshot(path=str(folder / name))


def test_a_persons_path_through_the_app(settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM, "chromium must be installed in CI (see the Makefile's browser target)"
    timings: dict[str, float] = {}
    with running_app(settings) as (url, session), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport=DESKTOP, locale="en-US")
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        expect(page.locator("#vv-chat")).to_contain_text("Velkommen", timeout=30_000)
        expect(page.locator("#vv-chat")).to_contain_text("Skolerapporten")  # the welcome lists the reports
        timings["page"] = time.perf_counter() - started

        # Ask, see the start of the answer, open [1] beside it.
        started = time.perf_counter()
        view = ask_and_open_first_source(page, QUESTION)
        timings["ask+open"] = time.perf_counter() - started
        expect(view).to_contain_text("Skolerapporten")
        expect(page.locator("#vv-chat")).to_contain_text("nettbrett")
        assert english_on_page(page) == [], "English Gradio strings on the chat tab"
        shoot(page, "desktop.png", tmp_path)

        # Thumbs down with a comment: stored with the question and its citations.
        page.locator("#vv-chat button[aria-label='Liker ikke']").last.click()
        expect(page.locator("#vv-feedback-row")).to_be_visible(timeout=10_000)
        page.locator("#vv-comment textarea").fill("Svaret nevner ikke lærerne.")
        page.locator("#vv-send-comment").click()
        expect(page.locator("#vv-feedback-row")).to_be_hidden(timeout=10_000)
        [record] = session.store.feedback()
        assert (record.question, record.rating, record.comment) == (QUESTION, -1, "Svaret nevner ikke lærerne.")
        assert record.citations and record.embedder

        # The conversation survives a reload.
        started = time.perf_counter()
        page.reload()
        expect(page.locator("#vv-chat")).to_contain_text("nettbrett", timeout=30_000)
        timings["reload"] = time.perf_counter() - started
        expect(page.locator("#vv-history")).to_contain_text(QUESTION)

        # The sidebar: rename the conversation and download it as Word.
        page.locator("button[aria-label='Vis eller skjul samtalene']").click()
        page.locator("#vv-rename textarea").fill("Skole og nettbrett")
        page.get_by_role("button", name="Gi nytt navn").click()
        expect(page.locator("#vv-history")).to_contain_text("Skole og nettbrett", timeout=10_000)
        page.locator("#vv-export-docx").click()
        expect(page.locator("#vv-export-file")).to_contain_text("veivalg-samtale", timeout=15_000)
        page.locator("button[aria-label='Vis eller skjul samtalene']").click()

        # Upload a report; after a reload it is listed and can be chosen in the filter.
        new = tmp_path / "bredband.txt"
        new.write_text("BREDBÅND I DISTRIKTET\n\nKommunen bygger fiber til alle grendene innen 2028.", encoding="utf-8")
        started = time.perf_counter()
        page.get_by_role("tab", name="Rapporter").click()
        page.locator("#vv-upload input[type=file]").set_input_files(str(new))
        page.locator("#vv-add").click()
        expect(page.locator("#vv-library-status")).to_contain_text("Ferdig", timeout=60_000)
        timings["upload"] = time.perf_counter() - started
        assert english_on_page(page) == [], "English Gradio strings on the library tab"
        # The same file name again: the app asks, and "Behold begge" keeps both.
        newer = tmp_path / "v2" / "bredband.txt"
        newer.parent.mkdir()
        newer.write_text("BREDBÅND, NY UTGAVE\n\nFiberutbyggingen er utsatt til 2030 i tre grender.", encoding="utf-8")
        page.locator("#vv-upload input[type=file]").set_input_files(str(newer))
        page.locator("#vv-add").click()
        expect(page.locator("#vv-library-status")).to_contain_text("finnes fra før", timeout=30_000)
        page.locator("#vv-keep-both").click()
        expect(page.locator("#vv-reports")).to_contain_text("bredband (2).txt", timeout=60_000)
        page.reload()
        page.get_by_role("tab", name="Rapporter").click()
        expect(page.locator("#vv-reports")).to_contain_text("bredband", timeout=30_000)
        page.get_by_role("tab", name="Spør", exact=True).click()
        page.locator("#vv-filters").click()
        page.locator("#vv-filter-reports input").click()
        option = page.get_by_role("option", name=re.compile("BREDBÅND I DISTRIKTET"))
        expect(option).to_be_visible(timeout=10_000)
        option.click()
        page.keyboard.press("Escape")
        box = page.locator("#vv-question textarea")
        box.fill("Når får grendene fiber?")
        box.press("Enter")
        expect(page.locator("#vv-chat")).to_contain_text("2028", timeout=60_000)
        # The chat's own trash button starts afresh: no old source, no old follow-up context.
        page.locator('#vv-chat a[href^="#vv-cite-"]').first.click()
        expect(page.locator("#vv-source-panel")).to_be_visible()
        page.locator("#vv-chat button[aria-label='Tøm samtalen']").click()
        expect(page.locator("#vv-source-panel")).to_be_hidden(timeout=10_000)
        expect(page.locator("#vv-chat")).not_to_contain_text("2028")
        context.close()

        # On a phone the source opens directly under the answer, in view.
        context = browser.new_context(viewport=MOBILE, locale="en-US", is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#vv-chat")).to_contain_text("Velkommen", timeout=30_000)
        # An example question is sent when clicked (not just put in the box).
        page.get_by_role("button", name=re.compile("Hvilket ambisjonsnivå passer for oss")).click()
        expect(page.locator("#vv-chat [data-testid='bot']").first).to_be_visible(timeout=30_000)
        expect(page.locator("#vv-question textarea")).to_have_value("")
        ask_and_open_first_source(page, QUESTION)
        assert english_on_page(page) == []
        # Gradio's hard-coded progress words are put in Norwegian as they appear.
        page.evaluate(
            "document.body.appendChild(Object.assign(document.createElement('span'), {id: 'vv-probe', textContent: 'processing | 0.4s'}))"
        )
        expect(page.locator("#vv-probe")).to_have_text("arbeider | 0.4s")
        box = page.locator("#vv-source-panel").bounding_box()
        chat = page.locator("#vv-chat").bounding_box()
        assert box["y"] >= chat["y"] + chat["height"] - 1 and box["width"] <= MOBILE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
        shoot(page, "mobile.png", tmp_path)
        context.close()
        browser.close()
    print("browser timings (s):", {k: round(v, 2) for k, v in timings.items()})


def test_stop_halts_a_streaming_answer(settings):
    """A language model that writes slowly: "Stopp" ends the answer, and the model is read no further."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk
    from playwright.sync_api import expect, sync_playwright

    from assistant.core import Assistant

    read: list[str] = []

    class SlowModel(GenericFakeChatModel):
        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            sentences = [
                "Kommunen skal gi alle elever egne nettbrett innen 2025 [1]. ",
                "Lærerne får opplæring i digitale verktøy [1]. ",
            ]
            for i in range(40):
                time.sleep(0.3)
                read.append(sentences[i % 2])
                yield ChatGenerationChunk(message=AIMessageChunk(content=sentences[i % 2]))

    with running_app(settings) as (url, session), sync_playwright() as pw:
        base = session.assistant
        session.assistant = Assistant(
            base.searcher, base.settings, base.manifest, chat_model=SlowModel(messages=iter([]))
        )
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport=DESKTOP, locale="en-US")
        page.goto(url)
        expect(page.locator("#vv-chat")).to_contain_text("Velkommen", timeout=30_000)
        box = page.locator("#vv-question textarea")
        box.fill(QUESTION)
        box.press("Enter")
        expect(page.locator("#vv-chat")).to_contain_text("nettbrett", timeout=30_000)  # the first verified sentence
        page.locator("#vv-stop").click()
        page.wait_for_timeout(1_500)
        stopped_at = len(read)
        page.wait_for_timeout(2_000)
        assert len(read) <= stopped_at + 1 < 40, "the model was still read after Stopp"
        browser.close()
