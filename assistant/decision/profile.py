"""The kommune profile: a typed, validated description that the decision tools reason over.

Validation happens in ``__post_init__`` so that a profile built directly and one built from a chat
tool's JSON obey the same rules. Values are normalised there too (aliases such as "IKS" or "§27",
numbers written as "116 000"), and every problem is reported at once, in Norwegian, with what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ingest.errors import VeivalgError
from ingest.text.numbers import parse_number as _number

from .fields import SCORE, limits
from .types import CRITERIA


class ProfileError(VeivalgError, ValueError):
    """An impossible or unreadable profile value. ``errors`` holds one message per problem.

    Also a ``ValueError``, as it was before there was one error base.
    """

    code = "PROFILE_INVALID"

    def __init__(self, errors: list[str] | str):
        self.errors: tuple[str, ...] = (errors,) if isinstance(errors, str) else tuple(errors)
        super().__init__(" ".join(self.errors))


COUNTRIES = ("NO", "DK")
CENTRALITIES = ("sentral", "mellomsentral", "distrikt")
COLLABORATIONS = ("none", "vertskommune", "oppgavefellesskap", "iks", "as", "bilateral")
MATURITY_AREAS = (
    "styring",
    "porteføljestyring",
    "virksomhetsarkitektur",
    "gevinstrealisering",
    "leverandørstyring",
    "kompetanse",
)

# Spellings people (and language models) actually send; the canonical value is on the right.
_COLLAB_ALIASES = {
    "ingen": "none",
    "": "none",
    "§27": "oppgavefellesskap",
    "27": "oppgavefellesskap",
    "§ 27": "oppgavefellesskap",
    "27-samarbeid": "oppgavefellesskap",
    "§27-samarbeid": "oppgavefellesskap",
    "interkommunalt selskap": "iks",
    "aksjeselskap": "as",
    "bilateralt": "bilateral",
}
_CENTRALITY_ALIASES = {"distriktskommune": "distrikt", "mellom": "mellomsentral"}
_ASCII = str.maketrans({"ø": "o", "å": "a", "æ": "ae"})
_CRITERION_KEYS = {c.translate(_ASCII): c for c in CRITERIA} | {c: c for c in CRITERIA}
_CRITERION_KEYS |= {"kommunal handlefrihet": "handlefrihet", "kommunal_handlefrihet": "handlefrihet"}
_AREA_KEYS = {a.translate(_ASCII): a for a in MATURITY_AREAS} | {a: a for a in MATURITY_AREAS}
_TRUE = {"ja", "true", "yes", "1", "sant"}
_FALSE = {"nei", "false", "no", "0", "usant"}


def _choice(raw: Any, aliases: dict[str, str], allowed, errors: list[str], message: str) -> str:
    """One of ``allowed`` (after lower-casing and aliases); otherwise ``message`` joins ``errors``."""
    value = str(raw).strip().lower()
    value = aliases.get(value, value)
    if value not in allowed:
        errors.append(f"{message} (fikk {raw!r}).")
    return value


def _in_words(n: float) -> str:
    """A round limit as a sentence says it ("én million"); other numbers with thin spaces."""
    words = {1_000_000: "én million", 2_000_000: "to millioner"}
    return words.get(int(n), f"{int(n):,}".replace(",", " "))


def _int_or_float(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


@dataclass(frozen=True)
class KommuneProfile:
    """What we know about a kommune. Only ``name`` and ``population`` are required.

    ``priorities`` are relative weights for the five criteria of the Devoteam report; criteria left
    out keep the default weight 1, and the stored weights are normalised to sum to 1.
    """

    name: str
    population: int
    country: str = "NO"
    centrality: str | None = None
    maturity: float | None = None
    maturity_areas: dict[str, float] | None = None
    digitalisation_central_to_attractiveness: bool | None = None
    major_sector_challenges: bool | None = None
    it_cost_per_inhabitant: float | None = None
    it_staff_fte: float | None = None
    collaboration: str | None = None
    has_it_strategy: bool | None = None
    bestiller_competence: float | None = None
    priorities: dict[str, float] | None = None

    def __post_init__(self) -> None:
        errors: list[str] = []
        set_ = object.__setattr__  # frozen: normalised values are written once, here

        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name:
            errors.append("Navn mangler: oppgi kommunens navn (f.eks. «Bærum kommune»).")
        set_(self, "name", name)

        pop = _number(self.population)
        if pop is None or not pop.is_integer() or pop <= 0:
            errors.append(f"Innbyggertall må være et positivt heltall (fikk {self.population!r}).")
        elif pop > limits("population")[1]:
            errors.append(
                f"Innbyggertall virker urimelig høyt (fikk {int(pop)}); ingen kommune i Norge eller "
                f"Danmark har over {_in_words(limits('population')[1])} innbyggere."
            )
        else:
            set_(self, "population", int(pop))

        country = str(self.country or "NO").strip().upper()
        if country not in COUNTRIES:
            errors.append(f"Land må være «NO» (Norge) eller «DK» (Danmark) (fikk {self.country!r}).")
        set_(self, "country", country)

        if self.centrality is not None:
            set_(
                self,
                "centrality",
                _choice(
                    self.centrality,
                    _CENTRALITY_ALIASES,
                    CENTRALITIES,
                    errors,
                    "Sentralitet må være «sentral», «mellomsentral» eller «distrikt»",
                ),
            )

        set_(self, "maturity", self._score("maturity", "Modenhet", self.maturity, errors))
        set_(self, "maturity_areas", self._areas(errors))
        for f in ("digitalisation_central_to_attractiveness", "major_sector_challenges", "has_it_strategy"):
            set_(self, f, self._bool(f, getattr(self, f), errors))

        if self.it_cost_per_inhabitant is not None:
            cost = _number(self.it_cost_per_inhabitant)
            if cost is None or cost <= 0:
                errors.append(
                    "IT-kostnad per innbygger må være et positivt tall i kroner "
                    f"(fikk {self.it_cost_per_inhabitant!r})."
                )
            elif cost > limits("it_cost_per_inhabitant")[1]:
                errors.append(
                    f"IT-kostnad per innbygger på {cost:,.0f} kr er urimelig høy; har du oppgitt "
                    "totalkostnaden? Del på innbyggertallet.".replace(",", " ")
                )
            else:
                set_(self, "it_cost_per_inhabitant", _int_or_float(cost))

        if self.it_staff_fte is not None:
            fte = _number(self.it_staff_fte)
            if fte is None or fte < 0:
                errors.append(f"IT-årsverk må være et tall, null eller større (fikk {self.it_staff_fte!r}).")
            else:
                set_(self, "it_staff_fte", _int_or_float(fte))

        if self.collaboration is not None:
            set_(
                self,
                "collaboration",
                _choice(
                    self.collaboration,
                    _COLLAB_ALIASES,
                    COLLABORATIONS,
                    errors,
                    "Samarbeidsform må være en av «none», «vertskommune», «oppgavefellesskap» "
                    "(tidligere §27), «iks», «as» eller «bilateral»",
                ),
            )

        set_(
            self,
            "bestiller_competence",
            self._score("bestiller_competence", "Bestillerkompetanse", self.bestiller_competence, errors),
        )
        set_(self, "priorities", self._priorities(errors))
        if errors:
            raise ProfileError(errors)

    # -- field helpers -------------------------------------------------------------------------

    @staticmethod
    def _score(field: str, label: str, value: Any, errors: list[str]) -> float | None:
        if value is None:
            return None
        n = _number(value)
        low, high = SCORE
        if n is None or not low <= n <= high:
            errors.append(f"{label} må være et tall fra {low:g} til {high:g} (fikk {value!r}).")
            return None
        return _int_or_float(n)

    @staticmethod
    def _bool(field: str, value: Any, errors: list[str]) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        errors.append(f"Feltet «{field}» må være ja eller nei (true/false) (fikk {value!r}).")
        return None

    def _areas(self, errors: list[str]) -> dict[str, float] | None:
        if self.maturity_areas is None:
            return None
        if not isinstance(self.maturity_areas, dict):
            errors.append('Modenhetsområder må oppgis som en ordbok, f.eks. {"styring": 2}.')
            return None
        out: dict[str, float] = {}
        for key, value in self.maturity_areas.items():
            area = _AREA_KEYS.get(str(key).strip().lower())
            if area is None:
                errors.append(f"Ukjent modenhetsområde «{key}». Gyldige områder: {', '.join(MATURITY_AREAS)}.")
                continue
            score = self._score(area, f"Modenhet for området «{area}»", value, errors)
            if score is not None:
                out[area] = score
        return out or None

    def _priorities(self, errors: list[str]) -> dict[str, float] | None:
        if self.priorities is None:
            return None
        if not isinstance(self.priorities, dict):
            errors.append('Prioriteringer må oppgis som en ordbok, f.eks. {"handlefrihet": 2}.')
            return None
        weights = {c: 1.0 for c in CRITERIA}  # criteria left out keep the default weight
        for key, value in self.priorities.items():
            crit = _CRITERION_KEYS.get(str(key).strip().lower())
            if crit is None:
                errors.append(f"Ukjent kriterium «{key}». Gyldige kriterier: {', '.join(CRITERIA)}.")
                continue
            w = _number(value)
            if w is None or w < 0:
                errors.append(f"Prioriteringen for «{crit}» må være et tall, null eller større (fikk {value!r}).")
                continue
            weights[crit] = w
        total = sum(weights.values())
        if total <= 0:
            errors.append("Minst én prioritering må være større enn null.")
            return None
        return {c: w / total for c, w in weights.items()}

    # -- conversions ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KommuneProfile:
        """Build from plain JSON. Unknown keys are an error (a typo would otherwise be ignored)."""
        if not isinstance(data, dict):
            raise ProfileError("Profilen må være en ordbok (JSON-objekt) med feltnavn og verdier.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        missing = [k for k in ("name", "population") if data.get(k) in (None, "")]
        errors = [f"Ukjent felt «{k}». Gyldige felt: {', '.join(sorted(known))}." for k in unknown]
        errors += [
            {
                "name": "Navn mangler: oppgi kommunens navn (f.eks. «Bærum kommune»).",
                "population": "Innbyggertall mangler: oppgi antall innbyggere.",
            }[k]
            for k in missing
        ]
        if errors:
            raise ProfileError(errors)
        return cls(**{k: v for k, v in data.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, fields left unknown omitted so that from_dict(to_dict()) round-trips."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = dict(value) if isinstance(value, dict) else value
        return out

    # -- derived facts the rules read ----------------------------------------------------------

    @property
    def weights(self) -> dict[str, float]:
        """Criterion weights, equal when the kommune has stated none."""
        return dict(self.priorities) if self.priorities else {c: 1 / len(CRITERIA) for c in CRITERIA}

    def governance(self) -> float | None:
        """Mean of the governance areas BCG found weak in Bærum (styring, portefølje, gevinst)."""
        areas = self.maturity_areas or {}
        vals = [areas[a] for a in ("styring", "porteføljestyring", "gevinstrealisering") if a in areas]
        return sum(vals) / len(vals) if vals else None

    def facts(self) -> dict[str, Any]:
        """The values rule conditions test. Unknown values are absent, never guessed."""
        out = {k: v for k, v in self.to_dict().items() if not isinstance(v, dict)}
        gov = self.governance()
        if gov is not None:
            out["governance"] = gov
        if self.maturity is None and self.maturity_areas:
            # An overall score is not given but the areas are: use their mean (a judgment).
            vals = list(self.maturity_areas.values())
            out["maturity"] = round(sum(vals) / len(vals), 2)
        return out
