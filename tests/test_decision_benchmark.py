"""Benchmark figures, PA's quality score, input validation, and the chart."""

import io

import pytest
from matplotlib.image import imread

from assistant.decision import BenchmarkInputs, ProfileError, benchmark, benchmark_chart

PROFILE = {"name": "Testvik kommune", "population": 30000, "it_cost_per_inhabitant": 900}
LARGE = {"name": "Storvik kommune", "population": 60000, "it_cost_per_inhabitant": 900}


def _row(result, reference_label):
    return next(r for r in result.rows if r.reference_label.startswith(reference_label))


@pytest.mark.parametrize(
    ("reference", "value", "year", "comparison"),
    [
        ("Bærum kommune", 1050, "2012", "Kommunen: 900 kr per innbygger, 14 % under Bærum kommune"),
        ("K10-snitt", 525, "2012", "71 % over K10-snitt"),
        ("Oslo", 1470, "2012", "39 % under Oslo"),
    ],
)
def test_it_cost_per_inhabitant_against_bcg(reference, value, year, comparison):
    row = _row(benchmark(LARGE), reference)
    assert row.reference_value == value and row.year == year
    assert comparison in row.comparison
    assert row.reason.source == "000"


@pytest.mark.parametrize("population", [1200, 30000])
def test_a_smaller_kommunes_cost_is_not_put_in_percent_of_large_kommuner(population):
    """«357 % over K10-snitt» for a small rural kommune misleads: the references are large kommuner."""
    result = benchmark({"name": "Lille", "population": population, "it_cost_per_inhabitant": 2400})
    for row in result.by_metric("it_cost_per_inhabitant"):
        assert "%" not in row.comparison and "Ikke sammenlignbart" in row.comparison
    assert any("ingen sammenligning av like kommuner" in c for c in result.caveats)


def test_derived_references_are_marked_as_judgment():
    result = benchmark(PROFILE)
    assert _row(result, "Bærum kommune").reason.basis == "rapporten"
    assert _row(result, "K10-snitt").reason.basis == "vurdering"
    assert _row(result, "Oslo").reason.basis == "vurdering"


@pytest.mark.parametrize(
    ("metric", "label", "value"),
    [
        ("okonomi_hr_lonn_per_klient", "RegionData", 957),
        ("okonomi_hr_lonn_per_klient", "VarIT", 1097),
        ("okonomi_hr_lonn_per_klient", "Digitale Gardermoen", 942),
        ("okonomi_hr_lonn_per_klient", "Skien, Bamble og Siljan", 461),
        ("sak_arkiv_per_klient", "RegionData", 736),
    ],
)
def test_pa_cost_per_client_references(metric, label, value):
    rows = benchmark(PROFILE).by_metric(metric)
    row = next(r for r in rows if r.reference_label.startswith(label))
    # Only RegionData's own figures are 2014 (PA s. 4); the comparison slides use 2013 (s. 17, 26, 27).
    assert row.reference_value == value and row.reason.source == "002"
    assert row.year == ("2014" if label == "RegionData" else "2013")
    compared = next(
        r for r in benchmark(PROFILE, {metric: 900}).by_metric(metric) if r.reference_label.startswith(label)
    )
    assert "ikke en enkeltkommune" in compared.comparison


def test_every_row_has_year_and_source():
    result = benchmark(PROFILE)
    assert {r.year for r in result.rows} == {"2012", "2013", "2013–2014", "2014", "2020"}
    assert any("2013 (PAs sammenligning" in c for c in result.caveats)
    assert all(r.reason.quote and r.reason.title for r in result.rows)


def test_quality_score_uses_both_pa_weightings_and_compares_like_with_like():
    figures = {"tjenesteomfang": 70, "ikt_modenhet": 3, "brukertilfredshet": 4, "digitaliseringsgrad": 50}
    result = benchmark(PROFILE, figures)
    # Appendix (s. 40): 0.3*70 + 0.3*50 (maturity 3 -> 50 %) + 0.1*75 (4 -> 75 %) + 0.3*50
    assert result.quality_score == pytest.approx(58.5)
    # The figure of the collaborations (s. 16) used 45/45/10 (s. 38): 0.45*70 + 0.45*50 + 0.1*75
    assert result.comparison_quality_score == pytest.approx(61.5)
    assert "4,5 prosentpoeng over Laveste i PA-figuren" in _row(result, "Laveste").comparison
    assert any("45/45/10" in c and "30/30/10/30" in c for c in result.caveats)


