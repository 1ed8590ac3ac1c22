# chiso — two commands do all set-up on a fresh machine:  make run  |  make test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install test-install demo serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	scripts/system-deps.sh
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	scripts/system-deps.sh --test
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

test-install: $(VENV)/.test-installed

demo: install
	$(BIN)/chiso migrate --noinput -v 0
	$(BIN)/chiso setup-demo

run: demo
	$(BIN)/chiso serve --port $${PORT:-8000}

test: test-install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var
