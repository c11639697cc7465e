# stridelab — the two quick-start commands are `make demo` and `make test`.
# PYTHON: the interpreter .venv is built with (make PYTHON=python3.12). Unset, scripts/find-python
# picks the newest python3.13/python3.12/python3.11/python3 that is 3.11+ and says which.
PYTHON ?=
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint smoke bench clean models

# The venv: every dependency pinned in requirements/lock.txt (pip check clean), then the
# pose models: tools/build_pose_models.py fetches @mediapipe/pose from the npm registry
# once (checksummed, cached in .cache/) and writes the lite/full/heavy .task files.
$(STAMP): requirements/lock.txt pyproject.toml tools/build_pose_models.py
	base="$$(PYTHON='$(PYTHON)' scripts/find-python)" && "$$base" -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/lock.txt
	$(PY) -m pip install -q --disable-pip-version-check -e .
	$(PY) -m pip check
	$(PY) tools/build_pose_models.py
	touch $(STAMP)

models: $(STAMP)
	$(PY) tools/build_pose_models.py

demo: $(STAMP)
	$(VENV)/bin/stridelab demo --serve

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks tools
	$(PY) -m ruff format --check src tests benchmarks tools
	$(PY) -m mypy

test: $(STAMP)
	./scripts/ensure-chromium
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory smoke
	$(PY) -m pytest

# The built wheel in a clean venv of a second Python, binary wheels only, used for real.
smoke: $(STAMP)
	$(PY) tools/install_smoke.py

bench: $(STAMP)
	for b in benchmarks/*_bench.py benchmarks/web_load.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) src/stridelab/video/models .cache/smoke .pytest_cache .mypy_cache .ruff_cache
