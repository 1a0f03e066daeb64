"""The report library API (ingest.library): add, replace, keep both, delete, edit metadata — each atomic."""

from __future__ import annotations

import pytest

from ingest import library
from ingest.errors import LoadError, VeivalgError
from ingest.index.files import read_index
from ingest.pipeline import refresh


@pytest.fixture
def indexed(settings):
    refresh(settings)
    return settings


def _docs(settings) -> dict:
    return read_index(settings.index_dir).manifest["documents"]


def _upload(tmp_path, name: str, text: str):
    path = tmp_path / "uploads" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_report_is_added_and_indexed(indexed, tmp_path):
    change = library.add_report(
        _upload(tmp_path, "sky.txt", "Kommunen flytter e-post til skyen i 2026."), "sky.txt", indexed
    )
    assert change.action == "added" and "sky.txt" in _docs(indexed)
    assert "lagt til" in change.message()


def test_an_existing_name_asks_before_replacing(indexed, tmp_path):
    before = (indexed.corpus_dir / "skole.txt").read_bytes()
    new = _upload(tmp_path, "skole.txt", "Ny versjon: alle elever får bærbar PC innen 2027.")
    with pytest.raises(library.ReportExists) as caught:
        library.add_report(new, "skole.txt", indexed)
    assert "Erstatt" in str(caught.value) and caught.value.alternative == "skole (2).txt"
    assert (indexed.corpus_dir / "skole.txt").read_bytes() == before


def test_replace_and_keep_both(indexed, tmp_path):
    new = _upload(tmp_path, "skole.txt", "Ny versjon: alle elever får bærbar PC innen 2027.")
    replaced = library.add_report(new, "skole.txt", indexed, on_conflict="replace")
    assert replaced.action == "replaced" and "bærbar PC" in (indexed.corpus_dir / "skole.txt").read_text(
        encoding="utf-8"
    )
    other = _upload(tmp_path, "skole.txt", "Tredje versjon med helt annen tekst om skolebibliotek.")
    kept = library.add_report(other, "skole.txt", indexed, on_conflict="keep_both")
    assert kept.name == "skole (2).txt" and {"skole.txt", "skole (2).txt"} <= set(_docs(indexed))


def test_duplicate_content_under_a_new_name_is_refused(indexed, tmp_path):
    copy = tmp_path / "kopi.txt"
    copy.write_bytes((indexed.corpus_dir / "skole.txt").read_bytes())
    with pytest.raises(library.DuplicateReport, match="skole.txt"):
        library.add_report(copy, "kopi.txt", indexed)
    assert not (indexed.corpus_dir / "kopi.txt").exists()


@pytest.mark.parametrize("name", ["README.md", "SOURCES.md"])
def test_files_the_index_never_reads_are_refused_plainly(indexed, tmp_path, name):
    with pytest.raises(library.NotIndexed, match="ikke indeksert"):
        library.add_report(_upload(tmp_path, name, "# Notater om korpuset\n\nIkke en rapport."), name, indexed)


def test_delete_removes_file_manifest_entry_and_passages(indexed):
    change = library.delete_report("skole.txt", indexed)
    assert change.action == "deleted"
    assert "skole.txt" not in _docs(indexed) and not (indexed.corpus_dir / "skole.txt").exists()
    assert "skole.txt" not in (indexed.corpus_dir / "manifest.toml").read_text(encoding="utf-8")


def test_edit_metadata_updates_manifest_and_index(indexed):
    library.edit_metadata(
        "helse.md", indexed, title="Velferdsteknologi i kommunen", year="2019", country="DK", publisher="KL"
    )
    doc = _docs(indexed)["helse.md"]
    assert (doc["title"], doc["year"], doc["country"], doc["publisher"]) == (
        "Velferdsteknologi i kommunen",
        "2019",
        "DK",
        "KL",
    )
    library.edit_metadata("helse.md", indexed, country="")
    assert _docs(indexed)["helse.md"]["country"] is None


@pytest.mark.parametrize("fields", [dict(country="SE"), dict(year="nitten"), dict(language="de")])
def test_bad_metadata_is_refused_and_changes_nothing(indexed, fields):
    manifest = (indexed.corpus_dir / "manifest.toml").read_bytes()
    with pytest.raises(VeivalgError, match="Ingenting er endret"):
        library.edit_metadata("skole.txt", indexed, **fields)
    assert (indexed.corpus_dir / "manifest.toml").read_bytes() == manifest


def test_a_failed_refresh_puts_corpus_and_manifest_back(indexed, tmp_path, monkeypatch, caplog):
    manifest = (indexed.corpus_dir / "manifest.toml").read_bytes()
    skole = (indexed.corpus_dir / "skole.txt").read_bytes()

    def broken_refresh(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(library, "refresh", broken_refresh)
    with pytest.raises(VeivalgError, match="Ingenting er endret"):
        library.add_report(_upload(tmp_path, "ny.txt", "Helt ny rapport om bredbånd i distriktene."), "ny.txt", indexed)
    assert not (indexed.corpus_dir / "ny.txt").exists()
    # The user sees "Ingenting er endret"; the server log keeps what went wrong, with its traceback.
    rollback = [r for r in caplog.records if r.name == "ingest.library" and "rullet tilbake" in r.getMessage()]
    assert rollback and "ny.txt" in rollback[0].getMessage() and "disk full" in str(rollback[0].exc_info[1])
    with pytest.raises(VeivalgError):
        library.delete_report("skole.txt", indexed)
    assert (indexed.corpus_dir / "skole.txt").read_bytes() == skole
    with pytest.raises(VeivalgError):
        library.edit_metadata("skole.txt", indexed, title="Noe annet")
    assert (indexed.corpus_dir / "manifest.toml").read_bytes() == manifest


def test_a_broken_upload_changes_nothing(indexed, tmp_path):
    broken = tmp_path / "ødelagt.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(LoadError):
        library.add_report(broken, broken.name, indexed)
    assert not (indexed.corpus_dir / broken.name).exists()


def test_unsupported_type_and_unknown_report(indexed, tmp_path):
    with pytest.raises(LoadError, match="støttes ikke"):
        library.safe_name("regneark.xlsx")
    with pytest.raises(VeivalgError, match="Fant ingen rapport"):
        library.delete_report("../manifest.toml", indexed)
