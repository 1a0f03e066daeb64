"""A Norwegian recommendation memo for consultants, as Markdown or DOCX.

The memo is built once as a list of blocks (heading, paragraph, bullet, table, image); both
renderers walk the same blocks, so the Markdown and the DOCX always say the same thing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .benchmark import METRIC_LABELS
from .chart import benchmark_chart
from .profile import KommuneProfile
from .rules import sources
from .types import (
    SCENARIO_LABELS,
    AmbitionResult,
    BenchmarkResult,
    Reason,
    ScenarioResult,
)

_PROFILE_LABELS = {
    "name": "Kommune",
    "country": "Land",
    "population": "Innbyggere",
    "centrality": "Sentralitet",
    "maturity": "IT-/digital modenhet (1–5)",
    "maturity_areas": "Modenhet per område (1–5)",
    "digitalisation_central_to_attractiveness": "IT sentralt for attraktivitet",
    "major_sector_challenges": "Store utfordringer i sektorene",
    "it_cost_per_inhabitant": "IT-kostnad per innbygger (kr)",
    "it_staff_fte": "IT-årsverk",
    "collaboration": "Samarbeidsform",
    "has_it_strategy": "Har IT-strategi",
    "bestiller_competence": "Bestillerkompetanse (1–5)",
    "priorities": "Prioriteringer (vekter)",
}


_SHORT_LEVELS = {"fyrtarn": "Fyrtårn", "k10": "de 10 store", "myndighetskrav": "myndighetskrav"}


@dataclass(frozen=True)
class Block:
    kind: str  # title | h1 | p | bullet | table | image
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    reason: Reason | None = None  # bullets with evidence render the quote and citation
    data: bytes = b""


def _value(v: Any) -> str:
    if v is None:
        return "ikke oppgitt"
    if isinstance(v, bool):
        return "ja" if v else "nei"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {x:g}" if isinstance(x, float) else f"{k}: {x}" for k, x in v.items())
    if isinstance(v, (int, float)):
        if abs(v) >= 1000:
            return f"{v:,.0f}".replace(",", " ")
        return f"{v:g}".replace(".", ",")
    return str(v)


def _basis(r: Reason) -> str:
    return "rapporten sier" if r.basis == "rapporten" else "vår vurdering"


@dataclass(frozen=True)
class Memo:
    title: str
    blocks: tuple[Block, ...]
    chart_png: bytes

    # -- Markdown ---------------------------------------------------------------------------
    def to_markdown(self, image_ref: str | None = None) -> str:
        out: list[str] = []
        previous = ""
        for b in self.blocks:
            if previous == "bullet" and b.kind != "bullet":
                out.append("")  # a list must end before the next paragraph or heading
            previous = b.kind
            if b.kind == "title":
                out += [f"# {b.text}", ""]
            elif b.kind == "h1":
                out += [f"## {b.text}", ""]
            elif b.kind == "p":
                out += [b.text, ""]
            elif b.kind == "bullet":
                line = f"- {b.text}"
                if b.reason:
                    line += f" *({_basis(b.reason)})* «{b.reason.quote}» ({b.reason.citation()})"
                out.append(line)
            elif b.kind == "table":
                header, *body = b.rows
                out += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                out += ["| " + " | ".join(r) + " |" for r in body]
                out.append("")
            elif b.kind == "image":
                out += ["", f"![{b.text}]({image_ref})" if image_ref else f"*{b.text}: se diagrammet i DOCX-utgaven.*", ""]
        return "\n".join(out).replace("\n\n\n", "\n\n").strip() + "\n"

    # -- DOCX -------------------------------------------------------------------------------
    def to_docx(self, path: str | Path) -> Path:
        from docx import Document
        from docx.shared import Cm, Pt

        doc = Document()
        for b in self.blocks:
            if b.kind == "title":
                doc.add_heading(b.text, level=0)
            elif b.kind == "h1":
                doc.add_heading(b.text, level=1)
            elif b.kind == "p":
                doc.add_paragraph(b.text)
            elif b.kind == "bullet":
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(b.text)
                if b.reason:
                    para.add_run(f" ({_basis(b.reason)}) ")
                    para.add_run(f"«{b.reason.quote}»").italic = True
                    para.add_run(f" ({b.reason.citation()})")
            elif b.kind == "table":
                table = doc.add_table(rows=len(b.rows), cols=len(b.rows[0]))
                table.style = "Table Grid"
                for i, row in enumerate(b.rows):
                    for j, cell in enumerate(row):
                        table.cell(i, j).text = cell
                        if i == 0:
                            for run in table.cell(i, j).paragraphs[0].runs:
                                run.bold = True
                for row in table.rows:
                    for cell in row.cells:
                        for run in cell.paragraphs[0].runs:
                            run.font.size = Pt(9)
            elif b.kind == "image":
                doc.add_picture(io.BytesIO(b.data), width=Cm(16))
                doc.add_paragraph(b.text).italic = True
        path = Path(path)
        doc.save(path)
        return path


def build_memo(
    profile: KommuneProfile,
    ambition: AmbitionResult,
    scenarios: ScenarioResult,
    bench: BenchmarkResult,
) -> Memo:
    """Assemble the memo from the three results; the content is decided here, not in the renderers."""
    png = benchmark_chart(bench)
    best = scenarios.best
    title = f"Anbefalingsnotat: IT- og digitaliseringsstrategi for {profile.name}"
    blocks: list[Block] = [
        Block("title", title),
        Block("p", f"Anbefalt ambisjonsnivå: {ambition.label} (sikkerhet: {ambition.confidence}). "
                   f"Scenario som passer best: {SCENARIO_LABELS[best]}. Rapportens anbefalte vei for "
                   "sektoren er å starte med S1 Tilrettelegger og over tid gå mot S2 Formidler."),
        Block("p", "Alle vurderinger er koblet til rapportene med side og sitat. «Rapporten sier» betyr at "
                   "rapporten selv fastslår det; «vår vurdering» betyr at vi har utledet det fra rapporten."),
        Block("h1", "1. Kommuneprofil"),
        Block("table", rows=(("Opplysning", "Verdi"),
                             *((label, _value(getattr(profile, key))) for key, label in _PROFILE_LABELS.items()))),
        Block("h1", "2. Anbefalt ambisjonsnivå"),
        Block("p", f"Anbefaling: {ambition.label}. Poeng: "
                   + ", ".join(f"{_SHORT_LEVELS[k]} {v:g}".replace(".", ",") for k, v in ambition.scores.items()) + "."),
        *(Block("bullet", r.text, reason=r) for r in ambition.reasons),
    ]
    if ambition.would_change:
        blocks.append(Block("p", "Opplysninger som kan endre anbefalingen:"))
        blocks += [Block("bullet", f"{w.example} → {w.new_result}") for w in ambition.would_change]

    blocks += [
        Block("h1", "3. Scenario og samarbeidsform"),
        Block("table", rows=(("Rangering", "Scenario", "Vektet poeng"),
                             *((str(i), SCENARIO_LABELS[s], f"{scenarios.scores[s]:.2f}".replace(".", ","))
                               for i, s in enumerate(scenarios.ranking, start=1)))),
        Block("p", "Det rapporten anbefaler:"),
        Block("bullet", scenarios.report_recommendation.text, reason=scenarios.report_recommendation),
        Block("p", "Begrunnelser for rangeringen for denne kommunen:"),
        *(Block("bullet", r.text, reason=r) for r in scenarios.reasons),
    ]
    if scenarios.would_change:
        blocks.append(Block("p", "Opplysninger som kan endre rangeringen:"))
        blocks += [Block("bullet", f"{w.example} → {w.new_result}") for w in scenarios.would_change]
    collab = scenarios.collaboration
    blocks.append(Block("p", f"Samarbeidsform: {collab.label}."))
    blocks += [Block("bullet", r.text, reason=r) for r in collab.advice]
    blocks += [Block("bullet", f"Åpent spørsmål: {q}") for q in collab.open_questions]

    blocks += [
        Block("h1", "4. Nøkkeltall"),
        Block("table", rows=(("Nøkkeltall", "Enhet", "Kommunen", "Referanse", "Verdi", "År", "Kilde"),
                             *((METRIC_LABELS.get(r.metric, r.metric), r.unit,
                                _value(r.kommune_value) if r.kommune_value is not None else "–",
                                r.reference_label, _value(r.reference_value), r.year, r.reason.citation())
                               for r in bench.rows))),
    ]
    if bench.quality_score is not None:
        blocks.append(Block("p", f"Kvalitetsscore etter PAs vekter (30/30/10/30): {bench.quality_score:g} %.".replace(".", ",", 1)))
    blocks += [Block("bullet", r.comparison) for r in bench.rows if r.comparison]
    blocks.append(Block("image", "Figur: kommunens nøkkeltall mot rapportenes tall", data=png))

    blocks.append(Block("h1", "5. Neste steg"))
    seen: set[str] = set()
    for step in (*ambition.next_steps, *scenarios.next_steps):
        if step.text not in seen:
            seen.add(step.text)
            blocks.append(Block("bullet", step.text, reason=step.reason))

    blocks.append(Block("h1", "6. Forbehold"))
    caveats = dict.fromkeys((*ambition.caveats, *scenarios.caveats, *bench.caveats))
    blocks += [Block("bullet", c) for c in caveats]

    blocks.append(Block("h1", "7. Kilder"))
    cited = [b.reason for b in blocks if b.reason] + [r.reason for r in bench.rows]
    blocks += [Block("bullet", line) for line in _source_list(cited)]
    return Memo(title=title, blocks=tuple(blocks), chart_png=png)


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
