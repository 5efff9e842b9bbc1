# Exosite: `make run` serves the site with demo content; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
DEV := DJANGO_DEBUG=1
# Commands that act on the site's data use the environment's production settings when a
# secret key is set, the development settings otherwise.
SITE_ENV := $(if $(DJANGO_SECRET_KEY),,$(DEV))

.PHONY: help run test test-fast test-postgres test-redis lint bench superuser clean \
	serve backup restore bench-load bench-faults messages

help:
	@echo "make run            set up and serve the site with demo content on http://127.0.0.1:$(PORT)"
	@echo "make test           set up and run ruff, the import contract, the migrations check and the whole test suite"
	@echo "make test-fast      the test suite without the browser tests and the tests that start servers"
	@echo "make test-postgres  the test suite again on a local PostgreSQL (installed if missing)"
	@echo "make superuser      create an admin account interactively"
	@echo "make test-redis     the test suite again with the cache in a local Redis (installed if missing)"
	@echo "make bench          print the benchmarks in bench/"
	@echo "make serve          serve with production settings (gunicorn and the task worker, DEBUG off) on http://127.0.0.1:$(PORT)"
	@echo "make backup         write a dated, complete export of the site's data to var/backups/"
	@echo "make restore FILE=… load such an export into an empty database"
	@echo "make bench-load     load benchmark of make serve on 30,000 synthetic items (a few minutes;"
	@echo "                    BENCH_ARGS=--quick: 3,000 items, one short round; --scale: every page"
	@echo "                    at 100 items and 100,000 articles, see bench/README.md)"
	@echo "make bench-faults   concurrent questions, a killed worker and Redis going away (SQLite, PostgreSQL)"
	@echo "make messages       gather the interface's strings into locale/es/LC_MESSAGES/django.po to translate"

$(PY):
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	scripts/system-deps
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: $(VENV)/.installed
	$(PY) scripts/compile-messages
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	@echo
	@$(DEV) $(PY) manage.py dev_admin --url http://127.0.0.1:$(PORT)/admin/
	@echo "Serving Exosite on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	EXOSITE_BASE_URL=http://127.0.0.1:$(PORT) $(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

bench: $(VENV)/.installed
	$(PY) bench/autolink.py

serve: $(VENV)/.installed
	PORT=$(PORT) scripts/serve

backup: $(VENV)/.installed
	$(SITE_ENV) $(PY) manage.py backup $(if $(DIR),--dir "$(DIR)")

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/exosite-....json.gz" >&2; exit 2; }
	$(SITE_ENV) $(PY) manage.py migrate --noinput
	$(SITE_ENV) $(PY) manage.py restore "$(FILE)"

bench-load: $(VENV)/.installed
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq wrk >/dev/null; } || { echo "Install wrk: sudo apt-get install -y wrk" >&2; exit 1; }
	$(PY) bench/load.py $(BENCH_ARGS)

bench-faults: $(VENV)/.installed
	$(PY) bench/faults.py $(BENCH_ARGS)

# The interface's strings, gathered for translation (GNU gettext's xgettext, installed by
# scripts/system-deps); tests/site/test_i18n_catalogue.py fails until each is translated.
MESSAGES_IGNORE := --ignore=tests --ignore=bench --ignore=node_modules --ignore=staticfiles \
	--ignore=var --ignore=media
messages: $(VENV)/.installed
	@command -v xgettext >/dev/null || scripts/system-deps
	$(DEV) $(PY) manage.py makemessages -l es $(MESSAGES_IGNORE)
	$(PY) scripts/compile-messages

superuser: $(VENV)/.installed
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createsuperuser

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint node_modules/.installed
	scripts/system-deps
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/compile-messages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The quick loop while developing: no Chromium driven, no server started (-m selects).
test-fast: $(VENV)/.installed-dev node_modules/.installed
	$(PY) scripts/compile-messages
	$(VENV)/bin/pytest -m "not browser and not server" $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev node_modules/.installed
	scripts/system-deps
	$(PY) scripts/compile-messages
	url=$$(scripts/postgres) && DATABASE_URL=$$url $(VENV)/bin/pytest $(PYTEST_ARGS)

test-redis: $(VENV)/.installed-dev node_modules/.installed
	scripts/system-deps
	$(PY) scripts/compile-messages
	url=$$(REDIS_DB=1 scripts/redis) && REDIS_URL=$$url $(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache .ruff_cache
