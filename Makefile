# The two commands of the README: `make run` and `make test`. Everything else is a step they share.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup ingest lint eval bench

run: setup  ## install, ingest the bundled knowledge base, serve the web app at http://127.0.0.1:8000
	$(BIN)/advisor serve

test: setup lint  ## install, lint and type-check, run the whole test suite and the smoke evaluation
	$(BIN)/pytest
	$(BIN)/advisor eval smoke

setup:
	@bash scripts/setup.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

ingest: setup
	$(BIN)/advisor ingest

eval: setup  ## every evaluation suite on the configured model
	$(BIN)/advisor eval retrieval answers refusal plans claims claims_heldout3 claims_heldout4 claims_heldout5 claims_heldout6 ingest ingest_heldout ingest_heldout3 ingest_heldout4 ingest_heldout5 ingest_heldout6 ingest_heldout7

bench: setup  ## every benchmark; figures go to bench/RESULTS.md
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done
