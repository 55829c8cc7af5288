"""Load and validate the ledger: figures.csv, sources.csv and scenarios.csv.

The pandera models below are the one declaration of every column and rule; the
codebook in data/README.md is generated from them (see helpers/codebook.py).
Loading never drops, fills or coerces a bad cell silently: every problem in a
file is collected and raised at once as `file:LINE: column 'x' = 'value': rule`.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
FIGURES_CSV = DATA_DIR / "figures.csv"
SOURCES_CSV = DATA_DIR / "sources.csv"
SCENARIOS_CSV = DATA_DIR / "scenarios.csv"

# --- vocabularies -------------------------------------------------------------------------

CATEGORIES = (
    "funding_round",
    "equity_investment",
    "secondary_sale",
    "valuation",
    "cloud_commitment",
    "chip_commitment",
    "infrastructure",
    "revenue",
    "projection",
    "listing",
    "debt",
)
COMMITMENT_CATEGORIES = ("cloud_commitment", "chip_commitment", "infrastructure")
# metric -> (the unit its value must be stated in, what it measures: the codebook's text)
METRICS = {
    "amount": ("usd_bn", "money in one deal, round or contract"),
    "cumulative_amount": ("usd_bn", "money to date across several deals (a running total)"),
    "pre_money": ("usd_bn", "company value before a round's new money"),
    "post_money": ("usd_bn", "company value after a round's new money (pre-money plus the round)"),
    "valuation": ("usd_bn", "company value where the source does not say pre- or post-money"),
    "stake_value": ("usd_bn", "value of one holder's stake"),
    "stake_pct": ("pct", "one holder's share of the company"),
    "capacity": ("gw", "computing capacity in gigawatts of power"),
    "revenue": ("usd_bn", "revenue earned in a period (a month, quarter or calendar year)"),
    "run_rate": ("usd_bn", "revenue of a recent month or week times twelve (or 52), not calendar revenue"),
    "operating_loss": ("usd_bn", "revenue less operating costs, as a positive number; no financing or non-cash items"),
    "net_loss": ("usd_bn", "loss after every item, as a positive number; can include large non-cash charges"),
    "cash_burn": ("usd_bn", "cash spent beyond cash earned in a period, as a positive number"),
    "cash_on_hand": ("usd_bn", "cash (and, where the source says so, securities) held at the end of a period"),
    "compute_spend": ("usd_bn", "money spent or planned on computing"),
    "commitments_total": ("usd_bn", "all compute commitments a company says it has made"),
    "cost_per_gw": ("usd_bn", "capital cost of one gigawatt of capacity"),
    "raise_target": ("usd_bn", "money a listing or round aims to raise"),
    "loan": ("usd_bn", "money lent by the subject to the counterparty: a claim to be repaid, not spending"),
    "revenue_share_pct": ("pct", "share of its revenue the subject pays the counterparty"),
    "share_price": ("usd", "price of one share"),
    "warrant_shares": ("million_shares", "shares a warrant allows the holder to buy"),
}
METRIC_UNITS = {metric: unit for metric, (unit, _) in METRICS.items()}
UNITS = tuple(sorted(set(METRIC_UNITS.values())))
QUALIFIERS = ("exact", "about", "at_least", "more_than", "up_to", "less_than", "range", "undisclosed")
LOWER_BOUND_QUALIFIERS = ("at_least", "more_than")
UPPER_BOUND_QUALIFIERS = ("up_to", "less_than")
STATUSES = (
    "in_talks",
    "reported",
    "letter_of_intent",
    "announced",
    "definitive",
    "closed",
    "stalled",
    "superseded",
)
BASES = ("total", "committed", "upfront", "conditional", "funded")
TERM_BASES = ("reported", "multi_year_unspecified", "not_reported")
DATE_PRECISIONS = ("day", "month", "approximate")
READINGS = ("used", "alternative")
SOURCE_KINDS = (
    "company release",
    "filing",
    "wire",
    "newspaper",
    "trade press",
    "aggregator",
    "article",
)
# how close the page read is to the original reporting (sources.csv `proximity`)
PROXIMITIES = {
    "primary": "a filing or a company's own release, read where the company published it",
    "original": "the reporting outlet's own page, or a newspaper's licensed copy of a wire story",
    "repost": "a copy of an outlet's story on another site (mirror, feed, newswire repost, archive)",
    "aggregator": "an aggregator, summary site or blog writing up others' reporting",
}
SCENARIO_KINDS = ("mark", "listing", "case")
VALUATION_BASES = ("pre_money", "post_money", "unstated")
VALUE_BASES = ("reported", "assumption")

# Patterns a whole cell must match (checked with fullmatch; ASCII digits only).
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
FIGURE_ID = r"F[0-9]{3,}"
SOURCE_ID = r"[A-Z][0-9]{2,3}"
SOURCE_IDS = rf"{SOURCE_ID}(;{SOURCE_ID})*"
URL = r"https?://\S+"
# a readable name: starts and ends with a visible character, no line breaks, at most 60 characters
DEAL_NAME = r"\S(?:[^\r\n]{0,58}\S)?"
PERIOD = r"[0-9]{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]|[0-9]{4}))?"


REAL_DATE_RULE = "must be a real calendar date written YYYY-MM-DD"
FINITE_RULE = "must be a finite number"
DEAL_NAME_RULE = "must be a name of 1 to 60 characters, on one line, with no space at either end"
FUTURE_RULE = "must not be after the day of the check (a report cannot come from the future)"
NOTE_MAX_CHARS = 1_000
NOT_A_NUMBER = "must be a number"
NOT_A_WHOLE_NUMBER = "must be a whole number"


def _is_real_date(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    return parsed.notna() | series.isna()


def _not_after_today(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    return ~parsed.gt(pd.Timestamp.today().normalize()).fillna(False).astype(bool)


def _month_on_first(df: pd.DataFrame, date_column: str) -> pd.Series:
    parsed = pd.to_datetime(df[date_column], format="%Y-%m-%d", errors="coerce")
    return ~(df["date_precision"].eq("month") & parsed.dt.day.ne(1)).fillna(False).astype(bool)


def _is_finite(series: pd.Series) -> pd.Series:
    return series.isna() | series.abs().lt(float("inf"))


# Cell-by-cell checks run in C on one string per column: the cells joined by NUL, which a file
# that passed the reader cannot contain. Only when that finds something are cells looked at one by one.
SEP = "\x00"


def _joined(cells: list[str]) -> str | None:
    """The cells as one string, each closed by SEP; None if a cell itself holds SEP."""
    joined = SEP.join(cells) + SEP
    return joined if joined.count(SEP) == len(cells) else None


def _sep_free(pattern: str) -> str:
    """`pattern` with its open character classes (\\S, [^\\r\\n]) kept from matching SEP, so a match cannot run across cells."""
    return pattern.replace(r"\S", rf"[^\s{SEP}]").replace(r"[^\r\n]", rf"[^\r\n{SEP}]")


def _all_match(series: pd.Series, pattern: str) -> pd.Series | bool:
    """Every non-empty cell matches `pattern` in full: one C-level match on the joined column, cell by cell only on failure."""
    cells = series.dropna().tolist()
    joined = _joined(cells)
    if joined is not None and re.fullmatch(f"(?:(?:{_sep_free(pattern)}){SEP})*", joined):
        return True
    return series.isna() | series.astype(object).map(lambda c: isinstance(c, str) and bool(re.fullmatch(pattern, c)))


def _pattern(column: str, pattern: str):
    """A column check: every cell of `column` matches `pattern` in full (documented as ^pattern$)."""

    def check(cls, series: pd.Series) -> pd.Series | bool:
        return _all_match(series, pattern)

    check.__name__ = f"{column}_pattern"
    return pa.check(column, name=f"pattern:{column}", error=f"must match the pattern ^{pattern}$")(check)


def _row_rule(column: str):
    """Declare a rule that looks across a row; `column` is the cell a failure is reported on."""

    def declare(func):
        sentence = " ".join((func.__doc__ or func.__name__).split())
        # ignore_na=False: each rule handles missing cells itself, and pandera skips a whole-table isna pass
        return pa.dataframe_check(name=f"{column}|{func.__name__}", error=sentence, ignore_na=False)(func)

    return declare


def _blank(series: pd.Series) -> pd.Series:
    return series.isna()


def _events_in_part_of_loops(df: pd.DataFrame) -> set[str]:
    """Events from which following part_of links (other than to themselves) comes back round."""
    links = df.dropna(subset=["part_of"])
    links = links[links["part_of"] != links["event"]]
    parents: dict[str, set[str]] = {}
    for event, parent in zip(links["event"].tolist(), links["part_of"].tolist(), strict=True):
        parents.setdefault(event, set()).add(parent)
    looped = set()
    for start in parents:
        seen, todo = set(), list(parents[start])
        while todo:
            event = todo.pop()
            if event == start:
                looped.add(start)
                break
            if event not in seen:
                seen.add(event)
                todo.extend(parents.get(event, ()))
    return looped


# --- schemas ------------------------------------------------------------------------------


class FigureSchema(pa.DataFrameModel):
    """One row per figure as one source reported it (data/figures.csv)."""

    figure_id: Series[str] = pa.Field(unique=True, description="Stable id, F followed by digits; never reused.")
    reported_on: Series[str] = pa.Field(description="Date the source reported the figure (ISO).")
    date_precision: Series[str] = pa.Field(
        isin=DATE_PRECISIONS, description="How exact reported_on is: day, month (first of month) or approximate."
    )
    event: Series[str] = pa.Field(description="Slug grouping every report of the same deal or series.")
    deal: Series[str] = pa.Field(
        description="Short name a reader sees for the event, e.g. 'March 2025 round'; the same on every row of an event.",
    )
    part_of: Series[str] = pa.Field(
        nullable=True,
        description="Event of the round this investor's share belongs to; empty if standalone.",
    )
    subject: Series[str] = pa.Field(description="Who pays or commits, or whose metric it is.")
    counterparty: Series[str] = pa.Field(nullable=True, description="Who receives the money or the commitment.")
    category: Series[str] = pa.Field(isin=CATEGORIES, description="Kind of figure.")
    metric: Series[str] = pa.Field(isin=tuple(METRIC_UNITS), description="What the value measures.")
    unit: Series[str] = pa.Field(
        isin=UNITS, description="usd_bn (billions of US dollars), pct, gw, usd, million_shares."
    )
    value: Series[float] = pa.Field(
        nullable=True, ge=0, description="The stated number; empty when undisclosed (never 0 for unknown)."
    )
    qualifier: Series[str] = pa.Field(isin=QUALIFIERS, description="How the source qualified the number.")
    low: Series[float] = pa.Field(nullable=True, ge=0, description="Lower bound, when the source gives one.")
    high: Series[float] = pa.Field(nullable=True, ge=0, description="Upper bound, when the source gives one.")
    basis: Series[str] = pa.Field(
        nullable=True, isin=BASES, description="For money: total, committed, upfront, conditional or funded (paid in)."
    )
    period: Series[str] = pa.Field(
        nullable=True,
        description="Period the figure covers or targets: YYYY, YYYY-H1, YYYY-Q1, YYYY-MM or YYYY-YYYY.",
    )
    term_years: Series[float] = pa.Field(
        nullable=True, gt=0, le=50, description="Length of a multi-year commitment, in years."
    )
    term_basis: Series[str] = pa.Field(
        nullable=True,
        isin=TERM_BASES,
        description="Whether the source gave a term: reported, multi_year_unspecified or not_reported.",
    )
    start_year: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=2015, le=2100, description="First year of the commitment, when reported."
    )
    end_year: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=2015, le=2100, description="Last year of the commitment, when reported."
    )
    status: Series[str] = pa.Field(isin=STATUSES, description="Status of the deal as of this report.")
    source_ids: Series[str] = pa.Field(description="Semicolon-separated ids from sources.csv.")
    conflict: Series[str] = pa.Field(nullable=True, description="Slug grouping rows whose sources disagree.")
    reading: Series[str] = pa.Field(
        isin=READINGS,
        description="used: the reading the notebooks use; alternative: a conflicting version kept for the record.",
    )
    note: Series[str] = pa.Field(
        str_length={"max_value": NOTE_MAX_CHARS}, description="Context in our own words (at most 1,000 characters)."
    )

    @pa.check("reported_on", name="real_date", error=REAL_DATE_RULE)
    def reported_on_is_real(cls, series: pd.Series) -> pd.Series:
        return _is_real_date(series)

    @pa.check("reported_on", name="not_in_future", error=FUTURE_RULE)
    def reported_on_not_in_future(cls, series: pd.Series) -> pd.Series:
        return _not_after_today(series)

    @_row_rule("reported_on")
    def month_precision_on_first(cls, df: pd.DataFrame) -> pd.Series:
        """a date with precision 'month' is written as the 1st of its month."""
        return _month_on_first(df, "reported_on")

    figure_id_pattern = _pattern("figure_id", FIGURE_ID)
    reported_on_pattern = _pattern("reported_on", ISO_DATE)
    event_pattern = _pattern("event", SLUG)
    part_of_pattern = _pattern("part_of", SLUG)
    period_pattern = _pattern("period", PERIOD)
    source_ids_pattern = _pattern("source_ids", SOURCE_IDS)
    conflict_pattern = _pattern("conflict", SLUG)

    @pa.check("deal", name="deal_name", error=DEAL_NAME_RULE)
    def deal_is_a_name(cls, series: pd.Series) -> pd.Series | bool:
        return _all_match(series, DEAL_NAME)

    @pa.check("value", "low", "high", name="finite", error=FINITE_RULE)
    def numbers_are_finite(cls, series: pd.Series) -> pd.Series:
        return _is_finite(series)

    @_row_rule("unit")
    def unit_matches_metric(cls, df: pd.DataFrame) -> pd.Series:
        """unit must be the one its metric is stated in (money in usd_bn, stakes in pct, capacity in gw)."""
        return df["unit"].eq(df["metric"].map(METRIC_UNITS)).fillna(False)

    @_row_rule("value")
    def undisclosed_has_no_number(cls, df: pd.DataFrame) -> pd.Series:
        """qualifier 'undisclosed' means value, low and high are all empty."""
        undisclosed = df["qualifier"].eq("undisclosed")
        return ~undisclosed | (_blank(df["value"]) & _blank(df["low"]) & _blank(df["high"]))

    @_row_rule("value")
    def value_present(cls, df: pd.DataFrame) -> pd.Series:
        """value is required unless the qualifier is 'undisclosed' or 'range'."""
        return df["qualifier"].isin(["undisclosed", "range"]) | df["value"].notna()

    @_row_rule("low")
    def lower_bound_matches(cls, df: pd.DataFrame) -> pd.Series:
        """'at_least' and 'more_than' store the bound as low = value, with high empty."""
        rows = df["qualifier"].isin(LOWER_BOUND_QUALIFIERS)
        return ~rows | (df["low"].eq(df["value"]).fillna(False) & _blank(df["high"]))

    @_row_rule("high")
    def upper_bound_matches(cls, df: pd.DataFrame) -> pd.Series:
        """'up_to' and 'less_than' store the bound as high = value, with low empty."""
        rows = df["qualifier"].isin(UPPER_BOUND_QUALIFIERS)
        return ~rows | (df["high"].eq(df["value"]).fillna(False) & _blank(df["low"]))

    @_row_rule("low")
    def point_has_no_low(cls, df: pd.DataFrame) -> pd.Series:
        """'exact' and 'about' leave low empty."""
        return ~df["qualifier"].isin(["exact", "about"]) | _blank(df["low"])

    @_row_rule("high")
    def point_has_no_high(cls, df: pd.DataFrame) -> pd.Series:
        """'exact' and 'about' leave high empty."""
        return ~df["qualifier"].isin(["exact", "about"]) | _blank(df["high"])

    @_row_rule("low")
    def range_has_both_bounds(cls, df: pd.DataFrame) -> pd.Series:
        """'range' needs both low and high, with low below high."""
        rows = df["qualifier"].eq("range")
        return ~rows | df["low"].lt(df["high"]).fillna(False)

    @_row_rule("high")
    def low_not_above_high(cls, df: pd.DataFrame) -> pd.Series:
        """low must not be above high."""
        return ~df["low"].gt(df["high"]).fillna(False)

    @_row_rule("value")
    def value_within_bounds(cls, df: pd.DataFrame) -> pd.Series:
        """value must lie within low and high (low <= value <= high)."""
        below = df["value"].lt(df["low"]).fillna(False)
        above = df["value"].gt(df["high"]).fillna(False)
        return ~(below | above)

    @_row_rule("value")
    def percent_at_most_100(cls, df: pd.DataFrame) -> pd.Series:
        """a value in pct must be at most 100."""
        return ~(df["unit"].eq("pct") & df["value"].gt(100).fillna(False))

    @_row_rule("term_basis")
    def commitment_states_term(cls, df: pd.DataFrame) -> pd.Series:
        """every commitment amount (cloud, chip, infrastructure) says whether a term was reported."""
        rows = df["category"].isin(COMMITMENT_CATEGORIES) & df["metric"].eq("amount")
        return ~rows | df["term_basis"].notna()

    @_row_rule("term_years")
    def term_matches_basis(cls, df: pd.DataFrame) -> pd.Series:
        """term_years is given exactly when term_basis is 'reported'."""
        return df["term_years"].notna().eq(df["term_basis"].eq("reported").fillna(False))

    @_row_rule("end_year")
    def years_in_order(cls, df: pd.DataFrame) -> pd.Series:
        """end_year must not be before start_year."""
        return ~df["end_year"].lt(df["start_year"]).fillna(False)

    @_row_rule("term_years")
    def term_spans_years(cls, df: pd.DataFrame) -> pd.Series:
        """with start_year, end_year and term_years all given, the term must equal end - start + 1."""
        span = (df["end_year"] - df["start_year"] + 1).astype("Float64")
        return ~(span.ne(df["term_years"]).fillna(False))

    @_row_rule("conflict")
    def alternative_names_conflict(cls, df: pd.DataFrame) -> pd.Series:
        """an 'alternative' reading must name the conflict it belongs to."""
        return ~(df["reading"].eq("alternative") & df["conflict"].isna())

    @_row_rule("reading")
    def conflict_has_used_reading(cls, df: pd.DataFrame) -> pd.Series:
        """every conflict group has at least one row with reading 'used'."""
        used = df["reading"].eq("used").groupby(df["conflict"]).transform("any")
        return df["conflict"].isna() | used.reindex(df.index).fillna(True).astype(bool)

    @_row_rule("deal")
    def one_deal_name_per_event(cls, df: pd.DataFrame) -> pd.Series:
        """every row of an event carries the deal name of the event's first row."""
        first = df.groupby("event", dropna=False, sort=False)["deal"].transform("first")
        return df["deal"].eq(first).fillna(True).astype(bool)

    @_row_rule("deal")
    def one_event_per_deal_name(cls, df: pd.DataFrame) -> pd.Series:
        """a deal name belongs to one event only: the event of the first row that uses it."""
        first = df.groupby("deal", dropna=False, sort=False)["event"].transform("first")
        return df["event"].eq(first).fillna(True).astype(bool)

    @_row_rule("conflict")
    def conflict_has_two_rows(cls, df: pd.DataFrame) -> pd.Series:
        """a conflict group holds at least two rows (the versions that disagree)."""
        size = df.groupby("conflict")["conflict"].transform("size")
        return df["conflict"].isna() | size.reindex(df.index).ge(2).fillna(True).astype(bool)

    @_row_rule("part_of")
    def part_of_has_no_loop(cls, df: pd.DataFrame) -> pd.Series:
        """following part_of from event to event never leads back to the row's own event (a share may name its own round)."""
        return ~df["event"].isin(_events_in_part_of_loops(df))

    @_row_rule("part_of")
    def part_of_names_event(cls, df: pd.DataFrame) -> pd.Series:
        """part_of must name an event that appears in the ledger."""
        return df["part_of"].isna() | df["part_of"].isin(df["event"].dropna().unique())

    class Config:
        strict = True
        coerce = True


