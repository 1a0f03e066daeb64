"""The app's API, driven with gradio_client against the real app on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_server import running_app
from gradio_client import Client, handle_file


@pytest.fixture
def app_url(settings):
    with running_app(settings) as (url, session):
        yield url, session


def _ask(client: Client, question: str):
    return client.predict(question, [], [], [], [], api_name="/ask")


def _text(message) -> str:
    content = message["content"]
    return content if isinstance(content, str) else " ".join(part.get("text", "") for part in content)


def test_ask_answers_with_citations_and_opens_a_source(app_url):
    url, _ = app_url
    client = Client(url, verbose=False)
    chat, box, sources, view = _ask(client, "Hva skal elevene få innen 2025?")
    answer = _text(chat[-1])
    assert "nettbrett" in answer and "[1]" in answer and "**Kilder**" in answer
    assert box == ""
    first = sources["choices"][0][0]
    assert first.startswith("[1] Skolerapporten")
    html = client.predict(first, api_name="/source")
    assert "<mark>" in html and "Skolerapporten" in html


def test_html_in_a_question_is_escaped(app_url):
    url, _ = app_url
    chat, *_ = _ask(Client(url, verbose=False), "<script>alert('x')</script> nettbrett?")
    assert "<script>" not in _text(chat[0]) and "&lt;script&gt;" in _text(chat[0])


def test_export_gives_markdown_with_sources(app_url):
    url, _ = app_url
    client = Client(url, verbose=False)
    _ask(client, "Hva skal elevene få innen 2025?")
    result = client.predict(api_name="/export")
    path = result["value"] if isinstance(result, dict) else result  # a visibility update wraps the file
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith("# Svar fra Veivalg") and "## Kildeutdrag" in text and "Skolerapporten" in text


def test_broken_upload_is_refused_and_changes_nothing(app_url, tmp_path):
    url, session = app_url
    before = sorted(session.assistant.documents)
    broken = tmp_path / "ødelagt.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    client = Client(url, verbose=False)
    _, status, _ = client.predict(handle_file(str(broken)), api_name="/add_report")
    assert "Ikke lagt til" in status and "ødelagt" in status.lower()
    assert sorted(session.assistant.documents) == before
    assert not (session.ingest.corpus_dir / broken.name).exists()


def test_good_upload_is_indexed_and_searchable(app_url, tmp_path):
    url, session = app_url
    new = tmp_path / "sky.txt"
    new.write_text("Kommunen flytter e-post og lagring til en skytjeneste i 2026.", encoding="utf-8")
    client = Client(url, verbose=False)
    rows, status, _ = client.predict(handle_file(str(new)), api_name="/add_report")
    assert "Ferdig" in status and "Lagt til: 1" in status
    assert "sky.txt" in session.assistant.documents
    chat, *_ = _ask(client, "Når flytter kommunen e-posten til skyen?")
    assert "skytjeneste" in _text(chat[-1])


def _form(**values):
    from assistant.decision.present import FORM_FIELDS

    return [values.get(f.name.replace(".", "__"), f.default if f.kind in ("bool", "choice") else None) for f in FORM_FIELDS]


BAERUM = dict(name="Bærum kommune", population=116_000, centrality="Sentral", maturity=3, it_cost_per_inhabitant=1050,
              maturity_areas__styring=2, maturity_areas__porteføljestyring=2, maturity_areas__gevinstrealisering=2,
              digitalisation_central_to_attractiveness="Nei", major_sector_challenges="Nei")


def test_profile_form_gives_level_scenario_and_benchmark_with_sources(app_url):
    url, _ = app_url
    out = Client(url, verbose=False).predict(*_form(**BAERUM), api_name="/evaluate")
    ambition, scenarios, bench = out[0], out[3], out[6]  # State outputs are not part of the API
    assert "I tråd med de 10 store" in ambition and "«" in ambition and "s. " in ambition
    assert "Anbefalt" in scenarios or "scenario" in scenarios.lower()
    assert "1 050" in bench or "1050" in bench
    assert Path(out[2]).read_bytes().startswith(b"\x89PNG")


def test_impossible_profile_value_is_a_clear_error(app_url):
    from gradio_client.exceptions import AppError

    url, _ = app_url
    with pytest.raises(AppError, match="Innbyggertall"):  # the profile's Norwegian message, not Gradio's
        Client(url, verbose=False).predict(*_form(name="X", population=-5), api_name="/evaluate")


def test_memo_is_a_word_document_and_markdown(app_url):
    import docx

    url, _ = app_url
    files = Client(url, verbose=False).predict(*_form(**BAERUM), api_name="/memo")
    paths = [f["value"] if isinstance(f, dict) else f for f in (files["value"] if isinstance(files, dict) else files)]
    word = next(p for p in paths if str(p).endswith(".docx"))
    text = "\n".join(p.text for p in docx.Document(word).paragraphs)
    assert "Bærum kommune" in text and "I tråd med de 10 store" in text
    assert next(p for p in paths if str(p).endswith(".md"))


def test_chat_routes_a_decision_question_to_the_tool(app_url):
    url, _ = app_url
    chat, *_ = _ask(Client(url, verbose=False), "Vi er en distriktskommune med 4 000 innbyggere og lav modenhet — hvilket scenario passer?")
    reply = _text(chat[-1])
    assert "4 000" in reply or "4000" in reply
    assert "S1" in reply or "S2" in reply or "Formidler" in reply or "Tilrettelegger" in reply
