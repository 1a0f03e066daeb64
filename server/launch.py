"""``make server`` / ``make server-stop``: the whole server mode on 127.0.0.1.

A local PostgreSQL (``LocalPostgres`` under data/server/pg), its schema (Alembic, procrastinate),
an admin user if there is none, two ingestion workers, two app replicas (7861, 7862) and nginx on
127.0.0.1:8080 with sticky sessions. Every process writes a pid file in data/server/run and a log in
data/server/logs, so ``stop`` finds them again. The pieces are functions so the tests and the
cluster benchmark start the same processes.

On the first start, when the database holds no reports, the reports in corpus/ are stored in it and
enqueued as one job each; the launcher shows the jobs' progress and starts the replicas once the
first index version is live (the workers share the reports between them).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import VeivalgError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")


@dataclass(frozen=True)
class Cluster:
    """Where the processes live and listen."""

    folder: Path = Path("data/server")
    app_ports: tuple[int, ...] = (7861, 7862)
    workers: int = 2
    listen: str = "127.0.0.1:8080"
    env: Mapping[str, str] = field(default_factory=dict)  # extra environment for workers and replicas

    @property
    def run(self) -> Path:
        return self.folder / "run"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def public_url(self) -> str:
        return f"http://{self.listen}/"


def say(message: str) -> None:
    print(message, flush=True)  # noqa: T201 - the launcher talks to the person who ran make server


# --- processes ------------------------------------------------------------------------------


def spawn(cluster: Cluster, name: str, args: list[str], env: Mapping[str, str]) -> subprocess.Popen:
    """Start a detached process (it outlives the launcher), with a pid file and a log."""
    cluster.run.mkdir(parents=True, exist_ok=True)
    cluster.logs.mkdir(parents=True, exist_ok=True)
    log = open(cluster.logs / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    # The launcher's secrets stay with it (and the app refuses login-like variables it does not know).
    inherited = {k: v for k, v in os.environ.items() if k not in ("VEIVALG_ADMIN_PASSWORD", "VEIVALG_NEW_PASSWORD")}
    proc = subprocess.Popen(
        args,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env={**inherited, **env},
        start_new_session=True,
    )
    log.close()
    (cluster.run / f"{name}.pid").write_text(str(proc.pid))
    return proc


def child_env(cluster: Cluster, url: str, **extra: str) -> dict[str, str]:
    return {"VEIVALG_DATABASE_URL": url, "PYTHONUNBUFFERED": "1", **cluster.env, **extra}


def start_worker(cluster: Cluster, url: str, n: int) -> subprocess.Popen:
    return spawn(
        cluster,
        f"worker-{n}",
        [sys.executable, "-m", "server", "worker", "--name", f"worker-{n}"],
        child_env(cluster, url),
    )


def start_replica(cluster: Cluster, url: str, port: int) -> subprocess.Popen:
    host, _, _ = cluster.listen.partition(":")
    env = child_env(cluster, url, VEIVALG_PORT=str(port), VEIVALG_HOST=host)
    return spawn(cluster, f"app-{port}", [sys.executable, str(ROOT / "app.py")], env)


def nginx_binary() -> str | None:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def nginx_config(cluster: Cluster) -> Path:
    """data/server/nginx/nginx.conf from the template, for this cluster's ports."""
    prefix = (cluster.folder / "nginx").resolve()
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    upstreams = "\n".join(f"        server 127.0.0.1:{port};" for port in cluster.app_ports)
    text = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("@PREFIX@", str(prefix))
        .replace("@LISTEN@", cluster.listen)
        .replace("@UPSTREAMS@", upstreams)
    )
    conf = prefix / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


