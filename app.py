"""Veivalg in the browser. Layout and calls only: the logic lives in assistant/."""

from __future__ import annotations

import html
import os

import gradio as gr

from assistant.core import Assistant
from assistant.settings import Settings
from ingest.errors import VeivalgError

HOST = os.environ.get("VEIVALG_HOST", "127.0.0.1")
PORT = int(os.environ.get("VEIVALG_PORT", "7860"))


def render_hits(assistant: Assistant, question: str) -> str:
    try:
        hits = assistant.retrieve(question, k=5)
    except VeivalgError as exc:
        raise gr.Error(str(exc)) from exc
    if not hits:
        return "Ingen treff i rapportene."
    parts = []
    for rank, p in enumerate(hits, start=1):
        parts.append(f"**{rank}. {html.escape(p.cite())}**\n\n> {html.escape(p.text)}")
    return "\n\n".join(parts)


def build(assistant: Assistant) -> gr.Blocks:
    with gr.Blocks(title="Veivalg") as demo:
        gr.Markdown("# Veivalg\nSøk i rapportene om kommunal IT- og digitaliseringsstrategi.")
        question = gr.Textbox(label="Spørsmål", placeholder="Hvilket ambisjonsnivå anbefalte BCG for Bærum?")
        results = gr.Markdown()
        question.submit(lambda q: render_hits(assistant, q), question, results)
        gr.Button("Søk").click(lambda q: render_hits(assistant, q), question, results)
    return demo


if __name__ == "__main__":
    build(Assistant.load(Settings.from_env())).launch(server_name=HOST, server_port=PORT)
