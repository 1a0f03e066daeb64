"""English words of the reports' domain in Norwegian (and Danish where the spelling differs).

The reports are Norwegian and Danish; an English question shares almost no words with them, so
BM25 and the coverage signals see nothing. An English question is searched with these words added
(``query.make_query``); the embedding is multilingual and takes the mixed text in its stride.
General domain vocabulary only — never words picked from the gold questions.
"""

from __future__ import annotations

import re

EN_NO = {
    "municipality": "kommune kommunen", "municipalities": "kommuner kommunene kommunerne", "municipal": "kommunal kommunale",
    "county": "fylkeskommune", "state": "staten statlig", "government": "regjeringen staten", "central": "sentral sentrale",
    "report": "rapport rapporten", "recommend": "anbefale anbefaler anbefaling", "recommends": "anbefaler anbefaling",
    "recommended": "anbefalt anbefalte anbefaling", "recommendation": "anbefaling", "recommendations": "anbefalinger",
    "funding": "finansiering", "fund": "finansiere", "financing": "finansiering", "financed": "finansiert",
    "grant": "tilskudd", "grants": "tilskudd", "budget": "budsjett", "cost": "kostnad kostnader", "costs": "kostnader",
    "expensive": "dyr kostbar", "cheap": "billig", "price": "pris", "prices": "priser", "spend": "bruke", "spent": "brukt",
    "savings": "besparelser gevinster", "save": "spare", "benefit": "gevinst", "benefits": "gevinster",
    "realisation": "realisering gevinstrealisering", "realization": "realisering gevinstrealisering",
    "cooperation": "samarbeid samarbejde", "collaboration": "samarbeid samarbejde", "collaborate": "samarbeide",
    "joint": "felles fælles", "common": "felles fælles", "shared": "felles delt", "together": "sammen",
    "start": "start oppstart", "startup": "oppstart", "start-up": "oppstart", "effort": "satsing innsats",
    "initiative": "satsing initiativ", "programme": "program", "program": "program", "project": "prosjekt",
    "projects": "prosjekter", "phase": "fase", "phases": "faser", "implementation": "implementering innføring",
    "implement": "implementere innføre", "introduce": "innføre", "years": "år", "year": "år", "time": "tid",
    "ambition": "ambisjon ambisjonsnivå", "level": "nivå", "levels": "nivåer", "maturity": "modenhet modenhed",
    "scenario": "scenario", "scenarios": "scenarioer", "option": "alternativ", "options": "alternativer",
    "alternative": "alternativ", "model": "modell", "models": "modeller", "strategy": "strategi", "strategic": "strategisk",
    "digitalisation": "digitalisering", "digitalization": "digitalisering", "digital": "digital digitale",
    "services": "tjenester", "service": "tjeneste", "citizens": "innbyggere borgere", "citizen": "innbygger borger",
    "residents": "innbyggere", "inhabitants": "innbyggere", "population": "innbyggere befolkning",
    "employees": "ansatte medarbejdere", "staff": "ansatte", "users": "brukere", "user": "bruker",
    "support": "støtte brukerstøtte", "operations": "drift", "operation": "drift", "running": "drift",
    "procurement": "anskaffelse anskaffelser innkjøp", "purchase": "innkjøp anskaffelse", "purchases": "innkjøp",
    "agreement": "avtale", "agreements": "avtaler rammeavtaler", "framework": "rammeverk rammeavtale",
    "supplier": "leverandør", "suppliers": "leverandører", "vendor": "leverandør", "vendors": "leverandører",
    "architecture": "arkitektur", "infrastructure": "infrastruktur", "system": "system", "systems": "systemer",
    "solution": "løsning", "solutions": "løsninger", "data": "data", "register": "register", "registers": "registre",
    "information": "informasjon", "security": "sikkerhet informasjonssikkerhet", "privacy": "personvern",
    "competence": "kompetanse", "skills": "kompetanse", "expertise": "kompetanse", "resources": "ressurser",
    "management": "ledelse styring", "governance": "styring styringsmodell", "leadership": "ledelse",
    "leaders": "ledere", "manager": "leder", "managers": "ledere", "organisation": "organisasjon organisering",
    "organization": "organisasjon organisering", "organised": "organisert", "organized": "organisert",
    "entity": "enhet", "unit": "enhet", "company": "selskap", "legal": "juridisk", "ownership": "eierskap eid",
    "owned": "eid", "risk": "risiko", "risks": "risikoer", "challenge": "utfordring", "challenges": "utfordringer",
    "barrier": "hindring", "barriers": "hindringer", "obstacles": "hindringer", "advantages": "fordeler",
    "disadvantages": "ulemper", "drawbacks": "ulemper", "weakness": "svakhet", "weaknesses": "svakheter",
    "strength": "styrke", "strengths": "styrker", "reason": "grunn årsak", "why": "hvorfor", "because": "fordi",
    "goal": "mål", "goals": "mål", "objectives": "mål", "sustainability": "bærekraft", "sustainable": "bærekraftig",
    "enquiries": "henvendelser", "inquiries": "henvendelser", "requests": "henvendelser", "channel": "kanal",
    "channels": "kanaler", "online": "digitalt nett", "home": "hjemme", "care": "omsorg pleie", "nursing": "sykepleie",
    "health": "helse", "school": "skole", "schools": "skoler", "archive": "arkiv", "case": "sak", "cases": "saker",
    "licence": "lisens", "licences": "lisenser", "license": "lisens", "licenses": "lisenser", "cloud": "sky skytjenester",
    "collaborations": "samarbeid", "partnership": "samarbeid", "member": "medlem", "members": "medlemmer",
    "small": "små liten", "smaller": "mindre", "large": "store stor", "larger": "større", "size": "størrelse",
    "share": "andel", "percentage": "prosent andel", "percent": "prosent", "per": "per pr", "million": "millioner mill",
    "billion": "milliarder mrd", "annual": "årlig", "annually": "årlig", "efficiency": "effektivisering effektivitet",
    "benchmark": "benchmark sammenligning", "comparison": "sammenligning", "compare": "sammenligne",
    "survey": "undersøkelse", "analysis": "analyse", "assessment": "vurdering", "evaluation": "evaluering",
    "consultants": "konsulenter", "decision": "beslutning", "decisions": "beslutninger", "politicians": "politikere",
    "political": "politisk", "council": "råd kommunestyre", "national": "nasjonal nasjonale", "sector": "sektor sektoren",
    "public": "offentlig offentlige", "private": "privat", "market": "marked", "competition": "konkurranse",
    "innovation": "innovasjon", "standard": "standard", "standards": "standarder", "components": "komponenter",
    "integration": "integrasjon", "interoperability": "samhandling", "tools": "verktøy", "tool": "verktøy",
    "helpdesk": "brukerstøtte servicedesk", "outsourcing": "utkontraktering", "insourcing": "egen drift",
    "lighthouse": "fyrtårn", "intermediary": "formidler", "facilitator": "tilrettelegger", "provider": "leverandør",
    "neighbouring": "nabo nabokommune", "region": "region regionen", "regional": "regional",
}

_WORD = re.compile(r"[\w\-]+")


def norwegian_words(question: str) -> str:
    """The Norwegian words for the English domain words of ``question``, once each, in order."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(question.lower()):
        for t in EN_NO.get(w, "").split():
            seen.setdefault(t, None)
    return " ".join(seen)
