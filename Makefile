# One place for set-up, render and test. Each target builds .venv from nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup lock render test test-fast lint clean

setup: $(STAMP)

# The exact versions that were tested, every file checked against its hash; then the package
# itself, editable and without resolving anything again. setuptools (the build backend) is in
# the lock too, so nothing unpinned is downloaded.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the lock on purpose: after changing pyproject.toml's dependencies (the other pins
# stay), or with UPGRADE=1 to take the newest releases. Every platform and Python from 3.10,
# with hashes. Review the diff, then `make clean test`.
UV_VERSION := 0.13.10
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 \
		--generate-hashes $(if $(UPGRADE),--upgrade) --quiet --custom-compile-command 'make lock' -o requirements.lock

render: $(STAMP)
	$(BIN)/renderer score content/
	$(BIN)/renderer render content/ -o output/

lint: $(STAMP)
	$(BIN)/ruff check renderer tests bench
	$(BIN)/ruff format --check renderer tests bench
	$(BIN)/mypy --strict renderer

test: lint
	$(BIN)/pytest

# The suite without the tests marked slow (real speech of whole articles, killed and interrupted
# runs, validators in a browser or Java), on every core (pytest-xdist): about a minute on two,
# for the edit-test loop. CI runs `test`, one test at a time.
test-fast: lint
	$(BIN)/pytest -m "not slow" -n auto

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
