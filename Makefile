# `make demo` and `make test` work from a fresh clone: they create .venv, install the kit
# with the versions it was tested with (constraints.txt), then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install sandbox browser postgres demo test test-fast lint clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "mlchallenge needs Python 3.11 or newer: run 'make PYTHON=python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@# the kit's own bytecode, as pip writes it for every installed package: every grading process,
	@# worker and kernel factory imports the kit, and the workers' server (python -B), the kernel
	@# factories (a read-only view of the clone) and any process under PYTHONDONTWRITEBYTECODE
	@# would otherwise compile it afresh each time
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

install: $(STAMP) sandbox browser

# Grading kernels run under bubblewrap; install it when we can (root with apt-get), else say how.
sandbox:
	@command -v bwrap >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap; \
		else \
			echo "grading needs bubblewrap: run 'sudo apt-get install bubblewrap' (or your system's package)"; exit 1; \
		fi; }

# The browser test (tests/test_browser.py) drives Debian's chromium with Playwright; Playwright's
# own browser download is never used. Install it when we can (root with apt-get), else say how.
browser:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else \
			echo "the browser test needs Chromium: run 'sudo apt-get install chromium' (or your system's package)"; exit 1; \
		fi; }

# The tests run a throwaway PostgreSQL server for the gradebook (Debian's postgresql package;
# the tests start it themselves, on a temporary data directory and a loopback port).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
		else \
			echo "the tests need PostgreSQL: run 'sudo apt-get install postgresql' (or your system's package)"; exit 1; \
		fi; }

demo: install
	$(BIN)/mlchallenge demo

lint: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint postgres
	$(BIN)/pytest

# what needs no grading sandbox, browser, PostgreSQL or Dask, and nothing slow (pytest markers)
test-fast: lint
	$(BIN)/pytest -m "not (slow or sandbox or browser or postgres or cluster)"

clean:
	rm -rf $(VENV) build gradebook.db submitted feedback .pytest_cache .ruff_cache .mypy_cache
