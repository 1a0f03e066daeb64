"""KommuneProfile: validation with Norwegian messages, normalisation, and the JSON round trip."""

import pytest

from assistant.decision import KommuneProfile, ProfileError

BASE = {"name": "Testvik kommune", "population": 10000}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"population": -5}, "Innbyggertall må være et positivt heltall (fikk -5)."),
        ({"population": 0}, "Innbyggertall må være et positivt heltall (fikk 0)."),
        ({"population": 4000.5}, "Innbyggertall må være et positivt heltall (fikk 4000.5)."),
        ({"population": True}, "Innbyggertall må være et positivt heltall (fikk True)."),
        ({"population": "mange"}, "Innbyggertall må være et positivt heltall (fikk 'mange')."),
        ({"population": 5_000_000}, "Innbyggertall virker urimelig høyt"),
        ({"name": "  "}, "Navn mangler: oppgi kommunens navn"),
        ({"country": "SE"}, "Land må være «NO» (Norge) eller «DK» (Danmark) (fikk 'SE')."),
        ({"centrality": "by"}, "Sentralitet må være «sentral», «mellomsentral» eller «distrikt» (fikk 'by')."),
        ({"maturity": 7}, "Modenhet må være et tall fra 1 til 5 (fikk 7)."),
        ({"maturity": 0}, "Modenhet må være et tall fra 1 til 5 (fikk 0)."),
        ({"maturity_areas": {"styring": 0}}, "Modenhet for området «styring» må være et tall fra 1 til 5 (fikk 0)."),
        ({"maturity_areas": {"økonomi": 3}}, "Ukjent modenhetsområde «økonomi»."),
        ({"it_cost_per_inhabitant": -3}, "IT-kostnad per innbygger må være et positivt tall i kroner (fikk -3)."),
        ({"it_cost_per_inhabitant": 120_000_000}, "har du oppgitt totalkostnaden?"),
        ({"it_staff_fte": -1}, "IT-årsverk må være et tall, null eller større (fikk -1)."),
        ({"collaboration": "konsern"}, "Samarbeidsform må være en av"),
        ({"bestiller_competence": 9}, "Bestillerkompetanse må være et tall fra 1 til 5 (fikk 9)."),
        ({"has_it_strategy": "kanskje"}, "Feltet «has_it_strategy» må være ja eller nei"),
        ({"priorities": {"handlefrihet": -1}}, "Prioriteringen for «handlefrihet» må være et tall, null eller større"),
        ({"priorities": {"hastighet": 1}}, "Ukjent kriterium «hastighet»."),
        (
            {
                "priorities": {
                    c: 0
                    for c in (
                        "formålseffektivitet",
                        "kostnadseffektivitet",
                        "gjennomførbarhet",
                        "fleksibilitet",
                        "handlefrihet",
                    )
                }
            },
            "Minst én prioritering må være større enn null.",
        ),
    ],
)
def test_impossible_values_are_refused_with_a_norwegian_message(changes, message):
    with pytest.raises(ProfileError) as err:
        KommuneProfile.from_dict({**BASE, **changes})
    assert message in str(err.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ProfileError) as err:
        KommuneProfile.from_dict({**BASE, "population": -5, "maturity": 9, "country": "SE"})
    assert len(err.value.errors) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"population": 100}, "Navn mangler"),
        ({"name": "X"}, "Innbyggertall mangler"),
        ({**BASE, "populasjon": 5}, "Ukjent felt «populasjon»"),
        ("ikke en ordbok", "Profilen må være en ordbok"),
    ],
)
def test_from_dict_names_missing_and_unknown_fields(data, message):
    with pytest.raises(ProfileError, match=message):
        KommuneProfile.from_dict(data)


def test_profile_error_is_a_value_error():
    assert issubclass(ProfileError, ValueError)


@pytest.mark.parametrize(
    ("field", "given", "stored"),
    [
        ("population", "116 000", 116000),
        ("population", "116.000", 116000),
        ("it_cost_per_inhabitant", "1.050", 1050),
        ("it_staff_fte", "12,5", 12.5),
        ("collaboration", "IKS", "iks"),
        ("collaboration", "§27", "oppgavefellesskap"),
        ("collaboration", "ingen", "none"),
        ("centrality", "Distriktskommune", "distrikt"),
        ("country", "dk", "DK"),
        ("has_it_strategy", "nei", False),
        ("major_sector_challenges", "ja", True),
    ],
)
def test_values_are_normalised(field, given, stored):
    p = KommuneProfile.from_dict({**BASE, field: given})
    assert getattr(p, field) == stored


def test_only_name_and_population_are_required_and_country_defaults_to_norway():
    p = KommuneProfile.from_dict(BASE)
    assert p.country == "NO"
    assert p.maturity is None and p.collaboration is None and p.priorities is None


def test_round_trip_through_dict():
    data = {
        **BASE,
        "country": "DK",
        "centrality": "mellomsentral",
        "maturity": 3,
        "maturity_areas": {"styring": 2, "portefoljestyring": 2},
        "digitalisation_central_to_attractiveness": False,
        "major_sector_challenges": True,
        "it_cost_per_inhabitant": 900,
        "it_staff_fte": 7.5,
        "collaboration": "bilateral",
        "has_it_strategy": True,
        "bestiller_competence": 4,
        "priorities": {"handlefrihet": 2},
    }
    p = KommuneProfile.from_dict(data)
    assert KommuneProfile.from_dict(p.to_dict()) == p
    assert p.maturity_areas == {"styring": 2, "porteføljestyring": 2}  # ascii spelling accepted


def test_priorities_left_out_keep_weight_one_and_are_normalised():
    p = KommuneProfile.from_dict({**BASE, "priorities": {"handlefrihet": 2}})
    assert p.priorities["handlefrihet"] == pytest.approx(2 / 6, abs=1e-5)
    assert p.priorities["fleksibilitet"] == pytest.approx(1 / 6, abs=1e-5)
    assert sum(p.priorities.values()) == pytest.approx(1)


def test_default_weights_are_equal():
    weights = KommuneProfile.from_dict(BASE).weights
    assert len(weights) == 5 and all(w == pytest.approx(0.2) for w in weights.values())


def test_profile_is_frozen():
    p = KommuneProfile.from_dict(BASE)
    with pytest.raises(AttributeError):
        p.population = 5  # type: ignore[misc]


def test_facts_derive_governance_and_never_guess_unknowns():
    p = KommuneProfile.from_dict({**BASE, "maturity_areas": {"styring": 2, "gevinstrealisering": 3, "kompetanse": 5}})
    facts = p.facts()
    assert facts["governance"] == pytest.approx(2.5)  # kompetanse is not a governance area
    assert facts["maturity"] == pytest.approx(3.33)  # overall maturity from all areas when not given
    assert "it_cost_per_inhabitant" not in facts


def test_the_population_limit_is_the_one_its_message_and_the_form_state():
    from assistant.decision.fields import limits
    from assistant.decision.present import FORM_FIELDS

    top = int(limits("population")[1])
    assert KommuneProfile(name="Storby", population=top).population == top
    with pytest.raises(ProfileError) as err:
        KommuneProfile(name="Storby", population=top + 1)
    words = {1_000_000: "én million", 2_000_000: "to millioner"}.get(top, f"{top:,}".replace(",", " "))
    assert f"over {words} innbyggere" in str(err.value)
    assert next(f for f in FORM_FIELDS if f.name == "population").limits == limits("population")
