"""Showing the decision results: Markdown for a rådmann, tables for ``gr.Dataframe``, PNG charts,
and the profile form (its fields, and turning its raw values into a ``KommuneProfile``).

Pure functions over the result types. Every statement in the Markdown comes from a ``Reason`` and is
printed with its basis, verbatim quote and citation. Text a user typed (the kommune name, values
echoed in error messages) is HTML-escaped, because the Markdown is rendered in a browser.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ingest.text.numbers import parse_number as _number

from .benchmark import METRIC_LABELS
from .fields import PROFILE_FIELDS, limits
from .profile import MATURITY_AREAS, KommuneProfile
from .rules import sources
from .types import (
    CRITERIA,
    LEVEL_LABELS,
    SCENARIO_LABELS,
    AmbitionResult,
    BenchmarkResult,
    FieldImpact,
    NextStep,
    Reason,
    ScenarioResult,
)

UNCERTAINTY_TEXT = {
    "høy": "Anbefalingen står seg med opplysningene som er gitt.",
    "middels": "Anbefalingen er rimelig sikker, men noen opplysninger kan endre den.",
    "lav": "Anbefalingen er et utgangspunkt for drøfting; flere opplysninger kan endre den.",
}


def _num(x: float) -> str:
    """Norwegian number: space between thousands, decimal comma, at most two decimals."""
    s = f"{x:,.2f}".replace(",", " ").rstrip("0").rstrip(".")
    return s.replace(".", ",").replace("-", "−")


def _reason(r: Reason, text: str | None = None) -> str:
    return f"- {text or r.text} *({r.basis})* «{r.quote}» ({r.citation()})"


def _section(title: str, lines: Iterable[str]) -> list[str]:
    lines = list(lines)
    return ["", f"**{title}**", "", *lines] if lines else []


def _impacts(items: Iterable[FieldImpact]) -> list[str]:
    return _section("Dette kan endre svaret", (f"- {w.example} → {w.new_result}" for w in items))


def _steps(steps: Iterable[NextStep]) -> list[str]:
    return _section("Neste steg", (_reason(s.reason, s.text) for s in steps))


def _sources(reasons: Iterable[Reason]) -> list[str]:
    """Full titles of the reports cited, so a short citation can be looked up."""
    keys = sorted({r.source for r in reasons})
    return _section(
        "Kilder", (f"- {sources()[k].short}: *{sources()[k].title}*, {sources()[k].publisher}" for k in keys)
    )


def _for(kommune: str | None) -> str:
    return f" for {html.escape(kommune)}" if kommune else ""


# -- Markdown -------------------------------------------------------------------------------------


def ambition_markdown(result: AmbitionResult, kommune: str | None = None) -> str:
    scores = ", ".join(f"«{LEVEL_LABELS[lv]}» {_num(result.scores[lv])}" for lv in result.ranking)
    label = f"«{result.label}»"
    out = [
        f"**Anbefalt ambisjonsnivå{_for(kommune)}: {result.label}**",
        "",
        f"Usikkerhet: {result.uncertainty}. {UNCERTAINTY_TEXT[result.confidence]}",
        *(["", result.translation] if result.translation else []),
        "",
        f"Poeng (vår vurdering av BCGs vilkår): {scores}.",
        *_section(f"Taler for {label}", (_reason(r) for r in result.reasons_for)),
        *_section(f"Taler mot {label}", (_reason(r) for r in result.reasons_against)),
        *_impacts(result.would_change),
        *_section("Forbehold", (f"- {c}" for c in result.caveats)),
        *_steps(result.next_steps),
        *_sources((*result.reasons, *(s.reason for s in result.next_steps))),
    ]
    return "\n".join(out).strip() + "\n"


def scenarios_markdown(result: ScenarioResult, kommune: str | None = None) -> str:
    best = result.best
    ranking = ", ".join(
        f"{i}. {SCENARIO_LABELS[s]} ({_num(result.scores[s])})" for i, s in enumerate(result.ranking, start=1)
    )
    collab = result.collaboration
    out = [
        f"**Scenario som passer best{_for(kommune)}: {SCENARIO_LABELS[best]}**",
        "",
        f"Rangering etter vektet poeng (vår vurdering): {ranking}.",
        *_section("Det rapporten anbefaler", [_reason(result.report_recommendation)]),
        *_section("Hvorfor", (_reason(r) for r in result.reasons)),
        *_section(
            f"Samarbeidsform: {collab.label}",
            [*(_reason(r) for r in collab.advice), *(f"- Åpent spørsmål: {q}" for q in collab.open_questions)],
        ),
        *_impacts(result.would_change),
        *_section("Forbehold", (f"- {c}" for c in result.caveats)),
        *_steps(result.next_steps),
        *_sources(
            (result.report_recommendation, *result.reasons, *collab.advice, *(s.reason for s in result.next_steps))
        ),
    ]
    return "\n".join(out).strip() + "\n"


def benchmark_markdown(result: BenchmarkResult) -> str:
    compared = [r for r in result.rows if r.comparison]
    head = f"**Nøkkeltall{_for(result.kommune)} mot rapportenes tall**"
    if not compared:
        head += "\n\nIngen av kommunens egne tall kan sammenlignes ennå; oppgi tallene under «Dette kan endre svaret»."
    out = [
        head,
        *_section("Sammenligning", (_reason(r.reason, r.comparison) for r in compared)),
    ]
    if result.quality_score is not None:
        out += ["", f"Kvalitetsscore etter PAs vekter (30/30/10/30): {_num(result.quality_score)} %."]
    out += [
        *_impacts(result.would_change),
        *_section("Forbehold", (f"- {c}" for c in result.caveats)),
        *_sources(r.reason for r in compared),
    ]
    return "\n".join(out).strip() + "\n"


# -- Tables for gr.Dataframe ----------------------------------------------------------------------


def ambition_table(result: AmbitionResult) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [i, LEVEL_LABELS[lv], _num(result.scores[lv]), "Anbefalt" if lv == result.level else ""]
        for i, lv in enumerate(result.ranking, start=1)
    ]
    return ["Nr.", "Ambisjonsnivå", "Poeng", ""], rows


def scenario_table(result: ScenarioResult) -> tuple[list[str], list[list[Any]]]:
    headers = [
        "Nr.",
        "Scenario",
        *(f"{c.capitalize()} (vekt {result.weights[c] * 100:.0f} %)" for c in CRITERIA),
        "Vektet sum",
    ]
    # Shown as Norwegian numbers (decimal comma), like the text beside the table.
    rows = [
        [i, SCENARIO_LABELS[s], *(_num(result.criterion_scores[s][c]) for c in CRITERIA), _num(result.scores[s])]
        for i, s in enumerate(result.ranking, start=1)
    ]
    return headers, rows


def benchmark_table(result: BenchmarkResult) -> tuple[list[str], list[list[Any]]]:
    headers = ["Nøkkeltall", "Kommunen", "Referanse", "Referanseverdi", "Kilde", "Grunnlag", "Sammenligning"]
    rows = [
        [
            f"{METRIC_LABELS.get(r.metric, r.metric)} ({r.unit})",
            "–" if r.kommune_value is None else _num(r.kommune_value),
            r.reference_label,
            "–" if r.reference_value is None else _num(r.reference_value),
            f"{r.reason.citation()} (tall for {r.year})",
            r.reason.basis,
            r.comparison or "–",
        ]
        for r in result.rows
    ]
    return headers, rows


# -- Charts ---------------------------------------------------------------------------------------


def _bars(labels: list[str], values: list[float], best: int, title: str, note: str) -> bytes:
    """Horizontal bars, best first at the top, the recommended bar coloured. Agg canvas, no pyplot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(7, 1.2 + 0.55 * len(labels)), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    colours = ["#c0392b" if i == best else "#7f8c8d" for i in range(len(labels))]
    ax.barh(labels[::-1], values[::-1], color=colours[::-1])
    for y, v in enumerate(values[::-1]):
        ax.text(v, y, f" {_num(v)} ", va="center", ha="left" if v >= 0 else "right", fontsize=8)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _num(x)))  # decimal comma on the axis too
    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    ax.margins(x=0.2)
    fig.text(0.01, 0.01, note, fontsize=7)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def ambition_chart(result: AmbitionResult) -> bytes:
    labels = [LEVEL_LABELS[lv] for lv in result.ranking]
    return _bars(
        labels,
        [result.scores[lv] for lv in result.ranking],
        result.ranking.index(result.level),
        "Poeng per ambisjonsnivå (anbefalt i rødt)",
        "Nivåene er BCGs (2013); poengene er vår vurdering.",
    )


