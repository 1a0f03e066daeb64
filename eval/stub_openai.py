"""A tiny OpenAI-compatible server for tests and the load benchmark: POST /v1/chat/completions, JSON or SSE, on 127.0.0.1.

It answers every request with one canned text (or one HTTP error status) and records the JSON
bodies it received, so a test can check what actually went over the wire. ``mode`` makes it
misbehave like real servers do: "html" (a proxy's error page with status 200), "garbage"
(non-JSON), "empty" (a 200 with no body), "hang" (trickles SSE keep-alives and never answers,
until ``release()`` or ``hang_s`` seconds). ``hang_when`` limits the misbehaviour to requests
whose body contains that text, so one hung call can sit among good ones.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubOpenAI:
    def __init__(
        self, answer: str, status: int = 200, mode: str = "ok", hang_s: float = 60.0, hang_when: str | None = None
    ) -> None:
        self.answer = answer
        self.status = status
        self.mode = mode
        self.hang_s = hang_s
        self.hang_when = hang_when
        self.released = threading.Event()
        self.requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> StubOpenAI:
        self._thread.start()
        return self

    def release(self) -> None:
        """End every hung response now."""
        self.released.set()

    def __exit__(self, *exc) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _completion(content: str, model: str) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(delta: dict, model: str, finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def _handler(stub: StubOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            stub.requests.append({"path": self.path, "body": body})
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            if stub.status != 200:
                error = {"error": {"message": "stub failure", "type": "server_error"}}
                self._send(stub.status, json.dumps(error).encode())
                return
            model = body.get("model", "stub")
            mode = (
                stub.mode if stub.hang_when is None or stub.hang_when in json.dumps(body, ensure_ascii=False) else "ok"
            )
            if mode != "ok":
                self._misbehave(mode, bool(body.get("stream")))
                return
            if not body.get("stream"):
                self._send(200, json.dumps(_completion(stub.answer, model)).encode())
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(_chunk({"role": "assistant", "content": ""}, model))
            for token in re.findall(r"\S+\s*|\s+", stub.answer):  # word by word, like a real model
                self.wfile.write(_chunk({"content": token}, model))
                self.wfile.flush()
            self.wfile.write(_chunk({}, model, finish="stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def _misbehave(self, mode: str, stream: bool) -> None:
            if mode == "html":
                self._send(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
            elif mode == "garbage":
                body = b"data: {not json at all\n\n" if stream else b"{not json"
                self._send(200, body, "text/event-stream" if stream else "application/json")
            elif mode == "empty":
                self._send(200, b"", "text/event-stream" if stream else "application/json")
            elif mode == "hang":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                # A bounded trickle: a keep-alive comment every 0.2 s resets any read timeout.
                for _ in range(int(stub.hang_s / 0.2)):
                    if stub.released.wait(0.2):
                        break
                    try:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                    except OSError:
                        return

    return Handler
