"""Small text facts shared by ingest, the answer checks and the decision tools: how numbers are
written in Norwegian and Danish, which words negate, and the ``[n]`` citation marker.

Each was written more than once before; the two number readings below are kept apart on purpose,
since the checks that use them were fitted with them (see their docstrings).
"""

from __future__ import annotations

import re

# A written number: "1 050", "116.000", "1 050,5", "12,5", "2025".
NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?")

# One citation marker group as answers write it: "[1]", "[1, 3]", "[2; 4]".
MARKER_GROUP = r"\[\d+(?:\s*[,;]\s*\d+)*\]"
# The same with the spaces or tabs before it, the numbers captured ("verktøy [1, 3]" -> "1, 3").
MARKER = re.compile(r"[ \t]*\[(\d+(?:\s*[,;]\s*\d+)*)\]")

# Words that negate a statement in nb, nn, da and en (both answer checks use these).
NEGATIONS = frozenset(
    "ikke ikkje ingen inga intet ingenting aldri aldrig verken hverken not no never none neither nor cannot".split()
)
# English contractions as \w+ splits them ("doesn't" -> "doesn", "t").
CONTRACTED_NEGATIONS = frozenset("doesn don isn aren won didn wasn weren".split())
# "without" and its kin, and Danish/Swedish "ej": negating, but only the meaning check counts them.
PRIVATIVES = frozenset("ej without uten uden utan".split())


def number_key(written: str) -> str:
    """One canonical key for a written number: "1 050" -> "1050", "2,5" -> "2.5" (the word check's
    comparison; "1.050" stays "1.050", a decimal)."""
    if re.fullmatch(r"\d+(?:[.,]\d+)?", written):
        return written.replace(",", ".")
    return re.sub(r"[ \u00a0.]", "", written).replace(",", ".")


def number_keys(text: str) -> set[str]:
    """``number_key`` of every number in ``text``."""
    return {number_key(m.group()) for m in NUMBER.finditer(text)}


def number_readings(written: str) -> set[str]:
    """Every value a written number can have (the meaning check's comparison): "20.000" and
    "430,000" are thousands, "0,69" is 0.69, "1.234,5" is 1234.5."""
    plain = re.sub(r"[ \u00a0]", "", written)
    out = {plain.replace(",", ".")}
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", plain):
        out.add(re.sub(r"[.,]", "", plain))  # thousands separators (Norwegian "." or English ",")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", plain):
        out = {plain.replace(".", "").replace(",", ".")}
    return out


def parse_number(value: object) -> float | None:
    """A number from a form, a chat or JSON: also "116 000", "1.050" (thousands), "12,5". None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):  # 116.000 is thousands, not decimals
            s = s.replace(".", "")
        s = s.replace(",", ".")
        try:
            return float(s)
        except ValueError:
            return None
    return None


def nb_number(x: float, decimals: int = 2) -> str:
    """Norwegian number: non-breaking space between thousands, decimal comma, trailing zeros dropped."""
    s = f"{x:,.{decimals}f}"
    if decimals:
        s = s.rstrip("0").rstrip(".")
    return s.replace(",", "\u00a0").replace(".", ",").replace("-", "−")
