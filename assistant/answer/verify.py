"""Check a model's answer against the passages it cites, sentence by sentence.

A sentence survives only when a passage it cites contains most of what it says (``supports``).
The check is lexical on purpose: it runs offline in microseconds, it is easy to explain to a
user ("the cited page does not contain these words"), and its failures are on the safe side:
a faithful paraphrase in other words may be dropped, but a claim with new content words or new
numbers does not get through. It does not understand meaning: a sentence that reuses a passage's
words in a different order ("A costs more than B" from "B costs more than A") passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.answer.meaning import MeaningChecker
from assistant.types import Passage, Statement
from ingest.text.lexical import passage_terms, words
from ingest.text.lexical import skeleton as _skeleton
from ingest.text.numbers import CONTRACTED_NEGATIONS, MARKER, MARKER_GROUP, NEGATIONS, number_keys

# At least this share of a sentence's content words must be in the cited passage (see supports()).
# Calibrated on real chunks of the corpus (tests/test_llm_verify.py::test_calibration): faithful
# paraphrases score 0.75-1.0 because models reuse the report's terms; plausible false claims built
# from a passage's words score 0.25-0.6, often exactly 0.6 (three of five words borrowed). Two
# thirds keeps the paraphrases and drops those.
SUPPORT_THRESHOLD = 2 / 3
FRAMING_MAX_WORDS = 8

# Words that talk about the sources rather than the subject; they carry no claim to check.
_META = """rapport rapporten rapportene rapporter rapporterne report reports kilde kilden kildene kilder
kilderne source sources utdrag utdraget utdragene uddrag passasje passasjene passage passages dokument
dokumentet dokumentene dokumenterne document documents ifølge iflg according nevner nævner nevnt nævnt
mentions mentioned beskriver beskrives describes described sier siger says fremgår states skriver writes"""
# Words an honest framing sentence is made of ("Rapportene svarer ikke på dette.").
_FRAMING = (
    _META
    + """ svar svare svarer besvarer answer answers spørsmål spørsmålet spørgsmål spørgsmålet
question følgende following informasjon information oplysninger opplysninger oppsummert oppsummering
opsummering summary summarised summarized kort briefly direkte directly finnes findes fins finne fant
fandt found find nok enough tema temaet emne emnet topic"""
)
_NEGATIONS = NEGATIONS | CONTRACTED_NEGATIONS
_ABBREVIATIONS = frozenset(
    "eks bl ca nr kr mill mrd mio jf jfr evt inkl ekskl osv dvs mv etc vs pkt kap tlf st meld prop "
    "ref fig tab jan feb aug sep sept okt nov des dec ifm iht vedr pga mht dr prof kl ang".split()
)

_BULLET = re.compile(r"^(\s*(?:[-*•+]|\d{1,3}[.)]|#{1,6})\s+)")
_END = re.compile(r"[.!?…]+[\"'»”’)*]*(?:\s*" + MARKER_GROUP + r")*(?=\s+[\"'«“(*]?[A-ZÆØÅÄÖÜ0-9])")
_PAGE_REF = re.compile(r"\b(?:s\.|sidene|side|p\.|page)\s*\d+(?:\s*[–-]\s*\d+)?", re.IGNORECASE)
_RAW_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][\w]*")  # a capitalised word after the first: a name or acronym
_CLAUSE = re.compile(r"\s(?:og|eller|men|samt|mens|and|or|but|while|whereas)\s|[;:–—]|,\s", re.IGNORECASE)


@dataclass(frozen=True)
class Dropped:
    sentence: str
    reason: str


@dataclass(frozen=True)
class Verified:
    text: str  # only the sentences that passed, markers renumbered [1], [2] … by first use
    citations: tuple[Passage, ...]  # citations[n-1] is what [n] in text points to
    dropped: tuple[Dropped, ...]
    statements: tuple[Statement, ...] = ()  # the cited sentences that passed, markers as in text
    framing: str = ""  # unmarked framing sentences that were kept ("Rapportene sier følgende:")


@dataclass(frozen=True)
class Unit:
    """One sentence of an answer and where it sat: its line, that line's bullet, a blank line before."""

    sentence: str
    line: int
    bullet: str = ""
    blank_before: bool = False


