"""Users (argon2, roles), conversations per owner and report files in the server store."""

from __future__ import annotations

import pytest

from assistant.chat.conversations import DEFAULT_TITLE, Feedback, Turn
from assistant.types import Answer, Excerpt, Passage, Statement
from ingest.errors import VeivalgError
from ingest.load.manifest import read_corpus_manifest
from server.conversations import PgConversationStore
from server.db import connect
from server.files import ReportFiles
from server.users import User, UserStore

PASSAGE = Passage(
    chunk_id="c1",
    text="Alle elever får nettbrett innen 2025.",
    source="skole.txt",
    title="Skolerapporten",
    page=3,
    score=1.0,
    heading="Skole",
    year="2024",
    publisher="Kommunen",
)
ANSWER = Answer(
    question="Hva får elevene?",
    short=(Statement("Alle elever får nettbrett innen 2025.", (1,)),),
    excerpts=(Excerpt(1, "Alle elever får nettbrett."),),
    citations=(PASSAGE,),
    quotes=("Alle elever får nettbrett.",),
)


def test_users_hash_passwords_and_keep_roles(fresh_db):
    users = UserStore(fresh_db)
    assert users.add("kari", "riktig-passord", "admin") == User("kari", "admin")
    users.add("ola", "et-annet-passord", "reader")
    assert users.verify("kari", "riktig-passord") == User("kari", "admin")
    assert users.verify("kari", "feil-passord") is None
    assert users.verify("ingen", "riktig-passord") is None
    assert users.get("ola") == User("ola", "reader") and not users.get("ola").is_admin  # type: ignore[union-attr]
    with connect(fresh_db) as conn:
        stored = dict(conn.execute("SELECT name, password_hash FROM users").fetchall())
    assert stored["kari"].startswith("$argon2") and "riktig-passord" not in stored["kari"]
    users.add("ola", "nytt-passord-her", "admin")  # a second add changes password and role
    assert users.verify("ola", "et-annet-passord") is None and users.verify("ola", "nytt-passord-her") == User(
        "ola", "admin"
    )
    for bad in (("", "langt-passord", "admin"), ("per", "kort", "reader"), ("per", "langt-passord", "superuser")):
        with pytest.raises(VeivalgError):
            users.add(*bad)


def test_conversations_belong_to_their_owner_and_continue_anywhere(fresh_db):
    one, other = PgConversationStore(fresh_db), PgConversationStore(fresh_db)  # two replicas
    conv = one.create("user:kari")
    assert conv.title == DEFAULT_TITLE
    one.add_turn("user:kari", conv.id, Turn(ANSWER.question, ANSWER.text, ANSWER))
    other.add_turn("user:kari", conv.id, Turn("Og lærerne?", "Lærerne får kurs."))
    [saved] = other.conversations("user:kari")
    assert saved.title == "Hva får elevene?"
    turns = one.turns("user:kari", conv.id)
    assert [t.question for t in turns] == ["Hva får elevene?", "Og lærerne?"]
    assert turns[0].answer == ANSWER and turns[1].answer is None
    assert one.conversations("user:ola") == [] and one.turns("user:ola", conv.id) == []
    with pytest.raises(KeyError):
        one.add_turn("user:ola", conv.id, Turn("Inn?", "Nei."))
    one.rename("user:ola", conv.id, "Kapret")
    one.delete("user:ola", conv.id)
    assert one.conversations("user:kari")[0].title == "Hva får elevene?"
    one.rename("user:kari", conv.id, "Nettbrett")
    assert other.conversations("user:kari")[0].title == "Nettbrett"
    fid = one.add_feedback(
        Feedback(
            owner="user:kari",
            conversation_id=conv.id,
            question="Hva?",
            answer="Svar.",
            rating=-1,
            citations=({"title": "Skolerapporten", "page": 3},),
        )
    )
    with pytest.raises(KeyError):
        one.set_comment(fid, "user:ola", "Ikke min.")
    other.set_comment(fid, "user:kari", "  Mangler kilde. ")
    [fb] = one.feedback()
    assert (
        fb.comment == "Mangler kilde." and fb.rating == -1 and fb.citations == ({"title": "Skolerapporten", "page": 3},)
    )
    one.delete("user:kari", conv.id)
    assert one.conversations("user:kari") == [] and one.turns("user:kari", conv.id) == []


def test_report_files_materialize_into_a_corpus_folder(fresh_db, tmp_path):
    files = ReportFiles(fresh_db)
    digest = files.put("skole.txt", "Alle elever får nettbrett.".encode(), {"title": "Skolerapporten", "country": "NO"})
    files.put("helse.md", b"# Helse\n\nTrygghetsalarmer.")
    assert len(digest) == 64 and files.names() == ["helse.md", "skole.txt"]
    folder = tmp_path / "corpus"
    assert files.materialize(folder) == ["helse.md", "skole.txt"]
    assert (folder / "skole.txt").read_text(encoding="utf-8") == "Alle elever får nettbrett."
    assert read_corpus_manifest(folder) == {"skole.txt": {"title": "Skolerapporten", "country": "NO"}}
    before = files.fingerprint()
    assert files.delete("helse.md") and not files.delete("helse.md")
    files.set_meta("skole.txt", {"title": "Ny tittel"})
    assert files.fingerprint() != before
    files.materialize(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.toml", "skole.txt"]
    assert read_corpus_manifest(folder)["skole.txt"] == {"title": "Ny tittel"}
    assert files.get("skole.txt") == "Alle elever får nettbrett.".encode() and files.get("helse.md") is None
    for bad in ("../x.txt", "manifest.toml", ".skjult"):
        with pytest.raises(VeivalgError):
            files.put(bad, b"x")
    seeded = tmp_path / "seed"
    seeded.mkdir()
    (seeded / "a.txt").write_text("A", encoding="utf-8")
    (seeded / "manifest.toml").write_text('["a.txt"]\ntitle = "A-rapporten"\n', encoding="utf-8")
    assert files.seed(seeded) == 1 and files.files()[0].meta == {"title": "A-rapporten"}
