"""The report library tab: what the current index holds, upload (asking before replacing), edit, delete.

Layout and event wiring only; the library API is ingest/library.py (re-exported by assistant/chat/library.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

import gradio as gr

from assistant.chat.library import (
    EDITABLE_LANGUAGES,
    TABLE_HEADERS,
    DuplicateReport,
    NotIndexed,
    ReportExists,
    add_report,
    country_choices,
    delete_report,
    edit_metadata,
    language_choices,
    report_choices,
    report_rows,
    welcome_markdown,
)
from assistant.render.presenter import escape_text
from ingest.documents import DocumentRecord
from ingest.errors import VeivalgError
from server.library import JOB_HEADERS, NotAllowed


class _Queue(TypedDict):
    concurrency_limit: int
    concurrency_id: str


def filter_updates(docs: Mapping[str, DocumentRecord]) -> tuple:
    """New choices for the chat's report, country and language filters."""
    return (
        gr.update(choices=report_choices(docs)),
        gr.update(choices=country_choices(docs)),
        gr.update(choices=language_choices(docs)),
    )


def library_tab(session, filters: list, chatbot) -> tuple[gr.Dataframe, gr.Dropdown, gr.Column, gr.Markdown]:
    """Build the tab; every change refreshes the table, the chat's ``filters`` and the welcome in ``chatbot``."""
    with gr.Tab("Rapporter", elem_id="vv-library-tab"):
        gr.Markdown(
            "Rapportene i indeksen, lest fra indeksen hver gang siden åpnes og etter hver endring. "
            "Last opp en ny rapport (PDF, tekst, Markdown eller Word) for å legge den til."
        )
        table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, elem_id="vv-reports", wrap=True)
        # Readers see the library but not these (and the handlers check the role again on the server).
        with gr.Column(elem_id="vv-library-admin") as admin_area:
            upload = gr.File(label="Ny rapport", file_types=[".pdf", ".txt", ".md", ".docx"], elem_id="vv-upload")
            add = gr.Button("Legg til og oppdater indeksen", variant="primary", elem_id="vv-add")
            with gr.Row(visible=False) as conflict_row:
                replace_btn = gr.Button("Erstatt", variant="stop", elem_id="vv-replace")
                keep_both = gr.Button("Behold begge", elem_id="vv-keep-both")
                cancel_add = gr.Button("Avbryt")
            with gr.Accordion("Endre eller slett en rapport", open=False, elem_id="vv-edit"):
                # Custom values too: a script may name a report added after this page was built (checked by the library).
                edit_choice = gr.Dropdown(
                    report_choices(session.documents),
                    label="Rapport",
                    elem_id="vv-edit-choice",
                    allow_custom_value=True,
                )
                with gr.Row():
                    edit_title = gr.Textbox(label="Tittel")
                    edit_publisher = gr.Textbox(label="Utgiver")
                with gr.Row():
                    edit_year = gr.Textbox(label="År", placeholder="for eksempel 2020")
                    edit_country = gr.Dropdown([("ukjent", ""), ("Norge", "NO"), ("Danmark", "DK")], label="Land")
                    edit_language = gr.Dropdown(EDITABLE_LANGUAGES, label="Språk")
                with gr.Row():
                    save_meta = gr.Button("Lagre endringene", variant="primary", elem_id="vv-save-meta")
                    delete_report_btn = gr.Button("Slett rapporten", variant="stop", elem_id="vv-delete-report")
        status = gr.Markdown(elem_id="vv-library-status")
        reader_note = gr.Markdown(
            "Du kan lese rapportene, men bare administratorer kan endre biblioteket.",
            visible=False,
            elem_id="vv-library-reader",
        )
        # Server mode: changes run as jobs on the workers; their progress, refreshed every two seconds.
        with gr.Accordion("Innlesingsjobber", open=True, visible=session.server is not None, elem_id="vv-jobs-box"):
            jobs_table = gr.Dataframe(
                headers=JOB_HEADERS,
                interactive=False,
                elem_id="vv-jobs",
                wrap=True,
                column_widths=["6%", "9%", "20%", "8%", "7%", "18%", "32%"],
            )
        timer = gr.Timer(2.0, active=session.server is not None)

    # --- the library, read from the current index ------------------------------------
    def library_updates():
        docs = session.documents
        rows = [r.as_list() for r in report_rows(docs)]
        return (
            gr.update(value=rows),
            *filter_updates(docs),
            gr.update(choices=report_choices(docs)),
            gr.update(placeholder=welcome_markdown(docs)),
        )

    library_outputs = [table, *filters, edit_choice, chatbot]

    # --- the report library ----------------------------------------------------------
    def do_add(file, on_conflict, request: gr.Request | None = None, progress=gr.Progress()):  # noqa: B008 - how Gradio injects its progress bar
        if file is None:
            raise gr.Error("Velg en fil først.", title="Merk", print_exception=False)
        path = Path(file if isinstance(file, str) else file.name)
        original_name = getattr(file, "orig_name", None) or path.name
        try:
            if session.server is not None:  # server mode: stored and queued; the jobs table shows the rest
                queued = session.server.add(_user(request), path, original_name, on_conflict=on_conflict)
                return (
                    *[gr.update()] * len(library_outputs),
                    f"**Lagt i kø.** {escape_text(queued.message())}",
                    gr.update(visible=False),
                    None,
                )
            change = add_report(
                path,
                original_name,
                session.ingest,
                on_conflict=on_conflict,
                progress=lambda stage, done, total: progress((done, max(total, 1)), desc=stage, unit="steg"),
            )
        except NotAllowed as exc:
            return (
                *[gr.update()] * len(library_outputs),
                f"**Ikke tillatt.** {escape_text(str(exc))}",
                gr.update(visible=False),
                gr.update(),
            )
        except ReportExists as exc:
            return (
                *[gr.update()] * len(library_outputs),
                f"**Filnavnet finnes fra før.** {escape_text(str(exc))}",
                gr.update(visible=True),
                gr.update(),
            )
        except (DuplicateReport, NotIndexed) as exc:
            return (
                *[gr.update()] * len(library_outputs),
                f"**Ikke lagt til.** {escape_text(str(exc))}",
                gr.update(visible=False),
                gr.update(),
            )
        except VeivalgError as exc:
            message = str(exc).rstrip(".")
            return (
                *[gr.update()] * len(library_outputs),
                f"**Ikke lagt til.** {escape_text(message)}. Ingenting er endret.",
                gr.update(visible=False),
                gr.update(),
            )
        session.reload()
        summary = escape_text(change.message()).replace("\n", "  \n")
        return (*library_updates(), f"**Ferdig.** {summary}", gr.update(visible=False), None)  # ready for the next file

    add_outputs = [*library_outputs, status, conflict_row, upload]
    # Changes to the library run one at a time, in one queue, beside any number of questions.
    one_at_a_time: _Queue = {"concurrency_limit": 1, "concurrency_id": "library"}

    def add_ask(f, request: gr.Request):
        return do_add(f, "ask", request)

    def add_replace(f, request: gr.Request):
        return do_add(f, "replace", request)

    def add_keep_both(f, request: gr.Request):
        return do_add(f, "keep_both", request)

    add.click(add_ask, upload, add_outputs, api_name="add_report", **one_at_a_time)
    replace_btn.click(add_replace, upload, add_outputs, api_visibility="private", **one_at_a_time)
    keep_both.click(add_keep_both, upload, add_outputs, api_visibility="private", **one_at_a_time)
    cancel_add.click(
        lambda: ("Ingenting er endret.", gr.update(visible=False), None),
        None,
        [status, conflict_row, upload],
        api_visibility="private",
    )

    def pick_report(name):
        d = session.documents.get(name or "", {})
        return (
            d.get("title") or "",
            d.get("publisher") or "",
            d.get("year") or "",
            d.get("country") or "",
            d.get("language") or "",
        )

    edit_fields = [edit_title, edit_publisher, edit_year, edit_country, edit_language]
    edit_choice.input(pick_report, edit_choice, edit_fields, api_visibility="private")

    def do_edit(name, title, publisher, year, country, language, request: gr.Request):
        if not name:
            raise gr.Error("Velg en rapport først.", title="Merk", print_exception=False)
        try:
            if session.server is not None:
                queued = session.server.edit(
                    _user(request),
                    name,
                    title=title,
                    publisher=publisher,
                    year=year,
                    country=country,
                    language=language,
                )
                return (*[gr.update()] * len(library_outputs), f"**Lagt i kø.** {escape_text(queued.message())}")
            change = edit_metadata(
                name, session.ingest, title=title, publisher=publisher, year=year, country=country, language=language
            )
        except VeivalgError as exc:
            return (*[gr.update()] * len(library_outputs), f"**Ikke lagret.** {escape_text(str(exc))}")
        session.reload()
        return (*library_updates(), f"**Lagret.** {escape_text(change.message())}".replace("\n", "  \n"))

    save_meta.click(
        do_edit, [edit_choice, *edit_fields], [*library_outputs, status], api_name="edit_report", **one_at_a_time
    )

    def do_delete_report(name, request: gr.Request):
        if not name:
            return (*[gr.update()] * len(library_outputs), "Ingenting er slettet.")
        try:
            if session.server is not None:
                queued = session.server.delete(_user(request), name)
                return (*[gr.update()] * len(library_outputs), f"**Lagt i kø.** {escape_text(queued.message())}")
            change = delete_report(name, session.ingest)
        except VeivalgError as exc:
            return (*[gr.update()] * len(library_outputs), f"**Ikke slettet.** {escape_text(str(exc))}")
        session.reload()
        return (*library_updates(), f"**Slettet.** {escape_text(change.message())}".replace("\n", "  \n"))

    delete_report_btn.click(
        do_delete_report,
        edit_choice,
        [*library_outputs, status],
        api_name="delete_report",
        **one_at_a_time,
        js="(n) => (n && confirm('Slette rapporten fra biblioteket og indeksen?')) ? n : null",
    )

    # --- server mode: the jobs, and the library once a job has made a new version live ----------
    def tick():
        if session.server is None:
            return (gr.update(), *[gr.update()] * len(library_outputs))
        rows = [r.as_list() for r in session.server.jobs()]
        if session.assistant.follow_index():
            return (gr.update(value=rows), *library_updates())
        return (gr.update(value=rows), *[gr.update()] * len(library_outputs))

    timer.tick(tick, None, [jobs_table, *library_outputs], api_visibility="private", show_progress="hidden")

    return table, edit_choice, admin_area, reader_note


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request is not None else None
