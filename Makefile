# FairTrack: `make run` serves the app on SQLite with demo data; `make test` runs every test.
# Both create the virtual environment (.venv) and install the project on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_APPLICATIONS ?= 2000

.PHONY: install run test lint audit bench clean vendor messages

# The Ontario Design System, pinned; `make vendor` rebuilds static/ontario-design-system-<version>/
# from npm (committed: `make run` and CI need no npm).
ODS_VERSION := 4.2.0
SASS_VERSION := 1.83.4

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The compiled catalogs are committed; make refreshes one whose .po is newer.
MO := i18n/locales/en/LC_MESSAGES/messages.mo i18n/locales/fr/LC_MESSAGES/messages.mo
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

install: $(STAMP) $(MO)

run: install
	$(BIN)/fairtrack db upgrade
	$(BIN)/fairtrack regulators sync
	$(BIN)/fairtrack demo --applications $(DEMO_APPLICATIONS) --if-empty
	# The periodic scan, as a live server runs it: lapses the windows that ran out since the demo's
	# last steps and raises what is new (nothing, when run again).
	$(BIN)/fairtrack scan
	$(BIN)/fairtrack serve

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	# The floors (docs/architecture.md): every import runs down; only casefile appends to the log.
	$(BIN)/lint-imports
	# Security linting: fails on any high-severity finding (docs/security.md).
	$(BIN)/bandit -q -r law fairtrack i18n regulators accounts workflow deadlines profiles flags oversight integrations charts documents casefile api cli --severity-level high

# Known vulnerabilities in the installed dependencies. Needs PyPI's JSON vulnerability API; where
# the package index is a mirror without it, every package is "not found", so --strict fails rather
# than report a clean audit of nothing (docs/security.md).
audit: install
	$(BIN)/pip-audit --skip-editable --strict --progress-spinner off

bench: install
	$(BIN)/python bench/transitions.py

vendor:
	ODS_VERSION=$(ODS_VERSION) SASS_VERSION=$(SASS_VERSION) static/vendor.sh

# The English and French catalogs (i18n/): extract every message from the code, templates and the
# road's vocabulary, merge new ones into both catalogs, compile. Translate in the .po files, then
# run it again (tests/i18n fails while any message lacks its French).
messages: install
	$(BIN)/pybabel extract -F i18n/babel.cfg -k msg -k N_ -c TRANSLATORS: --no-location --omit-header \
	    --sort-output --project FairTrack --copyright-holder FairTrack -o i18n/messages.pot .
	$(BIN)/pybabel update -D messages -i i18n/messages.pot -d i18n/locales --no-fuzzy-matching \
	    --ignore-obsolete
	$(BIN)/pybabel compile --statistics -D messages -d i18n/locales

clean:
	rm -rf $(VENV) fairtrack.db fairtrack.db-wal fairtrack.db-shm .pytest_cache .mypy_cache .ruff_cache
