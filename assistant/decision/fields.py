"""The field catalogue of the kommune profile: each field's label on the form, its heading in the
memo, how the chat asks for it, and its limits. The profile's checks, the form, the memo and the
chat's questions all read it here, so a label or a limit is stated once."""

from __future__ import annotations

from dataclasses import dataclass

SCORE = (1.0, 5.0)  # the 1–5 scales (maturity, bestiller competence)


@dataclass(frozen=True)
class ProfileField:
    key: str
    label: str  # the form's label (a question for yes/no fields)
    heading: str  # the memo's row heading
    asked: str = ""  # what the chat asks for when it is missing (lower case, part of a sentence)
    limits: tuple[float, float] | None = None  # the values the profile accepts (inclusive)


PROFILE_FIELDS: dict[str, ProfileField] = {
    f.key: f
    for f in (
        ProfileField("name", "Kommunens navn", "Kommune", "kommunens navn"),
        ProfileField("country", "Land", "Land"),
        # Oslo, the largest kommune in either country, has about 720 000 innbyggere.
        ProfileField("population", "Innbyggertall", "Innbyggere", "innbyggertall", limits=(1, 1_000_000)),
        ProfileField(
            "centrality",
            "Sentralitet",
            "Sentralitet",
            "om kommunen er sentral, mellomsentral eller en distriktskommune",
        ),
        ProfileField(
            "collaboration",
            "Samarbeidsform for IKT",
            "Samarbeidsform for IKT",
            "dagens samarbeidsform (ingen, vertskommune, oppgavefellesskap/§27, IKS, AS eller bilateral)",
        ),
        ProfileField(
            "it_cost_per_inhabitant",
            "IT-kostnad per innbygger (kr)",
            "IT-kostnad per innbygger",
            "IT-kostnad per innbygger i kroner",
            limits=(0, 50_000),
        ),
        ProfileField("it_staff_fte", "IT-årsverk", "IT-årsverk", limits=(0, 10_000)),
        ProfileField(
            "maturity",
            "Samlet IT-/digital modenhet (1–5)",
            "Samlet IT-/digital modenhet",
            "samlet IT-/digital modenhet på en skala fra 1 til 5",
            limits=SCORE,
        ),
        ProfileField("maturity_areas", "Modenhet per område (1–5)", "Modenhet per område", limits=SCORE),
        ProfileField(
            "digitalisation_central_to_attractiveness",
            "Er IT og digitalisering sentralt for å tiltrekke innbyggere og næringsliv?",
            "IT og digitalisering sentralt for attraktiviteten",
            "om IT og digitalisering er sentralt for å tiltrekke innbyggere og næringsliv",
        ),
        ProfileField(
            "major_sector_challenges",
            "Har kommunen store utfordringer i sektorene (helse, oppvekst o.l.)?",
            "Store utfordringer i sektorene",
            "om kommunen har store utfordringer i sektorene (helse, oppvekst o.l.)",
        ),
        ProfileField(
            "has_it_strategy",
            "Har kommunen en vedtatt IT- eller digitaliseringsstrategi?",
            "Vedtatt IT- eller digitaliseringsstrategi",
        ),
        ProfileField("bestiller_competence", "Bestillerkompetanse (1–5)", "Bestillerkompetanse", limits=SCORE),
        ProfileField("priorities", "Vekt på kriteriene", "Vekt på kriteriene", limits=(0, 10)),
    )
}


def field(key: str) -> ProfileField:
    return PROFILE_FIELDS[key]


def limits(key: str) -> tuple[float, float]:
    bounds = PROFILE_FIELDS[key].limits
    assert bounds is not None, key
    return bounds
