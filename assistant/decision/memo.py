"""A Norwegian recommendation memo a consultant can send after a read-through, as DOCX or Markdown.

The memo is built once as a list of blocks; both renderers (memo_render.py) walk the same blocks, so
the DOCX and the Markdown always say the same thing. Page 1 is the synthesis: the recommendation
(ambition level, scenario path, collaboration form), three main reasons with sources, what would
change it and the uncertainty in plain words. The details follow from page 2. Every value a reader
sees has a human label and Norwegian number formatting; steps taken from a report are dated to it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.text.numbers import nb_number

from .ambition import known_facts_that_change as ambition_changes
from .benchmark import METRIC_LABELS
from .chart import RATIO_METRICS, benchmark_chart
from .fields import PROFILE_FIELDS
from .present import CENTRALITY_CHOICES, UNCERTAINTY_TEXT
from .profile import KommuneProfile
from .rules import collaboration_label, scenario_rules, sources
from .scenarios import known_facts_that_change as scenario_changes
from .types import (
    LEVEL_LABELS,
    SCENARIO_LABELS,
    AmbitionResult,
    BenchmarkResult,
    NextStep,
    Reason,
    ScenarioResult,
)

MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
HEADINGS = (
    "1. Kommuneprofil",
    "2. Ambisjonsnivå",
    "3. Scenario og samarbeidsform",
    "4. Nøkkeltall",
    "5. Neste steg",
    "6. Forbehold",
    "7. Kilder",
)
DEFAULT_AUTHOR = "Veivalg beslutningsstøtte"
_COUNTRIES = {"NO": "Norge", "DK": "Danmark"}
_CENTRALITY = {value: label for label, value in CENTRALITY_CHOICES}
# Who stands behind a report's advice, for steps dated to the report ("BCG anbefalte i 2013 …").
_WHO = {"000": "BCG", "001": "Devoteam", "002": "PA Consulting", "003": "Kolding Kommune", "004": "Rambøll"}


@dataclass(frozen=True)
class Block:
    kind: str  # title | meta | h1 | h2 | p | bullet | table | image | pagebreak
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    reason: Reason | None = None  # bullets with evidence render the quote and citation
    data: bytes = b""


@dataclass(frozen=True)
class Memo:
    title: str
    kommune: str
    author: str
    organisation: str
    date: dt.date
    blocks: tuple[Block, ...]
    chart_png: bytes
    recommendation: str = field(default="")  # the one-line recommendation on page 1

    def file_name(self, suffix: str) -> str:
        return memo_file_name(self.kommune, self.date, suffix)

    def to_markdown(self, image_ref: str | None = None, embed_chart: bool = False) -> str:
        from .memo_render import markdown

        return markdown(self, image_ref, embed_chart)

    def to_markdown_zip(self, path: str | Path) -> Path:
        from .memo_render import markdown_zip

        return markdown_zip(self, Path(path))

    def to_docx(self, path: str | Path) -> Path:
        from .memo_render import docx

        return docx(self, Path(path))


def norwegian_date(d: dt.date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


_ASCII: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"}


def memo_file_name(kommune: str, date: dt.date, suffix: str) -> str:
    """E.g. "Anbefalingsnotat-Baerum-kommune-2026-11-29.docx": the kommune and the date, safe everywhere."""
    ascii_name = kommune.translate(str.maketrans(_ASCII))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-") or "kommune"
    return f"Anbefalingsnotat-{slug}-{date.isoformat()}{suffix}"


# -- human labels --------------------------------------------------------------------------------


def _score(x: float) -> str:
    return f"{nb_number(x)} av 5"


_ROW_ORDER = (
    "name",
    "country",
    "population",
    "centrality",
    "maturity",
    "maturity_areas",
    "digitalisation_central_to_attractiveness",
    "major_sector_challenges",
    "it_cost_per_inhabitant",
    "it_staff_fte",
    "collaboration",
    "has_it_strategy",
    "bestiller_competence",
    "priorities",
)
PROFILE_ROWS: tuple[tuple[str, str], ...] = tuple((key, PROFILE_FIELDS[key].heading) for key in _ROW_ORDER)


def profile_value(key: str, value: Any) -> str:
    """A profile value as a reader should see it: no codes, Norwegian numbers."""
    if value is None:
        return "ikke oppgitt"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if key == "country":
        return _COUNTRIES.get(value, value)
    if key == "collaboration":
        return collaboration_label(value)
    if key == "centrality":
        return _CENTRALITY.get(value, value)
    if key in ("maturity", "bestiller_competence"):
        return _score(value)
    if key == "maturity_areas":
        return ", ".join(f"{area} {_score(v)}" for area, v in value.items())
    if key == "priorities":
        return ", ".join(f"{crit} {nb_number(w * 100, 0)} %" for crit, w in value.items())
    if key == "it_cost_per_inhabitant":
        return f"{nb_number(value, 0)} kr"
    if isinstance(value, (int, float)):
        return nb_number(value)
    return str(value)


def _basis(r: Reason) -> str:
    return "rapporten sier" if r.basis == "rapporten" else "vår vurdering"


def dated_step(step: NextStep) -> str:
    """A step from a report, dated to it and never presented as current policy."""
    r = step.reason
    src = sources()[r.source]
    if r.basis == "rapporten":
        when = f"i {src.year}" if src.year.isdigit() else "i et udatert notat (etter 2014)"
        whom = " for Bærum" if r.source == "000" else ""
        return f"{_WHO[r.source]} anbefalte {when}{whom}: {step.text}"
    return f"Vår vurdering ut fra {src.short}: {step.text}"


# -- page 1 --------------------------------------------------------------------------------------


def _scenario_line(profile: KommuneProfile, scen: ScenarioResult) -> str:
    best, last = scen.ranking[0], scen.ranking[-1]
    line = (
        f"Start med S1 Tilrettelegger og gå gradvis mot S2 Formidler, slik Devoteam anbefalte i 2011 "
        f"(s. 6). For {profile.name} passer {SCENARIO_LABELS[best]} best og {SCENARIO_LABELS[last]} minst."
    )
    if best == "S0":
        line += " S0 kommer først bare på grunn av kommunens vekting av kriteriene."
    return line


def _collaboration_line(scen: ScenarioResult) -> str:
    collab = scen.collaboration
    if collab.form is None:
        return "Samarbeidsform er ikke oppgitt; se rådene i del 3."
    if collab.form == "none":
        return "Gå inn i et forpliktende IKT-samarbeid med andre kommuner (i dag: ingen formalisert samarbeid)."
    return f"Videreutvikle dagens samarbeid ({collab.label}); se rådene i del 3."


def _scenario_reason(scen: ScenarioResult) -> Reason:
    """The profile rule that lifts the best scenario most, or the report's own path."""
    lifts = {r.id: sum(d for s, _, d in r.effects if s == scen.best) for r in scenario_rules().adjustments}
    applied = [r for r in scen.reasons if lifts.get(r.rule_id, 0) > 0]
    return max(applied, key=lambda r: lifts[r.rule_id]) if applied else scen.report_recommendation