class SourceSchema(pa.DataFrameModel):
    """One row per source that the ledger cites (data/sources.csv)."""

    source_id: Series[str] = pa.Field(unique=True, description="Stable id: a capital letter and two or three digits.")
    outlet_read: Series[str] = pa.Field(description="The site or publication where the text was read.")
    original_outlet: Series[str] = pa.Field(
        description="Who originally reported it (wire, newspaper, company); 'unknown' if not shown."
    )
    title: Series[str] = pa.Field(nullable=True, description="Headline as shown; empty where the page showed none.")
    published_on: Series[str] = pa.Field(description="Publication date (ISO).")
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS, description="How exact published_on is.")
    url: Series[str] = pa.Field(
        nullable=True,
        description="Address of the text read; empty only where none exists.",
    )
    kind: Series[str] = pa.Field(isin=SOURCE_KINDS, description="Kind of the original reporting.")
    proximity: Series[str] = pa.Field(
        isin=tuple(PROXIMITIES),
        description="How close the page read is to the original: "
        + "; ".join(f"{name} = {meaning}" for name, meaning in PROXIMITIES.items())
        + ". Footers credit a page that is not primary or original as 'original via page read'.",
    )
    access_note: Series[str] = pa.Field(
        nullable=True,
        description="For a source with no address: how a reader can find it (what to search for, and where it came from).",
    )

    source_id_pattern = _pattern("source_id", SOURCE_ID)
    published_on_pattern = _pattern("published_on", ISO_DATE)
    url_pattern = _pattern("url", URL)

    @pa.check("published_on", name="real_date", error=REAL_DATE_RULE)
    def published_on_is_real(cls, series: pd.Series) -> pd.Series:
        return _is_real_date(series)

    @pa.check("published_on", name="not_in_future", error=FUTURE_RULE)
    def published_on_not_in_future(cls, series: pd.Series) -> pd.Series:
        return _not_after_today(series)

    @_row_rule("published_on")
    def month_precision_on_first(cls, df: pd.DataFrame) -> pd.Series:
        """a date with precision 'month' is written as the 1st of its month."""
        return _month_on_first(df, "published_on")

    @_row_rule("url")
    def url_or_access_note(cls, df: pd.DataFrame) -> pd.Series:
        """a source without a url says in access_note how a reader can find it."""
        return df["url"].notna() | df["access_note"].notna()

    class Config:
        strict = True
        coerce = True


