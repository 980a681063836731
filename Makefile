# Two commands on a fresh clone: `make run` and `make test`.
# Both create .venv on first use. torch is installed first, pinned to the local CPU
# wheel, so that no CUDA package is ever downloaded.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: bytecode run test test-fast test-app eval bench safety-figures index check lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# The project's own bytecode, written even where PYTHONDONTWRITEBYTECODE is set (an
# editable install never compiles it): without it every start compiles botcore and tui
# again, about 0.1 s. Python still checks each file's age, so an edited module is simply
# compiled in memory until the next `make bytecode`.
bytecode:
	$(PY) -m compileall -q atc_guide botcore tui evals >/dev/null

run: $(STAMP) bytecode
	$(VENV)/bin/atc-guide

# The whole suite on two workers (pytest-xdist), one per core of the 2-core machines the
# project targets; a file's tests stay on one worker (--dist loadfile), so module fixtures
# are built once. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

# The quick tier while editing: unit tests on the fake embedder, no model (under a minute).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not model and not app" -q

test-app: $(STAMP)
	$(PY) -m pytest -m "app and not model" -q

eval: $(STAMP)
	$(VENV)/bin/atc-guide eval --out eval-out

bench: $(STAMP)
	$(PY) -m evals.bench

# The triage figures SAFETY.md reports (recall, false escalations, Wilson 95 % intervals).
safety-figures: $(STAMP)
	PYTHONPATH=tests $(PY) -m safety_figures

index: $(STAMP)
	$(VENV)/bin/atc-guide index

check: $(STAMP)
	$(VENV)/bin/atc-guide corpus check

lint: $(STAMP)
	$(VENV)/bin/ruff check atc_guide botcore tui evals tests
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy botcore evals

clean:
	rm -rf $(VENV) .pytest_cache eval-out
