"""Run every named case in data/scenarios.csv through the scenario notebook with papermill.

`python -m helpers.build.scenario_runs` (what `make scenarios` runs) writes build/scenarios/<case>.ipynb and
.html, plus summary.html and summary.md laying the cases side by side. Nothing here is committed.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat
import papermill

from helpers.analysis.valuation import with_bound
from helpers.build.commands import (
    NotebookFileError,
    OutputError,
    check_output,
    exit_quietly,
    keep_interrupts,
    kernel_running,
    read_notebook,
    run_command,
    stop_if_interrupted,
    writable_problem,
)
from helpers.build.report import NotebookError, cell_problems, display_path, locked, write_atomic
from helpers.build.report import PageExporter as HTMLExporter
from helpers.build.report import exporter as html_exporter
from helpers.data.load import ROOT, load_ledger
from helpers.data.read import LedgerError
from helpers.data.vocabulary import GENERATED_PAGE_STEMS
from helpers.notebook.prose import escape
from helpers.notebook.tables import money

NOTEBOOK = ROOT / "notebooks" / "04-valuation-scenarios.ipynb"
OUT_DIR = ROOT / "build" / "scenarios"
RESULTS_TAG = "results"
# One named Monte Carlo case: the listing-odds notebook with its listing range reaching down to the lowest named case
ODDS_NOTEBOOK = ROOT / "notebooks" / "05-listing-odds.ipynb"
ODDS_CASE = "odds-down-to-bear"
# What this module writes into the output folder besides the case pages; `make check` refuses a scenario id among
# them (the vocabulary spells them, since the check cannot import from here), and so does this module before a run.
GENERATED_STEMS = GENERATED_PAGE_STEMS
assert ODDS_CASE in GENERATED_STEMS


def run(parameters: dict[str, object], output: Path, notebook: Path = NOTEBOOK) -> dict:
    """Execute the scenario notebook with `parameters` into `output`; return its results.

    A cell that raises stops papermill (PapermillExecutionError); an error the kernel carried on
    from (a chart that fails to draw) or output on stderr raises NotebookError.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with kernel_running():
        _execute(parameters, output, notebook)
    problems = cell_problems(nbformat.read(output, as_version=4), display_path(output))
    if problems:
        raise NotebookError("\n".join(problems))
    return read_results(output)


def _execute(parameters: dict[str, object], output: Path, notebook: Path) -> None:
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        cwd=str(notebook.parent),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        on_notebook_start=keep_interrupts,
    )


def failure(error: Exception, output: Path) -> str:
    """A few lines naming the run, the cell and the message of a failed scenario run."""
    if isinstance(error, papermill.PapermillExecutionError):
        problems = cell_problems(nbformat.read(output, as_version=4), display_path(output))
        return "\n".join(problems) or f"{display_path(output)}: {error.ename}: {error.evalue}"
    return str(error)


def read_results(path: Path) -> dict:
    """The application/json output of the cell tagged 'results'."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if RESULTS_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                if "application/json" in output.get("data", {}):
                    return dict(output["data"]["application/json"])
    raise LookupError(f"{path}: no output in a cell tagged {RESULTS_TAG!r}")


def case_parameters(case) -> dict[str, object]:
    """Papermill parameters for one case row of scenarios.csv; a reported case also names the figure it reads."""
    parameters: dict[str, object] = {
        "LISTING_VALUATION_USD_BN": float(case.valuation_usd_bn),
        "YEARS_TO_LISTING": float(case.years_to_listing),
        "DILUTION_TO_LISTING": float(case.dilution_to_listing),
    }
    if isinstance(case.figure_id, str):
        parameters["LISTING_FIGURE"] = case.figure_id
    return parameters


def _bounded(result: dict, column: str, measure: str, text: str) -> str:
    """A summary number with its bound in words ('at most 1.80x'), read from the run's results."""
    return with_bound(text, result["bounds"].get(column, {}).get(measure, "exact"))