def scenario_chart(result: ScenarioResult) -> bytes:
    labels = [SCENARIO_LABELS[s] for s in result.ranking]
    return _bars(
        labels,
        [result.scores[s] for s in result.ranking],
        0,
        "Vektet poeng per scenario (best i rødt)",
        "Scenariene er Devoteams (2011); poengene er vår vurdering.",
    )


# -- The profile form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One input of the profile form. ``choices`` pairs a Norwegian label with the profile's value."""

    name: str  # profile field; "maturity_areas.<område>" and "priorities.<kriterium>" for the parts
    label: str
    kind: str  # "text" | "number" | "choice" | "bool"
    group: str
    choices: tuple[tuple[str, Any], ...] = ()
    default: Any = None
    limits: tuple[float, float] | None = None  # for number inputs and sliders
    info: str = ""

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.choices]


YES_NO = (("Ja", True), ("Nei", False), ("Vet ikke", None))
COLLABORATION_CHOICES = (
    ("Ingen", "none"),
    ("Vertskommune", "vertskommune"),
    ("Oppgavefellesskap (tidligere §27)", "oppgavefellesskap"),
    ("IKS", "iks"),
    ("AS", "as"),
    ("Bilateralt samarbeid", "bilateral"),
)
CENTRALITY_CHOICES = (("Sentral", "sentral"), ("Mellomsentral", "mellomsentral"), ("Distrikt", "distrikt"))
FORM_GROUPS = ("Kommunen", "Modenhet og situasjon", "Prioriteringer")  # the form's sections, in order
_K, _M, _P = FORM_GROUPS