# --- Support -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Evidence:
    stems: frozenset[str]  # stems and their nb/da skeletons
    numbers: frozenset[str]
    negated: bool


_numbers = number_keys  # 1 050 == 1050, 2,5 == 2.5


def _forms(text: str, langs: Iterable[str]) -> list[frozenset[str]]:
    """Per word of ``words(text)``: its stems in ``langs`` and their skeletons."""
    stems = [passage_terms(text, lang) for lang in langs]
    return [frozenset(f for s in per_word for f in (s, _skeleton(s))) for per_word in zip(*stems, strict=True)]


@lru_cache(maxsize=4)
def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(f for forms in _forms(text, ("nb", "da", "en")) for f in forms)


def _claim_terms(sentence: str) -> list[frozenset[str]]:
    """Each content word of ``sentence`` as a set of forms; numbers and words about sources out."""
    meta = _vocabulary(_META)
    out: dict[str, frozenset[str]] = {}
    for w, forms in zip(words(sentence), _forms(sentence, ("nb", "da", "en")), strict=True):
        if not any(c.isdigit() for c in w) and not forms & meta:
            out.setdefault(w, forms)
    return list(out.values())


@lru_cache(maxsize=512)
def _evidence(passage_text: str, lang: str = "nb") -> _Evidence:
    langs = dict.fromkeys(("nb", "da", lang if lang in ("nb", "nn", "da", "en") else "nb"))
    return _Evidence(
        stems=frozenset(f for forms in _forms(passage_text, langs) for f in forms),
        numbers=frozenset(_numbers(passage_text)),
        negated=any(w in _NEGATIONS for w in _RAW_WORD.findall(passage_text.lower())),
    )


def _present(forms: frozenset[str], stems: frozenset[str]) -> bool:
    if forms & stems:
        return True
    # Compounds: "strategien" is in "digitaliseringsstrategien", "skytjeneste" in "skytjenesteleverandør".
    return any(
        len(f) >= 5 and any(len(s) > len(f) and (s.endswith(f) or s.startswith(f)) for s in stems) for f in forms
    )


def _share(text: str, evidence: _Evidence) -> float | None:
    terms = _claim_terms(text)
    return sum(_present(t, evidence.stems) for t in terms) / len(terms) if terms else None


def _supported(sentence: str, evidence: _Evidence) -> bool:
    sentence = _PAGE_REF.sub(" ", MARKER.sub(" ", sentence))
    if not _numbers(sentence) <= evidence.numbers:
        return False
    if not evidence.negated and any(w in _NEGATIONS for w in _RAW_WORD.findall(sentence.lower())):
        return False
    # Names and acronyms after the first word are where invented detail hides ("… Aarhus og Odense").
    first = _RAW_WORD.search(sentence)
    for m in _NAME.finditer(sentence, first.end() if first else 0):
        forms = _forms(m.group(), ("nb", "da", "en"))
        if forms and not _present(forms[0], evidence.stems):
            return False
    share = _share(sentence, evidence)
    if share is None:
        return bool(_numbers(sentence))  # nothing but numbers, all of them found
    if share < SUPPORT_THRESHOLD - 1e-9:
        return False
    # A supported clause must not carry an invented one: "… innen 2025, og IT-avdelingen legges ned".
    for clause in _CLAUSE.split(sentence):
        if len(_claim_terms(clause)) >= 2 and (_share(clause, evidence) or 0.0) < SUPPORT_THRESHOLD - 1e-9:
            return False
    return True


def supports(sentence: str, passage_text: str, lang: str = "nb") -> bool:
    """True when ``passage_text`` contains what ``sentence`` claims, as far as words can tell.

    Every number in the sentence must be in the passage (numbers are where a wrong answer does the
    most harm, and a share rule would let one wrong number through); a negation in the sentence
    needs one in the passage; at least SUPPORT_THRESHOLD of the sentence's content words must be
    there, and of each clause's when it has two or more. Words match on Norwegian and Danish stems
    and a shared spelling skeleton, so a Norwegian sentence can be supported by a Danish passage.
    """
    return _supported(sentence, _evidence(passage_text, lang))


