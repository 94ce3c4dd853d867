# ConvNet Atlas: `make site` builds the site into site/, `make test` runs every test.
# Both create .venv and fetch the front-end assets when they are missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KATEX  := docs/vendor/katex
# Material's offline search needs this shim to run from disk (make offline).
IFRAME := docs/vendor/iframe-worker
# js-yaml reads the specs a reader pastes into the shape calculator.
JSYAML := docs/vendor/js-yaml

# Byte-identical builds: every date MkDocs and matplotlib write comes from here.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
export SOURCE_DATE_EPOCH
# Material prints a multi-line banner about MkDocs 2.0 on every build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: all setup assets generate site serve test test-fast bench deploy clean offline pages

all: site

setup: $(STAMP) assets

# The virtual environment, with the exact versions of constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e '.[test]'
	touch $@

# KaTeX from the npm registry (package-lock.json pins it), copied into the
# docs as a git-ignored folder: the site renders math with no network.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(KATEX)/.copied $(IFRAME)/shim.js $(JSYAML)/js-yaml.min.js

$(JSYAML)/js-yaml.min.js: node_modules/.package-lock.json
	mkdir -p $(JSYAML)
	cp node_modules/js-yaml/LICENSE $(JSYAML)/
	cp node_modules/js-yaml/dist/browser/js-yaml.umd.min.js $@

$(KATEX)/.copied: node_modules/.package-lock.json
	rm -rf $(KATEX)
	mkdir -p $(KATEX)/contrib
	cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css $(KATEX)/
	cp node_modules/katex/dist/contrib/auto-render.min.js $(KATEX)/contrib/
	cp -r node_modules/katex/dist/fonts $(KATEX)/
	cp node_modules/katex/LICENSE $(KATEX)/
	touch $@

# The whole site as one zip that works opened from disk (file://): Material's
# offline plugin (plain .html links, the search index as a script) and the
# iframe-worker shim (search's worker from file://), both only in this build.
offline: $(IFRAME)/shim.js generate
	$(BIN)/python -m generator offline

# The site as the Pages workflow deploys it: site/ with the offline bundle inside,
# where the home page's download link points (settings.OFFLINE_DOWNLOAD).
pages: site offline
	$(BIN)/python -m generator publish

$(IFRAME)/shim.js: node_modules/.package-lock.json
	mkdir -p $(IFRAME)
	cp node_modules/iframe-worker/shim/index.js $@
	cp node_modules/iframe-worker/LICENSE $(IFRAME)/

generate: setup
	$(BIN)/python -m generator build

# Generate, build into a temporary folder, and swap it in whole, under one lock
# (two builds at once wait for each other); any builder warning fails the build
# and leaves the previous site/ untouched. See generator/commands/site.py.
site: setup
	$(BIN)/python -m generator site

# Live reload; not strict, so a warning (a browser asking for /favicon.ico)
# is shown without aborting the rebuild. The hook re-runs the generator.
serve: generate
	ATLAS_STRICT=false $(BIN)/mkdocs serve --livereload

test: setup
	$(BIN)/python -m pytest

# Everything but the site builds and the browser tests.
test-fast: setup
	$(BIN)/python -m pytest -m "not site and not browser and not slow"

bench: setup
	@set -e; for b in benchmarks/bench_*.py; do \
		echo "== $$b"; $(BIN)/python $$b; done

# Alternative to the Pages workflow: push site/ to the gh-pages branch.
deploy: setup
	$(BIN)/mkdocs gh-deploy --strict --force

# The generator removes what it made (its manifest says what); then the assets.
clean:
	test ! -x $(BIN)/python || $(BIN)/python -m generator clean
	rm -rf $(KATEX) $(IFRAME) $(JSYAML) build/offline .pytest_cache .hypothesis
