"""The one place an ``Answer`` becomes text: chat, export, API and eval all read it from here.

Headings and framing follow the asker's language (nb, nn, da, en). The direct answer comes first,
then excerpts that add something, then the sources, then "Se også" — passages that are only close,
listed by title and page and never marked as support.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.types import Answer, Passage


@dataclass(frozen=True)
class Labels:
    short: str
    tentative: str  # instead of ``short`` when the reports may not answer the question directly …
    tentative_note: str  # … and why
    excerpts: str
    sources: str
    see_also: str
    no_answer: str
    closest: str
    quoted_in: str  # said to an English asker: the quotes keep the reports' language
    page: str


LABELS = {
    "nb": Labels(
        "Kort svar",
        "Usikkert treff",
        "Rapportene svarer kanskje ikke direkte på dette; under er det nærmeste de sier.",
        "Utdrag fra rapportene",
        "Kilder",
        "Se også (nært, men svarer ikke direkte)",
        "Rapportene svarer ikke på dette",
        "Det nærmeste rapportene har",
        "",
        "s.",
    ),
    "nn": Labels(
        "Kort svar",
        "Usikkert treff",
        "Rapportane svarar kanskje ikkje direkte på dette; under er det næraste dei seier.",
        "Utdrag frå rapportane",
        "Kjelder",
        "Sjå også (nært, men svarar ikkje direkte)",
        "Rapportane svarar ikkje på dette",
        "Det næraste rapportane har",
        "",
        "s.",
    ),
    "da": Labels(
        "Kort svar",
        "Usikkert match",
        "Rapporterne svarer måske ikke direkte på dette; nedenfor er det nærmeste, de siger.",
        "Uddrag fra rapporterne",
        "Kilder",
        "Se også (tæt på, men svarer ikke direkte)",
        "Rapporterne besvarer ikke dette",
        "Det nærmeste rapporterne har",
        "",
        "s.",
    ),
    "en": Labels(
        "Short answer",
        "Uncertain match",
        "The reports may not answer this directly; below is the closest they come.",
        "Excerpts from the reports",
        "Sources",
        "See also (close, but not a direct answer)",
        "The reports do not answer this",
        "The closest the reports come",
        "Quotes are in the reports' own language (Norwegian or Danish).",
        "p.",
    ),
}

Marker = Callable[[int], str]


def labels(lang: str) -> Labels:
    return LABELS.get(lang, LABELS["nb"])


def plain_marker(n: int) -> str:
    return f"[{n}]"


def cite(passage: Passage, lang: str = "nb") -> str:
    """'Tittel, s. 12' in the asker's language; the heading where a report has no pages."""
    place = where(passage, lang)
    return f"{passage.title}, {place}" if place else passage.title


def where(passage: Passage, lang: str = "nb") -> str:
    """The place in the report: 's. 7', or the section heading where the report has no pages."""
    if passage.page is not None:
        return f"{labels(lang).page} {passage.page}"
    return f"«{passage.heading}»" if passage.heading else ""


def source_line(n: int, passage: Passage, lang: str = "nb", marker: Marker = plain_marker) -> str:
    meta = ", ".join(x for x in (passage.publisher, passage.year) if x)
    place = where(passage, lang)
    return f"{marker(n)} {passage.title}" + (f" ({meta})" if meta else "") + (f", {place}" if place else "")


_FIRST_FULL_SENTENCE = re.compile(r"[.!?]\s+(?=[A-ZÆØÅ«\"])")


def one_line(text: str, words: int = 25) -> str:
    """The first ``words`` words, from the first whole sentence when the text begins mid-sentence
    (a chunk's overlap may start inside one: "mellom kart og … kjøre. Med FAKS kan …")."""
    lead = next((ch for ch in text if ch.isalnum()), "")
    if lead.islower():
        cut = _FIRST_FULL_SENTENCE.search(text)
        if cut and cut.end() < len(text) // 2:
            return "…" + one_line(text[cut.end() :], words)
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def answer_markdown(answer: Answer, marker: Marker = plain_marker, escape: Callable[[str], str] = str) -> str:
    """The answer as Markdown. ``marker`` renders [n] (the app makes it a link); ``escape`` guards
    document and model text (the app HTML-escapes it)."""
    lab = labels(answer.language)
    out: list[str] = []
    if answer.abstained and not answer.framing:
        reason = f" ({escape(answer.note)})" if answer.note else ""
        out.append(f"**{lab.no_answer}**{reason}.")
    if answer.framing:
        out.append(escape(answer.framing))
    if answer.short:
        if answer.tentative and not answer.abstained:
            out.append(f"**{lab.tentative}**  \n_{lab.tentative_note}_")
        elif not answer.abstained and answer.mode == "extractive":
            out.append(f"**{lab.short}**")
        out.append(
            "".join(
                (s.lead if i else s.lead.lstrip(" \n")) + _statement(s.text, s.markers, marker, escape)
                for i, s in enumerate(answer.short)
            )
        )
    if answer.scope_note:
        out.append(f"_{escape(answer.scope_note)}_")
    if answer.excerpts:
        lines = [f"**{lab.excerpts}**"]
        lines += [f"- «{escape(e.text)}» {marker(e.marker)}" for e in answer.excerpts]
        out.append("\n".join(lines))
    if answer.citations:
        lines = [f"**{lab.sources}**"]
        lines += [
            source_line(n, _escaped(p, escape), answer.language, marker)
            for n, p in enumerate(answer.citations, start=1)
        ]
        if lab.quoted_in and any(p.language != "en" for p in answer.citations):
            lines.append(f"_{lab.quoted_in}_")
        out.append("\n".join(lines))
    if answer.see_also:
        heading = lab.closest if answer.abstained else lab.see_also
        lines = [f"**{heading}**"]
        lines += [
            f"- {escape(cite(p, answer.language))}: «{escape(one_line(p.preview or p.text))}»" for p in answer.see_also
        ]
        out.append("\n".join(lines))
    return "\n\n".join(out)


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph: plain, bold or italic text, or a citation marker [n]."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    marker: int | None = None


