"""Veivalg in the browser: chat with the reports, decision tools, and the report library.

Layout and calls only; the logic lives in assistant/ (and ingest/ behind it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant.core import Assistant
from assistant.library import TABLE_HEADERS, add_report, report_rows
from assistant.presenter import (
    citation_choices,
    display_markdown,
    escape_text,
    export_markdown,
    source_view_html,
)
from assistant.retrieval import Filters
from assistant.settings import AppSettings, Settings
from assistant.types import Answer
from ingest.errors import VeivalgError
from ingest.settings import IngestSettings

EXAMPLES = [
    "Hvilket ambisjonsnivå anbefalte BCG for Bærum, og hvorfor?",
    "Hva er forskjellen på scenariene Tilrettelegger, Formidler og Leverandør?",
    "Hvordan har Silkeborg og Viborg organisert samarbeidet sitt?",
    "Hva koster IKT per innbygger i Bærum sammenlignet med K10-kommunene?",
    "Hvilket ambisjonsnivå passer for oss?",
]
CSS = """
.vv-source mark { background: #ffe08a; padding: 0 2px; }
.vv-meta { color: #555; font-size: 0.9em; margin-bottom: 0.5em; }
.vv-context { color: #777; font-size: 0.9em; }
.vv-heading { font-weight: 600; margin: 0.3em 0; }
"""


class Session:
    """The loaded assistant, reloaded after the corpus changes."""

    def __init__(self, settings: Settings, ingest: IngestSettings) -> None:
        self.settings = settings
        self.ingest = ingest
        self.assistant = Assistant.load(settings)

    def reload(self) -> None:
        self.assistant = Assistant.load(self.settings)

    def warm_up(self) -> None:
        """Load the embedder, spaCy and the lexicons now, not during the first person's question."""
        self.assistant.ask("Hva anbefaler rapportene om IKT-samarbeid?")

    def report_choices(self) -> list[tuple[str, str]]:
        return [(f"{d['title']} ({name})", name) for name, d in sorted(self.assistant.documents.items())]


def _filters(reports, countries, languages) -> Filters:
    return Filters(
        sources=frozenset(reports or ()) or None,
        countries=frozenset(countries or ()) or None,
        languages=frozenset(languages or ()) or None,
    )


def build(session: Session) -> gr.Blocks:
    from app_decision import decision_reply, decision_tab

    with gr.Blocks(title="Veivalg") as demo:
        turns = gr.State([])  # (question, answer text) pairs for follow-up questions
        last_answer = gr.State(None)
        gr.Markdown("# Veivalg\nBeslutningsstøtte for kommunal IT- og digitaliseringsstrategi, med kilder fra rapportene.")
        with gr.Tab("Spør rapportene"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Samtale", height=520, elem_id="vv-chat")
                    question = gr.Textbox(label="Spørsmål", placeholder="Skriv et spørsmål og trykk Enter", elem_id="vv-question")
                    with gr.Row():
                        send = gr.Button("Spør", variant="primary", elem_id="vv-send")
                        clear = gr.Button("Ny samtale")
                        export = gr.Button("Eksporter siste svar (Markdown)")
                    export_file = gr.File(label="Eksportert svar", visible=False)
                    gr.Examples(EXAMPLES, inputs=question, label="Eksempler på spørsmål")
                with gr.Column(scale=2):
                    with gr.Accordion("Filtre", open=False):
                        reports = gr.Dropdown(session.report_choices(), multiselect=True, label="Rapporter")
                        countries = gr.CheckboxGroup([("Norge", "NO"), ("Danmark", "DK")], label="Land")
                        languages = gr.CheckboxGroup([("Bokmål", "nb"), ("Nynorsk", "nn"), ("Dansk", "da"), ("Engelsk", "en")], label="Språk")
                    sources = gr.Radio([], label="Kilder i siste svar (klikk for å åpne)", elem_id="vv-sources")
                    source_view = gr.HTML("<p>Klikk på en kilde for å se teksten.</p>", elem_id="vv-source-view")

        profile_state, tool_state = decision_tab(session)

        with gr.Tab("Rapporter"):
            gr.Markdown("Rapportene i indeksen. Last opp en ny rapport (PDF, tekst, Markdown eller Word) for å legge den til.")
            table = gr.Dataframe(value=[r.as_list() for r in report_rows(session.assistant.documents)], headers=TABLE_HEADERS, interactive=False)
            upload = gr.File(label="Ny rapport", file_types=[".pdf", ".txt", ".md", ".docx"])
            add = gr.Button("Legg til og oppdater indeksen")
            status = gr.Markdown()

        def respond(message, history, past, form, previous_tool, rep, cty, lang):
            history = list(history or [])
            past = list(past or [])
            message = (message or "").strip()
            if not message:
                raise gr.Error("Skriv et spørsmål først.")
            history.append({"role": "user", "content": escape_text(message)})
            tool_text, tool_reply = decision_reply(message, form, previous_tool)
            if tool_text is not None:
                history.append({"role": "assistant", "content": tool_text})
                yield history, "", past, gr.update(), gr.update(), gr.update(), tool_reply
                return
            history.append({"role": "assistant", "content": "…"})
            partial = ""
            try:
                for piece in session.assistant.stream_ask(message, past, _filters(rep, cty, lang)):
                    if isinstance(piece, Answer):
                        history[-1] = {"role": "assistant", "content": display_markdown(piece)}
                        past = [*past, (message, piece.text)][-6:]
                        choices = citation_choices(piece)
                        yield history, "", past, piece, gr.update(choices=choices, value=None), "<p>Klikk på en kilde for å se teksten.</p>", None
                        return
                    partial += piece
                    history[-1] = {"role": "assistant", "content": escape_text(partial)}
                    yield history, "", past, gr.update(), gr.update(), gr.update(), None
            except VeivalgError as exc:
                history[-1] = {"role": "assistant", "content": f"**Feil:** {escape_text(str(exc))}"}
                yield history, message, past, gr.update(), gr.update(), gr.update(), None

        outputs = [chatbot, question, turns, last_answer, sources, source_view, tool_state]
        inputs = [question, chatbot, turns, profile_state, tool_state, reports, countries, languages]
        question.submit(respond, inputs, outputs, api_name="ask")
        send.click(respond, inputs, outputs, api_name=False)
        clear.click(
            lambda: ([], [], None, gr.update(choices=[], value=None), "", None), None,
            [chatbot, turns, last_answer, sources, source_view, tool_state], api_name=False,
        )

        def open_source(label, answer):
            if not label or answer is None:
                return "<p>Klikk på en kilde for å se teksten.</p>"
            n = int(label[1 : label.index("]")])
            return source_view_html(session.assistant.source_view(answer, n))

        sources.change(open_source, [sources, last_answer], source_view, api_name="source")

        def do_export(answer):
            if answer is None:
                raise gr.Error("Still et spørsmål først; da kan svaret eksporteres.")
            path = Path(tempfile.mkdtemp(prefix="veivalg-")) / "veivalg-svar.md"
            path.write_text(export_markdown(answer), encoding="utf-8")
            return gr.update(value=str(path), visible=True)

        export.click(do_export, last_answer, export_file, api_name="export")

        def do_add(file, progress=gr.Progress()):  # noqa: B008 - how Gradio injects its progress bar
            if file is None:
                raise gr.Error("Velg en fil først.")
            path = Path(file if isinstance(file, str) else file.name)
            try:
                report = add_report(path, path.name, session.ingest, progress=lambda stage, done, total: progress((done, max(total, 1)), desc=stage))
            except VeivalgError as exc:
                return gr.update(), f"**Ikke lagt til.** {escape_text(str(exc))} Ingenting er endret.", gr.update()
            session.reload()
            rows = [r.as_list() for r in report_rows(session.assistant.documents)]
            summary = escape_text(report.summary()).replace("\n", "  \n")
            return rows, f"**Ferdig.** {summary}", gr.update(choices=session.report_choices())

        add.click(do_add, upload, [table, status, reports], api_name="add_report", concurrency_limit=1)
    return demo


def main() -> None:
    from assistant.tempfiles import start_cleaner
    from ingest.index_store import index_exists
    from ingest.pipeline import refresh

    try:
        app = AppSettings.from_env()  # first: a half-set login must stop the start, not be ignored
    except VeivalgError as exc:
        raise SystemExit(f"Feil: {exc}") from None
    settings = Settings.from_env()
    ingest = IngestSettings.from_env(index_dir=settings.index_dir)
    if not index_exists(settings.index_dir):
        refresh(ingest)
    session = Session(settings, ingest)
    session.warm_up()
    start_cleaner()  # export folders (veivalg-*) older than an hour
    # Questions run side by side (a slow model must not hold up the others); uploads one at a time.
    demo = build(session).queue(default_concurrency_limit=app.concurrency)
    demo.launch(server_name=app.host, server_port=app.port, auth=app.auth, css=CSS, show_error=True,
                state_session_capacity=app.sessions)


if __name__ == "__main__":
    main()
