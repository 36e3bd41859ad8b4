# Every target installs what it needs into .venv first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` installs what grading needs; `make test` adds the dev extra on top.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# The CPU wheel; a bare `torch` requirement would pull the newest build with GBs of CUDA.
TORCH := torch==2.13.*

.PHONY: install test run bench lint stubs clean

install: $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "mlkatas needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
# -qq: setuptools prints an "Editable installation" note on every editable install; errors still show.
	$(BIN)/python -m pip install --quiet --quiet -e .
	$(BIN)/python -m compileall -q grader solutions  # .pyc files even where PYTHONDONTWRITEBYTECODE is set
	touch $(RUNTIME_STAMP)

# The test-only packages (pytest, the oracles) on top of the runtime.
$(DEV_STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet --quiet -e ".[dev]"
	touch $(DEV_STAMP)

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n 2 -q

run: install
	$(BIN)/grade

bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/python -m pip install --quiet "ruff>=0.6"
	$(BIN)/ruff check grader tests bench solutions

# grader/course/stubs/ keeps pristine copies of exercises/ for `grade reset` (a test checks they agree).
stubs:
	rm -f grader/course/stubs/*.py && cp exercises/*.py grader/course/stubs/

clean:
	rm -rf $(VENV) .grade build *.egg-info