def _main_reasons(amb: AmbitionResult, scen: ScenarioResult) -> list[Reason]:
    """One reason each for the level, the scenario and, where the advice is to start one, collaboration."""
    collab = scen.collaboration.advice[:1] if scen.collaboration.form == "none" else []
    out = [*amb.reasons_for[:1], _scenario_reason(scen), *collab]
    if len(out) < 3:
        out += [r for r in (*amb.reasons_for[1:], scen.report_recommendation) if r not in out][: 3 - len(out)]
    return out[:3]


def _what_changes(profile: KommuneProfile, amb: AmbitionResult, scen: ScenarioResult) -> list[str]:
    """Missing facts that could change it, then stated facts that would change it were they otherwise."""
    level = [*amb.would_change, *ambition_changes(profile)]
    scenario = [*(w for w in scen.would_change if w.field != "priorities"), *scenario_changes(profile)]
    items = list(dict.fromkeys(f"{w.example} → ambisjonsnivå «{w.new_result}»" for w in level))[:3]
    items += list(dict.fromkeys(f"{w.example} → {w.new_result} passer best" for w in scenario))[:2]
    if amb.level != "myndighetskrav" and not any("sektorene" in i for i in items):
        items.append(
            "store utfordringer i sektorene (helse, oppvekst o.l.) → ambisjonsnivå "
            f"«{LEVEL_LABELS['myndighetskrav']}» (BCG 2013, s. 7)"
        )
    return items[:5]


