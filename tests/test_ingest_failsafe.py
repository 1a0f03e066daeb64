"""One bad file never stops a refresh; limits by what ingestion can do; a damaged index repairs itself."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from conftest import make_pdf

from ingest.__main__ import main as ingest_main
from ingest.errors import IndexProblem, LoadError, VeivalgError
from ingest.index import files as index_store
from ingest.index.files import read_index
from ingest.load.loaders import Limits, load_file
from ingest.pipeline import refresh

GOOD = {"helse.md", "okonomi.pdf", "skole.txt"}


def _sources(settings) -> set[str]:
    return {c.source for c in read_index(settings.index_dir).chunks}


def _aes_pdf(path: Path, user_password: str) -> Path:
    from pypdf import PdfWriter

    plain = make_pdf(path.with_suffix(".plain"), ["Felles drift sparer kommunen for 2 millioner kroner i året."])
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password=user_password, owner_password="eier", algorithm="AES-256")
    writer.write(str(path))
    plain.unlink()
    return path


def test_an_aes_pdf_with_an_empty_user_password_is_read(tmp_path):
    loaded = load_file(_aes_pdf(tmp_path / "aes.pdf", ""))
    assert "Felles drift sparer" in loaded.pages[0].text


def _bad_files(corpus: Path) -> dict[str, str]:
    """The probe's kinds of bad files, generated; name -> words its message must contain."""
    _aes_pdf(corpus / "hemmelig.pdf", "passord")
    with zipfile.ZipFile(corpus / "ødelagt.docx", "w") as z:  # a zip, but not a Word document
        z.writestr("[Content_Types].xml", "<Types><broken")
        z.writestr("word/document.xml", "<w:document>")
    (corpus / "enlinje.txt").write_text("ord " * 1_300_000, encoding="utf-8")  # 5.2 M characters, one line
    (corpus / "uten-mellomrom.txt").write_text("a" * 600_000, encoding="utf-8")  # one "word"
    os.close(os.open(os.fsencode(str(corpus)) + b"/rapport-\xe6\xf8.txt", os.O_WRONLY | os.O_CREAT))
    with open(os.fsencode(str(corpus)) + b"/rapport-\xe6\xf8.txt", "w", encoding="utf-8") as fh:
        fh.write("Kommunen bygger nytt datasenter.")
    return {
        "hemmelig.pdf": "kryptert",
        "ødelagt.docx": "Word-filen kan ikke leses",
        "enlinje.txt": "teksten er for lang",
        "uten-mellomrom.txt": "uten mellomrom",
        "rapport-??.txt": "filnavnet er ikke gyldig UTF-8",
    }


def test_every_bad_file_is_one_line_and_the_others_are_indexed(settings):
    expected = _bad_files(settings.corpus_dir)
    report = refresh(settings)
    assert _sources(settings) == GOOD
    assert {f.name: f.reason for f in report.failed}.keys() == expected.keys()
    for failure in report.failed:
        assert expected[failure.name] in failure.reason
        assert "\n" not in failure.line() and "Error" not in failure.line()
    read_index(settings.index_dir)  # the manifest was written, whatever the names


def test_refresh_exits_non_zero_and_names_the_failed_files(settings, capsys, monkeypatch):
    monkeypatch.setenv("VEIVALG_CHUNK_WORDS", "40")
    expected = _bad_files(settings.corpus_dir)
    code = ingest_main(
        ["refresh", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "--embedder", "hash:64"]
    )
    out = capsys.readouterr()
    assert code == 1
    assert all(name in out.err for name in expected)
    assert _sources(settings) == GOOD


def test_limits_by_pages_and_a_readable_megabyte_limit(tmp_path):
    pdf = make_pdf(tmp_path / "lang.pdf", ["Side én.", "Side to.", "Side tre."])
    with pytest.raises(LoadError, match="for mange sider"):
        load_file(pdf, Limits(max_pages=2))
    with pytest.raises(LoadError, match=r"grensen er 1 kB\b"):
        load_file(pdf, Limits(max_bytes=300))
    big = tmp_path / "stor.txt"
    big.write_text("ord " * 100_000, encoding="utf-8")
    with pytest.raises(LoadError, match=r"grensen er 300 kB"):
        load_file(big, Limits(max_bytes=300_000))


def test_an_empty_corpus_does_not_empty_the_index_unless_asked(settings):
    refresh(settings)
    for path in settings.corpus_dir.iterdir():
        path.unlink()
    with pytest.raises(VeivalgError, match="--allow-empty"):
        refresh(settings)
    with pytest.raises(VeivalgError, match="--allow-empty"):
        refresh(settings, full=True)  # `build` too
    assert _sources(settings) == GOOD
    report = refresh(settings, allow_empty=True)
    assert report.removed and read_index(settings.index_dir).chunks == []


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["sentences.npz", "dense.faiss", "sentences.faiss", "vectors.npy"])
def test_a_damaged_file_is_named_on_load_and_rebuilt_by_refresh(settings, name):
    from assistant.core import Assistant
    from assistant.settings import Settings

    refresh(settings)
    version = index_store.current_version(settings.index_dir)
    _damage(version / name)
    with pytest.raises(IndexProblem, match=name):
        Assistant.load(Settings(index_dir=settings.index_dir))
    report = refresh(settings)  # must neither crash nor leave the damage in place
    assert report.wrote_index and index_store.current_version(settings.index_dir) != version
    assistant = Assistant.load(Settings(index_dir=settings.index_dir))
    assert not assistant.ask("Hva skal elevene få innen 2025?").abstained


def test_leftover_versions_and_temporary_folders_are_cleaned(settings):
    refresh(settings)
    live = index_store.current_version(settings.index_dir)
    (settings.index_dir / "v-20200101T000000-dead00").mkdir()  # a crash after writing, before CURRENT
    (settings.index_dir / ".tmp-v-20200101T000000-dead01").mkdir()
    report = refresh(settings)
    assert not report.wrote_index  # nothing changed in the corpus, and still the leftovers are gone
    assert sorted(p.name for p in settings.index_dir.iterdir() if p.is_dir()) == [live.name]


def test_embedding_does_not_hold_the_writer_lock(settings):
    """Another upload may take the lock while a refresh is embedding; only the write is exclusive."""
    seen: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage.startswith("Embedder") and not seen:
            with index_store.writer_lock(settings.index_dir):  # raises if the refresh holds it
                seen.append(stage)

    report = refresh(settings, progress=progress)
    assert seen and report.wrote_index and report.embedded == report.chunks > 0
