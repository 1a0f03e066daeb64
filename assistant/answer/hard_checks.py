"""The hard checks of the meaning checker: what a sentence says that its cited passage cannot
back, whatever the similarity. Similar embeddings miss exactly these:
* a number not in the passage (digits, 2–12 as words, "femårs-"), or put on another thing the
  passage also numbers ("anskaffelser (87 %)" where the passage gives 87 % for drift);
* a name (capitalised word after the first, acronym) not in the passage or its title, nor a
  common word, nor a known translation of one that is ("Norway" for "Norge");
* a negation the passage lacks, an opposite word ("lavere" for "høyere"), or the two sides of
  "enn"/"fra … til" swapped ("B mer enn A" for "A mer enn B");
* an absolute ("alle", "eneste", "garanterer") or a top rank ("lavest" for "nest lavest") the
  passage does not have.
Each returns its objection in Norwegian, shown to the user beside a dropped sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.text.lexical import NAME_TRANSLATIONS, passage_terms, skeleton, stop_words
from ingest.text.numbers import NEGATIONS, NUMBER, PRIVATIVES, number_readings

_NEGATIONS = NEGATIONS | PRIVATIVES
_CONTRACTED = re.compile(r"n't\b", re.I)
_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][\w\-]*")
_SPELLED = {
    "2": "to two",
    "3": "tre three",
    "4": "fire four",
    "5": "fem five",
    "6": "seks six",
    "7": "sju syv seven",
    "8": "åtte otte eight",
    "9": "ni nine",
    "10": "ti ten",
    "11": "elleve eleven",
    "12": "tolv twelve",
}
_WORD_NUMBER = {w: n for n, ws in _SPELLED.items() for w in ws.split()}
# A number inside a Norwegian or Danish compound: "femårsprogram", "toårig", "treårsperiode".
_COMPOUND_NUMBER = re.compile(r"\b(to|tre|fire|fem|seks|sju|syv|åtte|otte|ni|ti|elleve|tolv)(?=år|dobbel)", re.I)


def numbers(text: str) -> list[set[str]]:
    """Every number in ``text``, each as the set of values it can be read as."""
    return [number_readings(m.group()) for m in NUMBER.finditer(text)]


# Opposites: a sentence that uses one side where the closest passage text uses only the other says
# the opposite, however similar the two embed. Each group lists nb/nn, da and en forms (prefixes).
_OPPOSITES = (
    (
        "høyere høgare højere higher større larger bigger mer meir more flere fleire flere øk increas rise vokst grow",
        "lavere lågare lavere lower mindre smaller less færre few redus reduc sank synk fall decreas",
    ),
    ("enig agree", "uenig disagree"),
    ("anbefal recommend tilrå", "fraråd advised_against advise_against frarå"),
    (
        "lett easy enkel simple begrenset limited",
        "vanskelig vanskeleg difficult hard krevende demanding omfattende extensive",
    ),
    ("bevar kept retain beholdt", "mist lost tapt"),
    ("før before tidlig early", "etter efter after sein late"),
    ("skreddersø tailor custom", "hyllevar hyldevar off-the-shelf standard"),
    ("økt øget vokst increas grown", "konstant uendret uændret stabil unchanged constant flat"),
    ("enig sammenfall agree", "uenig disagree"),
    ("stor big large", "små lille liten small"),
    ("systematisk systematic langsiktig", "ad_hoc tilfeldig"),
    ("felles fælles common joint shared", "hver_for_seg hver_sin selv egne own separate"),
    ("kommun municipal", "stat state government"),
    ("samme same", "flere fleire more færre fewer forskjellig different"),
    ("midlertidig interim temporar", "permanent varig"),
    ("så_snart snarest straks umiddelbart immediately as_soon", "vente venter wait utsett postpone delay"),
    ("sentralisert centralis centraliz", "desentral decentral lokalt locally"),
    ("frivillig voluntar", "obligatorisk pålagt mandator compulsor"),
    ("intern internal", "ekstern external outsourc"),
    ("styrk strengthen", "svekk weaken"),
    ("fordel advantage benefit", "ulempe ulemper disadvantage drawback"),
    ("god gode bra good", "dårlig poor bad"),
    ("først first", "sist last"),
)
# Absolute words that turn a finding into a promise or a ranking; the passage must say as much.
_ABSOLUTES = ("eneste only kun bare", "garanter guarante", "uansett regardless", "always alltid altid")


def _has(words_: list[str], forms: str) -> bool:
    """Any form (a word prefix, or words joined by ``_`` that must follow each other) in ``words_``."""
    joined = " " + " ".join(words_)
    return any(
        (" " + f.replace("_", " ")) in joined if "_" in f else any(w.startswith(f) for w in words_)
        for f in forms.split()
    )


def _opposite(sentence: str, closest: str) -> bool:
    mine, theirs = _WORD.findall(sentence.lower()), _WORD.findall(closest.lower())
    for a, b in _OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if _has(mine, x) and not _has(mine, y) and _has(theirs, y) and not _has(theirs, x):
                return True
    return False


def _overstates(sentence: str, evidence: str) -> bool:
    mine, theirs = _WORD.findall(sentence.lower()), _WORD.findall(evidence.lower())
    return any(_has(mine, family) and not _has(theirs, family) for family in _ABSOLUTES)


def _window_negated(sentence: str, closest: str) -> bool:
    """The closest passage text denies what the sentence affirms ("anbefales ikke" → "anbefaler")."""
    return _negated(closest) and not _negated(sentence) and not _denies(sentence)


_DENIAL = re.compile(
    r"\b(mangl\w*|lack\w*|fail\w*|unable|instead|i stedet|snarere|rather than|"
    r"avvis\w*|afvis\w*|reject\w*|fraråd\w*|advised against|against)\b",
    re.I,
)


def _denies(sentence: str) -> bool:
    return bool(_DENIAL.search(sentence))


# Phrases with a negation word that negate nothing: "Ikke overraskende …", "ikke minst", "not only".
_IDIOMS = re.compile(
    r"\b(ikke|ikkje|not|no)\s+(overraskende|overraskande|overraskende|uventet|minst|mindst|bare|berre|"
    r"kun|blot|only|least|surprisingly|uvanlig|usædvanligt?|unusual)\b|\bno doubt\b|\bikke desto mindre\b",
    re.I,
)


def _negated(text: str) -> bool:
    text = _IDIOMS.sub(" ", text)
    return bool(_CONTRACTED.search(text)) or any(w in _NEGATIONS for w in _WORD.findall(text.lower()))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from assistant.answer.abstain import lexicon

    return lexicon()


def hard_problem(sentence: str, evidence: str, closest: str) -> str:
    """What the sentence says that the passage cannot back, or '' (numbers, names, negation)."""
    have = set().union(*numbers(evidence)) | {
        _WORD_NUMBER[w] for w in _WORD.findall(evidence.lower()) if w in _WORD_NUMBER
    }
    have |= {_WORD_NUMBER[m.group(1).lower()] for m in _COMPOUND_NUMBER.finditer(evidence)}
    claimed = numbers(sentence) + [
        {_WORD_NUMBER[w]} for w in _WORD.findall(sentence.lower()) if w in _WORD_NUMBER and w not in ("to", "ni", "ten")
    ]
    claimed += [{_WORD_NUMBER[m.group(1).lower()]} for m in _COMPOUND_NUMBER.finditer(sentence)]
    if not all(c & have for c in claimed):
        return "tallene står ikke i utdraget"
    if _rebinds_numbers(sentence, evidence):
        return "tallene hører til noe annet i utdraget"
    lowered = evidence.lower()
    evidence_words = set(_WORD.findall(lowered))
    for m in _NAME.finditer(sentence):
        if m.start() == 0 and _ordinary_first_word(m.group(), evidence):
            continue  # the first word is capitalised anyway
        if not _known_name(m.group(), lowered, evidence_words):
            return f"utdraget nevner ikke {m.group()}"
    if (
        (_negated(sentence) and not _negated(evidence))
        or _window_negated(sentence, closest)
        or _opposite(sentence, closest)
        or _reversed(sentence, closest)
    ):
        return "utdraget sier det motsatte"
    if _overstates(sentence, evidence) or _drops_rank(sentence, closest):
        return "setningen sier mer enn utdraget"
    return ""


# The two sides of a comparison or a movement: "A mer enn B", "fra A til B".
_PIVOTS = ("enn end than", "til to")
_FROM = frozenset("fra frå from".split())


@dataclass(frozen=True)
class _Sides:
    before: set[str]  # content stems (spelling skeletons) before the pivot word
    after: set[str]  # and after it
    named: bool  # the first word after it is a name


def _sides(text: str, pivots: str, near: bool) -> list[_Sides]:
    """Each pivot word's two sides within its clause; ``near``: only the first three stems after it.
    "til" counts only after "fra", from there on."""
    out = []
    for part in re.split(r"[.;:!?]", text):
        ws = _WORD.findall(part)
        lower = [w.lower() for w in ws]
        content = [i for i, w in enumerate(lower) if len(w) > 3 and w not in stop_words()]
        for i, w in enumerate(lower):
            if w not in pivots.split():
                continue
            start = 0
            if pivots == _PIVOTS[1]:
                froms = [j for j in range(i) if lower[j] in _FROM]
                if not froms:
                    continue
                start = froms[-1] + 1
            after = [j for j in content if j > i][: 3 if near else None]
            out.append(
                _Sides(
                    {skeleton(lower[j])[:4] for j in content if start <= j < i},
                    {skeleton(lower[j])[:4] for j in after},
                    bool(after) and ws[after[0]][0].isupper(),
                )
            )
    return out


def _reversed(sentence: str, closest: str) -> bool:
    """The sentence puts after "enn"/"til" what the passage puts before it, and none of what the
    passage puts after it ("Stjørdal mottar mer enn de mindre" -> "de mindre får mer enn Stjørdal").
    Unless that is a name, what the passage puts after it must then come before it in the sentence."""
    for pivots in _PIVOTS:
        passage_sides = _sides(closest, pivots, near=False)
        for mine in _sides(sentence, pivots, near=True):
            for theirs in passage_sides:
                moved = mine.after & (theirs.before - theirs.after) and not mine.after & theirs.after
                if moved and (mine.named or mine.before & theirs.after):
                    return True
    return False


# "nest lavest" (second lowest) is not "lavest": a sentence that drops the rank word claims the top.
_RANK = re.compile(r"\b(nest|næst|second)(\b|lav|høy|høj|stør|best|mest)", re.I)


def _drops_rank(sentence: str, closest: str) -> bool:
    return bool(_RANK.search(closest)) and not _RANK.search(sentence)


def _number_labels(text: str) -> dict[str, str]:
    """Each number's label: the content word just before it ("anskaffelser (81 %)" -> 81: "anska")."""
    out: dict[str, str] = {}
    for m in NUMBER.finditer(text):
        before = [w for w in _WORD.findall(text[max(0, m.start() - 40) : m.start()].lower()) if len(w) > 3]
        if before and not any(ch.isdigit() for ch in before[-1]):
            for reading in number_readings(m.group()):
                out.setdefault(reading, before[-1][:5])
    return out


