# Chaarsoo: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` runs the periodic duties (manage.py run_periodic) beside the server this often.
PERIODIC_EVERY ?= 300
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test test-again install install-dev migrate browser-deps bench lint messages rtl-css clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v0

run: migrate
	@if [ ! -f var/.demo-seeded ]; then $(PY) manage.py seed_demo && touch var/.demo-seeded; \
	  else $(PY) manage.py seed_demo --logins-only; fi
	@echo "Serving Chaarsoo on http://$(HOST):$(PORT)/ (Ctrl+C stops it; another port: make run PORT=8001)"
	@echo "Periodic duties (core/periodic.py) run in the background every $(PERIODIC_EVERY) s"
	@$(PY) manage.py run_periodic --every $(PERIODIC_EVERY) >var/periodic.log 2>&1 & periodic=$$!; \
	  trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's chromium. Installed here when we are root with apt;
# otherwise the browser tests report themselves skipped with the reason.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing chromium for the browser tests (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	else echo "chromium not installed and not root: browser tests will be skipped"; fi

# Two workers on the 2-core machine this project is developed and checked on.
PYTEST_WORKERS ?= 2

test: install-dev browser-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The quick loop while developing: the migrated test database is kept in var/ between
# runs (delete var/test-db*.sqlite3, or run plain `make test`, after changing models).
test-again: install-dev
	@mkdir -p var
	CHAARSOO_TEST_KEEP_DB=1 DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest --reuse-db $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: install-dev
	$(PY) tests/benchmarks/run_bench.py $(BENCH_ARGS)

# Translations: .po files are ours; the .mo files are committed so `make run` needs no gettext.
messages: install-dev
	$(PY) manage.py makemessages -l fa -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

rtl-css:
	npx --yes rtlcss@4 $$($(PY) -c "import oscar,os;print(os.path.dirname(oscar.__file__))")/static/oscar/css/styles.css static/chaarsoo/vendor/oscar-styles.rtl.css
	npx --yes rtlcss@4 $$($(PY) -c "import oscar,os;print(os.path.dirname(oscar.__file__))")/static/oscar/css/dashboard.css static/chaarsoo/vendor/oscar-dashboard.rtl.css
	sed -i 's#url("\.\./webfonts/#url("../../oscar/webfonts/#g; s#/\*\# sourceMappingURL=.*\*/##' static/chaarsoo/vendor/*.css
	sed -i -E 's#url\(("?)\.\./img/#url(\1../../oscar/img/#g' static/chaarsoo/vendor/*.css

clean:
	rm -rf var .pytest_cache
