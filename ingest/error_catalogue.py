"""The error catalogue: every code a user can meet, with its Norwegian message, which says what to
do. Raise with ``SomeError.of("<CODE>", name=...)`` (``ingest/errors.py``); the code travels with the
error (``error.code``) into the log, so a support question can quote it.

Codes are grouped by where they arise. The index and corpus codes at the end are raised by
``ingest/index/files.py``, ``ingest/pipeline.py`` and ``assistant/core.py`` with the same words.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
    # Embedders (ingest/embed/embedders.py)
    "EMBEDDER_UNKNOWN": "Ukjent embedder «{spec}». Bruk en av {known} (for eksempel «st:<modellnavn eller mappe>»).",
    "EMBEDDER_NOT_LOCAL": (
        "Fant ikke sentence-transformers-modellen «{name}» lokalt. Oppgi en mappe med modellen, eller et navn "
        "som allerede ligger i den lokale cachen (ingen nedlasting)."
    ),
    "EMBEDDER_NO_WIDTH": "Sentence-transformers-modellen «{name}» oppgir ikke vektorlengden sin; velg en annen modell.",
    "EMBEDDER_NO_MODEL": "Oppgi modellen etter «st:», for eksempel «st:/sti/til/modell».",
    "EMBEDDER_PLUGIN": (
        "Fant ikke embedder-tillegget «{entry}» i {variable}. Skriv det som modul:funksjon, og sjekk at modulen "
        "kan importeres."
    ),
    # Answering (assistant/)
    "RERANKER_UNKNOWN": "Ukjent reranker «{name}»; velg en av {known} (VEIVALG_RERANKER).",
    "PROMPT_NAME": "«{name}» er ikke et gyldig prompt-navn; bruk navn.vN, for eksempel «{example}».",
    "PROMPT_MISSING": "Fant ikke prompten «{name}» ({path}): {reason}.",
    "PROMPT_EMPTY": "Prompten «{name}» ({path}) er tom. Skriv instruksjonene inn i filen, eller velg en annen prompt.",
    "EXPORT_EMPTY": "Samtalen er tom. Still et spørsmål først; da kan den eksporteres.",
    # The language model (assistant/llm/models.py)
    "LLM_DEADLINE": "Tidsfristen for språkmodellen må være over 0 sekunder (VEIVALG_LLM_TIMEOUT_S er {deadline}).",
    "LLM_DEADLINE_NOT_NUMBER": "VEIVALG_LLM_TIMEOUT_S må være et tall (sekunder), ikke «{deadline}».",
    "LLM_PROVIDER_UNKNOWN": (
        "Ukjent språkmodell-leverandør «{provider}». Sett VEIVALG_LLM_PROVIDER til «openai» (OpenAI-kompatibel "
        "tjener) eller «ollama», eller fjern den for å svare uten språkmodell."
    ),
    "LLM_MODEL_MISSING": (
        "Språkmodell-leverandøren er «{provider}», men ingen modell er valgt. Sett VEIVALG_LLM_MODEL (for "
        "eksempel «llama3.1:8b»)."
    ),
    # The app's settings (assistant/settings.py)
    "LOGIN_HALF_SET": (
        "Innlogging er bare halvveis satt opp: {missing} mangler. Sett både VEIVALG_USER og VEIVALG_PASSWORD for "
        "å kreve innlogging, eller ingen av dem for å kjøre uten."
    ),
    "LOGIN_LOOKALIKE": (
        "Ukjent innloggingsvariabel {names}. Innlogging settes med VEIVALG_USER og VEIVALG_PASSWORD; rett navnet, "
        "så starter appen."
    ),
    "APP_AT_LEAST_ONE": "VEIVALG_CONCURRENCY og VEIVALG_SESSIONS må være minst 1 (er {concurrency} og {sessions}).",
    "APP_NOT_WHOLE": "VEIVALG_PORT, VEIVALG_CONCURRENCY og VEIVALG_SESSIONS må være hele tall ({reason}).",
    # The report library (ingest/library.py, ingest/load/manifest.py)
    "REPORT_EXISTS": (
        "Det finnes allerede en rapport med filnavnet «{name}». Velg «Erstatt» for å erstatte den med den nye "
        "filen, eller «Behold begge» for å legge den til som «{alternative}»."
    ),
    "REPORT_DUPLICATE": "«{name}» har nøyaktig samme innhold som «{existing}», som allerede er i biblioteket. Ingenting er endret.",
    "REPORT_NOT_INDEXED": (
        "«{name}» blir ikke indeksert: filer med dette navnet er korpusets egne notater. Gi filen et annet navn "
        "hvis den er en rapport. Ingenting er endret."
    ),
    "REPORT_NOT_FOUND": "Fant ingen rapport med filnavnet «{name}». Ingenting er endret.",
    "REPORT_FIELD_UNKNOWN": "Ukjent felt: {fields}. Ingenting er endret.",
    "REPORT_COUNTRY": "Land må være {countries} (eller tomt). Ingenting er endret.",
    "REPORT_LANGUAGE": "Språk må være en av {languages} (eller tomt). Ingenting er endret.",
    "REPORT_YEAR": "Året må ha fire sifre, for eksempel 2020. Ingenting er endret.",
    "LIBRARY_ADMIN_ONLY": "Bare administratorer kan endre rapportbiblioteket. Ingenting er endret.",
    "REPORT_REFRESH_FAILED": "Oppdateringen av indeksen feilet. Ingenting er endret.",
    "MANIFEST_UNREADABLE": "{path}: manifestet kan ikke leses ({reason}). Rett filen, eller fjern den for å bruke rapportenes egne titler.",
    # The index and the corpus (ingest/index/files.py, ingest/pipeline.py, assistant/core.py)
    "INDEX_MISSING": "Fant ingen indeks i «{index_dir}». Bygg den med `make index` (eller `python -m ingest build`).",
    "INDEX_FORMAT": "Indeksen i «{index_dir}» har et annet format; bygg den på nytt med `make index`.",
    "INDEX_DAMAGED": "Indeksen i «{index_dir}» er skadet ({files}); kjør `python -m ingest refresh` for å bygge den opp igjen.",
    "INDEX_UNREADABLE": "Indeksen i «{index_dir}» kan ikke leses ({reason}); bygg den på nytt med `make index`.",
    "INDEX_INCONSISTENT": "Indeksen i «{index_dir}» er inkonsistent; bygg den på nytt med `make index`.",
    "INDEX_BUSY": "En annen oppdatering av indeksen i «{index_dir}» pågår; prøv igjen om litt.",
    "INDEX_EMBEDDER_MISMATCH": (
        "Indeksen er bygget med «{built_with}», men innstillingene ber om «{asked}». Kjør `python -m ingest refresh "
        "--embedder {asked}` for å bygge den på nytt, eller fjern innstillingen."
    ),
    "CORPUS_EMPTY": (
        "Korpusmappen «{corpus_dir}» har ingen rapporter, men indeksen har {live}. Sjekk mappen; vil du virkelig "
        "tømme indeksen, kjør med --allow-empty."
    ),
}


def message(code: str, **values: object) -> str:
    """The catalogue's message for ``code`` with ``values`` filled in."""
    return CATALOGUE[code].format(**values)