SUMMARY_ROWS = [
    ("listing value", lambda r, c: money(r["parameters"]["listing_valuation_usd_bn"])),
    ("years to listing", lambda r, c: f"{r['parameters']['years_to_listing']:g}"),
    ("dilution before listing", lambda r, c: f"{r['parameters']['dilution_to_listing']:.0%}"),
    (
        "investment",
        lambda r, c: (
            f"{money(r['parameters']['investment_usd_bn'])} at mark '{r['parameters']['investment_mark']}' "
            f"({r['marks'][r['parameters']['investment_mark']]['reported_on']})"
        ),
    ),
    (
        "value of the stake at listing",
        lambda r, c: _bounded(
            r, r["parameters"]["investment_mark"], "value_at_listing_usd_bn", money(c["value_at_listing_usd_bn"])
        ),
    ),
    (
        "money multiple",
        lambda r, c: _bounded(r, r["parameters"]["investment_mark"], "multiple", f"{c['multiple']:.2f}x"),
    ),
    (
        "annual return",
        lambda r, c: _bounded(r, r["parameters"]["investment_mark"], "annual_return", f"{c['annual_return']:.0%}"),
    ),
    (
        "growth the listing implies from that mark",
        lambda r, c: (
            _bounded(r, r["parameters"]["investment_mark"], "growth_to_listing", f"{c['growth_to_listing']:.0%}")
            + " a year"
        ),
    ),
    (
        "listing value that earns the hurdle rate",
        lambda r, c: (
            _bounded(
                r, r["parameters"]["investment_mark"], "breakeven_hurdle_usd_bn", money(c["breakeven_hurdle_usd_bn"])
            )
            + f" (at {r['parameters']['hurdle_rate']:.0%} a year)"
        ),
    ),
    (
        "multiple weighted by the chance of a listing",
        lambda r, c: (
            _bounded(r, r["parameters"]["investment_mark"], "expected_multiple", f"{c['expected_multiple']:.2f}x")
            + f" (a {r['parameters']['listing_chance']:.0%} chance)"
        ),
    ),
    (
        "revenue the listing needs at the target multiple",
        lambda r, _: _bounded(
            r, "listing", "required_revenue_usd_bn", money(r["columns"]["listing"]["required_revenue_usd_bn"])
        ),
    ),
]


def summary_table(all_results: dict[str, dict], labels: dict[str, str]) -> list[list[str]]:
    """Rows of the side-by-side summary: a header, then one row per measure."""
    rows = [["", *[labels[c] for c in all_results]]]
    for name, cell in SUMMARY_ROWS:
        values = []
        for result in all_results.values():
            chosen = result["columns"][result["parameters"]["investment_mark"]]
            values.append(cell(result, chosen))
        rows.append([name, *values])
    return rows


def page_name(scenario_id: str) -> str:
    """The file name of a case's notebook page: the id as written in scenarios.csv, never its label."""
    return f"{scenario_id}.html"


def case_name_problems(cases) -> list[str]:
    """Case ids that would overwrite a generated page, and labels two cases share (one link would be lost)."""
    problems = []
    for line, case in cases.iterrows():
        if str(case["scenario_id"]).lower() in GENERATED_STEMS:
            problems.append(
                f"scenarios.csv:{line}: column 'scenario_id' = '{case['scenario_id']}': a case may not be named like a "
                f"page make scenarios writes ({', '.join(GENERATED_STEMS)}); rename it"
            )
    seen: dict[str, int] = {}
    for line, label in cases["label"].items():
        key = " ".join(str(label).split()).casefold()
        if key in seen:
            problems.append(
                f"scenarios.csv:{line}: column 'label' = '{label}': another case (line {seen[key]}) has this label; "
                "each case needs a label of its own"
            )
        seen.setdefault(key, int(line))
    return problems


def markdown_cell(text: str) -> str:
    """A table cell in summary.md that prints as typed: on one line, no tags, links or math, and '|' kept in the cell."""
    # `escape` already writes every markdown mark, the backslash and '|' as entities: nothing is left to backslash
    return escape(" ".join(str(text).split()))


def write_summary(
    rows: list[list[str]], out_dir: Path, pages: Sequence[tuple[str, str]] | dict[str, str] | None = None
) -> tuple[Path, Path]:
    """summary.md and summary.html from the summary rows; `pages` lists each case's (label, page), in order."""
    table = [[markdown_cell(cell) for cell in row] for row in rows]
    lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
    lines += ["| " + " | ".join(r) + " |" for r in table[1:]]
    md = out_dir / "summary.md"
    write_atomic(md, "# Named scenarios side by side\n\n" + "\n".join(lines) + "\n")
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in rows[1:])
    links = " · ".join(
        f'<a href="{html.escape(page)}">{html.escape(label)}</a>'
        for label, page in (pages.items() if isinstance(pages, dict) else pages or ())
    )
    page = out_dir / "summary.html"
    write_atomic(
        page,
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Named scenarios</title>'
        "<style>body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto}td,th{padding:.3rem .8rem;"
        "border-bottom:1px solid #ddd;text-align:right}td:first-child{text-align:left}</style></head><body>"
        f"<h1>Named scenarios side by side</h1><table><tr>{cells}</tr>{body}</table>"
        "<p>Each column is one run of notebooks/04-valuation-scenarios.ipynb with that case's listing value, years "
        "and dilution from data/scenarios.csv; all other parameters are the notebook's defaults. "
        f"Notebook pages: {links}</p></body></html>\n",
    )
    return md, page


