# Set-up, build and tests of the edition. On a fresh machine: `make build`, then `make test`.
# Each target installs what it needs first (virtual environment, npm tools, Chromium, Java).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
CHROMIUM := /usr/bin/chromium

.PHONY: build lint test test-fast audit serve bench screenshot clean distclean

build: $(VENV)/.runtime
	$(PY) build.py build $(BUILD_ARGS)

# Lint and types first, so a typo fails in seconds; then the editors' check; then every test: the fast ones
# spread over the cores, then the browser and the validators in one process (one browser, one built site).
# No test asserts a duration: speed is `make bench`'s, Lighthouse's performance `make audit`'s.
test: lint test-fast node_modules/.installed $(CHROMIUM) java
	$(PY) build.py check
	$(PY) -m pytest -m "(browser or validator) and not audit"

# The edit loop (under a minute on two cores): everything but the browser and the external validators.
test-fast: $(VENV)/.dev
	$(PY) -m pytest -n auto --dist worksteal -m "not browser and not validator and not audit"

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Lighthouse's simulated performance score of four pages (at least 0.95): it depends on machine load, so it
# is reported here and never asserted in `make test`.
audit: $(VENV)/.dev node_modules/.installed $(CHROMIUM)
	$(PY) -m pytest -m audit

serve: $(VENV)/.runtime
	$(PY) build.py serve $(SERVE_ARGS)

# The benchmark (several minutes at 10,000 articles); results in bench/out/, summary in BENCHMARKS.md.
bench: $(VENV)/.runtime
	$(PY) -m bench.run $(BENCH_ARGS)

screenshot: $(VENV)/.dev $(CHROMIUM) build
	$(PY) tests/screenshot.py site docs/screenshot.png

clean:
	rm -rf site .site-new-* .site-old-* .site.cache.sqlite .site.lock .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .venv-bench node_modules

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Die Ausgabe braucht Python 3.11 oder neuer ($(PYTHON) ist älter)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Debian's Chromium, driven by Playwright's Python package (never `playwright install`).
$(CHROMIUM):
	$(SUDO) apt-get update
	$(APT_INSTALL) chromium

.PHONY: java
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) default-jre-headless; }
