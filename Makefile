# Two set-up commands (see README): `make serve` and `make test`.
# Everything is installed into .venv; mermaid comes pinned from the npm registry.

export NO_MKDOCS_2_WARNING := 1

PYTHON        ?= python3
VENV          := .venv
BIN           := $(VENV)/bin
MERMAID_VERSION := 11.12.0
MERMAID_SHA512  := ZudVx73BwrMJfCFmSSJT84y6u5brEoV8DOItdHomNLz32uBjNrelm7mg95X7g+C6UoQH/W6mBLGDEDv73JdxBg==
MERMAID_JS    := site_overrides/assets/vendor/mermaid.min.js
HOST          ?= 127.0.0.1:8000

.PHONY: site serve build test check lint clean chromium

site: $(BIN)/mkdocs $(MERMAID_JS)

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# The mermaid package tarball, checked against the pinned sha512, unpacked to the one file the site serves.
$(MERMAID_JS):
	@mkdir -p $(@D)
	@tmp=$$(mktemp -d) && \
	  (cd $$tmp && npm pack --silent mermaid@$(MERMAID_VERSION) >/dev/null) && \
	  got=$$(openssl dgst -sha512 -binary $$tmp/mermaid-$(MERMAID_VERSION).tgz | base64 -w0) && \
	  if [ "$$got" != "$(MERMAID_SHA512)" ]; then echo "mermaid $(MERMAID_VERSION): checksum mismatch" >&2; rm -rf $$tmp; exit 1; fi && \
	  tar -xzf $$tmp/mermaid-$(MERMAID_VERSION).tgz -C $$tmp package/dist/mermaid.min.js && \
	  mv $$tmp/package/dist/mermaid.min.js $@ && rm -rf $$tmp && \
	  echo "fetched mermaid $(MERMAID_VERSION) -> $@"

serve: site
	$(BIN)/mkdocs serve --livereload -a $(HOST)

build: site
	$(BIN)/mkdocs build --strict

check: site
	$(BIN)/kcards check

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: site chromium
	$(BIN)/pytest -q

lint: site
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

clean:
	rm -rf site $(MERMAID_JS)
