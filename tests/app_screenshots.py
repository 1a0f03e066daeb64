"""The README's two screenshots: a real answer with its source open, desktop 1366×900 and phone 375×812.

    python tests/app_screenshots.py --index index --corpus corpus --out docs

Runs the app over a copy of the index and corpus (nothing is changed), in headless Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import running_app  # noqa: E402
from test_app_browser import CHROMIUM, DESKTOP, FLAGS, MOBILE, ask_and_open_first_source  # noqa: E402

from ingest.settings import IngestSettings  # noqa: E402

QUESTION = "Hvilket ambisjonsnivå anbefalte BCG for Bærum, og hvorfor?"


def main() -> int:
    from playwright.sync_api import expect, sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veivalg-shots-") as tmp:
        shutil.copytree(args.index, Path(tmp) / "index")
        shutil.copytree(args.corpus, Path(tmp) / "corpus")
        ingest = IngestSettings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index")
        with running_app(ingest) as (url, _), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for name, viewport, extra in (
                ("desktop", DESKTOP, {}),
                ("mobile", MOBILE, {"is_mobile": True, "has_touch": True}),
            ):
                page = browser.new_context(viewport=viewport, locale="nb-NO", **extra).new_page()
                page.goto(url)
                expect(page.locator("#vv-chat")).to_contain_text("Velkommen", timeout=60_000)
                ask_and_open_first_source(page, args.question)
                page.wait_for_timeout(600)
                args.out.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out / f"app-{name}.png"))
                print(args.out / f"app-{name}.png")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
