# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint browser-deps assets clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
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

install: $(STAMP) $(VENDOR)

# Serve the app: migrate, load demo data when the database is empty, then gunicorn on 127.0.0.1:5000.
run: install
	$(VENV)/bin/observatoire db upgrade
	$(VENV)/bin/observatoire demo --if-empty
	$(VENV)/bin/observatoire serve

# Chromium from Debian's packages, for the browser tests (root on a bare Debian machine).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

lint: install
	$(VENV)/bin/ruff check .

test: install browser-deps lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
