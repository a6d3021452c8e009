# paxwatch: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: test lint typecheck unit demo bench venv clean browser-deps build-deps

# The install compiles the EDIFACT readers and screening's hot path (mypyc; both listed in
# their package's COMPILED_MODULES) and the C tokenizer loop (setup.py), so it is redone when
# they change; until then edited modules run from source (paxwatch.compiled).
$(STAMP): pyproject.toml setup.py $(wildcard src/paxwatch/formats/_edifact_*.c src/paxwatch/formats/_edifact_*.h) src/paxwatch/model/_construct.c $(wildcard src/paxwatch/formats/*.py) src/paxwatch/compiled.py $(wildcard src/paxwatch/screening/*.py)
	@$(MAKE) --no-print-directory build-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

# The build needs a C compiler and the headers of the Python that builds the venv. The
# compiler is installed when missing and when we may (root, apt); missing headers are named.
build-deps:
	@command -v cc >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    (apt-get update -qq && apt-get install -y -qq --no-install-recommends gcc libc6-dev) \
	    || { echo "no C compiler: install gcc (Debian: apt-get install gcc)"; exit 1; }; }
	@$(PYTHON) -c "import os, sysconfig, sys; h = os.path.join(sysconfig.get_paths()['include'], 'Python.h'); os.path.exists(h) or sys.exit('missing ' + h + ': install the Python headers (Debian: apt-get install python3-dev)')"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (never a downloaded browser). Installed when missing
# and when we may (root, apt); otherwise those tests skip and say why.
browser-deps:
	@command -v /usr/bin/chromium >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) \
	    || echo "chromium not installed: browser tests will be skipped"; }

unit: $(STAMP) browser-deps
	$(BIN)/pytest -n 2

test: lint typecheck unit

demo: $(STAMP)
	$(BIN)/paxwatch demo

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/parse.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build
	find src -name "*.so" -delete