class ScenarioSchema(pa.DataFrameModel):
    """Named valuation marks and listing cases for the scenario notebook (data/scenarios.csv)."""

    scenario_id: Series[str] = pa.Field(unique=True, description="Slug naming the scenario.")
    kind: Series[str] = pa.Field(
        isin=SCENARIO_KINDS,
        description="mark: a private valuation a stake can be bought at; listing: the value talked about for a listing; case: a named listing outcome (value, years, dilution).",
    )
    label: Series[str] = pa.Field(description="Name shown in tables and charts.")
    valuation_usd_bn: Series[float] = pa.Field(gt=0, description="Valuation in billions of US dollars.")
    valuation_basis: Series[str] = pa.Field(
        isin=VALUATION_BASES, description="pre_money, post_money, or unstated where no source says."
    )
    value_basis: Series[str] = pa.Field(isin=VALUE_BASES, description="reported (cites figure_id) or assumption.")
    figure_id: Series[str] = pa.Field(nullable=True, description="The ledger row a reported valuation comes from.")
    years_to_listing: Series[float] = pa.Field(
        nullable=True, gt=0, le=30, description="For cases: years from now to the listing (an assumption)."
    )
    dilution_to_listing: Series[float] = pa.Field(
        nullable=True,
        ge=0,
        lt=1,
        description="For cases: share of today's holders diluted away before listing, 0 to below 1.",
    )
    note: Series[str] = pa.Field(description="Why this scenario, in our own words.")

    scenario_id_pattern = _pattern("scenario_id", SLUG)
    figure_id_pattern = _pattern("figure_id", FIGURE_ID)

    @pa.check("valuation_usd_bn", "years_to_listing", name="finite", error=FINITE_RULE)
    def numbers_are_finite(cls, series: pd.Series) -> pd.Series:
        return _is_finite(series)

    @_row_rule("figure_id")
    def reported_cites_figure(cls, df: pd.DataFrame) -> pd.Series:
        """a reported valuation cites a figure_id; an assumption does not."""
        return df["figure_id"].notna().eq(df["value_basis"].eq("reported"))

    @_row_rule("years_to_listing")
    def case_has_listing_terms(cls, df: pd.DataFrame) -> pd.Series:
        """a case gives years_to_listing and dilution_to_listing; a mark or listing leaves both empty."""
        given = df["years_to_listing"].notna() & df["dilution_to_listing"].notna()
        blank = df["years_to_listing"].isna() & df["dilution_to_listing"].isna()
        return (df["kind"].eq("case") & given) | (df["kind"].isin(["mark", "listing"]) & blank)

    class Config:
        strict = True
        coerce = True


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "figures.csv": FigureSchema,
    "sources.csv": SourceSchema,
    "scenarios.csv": ScenarioSchema,
}

