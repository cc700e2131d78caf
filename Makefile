# Navigator: `make demo` to try it, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
HOST ?= 127.0.0.1:8000

.PHONY: help install demo test test-fast lint browser-deps vendor-govuk bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(RUNTIME): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(DEV): $(RUNTIME) requirements-dev.in
	$(BIN)/pip install --quiet -c constraints.txt -r requirements-dev.in
	touch $@

install: $(RUNTIME) ## Create .venv and install the pinned dependencies

demo: $(RUNTIME) ## Migrate the embedded database, load synthetic demo data and serve on http://$(HOST)
	$(BIN)/navigator migrate --verbosity 0
	$(BIN)/navigator demo
	@echo "Serving Navigator on http://$(HOST), with a background worker for uploads (Ctrl+C stops both)"
	@$(BIN)/navigator worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/navigator runserver $(HOST) --noreload

browser-deps: ## Debian's Chromium (for browser tests) and ripgrep (for the screening benchmark)
	@command -v chromium >/dev/null && command -v rg >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ripgrep >/dev/null; }

test: $(DEV) browser-deps ## The whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n 2 --dist loadfile -q

lint: $(DEV) ## ruff, the import contracts, and migrations in step with the models
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/navigator makemigrations --check --dry-run

vendor-govuk: ## Refresh the vendored GOV.UK Frontend assets from npm (VERSION=6.6.0)
	./scripts/vendor-govuk-frontend.sh $(VERSION)

bench: $(DEV) ## Run the benchmarks (the screening bench also times the import into PostgreSQL)
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/estimation.py
	$(BIN)/python bench/victim_trail.py

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
