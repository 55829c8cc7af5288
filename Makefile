# Every target bootstraps .venv from requirements.txt on first use (or when the pins change).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
# matplotlib's cache and config live with the venv: no user matplotlibrc, and the font cache is
# built once at setup rather than announced on stderr inside the first notebook
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/matplotlib

.PHONY: report test lab scenarios bench codebook check clean browser

$(READY): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -c "import matplotlib.pyplot"
	touch $@

## report: execute every notebook in place and render build/report/index.html
report: $(READY)
	$(PY) -m helpers.report

## test: lint, codebook, data, bad-input, unit, scenario and report tests, then strict nbval over notebooks/
test: $(READY)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m helpers.codebook --check
	$(PY) -m pytest tests/ --nbval --nbval-current-env --nbval-sanitize-with=tests/nbval-sanitize.cfg notebooks/

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
	$(PY) -m helpers.codebook

clean:
	rm -rf build

## scenarios: run each named case in data/scenarios.csv through the scenario notebook (build/scenarios/)
scenarios: $(READY)
	$(PY) -m helpers.scenario_runs

## bench: measure notebook times against an import-only floor, ledger validation at scale, and the grid
bench: $(READY)
	$(PY) -m helpers.bench