def run_odds_case(cases, out_dir: Path, exporter: HTMLExporter) -> dict:
    """The Monte Carlo case: notebook 05 with LISTING_LOW_USD_BN at the lowest listing value among the named cases."""
    started = time.perf_counter()
    output = out_dir / f"{ODDS_CASE}.ipynb"
    low = float(cases["valuation_usd_bn"].min())
    result = run({"LISTING_LOW_USD_BN": low}, output, notebook=ODDS_NOTEBOOK)
    body, _ = exporter.from_notebook_node(nbformat.read(output, as_version=4), {"metadata": {"name": ODDS_CASE}})
    write_atomic(output.with_suffix(".html"), body)
    write_atomic(output.with_suffix(".json"), json.dumps(result, indent=1, sort_keys=True) + "\n")
    latest = result["marks"][result["latest_mark"]]
    print(
        f"  {ODDS_CASE} {time.perf_counter() - started:5.1f} s  -> {output}: listing from "
        f"{money(low)}, chance of a loss at the latest mark {latest['loss_chance']:.0%}",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build.scenario_runs", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK, help="the notebook each case runs through")
    parser.add_argument("--traceback", action="store_true", help="show the traceback of a failure")
    args = parser.parse_args(argv)
    return run_command("make scenarios", lambda: _main(args), args.traceback)


def _main(args: argparse.Namespace) -> int:
    try:
        book = load_ledger()
    except LedgerError as error:
        shown = error.problems[:10]
        more = f"\n... and {len(error.problems) - 10} more" if len(error.problems) > 10 else ""
        print(
            "make scenarios stopped: the ledger has problems (make check lists them all):\n"
            + "\n".join(str(p) for p in shown)
            + more,
            file=sys.stderr,
        )
        return 1
    cases = book.scenarios[book.scenarios["kind"] == "case"]
    problems = case_name_problems(cases)
    if problems:
        print("make scenarios stopped:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    check_output(args.out)
    problem = writable_problem(args.out)  # found now, not after every case has run
    if problem:
        raise OutputError(f"{args.out}: the folder cannot be written ({problem}); choose a folder you can write to")
    try:  # a broken notebook file is named in one line before any case runs
        for notebook in dict.fromkeys([args.notebook, ODDS_NOTEBOOK]):
            read_notebook(notebook)
    except NotebookFileError as error:
        print(f"make scenarios stopped: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with locked(args.out / ".lock", "make scenarios"):
        exporter = html_exporter()  # sanitized, offline: the same page as the report's
        all_results, labels = {}, {}
        for case in cases.itertuples():
            started = time.perf_counter()
            output = args.out / f"{case.scenario_id}.ipynb"
            try:
                all_results[case.scenario_id] = run(case_parameters(case), output, args.notebook)
            except (papermill.PapermillExecutionError, NotebookError) as error:
                print(
                    f"make scenarios stopped at case {case.scenario_id!r}:\n{failure(error, output)}", file=sys.stderr
                )
                return 1
            stop_if_interrupted()
            labels[case.scenario_id] = case.label
            print(
                f"  {case.scenario_id:<10} {time.perf_counter() - started:5.1f} s  -> {display_path(output)}",
                flush=True,
            )
        try:
            run_odds_case(cases, args.out, exporter)
        except (papermill.PapermillExecutionError, NotebookError) as error:
            output = args.out / f"{ODDS_CASE}.ipynb"
            print(f"make scenarios stopped at case {ODDS_CASE!r}:\n{failure(error, output)}", file=sys.stderr)
            return 1
        notebooks = {c: args.out / f"{c}.ipynb" for c in all_results}
        page = publish(all_results, labels, notebooks, args.out, exporter)
    print(f"Summary: {display_path(page)} and {display_path(page.with_suffix('.md'))}")
    return 0


def publish(
    results: dict[str, dict],
    labels: dict[str, str],
    notebooks: dict[str, Path],
    out_dir: Path,
    exporter: HTMLExporter | None = None,
) -> Path:
    """Each case's notebook page, summary.html/.md linking them, and results.json; return summary.html."""
    exporter = exporter or html_exporter()
    for scenario_id, notebook in notebooks.items():
        body, _ = exporter.from_notebook_node(
            nbformat.read(notebook, as_version=4), {"metadata": {"name": scenario_id}}
        )
        write_atomic(out_dir / page_name(scenario_id), body)
    pages = [(labels[c], page_name(c)) for c in results]  # by id: two cases can never share one link
    _, page = write_summary(summary_table(results, labels), out_dir, pages)
    write_atomic(out_dir / "results.json", json.dumps(results, indent=1, sort_keys=True) + "\n")
    return page


if __name__ == "__main__":
    sys.exit(exit_quietly(main()))
