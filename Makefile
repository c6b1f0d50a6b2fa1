# Tremplin — the two commands of the README, and the steps they are made of.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test check fast install python-packages npm-assets system-packages translations serve

## Install everything, load the demo network into SQLite, and serve http://127.0.0.1:8000
demo: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/tremplin migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/tremplin demo
	@echo ""
	@echo "Tremplin runs on http://$(HOST):$(PORT)/ — stop it with Ctrl+C."
	@# The background worker (calibration of the item bank) runs beside the web server.
	DJANGO_SETTINGS_MODULE=config.settings.local sh -c '$(BIN)/tremplin db_worker --no-reload -v 0 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; $(BIN)/tremplin runserver $(HOST):$(PORT)'

## Install everything and run the whole test suite (SQLite, then PostgreSQL when it answers)
test: install
	bash scripts/test.sh

## The quality gates without the tests: ruff, mypy, migrations, deployment checklist (a minute)
check: install
	bash scripts/check.sh

## The SQLite tests without the browser ones (no gates, no PostgreSQL): the quick loop
fast: install
	DJANGO_SETTINGS_MODULE=config.settings.test env -u DATABASE_URL $(BIN)/pytest -n $${TREMPLIN_TEST_WORKERS:-2} -q -m "not browser"

install: system-packages python-packages npm-assets translations

system-packages:
	@bash scripts/system-packages.sh

python-packages: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

npm-assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	cd $(CURDIR) && DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/tremplin compilemessages --ignore=.venv --ignore=node_modules -v 0
