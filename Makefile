# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint test-deps assets dist clean mutation bench-load bench-observatory bench-export bench-import bench-national-map bench-rebuild screenshots

# WeasyPrint (PDF documents) needs Pango and a font from Debian; installed when missing.
PDF_DEPS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

$(STAMP): pyproject.toml
	@missing=""; for p in $(PDF_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

VENDOR := static/vendor/.installed

# Leaflet and Leaflet.markercluster from the npm registry (package-lock.json), served by the app: no CDN.
$(VENDOR): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/leaflet static/vendor/leaflet.markercluster
	cp -r node_modules/leaflet/dist static/vendor/leaflet/dist
	cp -r node_modules/leaflet.markercluster/dist static/vendor/leaflet.markercluster/dist
	touch $(VENDOR)

assets: $(VENDOR)

# The wheel an institute's server installs (templates, static files and Leaflet inside; see README, Deploying).
dist: $(STAMP) $(VENDOR)
	$(PY) -m pip wheel . --no-deps --quiet -w dist

install: $(STAMP) $(VENDOR)

# Serve the app: migrate, load demo data when the database is empty, then gunicorn on 127.0.0.1:5000.
run: install
	$(VENV)/bin/observatoire db upgrade
	$(VENV)/bin/observatoire demo --if-empty
	$(VENV)/bin/observatoire serve

# What the tests need from Debian (root on a bare Debian machine): Chromium for the browser tests, PostgreSQL
# for the second run of the suite (each run creates and removes a cluster of its own).
test-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; fi

lint: install
	$(VENV)/bin/ruff check .

# The whole suite on SQLite, then again on PostgreSQL (tests about SQLite itself, tests that name both engines and
# tests without a database are left out of the second run; see tests/conftest.py).
test: install test-deps lint
	$(PY) -m pytest
	$(PY) -m pytest --database=postgresql

# The observatory's dashboard beside the action list at 10k and 100k actions (not part of `make test`).
bench-observatory: $(STAMP)
	$(PY) bench/observatory_bench.py

# Index rebuild: whoosh's writer against search_index.bulk, on one and two processes (REBUILD_DOCS=100000 for 100k).
REBUILD_DOCS ?= 10000
bench-rebuild: $(STAMP)
	$(PY) bench/rebuild_bench.py --docs $(REBUILD_DOCS)

bench-export: $(STAMP)
	$(PY) bench/export_bench.py

bench-import: $(STAMP)
	$(PY) bench/import_bench.py

# /carte, /carte/points and /pairs at 100,000 organisations and 50,000 actions (not part of `make test`).
bench-national-map: $(STAMP) $(VENDOR) test-deps
	$(PY) bench/national_map_bench.py

# Screenshots of the main pages at 1280 px and 390 px into screenshots/ (not committed), for people to look.
screenshots: install test-deps
	$(PY) scripts/screenshots.py --out screenshots

# Load benchmark of the real server (not part of `make test`): wrk from Debian, demo data (DOCS=10000 for 10k actions).
DOCS ?= 0
bench-load: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi; }
	$(PY) bench/load.py --docs $(DOCS)

# Mutation testing, not part of `make test` (long: about 3 hours on 2 cores): mutmut mutates kb/services/ and
# kb/policy.py ([tool.mutmut] in pyproject.toml), runs tests/unit and tests/app against each mutant, then
# prints the figures per module (equivalent mutants: tests/mutation_equivalents.md). Results are cached in
# mutants/: a second run only tries mutants of changed functions.
MUTATION_CHILDREN ?= 2
mutation: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,mutation]'
	$(VENV)/bin/mutmut run --max-children $(MUTATION_CHILDREN)
	$(PY) scripts/mutation_report.py --fail-under 80

clean:
	rm -rf $(VENV) instance .pytest_cache
