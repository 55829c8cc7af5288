"""Load the three files of the ledger, check them against each other, and `python -m helpers.data check`."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.data.read import LedgerError, Problem, read_table
from helpers.data.schema import FigureSchema, ScenarioSchema, SourceSchema
from helpers.data.text import TEXT_COLUMNS
from helpers.data.validate import validate_table

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
FIGURES_CSV = DATA_DIR / "figures.csv"
SOURCES_CSV = DATA_DIR / "sources.csv"
SCENARIOS_CSV = DATA_DIR / "scenarios.csv"


@dataclass(frozen=True)
class Loaded:
    """One file: typed frame (None if anything is wrong), the raw string frame, the problems, and the data lines that
    could not be read as a row (checks that need every row of the file are skipped when there are any)."""

    typed: pd.DataFrame | None
    raw: pd.DataFrame
    problems: list[Problem]
    unread_lines: tuple[int, ...]


def _load(path: Path, schema: type[pa.DataFrameModel]) -> Loaded:
    table = read_table(path, schema)
    raw, problems = table.frame, list(table.problems)
    if raw.empty:
        return Loaded(None, raw, problems, table.unread_lines)
    typed, more = validate_table(raw, schema, path.name, all_rows=not table.unread_lines)
    problems += more
    return Loaded(typed if not problems else None, raw, problems, table.unread_lines)


def skipped_sentence(unread: dict[str, tuple[int, ...]]) -> str:
    """One line saying which checks were not run because a file has lines that could not be read as rows, or ''."""
    broken = {name: lines for name, lines in unread.items() if lines}
    if not broken:
        return ""
    where = ", ".join(
        f"{name} (line{'s' * (len(lines) > 1)} {', '.join(map(str, lines))})" for name, lines in broken.items()
    )
    return (
        f"Checks across rows and files were skipped for {where}: a line that could not be read as a row would be "
        "reported as a missing row; fix the lines above and check again"
    )


def _source_problems(figures: pd.DataFrame, sources: pd.DataFrame, name: str) -> list[Problem]:
    known = set(sources["source_id"].dropna())
    cells = figures["source_ids"].dropna()
    # every id known, and no id twice in a row: look at rows one by one only if that may fail
    if set(";".join(cells.tolist()).split(";")) <= known:
        listing = cells[cells.str.contains(";", regex=False).to_numpy()]
        if all(len(set(ids)) == len(ids) for ids in (c.split(";") for c in listing.tolist())):
            return []
    problems = []
    for line, cell in cells.items():
        ids = cell.split(";")
        for source_id in ids:
            if source_id not in known:
                problems.append(
                    Problem(name, int(line), "source_ids", cell, f"source id '{source_id}' is not in sources.csv")
                )
        for source_id in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(Problem(name, int(line), "source_ids", cell, f"source id '{source_id}' is listed twice"))
    return problems


# Rows the notebooks look up by id (04's default INVESTMENT_MARK and the listing), with the kind they read them as;
# one edit away when they change.
REQUIRED_SCENARIOS = ("round-2026-close", "listing")
REQUIRED_KINDS = {"round-2026-close": "mark", "listing": "listing"}
VALUATION_METRICS = ("valuation", "pre_money", "post_money")


def _required_scenario_problems(scenarios: pd.DataFrame, name: str) -> list[Problem]:
    present = set(scenarios["scenario_id"].dropna())
    after_last = int(scenarios.index.max()) + 1 if len(scenarios) else 2
    problems = [
        Problem(
            name, after_last, "scenario_id", scenario_id, "required row is missing: the notebooks use this scenario"
        )
        for scenario_id in REQUIRED_SCENARIOS
        if scenario_id not in present
    ]
    for line, row in scenarios.iterrows():
        wanted = REQUIRED_KINDS.get(row["scenario_id"])
        if wanted and row["kind"] != wanted:
            rule = f"must have kind '{wanted}': the notebooks read {row['scenario_id']} as a {wanted}"
            problems.append(Problem(name, int(line), "kind", str(row["kind"] or ""), rule))
    if not scenarios["kind"].eq("case").any():
        rule = "scenarios.csv needs at least one case: make scenarios runs each, and 05 reads its range from them"
        problems.append(Problem(name, after_last, "kind", "", rule))
    return problems


def _scenario_metric_problems(scenarios: pd.DataFrame, figures: pd.DataFrame, name: str) -> list[Problem]:
    metric = dict(zip(figures["figure_id"], figures["metric"], strict=True))
    return [
        Problem(
            name,
            int(line),
            "figure_id",
            figure_id,
            f"must cite a valuation ({', '.join(VALUATION_METRICS)}); {figure_id} is a '{metric[figure_id]}' figure",
        )
        for line, figure_id in scenarios["figure_id"].dropna().items()
        if figure_id in metric and metric[figure_id] not in VALUATION_METRICS
    ]


def _case_figure_problems(scenarios: pd.DataFrame, figures: pd.DataFrame, name: str) -> list[Problem]:
    """A case that cites a figure cites a listing figure: 04 runs it as the listing (LISTING_FIGURE)."""
    category = dict(zip(figures["figure_id"], figures["category"], strict=True))
    cases = scenarios[scenarios["kind"].eq("case")]
    return [
        Problem(
            name,
            int(line),
            "figure_id",
            figure_id,
            f"a case must cite a listing figure (category 'listing'); {figure_id} is a '{category[figure_id]}' figure",
        )
        for line, figure_id in cases["figure_id"].dropna().items()
        if figure_id in category and category[figure_id] != "listing"
    ]


def _missing_figure_problems(scenarios: pd.DataFrame, figures: pd.DataFrame, name: str) -> list[Problem]:
    known = set(figures["figure_id"].dropna())
    return [
        Problem(name, int(line), "figure_id", figure_id, "figure id is not in figures.csv")
        for line, figure_id in scenarios["figure_id"].dropna().items()
        if figure_id not in known
    ]


def _withdrawn_figure_problems(scenarios: pd.DataFrame, figures: pd.DataFrame, name: str) -> list[Problem]:
    """A scenario cites a figure a source reports: a withdrawn one is kept only so its id is not reused."""
    withdrawn = set(figures.loc[figures["reading"].eq("withdrawn"), "figure_id"].dropna())
    return [
        Problem(name, int(line), "figure_id", figure_id, "cites a withdrawn figure: no source reports it; cite another")
        for line, figure_id in scenarios["figure_id"].dropna().items()
        if figure_id in withdrawn
    ]


def value_rule(figure_id: str, qualifier: object, bound_usd_bn: float) -> str:
    """The rule for a scenario citing a one-number figure: it equals that number (a bound, at the bound)."""
    if qualifier in ("up_to", "at_least", "more_than", "less_than"):
        words = str(qualifier).replace("_", " ")
        return (
            f"must equal the bound of figure {figure_id} ({words} {bound_usd_bn:g}): a reported scenario cites the "
            "number the source gives; another value is an assumption (value_basis assumption, no figure_id)"
        )
    return f"must equal the value of figure {figure_id} ({bound_usd_bn:g})"


def _scenario_value_problems(scenarios: pd.DataFrame, figures: pd.DataFrame, name: str) -> list[Problem]:
    by_id = figures.set_index("figure_id")
    problems = []
    for line, row in scenarios.dropna(subset=["figure_id"]).iterrows():
        figure_id = row["figure_id"]
        if figure_id not in by_id.index:
            continue
        figure = by_id.loc[figure_id]
        low = figure["low"] if pd.notna(figure["low"]) else figure["value"]
        high = figure["high"] if pd.notna(figure["high"]) else figure["value"]
        if pd.isna(low) and pd.isna(high):
            rule = f"figure {figure_id} gives no value ({figure['qualifier']}): a reported scenario cites a number"
            problems.append(Problem(name, int(line), "figure_id", figure_id, rule))
            continue
        value = row["valuation_usd_bn"]
        if pd.notna(low) and pd.notna(high) and low != high:
            ok, wanted = low <= value <= high, f"must lie within figure {figure_id}'s range ({low:g} to {high:g})"
        else:  # one number, or a one-sided bound ('up to', 'at least'): a reported scenario cites it as reported
            bound = low if pd.notna(low) else high
            ok, wanted = value == bound, value_rule(figure_id, figure["qualifier"], bound)
        if not ok:
            problems.append(Problem(name, int(line), "valuation_usd_bn", f"{value:g}", wanted))
    return problems


def _finish(frame: pd.DataFrame, date_column: str) -> pd.DataFrame:
    frame = frame.copy()
    frame[date_column] = pd.to_datetime(frame[date_column], format="%Y-%m-%d")
    return frame


@dataclass(frozen=True)
class Ledger:
    """The three validated tables."""

    figures: pd.DataFrame
    sources: pd.DataFrame
    scenarios: pd.DataFrame


def load_ledger(
    figures_path: Path | str | None = None,
    sources_path: Path | str | None = None,
    scenarios_path: Path | str | None = None,
) -> Ledger:
    """Load and cross-check all three files; raise one LedgerError listing every problem."""
    paths = [
        Path(p) if p is not None else d
        for p, d in ((figures_path, FIGURES_CSV), (sources_path, SOURCES_CSV), (scenarios_path, SCENARIOS_CSV))
    ]
    loaded_sources = _load(paths[1], SourceSchema)
    loaded_figures = _load(paths[0], FigureSchema)
    loaded_scenarios = _load(paths[2], ScenarioSchema)
    problems = loaded_sources.problems + loaded_figures.problems + loaded_scenarios.problems
    sources, raw_sources = loaded_sources.typed, loaded_sources.raw
    figures, raw_figures = loaded_figures.typed, loaded_figures.raw
    scenarios, raw_scenarios = loaded_scenarios.typed, loaded_scenarios.raw
    # Cross-file ids are checked on the raw tables, so they are reported alongside row problems; a check that looks
    # for a row (a source, a figure, a required scenario) is skipped when that file has a line it could not read
    if not raw_figures.empty and not raw_sources.empty and not loaded_sources.unread_lines:
        problems += _source_problems(raw_figures, raw_sources, paths[0].name)
    if not raw_scenarios.empty and not loaded_scenarios.unread_lines:
        problems += _required_scenario_problems(raw_scenarios, paths[2].name)
    if not raw_scenarios.empty and not raw_figures.empty:
        if not loaded_figures.unread_lines:
            problems += _missing_figure_problems(raw_scenarios, raw_figures, paths[2].name)
        problems += _withdrawn_figure_problems(raw_scenarios, raw_figures, paths[2].name)
        problems += _scenario_metric_problems(raw_scenarios, raw_figures, paths[2].name)
        problems += _case_figure_problems(raw_scenarios, raw_figures, paths[2].name)
    if scenarios is not None and figures is not None:
        problems += _scenario_value_problems(scenarios, figures, paths[2].name)
    if problems:
        unread = {
            path.name: loaded.unread_lines
            for path, loaded in zip(paths, (loaded_figures, loaded_sources, loaded_scenarios), strict=True)
        }
        raise LedgerError(problems, skipped_sentence(unread))
    _remember_text(figures, sources, scenarios)
    return Ledger(_finish(figures, "reported_on"), _finish(sources, "published_on"), scenarios)


def _remember_text(*frames: pd.DataFrame) -> None:
    """Hand the free text that could read as a prose mark ('**', a leading '- ') to the prose writer to escape whole."""
    from helpers.notebook import prose  # imported here: `make check` need not load IPython

    for frame in frames:
        for column in (c for c in TEXT_COLUMNS if c in frame.columns):
            cells = frame[column].dropna().astype(str)
            prose.remember_data_text(cells[cells.str.contains(r"\*\*|^(?:[-+*]|[0-9]+[.)])(?:\s|$)")].unique())


def as_of(figures: pd.DataFrame) -> pd.Timestamp:
    """The ledger's "as of" date: the newest report date among its figures."""
    return pd.Timestamp(figures["reported_on"].max()).normalize()


