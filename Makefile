# Every target bootstraps .venv from requirements.txt on first use (or when the pins change).
# Another Python in its own environment: make PYTHON=python3.12 VENV=.venv-3.12 report
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
# matplotlib's cache and config live with the venv: no user matplotlibrc, and the font cache is
# built once at setup rather than announced on stderr inside the first notebook
export MPLCONFIGDIR := $(abspath $(VENV))/matplotlib

.PHONY: report test nbval lab scenarios bench codebook check clean distclean browser

# refuses an unsupported Python in one line; a failed or interrupted set-up leaves no $(VENV) behind
$(READY): requirements.txt pyproject.toml
	@$(PYTHON) tools/bootstrap.py $(VENV)

## report: execute every notebook in place and render build/report/index.html
report: $(READY)
	$(PY) -m helpers.build.report

## test: lint, codebook, data, bad-input, unit, scenario and report tests, and each notebook re-executed
## to its committed bytes (strict nbval's check, from one execution shared by every test; 2 workers;
## tests that read one papermill run are grouped on one worker, so it runs once)
TEST_WORKERS ?= 2
test: $(READY)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m helpers.data.codebook --check
	$(PY) -m pytest -p no:nbval -n $(TEST_WORKERS) --dist loadgroup tests/

## nbval: strict nbval itself over notebooks/ (CI runs it besides make test)
nbval: $(READY)
	$(PY) -m pytest -p no:xdist --nbval --nbval-current-env --nbval-sanitize-with=tests/nbval-sanitize.cfg notebooks/

## lab: open JupyterLab on the notebooks (127.0.0.1 only; as root, e.g. in a container, with --allow-root)
lab: $(READY)
	$(PY) -m jupyter lab --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

## browser: every notebook in JupyterLab and every report page in headless Chromium (Debian's chromium)
browser: $(READY)
	$(PY) -m pytest tests/browser/check_pages.py -q

## check: validate the three CSV files
check: $(READY)
	$(PY) -m helpers.data check

## codebook: regenerate data/README.md from the schema
codebook: $(READY)
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
scenarios: $(READY)
	$(PY) -m helpers.build.scenario_runs

## bench: measure notebook times against an import-only floor, ledger validation at scale, and the grid
bench: $(READY)
	$(PY) -m helpers.build.bench
