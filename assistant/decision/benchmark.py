"""Benchmark: the kommune's figures beside the reports' figures, each with year and source.

IT cost per inhabitant comes from the profile. The other figures are not part of the profile, so the
kommune supplies them separately (``BenchmarkInputs``): cost per client for økonomi/HR/lønn and
sak/arkiv, the four parts of PA's quality score, and levels on IT i praksis 2020's maturity scales.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .ambition import as_profile
from .profile import KommuneProfile, ProfileError, _number
from .rules import Reference, benchmark_rules
from .types import BenchmarkResult, BenchmarkRow, FieldImpact

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
METRIC_LABELS = {
    "it_cost_per_inhabitant": "IT-kostnad per innbygger",
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
            raise ProfileError(
                [f"Ukjent nøkkeltall «{k}». Gyldige: {', '.join(_INPUT_RANGES)}." for k in unknown]
            )
        return cls(**{k: v for k, v in data.items() if v is not None})


def quality_score(inputs: BenchmarkInputs) -> tuple[float | None, tuple[str, ...]]:
    """PA's quality score (0–100) with weights 30/30/10/30, or None and the parts that are missing.

    PA converts 1–5 answers to percent without saying how; we map 1 -> 0 % and 5 -> 100 % linearly.
    """
    _, _, weights = benchmark_rules()
    missing = tuple(label for key, label in _QUALITY_PARTS.items() if getattr(inputs, key) is None)
    if missing:
        return None, missing
    pct = {
        "tjenesteomfang": inputs.tjenesteomfang,
        "ikt_modenhet": (inputs.ikt_modenhet - 1) / 4 * 100,  # type: ignore[operator]
        "brukertilfredshet": (inputs.brukertilfredshet - 1) / 4 * 100,  # type: ignore[operator]
        "digitaliseringsgrad": inputs.digitaliseringsgrad,
    }
    return round(sum(weights[k] * pct[k] for k in weights), 1), ()  # type: ignore[operator]


def _fmt(x: float) -> str:
    """Norwegian number format: space between thousands, comma for decimals."""
    if abs(x) >= 100:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _compare(ref: Reference, value: float | None) -> str:
    if value is None or ref.mode == "context":
        return ""
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
    return f"Kommunen: {_fmt(value)}{ref_unit}, {where} ({_fmt(ref.value)}{ref_unit}, {ref.year})."


def benchmark(
    profile: KommuneProfile | Mapping[str, Any],
    figures: BenchmarkInputs | Mapping[str, Any] | None = None,
) -> BenchmarkResult:
    """Put the kommune's figures beside the reports' (BCG 2013, PA 2015, IT i praksis 2020)."""
    p = as_profile(profile)
    inputs = figures if isinstance(figures, BenchmarkInputs) else BenchmarkInputs.from_dict(figures)
    refs, _, _ = benchmark_rules()
    score, quality_missing = quality_score(inputs)
    values: dict[str, float | None] = {f.name: getattr(inputs, f.name) for f in fields(inputs)}
    values["it_cost_per_inhabitant"] = p.it_cost_per_inhabitant
    values["kvalitetsscore"] = score

    rows = tuple(
        BenchmarkRow(
            metric=ref.metric,
            unit=ref.unit,
            kommune_value=values.get(ref.metric),
            reference_label=ref.label,
            reference_value=ref.value,
            year=ref.year,
            comparison=_compare(ref, values.get(ref.metric)),
            reason=ref.reason(),
        )
        for ref in refs
    )
    would_change = tuple(
        FieldImpact(
            field=metric,
            example=f"oppgi: {METRIC_LABELS.get(metric, metric)}",
            new_result="sammenligning med rapportenes tall",
        )
        for metric in dict.fromkeys(r.metric for r in refs if r.mode != "context")
        if metric != "kvalitetsscore" and values.get(metric) is None
    )
    return BenchmarkResult(
        kommune=p.name,
        rows=rows,
        quality_score=score,
        quality_missing=quality_missing,
        caveats=_caveats(p, quality_missing),
        would_change=would_change,
    )


def _caveats(p: KommuneProfile, quality_missing: tuple[str, ...]) -> tuple[str, ...]:
    out = [
        "Tallene er fra ulike år: 2012 (Kostra, via BCG 2013), regnskapsåret 2014 (PA, publisert "
        "2015) og 2020 (IT i praksis). Kronebeløpene er nominelle og ikke prisjustert.",
        "BCG påpeker at kommunene rapporterer IT-kostnader til Kostra ulikt. K10- og Oslo-beløpene er "
        "avledet av prosentene i rapporten og er ikke oppgitt der.",
        "PAs kostnader gjelder IKT-samarbeid, per klient (PC eller tynn klient), og omfatter lokale "
        "drifts- og konsulentkostnader. Kommunens egne tall må beregnes på samme måte.",
        "IT i praksis 2020 oppgir andeler for stat og kommune samlet. Rapporten har ingen tall per "
        "kommunestørrelse.",
    ]
    if quality_missing:
        out.append("Kvalitetsscore er ikke beregnet; mangler: " + ", ".join(quality_missing) + ".")
    if p.country == "DK":
        out.append(
            "Dansk kommune: referansetallene er norske (NOK, Kostra-definisjoner). Danske tall i DKK "
            "er ikke direkte sammenlignbare."
        )
    return tuple(out)