def as_of_text(figures: pd.DataFrame) -> str:
    """The as-of date as the README and codebook write it: `Ledger as of YYYY-MM-DD`."""
    return f"Ledger as of {as_of(figures):%Y-%m-%d}"


# The day of the last search for newer public reports (its queries are listed in data/CHANGELOG.md).
# A fixed date, not today's: outputs must not change with the wall clock.
RECORD_SEARCHED_ON = "2026-12-07"
STALE_AFTER_DAYS = 31


def record_gap_sentence(figures: pd.DataFrame, searched_on: str = RECORD_SEARCHED_ON) -> str:
    """A plain sentence when the newest report is over a month older than the last search; '' otherwise."""
    newest, searched = as_of(figures), pd.Timestamp(searched_on)
    if (searched - newest).days <= STALE_AFTER_DAYS:
        return ""
    return (
        f"The newest public report found is dated {newest.day} {newest:%B %Y}: a search on "
        f"{searched.day} {searched:%B %Y} found nothing citable published since, so the figures stop there."
    )


def load_sources(path: Path | str | None = None) -> pd.DataFrame:
    """Validated sources.csv (index: file line)."""
    loaded = _load(Path(path) if path is not None else SOURCES_CSV, SourceSchema)
    if loaded.problems:
        name = Path(path).name if path is not None else SOURCES_CSV.name
        raise LedgerError(loaded.problems, skipped_sentence({name: loaded.unread_lines}))
    return _finish(loaded.typed, "published_on")


