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


def _ask(client: Client, question: str, conversation_id: str = ""):
    return client.predict(question, conversation_id, api_name="/ask")


def test_ask_returns_text_with_markers_and_citations(app_url):
    url, _ = app_url
    text, citations, conversation_id = _ask(Client(url, verbose=False), "Hva skal elevene få innen 2025?")
    assert "nettbrett" in text and "[1]" in text
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    assert {"title", "page", "section", "source", "quote"} <= set(citations[0])
    assert any(c["source"] == "skole.txt" and "nettbrett" in c["quote"] for c in citations)
    assert conversation_id


def test_ask_continues_a_conversation(app_url):
    url, session = app_url
    client = Client(url, verbose=False)
    _, _, conversation_id = _ask(client, "Hva skal elevene få innen 2025?")
    _, _, again = _ask(client, "Og lærerne?", conversation_id)
    assert again == conversation_id
    [owner_conv] = [c for c in session.store.conversations("browser:api") if c.id == conversation_id]
    assert len(session.store.turns("browser:api", owner_conv.id)) == 2


def test_login_is_honoured_by_the_api(settings):
    from assistant.settings import AppSettings

    with running_app(settings, AppSettings(user="kari", password="hemmelig-1")) as (url, _):
        with pytest.raises(Exception):  # noqa: B017 - the client refuses in its own words
            _ask(Client(url, verbose=False), "Hva skal elevene få innen 2025?")
        text, citations, _ = _ask(
            Client(url, auth=("kari", "hemmelig-1"), verbose=False), "Hva skal elevene få innen 2025?"
        )
        assert "nettbrett" in text and citations


def _status(outputs) -> str:
    return next(o for o in outputs if isinstance(o, str) and o.startswith("**"))


def test_broken_upload_is_refused_and_changes_nothing(app_url, tmp_path):
    url, session = app_url
    before = sorted(session.assistant.documents)
    broken = tmp_path / "ødelagt.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    status = _status(Client(url, verbose=False).predict(handle_file(str(broken)), api_name="/add_report"))
    assert "Ikke lagt til" in status and "ødelagt" in status.lower() and "Ingenting er endret." in status
    assert "Error" not in status and ".." not in status
    assert sorted(session.assistant.documents) == before
    assert not (session.ingest.corpus_dir / broken.name).exists()


def test_good_upload_is_indexed_and_searchable(app_url, tmp_path):
    url, session = app_url
    new = tmp_path / "sky.txt"
    new.write_text("Kommunen flytter e-post og lagring til en skytjeneste i 2026.", encoding="utf-8")
    client = Client(url, verbose=False)
    status = _status(client.predict(handle_file(str(new)), api_name="/add_report"))
    assert "Ferdig" in status and "Lagt til: 1" in status
    assert "sky.txt" in session.assistant.documents
    text, _, _ = _ask(client, "Når flytter kommunen e-posten til skyen?")
    assert "skytjeneste" in text


def test_readme_upload_says_it_is_not_indexed(app_url, tmp_path):
    url, session = app_url
    readme = tmp_path / "README.md"
    readme.write_text("# Om korpuset\n\nNotater.", encoding="utf-8")
    status = _status(Client(url, verbose=False).predict(handle_file(str(readme)), api_name="/add_report"))
    assert "ikke indeksert" in status and "Ferdig" not in status


def test_edit_and_delete_a_report_through_the_app(app_url):
    url, session = app_url
    client = Client(url, verbose=False)
    status = _status(client.predict("helse.md", "Velferd", "KS", "2018", "", "", api_name="/edit_report"))
    assert "Lagret" in status and session.assistant.documents["helse.md"]["title"] == "Velferd"
    status = _status(client.predict("helse.md", api_name="/delete_report"))
    assert "Slettet" in status and "helse.md" not in session.assistant.documents


def _form(**values):
    from assistant.decision.present import FORM_FIELDS

    return [
        values.get(f.name.replace(".", "__"), f.default if f.kind in ("bool", "choice") else None) for f in FORM_FIELDS
    ]


BAERUM = dict(
    name="Bærum kommune",
    population=116_000,
    centrality="Sentral",
    maturity=3,
    it_cost_per_inhabitant=1050,
    maturity_areas__styring=2,
    maturity_areas__porteføljestyring=2,
    maturity_areas__gevinstrealisering=2,
    digitalisation_central_to_attractiveness="Nei",
    major_sector_challenges="Nei",
)


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
    reply, citations, _ = _ask(
        Client(url, verbose=False),
        "Vi er en distriktskommune med 4 000 innbyggere og lav modenhet — hvilket scenario passer?",
    )
    assert "4 000" in reply or "4000" in reply
    assert "S1" in reply or "S2" in reply or "Formidler" in reply or "Tilrettelegger" in reply
