# One place for set-up, render and test. Each target builds .venv from nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup render test lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

render: $(STAMP)
	$(BIN)/renderer score content/
	$(BIN)/renderer render content/ -o output/

lint: $(STAMP)
	$(BIN)/ruff check renderer tests bench
	$(BIN)/ruff format --check renderer tests bench
	$(BIN)/mypy --strict renderer

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