def _rebinds_numbers(sentence: str, evidence: str) -> bool:
    """A number the passage gives for one thing, put on another thing the passage also numbers:
    "anskaffelser (87 %)" where the passage has "drift (87 %) og anskaffelser (81 %)"."""
    mine, theirs = _number_labels(sentence), _number_labels(evidence)
    their_labels = set(theirs.values())
    return any(
        label in their_labels and reading in theirs and theirs[reading] != label for reading, label in mine.items()
    )


def _ordinary_first_word(word: str, evidence: str) -> bool:
    """A sentence's first word is a name only if it is no ordinary word and the passage lacks its stem."""
    lower = word.lower()
    if word.isupper() or any(ch.isdigit() for ch in word):
        return False  # an acronym or a code
    if lower in stop_words() or lower in _common_words():
        return True
    stems = {t for lang in ("nb", "da", "en") for t in passage_terms(word, lang)}
    if any(t in evidence for t in stems if len(t) >= 4):
        return True
    # A compound or another spelling of a word the passage uses: "Gjennomføringen" for
    # "gjennomføres", "Leverancemodellen" for "Leveransemodellen".
    return len(lower) >= 8 and lower[:6] in evidence.lower()


def _known_name(name: str, evidence: str, evidence_words: set[str]) -> bool:
    # In "IT-sjefene" only "IT" is a name; "Difis" is Difi's.
    parts = [p.lower() for p in re.split(r"[-_]", name) if p and (p[0].isupper() or p is name)]
    for p in parts:
        if len(p) > 3 and p.endswith("s") and p[:-1] in evidence:
            continue
        if any(t in evidence_words or t in evidence for t in NAME_TRANSLATIONS.get(p, "").split()):
            continue
        if len(p) <= 3:  # "KS" is not in "tekst", but "FN" is in "FNs" and "NOK" in "mnok"
            if not any(w.startswith(p) or w.endswith(p) for w in evidence_words if len(w) <= len(p) + 2):
                return False
            continue
        if p in evidence or (p in _common_words() and len(p) > 3 and not name.isupper()):
            continue
        return False
    return True
