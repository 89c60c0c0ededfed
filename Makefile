# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install browser fonts lint bench migrate-check clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Serve the app on http://127.0.0.1:$(PORT) with demo data (embedded SQLite in instance/).
run: export FIELDAPP_ENV ?= development
run: export FIELDAPP_DEMO ?= 1
run: install fonts
	$(FLASK) db upgrade
	$(FLASK) places load
	$(FLASK) demo seed
	@echo "Mở http://127.0.0.1:$(PORT) — mật khẩu các tài khoản minh họa: demo-2026"
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

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

lint: install
	$(BIN)/ruff check .

# The whole suite on SQLite, then again on a throwaway PostgreSQL database when one answers
# (FIELDAPP_TEST_POSTGRES_URL, or postgres@127.0.0.1:5432); set the variable to insist on it.
test: install browser fonts lint
	$(BIN)/python -m pytest -q -p no:cacheprovider
	@rc=0; $(BIN)/python -m tests.postgres_url >/dev/null || rc=$$?; \
	if [ $$rc = 0 ]; then FIELDAPP_TEST_ENGINE=postgresql $(BIN)/python -m pytest -q -p no:cacheprovider; \
	elif [ $$rc = 1 ]; then echo "PostgreSQL is not reachable: the PostgreSQL run was not done"; \
	else exit $$rc; fi

bench: install
	@for f in bench/*.py; do grep -q __main__ $$f || continue; echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) instance/fieldapp.db*
