# Two commands for a newcomer: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/runlift run

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(TEST_STAMP) lint
	@$(BIN)/python -m tests.pg_probe && pg=1 || pg=0; \
	echo "== tests on SQLite =="; \
	$(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	if [ $$pg = 1 ]; then \
	  echo "== tests on PostgreSQL (127.0.0.1:5432) =="; \
	  TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	    $(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	else \
	  echo "== PostgreSQL half SKIPPED: nothing answers on 127.0.0.1:5432 (set TEST_DATABASE_URL to run it) =="; \
	fi

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) runlift.db runlift-files