def load_figures(path: Path | str | None = None, sources_path: Path | str | None = None) -> pd.DataFrame:
    """Validated figures.csv (index: file line), with every source id checked against sources.csv."""
    return load_ledger(figures_path=path, sources_path=sources_path).figures


def load_scenarios(path: Path | str | None = None, figures_path: Path | str | None = None) -> pd.DataFrame:
    """Validated scenarios.csv (index: file line), with every figure id checked against figures.csv."""
    return load_ledger(figures_path=figures_path, scenarios_path=path).scenarios


MAX_PROBLEMS_SHOWN = 50


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m helpers.data check` validates the three files."""
    parser = argparse.ArgumentParser(prog="python -m helpers.data", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate figures.csv, sources.csv and scenarios.csv")
    check.add_argument("--figures", type=Path, default=FIGURES_CSV)
    check.add_argument("--sources", type=Path, default=SOURCES_CSV)
    check.add_argument("--scenarios", type=Path, default=SCENARIOS_CSV)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        ledger = load_ledger(args.figures, args.sources, args.scenarios)
    except LedgerError as err:
        shown = err.problems[:MAX_PROBLEMS_SHOWN]
        count = len(err.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in the ledger:", file=sys.stderr)
        print("\n".join(str(p) for p in shown), file=sys.stderr)
        if count > len(shown):
            print(f"... and {count - len(shown):,} more (fix these and run the check again)", file=sys.stderr)
        if err.skipped:
            print(err.skipped, file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(
        f"ledger ok: {len(ledger.figures)} figures, {len(ledger.sources)} sources, "
        f"{len(ledger.scenarios)} scenarios, as of {as_of(ledger.figures):%Y-%m-%d} ({elapsed:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    from helpers import cli

    cli.run(main)
