"""Load and soak benchmark of the real app (`python -m eval bench load`), all on 127.0.0.1.

The app runs as its own process (``python app.py``), exactly as deployed, with a language model
configured: the loopback OpenAI stub (eval/stub_openai.py). Clients call the app's HTTP API
(``/gradio_api/call/ask``), each a fresh session, like a browser tab. Every loop is bounded.

- load: 1, 4 and 8 clients asking questions side by side, without and with one hung model call
  (the stub trickles keep-alives for that one question and never answers); answers/s, p50, p95,
  and what the hung question's asker got and when.
- soak: N questions (5 000 by default) from 4 clients; the app's resident memory at start, every
  tenth of the way, and at the end.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from eval.metrics import percentile
from eval.stub_openai import StubOpenAI

GOLD = Path("eval/gold/dev.jsonl")
# A cited sentence the stub returns for every question (the verifier drops it unless a passage
# supports it; either way the model path runs end to end).
STUB_ANSWER = "Rapportene beskriver IKT-samarbeid mellom kommuner [1]."
HUNG_QUESTION = "Hvilket ambisjonsnivå anbefalte BCG for Bærum, og hvorfor?"
ASK_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Reply:
    seconds: float
    ok: bool
    text: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RunningApp:
    """``python app.py`` on a free loopback port, with the given environment; stopped on exit."""

    def __init__(self, index: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full = {
            **os.environ,
            "VEIVALG_INDEX": str(index),
            "VEIVALG_HOST": "127.0.0.1",
            "VEIVALG_PORT": str(self.port),
            **env,
        }
        for name in ("VEIVALG_USER", "VEIVALG_PASSWORD"):
            full.pop(name, None)
        self.process = subprocess.Popen(
            [sys.executable, "app.py"], env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    def __enter__(self) -> RunningApp:
        import httpx

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                raise RuntimeError(f"app stopped: {err[-2000:]}")
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("app did not start within 300 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def rss_mb(self) -> float:
        return _rss_mb(self.process.pid)


def ask(client, url: str, question: str) -> Reply:
    """One question through the app's API, as a new session; the final chat text."""
    started = time.perf_counter()
    try:
        r = client.post(f"{url}/gradio_api/call/ask", json={"data": [question, [], [], [], []]}, timeout=ASK_TIMEOUT_S)
        event = r.json()["event_id"]
        last, kind = None, None
        with client.stream("GET", f"{url}/gradio_api/call/ask/{event}", timeout=ASK_TIMEOUT_S) as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:") and kind in ("generating", "complete"):
                    last = line[5:].strip()
                if kind in ("complete", "error") and line.startswith("data:"):
                    break
        chat = json.loads(last)[0] if last and last != "null" else []
        content = chat[-1]["content"] if chat else ""
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        return Reply(time.perf_counter() - started, kind == "complete" and bool(text), text)
    except Exception as exc:  # noqa: BLE001 - a failed request is a data point, not a crash
        return Reply(time.perf_counter() - started, False, f"{type(exc).__name__}: {exc}")


def _clients(url: str, questions: list[str], clients: int, per_client: int) -> tuple[list[Reply], float]:
    import httpx

    replies: list[Reply] = []
    lock = threading.Lock()

    def work(offset: int) -> None:
        with httpx.Client() as client:
            for i in range(per_client):
                reply = ask(client, url, questions[(offset * per_client + i) % len(questions)])
                with lock:
                    replies.append(reply)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=ASK_TIMEOUT_S * per_client)
    return replies, time.perf_counter() - started


def _line(label: str, replies: list[Reply], seconds: float) -> str:
    times = [r.seconds * 1000 for r in replies if r.ok]
    failed = sum(1 for r in replies if not r.ok)
    if not times:
        return f"{label}: no answers ({failed} failed)"
    return (
        f"{label}: {len(times)} answers in {seconds:.1f} s = {len(times) / seconds:.1f} answers/s, "
        f"p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms, failed {failed}"
    )


def _questions() -> list[str]:
    from eval.gold import load_gold

    return [q.question for q in load_gold(GOLD) if q.question != HUNG_QUESTION]


def bench_load(index: Path = Path("index"), per_client: int = 25, deadline_s: float = 30.0) -> None:
    import httpx

    questions = _questions()
    with StubOpenAI(STUB_ANSWER, mode="hang", hang_s=deadline_s * 3, hang_when=HUNG_QUESTION) as stub:
        env = {
            "VEIVALG_LLM_PROVIDER": "openai",
            "VEIVALG_LLM_BASE_URL": stub.url,
            "VEIVALG_LLM_MODEL": "stub",
            "VEIVALG_LLM_TIMEOUT_S": str(deadline_s),
        }
        with RunningApp(index, env) as app:
            print(
                f"app on {app.url}, model: loopback stub, deadline {deadline_s:g} s, {per_client} questions per client"
            )
            _clients(app.url, questions, 2, per_client * 4)  # warm-up, not counted: every question once
            for hung in (False, True):
                for clients in (1, 4, 8):
                    hung_reply: list[Reply] = []
                    worker = None
                    if hung:

                        def ask_hung(out: list[Reply] = hung_reply) -> None:
                            with httpx.Client() as client:
                                out.append(ask(client, app.url, HUNG_QUESTION))

                        worker = threading.Thread(target=ask_hung, daemon=True)
                        worker.start()
                        time.sleep(1.0)  # the hung call is at the model before the others start
                    replies, seconds = _clients(app.url, questions, clients, per_client)
                    print(_line(f"  {clients} client(s){' + 1 hung model call' if hung else ''}", replies, seconds))
                    if worker is not None:
                        worker.join(timeout=deadline_s * 3)
                        r = hung_reply[0] if hung_reply else None
                        fell_back = bool(r and "uten språkmodell" in r.text)
                        print(
                            f"    the hung question: answered after {r.seconds:.1f} s, extractive fallback with a note: {fell_back}"
                            if r
                            else "    the hung question: no reply"
                        )
                        stub.released.clear()
            print(f"app memory after the load runs: {app.rss_mb():.0f} MB")


def bench_soak(index: Path = Path("index"), total: int = 5000, clients: int = 4, sessions: int | None = None) -> None:
    questions = _questions()
    env = {"VEIVALG_LLM_PROVIDER": "none"}
    if sessions is not None:
        env["VEIVALG_SESSIONS"] = str(sessions)
    with RunningApp(index, env) as app:
        start = app.rss_mb()
        print(
            f"soak: {total} questions, {clients} clients, each question a new session; app memory at start {start:.0f} MB"
        )
        per_step = max(1, total // 10 // clients)
        done, failed, began = 0, 0, time.perf_counter()
        while done < total:
            replies, _ = _clients(app.url, questions[done % len(questions) :] + questions, clients, per_step)
            done += len(replies)
            failed += sum(1 for r in replies if not r.ok)
            print(f"  {done:>5} questions: {app.rss_mb():.0f} MB")
        end = app.rss_mb()
        print(
            f"soak: start {start:.0f} MB, end {end:.0f} MB ({(end - start) * 1024 / done:.1f} KB per question), "
            f"{failed} failed, {done / (time.perf_counter() - began):.1f} answers/s"
        )
