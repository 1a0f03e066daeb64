"""The cited PDF page drawn with the quoted passage highlighted (pypdfium2), found despite line breaks."""

from __future__ import annotations

import io

from conftest import make_pdf
from PIL import Image

from assistant.render.pdfpage import quote_spans, render_page

LONG = (
    "IKT-kostnadene per innbygger var 1 050 kroner i 2012. Kostnadene har økt med fem prosent i året, og "
    "kommunen vil nå kutte dem kraftig frem mot 2030 ved å samarbeide med nabokommunene om drift."
)


def test_quote_is_found_across_line_breaks_and_hyphens():
    page = "IKT-kost-\nnadene per inn-\nbygger var 1 050\r\nkroner i 2012. Noe annet."
    [(first, last)] = quote_spans(page, "IKT-kostnadene per innbygger var 1 050 kroner i 2012.")
    assert page[first] == "I" and page[last] == "."
    assert quote_spans(page, "Dette står ikke på siden i det hele tatt.") == []


def test_page_is_drawn_with_the_passage_highlighted(tmp_path):
    pdf = make_pdf(tmp_path / "r.pdf", [LONG, "Side to."])
    quote = "Kostnadene har økt med fem prosent i året, og kommunen vil nå kutte dem kraftig frem mot 2030 ved å samarbeide med nabokommunene om drift."
    marked = Image.open(io.BytesIO(render_page(pdf, 1, quote))).convert("RGB")
    plain = Image.open(io.BytesIO(render_page(pdf, 1, "Finnes ikke her, ikke i det hele tatt."))).convert("RGB")
    yellow = sum(1 for r, g, b in marked.getdata() if r > 200 and g > 180 and b < 160)
    assert yellow > 1000 and sum(1 for r, g, b in plain.getdata() if r > 200 and g > 180 and b < 160) == 0
    assert marked.height < plain.height  # cropped to the passage and its surroundings
    assert render_page(pdf, 3, quote) is None
