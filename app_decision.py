"""Placeholder while the decision tab is wired in."""

import gradio as gr


def decision_tab(session):
    with gr.Tab("Beslutningsverktøy"):
        gr.Markdown("Kommer.")
    return gr.State(None)


def decision_reply(message, form):
    return None
