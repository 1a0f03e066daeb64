"""Veivalg in the browser: chat with the reports, decision tools, and the report library.

Layout and event wiring only; the logic lives in assistant/ (Session in assistant/chat/session.py)
and ingest/ (the report library in ingest/library.py).
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from app_chrome import (
    CSS,
    OPEN_CITATION,
    PAGE_SCRIPT,
    SCROLL_TO_ANSWER,
    SCROLL_TO_SOURCE,
    TRANSLATIONS_NB,
    NorwegianPage,
)
from assistant.chat.conversations import SQLiteConversationStore, Turn
from assistant.chat.library import (
    report_choices,
    report_rows,
    welcome_markdown,
)
from assistant.chat.session import Session
from assistant.render.presenter import escape_text
from assistant.settings import AppSettings, Settings
from assistant.types import Answer
from ingest.embed.embedders import load_plugins
from ingest.errors import VeivalgError
from ingest.logs import configure_logging
from ingest.settings import IngestSettings

__all__ = ["CSS", "Session", "build", "launch_options", "main"]
log = logging.getLogger("veivalg.app")

EXAMPLES = [
    "Hvilket ambisjonsnivå anbefalte BCG for Bærum, og hvorfor?",
    "Hva er forskjellen på scenariene Tilrettelegger, Formidler og Leverandør?",
    "Hvordan har Silkeborg og Viborg organisert samarbeidet sitt?",
    "Hva koster IKT per innbygger i Bærum sammenlignet med K10-kommunene?",
    "Hvilket ambisjonsnivå passer for oss?",
]
NO_SOURCE = "<p class='vv-meta'>Klikk på et kildenummer, for eksempel [1], i svaret for å se teksten det bygger på.</p>"


def _notice(message: str) -> gr.Error:
    """A gentle prompt, not an "Error" toast."""
    return gr.Error(message, title="Merk", print_exception=False)


def _browser(browser_id: str, request: gr.Request | None) -> str:
    """This browser's id; before the page's load event has stored one, the page's own session id, so a
    question sent at once and the load event agree on who asked."""
    return browser_id or getattr(request, "session_hash", None) or uuid.uuid4().hex


def _owner(browser_id: str, request: gr.Request | None) -> str:
    """The logged-in user, or this browser's own id when no login is set."""
    user = getattr(request, "username", None) if request is not None else None
    return f"user:{user}" if user else f"browser:{_browser(browser_id, request)}"


