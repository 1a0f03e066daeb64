"""Chat and form use one profile (issue 9): chat facts fill the form, the chat does not ask for what the form holds."""

from assistant.decision.chat import route
from assistant.decision.present import FORM_FIELDS, profile_dict_from_form
from assistant.decision.sync import changed_fields, form_values, merge_chat_facts

FORM = {
    "name": "Vik kommune",
    "population": 4000,
    "centrality": "Distrikt",
    "maturity": 2,
    "collaboration": "Vertskommune",
    "has_it_strategy": "Vet ikke",
    "digitalisation_central_to_attractiveness": "Nei",
    "major_sector_challenges": "Nei",
}


def test_chat_facts_become_form_labels():
    values = form_values(
        {
            "collaboration": "iks",
            "country": "DK",
            "has_it_strategy": False,
            "population": 12000,
            "maturity_areas": {"styring": 2},
            "centrality": "distrikt",
        }
    )
    assert values == {
        "collaboration": "IKS",
        "country": "Danmark",
        "has_it_strategy": "Nei",
        "population": 12000,
        "maturity_areas.styring": 2,
        "centrality": "Distrikt",
    }
    names = {f.name for f in FORM_FIELDS}
    assert set(values) <= names


def test_merged_form_reads_back_as_the_same_profile():
    merged = merge_chat_facts(FORM, {"collaboration": "iks", "it_staff_fte": 1})
    profile = profile_dict_from_form(merged)
    assert profile["collaboration"] == "iks" and profile["it_staff_fte"] == 1 and profile["population"] == 4000
    assert changed_fields(FORM, merged) == ["collaboration", "it_staff_fte"]


def test_the_chat_does_not_ask_for_what_the_form_holds():
    for question in ("Hvilket ambisjonsnivå passer for oss?", "Hvilket scenario passer for oss?"):
        reply = route(question, FORM)
        assert reply is not None and reply.result is not None, reply.markdown
        assert "fyll ut kommuneprofilen" not in reply.markdown
        assert "trenger jeg å vite innbyggertall" not in reply.markdown


def test_a_fact_stated_in_the_chat_reaches_the_form_through_the_reply():
    reply = route("Vi er en kommune med 12 000 innbyggere i et IKS. Hvilket scenario passer for oss?", FORM)
    merged = merge_chat_facts(FORM, reply.facts)
    assert merged["population"] == 12000 and merged["collaboration"] == "IKS"
    assert profile_dict_from_form(merged)["population"] == 12000