def _page_one(profile: KommuneProfile, amb: AmbitionResult, scen: ScenarioResult, meta: str) -> list[Block]:
    level = f"Ambisjonsnivå: «{amb.label}»."
    if amb.translation:
        level += f" {amb.translation}"
    changes = _what_changes(profile, amb, scen)
    blocks = [
        Block("meta", meta),
        Block("h1", "Anbefaling"),
        Block("bullet", level),
        Block("bullet", f"Scenario: {_scenario_line(profile, scen)}"),
        Block("bullet", f"Samarbeid: {_collaboration_line(scen)}"),
        Block("h2", "Tre hovedgrunner"),
        *(Block("bullet", f"{r.text} ({r.citation()}; {_basis(r)})") for r in _main_reasons(amb, scen)),
        Block("h2", "Dette kan endre anbefalingen"),
        *(
            [Block("bullet", item) for item in changes]
            or [Block("p", "Ingen enkeltopplysning i profilen endrer anbefalingen alene.")]
        ),
        Block("h2", "Usikkerhet"),
        Block(
            "p",
            f"{amb.uncertainty.capitalize()} usikkerhet. {UNCERTAINTY_TEXT[amb.confidence]}"
            + (
                " BCGs nivåer er skrevet for Bærum og de ti største kommunene; for en kommune av denne "
                "størrelsen er de oversatt, og det gjør anbefalingen mer usikker."
                if amb.translation
                else ""
            )
            + " Poengene som veier rapportenes argumenter mot hverandre, er vår vurdering; alt annet er "
            "sitert med side.",
        ),
        Block("pagebreak"),
    ]
    return blocks


# -- the memo ------------------------------------------------------------------------------------


