# Two commands for a newcomer: `make run` and `make test` (see README.md).
# The first of python3.13, python3.12, python3.11, python3 that is 3.11 to 3.13 (or PYTHON=...).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null \
  && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run demo reset-demo test install browser fonts lint bench migrate-check clean

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "fieldapp needs Python 3.11, 3.12 or 3.13: none of python3.13, python3.12, python3.11,"; \
	  echo "python3 on the PATH is one. Install one (apt-get install python3), or name it:"; \
	  echo "make run PYTHON=/path/to/python3.12"; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per set of packages: the runtime (make run), with the test tools (make test),
# with the load generator (make bench); each is installed again when pyproject.toml changes.
$(BIN)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(BIN)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

# A developer's install: the app and the test tools.
install: $(BIN)/.installed-dev

# The demo commune in the embedded SQLite database (instance/fieldapp.db); a second run
# changes nothing (the rebuild gives a database from before migration 0008 its stored pairs).
demo: export FIELDAPP_ENV ?= development
demo: export FIELDAPP_DEMO ?= 1
demo: $(BIN)/.installed-run
	$(FLASK) db upgrade
	$(FLASK) places load
	$(FLASK) demo seed
	$(FLASK) duplicates rebuild

# Serve the app on http://$(HOST):$(PORT) with the demo data; HOST=0.0.0.0 for a phone on
# the same network.
run: export FIELDAPP_ENV ?= development
run: export FIELDAPP_DEMO ?= 1
run: demo fonts
	@echo "Mở http://$(if $(filter 0.0.0.0,$(HOST)),$$(hostname -I | cut -d' ' -f1),$(HOST)):$(PORT) — mật khẩu các tài khoản minh họa: demo-2026"
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --no-control-socket --access-logfile - wsgi:app

# The demo data as new: removes only the database (stop `make run` first), then loads it again.
reset-demo:
	rm -f instance/fieldapp.db instance/fieldapp.db-wal instance/fieldapp.db-shm
	$(MAKE) demo

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (apt-get install chromium)"; exit 1; fi; \
	fi

# A Unicode font for the PDFs (FIELDAPP_PDF_FONT): Debian's DejaVu Sans.
PDF_FONT ?= $(or $(FIELDAPP_PDF_FONT),/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)
fonts:
	@if [ ! -f $(PDF_FONT) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  else echo "$(PDF_FONT) is missing: install Debian's fonts-dejavu-core package (apt-get install fonts-dejavu-core)"; exit 1; fi; \
	fi

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .

# The whole suite on SQLite, then again on a throwaway PostgreSQL database when one answers
# (FIELDAPP_TEST_POSTGRES_URL, or postgres@127.0.0.1:5432); set the variable to insist on it.
test: $(BIN)/.installed-dev browser fonts lint
	$(BIN)/python -m pytest -q -p no:cacheprovider
	@rc=0; $(BIN)/python -m tests.postgres_url >/dev/null || rc=$$?; \
	if [ $$rc = 0 ]; then FIELDAPP_TEST_ENGINE=postgresql $(BIN)/python -m pytest -q -p no:cacheprovider; \
	elif [ $$rc = 1 ]; then echo "PostgreSQL is not reachable: the PostgreSQL run was not done"; \
	else exit $$rc; fi

bench: $(BIN)/.installed-bench
	@failed=""; for f in bench/*.py; do grep -q __main__ $$f || continue; echo "== $$f"; \
	  $(BIN)/python $$f || failed="$$failed $$f"; done; \
	if [ -n "$$failed" ]; then echo "missed a target or failed:$$failed"; exit 1; fi

clean:
	rm -rf $(VENV) instance/fieldapp.db*
