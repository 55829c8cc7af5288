"""The pandera schemas of figures.csv, sources.csv and scenarios.csv: the one declaration of every column and rule.

The codebook in data/README.md is generated from them (helpers/data/codebook.py). Each rule method's docstring
is the sentence a contributor sees when a row breaks it.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from helpers.data.vocabulary import (
    BASES,
    CATEGORIES,
    COMMITMENT_CATEGORIES,
    DATE_PRECISIONS,
    EARLIEST_DATE,
    GENERATED_PAGE_STEMS,
    LABEL_MAX_CHARS,
    LISTING_USD_BN_LARGEST,
    LOWER_BOUND_QUALIFIERS,
    METRIC_UNITS,
    OUTLET_MAX_CHARS,
    PROXIMITIES,
    QUALIFIERS,
    READINGS,
    SCENARIO_KINDS,
    SOURCE_KINDS,
    STATUSES,
    TERM_BASES,
    TITLE_MAX_CHARS,
    UNITS,
    UPPER_BOUND_QUALIFIERS,
    USD_BN_LARGEST,
    USD_BN_SMALLEST,
    VALUATION_BASES,
    VALUE_BASES,
)

# Patterns a whole cell must match (checked with fullmatch; ASCII digits only).
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
FIGURE_ID = r"F[0-9]{3,}"
SOURCE_ID = r"[A-Z][0-9]{2,3}"
SOURCE_IDS = rf"{SOURCE_ID}(;{SOURCE_ID})*"
# an address with a host: 'https:///x' and 'https://x' (no dot) name no site a reader could open
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# quotes and angle brackets are not part of a web address (RFC 3986): in one they end an HTML attribute early
URL = rf"https?://{_HOST_LABEL}(?:\.{_HOST_LABEL})+\.?(?::[0-9]{{1,5}})?(?:[/?#][^\s\"'<>`]*)?"
URL_HOST_RULE = (
    "must be a web address with a host name: http:// or https://, then a domain such as www.example.com "
    "(an optional :port), then an optional /path; a web address has no spaces, quotes or angle brackets"
)
# a readable name: starts and ends with a visible character, no line breaks, at most 60 characters
DEAL_NAME = r"\S(?:[^\r\n]{0,58}\S)?"
PERIOD = r"[0-9]{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]|[0-9]{4}))?"


PERIOD_YEARS_RULE = (
    "years must lie from 2015 to 2100, and a range YYYY-YYYY must run forward (2025-2030, not 2030-2025)"
)
FIGURE_NUMBER_RULE = "names the same number as another figure_id (F001 and F0001 would read as one figure)"
REAL_DATE_RULE = "must be a real calendar date written YYYY-MM-DD"
FINITE_RULE = "must be a finite number"
DEAL_NAME_RULE = "must be a name of 1 to 60 characters, on one line, with no space at either end"
FUTURE_RULE = "must not be after the day of the check (a report cannot come from the future)"
EARLIEST_RULE = f"must not be before {EARLIEST_DATE} (OpenAI was founded in December 2015: an older date is a typo)"
GENERATED_PAGE_RULE = (
    f"must not be named like a page make scenarios writes ({', '.join(GENERATED_PAGE_STEMS)}): that page would "
    "replace the case's"
)
NOTE_MAX_CHARS = 1_000
# a slug names files (build/scenarios/<scenario_id>.*) and chart labels: a 252-character one passed the check and
# then broke `make scenarios` with "File name too long"
SLUG_MAX_CHARS = 60
NOT_A_NUMBER = "must be a number"
NOT_A_WHOLE_NUMBER = "must be a whole number"


def _is_real_date(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    return parsed.notna() | series.isna()


def _not_after_today(series: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    # today in UTC, not the machine's zone: under UTC+14 tomorrow's date would pass, under UTC-12 today's would not
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    return ~parsed.gt(today).fillna(False).astype(bool)


def _not_before_earliest(series: pd.Series) -> pd.Series:
    # ISO dates compare as text, so '0000-01-01' (which no parser takes) is caught too
    dated = series.astype(object).map(lambda c: isinstance(c, str) and re.fullmatch(ISO_DATE, c) is not None)
    return ~(dated & series.astype(object).map(lambda c: isinstance(c, str) and c < EARLIEST_DATE))


def _usd_bn_plausible(df: pd.DataFrame, column: str) -> pd.Series:
    money = df["unit"].eq("usd_bn").fillna(False) & df[column].notna()
    value = df[column].astype(float)
    plausible = value.eq(0) | (value.ge(USD_BN_SMALLEST) & value.le(USD_BN_LARGEST))
    return ~money | plausible.fillna(True)


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


def _period_years_ok(cell: object) -> bool:
    """A period's years lie in 2015..2100 and a YYYY-YYYY range runs forward ('0000' and '2030-2025' are typos);
    a cell the pattern refuses is left to the pattern's rule."""
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{4}))?(?:-\w+)?", cell) if isinstance(cell, str) else None
    if match is None:
        return True
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return 2015 <= first <= last <= 2100


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
    event: Series[str] = pa.Field(
        str_length={"max_value": SLUG_MAX_CHARS},
        description="Slug grouping every report of the same deal or series.",
    )
    deal: Series[str] = pa.Field(
        description="Short name a reader sees for the event, e.g. 'March 2025 round'; the same on every row of an event.",
    )
    part_of: Series[str] = pa.Field(
        nullable=True,
        str_length={"max_value": SLUG_MAX_CHARS},
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
    conflict: Series[str] = pa.Field(
        nullable=True,
        str_length={"max_value": SLUG_MAX_CHARS},
        description="Slug grouping rows whose sources disagree.",
    )
    reading: Series[str] = pa.Field(
        isin=READINGS,
        description="used: the reading the notebooks use; alternative: a conflicting version kept for the record; "
        "withdrawn: a figure no source reports, kept so its id is not reused and shown only as withdrawn.",
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

    @pa.check("reported_on", name="not_before_earliest", error=EARLIEST_RULE)
    def reported_on_not_too_old(cls, series: pd.Series) -> pd.Series:
        return _not_before_earliest(series)

    @_row_rule("value")
    def value_plausible_usd_bn(cls, df: pd.DataFrame) -> pd.Series:
        """a value in usd_bn is 0, or from 0.001 (US$1M) to 10000 (US$10T): anything else is a typo or a unit slip."""
        return _usd_bn_plausible(df, "value")

    @_row_rule("low")
    def low_plausible_usd_bn(cls, df: pd.DataFrame) -> pd.Series:
        """a low bound in usd_bn is 0, or from 0.001 (US$1M) to 10000 (US$10T)."""
        return _usd_bn_plausible(df, "low")

    @_row_rule("high")
    def high_plausible_usd_bn(cls, df: pd.DataFrame) -> pd.Series:
        """a high bound in usd_bn is 0, or from 0.001 (US$1M) to 10000 (US$10T)."""
        return _usd_bn_plausible(df, "high")

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

    @pa.check("figure_id", name="figure_number", error=FIGURE_NUMBER_RULE)
    def figure_numbers_are_unique(cls, series: pd.Series) -> pd.Series:
        numbers = series.map(lambda c: int(c[1:]) if isinstance(c, str) and re.fullmatch(FIGURE_ID, c) else c)
        # the same id twice is the uniqueness rule's to report; here only different spellings of one number
        spellings = series.groupby(numbers, dropna=False).transform("nunique")
        return spellings.le(1)

    @pa.check("period", name="period_years", error=PERIOD_YEARS_RULE)
    def period_years_are_plausible(cls, series: pd.Series) -> pd.Series:
        return series.map(_period_years_ok).astype(bool)

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
    outlet_read: Series[str] = pa.Field(
        str_length={"max_value": OUTLET_MAX_CHARS}, description="The site or publication where the text was read."
    )
    original_outlet: Series[str] = pa.Field(
        str_length={"max_value": OUTLET_MAX_CHARS},
        description="Who originally reported it (wire, newspaper, company); 'unknown' if not shown.",
    )
    title: Series[str] = pa.Field(
        nullable=True,
        str_length={"max_value": TITLE_MAX_CHARS},
        description="Headline as shown; empty where the page showed none.",
    )
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

    @pa.check("url", name="pattern:url", error=URL_HOST_RULE)
    def url_pattern(cls, series: pd.Series) -> pd.Series | bool:
        return _all_match(series, URL)

    @pa.check("published_on", name="real_date", error=REAL_DATE_RULE)
    def published_on_is_real(cls, series: pd.Series) -> pd.Series:
        return _is_real_date(series)

    @pa.check("published_on", name="not_in_future", error=FUTURE_RULE)
    def published_on_not_in_future(cls, series: pd.Series) -> pd.Series:
        return _not_after_today(series)

    @pa.check("published_on", name="not_before_earliest", error=EARLIEST_RULE)
    def published_on_not_too_old(cls, series: pd.Series) -> pd.Series:
        return _not_before_earliest(series)

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

    scenario_id: Series[str] = pa.Field(
        unique=True,
        str_length={"max_value": SLUG_MAX_CHARS},
        description="Slug naming the scenario; it names the scenario's files.",
    )
    kind: Series[str] = pa.Field(
        isin=SCENARIO_KINDS,
        description="mark: a private valuation a stake can be bought at; listing: the value talked about for a listing; case: a named listing outcome (value, years, dilution).",
    )
    label: Series[str] = pa.Field(
        str_length={"max_value": LABEL_MAX_CHARS},
        description="Name shown in tables and charts; each scenario has its own (ignoring case and spacing).",
    )
    valuation_usd_bn: Series[float] = pa.Field(
        gt=0, le=LISTING_USD_BN_LARGEST, description="Valuation in billions of US dollars."
    )
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

    @pa.check("scenario_id", name="not_a_generated_page", error=GENERATED_PAGE_RULE)
    def scenario_id_not_a_page(cls, series: pd.Series) -> pd.Series:
        return ~series.isin(GENERATED_PAGE_STEMS)

    @_row_rule("label")
    def label_of_its_own(cls, df: pd.DataFrame) -> pd.Series:
        """every scenario has a label of its own, ignoring case and spacing: two with one label share a column and a link."""
        key = df["label"].astype(object).map(lambda c: " ".join(c.split()).casefold() if isinstance(c, str) else c)
        return ~key.duplicated(keep=False) | key.isna()

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
