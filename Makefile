# OmaKouvola: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9

.PHONY: install run test lint format messages catalogues demo worker beat clean

install: $(STAMP)

# Re-installs only when the lock file changes, so a second `make install` is instant.
$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements.lock
	touch $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# Re-extracts the strings into the three catalogues in one canonical form (no line numbers,
# no obsolete entries), so a change shows only its own strings. New ones arrive untranslated.
catalogues: install
	$(PY) manage.py makemessages -l fi -l sv -l en --ignore=.venv --ignore=tests --no-location --no-obsolete -v 0

# `make run PORT=8080 HOST=0.0.0.0`: links in e-mails (SITE_URL) follow unless SITE_URL is
# set, and the host is allowed (any host when listening on all addresses).
HOST ?= 127.0.0.1
PORT ?= 8000
LINK_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
RUN_ENV = SITE_URL="$${SITE_URL:-http://$(LINK_HOST):$(PORT)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$(if $(filter 0.0.0.0 ::,$(HOST)),*,$(HOST))}"

run: install messages
	$(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

# The same checks as the pre-commit hooks (.pre-commit-config.yaml) and tests/test_project.py.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	# mypy through its test, which holds the one list of modules whose errors wait for a merge.
	$(PY) -m pytest tests/test_project.py -q -p no:cacheprovider -k "mypy or catalogues"

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A omakouvola worker -l info

beat: install
	$(VENV)/bin/celery -A omakouvola beat -l info

clean:
	rm -rf $(VENV) staticfiles test-artifacts
