"""Benchmark: the kommune's figures beside the reports' figures, each with year and source.

IT cost per inhabitant and the maturity in gevinstrealisering and kompetanse come from the profile (the
form). The other figures are not part of the profile; a caller (the chat model's tool) may supply them
(``BenchmarkInputs``), but the tool never asks for them, since the form has no field for them.

Comparisons are like for like or say that they are not: BCG's kr per innbygger are for large kommuner
(Bærum, the K10 average), PA's kr per klient are for IKT-samarbeid. PA weights quality two ways
(45/45/10 in the comparison of the collaborations, s. 38; 30/30/10/30 in the appendix, s. 40); the
kommune's score is compared with PA's figure only under the weighting that figure used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ingest.text.numbers import nb_number
from ingest.text.numbers import parse_number as _number

from .ambition import as_profile
from .fields import PROFILE_FIELDS
from .profile import KommuneProfile, ProfileError
from .rules import Reference, benchmark_rules, comparison_quality
from .types import BenchmarkResult, BenchmarkRow, FieldImpact

# BCG's kr per innbygger describe Bærum and the ten largest kommuner: like for like from this size.
LARGE_KOMMUNE = 50_000
# Metrics the form can supply, and the words for the field that supplies them.
FORM_METRICS = {
    "it_cost_per_inhabitant": ("it_cost_per_inhabitant", "IT-kostnad per innbygger (kr)"),
    "gevinstrealisering_nivaa": ("maturity_areas", "modenhet i gevinstrealisering (1–5)"),
    "kompetanse_nivaa": ("maturity_areas", "modenhet i kompetanse (1–5)"),
}

# field -> (Norwegian label, minimum, maximum)
_INPUT_RANGES: dict[str, tuple[str, float, float]] = {
    "okonomi_hr_lonn_per_klient": ("Kostnad per klient for økonomi/HR/lønn (kr)", 0, 50_000),
    "sak_arkiv_per_klient": ("Kostnad per klient for sak/arkiv (kr)", 0, 50_000),
    "tjenesteomfang": ("Tjenesteomfang (%)", 0, 100),
    "ikt_modenhet": ("IKT-modenhet (1–5)", 1, 5),
    "brukertilfredshet": ("Brukertilfredshet (1–5)", 1, 5),
    "digitaliseringsgrad": ("Digitaliseringsgrad (%)", 0, 100),
    "gevinstrealisering_nivaa": ("Nivå i gevinstrealisering (1–5)", 1, 5),
    "kompetanse_nivaa": ("Nivå i kompetanseheving (1–5)", 1, 5),
    "tjenestetrapp_nivaa": ("Nivå i tjenestetrappa (1–4)", 1, 4),
}
_QUALITY_PARTS = {
    "tjenesteomfang": "tjenesteomfang (%)",
    "ikt_modenhet": "IKT-modenhet (1–5)",
    "brukertilfredshet": "brukertilfredshet (1–5)",
    "digitaliseringsgrad": "digitaliseringsgrad (%)",
}
_ONE_TO_FIVE = ("ikt_modenhet", "brukertilfredshet")  # answered on a 1–5 scale; the others in percent
METRIC_LABELS = {
    "it_cost_per_inhabitant": PROFILE_FIELDS["it_cost_per_inhabitant"].heading,
    "okonomi_hr_lonn_per_klient": "Økonomi/HR/lønn per klient",
    "sak_arkiv_per_klient": "Sak/arkiv per klient",
    "tjenesteomfang": "Tjenesteomfang",
    "kvalitetsscore": "Kvalitetsscore (PA)",
    "gevinstrealisering_nivaa": "Gevinstrealisering (modenhet)",
    "kompetanse_nivaa": "Kompetanseheving (modenhet)",
    "tjenestetrapp_nivaa": "Tjenestetrappa",
    "manuelle_prosesser": "Manuelle prosesser",
}


@dataclass(frozen=True)
class BenchmarkInputs:
    """Figures the kommune supplies beyond its profile. All optional."""

    okonomi_hr_lonn_per_klient: float | None = None
    sak_arkiv_per_klient: float | None = None
    tjenesteomfang: float | None = None
    ikt_modenhet: float | None = None
    brukertilfredshet: float | None = None
    digitaliseringsgrad: float | None = None
    gevinstrealisering_nivaa: float | None = None
    kompetanse_nivaa: float | None = None
    tjenestetrapp_nivaa: float | None = None

    def __post_init__(self) -> None:
        errors = []
        for f in fields(self):
            raw = getattr(self, f.name)
            if raw is None:
                continue
            label, low, high = _INPUT_RANGES[f.name]
            value = _number(raw)
            if value is None or not low <= value <= high:
                errors.append(f"{label} må være et tall fra {low:g} til {high:g} (fikk {raw!r}).")
            else:
                object.__setattr__(self, f.name, value)
        if errors:
            raise ProfileError(errors)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> BenchmarkInputs:
        data = dict(data or {})
        unknown = sorted(set(data) - set(_INPUT_RANGES))
        if unknown:
            raise ProfileError([f"Ukjent nøkkeltall «{k}». Gyldige: {', '.join(_INPUT_RANGES)}." for k in unknown])
        return cls(**{k: v for k, v in data.items() if v is not None})


def quality_score(
    inputs: BenchmarkInputs, weights: Mapping[str, float] | None = None
) -> tuple[float | None, tuple[str, ...]]:
    """PA's quality score (0–100), by default with the appendix weights 30/30/10/30 (s. 40), or None and
    the parts that are missing. ``weights`` may name fewer parts (the 45/45/10 comparison, s. 38).

    PA converts 1–5 answers to percent without saying how; we map 1 -> 0 % and 5 -> 100 % linearly.
    """
    if weights is None:
        _, _, weights = benchmark_rules()
    missing = tuple(label for key, label in _QUALITY_PARTS.items() if key in weights and getattr(inputs, key) is None)
    if missing:
        return None, missing
    total = 0.0
    for key, weight in weights.items():
        value: float = getattr(inputs, key)  # present: checked above
        total += weight * ((value - 1) / 4 * 100 if key in _ONE_TO_FIVE else value)
    return round(total, 1), ()


def _fmt(x: float) -> str:
    """Norwegian number format: space between thousands, comma for decimals."""
    if abs(x) >= 100:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _compare(ref: Reference, value: float | None, population: int) -> str:
    if value is None or ref.mode == "context":
        return ""
    if ref.metric == "it_cost_per_inhabitant" and population < LARGE_KOMMUNE:
        return (
            f"Kommunen: {_fmt(value)} {ref.unit}. Ikke sammenlignbart: {ref.label} gjelder store kommuner "
            f"({ref.year}), og rapportene har ingen tall for kommuner med {nb_number(population)} innbyggere. "
            "Vi regner derfor ingen prosentforskjell."
        )
    if ref.mode == "level":
        template = ref.above if ref.threshold is not None and value >= ref.threshold else ref.below
        return template.format(value=_fmt(value))
    if ref.unit == "%":  # shares compare in percentage points, not relative percent
        diff, unit, ref_unit = value - ref.value, "prosentpoeng", " %"
    else:
        diff, unit, ref_unit = (value - ref.value) / ref.value * 100, "%", f" {ref.unit}"
    if abs(diff) < 0.5:
        where = f"på nivå med {ref.label}"
    else:
        amount = _fmt(abs(diff)) if unit == "prosentpoeng" else f"{abs(diff):.0f}"
        where = f"{amount} {unit} {'over' if diff > 0 else 'under'} {ref.label}"
    text = f"Kommunen: {_fmt(value)}{ref_unit}, {where} ({_fmt(ref.value)}{ref_unit}, {ref.year})."
    if ref.unit == "kr per klient":
        text += " Referansen er et IKT-samarbeid, ikke en enkeltkommune; tallene er bare sammenlignbare om de er regnet likt."
    return text


def benchmark(
    profile: KommuneProfile | Mapping[str, Any],
    figures: BenchmarkInputs | Mapping[str, Any] | None = None,
) -> BenchmarkResult:
    """Put the kommune's figures beside the reports' (BCG 2013, PA 2015, IT i praksis 2020)."""
    p = as_profile(profile)
    inputs = figures if isinstance(figures, BenchmarkInputs) else BenchmarkInputs.from_dict(figures)
    refs, _, _ = benchmark_rules()
    score, quality_missing = quality_score(inputs)
    comparison_score, _ = quality_score(inputs, comparison_quality()[1])
    values: dict[str, float | None] = {f.name: getattr(inputs, f.name) for f in fields(inputs)}
    values["it_cost_per_inhabitant"] = p.it_cost_per_inhabitant
    values["kvalitetsscore"] = comparison_score  # PA's figure (s. 16) used the 45/45/10 weighting
    areas = p.maturity_areas or {}
    # The form holds these already: never ask for them twice.
    if values["gevinstrealisering_nivaa"] is None:
        values["gevinstrealisering_nivaa"] = areas.get("gevinstrealisering")
    if values["kompetanse_nivaa"] is None:
        values["kompetanse_nivaa"] = areas.get("kompetanse")

    rows = tuple(
        BenchmarkRow(
            metric=ref.metric,
            unit=ref.unit,
            kommune_value=values.get(ref.metric),
            reference_label=ref.label,
            reference_value=ref.value,
            year=ref.year,
            comparison=_compare(ref, values.get(ref.metric), p.population),
            reason=ref.reason(),
        )
        for ref in refs
    )
    would_change = tuple(
        FieldImpact(
            field=field, example=f"oppgi {words} i kommuneprofilen", new_result="sammenligning med rapportenes tall"
        )
        for metric, (field, words) in FORM_METRICS.items()
        if values.get(metric) is None
    )
    if not any(getattr(inputs, k) is not None for k in _QUALITY_PARTS):
        quality_missing = ()  # nothing of the quality score was given, and the tool does not ask for it
    return BenchmarkResult(
        kommune=p.name,
        rows=rows,
        quality_score=score,
        quality_missing=quality_missing,
        comparison_quality_score=comparison_score,
        caveats=_caveats(p, quality_missing),
        would_change=would_change,
    )


def _caveats(p: KommuneProfile, quality_missing: tuple[str, ...]) -> tuple[str, ...]:
    out = [
        "Tallene er fra ulike år: 2012 (Kostra, via BCG 2013), 2013 (PAs sammenligning av "
        "IKT-samarbeidene, s. 17, 26 og 27), regnskapsåret 2014 (bare RegionDatas egne tall, s. 4) og "
        "2020 (IT i praksis). Kronebeløpene er nominelle og ikke prisjustert.",
        "PA vekter kvalitet på to måter: 45/45/10 (tjenestenivå, IKT-modenhet, kundetilfredshet) i "
        "sammenligningen av samarbeidene (s. 38) og 30/30/10/30 med digitaliseringsgrad (s. 40). "
        "Kommunens kvalitetsscore sammenlignes med PAs tall bare etter 45/45/10.",
        "BCG påpeker at kommunene rapporterer IT-kostnader til Kostra ulikt. K10- og Oslo-beløpene er "
        "avledet av prosentene i rapporten og er ikke oppgitt der.",
        "PAs kostnader gjelder IKT-samarbeid, per klient (PC eller tynn klient), og omfatter lokale "
        "drifts- og konsulentkostnader. Kommunens egne tall må beregnes på samme måte.",
        "IT i praksis 2020 oppgir andeler for stat og kommune samlet. Rapporten har ingen tall per kommunestørrelse.",
    ]
    if quality_missing:
        out.append("Kvalitetsscore er ikke beregnet; mangler: " + ", ".join(quality_missing) + ".")
    if p.population < LARGE_KOMMUNE:
        out.append(
            "BCGs kroner per innbygger gjelder Bærum og de ti største kommunene. For en kommune av denne "
            "størrelsen er det ingen sammenligning av like kommuner, så vi viser tallene uten prosentforskjell."
        )
    if p.country == "DK":
        out.append(
            "Dansk kommune: referansetallene er norske (NOK, Kostra-definisjoner). Danske tall i DKK "
            "er ikke direkte sammenlignbare."
        )
    return tuple(out)