def test_quality_score_reads_only_the_parts_its_weights_name():
    from assistant.decision.benchmark import quality_score

    inputs = BenchmarkInputs(tjenesteomfang=70, digitaliseringsgrad=50)  # no 1–5 answers at all
    assert quality_score(inputs, {"tjenesteomfang": 0.5, "digitaliseringsgrad": 0.5}) == (60.0, ())
    assert quality_score(inputs, {"tjenesteomfang": 0.5, "ikt_modenhet": 0.5}) == (None, ("IKT-modenhet (1–5)",))


def test_quality_score_names_what_is_missing():
    result = benchmark(PROFILE, {"tjenesteomfang": 60})
    assert result.quality_score is None
    assert result.quality_missing == ("IKT-modenhet (1–5)", "brukertilfredshet (1–5)", "digitaliseringsgrad (%)")
    assert any("Kvalitetsscore er ikke beregnet" in c for c in result.caveats)


def test_shares_compare_in_percentage_points():
    row = benchmark(PROFILE, {"tjenesteomfang": 50}).by_metric("tjenesteomfang")[0]
    assert row.reference_label == "RegionData"
    assert "6 prosentpoeng under RegionData (56 %, 2014)" in row.comparison


@pytest.mark.parametrize(
    ("level", "label", "fragment"),
    [
        (2, "Sammenhengende metodikk", "uten en sammenhengende metodikk"),
        (3, "Sammenhengende metodikk", "Bare 23 % av de øverste digitaliseringslederne oppgir det"),
        (5, "Kontinuerlig forbedret", "som bare 3 % av virksomhetene er på"),
        (4, "Kontinuerlig forbedret", "Bare 3 % er på trinn 5"),
    ],
)
def test_it_i_praksis_levels(level, label, fragment):
    row = _row(benchmark(PROFILE, {"gevinstrealisering_nivaa": level}), label)
    assert row.year == "2020" and row.reason.page is None
    assert fragment in row.comparison


def test_no_kommune_value_means_no_comparison_and_a_field_to_supply():
    result = benchmark({"name": "X", "population": 3000})
    assert all(r.comparison == "" for r in result.rows)
    assert "it_cost_per_inhabitant" in {w.field for w in result.would_change}


def test_the_benchmark_asks_only_for_what_the_form_holds_and_never_twice():
    from assistant.decision.present import FORM_FIELDS

    form = {f.name.split(".")[0] for f in FORM_FIELDS}
    result = benchmark({"name": "X", "population": 3000})
    assert {w.field for w in result.would_change} <= form
    assert not result.quality_missing
    given = benchmark({"name": "X", "population": 3000, "maturity_areas": {"gevinstrealisering": 2}})
    assert not any("gevinstrealisering" in w.example for w in given.would_change)
    assert "Kommunen oppgir trinn 2" in _row(given, "Sammenhengende metodikk").comparison


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"tjenesteomfang": 150}, "Tjenesteomfang (%) må være et tall fra 0 til 100 (fikk 150)."),
        ({"ikt_modenhet": 0}, "IKT-modenhet (1–5) må være et tall fra 1 til 5 (fikk 0)."),
        ({"tjenestetrapp_nivaa": 5}, "Nivå i tjenestetrappa (1–4) må være et tall fra 1 til 4 (fikk 5)."),
        ({"kostnad": 5}, "Ukjent nøkkeltall «kostnad»"),
    ],
)
def test_figures_are_validated(figures, message):
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        benchmark(PROFILE, figures)


def test_inputs_accept_norwegian_numbers():
    assert BenchmarkInputs.from_dict({"sak_arkiv_per_klient": "1 200"}).sak_arkiv_per_klient == 1200


def test_danish_profile_gets_a_currency_caveat():
    result = benchmark({**PROFILE, "country": "DK"})
    assert any("DKK" in c for c in result.caveats)


def test_chart_is_a_png_and_grows_with_the_figures_supplied(tmp_path):
    small = benchmark_chart(benchmark(PROFILE))
    path = tmp_path / "chart.png"
    big = benchmark_chart(benchmark(PROFILE, {"okonomi_hr_lonn_per_klient": 800, "sak_arkiv_per_klient": 500}), path)
    assert small[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.read_bytes() == big
    assert imread(io.BytesIO(big)).shape[0] > imread(io.BytesIO(small)).shape[0]  # more panels, taller
