"""Which sentences may be quoted: whole sentences of prose, never page furniture.

Reports converted from PDF carry contents lines with dot leaders, flattened table headers
("Fordeler med scenario 2 Ulemper med scenario 2 …"), figure captions run into the text
("Figur 2: Bærums IT-kostnader per innbygger (Kilde SSB / Kostra)"), bullet lists run together
("… overfor leverandørene Sikre overføring … Sertifisering av produkter …"), page numbers, Markdown
residue and garbled text from other scripts. None of it answers a question, and quoting it makes an answer
unreadable, so the offline answer quotes only what passes ``is_prose``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.text.lexical import lemma_words

MIN_WORDS = 5
MAX_WORDS = 60  # longer "sentences" are slide text or bullet lists run together
_MARKUP = re.compile(r"\*\*|__|`|^#+\s*|^\s*[•▪●◦■\-–*]\s+")
_LEADERS = re.compile(r"\.{4,}|…{2,}|(?:\.\s){4,}|_{4,}")
_PAGE_FURNITURE = re.compile(r"\b(?:side|page|sida)\s+\d+\s+(?:av|of|af)\s+\d+\b|^\s*-\s*\d+\s*-", re.I)
_CONTENTS_LINE = re.compile(
    r"^\s*\d+(?:\.\d+)*\.?\s+\S.*\s\d{1,3}\s*$|^\s*\d+(?:\.\d+)*\.\s+[A-ZÆØÅ]|^\s*\d+\.\d+(?:\.\d+)*\s+[A-ZÆØÅ]"
)
_END = re.compile(r"[.!?:;»”\")]\s*$")
_WORD = re.compile(r"\S+")
# Table cells flattened into a line: four numbers in a row ("2,0 3,0 1,5 4,0", "8:00-16:00 7:30-15:45 …"),
# or three capitalised column headings in a row ("BRUKERSTØTTE KOSTNAD PR. KLIENT").
_CELL_RUN = re.compile(r"(?:(?<!\S)[\d:.,\-–%]*\d[\d:.,\-–%]*\s+){3}[\d:.,\-–%]*\d")
_HEADING_RUN = re.compile(r"(?:\b[A-ZÆØÅ]{3,}\b\.?\s+){2}\b[A-ZÆØÅ]{3,}\b")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A figure or table caption, at the start or run into the sentence ("… oppdragsbeskrivelsen Tabell 1: …").
_CAPTION = re.compile(
    r"^(?:Figur|Figure|Fig\.|Tabell|Table|Tabel|Kilde|Source)\s*\d+[a-z]?\s*[:.]|\b(?:Figur|Tabell|Figure|Table|Tabel)\s+\d+\s*:",
    re.I,
)
_DANGLING = re.compile(r"\s*[(\[]\s*$")


def clean_quote(text: str) -> str:
    """The sentence without Markdown residue and with its whitespace on one line."""
    return _DANGLING.sub("", " ".join(_MARKUP.sub("", " ".join(text.split())).split())).strip()


def _foreign_script(text: str) -> bool:
    """A letter outside the Latin script, or the replacement character: garble from a bad conversion."""
    for ch in _NON_ASCII.findall(text):
        if ch == "\ufffd" or (ch.isalpha() and not unicodedata.name(ch, "LATIN").startswith("LATIN")):
            return True
    return False


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    return lemma_words("nb") | lemma_words("da")


def _bullets_run_together(tokens: list[str]) -> bool:
    """Two or more ordinary Norwegian/Danish words capitalised mid-sentence right after a lower-case
    word: the starts of bullet points whose line breaks were lost ("leverandørene Sikre overføring").
    Names are no ordinary words, and "as a Service" is English title case (after a short word)."""
    common = _ordinary_words()
    starts = set()
    for prev, token in zip(tokens[1:], tokens[2:], strict=False):
        word = re.sub(r"\W", "", token)
        if word[:1].isupper() and not word.isupper() and len(prev) > 2 and prev[:1].islower() and prev[-1:].isalpha():
            if word.lower() in common:
                starts.add(word)
    return len(starts) >= 2


def _repeats_itself(tokens: list[str]) -> bool:
    """A flattened table header repeats a run of words: "Fordeler med scenario 2 Ulemper med scenario 2"."""
    grams = [" ".join(tokens[i : i + 3]).lower() for i in range(len(tokens) - 2)]
    return len(grams) != len(set(grams))


@lru_cache(maxsize=65536)
def is_prose(text: str) -> bool:
    """A whole sentence of running text that can be quoted as it stands."""
    sentence = clean_quote(text)
    tokens = _WORD.findall(sentence)
    if not MIN_WORDS <= len(tokens) <= MAX_WORDS or _LEADERS.search(sentence) or _PAGE_FURNITURE.search(sentence):
        return False
    if _CONTENTS_LINE.match(sentence) or _foreign_script(sentence):
        return False
    if _CELL_RUN.search(sentence) or _HEADING_RUN.search(sentence) or _CAPTION.search(sentence):
        return False  # table cells, column headings or a caption run into the sentence
    first = next((ch for ch in sentence if ch.isalnum()), "")
    if first.islower():
        return False  # starts mid-sentence (a page break or chunk edge cut it)
    alpha = sum(any(ch.isalpha() for ch in t) for t in tokens)
    digits = sum(any(ch.isdigit() for ch in t) for t in tokens)
    if alpha / len(tokens) < 0.5 or digits / len(tokens) > 0.5:
        return False  # a table row
    capitalised = sum(t[:1].isupper() for t in tokens[1:]) / max(1, len(tokens) - 1)
    if capitalised > 0.45 or _repeats_itself(tokens) or _bullets_run_together(tokens):
        return False  # a heading run, a flattened table header or bullet points run together
    return bool(_END.search(sentence)) or len(tokens) >= 12