def build(session: Session) -> gr.Blocks:
    from app_decision import decision_reply, decision_tab
    from app_library import filter_updates, library_tab

    store = session.store
    with gr.Blocks(title="Veivalg") as demo:
        browser_id = gr.BrowserState("", storage_key="veivalg-browser")
        conversation = gr.State("")  # the open conversation's id ("" until the first question)
        turns = gr.State([])  # list[Turn] of the open conversation
        feedback_id = gr.State(None)

        with gr.Sidebar(label="Samtaler", open=False, elem_id="vv-sidebar"):
            new_chat = gr.Button("Ny samtale", variant="primary", elem_id="vv-new")
            history = gr.Radio([], label="Tidligere samtaler", elem_id="vv-history")
            rename_box = gr.Textbox(label="Nytt navn på samtalen", placeholder="Skriv et navn", elem_id="vv-rename")
            with gr.Row():
                rename = gr.Button("Gi nytt navn", size="sm")
                delete = gr.Button("Slett samtalen", size="sm", variant="stop", elem_id="vv-delete")
            with gr.Row():
                export_md = gr.Button("Last ned (Markdown)", size="sm", elem_id="vv-export-md")
                export_docx = gr.Button("Last ned (Word)", size="sm", elem_id="vv-export-docx")
            export_file = gr.File(label="Eksportert samtale", visible=False, elem_id="vv-export-file")

        gr.Markdown(
            "# Veivalg\nBeslutningsstøtte for kommunal IT- og digitaliseringsstrategi, med kilder fra rapportene."
        )
        with gr.Tab("Spør", elem_id="vv-chat-tab"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=320):
                    chatbot = gr.Chatbot(
                        label="Samtale",
                        show_label=False,
                        height=560,
                        elem_id="vv-chat",
                        autoscroll=False,
                        buttons=["copy"],
                        placeholder=welcome_markdown(session.documents),
                        examples=[{"text": q} for q in EXAMPLES],
                        feedback_options=("Like", "Dislike"),
                        layout="bubble",
                    )
                with gr.Column(scale=2, min_width=300, visible=False, elem_id="vv-source-panel") as source_panel:
                    source_view = gr.HTML(NO_SOURCE, elem_id="vv-source-view")
                    page_image = gr.Image(
                        label="Siden i rapporten",
                        type="filepath",
                        visible=False,
                        elem_id="vv-page",
                        buttons=["fullscreen"],
                        interactive=False,
                    )
                    original = gr.DownloadButton("Last ned rapporten", visible=False, elem_id="vv-original", size="sm")
                    close_source = gr.Button("Lukk kilden", size="sm")
            with gr.Row(visible=False, elem_id="vv-feedback-row") as feedback_row:
                comment = gr.Textbox(label="Kommentar til tilbakemeldingen (valgfritt)", scale=4, elem_id="vv-comment")
                send_comment = gr.Button("Send kommentar", scale=1, elem_id="vv-send-comment")
            question = gr.Textbox(
                label="Spørsmål", placeholder="Skriv et spørsmål og trykk Enter", elem_id="vv-question"
            )
            with gr.Row():
                send = gr.Button("Spør", variant="primary", elem_id="vv-send", scale=3)
                stop = gr.Button("Stopp", variant="secondary", elem_id="vv-stop", scale=1, min_width=90)
            with gr.Accordion("Filtre", open=False, elem_id="vv-filters"):
                reports = gr.Dropdown(
                    report_choices(session.documents), multiselect=True, label="Rapporter", elem_id="vv-filter-reports"
                )
                countries = gr.CheckboxGroup([], label="Land", elem_id="vv-filter-countries")
                languages = gr.CheckboxGroup([], label="Språk", elem_id="vv-filter-languages")
            cite_key = gr.Textbox(visible=False)
            cite_open = gr.Button("Åpne kilde", visible="hidden", elem_id="vv-cite-open")

        profile_state, tool_state = decision_tab(session)

        table, edit_choice, admin_area, reader_note = library_tab(session, [reports, countries, languages], chatbot)

        def library_access(request: gr.Request):
            """Server mode: only admins see the library's controls (the handlers check again)."""
            allowed = session.server is None or session.server.is_admin(getattr(request, "username", None))
            return gr.update(visible=allowed), gr.update(visible=not allowed)

        demo.load(library_access, None, [admin_area, reader_note], api_visibility="private")

        def history_update(owner: str, selected: str | None = None):
            return gr.update(choices=[(c.title, c.id) for c in store.conversations(owner)], value=selected or None)

        def on_load(bid, request: gr.Request):
            bid = _browser(bid, request)
            owner = _owner(bid, request)
            latest = next(iter(store.conversations(owner)), None)
            docs = session.documents
            # Nothing saved: leave the chat alone (a question may already be on its way).
            conv_id: str | dict[str, Any] = gr.update()
            saved: list[Turn] | dict[str, Any] = gr.update()
            messages = gr.update(placeholder=welcome_markdown(docs))
            if latest is not None:
                latest_turns = store.turns(owner, latest.id)
                conv_id, saved = latest.id, latest_turns
                messages = gr.update(value=session.messages(latest_turns), placeholder=welcome_markdown(docs))
            return (
                bid,
                conv_id,
                saved,
                messages,
                history_update(owner, latest.id if latest else None),
                gr.update(value=[r.as_list() for r in report_rows(docs)]),
                *filter_updates(docs),
                gr.update(choices=report_choices(docs)),
            )

        demo.load(
            on_load,
            [browser_id],
            [browser_id, conversation, turns, chatbot, history, table, reports, countries, languages, edit_choice],
            api_visibility="private",
        )

        # --- asking ----------------------------------------------------------------------
        def respond(message, saved, conv_id, bid, form, previous_tool, rep, cty, lang, request: gr.Request):
            saved = list(saved or [])
            message = (message or "").strip()
            if not message:
                raise _notice("Skriv et spørsmål først.")
            bid = _browser(bid, request)  # a question may come before the page's load event has finished
            owner = _owner(bid, request)
            pending = session.messages(saved) + [{"role": "user", "content": escape_text(message)}]
            tool_text, tool_reply = decision_reply(message, form, previous_tool)
            if tool_text is not None:
                saved.append(Turn(message, tool_text))
                conv_id = session.remember(owner, conv_id, saved[-1])
                yield session.messages(saved), "", saved, conv_id, history_update(owner, conv_id), tool_reply, bid
                return
            partial = ""
            try:
                for piece in session.stream(message, saved, rep, cty, lang):
                    if isinstance(piece, Answer):
                        saved.append(Turn(message, piece.text, piece))
                        conv_id = session.remember(owner, conv_id, saved[-1])
                        yield session.messages(saved), "", saved, conv_id, history_update(owner, conv_id), None, bid
                        return
                    partial += piece
                    yield (
                        pending + [{"role": "assistant", "content": escape_text(partial)}],
                        "",
                        saved,
                        conv_id,
                        gr.update(),
                        None,
                        bid,
                    )
            except VeivalgError as exc:
                reply = f"**Beklager.** {escape_text(str(exc))}"
                yield (
                    pending + [{"role": "assistant", "content": reply}],
                    message,
                    saved,
                    conv_id,
                    gr.update(),
                    None,
                    bid,
                )

        ask_inputs = [
            question,
            turns,
            conversation,
            browser_id,
            profile_state,
            tool_state,
            reports,
            countries,
            languages,
        ]
        ask_outputs = [chatbot, question, turns, conversation, history, tool_state, browser_id]
        submitted = question.submit(respond, ask_inputs, ask_outputs, api_visibility="private")
        clicked = send.click(respond, ask_inputs, ask_outputs, api_visibility="private")
        for event in (submitted, clicked):
            event.then(None, js=SCROLL_TO_ANSWER)
        stop.click(None, cancels=[submitted, clicked])

        def pick_example(evt: gr.SelectData):
            return evt.value["text"] if isinstance(evt.value, dict) else str(evt.value)

        example = chatbot.example_select(pick_example, None, question, api_visibility="private")
        example.then(respond, ask_inputs, ask_outputs, api_visibility="private").then(None, js=SCROLL_TO_ANSWER)

        # --- sources ---------------------------------------------------------------------
        def open_source(key, saved):
            opened = session.open_source(saved or [], key or "")
            if opened is None:
                return gr.update(visible=True), NO_SOURCE, gr.update(visible=False), gr.update(visible=False)
            return (
                gr.update(visible=True),
                opened.html,
                gr.update(value=str(opened.page_image), visible=True, label=f"Side {opened.page} i rapporten")
                if opened.page_image
                else gr.update(value=None, visible=False),
                gr.update(
                    value=str(opened.original),
                    visible=True,
                    label=f"Last ned originalfilen ({opened.original.suffix.lstrip('.')})",
                )
                if opened.original
                else gr.update(visible=False),
            )

        cite_open.click(
            open_source,
            [cite_key, turns],
            [source_panel, source_view, page_image, original],
            js=OPEN_CITATION,
            api_visibility="private",
        ).then(None, js=SCROLL_TO_SOURCE)
        close_source.click(lambda: gr.update(visible=False), None, source_panel, api_visibility="private")

        # --- feedback --------------------------------------------------------------------
        def on_like(saved, conv_id, bid, evt: gr.LikeData, request: gr.Request):
            index = evt.index if isinstance(evt.index, int) else evt.index[0]
            liked = evt.liked if isinstance(evt.liked, bool) else evt.liked == "Like"
            record = session.feedback(_owner(bid, request), conv_id, saved or [], index // 2, liked)
            if record is None:
                return None, gr.update(visible=False)
            gr.Info("Takk for tilbakemeldingen. Skriv gjerne en kommentar.", title="Lagret")
            return record, gr.update(visible=True)

        chatbot.like(on_like, [turns, conversation, browser_id], [feedback_id, feedback_row], api_visibility="private")

        def on_comment(record, text, bid, request: gr.Request):
            if record is None or not (text or "").strip():
                raise _notice("Skriv en kommentar først.")
            store.set_comment(record, _owner(bid, request), text)
            gr.Info("Kommentaren er lagret.", title="Takk")
            return "", gr.update(visible=False)

        send_comment.click(
            on_comment, [feedback_id, comment, browser_id], [comment, feedback_row], api_visibility="private"
        )

        # --- conversations ---------------------------------------------------------------
        def reset():
            return "", [], [], gr.update(visible=False), NO_SOURCE, None, gr.update(visible=False)

        reset_outputs = [conversation, turns, chatbot, source_panel, source_view, tool_state, feedback_row]

        def refresh_history(bid, request: gr.Request):
            return history_update(_owner(bid, request))

        new_chat.click(reset, None, reset_outputs, api_visibility="private").then(
            refresh_history, [browser_id], history, api_visibility="private"
        )
        chatbot.clear(reset, None, reset_outputs, api_visibility="private")

        def open_conversation(conv_id, bid, request: gr.Request):
            if not conv_id:
                return gr.update(), gr.update(), gr.update(), gr.update()
            saved = store.turns(_owner(bid, request), conv_id)
            return conv_id, saved, session.messages(saved), gr.update(visible=False)

        history.input(
            open_conversation,
            [history, browser_id],
            [conversation, turns, chatbot, source_panel],
            api_visibility="private",
        )

        def do_rename(conv_id, title, bid, request: gr.Request):
            if not conv_id or not (title or "").strip():
                raise _notice("Velg en samtale og skriv et nytt navn først.")
            owner = _owner(bid, request)
            store.rename(owner, conv_id, title)
            return history_update(owner, conv_id), ""

        rename.click(do_rename, [conversation, rename_box, browser_id], [history, rename_box], api_visibility="private")

        def do_delete(conv_id, bid, request: gr.Request):
            if conv_id == "__cancel__":
                return (*[gr.update()] * len(reset_outputs), gr.update())
            if not conv_id:
                raise _notice("Ingen samtale er åpen.")
            owner = _owner(bid, request)
            store.delete(owner, conv_id)
            return (*reset(), history_update(owner))

        delete.click(
            do_delete,
            [conversation, browser_id],
            [*reset_outputs, history],
            api_visibility="private",
            js="(c, b) => confirm('Slette samtalen? Dette kan ikke angres.') ? [c, b] : ['__cancel__', b]",
        )

        def do_export(kind):
            def run(conv_id, bid, request: gr.Request):
                try:
                    path = session.export(_owner(bid, request), conv_id, kind)
                except VeivalgError as exc:
                    raise _notice(str(exc)) from exc
                return gr.update(value=str(path), visible=True)

            return run

        export_md.click(do_export("md"), [conversation, browser_id], export_file, api_visibility="private")
        export_docx.click(do_export("docx"), [conversation, browser_id], export_file, api_visibility="private")

        # --- the API for scripts ---------------------------------------------------------
        def ask(
            question: str, conversation_id: str = "", request: gr.Request | None = None
        ) -> tuple[str, list[dict], str]:
            """Answer text with [n] markers, the citations (n, title, page, section, source, quote), and the conversation id."""
            tool_text, _ = decision_reply(question, None, None)
            if tool_text is not None:
                return tool_text, [], conversation_id
            try:
                return session.api_ask(_owner("api", request), question, conversation_id)
            except VeivalgError as exc:
                raise gr.Error(str(exc)) from exc

        gr.api(ask, api_name="ask")
    return demo


def launch_options(app: AppSettings | None = None, session: Session | None = None) -> dict:
    """What both `python app.py` and the tests pass to launch(): look, page script, Norwegian, login
    (in server mode against the user store)."""
    server = getattr(session, "server", None)  # None: embedded mode (or a stand-in session)
    return dict(
        css=CSS,
        head=PAGE_SCRIPT,
        footer_links=[],
        show_error=True,
        i18n=gr.I18n(nb=TRANSLATIONS_NB),
        app_kwargs={"middleware": [Middleware(NorwegianPage)]},
        auth=server.verify if server is not None else (app.auth if app else None),
    )


def main() -> None:
    from assistant.tempfiles import start_cleaner
    from ingest.index.files import index_exists
    from ingest.pipeline import refresh

    configure_logging("INFO", os.environ)
    try:
        app = AppSettings.from_env()  # first: a half-set login must stop the start, not be ignored
        load_plugins(os.environ)
    except VeivalgError as exc:
        raise SystemExit(f"Feil: {exc}") from None
    settings = Settings.from_env()
    ingest = IngestSettings.from_env(index_dir=settings.index_dir)
    if settings.database_url:  # server mode: the index, conversations, users and jobs in PostgreSQL
        from server.setup import server_session

        session = server_session(settings, ingest)
    else:
        if not index_exists(settings.index_dir):
            refresh(ingest)
        session = Session(settings, ingest, store=SQLiteConversationStore(app.store_path))
    session.warm_up()
    start_cleaner()  # export folders (veivalg-*) older than an hour
    # Questions run side by side (a slow model must not hold up the others); uploads one at a time.
    demo = build(session).queue(default_concurrency_limit=app.concurrency)
    demo.launch(
        server_name=app.host, server_port=app.port, state_session_capacity=app.sessions, **launch_options(app, session)
    )


if __name__ == "__main__":
    main()