# --- problems and errors ----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell (or line) of one file."""

    file: str
    line: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: column '{self.column}' = '{_shown(self.value)}': {self.rule}"


def _shown(value: str, limit: int = 60) -> str:
    """A cell as a one-line message shows it: control characters escaped, long text cut."""
    text = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    text = text.replace("\x00", "\\x00")
    if len(text) > limit:
        return f"{text[:limit]}... ({len(value):,} characters)"
    return text


class LedgerError(ValueError):
    """Raised with every problem found in the ledger files."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the ledger:\n{lines}")


# --- reading ------------------------------------------------------------------------------

# Python's csv module stops at 131,072 characters a field with a traceback; we read any length
# and report an oversized cell as a problem instead.
MAX_CELL_CHARS = 131_072
csv.field_size_limit(sys.maxsize)

# Rules every cell of every file obeys, checked while reading; the codebook lists them.
FILE_RULES = (
    "Each file is UTF-8 text (a byte-order mark is allowed), with no NUL bytes.",
    "Each row sits on one line: a cell never holds a line break, so an unclosed quote is caught "
    "on the line where it opened instead of silently swallowing the rows after it.",
    "Each row has as many cells as the header; blank lines are ignored.",
    f"A cell holds at most {MAX_CELL_CHARS:,} characters.",
    "A cell never starts or ends with a space, tab or line break (`aws-2025 ` and `aws-2025` would "
    "otherwise be two deals).",
    "A number is written with the digits 0-9, an optional minus sign and an optional decimal point: "
    "not NaN, inf, 1_000, 1e3, non-ASCII digits or a padded ' 2025'. An empty cell is a missing value.",
)
LINE_BREAK_RULE = (
    "cell holds a line break (the row runs on to line {last}): a quote opened on this line is not "
    "closed where the cell ends, or the cell has a stray line break; a row must sit on one line"
)
UNCLOSED_AT_END_RULE = "a quote opened on this line is never closed: it swallows every line to the end of the file"
NUL_RULE = "text contains a NUL byte: the file is not UTF-8 text (it may be UTF-16 or binary)"
NOT_UTF8_RULE = "file is not UTF-8: save it as UTF-8 (this byte is not valid UTF-8; Latin-1 or UTF-16?)"
PADDED_RULE = "must not start or end with a space, tab or line break"
TOO_LONG_RULE = f"cell is longer than {MAX_CELL_CHARS:,} characters"


def _columns(schema: type[pa.DataFrameModel]) -> list[str]:
    return list(schema.to_schema().columns)


def _locate(text: str, position: int) -> tuple[int, str]:
    """File line and the header name of the cell at `position` of a decoded file."""
    line_no = text.count("\n", 0, position) + 1
    line_start = text.rfind("\n", 0, position) + 1
    header = next(csv.reader([text.split("\n", 1)[0].lstrip("\ufeff").rstrip("\r")]), [])
    prefix = text[line_start:position]
    cell = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
    column = header[cell] if line_no > 1 and cell < len(header) else "(header)"
    return line_no, column


def _decode(path: Path) -> tuple[str | None, list[Problem]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # decode what precedes the bad byte to say where it is
        text = raw[: err.start].decode("utf-8-sig", errors="replace") + "\ufffd"
        line_no, column = _locate(text, len(text) - 1)
        bad = raw[err.start : err.end].hex(" ")
        return None, [Problem(path.name, line_no, column, f"bytes {bad}", NOT_UTF8_RULE)]
    nul = text.find("\x00")
    if nul >= 0:
        line_no, column = _locate(text, nul)
        return None, [Problem(path.name, line_no, column, "byte 00", NUL_RULE)]
    return text, []


def _path_problems(path: Path) -> list[Problem]:
    if path.is_dir():
        return [Problem(path.name, 1, "(file)", str(path), "is a folder, not a CSV file")]
    if not path.is_file():
        return [Problem(path.name, 1, "(file)", str(path), "no such file")]
    return []


def _fast_records(text: str, header: list[str]) -> pd.DataFrame | None:
    """The data rows parsed by pandas' C reader, indexed by file line; None unless every row is one clean line."""
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=object,
            header=None,
            skiprows=1,
            names=header,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return None  # a row with too many cells: the careful reader names it
    lines = text.rstrip("\r\n").split("\n")
    if len(lines) != len(frame) + 1:
        return None  # a quoted cell spans lines: the careful reader names the line
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    last = frame.columns[-1]
    suspects = frame.index[frame[last].to_numpy() == ""]
    blank = []
    for line_no in suspects:
        physical = lines[line_no - 1].rstrip("\r")
        if not physical.strip():
            blank.append(line_no)
        elif len(next(csv.reader([physical]))) != len(header):
            return None  # a row with too few cells (the C reader pads it)
    return frame.drop(index=blank) if blank else frame