def build_memo(
    profile: KommuneProfile,
    ambition: AmbitionResult,
    scenarios: ScenarioResult,
    bench: BenchmarkResult,
    *,
    author: str = DEFAULT_AUTHOR,
    organisation: str = "",
    date: dt.date | None = None,
) -> Memo:
    """Assemble the memo from the three results; the content is decided here, not in the renderers."""
    date = date or dt.date.today()
    author = author.strip() or DEFAULT_AUTHOR
    organisation = organisation.strip()
    png = benchmark_chart(bench)
    title = f"Anbefalingsnotat: IT- og digitaliseringsstrategi for {profile.name}"
    by = f"{author}, {organisation}" if organisation else author
    meta = f"Utarbeidet av {by}. Dato: {norwegian_date(date)}."
    recommendation = f"«{ambition.label}» og {SCENARIO_LABELS[scenarios.best]}"

    blocks: list[Block] = [Block("title", title), *_page_one(profile, ambition, scenarios, meta)]
    blocks += [
        Block("h1", HEADINGS[0]),
        Block(
            "table",
            rows=(
                ("Opplysning", "Verdi"),
                *((label, profile_value(key, getattr(profile, key))) for key, label in PROFILE_ROWS),
            ),
        ),
        Block(
            "p",
            "«Rapporten sier» betyr at rapporten selv fastslår det; «vår vurdering» betyr at vi har "
            "utledet det fra rapporten. Alle sitater er ordrett med side.",
        ),
        Block("h1", HEADINGS[1]),
        Block(
            "p",
            f"Anbefaling: «{ambition.label}». Poeng (vår vurdering av BCGs vilkår): "
            + ", ".join(f"«{LEVEL_LABELS[lv]}» {nb_number(ambition.scores[lv])}" for lv in ambition.ranking)
            + ".",
        ),
    ]
    if ambition.reasons_for:
        blocks += [
            Block("h2", f"Taler for «{ambition.label}»"),
            *(Block("bullet", r.text, reason=r) for r in ambition.reasons_for),
        ]
    if ambition.reasons_against:
        blocks += [
            Block("h2", f"Taler mot «{ambition.label}»"),
            *(Block("bullet", r.text, reason=r) for r in ambition.reasons_against),
        ]

    blocks += [
        Block("h1", HEADINGS[2]),
        Block(
            "table",
            rows=(
                ("Rangering", "Scenario", "Vektet poeng"),
                *(
                    (str(i), SCENARIO_LABELS[s], nb_number(scenarios.scores[s]))
                    for i, s in enumerate(scenarios.ranking, start=1)
                ),
            ),
        ),
        Block("h2", "Det rapporten anbefaler"),
        Block("bullet", scenarios.report_recommendation.text, reason=scenarios.report_recommendation),
        Block("h2", "Begrunnelser for rangeringen"),
        *(Block("bullet", r.text, reason=r) for r in scenarios.reasons if r.rule_id != "SCN-KRITERIER"),
    ]
    collab = scenarios.collaboration
    blocks.append(Block("h2", f"Samarbeidsform: {collab.label}"))
    blocks += [Block("bullet", r.text, reason=r) for r in collab.advice]
    blocks += [Block("bullet", f"Åpent spørsmål: {q}") for q in collab.open_questions]

    blocks += [
        Block("h1", HEADINGS[3]),
        Block(
            "table",
            rows=(
                ("Nøkkeltall", "Kommunen", "Referanse", "Verdi", "År", "Kilde"),
                *(
                    (
                        f"{METRIC_LABELS.get(r.metric, r.metric)} ({r.unit})",
                        "–" if r.kommune_value is None else nb_number(r.kommune_value),
                        r.reference_label,
                        "–" if r.reference_value is None else nb_number(r.reference_value),
                        r.year,
                        r.reason.citation(),
                    )
                    for r in bench.rows
                    if r.metric in RATIO_METRICS
                    and (r.kommune_value is not None or r.metric == "it_cost_per_inhabitant")
                ),
            ),
        ),
    ]
    if bench.comparison_quality_score is not None:
        blocks.append(
            Block(
                "p",
                "Kvalitetsscore etter PAs vekting i sammenligningen av samarbeidene (45/45/10): "
                f"{nb_number(bench.comparison_quality_score, 1)} %.",
            )
        )
    if bench.quality_score is not None:
        blocks.append(
            Block(
                "p",
                f"Kvalitetsscore etter PAs vekting i vedlegget (30/30/10/30): {nb_number(bench.quality_score, 1)} %.",
            )
        )
    shown: set[str] = set()
    for r in bench.rows:
        if not r.comparison or (r.metric in shown and "Ikke sammenlignbart" in r.comparison):
            continue  # one "not comparable" note per figure is enough
        shown.add(r.metric)
        text = r.comparison
        if "Ikke sammenlignbart" in text:
            text = text.replace(f"{r.reference_label} gjelder", "BCGs referanser (Bærum, K10-snitt, Oslo) gjelder")
        blocks.append(Block("bullet", text))
    blocks.append(Block("image", "Figur: kommunens nøkkeltall mot rapportenes tall", data=png))

    blocks.append(Block("h1", HEADINGS[4]))
    blocks.append(
        Block("p", "Stegene er hentet fra rapportene og dateres til dem; de er ikke gjeldende politikk i dag.")
    )
    seen: set[str] = set()
    for step in (*ambition.next_steps, *scenarios.next_steps):
        if step.text not in seen:
            seen.add(step.text)
            blocks.append(Block("bullet", dated_step(step), reason=step.reason))

    blocks.append(Block("h1", HEADINGS[5]))
    caveats = dict.fromkeys((*ambition.caveats, *scenarios.caveats, *bench.caveats))
    blocks += [Block("bullet", c) for c in caveats]

    blocks.append(Block("h1", HEADINGS[6]))
    cited = [b.reason for b in blocks if b.reason] + [r.reason for r in bench.rows]
    blocks += [Block("bullet", line) for line in _source_list(cited)]
    return Memo(
        title=title,
        kommune=profile.name,
        author=author,
        organisation=organisation,
        date=date,
        blocks=tuple(blocks),
        chart_png=png,
        recommendation=recommendation,
    )


def _source_list(reasons: list[Reason]) -> list[str]:
    """Title, publisher, year and the pages cited, for every report the memo cites."""
    pages: dict[str, set[int]] = {}
    for r in reasons:
        pages.setdefault(r.source, set())
        if r.page is not None:
            pages[r.source].add(r.page)
    out = []
    for key in sorted(pages):
        src = sources()[key]
        where = f"Sider brukt: {', '.join(map(str, sorted(pages[key])))}" if pages[key] else "Uten sidetall"
        out.append(f"{src.title}. {src.publisher}, {src.year}. {where}.")
    return out
