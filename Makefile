# `make demo` and `make test` work from a fresh clone: they create .venv, install the kit
# with the versions it was tested with (constraints.txt), then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "mlchallenge needs Python 3.11 or newer: run 'make PYTHON=python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/mlchallenge demo

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build gradebook.db submitted feedback .pytest_cache .ruff_cache