def start_nginx(cluster: Cluster) -> None:
    binary = nginx_binary()
    if binary is None:
        raise VeivalgError("nginx er ikke installert. Kjør «make nginx» (som root) eller installer Debians nginx.")
    conf = nginx_config(cluster)
    prefix = conf.parent
    subprocess.run(
        [binary, "-t", "-q", "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf)], check=True
    )
    # nginx daemonises itself and writes its own pid file; ours points at it for stop().
    subprocess.run([binary, "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf)], check=True)
    pid = _wait_for_file(prefix / "nginx.pid", 10)
    cluster.run.mkdir(parents=True, exist_ok=True)
    (cluster.run / "nginx.pid").write_text(pid)


def _wait_for_file(path: Path, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    raise VeivalgError(f"{path} ble ikke skrevet.")


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None) -> None:
    """Until ``url`` answers (any HTTP status); fails early when ``proc`` has exited."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise VeivalgError(f"Prosessen for {url} stoppet (kode {proc.returncode}); se loggen.")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise VeivalgError(f"{url} svarte ikke innen {timeout_s:.0f} s.")


def stop_processes(cluster: Cluster, grace_s: float = 15) -> list[str]:
    """SIGTERM every process with a pid file (nginx: its master), SIGKILL after ``grace_s``."""
    stopped = []
    pids: dict[str, int] = {}
    for pid_file in sorted(cluster.run.glob("*.pid")) if cluster.run.exists() else []:
        try:
            pids[pid_file.stem] = int(pid_file.read_text().strip())
        except ValueError:
            pass
        pid_file.unlink(missing_ok=True)
    for name, pid in pids.items():
        try:
            os.kill(pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            stopped.append(name)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + grace_s
    for pid in pids.values():
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    return stopped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child of ours that has exited is a zombie until reaped
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


# --- the database -----------------------------------------------------------------------------


def database_url(server_url: str, name: str = "veivalg") -> str:
    """The URL of database ``name`` on the server ``server_url`` points at; created if missing."""
    import psycopg

    from server.db import plain_url

    with psycopg.connect(plain_url(server_url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = server_url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def ensure_admin(url: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """Create user «admin» when the store has no admin; returns (name, password) when it did."""
    from server.users import UserStore

    users = UserStore(url)
    if any(u.role == "admin" for u in users.users()):
        return None
    password = environ.get("VEIVALG_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    users.add("admin", password, "admin")
    return "admin", password


def seed_library(url: str, corpus_dir: Path) -> list[int]:
    """Store corpus/'s reports and enqueue one job each, when the database holds no reports."""
    from ingest.load.manifest import read_corpus_manifest
    from ingest.pipeline import corpus_files
    from server.files import ReportFiles
    from server.jobs import add_report, make_app

    files = ReportFiles(url)
    if files.names():
        return []
    entries = read_corpus_manifest(corpus_dir)
    stored = []
    for path in corpus_files(corpus_dir):
        data = path.read_bytes()
        files.put(path.name, data, {k: str(v) for k, v in entries.get(path.name, {}).items()})
        stored.append((path.name, data))
    import hashlib

    with make_app(url).open():
        return [add_report.defer(name=name, content_hash=hashlib.sha256(data).hexdigest()) for name, data in stored]


def wait_for_jobs(url: str, job_ids: list[int], timeout_s: float, show: bool = True) -> None:
    """Until these jobs have finished, printing their progress as it changes."""
    from server.jobs import recent_jobs

    deadline, last = time.monotonic() + timeout_s, ""
    while time.monotonic() < deadline:
        rows = [r for r in recent_jobs(url, limit=max(50, len(job_ids) * 2)) if r.id in job_ids]
        line = "; ".join(f"{r.report or r.task}: {r.as_list()[3]} {r.as_list()[5]}".strip() for r in rows)
        if show and line != last:
            say(f"  jobber: {line}")
            last = line
        if rows and len(rows) == len(job_ids) and all(r.finished for r in rows):
            failed = [r for r in rows if r.status != "succeeded"]
            if failed:
                raise VeivalgError(f"{len(failed)} jobb(er) feilet; se {', '.join(r.message for r in failed)}.")
            return
        time.sleep(1)
    raise VeivalgError(f"Jobbene ble ikke ferdige innen {timeout_s:.0f} s.")


# --- make server / make server-stop -------------------------------------------------------------


def start(cluster: Cluster | None = None, environ: Mapping[str, str] | None = None) -> str:
    cluster = cluster or Cluster()
    if any(cluster.run.glob("*.pid")) if cluster.run.exists() else False:
        raise VeivalgError("Servermodus kjører allerede (eller ble ikke stoppet); kjør «make server-stop» først.")
    try:
        return _start(cluster, os.environ if environ is None else environ)
    except BaseException:
        stop(cluster)  # nothing left half-started
        raise


def _start(cluster: Cluster, env: Mapping[str, str]) -> str:
    from server.jobs import install
    from server.postgres import LocalPostgres

    say(f"Starter PostgreSQL i {cluster.folder / 'pg'} ...")
    url = env.get("VEIVALG_DATABASE_URL") or database_url(
        LocalPostgres(cluster.folder / "pg", keep_running=True).start()
    )
    install(url)
    admin = ensure_admin(url, env)
    # A generated password is said at once (a start that fails later must not lose it); one the
    # operator chose (VEIVALG_ADMIN_PASSWORD) is never echoed to the terminal or its logs.
    shown = (
        "fra VEIVALG_ADMIN_PASSWORD"
        if env.get("VEIVALG_ADMIN_PASSWORD")
        else f"«{admin[1]}» (vises bare nå)"
        if admin
        else ""
    )
    if admin:
        say(f"Opprettet brukeren «{admin[0]}» med passordet {shown}.")
    for n in range(1, cluster.workers + 1):
        start_worker(cluster, url, n)
    say(f"{cluster.workers} arbeidere startet.")
    seeded = seed_library(url, Path(env.get("VEIVALG_CORPUS", "corpus")))
    if seeded:
        say(
            f"Databasen hadde ingen rapporter: {len(seeded)} rapporter fra corpus/ er lagt i kø (første gang tar det noen minutter)."
        )
        wait_for_jobs(url, seeded, timeout_s=1800)
    replicas = [start_replica(cluster, url, port) for port in cluster.app_ports]
    for port, proc in zip(cluster.app_ports, replicas, strict=True):
        wait_http(f"http://127.0.0.1:{port}/", 600, proc)
    say(f"{len(replicas)} app-replikaer startet ({', '.join(map(str, cluster.app_ports))}).")
    start_nginx(cluster)
    wait_http(cluster.public_url, 30)
    say(f"\nVeivalg kjører: {cluster.public_url}")
    if admin:
        say(
            f"Logg inn som «{admin[0]}» med passordet {shown}; "
            "flere brukere: python -m assistant users add NAVN --role admin|reader."
        )
    say("Stopp alt med «make server-stop».")
    return url


def stop(cluster: Cluster | None = None) -> None:
    from server.postgres import LocalPostgres

    cluster = cluster or Cluster()
    stopped = stop_processes(cluster)
    if (cluster.folder / "pg").exists():
        LocalPostgres(cluster.folder / "pg").stop()
        stopped.append("postgresql")
    say(f"Stoppet: {', '.join(stopped) or 'ingenting kjørte'}.")
