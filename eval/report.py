"""The Markdown report of an eval run: every figure with the settings that produced it."""

from __future__ import annotations

import json

METRICS = ("hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10")


def _table(rows: dict[str, dict], label: str) -> list[str]:
    lines = [f"| {label} | n | " + " | ".join(METRICS) + " |", "|---|---:|" + "---:|" * len(METRICS)]
    for name, m in rows.items():
        if not m.get("n"):
            continue
        lines.append(f"| {name} | {m['n']} | " + " | ".join(f"{m.get(x, float('nan')):.3f}" for x in METRICS) + " |")
    return lines


def markdown_report(results: dict) -> str:
    cfg = results["config"]
    out = [
        "# Veivalg retrieval evaluation",
        "",
        f"Commit `{cfg['commit']}`, {cfg['date']}. Gold set `{cfg['gold']}`: {cfg['questions']} questions, "
        f"{cfg['answerable']} answerable (retrieval is scored on these). k = {cfg['k']}.",
        "",
        f"- Embedder: `{cfg['embedder']}`",
        f"- Chunking: `{json.dumps(cfg['chunking'])}` ({cfg['index_chunks']} chunks)",
        f"- Retrieval: `{json.dumps(cfg['retrieval'])}`",
        "- Hit rule: a passage covers at least half of the word 5-grams of one evidence string.",
        f"- `retrieve` latency (warm, Veivalg): p50 {results['latency_ms']['p50']:.1f} ms, p95 {results['latency_ms']['p95']:.1f} ms",
        "",
    ]
    for split, title in (
        ("heldout", "Held-out part (not used for tuning)"),
        ("tune", "Tuning part"),
        ("all", "All questions"),
    ):
        out += [f"## {title}", ""]
        out += _table({name: s[split] for name, s in results["systems"].items()}, "system")
        out.append("")
    if "answers" in results:
        a = results["answers"]
        out += [
            f"## Answers ({cfg.get('answer_mode', 'extractive')})",
            "",
            "| part | answer-fact recall | citation support | abstains when unanswerable | answers when answerable |",
            "|---|---:|---:|---:|---:|",
        ]
        for split, title in (("heldout", "held-out"), ("tune", "tuning"), ("all", "all")):
            m = a[split]
            out.append(
                f"| {title} | {m['fact_recall']:.3f} | {m['citation_support']:.3f} ({m['citations']} citations) | "
                f"{m['abstained_when_unanswerable']}/{m['unanswerable']} | {m['answered_when_answerable']}/{m['answerable']} |"
            )
        out += [
            "",
            "| part | citation precision | false refusals | median words (answer body) | unanswerable: refused + marked uncertain | answerable marked uncertain |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for split, title in (("heldout", "held-out"), ("tune", "tuning"), ("all", "all")):
            m = a[split]
            out.append(
                f"| {title} | {m['citation_precision']:.3f} | {m['false_refusals']}/{m['answerable']} | {m['median_words']:.0f} | "
                f"{m['abstained_when_unanswerable']} + {m.get('tentative_when_unanswerable', 0)}/{m['unanswerable']} | "
                f"{m.get('tentative_when_answerable', 0)}/{m['answerable']} |"
            )
        out += [
            "",
            "Held-out half by language:",
            "",
            "| language | fact recall | citation precision | false refusals | refused when unanswerable | median words |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for lang, m in a.get("heldout_by_lang", {}).items():
            out.append(
                f"| {lang} | {m['fact_recall']:.3f} | {m['citation_precision']:.3f} | {m['false_refusals']}/{m['answerable']} | "
                f"{m['abstained_when_unanswerable']}/{m['unanswerable']} | {m['median_words']:.0f} |"
            )
        out += [
            "",
            f"`ask` latency (warm): p50 {a['latency_ms']['p50']:.1f} ms, p95 {a['latency_ms']['p95']:.1f} ms",
            "",
        ]
    if "answer_curve" in results:
        out += [
            "## Recall/precision curve of the offline answer (held-out half)",
            "",
            "| operating point | fact recall | citation precision | median words | citations |",
            "|---|---:|---:|---:|---:|",
        ]
        out += [
            f"| {r['system']} | {r['fact_recall']:.3f} | {r['citation_precision']:.3f} | {r['median_words']:.0f} | {r['citations']} |"
            for r in results["answer_curve"]
        ]
        out.append("")
    for key, title in (("lang", "language"), ("type", "question type"), ("doc", "report")):
        out += [f"## Veivalg by {title} (all questions)", ""]
        out += _table(results["breakdown"][key], title)
        out.append("")
    misses = [r for r in results["systems"]["Veivalg"]["rows"] if r["rank"] is None]
    if misses:
        out += ["## Veivalg misses (no hit in top k)", ""]
        out += [f"- `{r['id']}` ({r['lang']}, {r['type']}): top sources {', '.join(r['top_sources'])}" for r in misses]
        out.append("")
    return "\n".join(out)
