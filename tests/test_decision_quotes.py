"""Every quote in the rule files (and the gold file) is verbatim report text on the page it cites.

The page helper follows the ingestion's convention, written out here independently so that a
mistake in the rules cannot hide behind a shared helper:
- 000: page 1 is the first block after "Transkript:"; later pages start at "- N -" / "- N-…".
- 001, 002: each report line starts with its page or slide number; the report ends at line 144 (001)
  and line 90 (002); what follows is other documents' teasers.
- 003: each non-blank line after "Transkript:" is one page.
- 004: no pages; the whole file is report text.
Quotes are compared with whitespace collapsed.
"""

import json
import re
from functools import cache
from pathlib import Path

import pytest

from assistant.decision.rules import all_rules, sources

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORT_LAST_LINE = {"001": 144, "002": 90}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def report_pages(key: str) -> dict[int | None, str]:
    lines = (CORPUS / sources()[key].file).read_text(encoding="utf-8").splitlines()
    if key == "004":
        return {None: norm("\n".join(lines))}
    if key in REPORT_LAST_LINE:
        pages = {}
        for line in lines[: REPORT_LAST_LINE[key]]:
            if m := re.match(r"^(\d+) ", line):
                pages[int(m.group(1))] = norm(line[m.end() :])
        return pages
    start = next(i for i, line in enumerate(lines) if line.strip() == "Transkript:") + 1
    body = [line for line in lines[start:] if line.strip()]
    if key == "003":
        return {n: norm(line) for n, line in enumerate(body, start=1)}
    pages: dict[int | None, str] = {}
    page = 1
    for line in body:
        if m := re.match(r"^- (\d+) ?-", line):
            page, line = int(m.group(1)), line[m.end() :]
        pages[page] = norm(pages.get(page, "") + " " + line)
    return pages


def pages_with(key: str, quote: str) -> list[int | None]:
    q = norm(quote)
    return [page for page, text in report_pages(key).items() if q in text]


# -- the helper itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "first", "last"), [("000", 1, 11), ("001", 1, 68), ("002", 1, 41), ("003", 1, 5)])
def test_page_helper_finds_the_reports_pages(key, first, last):
    pages = report_pages(key)
    assert min(pages) == first and max(pages) == last
    assert sorted(pages) == list(range(first, last + 1))


@pytest.mark.parametrize(
    ("key", "noise"),
    [
        ("000", "Vedlegg 2-Styresak Målbildet og strategikart v.10 Helse Nord IKT HF"),  # line ~200
        ("001", "Er arkiv på agendaen til KS?"),  # teaser after line 144
        ("002", "Samarbeidsavtale for RegionData"),  # another document, after line 90
        ("003", "Business Transformation"),  # related title, line 202
    ],
)
def test_page_helper_excludes_the_web_page_noise(key, noise):
    assert noise in (CORPUS / sources()[key].file).read_text(encoding="utf-8")
    assert pages_with(key, noise) == []


def test_page_markers_in_000_are_read():
    assert pages_with("000", "Sikkerhet og personvern er absolutte krav") == [2]
    assert pages_with("000", "Digitalisering av dialog mot innbyggere og næringsliv, og automatisering") == [8]


# -- the rules -----------------------------------------------------------------------------------

RULES = all_rules()


def test_there_are_rules_from_every_report():
    assert {r.source for r in RULES} == {"000", "001", "002", "003", "004"}


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_quote_is_verbatim_on_the_stated_page(rule):
    found = pages_with(rule.source, rule.quote)
    assert found, f"{rule.id}: sitatet finnes ikke i {sources()[rule.source].file}"
    assert rule.page in found, f"{rule.id}: sitatet står på side {found}, ikke {rule.page}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_page_is_null_exactly_for_the_report_without_pages(rule):
    assert (rule.page is None) == (rule.source == "004")


def test_a_wrong_page_would_be_caught():
    # The check above must be able to fail: the BCG condition is on page 7, not page 6.
    assert 6 not in pages_with("000", "vil en ambisiøs IT strategi kunne være riktig")


# -- the gold file -------------------------------------------------------------------------------

GOLD = [
    json.loads(line)
    for line in (ROOT / "eval" / "gold" / "tools.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", GOLD, ids=[c["id"] for c in GOLD])
def test_gold_quote_is_verbatim_on_the_stated_page(case):
    assert case["page"] in pages_with(case["source"], case["quote"])


@pytest.mark.parametrize("case", GOLD, ids=[c["id"] for c in GOLD])
def test_gold_rule_exists(case):
    if "rule" not in case:  # the blind profiles were written without seeing the rules
        assert case["author"] == "blind"
        return
    assert case["rule"] in {r.id for r in RULES}
