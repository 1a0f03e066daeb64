"""The decision-tools tab of the app: the profile form, results per tool, and the memo.

Layout and calls only; the logic lives in assistant/decision/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant.decision import (
    ProfileError,
    assess_ambition,
    assess_scenarios,
    benchmark,
    benchmark_chart,
    build_memo,
)
from assistant.decision.chat import route
from assistant.decision.memo import DEFAULT_AUTHOR
from assistant.decision.present import (
    FORM_FIELDS,
    FORM_GROUPS,
    ambition_chart,
    ambition_markdown,
    ambition_table,
    benchmark_markdown,
    benchmark_table,
    profile_from_form,
    scenario_chart,
    scenario_table,
    scenarios_markdown,
)
from assistant.decision.sync import changed_fields, merge_chat_facts


def _input(field):
    if field.kind == "text":
        return gr.Textbox(label=field.label, info=field.info or None)
    if field.kind == "number":
        # A text box: Gradio's number box shows 0 before anything is typed (read as an answer), and
        # Norwegian figures ("116 000", "2,5") are read by the profile itself, with its messages.
        return gr.Textbox(label=field.label, value="", info=field.info or None, placeholder="tall")
    default = field.default if field.default in field.labels else None
    if field.kind == "bool":
        return gr.Radio(field.labels, value=default, label=field.label)
    return gr.Dropdown(field.labels, value=default, label=field.label)


def _png(data: bytes, name: str) -> str:
    path = Path(tempfile.mkdtemp(prefix="veivalg-")) / name
    path.write_bytes(data)
    return str(path)


def evaluate(values: dict):
    """Run the three tools on the form's profile; a bad value becomes a clear message."""
    try:
        profile = profile_from_form(values)
    except ProfileError as exc:
        raise gr.Error(str(exc), title="Sjekk profilen", print_exception=False) from exc
    amb, scen, bench = assess_ambition(profile), assess_scenarios(profile), benchmark(profile)
    return profile, amb, scen, bench


def decision_reply(message: str, form: dict | None, previous):
    """(Markdown, ToolReply) when the chat message is a decision question, else (None, None)."""
    reply = route(message, form or None, previous)
    return (reply.markdown, reply) if reply is not None else (None, None)


def decision_tab(session) -> tuple[gr.State, gr.State]:
    form_state = gr.State({})
    tool_state = gr.State(None)
    with gr.Tab("Beslutningsverktøy"):
        gr.Markdown(
            "Fyll inn det dere vet om kommunen (bare navn og innbyggertall er påkrevd), og trykk **Vurder kommunen**. "
            "Verktøyene anbefaler ambisjonsnivå (BCG 2013), vurderer samarbeidsscenariene (Devoteam 2011) og "
            "sammenligner kostnad og modenhet med rapportene — hver konklusjon med sitat og side. "
            "Profilen brukes også i chatten («Hvilket ambisjonsnivå passer for oss?»)."
        )
        inputs = {}
        with gr.Row():
            for group in FORM_GROUPS:
                with gr.Column():
                    gr.Markdown(f"### {group}")
                    for field in (f for f in FORM_FIELDS if f.group == group):
                        inputs[field.name] = _input(field)
        with gr.Row():
            author = gr.Textbox("", label="Notatet er utarbeidet av", placeholder=DEFAULT_AUTHOR)
            organisation = gr.Textbox("", label="Organisasjon", placeholder="F.eks. rådgivningsfirma eller kommune")
        with gr.Row():
            run = gr.Button("Vurder kommunen", variant="primary", elem_id="vv-evaluate")
            memo = gr.Button("Lag anbefalingsnotat (Word + Markdown)", elem_id="vv-memo")
        memo_files = gr.File(label="Anbefalingsnotat", file_count="multiple", visible=False)
        with gr.Tab("Ambisjonsnivå"):
            amb_md = gr.Markdown(elem_id="vv-ambition")
            amb_table = gr.Dataframe(interactive=False, wrap=True)
            amb_img = gr.Image(label="Poeng per nivå", type="filepath", height=260)
        with gr.Tab("Samarbeidsscenario"):
            scen_md = gr.Markdown(elem_id="vv-scenarios")
            scen_table = gr.Dataframe(interactive=False, wrap=True)
            scen_img = gr.Image(label="Vektet sum per scenario", type="filepath", height=260)
        with gr.Tab("Benchmark"):
            bench_md = gr.Markdown()
            bench_table = gr.Dataframe(interactive=False, wrap=True)
            bench_img = gr.Image(label="Kostnad per innbygger", type="filepath", height=300)

    names = list(inputs)
    fields = [inputs[n] for n in names]

    # One profile for chat and form: every edit of the form reaches the chat at once ...
    # always_last: edits made while one update runs are not dropped; the newest form wins.
    gr.on(
        [f.change for f in fields],
        lambda *raw: dict(zip(names, raw, strict=True)),
        fields,
        form_state,
        api_name=False,
        show_progress="hidden",
        trigger_mode="always_last",
    )

    # ... and facts stated in the chat fill the form.
    def on_chat_facts(reply, form):
        if reply is None or not reply.facts:
            return [gr.update() for _ in names] + [gr.update()]
        merged = merge_chat_facts(form, reply.facts)
        changed = set(changed_fields(form, merged))
        return [gr.update(value=merged[n]) if n in changed else gr.update() for n in names] + [merged]

    tool_state.change(
        on_chat_facts, [tool_state, form_state], [*fields, form_state], api_visibility="private", show_progress="hidden"
    )

    def on_run(*raw):
        values = dict(zip(names, raw, strict=True))
        profile, amb, scen, bench = evaluate(values)
        (ah, ar), (sh, sr), (bh, br) = ambition_table(amb), scenario_table(scen), benchmark_table(bench)
        return (
            values,
            ambition_markdown(amb, profile.name),
            gr.update(value=ar, headers=ah),
            _png(ambition_chart(amb), "ambisjon.png"),
            scenarios_markdown(scen, profile.name),
            gr.update(value=sr, headers=sh),
            _png(scenario_chart(scen), "scenario.png"),
            benchmark_markdown(bench),
            gr.update(value=br, headers=bh),
            _png(benchmark_chart(bench), "benchmark.png"),
        )

    run.click(
        on_run,
        [inputs[n] for n in names],
        [form_state, amb_md, amb_table, amb_img, scen_md, scen_table, scen_img, bench_md, bench_table, bench_img],
        api_name="evaluate",
    )

    def on_memo(*raw):
        *form, who, org = raw
        values = dict(zip(names, form, strict=True))
        profile, amb, scen, bench = evaluate(values)
        result = build_memo(profile, amb, scen, bench, author=who or "", organisation=org or "")
        folder = Path(tempfile.mkdtemp(prefix="veivalg-notat-"))
        docx = result.to_docx(folder / result.file_name(".docx"))
        md = folder / result.file_name(".md")
        md.write_text(result.to_markdown(embed_chart=True), encoding="utf-8")  # one file, chart included
        return values, gr.update(value=[str(docx), str(md)], visible=True)

    # Author and organisation come last, so the form's fields keep their positions in the API.
    memo.click(on_memo, [*fields, author, organisation], [form_state, memo_files], api_name="memo")
    return form_state, tool_state