def _label(key: str) -> str:
    return PROFILE_FIELDS[key].label


FORM_FIELDS: tuple[FormField, ...] = (
    FormField("name", _label("name"), "text", _K, info="F.eks. «Bærum kommune»"),
    FormField("population", _label("population"), "number", _K, limits=limits("population")),
    FormField("country", _label("country"), "choice", _K, (("Norge", "NO"), ("Danmark", "DK")), default="Norge"),
    FormField("centrality", _label("centrality"), "choice", _K, CENTRALITY_CHOICES),
    FormField("collaboration", _label("collaboration"), "choice", _K, COLLABORATION_CHOICES),
    FormField(
        "it_cost_per_inhabitant",
        _label("it_cost_per_inhabitant"),
        "number",
        _K,
        limits=limits("it_cost_per_inhabitant"),
    ),
    FormField("it_staff_fte", _label("it_staff_fte"), "number", _K, limits=limits("it_staff_fte")),
    FormField("maturity", _label("maturity"), "number", _M, limits=limits("maturity")),
    *(
        FormField(f"maturity_areas.{a}", f"Modenhet i {a} (1–5)", "number", _M, limits=limits("maturity_areas"))
        for a in MATURITY_AREAS
    ),
    FormField(
        "bestiller_competence", _label("bestiller_competence"), "number", _M, limits=limits("bestiller_competence")
    ),
    FormField("has_it_strategy", _label("has_it_strategy"), "bool", _M, YES_NO, default="Vet ikke"),
    FormField(
        "digitalisation_central_to_attractiveness",
        _label("digitalisation_central_to_attractiveness"),
        "bool",
        _M,
        YES_NO,
        default="Vet ikke",
    ),
    FormField("major_sector_challenges", _label("major_sector_challenges"), "bool", _M, YES_NO, default="Vet ikke"),
    *(
        FormField(
            f"priorities.{c}",
            f"Vekt på {c}",
            "number",
            _P,
            limits=limits("priorities"),
            info="Relativ vekt: 1 er vanlig, 2 er dobbelt så viktig. Tomt betyr 1.",
        )
        for c in CRITERIA
    ),
)
_BY_NAME = {f.name: f for f in FORM_FIELDS}


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _choice(field: FormField, raw: Any) -> Any:
    """A label becomes its value; anything else passes through for the profile to accept or explain."""
    if isinstance(raw, str):
        for label, value in field.choices:
            if raw.strip().lower() == label.lower():
                return value
        return raw.strip()
    return raw


def profile_dict_from_form(values: Mapping[str, Any]) -> dict[str, Any]:
    """Raw form values as a (possibly partial) profile dict, empty values left out; nothing validated.

    Idempotent on profile values, so a ``KommuneProfile.to_dict()`` passes through unchanged.
    ``priorities`` may also come as five numbers in the order of ``CRITERIA``.
    """
    out: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {}
    for key, raw in values.items():
        if key == "priorities" and isinstance(raw, (list, tuple)):
            raw = dict(zip(CRITERIA, raw, strict=False))
        if isinstance(raw, Mapping):
            raw = {k: v for k, v in raw.items() if not _empty(v)}
            if raw:
                groups.setdefault(key, {}).update(raw)
            continue
        group, dot, part = key.partition(".")
        field = _BY_NAME.get(key)
        value = _choice(field, raw) if field and field.kind in ("choice", "bool") else raw
        if isinstance(value, str):
            value = value.strip()
        if _empty(value) or _unanswered_zero(field, value):
            continue
        if dot:
            groups.setdefault(group, {})[part] = value
        else:
            out[key] = value
    prio = groups.get("priorities")
    if prio and all(_number(v) == 0 for v in prio.values()):
        del groups["priorities"]  # five untouched number boxes: no priorities stated
        prio = None
    weights = {_number(v) for v in (prio or {}).values()}
    if prio and len(prio) == len(CRITERIA) and len(weights) == 1 and weights != {None} and weights != {0}:
        # Five equal weights say nothing; leaving them out keeps the "ingen prioriteringer" sensitivity.
        del groups["priorities"]
    return out | groups


def _unanswered_zero(field: FormField | None, value: Any) -> bool:
    """A browser sends an empty number box as 0. Where 0 is no possible answer (1–5 scales,
    population) or no plausible one (IT cost, IT staff), it means the user left it blank."""
    if field is None or field.kind != "number" or _number(value) != 0 or field.name.startswith("priorities."):
        return False
    return (field.limits is not None and field.limits[0] >= 1) or field.name in (
        "it_cost_per_inhabitant",
        "it_staff_fte",
    )


def profile_from_form(values: Mapping[str, Any]) -> KommuneProfile:
    """Build the profile from the form; raises ``ProfileError`` with the profile's Norwegian messages."""
    return KommuneProfile.from_dict(profile_dict_from_form(values))
