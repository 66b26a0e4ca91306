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

# Each half runs at a fixed fake date (libfaketime), so no result depends on the day: a Sunday a minute
# before a New Year midnight, and the night Europe moves its clocks forward.
DATE_A ?= 2027-01-03 23:59:30
DATE_B ?= 2026-03-29 00:59:40

test: $(TEST_STAMP) lint
	@$(BIN)/python -m tests.pg_probe && pg=1 || pg=0; \
	if command -v faketime >/dev/null 2>&1; then at_a="faketime '$(DATE_A)'"; at_b="faketime '$(DATE_B)'"; \
	else echo "== faketime not installed (apt install faketime): both halves run at the real date =="; at_a=; at_b=; fi; \
	echo "== tests on SQLite, as of $(DATE_A) =="; \
	eval $$at_a $(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	if [ $$pg = 1 ]; then \
	  echo "== tests on PostgreSQL (127.0.0.1:5432), as of $(DATE_B) =="; \
	  export TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}; \
	  eval $$at_b $(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	else \
	  echo "== PostgreSQL half SKIPPED: nothing answers on 127.0.0.1:5432 (set TEST_DATABASE_URL to run it) =="; \
	fi

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) runlift.db runlift-files
