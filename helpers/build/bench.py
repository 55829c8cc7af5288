"""Measure, not test: set-up with uv against pip, notebook times against an import-only floor, ledger validation
at scale, and the grid.

`python -m helpers.build.bench` (what `make bench` runs) prints one table. Timings are medians of repeated runs,
except the set-up, which runs once per installer and cache state (a cold pip set-up takes minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

from helpers import data
from helpers.analysis import listing_odds, scenarios
from helpers.build.report import notebook_paths

TARGET_NOTEBOOK_RATIO = 1.5
TARGET_100K_ROWS_S = 1.0
TARGET_50MB_S = 5.0
TARGET_50MB_PEAK_MB = 500.0
BIG_FILE_BYTES = 50_000_000
TARGET_GRID_S = 1.0
TARGET_MONTE_CARLO_S = 1.0
TARGET_PANEL_MS = 150.0  # 04's live panel: a slider moved to its chart redrawn (issue 22)
TARGET_SETUP_RATIO = 0.5  # uv against pip, on the same pins and the same cache state
BOOTSTRAP = data.ROOT / "tools" / "bootstrap.py"


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` calls."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_cpu_seconds(work: Callable[[], object], repeats: int) -> float:
    """Median CPU time of this process over `repeats` calls: what the work costs when other jobs share the cores."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return statistics.median(times)


def _run(notebook: nbformat.NotebookNode, folder: Path) -> None:
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    ).execute()


def floor_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Same kernel and the same import lines as `notebook`, and no work."""
    imports = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.startswith(("import ", "from "))
    ]
    floor = nbformat.v4.new_notebook(metadata=notebook.metadata)
    floor.cells = [nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports)))]
    return floor


def notebook_rows(repeats: int) -> list[list[str]]:
    """Each notebook's execution time against its floor."""
    rows = []
    for path in notebook_paths():
        notebook = nbformat.read(path, as_version=4)
        floor = floor_notebook(notebook)
        folder = path.parent
        full = median_seconds(lambda nb=notebook, f=folder: _run(nbformat.from_dict(nb), f), repeats)
        base = median_seconds(lambda nb=floor, f=folder: _run(nbformat.from_dict(nb), f), repeats)
        ratio = full / base
        rows.append(
            [
                f"notebook {path.stem}",
                f"{full:.2f} s",
                f"floor {base:.2f} s",
                f"{ratio:.2f}x",
                f"<= {TARGET_NOTEBOOK_RATIO}x: {'met' if ratio <= TARGET_NOTEBOOK_RATIO else 'MISSED'}",
            ]
        )
    return rows


