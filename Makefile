# Two commands for a fresh machine: `make run` and `make test`. Both are safe to repeat and
# neither asks a question.
#   make run     virtualenv, install, migrate, demo data and its logins, serve on :8000
#   make test    the same install plus Debian's Chromium, then the whole suite (browser too)
# PYTEST_ARGS passes extra pytest options, e.g. make test PYTEST_ARGS="-x tests/config".
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install browser lint migrate demo prod-check ci

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser tests (Playwright cannot download its own browsers here).
# Needs root (or a machine that already has /usr/bin/chromium).
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium; }
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is missing: the browser tests cannot run"; exit 1; }

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# load_demo prints the demo sign-ins (one per role per council) just before the server starts.
run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# Production processes (gunicorn, Celery worker and beat) against local PostgreSQL and Redis.
prod-check: install
	$(PY) .ci/prod_check.py

ci:
	bash .ci/run
