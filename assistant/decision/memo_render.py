"""Renderers for the memo's blocks: Markdown (alone or zipped with its chart) and DOCX.

The DOCX is what a consultant sends: A4, Norwegian (nb-NO) as the language of every style so that Word
checks Norwegian spelling, title, author, organisation and date in the document properties and on the
page, a header with the kommune and date, and a footer with page numbers ("Side X av Y").
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .memo import Memo

CHART_NAME = "figur-nokkeltall.png"
LANGUAGE = "nb-NO"


def _basis(kind: str) -> str:
    return "rapporten sier" if kind == "rapporten" else "vår vurdering"


# -- Markdown ---------------------------------------------------------------------------------------


def markdown(memo: Memo, image_ref: str | None = None, embed_chart: bool = False) -> str:
    """``image_ref`` names the chart file beside the Markdown; ``embed_chart`` puts the PNG in the file
    itself (a data URI), so a single downloaded .md still shows its chart."""
    from .memo import norwegian_date

    out: list[str] = []
    previous = ""
    for b in memo.blocks:
        if previous == "bullet" and b.kind != "bullet":
            out.append("")  # a list must end before the next paragraph or heading
        previous = b.kind
        if b.kind == "title":
            out += [f"# {b.text}", ""]
        elif b.kind == "meta":
            out += [f"*{b.text}*", ""]
        elif b.kind == "h1":
            out += [f"## {b.text}", ""]
        elif b.kind == "h2":
            out += [f"### {b.text}", ""]
        elif b.kind == "p":
            out += [b.text, ""]
        elif b.kind == "bullet":
            line = f"- {b.text}"
            if b.reason:
                line += f" *({_basis(b.reason.basis)})* «{b.reason.quote}» ({b.reason.citation()})"
            out.append(line)
        elif b.kind == "table":
            header, *body = b.rows
            out += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in body]
            out.append("")
        elif b.kind == "image":
            ref = (
                f"data:image/png;base64,{base64.b64encode(b.data).decode('ascii')}"
                if embed_chart
                else image_ref or CHART_NAME
            )
            out += ["", f"![{b.text}]({ref})", ""]
        elif b.kind == "pagebreak":
            out += ["---", ""]
    out += ["", f"*{memo.title}. {memo.kommune}, {norwegian_date(memo.date)}.*"]
    return "\n".join(out).replace("\n\n\n", "\n\n").strip() + "\n"


def markdown_zip(memo: Memo, path: Path) -> Path:
    """The Markdown and its chart in one zip, so the image reference resolves after download."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(memo.file_name(".md"), markdown(memo, CHART_NAME))
        zf.writestr(CHART_NAME, memo.chart_png)
    return path


# -- DOCX -------------------------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run()
    run.font.size = Pt(8)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _set_language(doc) -> None:
    """Every w:lang in the styles becomes nb-NO, and the default run properties get one if missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None and rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), LANGUAGE)
        rpr.append(lang)


def _page_setup(doc, memo: Memo) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from .memo import norwegian_date

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    header = section.header.paragraphs[0]
    header.text = f"Anbefalingsnotat · {memo.kommune} · {norwegian_date(memo.date)}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    who = f"{memo.author}, {memo.organisation}" if memo.organisation else memo.author
    footer.add_run(f"{who} · Side ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")
    for p in (header, footer):
        for run in p.runs:
            run.font.size = Pt(8)  # the field runs are sized in _field
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)


def _properties(doc, memo: Memo) -> None:
    props = doc.core_properties
    props.title = memo.title
    props.subject = f"IT- og digitaliseringsstrategi for {memo.kommune}"
    props.author = memo.author
    props.last_modified_by = memo.author
    props.category = "Anbefalingsnotat"
    props.keywords = "IT-strategi; digitalisering; kommune; ambisjonsnivå; samarbeid"
    props.comments = f"Organisasjon: {memo.organisation}" if memo.organisation else ""
    props.language = LANGUAGE
    when = dt.datetime.combine(memo.date, dt.time(12, 0))
    props.created = props.modified = when
    props.revision = 1


def _repeat_header(row) -> None:
    """The header row repeats on every page the table runs over, and rows do not split across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _widths(columns: int) -> tuple[float, ...]:
    """Column widths in cm for the 16.4 cm text width: labels wide, numbers narrow."""
    return {2: (6.4, 10.0), 3: (2.4, 9.0, 5.0), 6: (4.0, 2.7, 3.8, 1.8, 1.6, 2.5)}.get(
        columns, tuple(16.4 / columns for _ in range(columns))
    )


def docx(memo: Memo, path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    _set_language(doc)
    _page_setup(doc, memo)
    _properties(doc, memo)
    for b in memo.blocks:
        if b.kind == "title":
            doc.add_heading(b.text, level=0)
        elif b.kind == "meta":
            para = doc.add_paragraph()
            para.add_run(b.text).italic = True
        elif b.kind == "h1":
            doc.add_heading(b.text, level=1)
        elif b.kind == "h2":
            doc.add_heading(b.text, level=2)
        elif b.kind == "p":
            doc.add_paragraph(b.text)
        elif b.kind == "bullet":
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(b.text)
            if b.reason:
                para.add_run(f" ({_basis(b.reason.basis)}) ")
                para.add_run(f"«{b.reason.quote}»").italic = True
                para.add_run(f" ({b.reason.citation()})")
        elif b.kind == "table":
            table = doc.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            table.style = "Table Grid"
            table.autofit = False
            widths = _widths(len(b.rows[0]))
            # LibreOffice reads the grid, Word the cells: set both.
            for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
                grid_col.w = Cm(width)
            for col, width in zip(table.columns, widths, strict=True):
                for cell in col.cells:
                    cell.width = Cm(width)
            for i, row in enumerate(b.rows):
                for j, text in enumerate(row):
                    cell = table.cell(i, j)
                    cell.text = text
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(9)
                        run.bold = i == 0
            _repeat_header(table.rows[0])
        elif b.kind == "image":
            doc.add_picture(io.BytesIO(b.data), width=Cm(16))
            doc.add_paragraph().add_run(b.text).italic = True
        elif b.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(str(path))
    return path