@dataclass(frozen=True)
class Block:
    """One paragraph of an answer for a document (Word): its runs, and whether it is a bullet."""

    runs: tuple[Run, ...]
    bullet: bool = False


def answer_blocks(answer: Answer) -> list[Block]:
    """The answer as paragraphs of runs, in the order and wording of ``answer_markdown``: for
    documents that are not Markdown (Word), built from the answer's structure, never from its text."""
    lab = labels(answer.language)
    out: list[Block] = []
    if answer.abstained and not answer.framing:
        out.append(Block((Run(lab.no_answer, bold=True), Run(f" ({answer.note})." if answer.note else "."))))
    if answer.framing:
        out.append(Block((Run(answer.framing),)))
    if answer.short:
        if answer.tentative and not answer.abstained:
            out.append(Block((Run(lab.tentative, bold=True), Run(" " + lab.tentative_note, italic=True))))
        elif not answer.abstained and answer.mode == "extractive":
            out.append(Block((Run(lab.short, bold=True),)))
        runs: list[Run] = []
        bullet = answer.short[0].lead.rstrip().endswith(("-", "*", "•"))
        for i, s in enumerate(answer.short):
            if i and "\n" in s.lead:  # a model's line break (and bullet) starts a new paragraph
                if runs:
                    out.append(Block(tuple(runs), bullet))
                runs, bullet = [], s.lead.rstrip().endswith(("-", "*", "•"))
            elif i:
                runs.append(Run(s.lead))
            end = _END.search(s.text)
            cut = end.start() if end and s.markers else len(s.text)
            tags = [Run(" "), *(Run(marker=n) for n in s.markers)] if s.markers else []
            runs += [Run(s.text[:cut]), *tags, Run(s.text[cut:])]
        if runs:
            out.append(Block(tuple(runs), bullet))
    if answer.scope_note:
        out.append(Block((Run(answer.scope_note, italic=True),)))
    if answer.excerpts:
        out.append(Block((Run(lab.excerpts, bold=True),)))
        out += [Block((Run(f"«{e.text}» "), Run(marker=e.marker)), bullet=True) for e in answer.excerpts]
    if answer.citations:
        out.append(Block((Run(lab.sources, bold=True),)))
        out += [
            Block((Run(marker=n), Run(source_line(n, p, answer.language, marker=lambda _: ""))))
            for n, p in enumerate(answer.citations, start=1)
        ]
        if lab.quoted_in and any(p.language != "en" for p in answer.citations):
            out.append(Block((Run(lab.quoted_in, italic=True),)))
    if answer.see_also:
        out.append(Block((Run(lab.closest if answer.abstained else lab.see_also, bold=True),)))
        out += [
            Block((Run(f"{cite(p, answer.language)}: «{one_line(p.preview or p.text)}»"),), bullet=True)
            for p in answer.see_also
        ]
    return out


_END = re.compile(r"[.!?…:]+[\"'»”’)]*$")


def _statement(text: str, markers: tuple[int, ...], marker: Marker, escape: Callable[[str], str]) -> str:
    """'Sentence [1][2].': the markers go before the closing full stop, as in the model's prompt."""
    if not markers:
        return escape(text)
    tags = " " + "".join(marker(n) for n in markers)
    end = _END.search(text)
    cut = end.start() if end else len(text)
    return escape(text[:cut]) + tags + escape(text[cut:])


def _escaped(p: Passage, escape: Callable[[str], str]) -> Passage:
    from dataclasses import replace

    return replace(
        p,
        title=escape(p.title),
        publisher=escape(p.publisher) if p.publisher else None,
        heading=escape(p.heading) if p.heading else None,
    )
