"""The whole server mode as ``make server`` starts it, with Debian's nginx in front (ip_hash) of two
app replicas and two workers, on a real PostgreSQL (hash embedder, a small corpus).

An upload through nginx (replica A) is answered by replica B; a conversation started on A goes on
on B; a reader cannot change the library. Skipped only where nginx is missing and cannot be
installed (``make nginx`` installs it as root).
"""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest

from tests.server.test_jobs import ENV, wait_jobs

pytest.importorskip("procrastinate")
gradio_client = pytest.importorskip("gradio_client")
QUESTION = "Hva skal kommunen gjøre med trygghetsalarmer?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, pg_server):
    from server.launch import (
        Cluster,
        database_url,
        ensure_admin,
        nginx_binary,
        seed_library,
        start_nginx,
        start_replica,
        start_worker,
        stop_processes,
        wait_http,
    )
    from server.users import UserStore

    if nginx_binary() is None:
        pytest.skip(
            "nginx mangler (Debian-pakken nginx; «make nginx» installerer den som root): klyngetesten hoppes over."
        )
    root = tmp_path_factory.mktemp("cluster")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "skole.txt").write_text(
        "SKOLE\n\nKommunen skal gi alle elever egne nettbrett innen 2025. Lærerne får opplæring i digitale verktøy.",
        encoding="utf-8",
    )
    url = database_url(pg_server, "cluster")
    from server.jobs import install

    install(url)
    admin = ensure_admin(url, {"VEIVALG_ADMIN_PASSWORD": "admin-passord"})
    assert admin == ("admin", "admin-passord")
    UserStore(url).add("leser", "leser-passord", "reader")
    c = Cluster(
        folder=root / "server",
        app_ports=(free_port(), free_port()),
        listen=f"127.0.0.1:{free_port()}",
        env={**ENV, "VEIVALG_CORPUS": str(corpus)},
    )
    try:
        workers = [start_worker(c, url, n) for n in (1, 2)]
        seeded = seed_library(url, corpus)
        wait_jobs(url, seeded, _Logs(c))
        replicas = [start_replica(c, url, port) for port in c.app_ports]
        for port, proc in zip(c.app_ports, replicas, strict=True):
            wait_http(f"http://127.0.0.1:{port}/", 300, proc)
        start_nginx(c)
        wait_http(c.public_url, 30)
        yield c, url, workers
    finally:
        stop_processes(c, grace_s=5)


class _Logs:
    def __init__(self, c) -> None:
        self.c = c

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.c.logs.glob("*.log")))


def replica_behind_nginx(public_url: str) -> int:
    with urllib.request.urlopen(public_url, timeout=10) as response:
        return int(response.headers["X-Veivalg-Replica"].rsplit(":", 1)[1])


def message_of(result) -> str:
    """The status message among a library endpoint's outputs (the others are component updates)."""
    return next(x for x in result if isinstance(x, str))


def client(url: str, user: str, password: str):
    return gradio_client.Client(url, auth=(user, password), verbose=False)


def test_upload_through_nginx_is_answered_by_the_other_replica(cluster, tmp_path: Path):
    c, url, _ = cluster
    a = replica_behind_nginx(c.public_url)
    assert a in c.app_ports
    assert replica_behind_nginx(c.public_url) == a  # sticky (ip_hash)
    b = next(port for port in c.app_ports if port != a)

    report = tmp_path / "helse.md"
    report.write_text(
        "# Helse\n\nKommunen innfører digitale trygghetsalarmer for hjemmeboende eldre. "
        "Alarmene kobles til en felles responssentral.",
        encoding="utf-8",
    )
    through_nginx = client(c.public_url, "admin", "admin-passord")
    result = through_nginx.predict(gradio_client.handle_file(str(report)), api_name="/add_report")
    status = message_of(result)
    assert "Lagt i kø" in status, status
    job_id = int(status.split("jobb ")[1].split(";")[0])
    (row,) = wait_jobs(url, [job_id], _Logs(c))
    assert row.status == "succeeded", row

    on_b = client(f"http://127.0.0.1:{b}/", "admin", "admin-passord")
    text, citations, conversation = on_b.predict(QUESTION, api_name="/ask")
    assert citations and citations[0]["source"] == "helse.md", (text, citations)

    # The conversation started on B goes on through nginx (replica A), from the shared store.
    text2, _, same = through_nginx.predict("Og hva med responssentralen?", conversation, api_name="/ask")
    assert same == conversation
    from server.conversations import PgConversationStore

    turns = PgConversationStore(url).turns("user:admin", conversation)
    assert [t.question for t in turns] == [QUESTION, "Og hva med responssentralen?"]


def test_a_reader_cannot_change_the_library(cluster, tmp_path: Path):
    c, url, _ = cluster
    from server.files import ReportFiles

    before = sorted(ReportFiles(url).names())
    report = tmp_path / "ny.txt"
    report.write_text("NY RAPPORT\n\nEn rapport en leser prøver å legge til.", encoding="utf-8")
    reader = client(c.public_url, "leser", "leser-passord")
    result = reader.predict(gradio_client.handle_file(str(report)), api_name="/add_report")
    assert "Ikke tillatt" in message_of(result), result
    deleted = reader.predict(before[0], api_name="/delete_report")
    assert "administratorer" in message_of(deleted), deleted
    assert sorted(ReportFiles(url).names()) == before
    # Readers still ask (and see only their own conversations).
    _, citations, conversation = reader.predict("Hva får elevene?", api_name="/ask")
    assert citations
    from server.conversations import PgConversationStore

    store = PgConversationStore(url)
    assert conversation in {x.id for x in store.conversations("user:leser")}
    assert conversation not in {x.id for x in store.conversations("user:admin")}
