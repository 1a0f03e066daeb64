"""Words for BM25: lower-cased, stop words out, Snowball-stemmed for the passage's language.

A query's language is not known reliably from a few words, and a Norwegian question must
match Danish text, so queries are stemmed with both Scandinavian stemmers (and English).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"\w+", re.UNICODE)
_STEMMER_NAME = {"nb": "norwegian", "nn": "norwegian", "da": "danish", "en": "english"}
_QUERY_LANGS = ("nb", "da", "en")


@lru_cache(maxsize=8)
def _stemmer(lang: str):
    import Stemmer

    return Stemmer.Stemmer(_STEMMER_NAME.get(lang, "norwegian"))


@lru_cache(maxsize=3)
def lemma_words(lang: str) -> frozenset[str]:
    """Every word form in spaCy's lemma table for ``lang`` (en, da, nb): "Office", "Hvad" and
    "Kommunerne" are ordinary words, not names."""
    import spacy_lookups_data

    path = spacy_lookups_data.__path__[0] + f"/data/{lang}_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    return frozenset(table) | frozenset(table.values())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.da.stop_words import STOP_WORDS as DA
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.nb.stop_words import STOP_WORDS as NB

    return frozenset(w.lower() for w in NB | DA | EN)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).lower()
    stops = stop_words()
    return [w for w in _TOKEN.findall(text) if w not in stops and (len(w) > 1 or w.isdigit())]


def passage_terms(text: str, lang: str) -> list[str]:
    return _stemmer(lang).stemWords(words(text))


def query_terms(text: str) -> list[str]:
    """Every stem the query's words take in any of the languages; duplicates removed."""
    ws = words(text)
    seen: dict[str, None] = {}
    for lang in _QUERY_LANGS:
        for stem in _stemmer(lang).stemWords(ws):
            seen.setdefault(stem, None)
    return list(seen)


_SKELETON = str.maketrans({"æ": "e", "ä": "e", "ö": "ø", "b": "p", "d": "t", "g": "k"})


def skeleton(stem: str) -> str:
    """A spelling both Norwegian and Danish forms reduce to: samarbeid/samarbejd, felles/fælles, kjøp/køb."""
    s = stem.replace("kj", "k").replace("sj", "j").replace("aa", "å").translate(_SKELETON).replace("ej", "ei")
    s = "av" + s[2:] if s.startswith("af") else s  # afdeling/avdeling
    return re.sub(r"(.)\1+", r"\1", s)


# Names that change between the four languages; each side counts as the other.
NAME_TRANSLATIONS = {
    "norway": "norge noreg",
    "norwegian": "norsk norske",
    "denmark": "danmark",
    "danish": "dansk danske",
    "copenhagen": "københavn",
    "netherlands": "nederland holland",
    "dutch": "nederlandsk hollandsk",
    "sweden": "sverige",
    "swedish": "svensk",
    "finland": "finland",
    "europe": "europa",
    "eu": "eu",
    "norge": "noreg",
    "danmark": "denmark",
    "nederland": "nederlandene holland",
    "holland": "nederland",
    "ict": "ikt it",
    "ikt": "ict it",
    "it": "ikt ict",
    "un": "fn",
    "fn": "un",
    "eu's": "eu",
    "january": "januar",
    "february": "februar",
    "march": "mars marts",
    "april": "april",
    "may": "mai maj",
    "june": "juni",
    "july": "juli",
    "august": "august",
    "september": "september",
    "october": "oktober",
    "november": "november",
    "december": "desember december",
}
