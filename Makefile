# Two set-up commands (see README): `make serve` and `make test`.
# Everything is installed into .venv. The third-party scripts (mermaid, cytoscape; axe-core for the tests)
# come from the npm registry, pinned and checksummed in scripts/vendor.py, which the wheel's build reads too.

export NO_MKDOCS_2_WARNING := 1

PYTHON        ?= python3
VENV          := .venv
BIN           := $(VENV)/bin
VENDOR        := $(PYTHON) scripts/vendor.py
VENDOR_DIR    := generator/knowledge_cards/assets/vendor
MERMAID_JS    := $(VENDOR_DIR)/mermaid.min.js
CYTOSCAPE_JS  := $(VENDOR_DIR)/cytoscape.min.js
AXE_JS        := tests/.vendor/axe.min.js
HOST          ?= 127.0.0.1:8000
MATERIALX_VENV := $(VENV)/materialx

.PHONY: site serve build test test-materialx check lint clean chromium

site: $(BIN)/mkdocs $(MERMAID_JS) $(CYTOSCAPE_JS)

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# Pinned npm files with their licences, checked against their sha512 (scripts/vendor.py, where the pins
# are: a changed pin fetches again). `pip install -e` fetches the site's scripts already (setup.py).
$(MERMAID_JS) $(CYTOSCAPE_JS) $(AXE_JS): scripts/vendor.py
	$(VENDOR) fetch --force $@

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

# The whole suite, MaterialX's build included (its own virtual environment, below).
test: site chromium $(AXE_JS) $(MATERIALX_VENV)/bin/mkdocs
	KCARDS_MATERIALX_PYTHON=$(CURDIR)/$(MATERIALX_VENV)/bin/python $(BIN)/pytest -q

# MaterialX (a fork of Material) installs the same `material` package, so it gets a virtual environment of
# its own, with this project installed editable and without its dependencies (Material among them).

$(MATERIALX_VENV)/bin/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(MATERIALX_VENV)
	$(MATERIALX_VENV)/bin/pip install --quiet 'mkdocs-materialx>=10,<11' 'properdocs>=1.6,<2' 'pymdown-extensions>=10.7' 'jinja2>=3.1' 'PyYAML>=6.0' 'click>=8.3.2'
	$(MATERIALX_VENV)/bin/pip install --quiet --no-deps -e .
	@touch $@

test-materialx: site $(MATERIALX_VENV)/bin/mkdocs
	KCARDS_MATERIALX_PYTHON=$(CURDIR)/$(MATERIALX_VENV)/bin/python $(BIN)/pytest -q tests/test_engines.py

lint: site
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

clean:
	rm -rf site $(VENDOR_DIR) tests/.vendor
