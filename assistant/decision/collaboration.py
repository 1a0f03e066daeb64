"""Advice on the kommune's own IKT collaboration form (PA 2015 on six IKT-samarbeid, the Kolding note
on a bilateral partnership, Devoteam and IT i praksis on inter-municipal cooperation)."""

from __future__ import annotations

from .profile import KommuneProfile
from .rules import collaboration_rules
from .types import CollaborationAdvice


def advise_collaboration(profile: KommuneProfile) -> CollaborationAdvice:
    forms, advice = collaboration_rules()
    form = profile.collaboration
    if form is None:
        return CollaborationAdvice(
            form=None,
            label="Samarbeidsform ikke oppgitt",
            advice=(),
            open_questions=(
                "Oppgi samarbeidsform (ingen, vertskommune, oppgavefellesskap/§27, IKS, AS eller "
                "bilateral) for å få råd om den.",
            ),
        )
    facts = profile.facts()
    reasons = tuple(a.reason() for a in advice if form in a.forms and a.applies(facts))
    open_questions = list(forms[form].open_questions)
    if form == "bilateral" and profile.country == "NO":
        open_questions.append(
            "Kolding-notatet beskriver et dansk samarbeid. Muligheten til å samarbeide fra dag 1 om "
            "løsninger kjøpt i fellesskap via KOMBIT har ingen direkte norsk parallell."
        )
    return CollaborationAdvice(form=form, label=forms[form].label, advice=reasons, open_questions=tuple(open_questions))
