# Two set-up commands (see README): `make serve` and `make test`.
# Everything is installed into .venv; mermaid comes pinned from the npm registry.

export NO_MKDOCS_2_WARNING := 1

PYTHON        ?= python3
VENV          := .venv
BIN           := $(VENV)/bin
MERMAID_VERSION := 11.12.0
MERMAID_SHA512  := ZudVx73BwrMJfCFmSSJT84y6u5brEoV8DOItdHomNLz32uBjNrelm7mg95X7g+C6UoQH/W6mBLGDEDv73JdxBg==
MERMAID_JS    := generator/knowledge_cards/assets/vendor/mermaid.min.js
CYTOSCAPE_VERSION := 3.35.0
CYTOSCAPE_SHA512  := sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsvEqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g==
CYTOSCAPE_JS  := generator/knowledge_cards/assets/vendor/cytoscape.min.js
AXE_VERSION   := 4.11.0
AXE_SHA512    := ilYanEU8vxxBexpJd8cWM4ElSQq4QctCLKih0TSfjIfCQTeyH/6zVrmIJfLPrKTKJRbiG+cfnZbQIjAlJmF1jQ==
AXE_JS        := tests/.vendor/axe.min.js
HOST          ?= 127.0.0.1:8000

.PHONY: site serve build test check lint clean chromium

site: $(BIN)/mkdocs $(MERMAID_JS) $(CYTOSCAPE_JS)

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# Pinned npm files, checked against their sha512 (see scripts/fetch-npm-file).
$(MERMAID_JS):
	scripts/fetch-npm-file mermaid $(MERMAID_VERSION) $(MERMAID_SHA512) dist/mermaid.min.js $@

$(CYTOSCAPE_JS):
	scripts/fetch-npm-file cytoscape $(CYTOSCAPE_VERSION) $(CYTOSCAPE_SHA512) dist/cytoscape.min.js $@

$(AXE_JS):
	scripts/fetch-npm-file axe-core $(AXE_VERSION) $(AXE_SHA512) axe.min.js $@

# `--dirty`: MkDocs skips unchanged pages, and the plugin rebuilds those whose neighbours changed (README,
# Scale). The served site goes in memory (/dev/shm) when it can: writing pages to disk is slower.
SERVE_TMP ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo $${TMPDIR:-/tmp})

serve: site
	TMPDIR=$(SERVE_TMP) $(BIN)/mkdocs serve --livereload --dirty -a $(HOST)

# The sitemap's date comes from the last commit, so the same sources always give the same site.
build: site
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || date +%s) $(BIN)/mkdocs build --strict

check: site
	$(BIN)/kcards check

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: site chromium $(AXE_JS)
	$(BIN)/pytest -q

lint: site
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

clean:
	rm -rf site $(MERMAID_JS) $(CYTOSCAPE_JS) $(AXE_JS)