def copies_for(rows: int | None = None, size_bytes: int | None = None) -> int:
    """How many copies of figures.csv make at least `rows` data rows or `size_bytes` bytes."""
    body_rows = sum(1 for _ in data.FIGURES_CSV.open(encoding="utf-8")) - 1
    body_bytes = data.FIGURES_CSV.stat().st_size
    if rows is not None:
        return -(-rows // body_rows)
    return -(-int(size_bytes) // body_bytes)


def _child_load(path: Path) -> tuple[float, float]:
    """Load and validate `path` in a fresh Python process: (seconds for the load, peak resident memory in MB)."""
    code = (
        "import sys, time; from pathlib import Path; from helpers import data; "
        "t = time.perf_counter(); data.load_ledger(figures_path=Path(sys.argv[1])); print(time.perf_counter() - t)"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True, cwd=data.ROOT)
    out = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"loading {path} failed in the child process")
    return float(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def synthetic_ledger(folder: Path, times: int) -> Path:
    """figures.csv repeated `times` times with fresh ids; the real rows keep theirs so scenarios still resolve."""
    with data.FIGURES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    id_column = header.index("figure_id")
    path = folder / "figures.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        serial = 100_000
        for _ in range(times - 1):
            for row in body:
                serial += 1
                writer.writerow(row[:id_column] + [f"F{serial}"] + row[id_column + 1 :])
    return path


def ledger_rows(repeats: int) -> list[list[str]]:
    """Load-and-validate time of the ledger: as shipped, at 10^5 rows, and as a 50 MB file (time and peak memory)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, times in (("as shipped", 1), ("10^5 rows", copies_for(rows=100_000))):
            path = synthetic_ledger(Path(tmp), times)
            count = len(data.load_ledger(figures_path=path).figures)
            seconds = median_seconds(lambda p=path: data.load_ledger(figures_path=p), repeats)
            cpu = median_cpu_seconds(lambda p=path: data.load_ledger(figures_path=p), repeats)
            per_100k = seconds / count * 100_000
            verdict = "met" if seconds < TARGET_100K_ROWS_S else "MISSED"
            target = f"< {TARGET_100K_ROWS_S:g} s: {verdict}" if count >= 100_000 else ""
            rows.append(
                [
                    f"ledger {label} ({count:,} rows)",
                    f"{seconds:.3f} s",
                    f"cpu {cpu:.3f} s",
                    f"{per_100k:.2f} s/100k",
                    target,
                ]
            )
        path = synthetic_ledger(Path(tmp), copies_for(size_bytes=BIG_FILE_BYTES))
        runs = [_child_load(path) for _ in range(repeats)]
        seconds = statistics.median(r[0] for r in runs)
        peak_mb = max(r[1] for r in runs)
        size_mb = path.stat().st_size / 1e6
        met = seconds < TARGET_50MB_S and peak_mb < TARGET_50MB_PEAK_MB
        rows.append(
            [
                f"ledger {size_mb:.0f} MB file",
                f"{seconds:.3f} s",
                f"peak {peak_mb:.0f} MB (whole process)",
                "",
                f"< {TARGET_50MB_S:g} s, < {TARGET_50MB_PEAK_MB:g} MB: {'met' if met else 'MISSED'}",
            ]
        )
    return rows


def grid_row(repeats: int) -> list[str]:
    """Evaluation of a 100 x 100 x 100 sensitivity grid (10^6 cells)."""
    values, years, dilutions = np.linspace(400, 2000, 100), np.linspace(0.5, 5, 100), np.linspace(0, 0.5, 100)
    cube = scenarios.grid(10.0, 852.0, 0.65, values, years, dilutions)
    cells = cube["multiple"].size
    seconds = median_seconds(lambda: scenarios.grid(10.0, 852.0, 0.65, values, years, dilutions), repeats)
    return [
        f"sensitivity grid ({cells:,} cells)",
        f"{seconds:.3f} s",
        "vectorised numpy",
        "",
        f"< {TARGET_GRID_S:g} s: {'met' if seconds < TARGET_GRID_S else 'MISSED'}",
    ]


def montecarlo_row(repeats: int, draws: int = 1_000_000) -> list[str]:
    """The listing-odds Monte Carlo: draw the inputs and price every mark of the ledger, 10^6 draws."""
    book = data.load_ledger()
    marks = listing_odds.marks(book.scenarios, book.figures)
    dists = {
        "listing_value_usd_bn": listing_odds.Distribution(852.0, 1000.0, 1500.0),
        "years_to_listing": listing_odds.Distribution(0.1, 0.6, 2.1),
        "dilution": listing_odds.Distribution(0.06, 0.1, 0.25),
    }
    as_of = np.datetime64("2026-11-22")

    def work() -> object:
        return listing_odds.summary(listing_odds.simulate(marks, listing_odds.draw(dists, draws, 0), as_of))

    seconds = median_seconds(work, repeats)
    return [
        f"listing Monte Carlo ({draws:,} draws x {len(marks)} marks)",
        f"{seconds:.3f} s",
        "seeded numpy Generator",
        "",
        f"< {TARGET_MONTE_CARLO_S:g} s: {'met' if seconds < TARGET_MONTE_CARLO_S else 'MISSED'}",
    ]


def panel_row(repeats: int) -> list[str]:
    """04's live panel: from a slider's new value to the redrawn chart and table (the kernel's share of the time;
    the browser test writes the whole round trip, key press to new picture, to build/screenshots/)."""
    from helpers import charts
    from helpers.charts import panel
    from helpers.notebook import parameters

    book = data.load_ledger()
    charts.use_house_style()
    specs = scenarios.parameter_specs(book)
    defaults = {"AS_OF": "2026-11-22", "LISTING_VALUATION_USD_BN": 1000, "YEARS_TO_LISTING": 1.0}
    defaults |= {"DILUTION_TO_LISTING": 0.1, "INVESTMENT_USD_BN": 10, "INVESTMENT_MARK": "round-2026-close"}
    defaults |= {"REVENUE_BASIS": "calendar", "TARGET_REVENUE_MULTIPLE": 25, "LISTING_FIGURE": ""}
    defaults |= {"HURDLE_RATE": 0.1, "LISTING_CHANCE": 0.8, "NO_LISTING_HAIRCUT": 0.25}
    live = panel.build_panel(
        book, scenarios.marks(book.scenarios, book.figures), parameters.check(defaults, specs), specs
    )
    slider, values = live.sliders["LISTING_VALUATION_USD_BN"], iter(range(1050, 3000, 50))

    def move() -> object:
        slider.value = float(next(values))  # the observer redraws before the assignment returns
        return live.chart.value

    seconds, cpu = median_seconds(move, repeats), median_cpu_seconds(move, repeats)
    return [
        "04 panel: slider moved to chart redrawn",
        f"{seconds * 1000:.0f} ms",
        f"CPU {cpu * 1000:.0f} ms",
        "",
        f"< {TARGET_PANEL_MS:g} ms: {'met' if seconds * 1000 < TARGET_PANEL_MS else 'MISSED'}",
    ]


def setup_seconds(tool: str, venv: Path, cache: Path) -> float:
    """Wall time of the project's own set-up (tools/bootstrap.py, as make runs it) into a new `venv` with `tool`.

    Both installers get their own cache under `cache`: empty for a cold set-up, left by the previous run for a
    warm one. Everything else is the same: the base Python, requirements.txt, the editable project, the font
    cache and the save hook.
    """
    env = dict(os.environ, SETUP_WITH=tool, PIP_CACHE_DIR=str(cache / "pip"), UV_CACHE_DIR=str(cache / "uv"))
    env.pop("VIRTUAL_ENV", None)
    env["MPLCONFIGDIR"] = str(venv / "matplotlib")  # each set-up builds its own font cache, as make's does
    base_python = getattr(sys, "_base_executable", sys.executable)  # make runs the set-up with the base Python
    started = time.perf_counter()
    done = subprocess.run([base_python, str(BOOTSTRAP), str(venv)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"set-up with {tool} failed: {done.stderr.strip()[-500:]}")
    return seconds


def setup_rows(folder: Path) -> list[list[str]]:
    """Cold and warm set-up with pip, then with uv, each into a fresh environment; uv's time against pip's."""
    uv_from = shutil.which("uv") or "pip installs uv into the new environment, inside the timed set-up"
    times: dict[tuple[str, str], float] = {}
    for tool in ("pip", "uv"):
        cache = folder / f"cache-{tool}"
        for state in ("cold", "warm"):
            venv = folder / f"venv-{tool}-{state}"
            times[tool, state] = setup_seconds(tool, venv, cache)
            shutil.rmtree(venv)
    pins = sum(
        1 for line in BOOTSTRAP.parent.parent.joinpath("requirements.txt").read_text().splitlines() if "==" in line
    )
    rows = []
    for state in ("cold", "warm"):
        pip, uv = times["pip", state], times["uv", state]
        what = f"set-up {state} cache, {pins} pins"
        rows.append([f"{what}, pip", f"{pip:.1f} s", "", "", ""])
        ratio = uv / pip
        met = "met" if ratio <= TARGET_SETUP_RATIO else "MISSED"
        rows.append(
            [f"{what}, uv", f"{uv:.1f} s", f"pip {pip:.1f} s", f"{ratio:.2f}x", f"<= {TARGET_SETUP_RATIO}x: {met}"]
        )
    print(f"set-up: uv from {uv_from}; cold = empty pip and uv caches, warm = the caches the cold run left", flush=True)
    return rows


def print_table(rows: list[list[str]]) -> None:
    """Aligned plain-text table."""
    header = ["what", "measured", "against", "ratio", "target"]  # a time, or a page's weight
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def page_rows() -> list[list[str]]:
    """Each report page's weight with everything it loads, from a report rendered from the committed outputs."""
    from helpers.build import report
    from helpers.build.page_weight import weight_rows

    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        with contextlib.redirect_stdout(io.StringIO()):  # the build's progress lines would break the table
            report.build(Path(folder) / "report", run=False)
        return weight_rows(Path(folder) / "report")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median is shown)")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-setup", action="store_true", help="leave out the set-up rows (minutes, network)")
    parser.add_argument("--only-setup", action="store_true", help="measure the set-up rows only")
    parser.add_argument("--only-pages", action="store_true", help="weigh the report's pages only (seconds)")
    args = parser.parse_args(argv)
    rows = []
    if args.only_pages:
        print_table(page_rows())
        return 0
    if not args.skip_setup:
        with tempfile.TemporaryDirectory(prefix="bench-setup-") as folder:
            rows += setup_rows(Path(folder))
        if args.only_setup:
            print_table(rows)
            return 0
    rows += [] if args.skip_notebooks else notebook_rows(args.repeats)
    rows += ledger_rows(args.repeats)
    rows.append(grid_row(args.repeats))
    rows.append(montecarlo_row(args.repeats))
    rows.append(panel_row(args.repeats))
    rows += page_rows()
    print_table(rows)
    return 0


if __name__ == "__main__":
    from helpers import cli

    cli.run(main)