def _never_closed(text: str, start_line: int, last_line: int) -> bool:
    """Whether the record that starts on `start_line` runs to the end of the file inside an open quote."""
    lines = text.split("\n")
    if last_line < len(lines) - 1 - (lines[-1] == ""):
        return False
    try:
        list(csv.reader(io.StringIO("\n".join(lines[start_line - 1 :]), newline=""), strict=True))
    except csv.Error:
        return True
    return False


def _careful_records(text: str, header: list[str], name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The data rows parsed one by one, with a problem for each row that is not exactly one line of cells."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    records, lines = [], []
    last_line = reader.line_num
    while True:
        start_line = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(name, start_line, "(row)", "", f"not readable as CSV: {err}"))
            break
        last_line = reader.line_num
        if not row or all(cell.strip() == "" for cell in row) and len(row) <= 1:
            continue  # blank lines (for example a trailing one) carry no data
        broken = next((i for i, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
        if broken is not None:
            column = header[broken] if broken < len(header) else f"(cell {broken + 1})"
            if _never_closed(text, start_line, last_line):
                rule = UNCLOSED_AT_END_RULE
            else:
                rule = LINE_BREAK_RULE.format(last=last_line)
            problems.append(Problem(name, start_line, column, row[broken], rule))
            continue
        if len(row) != len(header):
            if len(row) > len(header):
                column, value = f"(cell {len(header) + 1})", row[len(header)]
            else:
                column, value = header[len(row)], ""
            problems.append(
                Problem(name, start_line, column, value, f"row has {len(row)} cells; the header has {len(header)}")
            )
            continue
        records.append(row)
        lines.append(start_line)
    frame = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    return frame, problems


# a cell that starts with whitespace; run on the reversed string too, it finds one that ends with it
PADDED_START = re.compile(f"{SEP}\\s")


def _padded(joined: str) -> bool:
    """Whether any cell of a joined column starts or ends with whitespace."""
    return bool(PADDED_START.search(SEP + joined) or PADDED_START.search(joined[::-1] + SEP))


def _cell_problems(frame: pd.DataFrame, name: str, longest_line: int) -> list[Problem]:
    """Cells that are too long or padded with whitespace (no cell is longer than the longest line it came from)."""
    problems = []
    for column in frame.columns:
        cells = frame[column].tolist()
        if not cells:
            continue
        too_long = longest_line > MAX_CELL_CHARS and max(map(len, cells)) > MAX_CELL_CHARS
        joined = _joined(cells)
        if not too_long and joined is not None and not _padded(joined):
            continue
        for line, cell in zip(frame.index, cells, strict=True):
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(name, int(line), column, cell, TOO_LONG_RULE))
            elif cell != cell.strip():
                problems.append(Problem(name, int(line), column, cell, PADDED_RULE))
    return problems


def read_table(path: Path, schema: type[pa.DataFrameModel]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CSV as strings (empty cells as None), indexed by file line, and report structural problems."""
    name = path.name
    problems = _path_problems(path)
    if problems:
        return pd.DataFrame(), problems
    text, problems = _decode(path)
    if text is None:
        return pd.DataFrame(), problems
    if not text.strip():
        return pd.DataFrame(), [Problem(name, 1, "(header)", "", "file is empty; it needs a header row and data rows")]
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]))
    expected = _columns(schema)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    problems += [Problem(name, 1, c, "", "required column is missing from the header") for c in missing]
    problems += [Problem(name, 1, c, c, f"unknown column; expected only {', '.join(expected)}") for c in extra]
    problems += [
        Problem(name, 1, c, c, "column appears twice in the header") for c in sorted(set(header)) if header.count(c) > 1
    ]
    if problems:
        return pd.DataFrame(), problems
    frame = _fast_records(text, header)
    if frame is None:
        frame, problems = _careful_records(text, header, name)
    if frame.empty and not problems:
        problems.append(Problem(name, 2, "(rows)", "", "file has a header but no data rows"))
    problems += _cell_problems(frame, name, max(map(len, text.split("\n"))))
    columns = {}
    for column in expected:
        cells = frame[column].to_numpy(dtype=object, copy=True)
        cells[cells == ""] = None
        columns[column] = pd.Series(cells, index=frame.index, dtype=object)
    return pd.DataFrame(columns, index=frame.index), problems


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
    frame: pd.DataFrame, schema: type[pa.DataFrameModel], name: str, raw: pd.DataFrame
) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        return schema.validate(frame, lazy=True), []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    # pandera reports a dataframe check by its error text; map that back to the cell it is about
    row_rule_column = {c.error: c.name.split("|")[0] for c in schema.to_schema().checks}
    column_checks = {c.name: c.error for col in schema.to_schema().columns.values() for c in col.checks if c.error}
    problems = []
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue  # a check that crashed on a cell already reported as not a number
        line = int(case.index)
        check = str(case.check)
        if check.startswith("dtype("):
            continue  # the coercion failure on the same cell says it better
        if case.schema_context == "DataFrameSchema":
            column, rule = row_rule_column.get(check, str(case.column)), check
        else:
            column = str(case.column)
            rule = describe_check(check, column_checks)
            if check == "field_uniqueness":
                others = raw.index[raw[column] == raw.at[line, column]].tolist()
                rule = "must be unique; also on line " + ", ".join(str(n) for n in others if n != line)
        value = raw.at[line, column] if column in raw.columns and line in raw.index else ""
        problems.append(Problem(name, line, column, "" if value is None else str(value), rule))
    return None, problems


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
        if joined is not None and re.fullmatch(f"(?:{pattern}{SEP})*", joined):
            continue
        bad = ~cells.str.fullmatch(pattern).astype(bool)
        problems += [Problem(name, int(line), column, value, rule) for line, value in cells[bad.to_numpy()].items()]
    return problems


def validate_table(
    raw: pd.DataFrame, schema: type[pa.DataFrameModel], name: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate a raw string table; return the typed frame, or None and every problem."""
    formats = _number_problems(raw, schema, name)
    checked = raw
    if formats:
        checked = raw.copy()
        for problem in formats:
            checked.at[problem.line, problem.column] = None
    typed, problems = _schema_problems(checked, schema, name, raw)
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
        _, more = _schema_problems(retry, schema, name, raw)
        blanked = {(p.line, p.column) for p in unparseable}
        problems = unparseable + [p for p in more if (p.line, p.column) not in blanked]
    return None, problems


def _load(path: Path, schema: type[pa.DataFrameModel]) -> tuple[pd.DataFrame | None, pd.DataFrame, list[Problem]]:
    """Typed frame (None if anything is wrong), the raw string frame, and the problems."""
    raw, problems = read_table(path, schema)
    if raw.empty:
        return None, raw, problems
    typed, more = validate_table(raw, schema, path.name)
    problems += more
    return (typed if not problems else None), raw, problems


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


# Rows the notebooks look up by id (04's default INVESTMENT_MARK and the listing); one edit away when they change.
REQUIRED_SCENARIOS = ("round-2026-close", "listing")
VALUATION_METRICS = ("valuation", "pre_money", "post_money")


def _required_scenario_problems(scenarios: pd.DataFrame, name: str) -> list[Problem]:
    present = set(scenarios["scenario_id"].dropna())
    after_last = int(scenarios.index.max()) + 1 if len(scenarios) else 2
    return [
        Problem(
            name, after_last, "scenario_id", scenario_id, "required row is missing: the notebooks use this scenario"
        )
        for scenario_id in REQUIRED_SCENARIOS
        if scenario_id not in present
    ]


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


def _missing_figure_problems(scenarios: pd.DataFrame, figures: pd.DataFrame, name: str) -> list[Problem]:
    known = set(figures["figure_id"].dropna())
    return [
        Problem(name, int(line), "figure_id", figure_id, "figure id is not in figures.csv")
        for line, figure_id in scenarios["figure_id"].dropna().items()
        if figure_id not in known
    ]


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
        if not (low <= row["valuation_usd_bn"] <= high):
            problems.append(
                Problem(
                    name,
                    int(line),
                    "valuation_usd_bn",
                    f"{row['valuation_usd_bn']:g}",
                    f"must equal the value of figure {figure_id} ({low:g} to {high:g})",
                )
            )
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
    sources, raw_sources, problems = _load(paths[1], SourceSchema)
    figures, raw_figures, more = _load(paths[0], FigureSchema)
    problems += more
    scenarios, raw_scenarios, more = _load(paths[2], ScenarioSchema)
    problems += more
    # Cross-file ids are checked on the raw tables, so they are reported alongside row problems.
    if not raw_figures.empty and not raw_sources.empty:
        problems += _source_problems(raw_figures, raw_sources, paths[0].name)
    if not raw_scenarios.empty:
        problems += _required_scenario_problems(raw_scenarios, paths[2].name)
    if not raw_scenarios.empty and not raw_figures.empty:
        problems += _missing_figure_problems(raw_scenarios, raw_figures, paths[2].name)
        problems += _scenario_metric_problems(raw_scenarios, raw_figures, paths[2].name)
    if scenarios is not None and figures is not None:
        problems += _scenario_value_problems(scenarios, figures, paths[2].name)
    if problems:
        raise LedgerError(problems)
    return Ledger(_finish(figures, "reported_on"), _finish(sources, "published_on"), scenarios)


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
    frame, _, problems = _load(Path(path) if path is not None else SOURCES_CSV, SourceSchema)
    if problems:
        raise LedgerError(problems)
    return _finish(frame, "published_on")


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
        return 1
    elapsed = time.perf_counter() - started
    print(
        f"ledger ok: {len(ledger.figures)} figures, {len(ledger.sources)} sources, "
        f"{len(ledger.scenarios)} scenarios, as of {as_of(ledger.figures):%Y-%m-%d} ({elapsed:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
