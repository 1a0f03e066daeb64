"""One error base for everything a user may read; logging set up by the entry points only, never the library."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.decision import KommuneProfile, ProfileError
from assistant.decision.rules import Rule, RuleDataError, _build
from ingest.errors import VeivalgError

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = [
    p
    for pkg in ("ingest", "assistant", "eval", "server")
    for p in (ROOT / pkg).rglob("*.py")
    if p.name != "__main__.py" and p != ROOT / "ingest" / "logs.py"
]


def test_the_decision_errors_are_veivalg_errors_and_still_value_errors():
    with pytest.raises(VeivalgError) as caught:
        KommuneProfile(name="Testkommune", population=-5)
    assert isinstance(caught.value, ProfileError) and isinstance(caught.value, ValueError)
    with pytest.raises(VeivalgError) as broken:
        _build(Rule, {"id": "X-1", "text": "t", "source": "finnes-ikke", "quote": "q"})
    assert isinstance(broken.value, RuleDataError) and isinstance(broken.value, ValueError)


def test_library_modules_log_under_their_own_name_and_configure_nothing():
    offenders = []
    for path in LIBRARY:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"basicConfig|\.setLevel\(|\.addHandler\(|getLogger\((?!__name__\))[^)]*\)", text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group()}")
    assert not offenders, offenders


def _run(code: str, level: str) -> str:
    env = {**os.environ, "VEIVALG_LOG_LEVEL": level}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_the_level_comes_from_the_environment_and_a_wrong_one_is_named():
    code = (
        "import logging, os; from ingest.logs import configure_logging; configure_logging('WARNING', os.environ); "
        "logging.getLogger('ingest.x').info('info-linje'); logging.getLogger('ingest.x').warning('advarsel')"
    )
    verbose = _run(code, "info")
    assert "INFO ingest.x: info-linje" in verbose and "WARNING ingest.x: advarsel" in verbose
    quiet = _run(code, "snakkesalig")
    assert (
        "info-linje" not in quiet
        and "advarsel" in quiet
        and "VEIVALG_LOG_LEVEL=SNAKKESALIG er ikke et loggnivå" in quiet
    )


def test_the_ingest_command_logs_why_a_file_was_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "skole.txt").write_text(
        "Kommunen skal gi alle elever egne nettbrett innen 2025, og lærerne får kurs.", encoding="utf-8"
    )
    (corpus / "brutt.pdf").write_bytes(b"%PDF-1.4 broken")
    env = {**os.environ, "VEIVALG_LOG_LEVEL": "INFO"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest",
            "build",
            "--corpus",
            str(corpus),
            "--index",
            str(tmp_path / "index"),
            "--embedder",
            "hash:16",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1  # one file failed; the rest is indexed
    assert re.search(r"INFO ingest\.pipeline: brutt\.pdf ble ikke lest", done.stderr), done.stderr
    assert re.search(
        r"INFO ingest\.load\.loaders: brutt\.pdf: \w+Error", done.stderr
    )  # the class name is for the log only
    assert "Error" not in done.stdout


def test_every_catalogue_message_is_a_norwegian_sentence_with_its_blanks_filled():
    import string

    from ingest.error_catalogue import CATALOGUE, message

    for code, text in CATALOGUE.items():
        blanks = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        filled = message(code, **{name: "X" for name in blanks})
        assert filled.endswith((".", ".»")) and "{" not in filled, code
        assert not re.search(r"\w+(Error|Exception)\b", filled), code


def test_an_error_raised_by_code_carries_the_code_and_the_catalogue_words():
    from ingest.library import ReportExists

    error = VeivalgError.of("REPORT_NOT_FOUND", name="x.pdf")
    assert (
        error.code == "REPORT_NOT_FOUND"
        and str(error) == "Fant ingen rapport med filnavnet «x.pdf». Ingenting er endret."
    )
    assert ReportExists("a.pdf", "a (2).pdf").code == "REPORT_EXISTS" and "«a (2).pdf»" in str(
        ReportExists("a.pdf", "a (2).pdf")
    )
    with pytest.raises(KeyError):
        VeivalgError.of("NO_SUCH_CODE")


def test_every_code_raised_in_the_source_is_in_the_catalogue_and_every_error_class_has_its_own_code():
    from ingest.error_catalogue import CATALOGUE

    raised = {m.group(1) for p in LIBRARY for m in re.finditer(r'\.of\(\s*"([A-Z_]+)"', p.read_text(encoding="utf-8"))}
    assert raised and raised <= set(CATALOGUE), raised - set(CATALOGUE)
    import importlib
    import pkgutil

    # Every module that may define an error class, whatever other tests happened to import first.
    for package in ("ingest", "assistant", "server"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if not info.name.endswith("__main__") and ".migrations" not in info.name:
                importlib.import_module(info.name)

    classes = [VeivalgError]
    for cls in classes:
        classes.extend(cls.__subclasses__())
    codes = [c.code for c in classes]
    assert len(set(codes)) == len(codes), codes
