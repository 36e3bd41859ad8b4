# Every target installs what it needs into .venv first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The CPU wheel; a bare `torch` requirement would pull the newest build with GBs of CUDA.
TORCH := torch==2.13.*

.PHONY: install test run bench lint stubs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "mlkatas needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m compileall -q grader solutions  # .pyc files even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

test: install
	$(BIN)/python -m pytest -n 2 -q

run: install
	$(BIN)/grade

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/python -m pip install --quiet "ruff>=0.6"
	$(BIN)/ruff check grader tests bench solutions

# grader/course/stubs/ keeps pristine copies of exercises/ for `grade reset` (a test checks they agree).
stubs:
	rm -f grader/course/stubs/*.py && cp exercises/*.py grader/course/stubs/

clean:
	rm -rf $(VENV) .grade build *.egg-info
