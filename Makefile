# The two commands of README.md: `make run` and `make test`. Nothing needs configuring.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed totp lint messages worker beat bench backup restore clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: apt-get install python3 python3-venv"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "The portal runs at http://$(HOST):$(PORT)/ (Ctrl+C stops it)."
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

# The type check first: CI runs `make test`, so a type error fails CI as a failing test does.
test: install
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)

totp: install
	@$(PY) manage.py demo_totp

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

messages: install
	$(PY) manage.py makemessages --all --ignore=.venv --ignore=var --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

worker: install
	$(VENV)/bin/celery -A alliance87 worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A alliance87 beat --loglevel=INFO

# One archive of the database and every uploaded or generated file (README: Backups).
backup: install
	mkdir -p var/backups
	$(PY) manage.py backup var/backups/alliance87-$$(date -u +%Y%m%dT%H%M%SZ).tar

# Into an empty database and media storage: make restore BACKUP=var/backups/....tar
restore: install
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=path/to/backup.tar"; exit 1; }
	$(PY) manage.py restore $(BACKUP)

# Page latency at ten times the Alliance's size, against PostgreSQL only (a scratch database:
# it loads the demo and the scale data), and the 10,000-row import; writes bench/results.md.
bench: install
	@case "$(DATABASE_URL)" in postgres*|pgsql*) ;; *) echo "make bench needs DATABASE_URL=postgres://... (a scratch database)"; exit 1;; esac
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_scale
	$(PY) bench/pages.py $(BENCH_ARGS)

clean:
	rm -rf var/db.sqlite3 var/media staticfiles
