"""Read profile facts from a Norwegian or Danish chat message, offline.

spaCy's blank tokenizer plus a ``Matcher`` handles the words (distriktskommune, IKS, lav modenhet);
regular expressions handle numbers as people write them ("4 000", "45.000", "12,5"). Nothing is
guessed: a fact is returned only when the message states it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .fields import PROFILE_FIELDS

_NUM = r"(\d{1,3}(?:[ \u00a0.]\d{3})+|\d+)(?:,(\d+))?"
# Words that tell Danish from Norwegian bokmål (spelling differences, not topic words).
_DANISH = re.compile(
    r"\b(indbyggere|\w+hed(?:en|er)?|samarbejde\w*|udfordring\w*|danmark|dansk|af|ud\w*|efter|nogle|"
    r"mellem|til at|planlægning|udpræget|overvej\w*|borgere|virksomheder|årsværk|afdeling\w*)\b",
    re.I,
)
_NORWEGIAN = re.compile(
    r"\b(innbyggere|\w+het(?:en|er)?|samarbeid\w*|utfordring\w*|norge|norsk|av|ut\w*|etter|noen|"
    r"mellom|til å|planlegging|årsverk|avdeling\w*|kommunestyret)\b",
    re.I,
)

_POPULATION = [
    re.compile(_NUM + r"\s*(tusen)?\s*(?:innbyggere|innbyggjarar|indbyggere|innb\.)", re.I),
    re.compile(
        r"(?:befolkning|innbyggertall|indbyggertal)\w*\s*(?:på|er|:)?\s*(?:ca\.?|omtrent|cirka)?\s*" + _NUM, re.I
    ),
]
_COST = [
    re.compile(_NUM + r"\s*(?:kr\.?|kroner|nok|dkk|,-)\s*(?:per|pr\.?|/|i)\s*(?:innbygger|indbygger|innb)", re.I),
    re.compile(r"(?:it|ikt)-?kostnad\w*\s*(?:per|pr\.?)\s*innbygger\s*(?:er|på|:)?\s*(?:ca\.?\s*)?" + _NUM, re.I),
]
_FTE = [
    re.compile(_NUM + r"\s*(?:it-|ikt-)(?:årsverk|årsværk|ansatte|medarbeidere|medarbejdere|stillinger)", re.I),
    re.compile(
        _NUM
        + r"\s*(?:årsverk|årsværk|ansatte|medarbeidere|medarbejdere|stillinger)\s+(?:i|innen|på|til)\s+(?:it|ikt)\b",
        re.I,
    ),
    re.compile(
        r"(?:it|ikt)-?(?:avdeling|afdeling)\w*\s+(?:har|på|med|er på)\s+" + _NUM + r"\s*(?:årsverk|årsværk|ansatte)",
        re.I,
    ),
]
_NAME = re.compile(r"\b([A-ZÆØÅ][\wæøåÆØÅ-]+(?:[ -][A-ZÆØÅ][\wæøå-]+)?)\s+([Kk]ommune)\b")
_NOT_NAMES = {
    "Vi",
    "Vår",
    "Vores",
    "Denne",
    "Den",
    "En",
    "Ei",
    "Et",
    "Hver",
    "Min",
    "Hvilken",
    "Hvilket",
    "For",
    "I",
    "Som",
    "Kommunen",
    "Var",
    "Er",
    "Hvordan",
    "Hva",
    "Hvad",
}
_MATURITY_NUMBER = re.compile(
    r"modenhe[td]\w*\s*(?:på|er|:)?\s*(?:nivå|niveau)?\s*([1-5])(?:\s*(?:av|af|/)\s*5)?\b(?![,.]?\d)", re.I
)

# field -> value -> token patterns. Order inside a field matters only for readability; the
# earliest match in the message wins.
_MOD = {"REGEX": r"^(it-|ikt-|digital)?modenhe[dt](en|snivå|sniveau)?$"}
_MOD_OPT = {"LOWER": {"IN": ["digital", "digitale", "it", "ikt"]}, "OP": "?"}
_VERY = {"LOWER": {"IN": ["svært", "meget", "veldig", "særlig", "ganske"]}}
_PATTERNS: dict[str, dict[Any, list[list[dict[str, Any]]]]] = {
    "centrality": {
        "distrikt": [
            [
                {
                    "LOWER": {
                        "REGEX": r"^(distriktskommune|utkantskommune|utkantkommune|landkommune|"
                        r"landdistriktskommune|yderkommune|udkantskommune)n?e?$"
                    }
                }
            ],
            [
                {"LOWER": {"IN": ["i", "på"]}},
                {"LOWER": {"IN": ["distriktet", "distriktene", "bygda", "landdistrikterne", "udkanten"]}},
            ],
        ],
        "mellomsentral": [[{"LOWER": {"IN": ["mellomsentral", "mellomsentralt", "regionsenter"]}}]],
        "sentral": [
            [
                {"LOWER": {"IN": ["sentral", "sentralt"]}},
                {"LOWER": {"IN": ["kommune", "kommunen", "beliggende", "plassert", "lokalisert", "bykommune"]}},
            ],
            [{"LOWER": {"IN": ["ligger", "liggende"]}}, {"LOWER": "sentralt"}],
            [
                {
                    "LOWER": {
                        "IN": [
                            "bykommune",
                            "storbykommune",
                            "storby",
                            "forstadskommune",
                            "omegnskommune",
                            "bykommunen",
                            "storbykommunen",
                        ]
                    }
                }
            ],
        ],
    },
    "maturity": {
        1: [[_VERY, {"LOWER": {"IN": ["lav", "lave", "lavt"]}}, _MOD_OPT, {"LOWER": _MOD}]],
        2: [
            [{"LOWER": {"IN": ["lav", "lave", "lavt", "svak", "svag"]}}, _MOD_OPT, {"LOWER": _MOD}],
            [{"LOWER": "ad"}, {"LOWER": {"REGEX": r"^hoc"}}],
        ],
        3: [
            [
                {"LOWER": {"IN": ["middels", "moderat", "gjennomsnittlig", "gennemsnitlig", "middel"]}},
                _MOD_OPT,
                {"LOWER": _MOD},
            ]
        ],
        4: [[{"LOWER": {"IN": ["høy", "høye", "høj", "høje", "god"]}}, _MOD_OPT, {"LOWER": _MOD}]],
        5: [[_VERY, {"LOWER": {"IN": ["høy", "høye", "høj", "høje", "god"]}}, _MOD_OPT, {"LOWER": _MOD}]],
    },
    "collaboration": {
        "iks": [[{"TEXT": {"REGEX": r"^IKS"}}], [{"LOWER": "interkommunalt"}, {"LOWER": "selskap"}]],
        "vertskommune": [[{"LOWER": {"REGEX": r"^vertskommune"}}]],
        "oppgavefellesskap": [
            [{"LOWER": {"REGEX": r"^(oppgavefellesskap|27-samarbeid|§27)"}}],
            [{"TEXT": "§"}, {"TEXT": {"REGEX": r"^27"}}],
        ],
        "as": [[{"LOWER": "aksjeselskap"}], [{"LOWER": {"IN": ["et", "som", "eget"]}}, {"TEXT": "AS"}]],
        "bilateral": [
            [{"LOWER": {"REGEX": r"^bilateral"}}],
            [
                {"LOWER": {"IN": ["samarbeid", "samarbejde"]}},
                {"LOWER": "med"},
                {"LOWER": {"IN": ["én", "en", "ei", "én"]}},
                {"LOWER": {"IN": ["annen", "anden", "nabokommune", "kommune"]}},
            ],
        ],
        "none": [
            [
                {"LOWER": {"IN": ["ingen", "intet"]}},
                {"LOWER": {"REGEX": r"^(ikt-|it-)?(samarbeid|samarbejde|interkommunal)"}},
            ],
            [{"LOWER": "står"}, {"LOWER": "alene"}],
        ],
    },
    "has_it_strategy": {
        False: [
            [
                {"LOWER": {"IN": ["ingen", "mangler", "manglende"]}},
                {"LOWER": {"IN": ["en", "egen", "noen"]}, "OP": "?"},
                {"LOWER": {"REGEX": r"^(it|ikt|digitaliserings)-?strategi"}},
            ],
            [
                {"LOWER": "har"},
                {"LOWER": {"IN": ["ikke", "ikkje"]}},
                {"LOWER": {"IN": ["en", "noen", "egen"]}, "OP": "?"},
                {"LOWER": {"REGEX": r"^(it|ikt|digitaliserings)-?strategi"}},
            ],
        ],
        True: [
            [
                {"LOWER": {"IN": ["har", "vedtatt", "vedtaget", "vedtok"]}},
                {"LOWER": {"IN": ["en", "ei", "ny", "vedtatt", "egen"]}, "OP": "*"},
                {"LOWER": {"REGEX": r"^(it|ikt|digitaliserings)-?strategi"}},
            ]
        ],
    },
    "bestiller_competence": {
        1: [[{"LOWER": {"IN": ["mangler", "ingen"]}}, {"LOWER": {"REGEX": r"^bestillerkompetan[sc]e"}}]],
        2: [
            [
                {"LOWER": {"IN": ["svak", "lav", "dårlig", "begrenset", "svag"]}},
                {"LOWER": {"REGEX": r"^bestillerkompetan[sc]e"}},
            ]
        ],
        4: [[{"LOWER": {"IN": ["god", "sterk", "høy", "stærk"]}}, {"LOWER": {"REGEX": r"^bestillerkompetan[sc]e"}}]],
    },
    "digitalisation_central_to_attractiveness": {
        True: [
            [
                {"LOWER": {"REGEX": r"^tiltrek(ke|ker|k)$|^tiltrække$"}},
                {"OP": "{,3}"},
                {
                    "LOWER": {
                        "REGEX": r"^(innbyggere|næringsliv|bedrifter|beboere|tilflyttere|borgere|virksomheder|nye)$"
                    }
                },
            ],
            [{"LOWER": {"REGEX": r"^attraktiv(itet|e)?$"}}],
        ],
    },
    "major_sector_challenges": {
        True: [
            [
                {"LOWER": {"IN": ["store", "betydelige", "alvorlige"]}},
                {"LOWER": {"IN": ["utfordringer", "udfordringer", "problemer"]}},
            ]
        ],
    },
}
_NEGATIONS = {"ikke", "ikkje", "ingen", "intet", "uten"}


@lru_cache(maxsize=2)
def _pipeline(lang: str) -> tuple[Any, Any]:
    import spacy  # late: importing the decision package should not load spaCy
    from spacy.matcher import Matcher

    nlp = spacy.blank(lang)
    matcher = Matcher(nlp.vocab)
    for field, values in _PATTERNS.items():
        for value, patterns in values.items():
            matcher.add(f"{field}|{value!r}", patterns)
    return nlp, matcher


def _to_number(whole: str, decimals: str | None) -> float:
    digits = re.sub(r"[ \u00a0.]", "", whole)
    return float(f"{digits}.{decimals}") if decimals else float(digits)


def _first(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    hits = [m for p in patterns if (m := p.search(text))]
    return min(hits, key=lambda m: m.start()) if hits else None


def detect_language(message: str) -> str:
    """ "da" when the message has more Danish than Norwegian markers, else "nb"."""
    return "da" if len(_DANISH.findall(message)) > len(_NORWEGIAN.findall(message)) else "nb"


def extract_profile_facts(message: str) -> dict[str, Any]:
    """Profile fields stated in ``message``, as plain values ready for ``KommuneProfile.from_dict``."""
    facts: dict[str, Any] = {}
    lang = detect_language(message)
    if _DANISH.search(message) and lang == "da":
        facts["country"] = "DK"
    elif re.search(r"\b(norge|norsk)\b", message, re.I):
        facts["country"] = "NO"

    for name in _NAME.finditer(message):
        if name.group(1).split()[0] not in _NOT_NAMES:
            facts["name"] = f"{name.group(1)} {name.group(2)}"
            break
    if m := _first(_POPULATION, message):
        n = _to_number(m.group(1), m.group(2))
        if m.re is _POPULATION[0] and m.group(3):  # "4 tusen innbyggere"
            n *= 1000
        facts["population"] = int(n)
    if m := _first(_COST, message):
        facts["it_cost_per_inhabitant"] = _clean(_to_number(m.group(1), m.group(2)))
    if m := _first(_FTE, message):
        facts["it_staff_fte"] = _clean(_to_number(m.group(1), m.group(2)))
    if m := _MATURITY_NUMBER.search(message):
        facts["maturity"] = int(m.group(1))

    nlp, matcher = _pipeline(lang)
    doc = nlp(message)
    found: dict[str, tuple[tuple[int, int], Any]] = {}  # field -> (start, -length), value
    for match_id, start, end in matcher(doc):
        field, raw = nlp.vocab.strings[match_id].split("|", 1)
        value = eval_literal(raw)
        if field == "digitalisation_central_to_attractiveness" or field == "major_sector_challenges":
            window = {t.lower_ for t in doc[max(0, start - 4) : start]}
            if window & _NEGATIONS:
                value = False
        # Longer matches win at the same start ("svært lav modenhet" over "lav modenhet").
        key = (start, -(end - start))
        if field not in found or key < found[field][0]:
            found[field] = (key, value)
    for field, (_, value) in found.items():
        if field == "maturity" and "maturity" in facts:
            continue  # an explicit number beats a word
        facts[field] = value
    return facts


def eval_literal(raw: str) -> Any:
    """The pattern keys store values with repr(); read them back without eval()."""
    if raw in ("True", "False"):
        return raw == "True"
    if raw.isdigit():
        return int(raw)
    return raw.strip("'\"")


def _clean(x: float) -> int | float:
    return int(x) if x.is_integer() else x


# -- which tool, and what to ask for --------------------------------------------------------------

_TOOL_PATTERNS = {
    "ambition": re.compile(r"ambisjon|ambition|fyrtårn|fyrtaarn|ambisiøs|ambitiøs", re.I),
    "scenarios": re.compile(
        r"scenari|tilrettelegger|formidler|leverandørrolle|samarbeidsform|samarbejdsform|"
        r"organisere\s+(?:it|ikt)|hvilken\s+modell|fellesoppgave|felles\s+ikt",
        re.I,
    ),
    "benchmark": re.compile(
        r"benchmark|sammenlign|sammenlign|nøkkeltall|nøgletal|kostnadsnivå|ligger\s+vi\s+an|"
        r"kvalitetsscore|k10-snitt|hvor\s+dyr|for\s+dyr",
        re.I,
    ),
}

ESSENTIALS: dict[str, tuple[tuple[str, str], ...]] = {
    tool: tuple((key, PROFILE_FIELDS[key].asked) for key in keys)
    for tool, keys in {
        "ambition": (
            "population",
            "maturity",
            "digitalisation_central_to_attractiveness",
            "major_sector_challenges",
            "name",
        ),
        "scenarios": ("population", "centrality", "maturity", "collaboration", "name"),
        "benchmark": ("population", "it_cost_per_inhabitant", "name"),
    }.items()
}


def detect_tool(message: str) -> str | None:
    """ "ambition", "scenarios" or "benchmark" when the message asks for one; None otherwise."""
    hits = {tool: m.start() for tool, p in _TOOL_PATTERNS.items() if (m := p.search(message))}
    return min(hits, key=hits.__getitem__) if hits else None


def missing_essentials(tool: str | None, profile_dict: dict[str, Any]) -> list[str]:
    """What to ask the user for (in Norwegian) before ``tool`` can give a useful answer."""
    if tool is None:
        return []
    if tool not in ESSENTIALS:
        raise ValueError(f"Ukjent verktøy {tool!r}; gyldige er {', '.join(ESSENTIALS)}.")
    return [label for key, label in ESSENTIALS[tool] if profile_dict.get(key) in (None, "")]
