"""Build and refresh: add, change, delete, no-op, embedder change, bad files, crash safety."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.index import files as index_store
from ingest.index.files import read_index
from ingest.pipeline import refresh
from ingest.settings import IngestSettings


def _sources(settings: IngestSettings) -> set[str]:
    return {c.source for c in read_index(settings.index_dir).chunks}


def test_first_build_indexes_every_format_with_metadata(settings: IngestSettings):
    report = refresh(settings)
    assert sorted(report.added) == ["helse.md", "okonomi.pdf", "skole.txt"]
    assert report.embedded == report.chunks > 0 and report.wrote_index
    data = read_index(settings.index_dir)
    docs = data.manifest["documents"]
    assert docs["skole.txt"]["title"] == "Skolerapporten"  # from the manifest
    assert docs["okonomi.pdf"]["title"] == "Økonomirapport"  # from the PDF's metadata
    assert docs["helse.md"]["title"] == "Helse og velferdsteknologi"  # from the first heading
    assert data.manifest["embedder"] == "hash:64"
    assert data.manifest["chunking"] == settings.chunking_params()
    assert {c.page for c in data.chunks if c.source == "okonomi.pdf"} == {1, 2}
    assert data.vectors.shape == (len(data.chunks), 64)


def test_noop_refresh_embeds_nothing_and_writes_nothing(settings: IngestSettings):
    refresh(settings)
    version = index_store.current_version(settings.index_dir)
    report = refresh(settings)
    assert report.embedded == 0 and not report.wrote_index
    assert sorted(report.unchanged) == ["helse.md", "okonomi.pdf", "skole.txt"]
    assert index_store.current_version(settings.index_dir) == version
    assert "Ingen endringer" in report.summary()


def test_refresh_adds_changes_and_removes(settings: IngestSettings):
    refresh(settings)
    corpus = settings.corpus_dir
    (corpus / "ny.txt").write_text("Ny rapport om skytjenester og datasentre.", encoding="utf-8")
    skole = corpus / "skole.txt"
    skole.write_text(skole.read_text(encoding="utf-8") + "\n\nNytt avsnitt om skolebibliotek.", encoding="utf-8")
    (corpus / "helse.md").unlink()
    report = refresh(settings)
    assert report.added == ["ny.txt"] and report.changed == ["skole.txt"] and report.removed == ["helse.md"]
    assert report.unchanged == ["okonomi.pdf"]
    assert _sources(settings) == {"ny.txt", "okonomi.pdf", "skole.txt"}
    # Only the new report's chunk and the changed passage are embedded; the rest is reused.
    assert 0 < report.embedded < report.chunks
    assert 0 < report.embedded_sentences <= 3  # the new report's sentence and the new paragraph
    texts = [c.text for c in read_index(settings.index_dir).chunks]
    assert any("skolebibliotek" in t for t in texts) and not any("trygghetsalarmer" in t for t in texts)


def test_manifest_change_counts_as_a_change(settings: IngestSettings):
    refresh(settings)
    manifest = settings.corpus_dir / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("Skolerapporten", "Skolerapport 2024"), encoding="utf-8"
    )
    report = refresh(settings)
    assert report.changed == ["skole.txt"]
    assert read_index(settings.index_dir).manifest["documents"]["skole.txt"]["title"] == "Skolerapport 2024"


def test_embedder_change_rebuilds_everything_and_says_so(settings: IngestSettings):
    refresh(settings)
    report = refresh(settings.with_(embedder="hash:32"))
    assert "Embedderen er endret" in report.rebuild_reason
    assert report.embedded == report.chunks
    data = read_index(settings.index_dir)
    assert data.manifest["embedder"] == "hash:32" and data.vectors.shape[1] == 32


def test_bad_files_are_reported_and_the_rest_is_indexed(settings: IngestSettings):
    corpus = settings.corpus_dir
    (corpus / "ødelagt.pdf").write_bytes(b"%PDF-1.4 not really")
    (corpus / "tom.txt").write_bytes(b"")
    (corpus / "bilde.png").write_bytes(b"\x89PNG")
    report = refresh(settings)
    assert sorted(f.name for f in report.failed) == ["bilde.png", "tom.txt", "ødelagt.pdf"]
    assert _sources(settings) == {"helse.md", "okonomi.pdf", "skole.txt"}
    summary = report.summary()
    assert "FEIL ødelagt.pdf: PDF-en kan ikke leses" in summary and "FEIL tom.txt: filen er tom" in summary


def test_a_broken_new_version_keeps_the_old_one(settings: IngestSettings):
    refresh(settings)
    (settings.corpus_dir / "okonomi.pdf").write_bytes(b"%PDF-1.4 truncated")
    report = refresh(settings)
    assert [(f.name, f.kept_previous) for f in report.failed] == [("okonomi.pdf", True)]
    assert "okonomi.pdf" in _sources(settings)
    assert "forrige versjon beholdes" in report.summary()


@pytest.mark.parametrize("stage", ["faiss", "bm25"])
def test_a_crash_while_writing_leaves_the_previous_index_whole(settings: IngestSettings, monkeypatch, stage: str):
    refresh(settings)
    before = read_index(settings.index_dir)
    (settings.corpus_dir / "ny.txt").write_text("Ny rapport.", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    if stage == "faiss":
        import faiss

        monkeypatch.setattr(faiss, "write_index", crash)
    else:
        import bm25s

        monkeypatch.setattr(bm25s.BM25, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        refresh(settings)
    after = read_index(settings.index_dir)
    assert after.path == before.path
    assert [c.chunk_id for c in after.chunks] == [c.chunk_id for c in before.chunks]
    assert not [p for p in settings.index_dir.iterdir() if p.name.startswith(".tmp-")]
    monkeypatch.undo()
    assert refresh(settings).added == ["ny.txt"]  # and the next refresh picks up where it left off


def test_a_crash_between_write_and_switch_keeps_the_old_version(settings: IngestSettings, monkeypatch):
    refresh(settings)
    before = index_store.current_version(settings.index_dir)
    (settings.corpus_dir / "ny.txt").write_text("Ny rapport.", encoding="utf-8")
    real_replace = index_store.os.replace

    def crash_on_switch(src, dst):
        if Path(dst).name == index_store.CURRENT:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(index_store.os, "replace", crash_on_switch)
    with pytest.raises(OSError):
        refresh(settings)
    assert index_store.current_version(settings.index_dir) == before
    assert "ny.txt" not in _sources(settings)


def test_missing_corpus_folder_is_a_clear_error(settings: IngestSettings):
    from ingest.errors import LoadError

    shutil.rmtree(settings.corpus_dir)
    with pytest.raises(LoadError, match="korpusmappen finnes ikke"):
        refresh(settings)


def test_cli_build_refresh_and_status(settings: IngestSettings, capsys):
    from ingest.__main__ import main

    args = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "--embedder", "hash:64"]
    assert main(["build", *args]) == 0
    assert "Lagt til: 3" in capsys.readouterr().out
    assert main(["refresh", *args]) == 0
    assert "Ingen endringer" in capsys.readouterr().out
    assert main(["status", *args]) == 0
    assert "skole.txt" in capsys.readouterr().out


def test_large_indexes_switch_to_ivf_and_still_find_the_nearest():
    import numpy as np

    from ingest.index.files import build_dense_index

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((5000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    small = build_dense_index(vectors)
    ivf = build_dense_index(vectors, force="ivf")
    assert type(small).__name__ == "IndexFlatIP" and type(ivf).__name__ == "IndexIVFFlat"
    _, exact = small.search(vectors[:50], 1)
    _, approx = ivf.search(vectors[:50], 1)
    assert (exact[:, 0] == np.arange(50)).all()
    assert (approx[:, 0] == exact[:, 0]).mean() >= 0.9


def test_noise_summary_reads_well():
    from ingest.documents import NoiseReport

    text = NoiseReport(header_lines=5, related_titles=0, teaser_blocks=100, chars_dropped=34921).describe()
    assert (
        text
        == "fjernet 5 topplinje(r), 0 titler på relaterte dokumenter og 100 utdrag av andre dokumenter (34\u00a0921 tegn)"
    )
    assert NoiseReport().describe() == "ingen nettsidestøy"
