# Carson's two set-up commands (see README):
#   make demo   install Carson into .venv and open it on the built-in demo network
#   make test   install Carson with its dev tools into .venv and run every check and test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test check lint format evals bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/carson demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check carson tests tools evals
	$(BIN)/ruff format --check carson tests tools evals
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format carson tests tools evals
	$(BIN)/ruff check --fix carson tests tools evals

test: lint
	$(BIN)/pytest

check: test

evals: $(VENV)/.installed-dev
	$(BIN)/python -m evals

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
