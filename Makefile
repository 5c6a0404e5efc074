# FairTrack: `make run` serves the app on SQLite with demo data; `make test` runs every test.
# Both create the virtual environment (.venv) and install the project on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_APPLICATIONS ?= 2000

.PHONY: install run test lint audit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

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
	$(BIN)/bandit -q -r law fairtrack regulators accounts workflow deadlines profiles flags oversight casefile api cli --severity-level high

# Known vulnerabilities in the installed dependencies. Needs PyPI's JSON vulnerability API; where
# the package index is a mirror without it, every package is "not found", so --strict fails rather
# than report a clean audit of nothing (docs/security.md).
audit: install
	$(BIN)/pip-audit --skip-editable --strict --progress-spinner off

bench: install
	$(BIN)/python bench/transitions.py

clean:
	rm -rf $(VENV) fairtrack.db fairtrack.db-wal fairtrack.db-shm .pytest_cache .mypy_cache .ruff_cache
