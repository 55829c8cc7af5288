# Every target bootstraps .venv from requirements.txt on first use (or when the pins change).
# Another Python in its own environment: make PYTHON=python3.12 VENV=.venv-3.12 report
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
# matplotlib's cache and config live with the venv: no user matplotlibrc, and the font cache is
# built once at setup rather than announced on stderr inside the first notebook
export MPLCONFIGDIR := $(abspath $(VENV))/matplotlib

.PHONY: report test nbval lab scenarios bench codebook check clean distclean browser robustness venv-ok lock

# refuses an unsupported Python in one line; a failed or interrupted set-up leaves no $(VENV) behind
$(READY): requirements.txt pyproject.toml
	@$(PYTHON) tools/bootstrap.py $(VENV)

## lock: recompile requirements.txt from pyproject.toml's dependencies (keeps current pins where they still fit;
## add --upgrade-package NAME to move one); needs uv on PATH or in $(VENV)
UV = $(or $(shell command -v uv),$(VENV)/bin/uv)
lock:
	$(UV) pip compile --quiet pyproject.toml --all-extras --universal --python-version 3.11 -o requirements.txt

# a finished $(VENV) whose Python was removed or upgraded away, or whose packages are gone, says so in one line
# (instead of make's 'Error 127' or an import traceback); checked by name, without importing anything
VENV_PACKAGES := pandas pandera matplotlib nbclient nbformat papermill helpers
venv-ok: $(READY)
	@$(PY) -c "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in sys.argv[1:]))" \
		$(VENV_PACKAGES) 2>/dev/null || { echo "$(VENV) is broken (its Python or packages are missing): run 'make distclean', then make again" >&2; exit 1; }

## report: execute every notebook in place and render build/report/index.html
report: venv-ok
	$(PY) -m helpers.build.report

## test: lint, codebook, data, bad-input, unit, scenario and report tests, and each notebook re-executed
## to its committed bytes (strict nbval's check, from one execution shared by every test; 2 workers;
## tests that read one papermill run are grouped on one worker, so it runs once)
TEST_WORKERS ?= 2
test: venv-ok
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m nbqa ruff notebooks/
	$(PY) -m helpers.data.codebook --check
	$(PY) -m pytest -p no:nbval -n $(TEST_WORKERS) --dist loadgroup tests/

## nbval: strict nbval itself over notebooks/ (CI runs it besides make test)
nbval: venv-ok
	$(PY) -m pytest -p no:xdist --nbval --nbval-current-env --nbval-sanitize-with=tests/nbval-sanitize.cfg notebooks/

## lab: open JupyterLab on the notebooks (127.0.0.1 only; as root, e.g. in a container, with --allow-root)
lab: venv-ok
	$(PY) -m jupyter lab --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

## robustness: the slow hostile-input cases (kernels, signals, make itself, old Pythons): tests/robustness/
robustness: venv-ok
	$(PY) -m pytest -p no:nbval -p no:xdist -q tests/robustness/check_faults.py

## browser: every notebook in JupyterLab and every report page in headless Chromium (Debian's chromium), the
## What-if page's numbers against helpers with the network off, 04's slider panel in JupyterLab, and the front
## page's lead on the first screen at desktop and phone sizes
browser: venv-ok
	$(PY) -m pytest tests/browser/check_pages.py tests/browser/check_explorer.py tests/browser/check_widgets.py tests/browser/check_lead.py -q

## check: validate the three CSV files
check: venv-ok
	$(PY) -m helpers.data check

## codebook: regenerate data/README.md from the schema
codebook: venv-ok
	$(PY) -m helpers.data.codebook

## clean: remove build/ (report, figures, scenario runs); keeps the slow-to-build .venv
clean:
	@echo "Removing build/ (HTML report, chart PNGs, scenario runs). Keeping $(VENV): 'make distclean' removes it too."
	@rm -rf build

## distclean: clean, and remove the virtual environment
distclean: clean
	@echo "Removing $(VENV) (the next make sets it up again from requirements.txt)."
	@rm -rf $(VENV) $(VENV).lock

## scenarios: run each named case in data/scenarios.csv through the scenario notebook (build/scenarios/)
scenarios: venv-ok
	$(PY) -m helpers.build.scenario_runs

## bench: set-up with uv against plain pip (cold and warm caches, fresh temporary environments, the same pins;
## minutes, and it downloads: BENCH_ARGS=--skip-setup leaves it out, --only-setup runs only it), then notebook
## times against an import-only floor, ledger validation at scale, the grid, and each report page's weight with
## everything it loads (BENCH_ARGS=--only-pages: the page weights alone, in seconds)
BENCH_ARGS ?=
bench: venv-ok
	$(PY) -m helpers.build.bench $(BENCH_ARGS)
