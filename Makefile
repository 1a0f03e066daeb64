# The README's commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
INDEX  ?= index

.PHONY: run test install index refresh eval fit bench lint clean browser office nginx server server-stop

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Build the index if missing (progress bar), then start the app on 127.0.0.1.
run: $(STAMP)
	@test -f $(INDEX)/CURRENT || $(PY) -m ingest build --index $(INDEX)
	$(PY) app.py

## Add new, re-embed changed, drop deleted reports.
refresh: $(STAMP)
	$(PY) -m ingest refresh --index $(INDEX)

index: $(STAMP)
	$(PY) -m ingest build --index $(INDEX)

## Debian's chromium for the browser test (root and apt-get: CI); elsewhere the test says what is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installerer chromium for nettlesertesten ..."; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium mangler og kan ikke installeres her; nettlesertesten hoppes over."; fi; }

## Debian's LibreOffice Writer and poppler-utils for the memo render test (DOCX -> PDF -> PNG);
## installed the same way as chromium, elsewhere the test says what is missing.
office:
	@{ command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; } || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installerer LibreOffice Writer og poppler-utils for notattesten ..."; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends libreoffice-writer poppler-utils fonts-dejavu-core >/dev/null; \
	  else echo "LibreOffice eller pdftoppm mangler og kan ikke installeres her; gjengivelsestesten av notatet hoppes over."; fi; }

## Debian's nginx, the reverse proxy of server mode and its cluster test (root and apt-get: CI);
## elsewhere the cluster test says what is missing and is skipped.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installerer nginx for servermodus og klyngetesten ..."; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; \
	  else echo "nginx mangler og kan ikke installeres her; klyngetesten hoppes over."; fi; }

test: $(STAMP) browser office nginx
	$(PY) -m pytest

## Server mode on 127.0.0.1: PostgreSQL, two workers, two app replicas and nginx (http://127.0.0.1:8080).
server: $(STAMP) nginx
	$(PY) -m server start

server-stop:
	$(PY) -m server stop

## Retrieval and answer quality on the dev set (report in eval/results/dev/), tools agreement.
eval: $(STAMP)
	$(PY) -m eval run --gold eval/gold/dev.jsonl --out eval/results/dev
	$(PY) -m eval tools --out eval/results/tools.md
	$(PY) -m eval claims --out eval/results/claims.md

## Refit the answer-sentence scorer, answerability and the meaning checker's threshold (tuning half only).
fit: $(STAMP)
	$(PY) -m eval fit-answers
	$(PY) -m eval claims --fit

bench: $(STAMP)
	$(PY) -m eval bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) $(INDEX) *.egg-info
