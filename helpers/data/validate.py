"""Validate a table read as strings against its schema, and translate pandera's failures into one Problem per cell.

Nothing is dropped, filled or coerced silently: every problem in a file is collected and reported at once.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from helpers.data.read import DIGITS_RULE, MAX_SIGNIFICANT_DIGITS, MINUS_ZERO, MINUS_ZERO_RULE, Problem
from helpers.data.schema import NOT_A_NUMBER, NOT_A_WHOLE_NUMBER, SEP, _joined

# Rules that compare a row with other rows of its file and would report a row wrongly if another row were missing
# (the 'used' reading of a conflict, the first row of an event): skipped when a line of the file could not be read.
# Rules that a missing row cannot break (an id twice, a label twice) still run.
ALL_ROWS_RULES = frozenset(
    {
        "conflict_has_used_reading",
        "one_deal_name_per_event",
        "one_event_per_deal_name",
        "conflict_has_two_rows",
        "part_of_has_no_loop",
        "part_of_names_event",
    }
)


# --- validating ---------------------------------------------------------------------------


def row_rules(schema: type[pa.DataFrameModel]) -> list[tuple[str, str]]:
    """(column, rule sentence) for every rule of a schema that looks across a row."""
    return [(check.name.split("|")[0], check.error) for check in schema.to_schema().checks]


def describe_check(check: str, column_checks: dict[str, str] | None = None) -> str:
    """The sentence a reader sees for a built-in pandera check."""
    column_checks = column_checks or {}
    if check in column_checks:
        return column_checks[check]
    if check.startswith("coerce_dtype("):
        return NOT_A_WHOLE_NUMBER if "Int" in check else NOT_A_NUMBER
    if check == "not_nullable":
        return "must not be empty"
    if check.startswith("isin("):
        allowed = re.findall(r"'([^']*)'", check)
        return "must be one of: " + ", ".join(allowed)
    length = re.fullmatch(r"str_length\((\w+), (\w+)\)", check)
    if length:
        low, high = length.groups()
        parts = ([f"at least {low}"] if low != "None" else []) + ([f"at most {high}"] if high != "None" else [])
        return "must be " + " and ".join(parts) + " characters long"
    if check.startswith("str_matches("):
        return f"must match the pattern {check[len('str_matches(') : -1]}"
    comparisons = {
        "greater_than_or_equal_to": "must be at least",
        "greater_than": "must be above",
        "less_than_or_equal_to": "must be at most",
        "less_than": "must be below",
    }
    match = re.match(r"(\w+)\((.*)\)$", check)
    if match and match.group(1) in comparisons:
        return f"{comparisons[match.group(1)]} {match.group(2)}"
    return check


def _schema_problems(
    frame: pd.DataFrame, schema: type[pa.DataFrameModel], name: str, raw: pd.DataFrame, skip: frozenset[str]
) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        return schema.validate(frame, lazy=True), []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    if skip:  # rules that need every row of the file, when a line could not be read as a row
        skipped = {c.error for c in schema.to_schema().checks if c.name.split("|")[-1] in skip}
        cases = cases[~cases["check"].astype(str).isin(skipped)]
        if cases.empty:
            return None, []
    # pandera reports a dataframe check by its error text; map that back to the cell it is about
    row_rule_column = {c.error: c.name.split("|")[0] for c in schema.to_schema().checks}
    column_checks = {c.name: c.error for col in schema.to_schema().columns.values() for c in col.checks if c.error}
    problems: list[Problem] = []
    cells: dict[str, dict] = {}  # column -> {line: cell}, built once (raw.at per failure: minutes at 50,000 rows)
    lines_of: dict[str, dict] = {}  # column -> {value: [lines]}, for the uniqueness message
    cases = cases[cases["index"].notna()]
    for case in cases.sort_values("index", kind="stable").itertuples(index=False):
        line = int(case.index)
        if len(problems) >= MAX_PROBLEMS_COLLECTED:
            problems.append(Problem(name, line, "(rows)", "", MORE_PROBLEMS_RULE))
            break
        check = str(case.check)
        if check.startswith("dtype("):
            continue  # the coercion failure on the same cell says it better
        if case.schema_context == "DataFrameSchema":
            column, rule = row_rule_column.get(check, str(case.column)), check
        else:
            column = str(case.column)
            rule = describe_check(check, column_checks)
            if check == "field_uniqueness":
                if column not in lines_of:
                    lines_of[column] = raw.groupby(column, sort=False).groups
                others = lines_of[column].get(raw.at[line, column], [])
                rule = "must be unique; also on line " + ", ".join(str(n) for n in others if n != line)
        if column in raw.columns and column not in cells:
            cells[column] = raw[column].to_dict()
        value = cells[column].get(line, "") if column in cells else ""
        problems.append(Problem(name, line, column, "" if value is None else str(value), rule))
    return None, problems


# Past this many problems in a file a reader fixes the first ones and checks again (250,000 took minutes and a GB)
MAX_PROBLEMS_COLLECTED = 500
MORE_PROBLEMS_RULE = "and more problems from this line on: fix the ones above and run the check again"

# Python's float() accepts 'nan', 'inf', '1_000', ' 2025' and non-ASCII digits; the ledger does not.
PLAIN_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
PLAIN_WHOLE_NUMBER = r"-?[0-9]+"
NUMBER_FORMAT_RULE = (
    "must be a number written with the digits 0-9 and an optional decimal point "
    "(no NaN, inf, underscore, exponent, space or non-ASCII digit)"
)
WHOLE_NUMBER_FORMAT_RULE = "must be a whole number written with the digits 0-9"


def _number_problems(raw: pd.DataFrame, schema: type[pa.DataFrameModel], name: str) -> list[Problem]:
    """Cells of numeric columns that are not plain ASCII numbers."""
    problems = []
    for column, spec in schema.to_schema().columns.items():
        kind = str(spec.dtype)
        if kind not in ("float64", "Int64") or column not in raw.columns:
            continue
        cells = raw[column].dropna().astype(str)
        pattern, rule = (
            (PLAIN_WHOLE_NUMBER, WHOLE_NUMBER_FORMAT_RULE) if kind == "Int64" else (PLAIN_NUMBER, NUMBER_FORMAT_RULE)
        )
        joined = _joined(cells.tolist())
        if joined is None or not re.fullmatch(f"(?:{pattern}{SEP})*", joined):
            bad = ~cells.str.fullmatch(pattern).astype(bool)
            problems += [Problem(name, int(line), column, value, rule) for line, value in cells[bad.to_numpy()].items()]
            cells = cells[~bad.to_numpy()]
        # only a cell that starts '-0' or is longer than the digit limit can break an exactness rule
        suspects = cells[(cells.str.len() > MAX_SIGNIFICANT_DIGITS) | cells.str.startswith("-0")]
        problems += [Problem(name, int(line), column, v, why) for line, v in suspects.items() if (why := _exactness(v))]
    return problems


def _exactness(cell: str) -> str:
    """Why a plainly written number would not be read as exactly the number written, or ''."""
    if re.fullmatch(MINUS_ZERO, cell):
        return MINUS_ZERO_RULE
    digits = cell.lstrip("-").replace(".", "").lstrip("0")
    if "." in cell:
        digits = digits.rstrip("0")
    return DIGITS_RULE if len(digits) > MAX_SIGNIFICANT_DIGITS else ""


def validate_table(
    raw: pd.DataFrame, schema: type[pa.DataFrameModel], name: str, all_rows: bool = True
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate a raw string table; return the typed frame, or None and every problem. all_rows=False (a line of the
    file could not be read as a row) skips the rules that compare a row with the others (ALL_ROWS_RULES)."""
    skip = frozenset() if all_rows else ALL_ROWS_RULES
    formats = _number_problems(raw, schema, name)
    checked = raw
    if formats:
        checked = raw.copy()
        for problem in formats:
            checked.at[problem.line, problem.column] = None
    typed, problems = _schema_problems(checked, schema, name, raw, skip)
    if typed is not None and not formats:
        return typed, []
    if typed is not None:
        return None, formats
    blanked_formats = {(p.line, p.column) for p in formats}
    problems = formats + [p for p in problems if (p.line, p.column) not in blanked_formats]
    raw = checked
    unparseable = [p for p in problems if p.rule in (NOT_A_NUMBER, NOT_A_WHOLE_NUMBER)]
    if unparseable:
        # Other rules ran on half-parsed columns: blank the cells that are not numbers and
        # validate again, so every other rule is checked on properly typed data.
        retry = raw.copy()
        for problem in unparseable:
            retry.at[problem.line, problem.column] = None
        _, more = _schema_problems(retry, schema, name, raw, skip)
        blanked = {(p.line, p.column) for p in unparseable}
        problems = unparseable + [p for p in more if (p.line, p.column) not in blanked]
    return None, capped(problems, name)


def capped(problems: list[Problem], name: str) -> list[Problem]:
    """At most MAX_PROBLEMS_COLLECTED problems, all before one line, and one that says more follow from there."""
    cuts = [p.line for p in problems if p.rule == MORE_PROBLEMS_RULE]  # where a pass stopped collecting
    real = [p for p in problems if p.rule != MORE_PROBLEMS_RULE]
    if not cuts and len(real) <= MAX_PROBLEMS_COLLECTED:
        return problems
    real.sort(key=lambda p: p.line)
    cuts += [real[MAX_PROBLEMS_COLLECTED].line] if len(real) > MAX_PROBLEMS_COLLECTED else []
    return [p for p in real if p.line < min(cuts)] + [Problem(name, min(cuts), "(rows)", "", MORE_PROBLEMS_RULE)]
