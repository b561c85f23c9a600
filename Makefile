# gdguide: `make html` builds the site (both languages), `make test` runs every test.
# The first run creates .venv and installs the pinned versions; later runs reuse it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.package-lock.json
PYTEST_ARGS ?=
# The address the site is built for: canonical links, hreflang alternates and the sitemaps are
# absolute URLs under it. The default is where `make serve` serves the site; to publish, build
# with e.g. `make html GDGUIDE_SITE_URL=https://example.org/gdguide/`.
GDGUIDE_SITE_URL ?= http://localhost:8000/
export GDGUIDE_SITE_URL

.PHONY: html test lint serve bench clean

html: $(STAMP) $(NODE_STAMP)
	$(PY) tools/build_site.py

test: html
	$(PY) -m ruff check gdguide tests benchmarks tools gallery docs
	$(PY) -m pytest --cov=gdguide --cov-report=term-missing $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check gdguide tests benchmarks tools gallery docs

serve: html
	$(PY) -m http.server --directory build/html 8000

bench: $(STAMP)
	$(PY) benchmarks/bench_train.py

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -c constraints.txt -e '.[docs,test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

clean:
	rm -rf build docs/*/auto_examples test-results