def is_framing(sentence: str) -> bool:
    """A short sentence that frames the answer or says it cannot be given, and claims nothing."""
    body = sentence.strip()
    if len(body.split()) > FRAMING_MAX_WORDS or any(c.isdigit() for c in body):
        return False
    if body.endswith(":"):  # introduces the list that follows, which is checked line by line
        return True
    framing = _vocabulary(_FRAMING)
    forms = _forms(body, ("nb", "da", "en"))
    # At least one framing word ("Ja." is no framing), and every content word a framing word.
    return bool(forms) and all(f & framing for f in forms)


# --- Splitting an answer into sentences ---------------------------------------------------------


def _sentences(body: str) -> list[str]:
    """Sentences of one line; markers after the full stop ("… 2025. [1]") stay with their sentence."""
    out, start = [], 0
    for m in _END.finditer(body):
        before = re.search(r"(\w+)\.$", body[: m.start() + 1])
        if before and m.group().startswith(".") and not m.group().startswith(".."):
            word = before.group(1)
            if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue  # "s. 7", "f.eks. Oslo", "ca. 40"
        out.append(body[start : m.end()].strip())
        start = m.end()
    out.append(body[start:].strip())
    return [s for s in out if s]


def split_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    blank = False
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            blank = True
            continue
        m = _BULLET.match(line)
        bullet = m.group(1) if m else ""
        for sentence in _sentences(line[len(bullet) :]):
            units.append(Unit(sentence=sentence, line=i, bullet=bullet, blank_before=blank))
        blank = False
    return units


# --- Verifying -----------------------------------------------------------------------------------


