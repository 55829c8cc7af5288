"""Generate data/README.md, the codebook, from the pandera schemas in helpers/data/schema.py.

`python -m helpers.data.codebook` rewrites it; `python -m helpers.data.codebook --check` exits 1 when it is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers import data
from helpers.data import load, read, schema, validate, vocabulary

CODEBOOK = data.DATA_DIR / "README.md"
PROJECT_README = data.ROOT / "README.md"

INTRO = """\
# Data codebook

This file is generated from the schema in `helpers/data/schema.py` by `make codebook`
(`python -m helpers.data.codebook`); a test fails when it is out of date. Edit the
schema, not this page.

Three files make the ledger:

- `figures.csv`: one row per figure *as one source reported it*. The same deal
  reported twice (talks, then a signing) is two rows sharing an `event`, so the
  notebooks can show each deal's status history. Where sources disagree, each
  version is its own row; `conflict` groups them and `reading` says which one the
  notebooks use.
- `sources.csv`: one row per source that `figures.csv` cites.
- `scenarios.csv`: the valuation marks and listing cases the scenario notebook
  lays side by side.

Money is in billions of US dollars (`usd_bn`). A bound is data, not a footnote:
"more than $10B" is `value` 10, `qualifier` more_than, `low` 10; "up to $100B" is
`value` 100, `qualifier` up_to, `high` 100. An undisclosed amount is an empty
`value` with `qualifier` undisclosed, never 0.

Run `make check` (`python -m helpers.data check`) after editing. A bad cell stops
loading with one message per problem, such as
`figures.csv:12: column 'status' = 'rumoured': must be one of: ...`.
"""


def _rule_text(check: pa.Check) -> str:
    return validate.describe_check(check.error or check.name)


def _column_rows(schema: type[pa.DataFrameModel]) -> list[str]:
    built = schema.to_schema()
    rows = ["| column | type | may be empty | rules | meaning |", "|---|---|---|---|---|"]
    for name, column in built.columns.items():
        rules = [_rule_text(check) for check in column.checks]
        if column.unique:
            rules.insert(0, "unique")
        dtype = {"Int64": "whole number", "float64": "number"}.get(str(column.dtype), "text")
        rows.append(
            f"| `{name}` | {dtype} | {'yes' if column.nullable else 'no'} | "
            f"{'; '.join(rules).replace('|', '&#124;')} | {column.description or ''} |"
        )
    return rows


def _row_rule_lines(schema: type[pa.DataFrameModel]) -> list[str]:
    return [f"- `{column}`: {sentence}" for column, sentence in validate.row_rules(schema)]


def as_of_line(figures: pd.DataFrame) -> str:
    """The sentence that dates the ledger, written into the codebook and expected in the README."""
    line = (
        f"{data.as_of_text(figures)} (the newest `reported_on` in `figures.csv`, from "
        "`helpers.data.as_of`); reports published after that date are not in it yet."
    )
    stale = data.record_gap_sentence(figures)
    return f"{line} {stale}" if stale else line


def readme_problem(readme: Path, figures: pd.DataFrame) -> str | None:
    """Why the project README's as-of line does not match the data, or None if it does."""
    expected = data.as_of_text(figures)
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    found = re.findall(r"Ledger as of \d{4}-\d{2}-\d{2}", text)
    if found == [expected]:
        return None
    shown = ", ".join(found) if found else "no 'Ledger as of YYYY-MM-DD' line"
    return f"{readme} says {shown}; the data says '{expected}': update that one line"


def render(figures: pd.DataFrame | None = None) -> str:
    """The codebook text."""
    figures = data.load_figures() if figures is None else figures
    parts = [INTRO, f"\n{as_of_line(figures)}\n", "\n## Rules for every file\n"]
    parts += [f"- {rule}" for rule in read.FILE_RULES] + [""]
    for file_name, model in schema.SCHEMAS.items():
        parts += [f"\n## `{file_name}`\n", (model.__doc__ or "").strip() + "\n"]
        parts += _column_rows(model)
        rules = _row_rule_lines(model)
        if rules:
            parts += ["", "Rules across a row (the column named is where a failure is reported):", ""] + rules
        parts.append("")
    parts += ["\n## Metrics: unit and meaning\n", "| metric | unit | what it measures |", "|---|---|---|"]
    parts += [f"| `{metric}` | `{unit}` | {meaning} |" for metric, (unit, meaning) in vocabulary.METRICS.items()]
    parts += [
        "",
        "Across files: every id in `figures.source_ids` is in `sources.csv`; every",
        "`scenarios.figure_id` is in `figures.csv`, and a reported scenario's valuation",
        "equals that figure's value, or lies within its low-high range; a one-sided bound ('up to', 'at least')",
        "is cited at its bound (a value below 'up to $1T' is an assumption, not a reported number).",
        f"A scenario cites only a valuation figure (metric {', '.join(load.VALUATION_METRICS)}).",
        "No source id appears twice in one row's `source_ids`.",
        f"`scenarios.csv` holds the rows the notebooks use: {', '.join(load.REQUIRED_SCENARIOS)}.",
        "",
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Write the codebook, or with --check report whether it is current."""
    parser = argparse.ArgumentParser(prog="python -m helpers.data.codebook", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if data/README.md is stale")
    parser.add_argument("--path", type=Path, default=CODEBOOK)
    parser.add_argument("--readme", type=Path, default=PROJECT_README, help="README that must carry the as-of line")
    args = parser.parse_args(argv)
    try:
        figures = data.load_figures()
    except data.LedgerError as err:
        print(err, file=sys.stderr)
        return 1
    text = render(figures)
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
        status = 0
        if current != text:
            print(f"{args.path} is stale: run `make codebook` and commit it", file=sys.stderr)
            status = 1
        problem = readme_problem(args.readme, figures)
        if problem:
            print(problem, file=sys.stderr)
            status = 1
        if status == 0:
            print(f"{args.path.name} is current; {data.as_of_text(figures)}")
        return status
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    from helpers import cli

    cli.run(main)
