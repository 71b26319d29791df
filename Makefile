# Everyday commands. `make run` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=

.PHONY: setup run test test-postgres lint format check migrations-check messages compilemessages messages-check superuser sample-participants clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py load_sample_data
	@echo
	@echo "The site is at http://$(HOST):$(PORT)/ (the Secretariat's admin at /admin/); a task worker"
	@echo "sends its emails (printed here) and prepares badge batches and exports."
	@echo "Create a staff account with: make superuser"
	@echo
	RUN_ADDRESS=$(HOST):$(PORT) DJANGO_SITE_URL=$${DJANGO_SITE_URL:-http://$(HOST):$(PORT)} \
	  $(BIN)/honcho -f Procfile.dev start

test: $(STAMP)
	$(BIN)/pytest -n auto --cov $(PYTEST_ARGS)

test-postgres: $(STAMP)
	DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -n auto --cov --create-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(STAMP)
	$(BIN)/python manage.py check

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

# Translations (GNU gettext needed): new strings into locale/*/django.po, then compile them.
messages: $(STAMP)
	$(BIN)/python .ci/translations.py update

compilemessages: $(STAMP)
	$(BIN)/python .ci/translations.py compile

messages-check: $(STAMP)
	$(BIN)/python .ci/translations.py check

superuser: $(STAMP)
	$(BIN)/python manage.py createsuperuser

sample-participants: $(STAMP)
	$(BIN)/python manage.py load_sample_data --participants $(or $(N),1000)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .coverage .coverage.*