def _marker_numbers(group: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", group)]


def _segments(sentence: str) -> list[tuple[str, list[re.Match]]]:
    """The text before each group of markers, with the group: "A [1], mens B [2][3]." -> two.

    A marker vouches for the text since the previous marker; text after the last marker joins the
    last segment, so it is checked rather than let through.
    """
    segments: list[tuple[str, list[re.Match]]] = []
    text, pos = "", 0
    group: list[re.Match[str]] = []
    for m in MARKER.finditer(sentence):
        between = sentence[pos : m.start()]
        if group and _RAW_WORD.search(between):
            segments.append((text, group))
            text, group = "", []
        text, pos = text + between, m.end()
        group.append(m)
    if group:
        segments.append((text + sentence[pos:], group))
    return segments


class Verifier:
    """Checks an answer one sentence at a time, so a stream can show each sentence once it passes."""

    def __init__(self, passages: Sequence[Passage], checker: MeaningChecker | None = None) -> None:
        self.passages = tuple(passages)
        self.checker = checker  # by meaning when an embedder is at hand; else by words
        self._numbering: dict[int, int] = {}  # passage index (1-based, as the model saw it) -> [n]
        self._parts: list[str] = []
        self._dropped: list[Dropped] = []
        self._statements: list[Statement] = []
        self._framing: list[str] = []
        self._line: int | None = None
        self._line_open = False
        self._blank = False

    def feed(self, unit: Unit) -> str:
        """The text to append for ``unit``: the sentence (with layout) when it passes, else ''."""
        if unit.line != self._line:
            self._line, self._line_open = unit.line, False
            self._blank = self._blank or unit.blank_before
        sentence = self._check(unit.sentence)
        if sentence is None:
            return ""
        if self._line_open:
            piece = " " + sentence
        else:
            sep = ("\n\n" if self._blank else "\n") if self._parts else ""
            piece = sep + unit.bullet + sentence
            self._line_open, self._blank = True, False
        self._parts.append(piece)
        if self._statements and self._statements[-1].lead == "":  # the sentence just checked
            self._statements[-1] = replace(self._statements[-1], lead=piece[: len(piece) - len(sentence)] or " ")
        return piece

    def _check(self, sentence: str) -> str | None:
        plain = " ".join(MARKER.sub("", sentence).split())
        if not _RAW_WORD.search(plain):
            return None  # a stray marker or bullet with nothing to say
        segments = _segments(sentence)
        if not segments:
            if not is_framing(plain):
                self._drop(plain, "ingen kildehenvisning")
                return None
            self._framing.append(plain)
            return sentence
        keep: dict[int, list[int]] = {}  # marker match start -> passage numbers it keeps
        for text, matches in segments:
            cited = [n for m in matches for n in _marker_numbers(m.group(1))]
            claim = bool(_claim_terms(text) or _numbers(_PAGE_REF.sub(" ", text)))
            valid = self._valid(text, cited) if claim else set()  # "Ja [1]," vouches for nothing
            if claim and not valid:
                if not any(1 <= n <= len(self.passages) for n in cited):
                    self._drop(plain, "henviser til utdrag som ikke finnes")
                else:
                    self._drop(plain, "utdraget støtter ikke setningen")
                return None
            for m in matches:
                keep[m.start()] = [n for n in dict.fromkeys(_marker_numbers(m.group(1))) if n in valid]
        if not any(keep.values()):
            self._drop(plain, "utdraget støtter ikke setningen")
            return None
        kept = MARKER.sub(lambda m: self._renumber(m, keep[m.start()]), sentence)
        numbers = dict.fromkeys(self._numbering[n] for ns in keep.values() for n in ns)
        self._statements.append(Statement(text=plain, markers=tuple(numbers), lead=""))
        return re.sub(r"(?<=\w)(?=\[\d)", " ", kept)  # "verktøy [3][1]" lost [3] and its space

    def _valid(self, text: str, cited: list[int]) -> set[int]:
        """The cited passages that support ``text``: one alone, or together when none does alone."""
        existing = [n for n in dict.fromkeys(cited) if 1 <= n <= len(self.passages)]
        if self.checker is not None:
            return {
                n
                for n in existing
                if self.checker.supports(
                    text, self.passages[n - 1].text, self.passages[n - 1].language, self.passages[n - 1].title
                )
            }
        lang = {n: self.passages[n - 1].language for n in existing}
        evidence = {n: _evidence(self._evidence_text(n), lang[n]) for n in existing}
        alone = {n for n, ev in evidence.items() if _supported(text, ev)}
        if alone or len(existing) < 2:
            return alone
        # "Bærum velger sky, mens Aarhus bygger eget datasenter [1][2]": each passage holds half.
        together = "\n".join(self._evidence_text(n) for n in existing)
        if not _supported(text, _evidence(together, "en" if "en" in lang.values() else "nb")):
            return set()
        numbers = _numbers(text)
        return {n for n, ev in evidence.items() if (_share(text, ev) or 0.0) >= 0.3 or numbers & ev.numbers}

    def _evidence_text(self, n: int) -> str:
        # The title is evidence too: the model saw it above the passage ("Bærum" is often only there).
        return f"{self.passages[n - 1].title}\n{self.passages[n - 1].text}"

    def _renumber(self, m: re.Match, kept: list[int]) -> str:
        for n in kept:
            self._numbering.setdefault(n, len(self._numbering) + 1)
        lead = m.group()[: len(m.group()) - len(m.group().lstrip(" \t"))]
        return lead + "".join(f"[{self._numbering[n]}]" for n in kept) if kept else ""

    def _drop(self, sentence: str, reason: str) -> None:
        self._dropped.append(Dropped(sentence=sentence, reason=reason))

    def result(self) -> Verified:
        order = sorted(self._numbering, key=self._numbering.__getitem__)
        return Verified(
            text="".join(self._parts),
            citations=tuple(self.passages[n - 1] for n in order),
            dropped=tuple(self._dropped),
            statements=tuple(self._statements),
            framing=" ".join(self._framing),
        )


def verify_answer(text: str, passages: Sequence[Passage], checker: MeaningChecker | None = None) -> Verified:
    """Keep the sentences of ``text`` that a cited passage supports; see the module docstring."""
    verifier = Verifier(passages, checker)
    for unit in split_units(text):
        verifier.feed(unit)
    return verifier.result()
