"""Valuation scenarios: checked parameters, dated marks read from the ledger with their bounds, the side-by-side
comparison, the named cases for a buyer at every mark, and the sensitivity grid.

Every value, date, status and bound of a mark comes from the ledger row that scenarios.csv cites; scenarios.csv
only says which rows are marks and names the cases.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers import valuation
from helpers.ledger import FIRM_STATUSES, money, revenue_marks, source_table, sources_of, stated
from helpers.parameters import ParameterError, Spec
from helpers.valuation import with_bound

__all__ = ["ParameterError", "Parameters", "specs"]

DAYS_PER_YEAR = 365.25
MAX_LISTING_USD_BN = 100_000.0  # $100T: far above any reported figure, and small enough to keep the sums finite
MAX_YEARS_TO_LISTING = 30.0
MAX_REVENUE_MULTIPLE = 1_000.0
# hurdle rates the break-even table shows beside the chosen one: none, an illustrative cash yield, and venture-like
HURDLE_RATES = (0.0, 0.045, 0.10, 0.15, 0.20)


@dataclass(frozen=True)
class Parameters:
    """The scenario notebook's assumptions, checked."""

    as_of: pd.Timestamp
    listing_valuation_usd_bn: float
    years_to_listing: float
    dilution_to_listing: float
    investment_usd_bn: float
    investment_mark: str
    revenue_basis: str
    target_revenue_multiple: float
    listing_figure: str = ""  # ledger row the listing value is read from when it equals it; "" for scenarios.csv's
    hurdle_rate: float = 0.10  # a year: what the money must earn to count as a gain
    listing_chance: float = 1.0  # chance that the listing happens at all
    no_listing_haircut: float = 0.0  # without a listing: discount on the latest private price the holder can sell at

    @classmethod
    def from_checked(cls, checked: dict[str, object]) -> Parameters:
        """Build from the dict that `parameters.check` returns."""
        return cls(
            as_of=checked["AS_OF"],
            listing_valuation_usd_bn=float(checked["LISTING_VALUATION_USD_BN"]),
            years_to_listing=float(checked["YEARS_TO_LISTING"]),
            dilution_to_listing=float(checked["DILUTION_TO_LISTING"]),
            investment_usd_bn=float(checked["INVESTMENT_USD_BN"]),
            investment_mark=str(checked["INVESTMENT_MARK"]),
            revenue_basis=str(checked["REVENUE_BASIS"]),
            target_revenue_multiple=float(checked["TARGET_REVENUE_MULTIPLE"]),
            listing_figure=str(checked["LISTING_FIGURE"]),
            hurdle_rate=float(checked.get("HURDLE_RATE", 0.10)),
            listing_chance=float(checked.get("LISTING_CHANCE", 1.0)),
            no_listing_haircut=float(checked.get("NO_LISTING_HAIRCUT", 0.0)),
        )


# --- marks: dated prices read from the ledger -------------------------------------------------------------------


def _pre_money_row(figures: pd.DataFrame, event: str, on_or_before: pd.Timestamp) -> pd.Series | None:
    """The ledger row of the round's pre-money value, reported on or before a date; None if none."""
    rows = figures[
        figures["event"].eq(event)
        & figures["metric"].eq("pre_money")
        & figures["reading"].eq("used")
        & (figures["reported_on"] <= on_or_before)
    ]
    return rows.sort_values(["reported_on", "figure_id"]).iloc[-1] if len(rows) else None


def _pre_money(figures: pd.DataFrame, event: str, on_or_before: pd.Timestamp) -> float:
    """The round's pre-money value the ledger uses, reported on or before a date; NaN if none."""
    row = _pre_money_row(figures, event, on_or_before)
    return float("nan") if row is None else float(row["value"])


def capitalised(label: str) -> str:
    """A label at the start of a table cell or heading: 'employee share sale' -> 'Employee share sale'."""
    return label[:1].upper() + label[1:]


def _newest(rows: pd.DataFrame) -> pd.Series:
    """The newest row (ties by figure id)."""
    return rows.sort_values(["reported_on", "figure_id"]).iloc[-1]


def _secondary_events(figures: pd.DataFrame) -> set[str]:
    """Events that are share sales between holders: they issue no shares."""
    return set(figures.loc[figures["category"].eq("secondary_sale"), "event"])


def priced_rounds(figures: pd.DataFrame) -> pd.DataFrame:
    """Primary rounds the ledger prices and reports closed: when priced, when closed, pre- and post-money, share kept.

    A round is priced on the first day the ledger reports its pre- or post-money value as at least announced (talks
    set no price) and counts once some row of it is closed. A holder before the round keeps pre-money / post-money of
    its stake. The pre-money value is the ledger's pre-money row, else the post-money value less the money the round
    raised. A secondary sale issues no shares, so it dilutes nobody and is never a round here.
    """
    used = figures[figures["reading"].eq("used")]
    secondary = _secondary_events(figures)
    valued = used[used["metric"].isin(["pre_money", "post_money"]) & ~used["event"].isin(secondary)]
    rows = []
    for event, group in valued.groupby("event"):
        everything = figures[figures["event"].eq(event) | figures["part_of"].eq(event)]
        closed = everything[everything["status"].eq("closed")]
        firm = group[group["status"].isin(FIRM_STATUSES)]
        posts = group[group["metric"].eq("post_money")]
        if closed.empty or firm.empty or posts.empty:
            continue
        post = _newest(posts)
        pres = group[group["metric"].eq("pre_money")]
        if len(pres):
            pre = _newest(pres)
            pre_value, pre_bound, pre_ids = (
                float(pre["value"]),
                valuation.bound_of(pre["qualifier"]),
                [pre["figure_id"]],
            )
        else:
            raised = used[used["event"].eq(event) & used["category"].eq("funding_round") & used["value"].notna()]
            if raised.empty:
                continue
            amount = _newest(raised)
            pre_value = float(post["value"]) - float(amount["value"])
            # a pre-money value read as post-money less the money raised falls as that money rises
            pre_bound = valuation.combined(
                valuation.bound_of(post["qualifier"]), valuation.flipped(valuation.bound_of(amount["qualifier"]))
            )
            pre_ids = [amount["figure_id"]]
        rows.append(
            {
                "event": event,
                "deal": post["deal"],
                "priced_on": firm["reported_on"].min(),
                "closed_on": closed["reported_on"].min(),
                "pre_money_usd_bn": pre_value,
                "post_money_usd_bn": float(post["value"]),
                "kept_share": pre_value / float(post["value"]),
                # the kept share rises with the pre-money value and falls with the post-money value
                "kept_bound": valuation.combined(pre_bound, valuation.flipped(valuation.bound_of(post["qualifier"]))),
                "post_money_figure": post["figure_id"],
                "post_money_on": post["reported_on"],
                "figure_ids": ", ".join([*pre_ids, post["figure_id"]]),
            }
        )
    columns = [
        "event",
        "deal",
        "priced_on",
        "closed_on",
        "pre_money_usd_bn",
        "post_money_usd_bn",
        "kept_share",
        "kept_bound",
        "post_money_figure",
        "post_money_on",
        "figure_ids",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values("priced_on").set_index("event")


def rounds_after(rounds: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame:
    """The priced rounds that set their price after a date: they diluted a stake bought on that date.

    A round priced before the date but closed after it does not: the price on that date already counted its money.
    """
    return rounds[rounds["priced_on"] > date]


def value_per_share(rounds: pd.DataFrame) -> pd.Series:
    """Value of one share at each priced round, the first round's share = 1: pre-money of the next / post-money of the last.

    Growth in this index is what a holder earned; growth in post-money values also counts the new money.
    """
    index = valuation.per_share_index(rounds["pre_money_usd_bn"].to_numpy(), rounds["post_money_usd_bn"].to_numpy())
    return pd.Series(index, index=rounds.index, name="value_per_share")


def per_share_table(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per priced round: pre- and post-money, the post-money step-up (new money included) and the value of
    one share (the first round's = 1.00), which is what a holder earned."""
    rounds = priced_rounds(figures)
    index = value_per_share(rounds)
    posts = rounds["post_money_usd_bn"]
    return pd.DataFrame(
        {
            "round": rounds["deal"],
            "priced": rounds["priced_on"].dt.strftime("%-d %b %Y"),
            "closed": rounds["closed_on"].dt.strftime("%-d %b %Y"),
            "pre-money": rounds["pre_money_usd_bn"].map(money),
            "post-money": posts.map(money),
            "post-money over the last round's": (posts / posts.shift()).map(
                lambda v: "" if pd.isna(v) else f"{v:.2f}x"
            ),
            "value of one share": index.map("{:.2f}".format),
            "one share over the last round's": (index / index.shift()).map(lambda v: "" if pd.isna(v) else f"{v:.2f}x"),
        }
    ).reset_index(drop=True)


def per_share_sentence(figures: pd.DataFrame) -> str:
    """'A share's value rose 4.0x (about 155% a year) ...': what a holder earned from the first priced round to the last."""
    rounds = priced_rounds(figures)
    index = value_per_share(rounds)
    first, last = rounds.iloc[0], rounds.iloc[-1]
    years = (last["post_money_on"] - first["post_money_on"]).days / DAYS_PER_YEAR
    rate = float(valuation.implied_cagr(1.0, index.iloc[-1], years))
    return (
        f"A holder's value per share, which leaves the new money out (each round's pre-money over the last one's "
        f"post-money), rose **{index.iloc[-1]:.1f}x**, about {rate:.0%} a year."
    )


def prices_paid(figures: pd.DataFrame) -> pd.DataFrame:
    """The ledger rows that are prices somebody paid: each priced, closed round's post-money and each closed tender.

    Chosen by status: a round counts once it closed, a tender (employee share sale) only at a valuation reported
    closed. Talks are never a price paid. A tender's valuation is a price for the whole company, read as post-money.
    """
    used = figures[figures["reading"].eq("used")]
    rounds = priced_rounds(figures)
    round_rows = figures[figures["figure_id"].isin(rounds["post_money_figure"])].assign(kind="round")
    tenders = used[
        used["event"].isin(_secondary_events(figures))
        & used["metric"].eq("valuation")
        & used["status"].eq("closed")
        & used["value"].notna()
    ].assign(kind="tender")
    return pd.concat([round_rows, tenders]).sort_values(["reported_on", "figure_id"])


def talk_prices(figures: pd.DataFrame) -> pd.DataFrame:
    """Valuations reported only in talks (a single number): shown as talks, never as a price a buyer paid."""
    used = figures[figures["reading"].eq("used")]
    return used[
        used["metric"].isin(["valuation", "post_money"])
        & used["status"].eq("in_talks")
        & used["value"].notna()
        & ~used["category"].eq("listing")
    ].sort_values(["reported_on", "figure_id"])


def _period_end(period: str, reported_on: pd.Timestamp) -> pd.Timestamp:
    """First day after a calendar year ('2025') or month ('2025-06'); the report date for other periods."""
    if len(period) == 4:
        return pd.Timestamp(int(period) + 1, 1, 1)
    if len(period) == 7 and period[5] in "01":
        return pd.Timestamp(period + "-01") + pd.offsets.MonthBegin(1)
    return reported_on


def revenue_before(figures: pd.DataFrame, date: pd.Timestamp, basis: str) -> pd.Series | None:
    """The newest revenue ('calendar' year or 'run_rate') reported by a date for a period over by then; None if none.

    A run rate expected for a later month is a forecast, not revenue a buyer on that date could have seen.
    """
    used = figures[(figures["reading"] == "used") & figures["category"].eq("revenue")]
    if basis == "calendar":
        rows = used[used["metric"].eq("revenue") & used["period"].str.fullmatch(r"\d{4}").fillna(False)]
    else:
        rows = used[used["metric"].eq("run_rate")]
    ends = [_period_end(str(p), r) for p, r in zip(rows["period"], rows["reported_on"], strict=True)]
    rows = rows.assign(period_end=pd.Series(ends, index=rows.index, dtype="datetime64[ns]"))
    rows = rows[(rows["reported_on"] <= date) & (rows["period_end"] <= date)]
    # the newest period first: a post can restate older run rates on the same day
    newest = rows.sort_values(["period_end", "reported_on", "figure_id"])
    return newest.drop(columns="period_end").iloc[-1] if len(rows) else None


def marks(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every price paid in the ledger as an entry mark: value, bound, date, status, sources and the share later rounds left.

    The marks are chosen from the ledger by status (`prices_paid`); a mark row of scenarios.csv only names one and
    gives it a short label, and one that cites anything else (a talk, a report) stops the run. A price paid that
    scenarios.csv does not name is still a mark, labelled by its deal.
    """
    paid = prices_paid(figures)
    rows = scenarios[scenarios["kind"].eq("mark")]
    for line, row in rows.iterrows():
        if row["figure_id"] not in set(paid["figure_id"]):
            figure = figures.set_index("figure_id").loc[row["figure_id"]]
            raise ValueError(
                f"scenarios.csv:{line}: column 'figure_id' = '{row['figure_id']}': an entry mark must be a price somebody "
                f"paid (the post-money value of a priced round that closed, or a closed tender); "
                f"{row['figure_id']} is '{figure['status']}'"
            )
    named = {f: (i, label) for i, f, label in zip(rows["scenario_id"], rows["figure_id"], rows["label"], strict=True)}
    rounds = priced_rounds(figures)
    ids = [named.get(f, (e, ""))[0] for f, e in zip(paid["figure_id"], paid["event"], strict=True)]
    labels = [named.get(f, ("", d))[1] or d for f, d in zip(paid["figure_id"], paid["deal"], strict=True)]
    out = pd.DataFrame(
        {
            "label": labels,
            "figure_id": paid["figure_id"].to_numpy(),
            "kind": paid["kind"].to_numpy(),
            "basis": "post_money",
            "valuation_usd_bn": paid["value"].to_numpy(dtype=float),
            "qualifier": paid["qualifier"].to_numpy(),
            "status": paid["status"].to_numpy(),
            "reported_on": paid["reported_on"].to_numpy(),
            "event": paid["event"].to_numpy(),
            "source_ids": paid["source_ids"].to_numpy(),
        },
        index=pd.Index(ids, name="scenario_id"),
    )
    out["bound"] = out["qualifier"].map(valuation.bound_of)
    out["stated"] = [stated(row) for _, row in paid.iterrows()]
    out["pre_money_usd_bn"] = [
        rounds.at[e, "pre_money_usd_bn"] if e in rounds.index else float("nan") for e in out["event"]
    ]
    out["closed_on"] = [
        rounds.at[e, "closed_on"] if e in rounds.index else d
        for e, d in zip(out["event"], out["reported_on"], strict=True)
    ]
    out["superseded"] = False  # one price per deal: a round's newest post-money value, a tender's closed valuation
    # Known dilution: every priced primary round that set its price after the mark shrank the stake by pre- / post-money
    names = dict(zip(out["event"], out["label"], strict=True))
    kept, kept_bound, diluted_by = [], [], []
    for event, date in zip(out["event"], out["reported_on"], strict=True):
        later = rounds_after(rounds, date).drop(index=event, errors="ignore")
        kept.append(float(later["kept_share"].prod()))
        kept_bound.append(valuation.combined(*later["kept_bound"]) if len(later) else "exact")
        diluted_by.append(" and ".join(f"the {names.get(e, later.at[e, 'deal'])}" for e in later.index))
    out["kept_share"] = kept
    out["kept_bound"] = kept_bound
    out["diluted_by"] = diluted_by
    return out.sort_values(["reported_on", "valuation_usd_bn"])


def latest_mark(mark_table: pd.DataFrame) -> str:
    """Id of the newest firm mark: the price a buyer today would pay."""
    firm = mark_table[mark_table["status"].isin(FIRM_STATUSES)]
    return str(firm.sort_values(["reported_on", "valuation_usd_bn"]).index[-1])


def listing(scenarios: pd.DataFrame, figures: pd.DataFrame, params: Parameters) -> pd.Series:
    """The listing: the reported figure's bound and status when the parameter equals it, else an assumption.

    The figure is LISTING_FIGURE when it names one, else the newest listing value the ledger reports.
    """
    row = scenarios[scenarios["kind"].eq("listing")].iloc[0]
    figure_id = params.listing_figure or newest_listing_figure(figures)
    figure = figures.set_index("figure_id").loc[figure_id]
    reported = params.listing_valuation_usd_bn == figure["value"]
    return pd.Series(
        {
            "label": row["label"],
            "figure_id": figure_id if reported else "",
            "valuation_usd_bn": params.listing_valuation_usd_bn,
            "bound": valuation.bound_of(figure["qualifier"]) if reported else "exact",
            "assumed": not reported,
            "status": figure["status"] if reported else "assumed",
            "reported_on": figure["reported_on"],
            "stated": stated(figure) if reported else f"{money(params.listing_valuation_usd_bn)} (assumed)",
            "source_ids": figure["source_ids"] if reported else "",
            "listing_on": params.as_of + pd.Timedelta(days=params.years_to_listing * DAYS_PER_YEAR),
        }
    )


def _closed_later(mark: pd.Series) -> bool:
    """A round priced on the mark's date that closed later (its price row is older than its close)."""
    closed = mark.get("closed_on")
    return closed is not None and pd.notna(closed) and closed > mark["reported_on"]


def when(mark: pd.Series) -> str:
    """'closed, 31 Mar 2026' or 'priced 31 Mar 2025, closed 31 Dec 2025': a mark's status and date in words."""
    if _closed_later(mark):
        return f"priced {mark['reported_on']:%-d %b %Y}, closed {mark['closed_on']:%-d %b %Y}"
    return f"{mark['status'].replace('_', ' ')}, {mark['reported_on']:%-d %b %Y}"


def column_label(mark: pd.Series) -> str:
    """'2026 round (closed, Mar 2026)': a mark as a column header."""
    if _closed_later(mark):
        return f"{capitalised(mark['label'])} (priced {mark['reported_on']:%b %Y}, closed {mark['closed_on']:%b %Y})"
    return f"{capitalised(mark['label'])} ({mark['status'].replace('_', ' ')}, {mark['reported_on']:%b %Y})"


def a_or_an(text: str) -> str:
    """'an 80% chance', 'a 50% chance': the article a number read aloud takes."""
    return "an" if text[:1] == "8" or text[:2] in ("11", "18") else "a"


def formatted_marks(mark_table: pd.DataFrame, listing_row: pd.Series) -> pd.DataFrame:
    """The marks and the listing as read from the ledger: date, status, the figure in words and how it is used."""
    used_as = {"exact": "exact", "about": "about", "at_least": "a floor", "at_most": "a ceiling"}
    rows = [
        {
            "mark": capitalised(row["label"]),
            "reported": f"{row['reported_on']:%Y-%m-%d}",
            "status": row["status"].replace("_", " ")
            + (f" (closed {row['closed_on']:%-d %b %Y})" if _closed_later(row) else ""),
            "as reported": row["stated"]
            + (" (basis not stated)" if row["basis"] == "unstated" else f" {row['basis'].replace('_', '-')}"),
            "read as": used_as[row["bound"]],
            "round pre-money": "" if pd.isna(row["pre_money_usd_bn"]) else money(row["pre_money_usd_bn"]),
            "ledger id": row["figure_id"],
        }
        for _, row in mark_table.iterrows()
    ]
    rows.append(
        {
            "mark": listing_row["label"],
            "reported": f"{listing_row['reported_on']:%Y-%m-%d}",
            "status": "assumed" if listing_row["assumed"] else listing_row["status"].replace("_", " "),
            "as reported": listing_row["stated"],
            "read as": "assumed" if listing_row["assumed"] else used_as[listing_row["bound"]],
            "round pre-money": "",
            "ledger id": listing_row["figure_id"] or "parameter",
        }
    )
    return pd.DataFrame(rows)


# --- parameters ---------------------------------------------------------------------------------------------------


def listing_reports(figures: pd.DataFrame) -> pd.DataFrame:
    """Every listing value the ledger reports (points, bounds, ranges; used and alternative readings), oldest first."""
    rows = figures[figures["category"].eq("listing") & figures["metric"].eq("valuation")]
    return rows.sort_values(["reported_on", "figure_id"])


def listing_value_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The ledger's listing values with a single number (not a range) in the reading it uses, oldest first."""
    rows = listing_reports(figures)
    return rows[rows["reading"].eq("used") & rows["value"].notna()]


def listing_figures(figures: pd.DataFrame) -> list[str]:
    """Figure ids a listing value can be read from (any reading, a single number), oldest first."""
    rows = listing_reports(figures)
    return list(rows.loc[rows["value"].notna(), "figure_id"])


def newest_listing_figure(figures: pd.DataFrame) -> str:
    """The newest listing value in the reading the ledger uses: the default listing figure."""
    return str(listing_value_rows(figures)["figure_id"].iloc[-1])


def articles_listing(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.Series:
    """The listing figure the articles compared the first price with (the listing row of scenarios.csv)."""
    figure_id = scenarios.loc[scenarios["kind"].eq("listing"), "figure_id"].iloc[0]
    return figures.set_index("figure_id", drop=False).loc[figure_id]


def specs(scenarios: pd.DataFrame, figures: pd.DataFrame) -> list[Spec]:
    """The notebook's parameters; ranges that depend on the ledger (mark ids, smallest price, newest date) read it."""
    mark_table = marks(scenarios, figures)
    newest = figures["reported_on"].max()
    cheapest = float(mark_table["valuation_usd_bn"].min())

    def not_before_newest(stamp: object) -> str:
        return "" if stamp >= newest else f"is before {newest:%Y-%m-%d}, the newest date in the ledger"

    return [
        Spec("AS_OF", "date", "the date years to the listing count from", rule=not_before_newest),
        Spec(
            "LISTING_VALUATION_USD_BN",
            "number",
            f"value at the listing in $B, above 0 and at most {MAX_LISTING_USD_BN:g} ($100T)",
            low=0,
            low_open=True,
            high=MAX_LISTING_USD_BN,
        ),
        Spec("YEARS_TO_LISTING", "number", "years from AS_OF to the listing", low=0, low_open=True, high=30),
        Spec(
            "DILUTION_TO_LISTING",
            "number",
            "share of the company diluted away before the listing, e.g. 0.1 for 10%",
            low=0,
            high=1,
            high_open=True,
        ),
        Spec(
            "INVESTMENT_USD_BN",
            "number",
            f"the cheque in $B; it must buy less than the whole company at every mark, the cheapest being "
            f"{money(cheapest)}",
            low=0,
            low_open=True,
            high=cheapest,
            high_open=True,
        ),
        Spec(
            "INVESTMENT_MARK",
            "choice",
            "a private mark a stake can be bought at; the listing is where the stake is valued, not bought",
            choices=tuple(mark_table.index),
        ),
        Spec(
            "LISTING_FIGURE",
            "choice",
            "ledger row a listing value equal to it is read from (its bound and date); '' for the newest reported",
            choices=("", *listing_figures(figures)),
        ),
        Spec("REVENUE_BASIS", "choice", "revenue the listing is compared with", choices=("calendar", "run_rate")),
        Spec(
            "TARGET_REVENUE_MULTIPLE",
            "number",
            "price-to-sales multiple",
            low=0,
            low_open=True,
            high=MAX_REVENUE_MULTIPLE,
        ),
        Spec("HURDLE_RATE", "number", "annual return a stake must beat to count as a gain, e.g. 0.10", low=0, high=1),
        Spec("LISTING_CHANCE", "number", "chance that OpenAI lists at all, from 0 to 1", low=0, high=1),
        Spec(
            "NO_LISTING_HAIRCUT",
            "number",
            "without a listing: discount on the latest private price a holder can sell at, 0 to below 1",
            low=0,
            high=1,
            high_open=True,
        ),
    ]


# --- the side-by-side comparison ------------------------------------------------------------------------------

MEASURES = {
    "valuation_usd_bn": ("valuation", "ledger (LISTING_VALUATION_USD_BN for the listing)"),
    "pre_money_usd_bn": ("pre-money value of the round", "ledger"),
    "new_money_usd_bn": ("new money in the round (post- minus pre-money)", "ledger"),
    "entry_post_money_usd_bn": ("post-money value a cheque buys into", "ledger"),
    "step_up_from_first": ("times the first mark", "ledger"),
    "years_to_listing": ("years from the mark to the listing", "AS_OF, YEARS_TO_LISTING"),
    "growth_to_listing": ("implied annual growth to the listing", "LISTING_VALUATION_USD_BN, YEARS_TO_LISTING"),
    "stake": ("stake bought (cheque / post-money)", "INVESTMENT_USD_BN"),
    "kept_share": ("share of the stake kept through the rounds priced after the mark (pre- / post-money)", "ledger"),
    "diluted_stake": ("stake at the listing, after those rounds and the assumed dilution", "DILUTION_TO_LISTING"),
    "value_at_listing_usd_bn": ("value of the stake at the listing", "LISTING_VALUATION_USD_BN, DILUTION_TO_LISTING"),
    "multiple": ("money multiple", "all of the above"),
    "annual_return": ("annual return", "all of the above"),
    "hurdle_multiple": ("multiple that just earns the hurdle rate over the same years", "HURDLE_RATE"),
    "present_value_usd_bn": ("value at the listing, discounted at the hurdle rate", "HURDLE_RATE"),
    "breakeven_listing_usd_bn": ("listing value that returns the cheque (0% a year)", "DILUTION_TO_LISTING"),
    "breakeven_hurdle_usd_bn": ("listing value that earns the hurdle rate", "HURDLE_RATE, DILUTION_TO_LISTING"),
    "unlisted_multiple": (
        "multiple with no listing (shares kept, valued at the latest private price less a discount)",
        "NO_LISTING_HAIRCUT",
    ),
    "expected_multiple": ("multiple weighted by the chance of a listing", "LISTING_CHANCE, NO_LISTING_HAIRCUT"),
    "price_to_calendar_sales": (
        "valuation / calendar revenue (newest full year reported by the mark's date)",
        "ledger",
    ),
    "price_to_run_rate": ("valuation / run-rate revenue (newest reported by the mark's date)", "ledger"),
    "required_revenue_usd_bn": ("revenue needed at the target multiple", "TARGET_REVENUE_MULTIPLE"),
}


def revenue_used(mark_table: pd.DataFrame, figures: pd.DataFrame) -> dict[str, dict[str, pd.Series | None]]:
    """Per mark, the calendar revenue and run rate reported by its date; for the listing, the latest of each."""
    used = {
        m: {basis: revenue_before(figures, row["reported_on"], basis) for basis in ("calendar", "run_rate")}
        for m, row in mark_table.iterrows()
    }
    used["listing"] = dict(revenue_marks(figures))
    return used


def _price_to_sales(value: float, value_bound: str, revenue: pd.Series | None) -> tuple[float, str]:
    """A valuation over a revenue figure and its bound (a floor on revenue is a ceiling on the multiple); NaN if none."""
    if revenue is None:
        return float("nan"), ""
    bound = valuation.combined(value_bound, valuation.flipped(valuation.bound_of(revenue["qualifier"])))
    return float(valuation.implied_revenue_multiple(value, revenue["value"])), bound


def total_dilution(kept_share: ArrayLike, assumed_dilution: ArrayLike) -> ArrayLike:
    """Dilution from the known later rounds (the share kept) and then the assumed dilution to the listing."""
    return 1.0 - np.multiply(kept_share, np.subtract(1.0, assumed_dilution))


def unlisted_multiple(
    entry_usd_bn: ArrayLike, kept_share: ArrayLike, latest_usd_bn: float, haircut: float
) -> ArrayLike:
    """Multiple if OpenAI never lists: the stake left after the known rounds, sold at the latest private price less a
    discount (an assumption; no later round is assumed, because one at that price would not change the value)."""
    return np.multiply(np.divide(kept_share, entry_usd_bn), latest_usd_bn * (1.0 - haircut))


def side_by_side(
    mark_table: pd.DataFrame, listing_row: pd.Series, figures: pd.DataFrame, params: Parameters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One column per mark and one for the listing: the numbers as floats, and the bound of each number."""
    revenue = revenue_used(mark_table, figures)
    first = mark_table.iloc[0]
    listing_value, listing_bound = params.listing_valuation_usd_bn, listing_row["bound"]
    # Vectorised over the marks: each is a buyer at that mark, holding from its date to the listing
    entry = mark_table["valuation_usd_bn"].to_numpy(dtype=float)
    entry_bound = mark_table["bound"].to_numpy()
    kept = mark_table["kept_share"].to_numpy(dtype=float)
    years = ((params.as_of - mark_table["reported_on"]).dt.days / DAYS_PER_YEAR + params.years_to_listing).to_numpy()
    outcome = valuation.listing_outcome(
        params.investment_usd_bn, entry, listing_value, total_dilution(kept, params.dilution_to_listing), years
    )
    ratios = {
        (m, basis): _price_to_sales(value, bound, revenue[m][basis])
        for m, value, bound in zip(mark_table.index, entry, entry_bound, strict=True)
        for basis in ("calendar", "run_rate")
    }
    ratios.update(
        {
            ("listing", basis): _price_to_sales(listing_value, listing_bound, revenue["listing"][basis])
            for basis in ("calendar", "run_rate")
        }
    )
    hurdle = valuation.hurdle_multiple(params.hurdle_rate, years)
    latest = mark_table.loc[latest_mark(mark_table)]
    unlisted = unlisted_multiple(entry, kept, latest["valuation_usd_bn"], params.no_listing_haircut)
    numbers = pd.DataFrame(
        {
            "valuation_usd_bn": entry,
            "pre_money_usd_bn": mark_table["pre_money_usd_bn"].to_numpy(),
            "new_money_usd_bn": entry - mark_table["pre_money_usd_bn"].to_numpy(),
            "entry_post_money_usd_bn": entry,
            "step_up_from_first": valuation.step_up(first["valuation_usd_bn"], entry),
            "years_to_listing": years,
            "growth_to_listing": valuation.implied_cagr(entry, listing_value, years),
            "stake": outcome["stake"],
            "kept_share": kept,
            "diluted_stake": outcome["diluted_stake"],
            "value_at_listing_usd_bn": outcome["value"],
            "multiple": outcome["multiple"],
            "annual_return": outcome["annual_return"],
            "hurdle_multiple": hurdle,
            "present_value_usd_bn": valuation.present_value(outcome["value"], params.hurdle_rate, years),
            "breakeven_listing_usd_bn": valuation.breakeven_listing_at_hurdle(
                entry, kept, params.dilution_to_listing, 0.0, years
            ),
            "breakeven_hurdle_usd_bn": valuation.breakeven_listing_at_hurdle(
                entry, kept, params.dilution_to_listing, params.hurdle_rate, years
            ),
            "unlisted_multiple": unlisted,
            "expected_multiple": valuation.expected_multiple(params.listing_chance, outcome["multiple"], unlisted),
            "price_to_calendar_sales": [ratios[m, "calendar"][0] for m in mark_table.index],
            "price_to_run_rate": [ratios[m, "run_rate"][0] for m in mark_table.index],
            "required_revenue_usd_bn": valuation.required_revenue(entry, params.target_revenue_multiple),
        },
        index=mark_table.index,
    ).T
    numbers["listing"] = {
        "valuation_usd_bn": listing_value,
        "step_up_from_first": valuation.step_up(first["valuation_usd_bn"], listing_value),
        "price_to_calendar_sales": ratios["listing", "calendar"][0],
        "price_to_run_rate": ratios["listing", "run_rate"][0],
        "required_revenue_usd_bn": valuation.required_revenue(listing_value, params.target_revenue_multiple),
    }
    numbers = numbers.astype(float)

    def column_bounds(column: str, value_bound: str, kept_bound: str, buyer: bool) -> dict[str, str]:
        # the multiple rises with the listing value and the share kept, and falls with the price paid
        result = valuation.combined(listing_bound, valuation.flipped(value_bound), kept_bound) if buyer else "exact"
        return {
            "valuation_usd_bn": value_bound,
            "pre_money_usd_bn": "exact",
            "new_money_usd_bn": value_bound,
            "entry_post_money_usd_bn": value_bound,
            "step_up_from_first": valuation.combined(value_bound, valuation.flipped(first["bound"])),
            "years_to_listing": "exact",
            "growth_to_listing": result,
            "stake": valuation.flipped(value_bound),
            "kept_share": kept_bound,
            "diluted_stake": valuation.combined(valuation.flipped(value_bound), kept_bound),
            "value_at_listing_usd_bn": result,
            "multiple": result,
            "annual_return": result,
            "hurdle_multiple": "exact" if buyer else "",
            "present_value_usd_bn": result,
            # the break-even listing rises with the price paid and falls with the share kept
            "breakeven_listing_usd_bn": valuation.combined(value_bound, valuation.flipped(kept_bound)),
            "breakeven_hurdle_usd_bn": valuation.combined(value_bound, valuation.flipped(kept_bound)),
            "unlisted_multiple": valuation.combined(valuation.flipped(value_bound), kept_bound, latest["bound"]),
            "expected_multiple": valuation.combined(
                result, valuation.flipped(value_bound), kept_bound, latest["bound"]
            ),
            "price_to_calendar_sales": ratios[column, "calendar"][1],
            "price_to_run_rate": ratios[column, "run_rate"][1],
            "required_revenue_usd_bn": value_bound,
        }

    bounds = pd.DataFrame(
        {
            m: column_bounds(m, b, k, True)
            for m, b, k in zip(mark_table.index, entry_bound, mark_table["kept_bound"], strict=True)
        }
    )
    bounds["listing"] = column_bounds("listing", listing_bound, "exact", False)
    bounds = bounds.loc[numbers.index]
    return numbers, bounds.where(numbers.notna(), "")


def _format(measure: str, value: float) -> str:
    if pd.isna(value):
        return "n/a"
    if measure.endswith("usd_bn"):
        return money(value)
    if measure in ("stake", "diluted_stake"):
        return f"{value:.2%}"
    if measure == "kept_share":
        return f"x{value:.3f}"
    if measure in ("growth_to_listing", "annual_return"):
        return f"{value:.1%}" if abs(value) < 0.095 else f"{value:.0%}"
    if measure == "years_to_listing":
        return f"{value:.1f}"
    if measure in ("multiple", "step_up_from_first", "hurdle_multiple", "unlisted_multiple", "expected_multiple"):
        # a loss must never read as 1.00x
        return f"{value:.3f}x" if f"{value:.2f}" == "1.00" and value != 1 else f"{value:.2f}x"
    return f"{value:.1f}x"


def shown(measure: str, value: float, bound: str) -> str:
    """One number as a reader sees it, with its bound in words: 'at most 1.80x', '$852B', 'n/a'."""
    text = _format(measure, value)
    return text if text == "n/a" else with_bound(text, bound or "exact")


def kept_text(mark: pd.Series) -> str:
    """'diluted by the 2026 round: x0.857', or 'no round priced after it: x1.000'."""
    share = shown("kept_share", mark["kept_share"], mark["kept_bound"])
    return f"diluted by {mark['diluted_by']}: {share}" if mark["diluted_by"] else f"no round priced after it: {share}"


def revenue_text(row: pd.Series | None, basis: str) -> str:
    """'$13.1B (2025, reported Feb 2026, F130)': the revenue a price-to-sales ratio divides by."""
    if row is None:
        return "none reported by then"
    period = row["period"] if basis == "calendar" else f"run rate of {pd.Timestamp(row['period'] + '-01'):%b %Y}"
    return f"{stated(row)} ({period}, reported {row['reported_on']:%b %Y}, {row['figure_id']})"


def formatted(
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The comparison as a reader sees it: dated columns, bounds in words, the source of each valuation."""
    headers = {m: column_label(row) for m, row in mark_table.iterrows()}
    headers["listing"] = f"{listing_row['label']} ({listing_row['listing_on']:%b %Y}, assumed date)"

    def cell(measure: str, column: str) -> str:
        if measure == "kept_share" and column in mark_table.index:
            return kept_text(mark_table.loc[column])
        return shown(measure, numbers.at[measure, column], bounds.at[measure, column])

    table = pd.DataFrame(
        {headers[c]: [cell(m, c) for m in numbers.index] for c in numbers.columns},
        index=[MEASURES[m][0] for m in numbers.index],
    )
    extra = []
    if figures is not None:
        revenue = revenue_used(mark_table, figures)
        for basis, words in (("calendar", "calendar revenue used"), ("run_rate", "run-rate revenue used")):
            table.loc[words] = [revenue_text(revenue[c][basis], basis) for c in numbers.columns]
            extra.append("ledger (latest for the listing)")
    status = [when(row) + (", superseded" if row["superseded"] else "") for _, row in mark_table.iterrows()]
    listing_status = "assumed" if listing_row["assumed"] else when(listing_row)
    source = [f"ledger {f}: {s}" for f, s in zip(mark_table["figure_id"], mark_table["stated"], strict=True)]
    listing_source = (
        "assumption (LISTING_VALUATION_USD_BN)"
        if listing_row["assumed"]
        else f"ledger {listing_row['figure_id']}: {listing_row['stated']}"
    )
    table.loc["status when reported"] = [*status, listing_status]
    table.loc["valuation comes from"] = [*source, listing_source]
    table["depends on"] = [MEASURES[m][1] for m in numbers.index] + extra + ["ledger", ""]
    return table


# --- named cases, for a buyer at every mark -------------------------------------------------------------------


def cases(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The named listing cases with their bound: a reported value keeps its figure's qualifier, an assumption none."""
    rows = scenarios[scenarios["kind"].eq("case")].set_index("scenario_id")
    by_id = figures.set_index("figure_id")
    assumed = rows["value_basis"].eq("assumption")
    bound = [
        "exact" if is_assumed else valuation.bound_of(by_id.loc[f, "qualifier"])
        for f, is_assumed in zip(rows["figure_id"], assumed, strict=True)
    ]
    return pd.DataFrame(
        {
            "label": rows["label"],
            "listing_usd_bn": rows["valuation_usd_bn"].astype(float),
            "assumed": assumed,
            "figure_id": rows["figure_id"],
            "bound": bound,
            "years_to_listing": rows["years_to_listing"].astype(float),
            "dilution": rows["dilution_to_listing"].astype(float),
        }
    )


def case_grid(case_table: pd.DataFrame, mark_table: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """Every named case for a buyer at every mark, in one broadcast call; one row per (case, mark)."""
    elapsed = ((params.as_of - mark_table["reported_on"]).dt.days / DAYS_PER_YEAR).to_numpy()[None, :]
    outcome = valuation.listing_outcome(
        params.investment_usd_bn,
        mark_table["valuation_usd_bn"].to_numpy(dtype=float)[None, :],
        case_table["listing_usd_bn"].to_numpy()[:, None],
        total_dilution(
            mark_table["kept_share"].to_numpy(dtype=float)[None, :], case_table["dilution"].to_numpy()[:, None]
        ),
        case_table["years_to_listing"].to_numpy()[:, None] + elapsed,
    )
    shape = (len(case_table), len(mark_table))
    bounds = [
        [
            valuation.combined(listing_bound, valuation.flipped(entry), kept)
            for entry, kept in zip(mark_table["bound"], mark_table["kept_bound"], strict=True)
        ]
        for listing_bound in case_table["bound"]
    ]
    return pd.DataFrame(
        {
            "case": np.repeat(case_table.index.to_numpy(), len(mark_table)),
            "mark": np.tile(mark_table.index.to_numpy(), len(case_table)),
            "value_at_listing_usd_bn": np.broadcast_to(outcome["value"], shape).ravel(),
            "multiple": np.broadcast_to(outcome["multiple"], shape).ravel(),
            "annual_return": np.broadcast_to(outcome["annual_return"], shape).ravel(),
            "years_held": np.broadcast_to(case_table["years_to_listing"].to_numpy()[:, None] + elapsed, shape).ravel(),
            "bound": np.asarray(bounds).ravel(),
        }
    )


def case_description(case: pd.Series, as_of: pd.Timestamp | None = None) -> str:
    """'Bear: $600B listing (assumed), 2 years after 22 Nov 2026, 15% dilution'."""
    value = with_bound(money(case["listing_usd_bn"]), case["bound"])
    source = "assumed" if case["assumed"] else "reported"
    years = case["years_to_listing"]
    since = f"{as_of:%-d %b %Y}" if as_of is not None else "the as-of date"
    return (
        f"{case['label']}: {value} listing ({source}), {years:g} year{'' if years == 1 else 's'} after {since}, "
        f"{case['dilution']:.0%} dilution"
    )


def formatted_case_grid(
    grid_rows: pd.DataFrame, case_table: pd.DataFrame, mark_table: pd.DataFrame, as_of: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Cases down, marks across: the multiple with its bound and the annual return, as a reader sees them."""
    text = [
        f"{with_bound(shown('multiple', m, 'exact'), b)} ({r:+.0%} a year)"
        for m, r, b in zip(grid_rows["multiple"], grid_rows["annual_return"], grid_rows["bound"], strict=True)
    ]
    table = grid_rows.assign(text=text).pivot(index="case", columns="mark", values="text")
    table = table.loc[case_table.index, mark_table.index]
    table.index = [case_description(case, as_of) for _, case in case_table.iterrows()]
    table.columns = [
        column_label(row) + (f"; {kept_text(row)}" if row["diluted_by"] else "") for _, row in mark_table.iterrows()
    ]
    table.index.name = "listing case"
    return table


# --- sensitivity ------------------------------------------------------------------------------------------------


def grid(
    investment_usd_bn: float,
    entry_post_money_usd_bn: float,
    elapsed_years: float,
    listing_values: np.ndarray,
    years: np.ndarray,
    dilutions: np.ndarray,
    kept_share: float = 1.0,
) -> dict[str, np.ndarray]:
    """Multiple and annual return over listing value x years to listing x assumed dilution, in one vectorised call.

    `kept_share` is what the priced rounds closed after the mark left of the stake, applied before the assumed dilution.
    """
    values = listing_values[:, None, None]
    horizon = years[None, :, None] + elapsed_years
    dilution = total_dilution(kept_share, dilutions[None, None, :])
    outcome = valuation.listing_outcome(investment_usd_bn, entry_post_money_usd_bn, values, dilution, horizon)
    shape = (len(listing_values), len(years), len(dilutions))
    return {name: np.broadcast_to(array, shape) for name, array in outcome.items()}


def breakeven(mark: pd.Series, assumed_dilution: float) -> float:
    """Listing value at which a stake bought at a mark is worth its cheque, after the known and the assumed dilution."""
    return float(valuation.breakeven_listing(mark["valuation_usd_bn"] / mark["kept_share"], assumed_dilution))


def elapsed_years(mark: pd.Series, params: Parameters) -> float:
    """Years from a mark's date to AS_OF."""
    return (params.as_of - mark["reported_on"]).days / DAYS_PER_YEAR


def nearest_cell(
    params: Parameters, listing_values: np.ndarray, years: np.ndarray, dilutions: np.ndarray
) -> tuple[int, int, int]:
    """Index of the grid cell nearest the Assumptions cell (listing value, years, dilution)."""
    return (
        int(np.abs(listing_values - params.listing_valuation_usd_bn).argmin()),
        int(np.abs(years - params.years_to_listing).argmin()),
        int(np.abs(dilutions - params.dilution_to_listing).argmin()),
    )


# --- words ------------------------------------------------------------------------------------------------------


def _shown_at(numbers: pd.DataFrame, bounds: pd.DataFrame, measure: str, column: str) -> str:
    """One cell of the side-by-side as a reader sees it."""
    return shown(measure, numbers.at[measure, column], bounds.at[measure, column])


def title(
    mark_table: pd.DataFrame, listing_row: pd.Series, numbers: pd.DataFrame, bounds: pd.DataFrame, params: Parameters
) -> str:
    """The notebook's headline: what the latest price paid returns at the listing, against the hurdle."""
    latest_id = latest_mark(mark_table)
    latest = mark_table.loc[latest_id]
    verdict = "below" if numbers.at["annual_return", latest_id] < params.hurdle_rate else "above"
    return (
        f"Bought at {money(latest['valuation_usd_bn'])} in {latest['reported_on']:%B %Y}, a stake returns "
        f"{_shown_at(numbers, bounds, 'multiple', latest_id)} at a listing of {listing_row['stated']}: "
        f"{_shown_at(numbers, bounds, 'annual_return', latest_id)} a year, {verdict} a {params.hurdle_rate:.0%} hurdle"
    )


def _years(value: float) -> str:
    return f"{value:.1f} year{'' if round(value, 1) == 1 else 's'}"


def bottom_line(
    numbers: pd.DataFrame, bounds: pd.DataFrame, mark_table: pd.DataFrame, listing_row: pd.Series, params: Parameters
) -> str:
    """Three short bullets: the chosen buyer against the hurdle, the earliest price paid, the listing that may not come."""
    pick_id, first_id = params.investment_mark, mark_table.index[0]
    pick, first = mark_table.loc[pick_id], mark_table.loc[first_id]
    at = functools.partial(_shown_at, numbers, bounds)
    when_listed = "an assumed" if listing_row["assumed"] else "the reported"
    return "\n".join(
        [
            f"- A buyer at **{money(pick['valuation_usd_bn'])}** ({pick['label']}, {pick['reported_on']:%b %Y}) gets "
            f"**{at('multiple', pick_id)}**, **{at('annual_return', pick_id)} a year**, at {when_listed} "
            f"{listing_row['stated']} listing in {listing_row['listing_on']:%b %Y}; {params.hurdle_rate:.0%} a year "
            f"needs {at('breakeven_hurdle_usd_bn', pick_id)}.",
            f"- {money(first['valuation_usd_bn'])} ({first['reported_on']:%b %Y}), the earliest price paid, gives "
            f"{at('multiple', first_id)} after later rounds diluted it.",
            f"- With {a_or_an(f'{params.listing_chance:.0%}')} {params.listing_chance:.0%} chance of a listing, and "
            f"shares sold {params.no_listing_haircut:.0%} below the last price if none, that buyer expects "
            f"{at('expected_multiple', pick_id)}.",
        ]
    )


def articles_comparison(figures: pd.DataFrame, articles: pd.Series, listing_row: pd.Series) -> str:
    """The source articles' own comparison: the talks' price against their listing figure, both as talks."""
    talk = talk_prices(figures)
    same_day = talk[talk["reported_on"].eq(articles["reported_on"])]
    if same_day.empty:
        return ""
    price = same_day.iloc[0]
    step = valuation.combined(
        valuation.bound_of(articles["qualifier"]), valuation.flipped(valuation.bound_of(price["qualifier"]))
    )
    return (
        f"The source articles ({articles['reported_on']:%b %Y}) set the {stated(price)} of the Amazon talks against "
        f"{stated(articles)} at a listing: a step-up of {shown('step_up_from_first', articles['value'] / price['value'], step)}. "
        f"Neither was a price paid: Amazon later bought into the 2026 round at its price, and the listing figure "
        f"reported since is {listing_row['stated']} ({listing_row['reported_on']:%b %Y})."
    )


def buyers_text(figures: pd.DataFrame, mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame) -> str:
    """Who paid which price, which later rounds diluted each, and what one share gained (not the new money)."""
    rounds = priced_rounds(figures)
    index = value_per_share(rounds)
    first, last = rounds.index[0], rounds.index[-1]
    span = (rounds.at[last, "post_money_on"] - rounds.at[first, "post_money_on"]).days / DAYS_PER_YEAR
    post_growth = rounds.at[last, "post_money_usd_bn"] / rounds.at[first, "post_money_usd_bn"]
    lines = []
    for m, row in mark_table.iterrows():
        kind = "tender of existing shares" if row["kind"] == "tender" else "round"
        closed = (
            f", priced {row['reported_on']:%-d %b %Y} and closed {row['closed_on']:%-d %b %Y}"
            if row["closed_on"] != row["reported_on"]
            else f", {row['status'].replace('_', ' ')} {row['reported_on']:%-d %b %Y}"
        )
        lines.append(
            f"- **{capitalised(row['label'])}** ({kind}{closed}): {money(row['valuation_usd_bn'])} post-money; "
            f"{kept_text(row)}; {_shown_at(numbers, bounds, 'multiple', m)} at the listing."
        )
    lines.append(
        f"- One share's value rose {index.iloc[-1]:.2f}x from the {rounds.at[first, 'deal']} to the "
        f"{rounds.at[last, 'deal']} ({span:.1f} years): each round's pre-money over the last one's post-money. Post-money "
        f"values rose {post_growth:.2f}x, but that counts the new money each round brought in."
    )
    return "\n".join(lines)


def assumptions_text(figures: pd.DataFrame, mark_table: pd.DataFrame, investment_usd_bn: float) -> str:
    """The readings of the ledger the arithmetic rests on, each with its alternative and what it changes."""
    latest = mark_table.loc[latest_mark(mark_table)]
    rounds = priced_rounds(figures)
    conditional = figures[
        (figures["part_of"].eq(latest["event"]) | figures["event"].eq(latest["event"]))
        & figures["reading"].eq("used")
        & figures["basis"].eq("conditional")
        & figures["metric"].eq("amount")
        & figures["status"].isin(FIRM_STATUSES)
    ]
    lines = []
    if len(conditional):
        c = conditional.sort_values("value").iloc[-1]
        without = latest["valuation_usd_bn"] - float(c["value"])
        lines.append(
            f"- The {money(latest['valuation_usd_bn'])} post-money counts {subject_of(c)}'s conditional "
            f"{money(float(c['value']))}, due only on a condition such as a listing. A stake is read against the full "
            f"post-money, as the round priced it; without that tranche the post-money would be {money(without)} and "
            f"{money(investment_usd_bn)} would buy {investment_usd_bn / without:.2%}, not "
            f"{investment_usd_bn / latest['valuation_usd_bn']:.2%}."
        )
    monthly = figures[
        figures["reading"].eq("used")
        & figures["category"].eq("revenue")
        & figures["metric"].eq("revenue")
        & figures["period"].str.fullmatch(r"\d{4}-\d{2}").fillna(False)
        & figures["reported_on"].eq(latest["reported_on"])
    ]
    if len(monthly):
        m = monthly.iloc[-1]
        yearly = 12 * float(m["value"])
        lines.append(
            f"- With the close, the company put revenue at {stated(m)} a month, "
            f"{with_bound(money(yearly), valuation.bound_of(m['qualifier']))} a year: the "
            f"{money(latest['valuation_usd_bn'])} price is "
            f"{with_bound(format(latest['valuation_usd_bn'] / yearly, '.1f') + 'x', valuation.bound_of(m['qualifier']))} "
            f"that, "
            f"against the ratio to the last run rate reported before the close in the table below."
        )
    tenders = mark_table[mark_table["kind"].eq("tender")]
    for _, t in tenders.iterrows():
        earlier = rounds[(rounds["priced_on"] < t["reported_on"]) & (rounds["closed_on"] > t["reported_on"])]
        for _, r in earlier.iterrows():
            lines.append(
                f"- The {t['label']} ({t['reported_on']:%b %Y}) came after the {r['deal']} was priced but before it "
                f"closed. Its {money(t['valuation_usd_bn'])} is read as counting that round's shares, so the round "
                f"does not dilute it. If it left out all of that round's new money, the buyer kept at least "
                f"{r['kept_share']:.2f} of the stake and every multiple for that buyer would be that share of the one "
                f"shown."
            )
    return "\n".join(lines)


def subject_of(row: pd.Series) -> str:
    """The investor a row's money comes from."""
    return str(row["subject"])


def hurdle_table(
    mark_table: pd.DataFrame, numbers: pd.DataFrame, params: Parameters, rates: tuple[float, ...] = HURDLE_RATES
) -> pd.DataFrame:
    """For a buyer at each price paid: the listing value needed to earn each hurdle rate, and the stake's present value."""
    rates = tuple(sorted({*rates, params.hurdle_rate}))
    rows = []
    for m, row in mark_table.iterrows():
        years = numbers.at["years_to_listing", m]
        cells = {
            "buyer at": f"{money(row['valuation_usd_bn'])} ({row['label']}, {row['reported_on']:%b %Y})",
            "years held": f"{years:.1f}",
            "annual return": shown("annual_return", numbers.at["annual_return", m], "exact"),
        }
        for rate in rates:
            listing_needed = valuation.breakeven_listing_at_hurdle(
                row["valuation_usd_bn"], row["kept_share"], params.dilution_to_listing, rate, years
            )
            cells[f"listing needed for {rate:.1%} a year".replace(".0%", "%")] = money(float(listing_needed))
        value = numbers.at["value_at_listing_usd_bn", m]
        cells[f"present value of {money(params.investment_usd_bn)} at {params.hurdle_rate:.0%}"] = money(
            float(valuation.present_value(value, params.hurdle_rate, years))
        )
        rows.append(cells)
    return pd.DataFrame(rows)


def hurdle_takeaway(mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame, params: Parameters) -> str:
    """Which buyers beat the hurdle at the listing, and what the latest one would need."""
    latest_id = latest_mark(mark_table)
    beat = [m for m in mark_table.index if numbers.at["annual_return", m] >= params.hurdle_rate]
    names = [f"{money(mark_table.at[m, 'valuation_usd_bn'])}" for m in beat]
    at = functools.partial(_shown_at, numbers, bounds)
    return (
        f"At a {params.hurdle_rate:.0%} hurdle, {len(beat)} of {len(mark_table)} buyers beat it"
        + (f" (those at {', '.join(names)})" if names else "")
        + f". The buyer at {money(mark_table.at[latest_id, 'valuation_usd_bn'])} earns "
        f"{at('annual_return', latest_id)} a year: its stake is worth {at('present_value_usd_bn', latest_id)} today at "
        f"that rate, against the {money(params.investment_usd_bn)} paid, and it needs a listing of "
        f"{at('breakeven_hurdle_usd_bn', latest_id)} to earn the hurdle ({at('breakeven_listing_usd_bn', latest_id)} "
        f"just to get the money back)."
    )


def listing_chance_table(mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame) -> pd.DataFrame:
    """Per buyer: the multiple if OpenAI lists, if it does not, and the two weighted by the chance of a listing."""
    return pd.DataFrame(
        {
            "buyer at": [f"{money(r['valuation_usd_bn'])} ({r['label']})" for _, r in mark_table.iterrows()],
            "if it lists": [_shown_at(numbers, bounds, "multiple", m) for m in mark_table.index],
            "if it does not": [_shown_at(numbers, bounds, "unlisted_multiple", m) for m in mark_table.index],
            "weighted by the chance of a listing": [
                _shown_at(numbers, bounds, "expected_multiple", m) for m in mark_table.index
            ],
        }
    )


def listing_chance_takeaway(
    mark_table: pd.DataFrame, numbers: pd.DataFrame, bounds: pd.DataFrame, params: Parameters
) -> str:
    """The expected multiple of the latest buyer, with the assumptions that decide it named beside it."""
    latest_id = latest_mark(mark_table)
    latest = mark_table.loc[latest_id]
    at = functools.partial(_shown_at, numbers, bounds)
    listed, unlisted = numbers.at["multiple", latest_id], numbers.at["unlisted_multiple", latest_id]
    # the chance of a listing at which the expected multiple is exactly 1.0x
    even = (1 - unlisted) / (listed - unlisted) if listed != unlisted else float("nan")
    even_text = (
        f" It reaches 1.0x only if the chance of a listing is at least {even:.0%}."
        if 0 < even <= 1
        else (
            " It stays above 1.0x whatever the chance."
            if unlisted >= 1 and listed >= 1
            else " It stays below 1.0x whatever the chance."
        )
    )
    return (
        f"For the buyer at {money(latest['valuation_usd_bn'])}, the expected multiple is "
        f"**{at('expected_multiple', latest_id)}**. It rests on two assumptions: {a_or_an(f'{params.listing_chance:.0%}')} {params.listing_chance:.0%} chance "
        f"that OpenAI lists, and, if it does not, shares kept and sold {params.no_listing_haircut:.0%} below the latest "
        f"private price ({at('unlisted_multiple', latest_id)}).{even_text}"
    )


def stake_takeaway(numbers: pd.DataFrame, bounds: pd.DataFrame, mark_table: pd.DataFrame) -> str:
    """The takeaway of the marks chart: the later the price, the smaller the stake and the multiple."""
    first_id, latest_id = mark_table.index[0], latest_mark(mark_table)
    first, latest = mark_table.loc[first_id], mark_table.loc[latest_id]
    at = functools.partial(_shown_at, numbers, bounds)
    return (
        f"The later the price, the smaller the stake: the same cheque bought {at('stake', first_id)} at the "
        f"{first['label']} ({first['reported_on']:%b %Y}) and {at('stake', latest_id)} at the {latest['label']} "
        f"({latest['reported_on']:%b %Y}), so the multiple at the same listing falls from {at('multiple', first_id)} to "
        f"{at('multiple', latest_id)}. The talks drawn hatched set no price, so nobody bought at them."
    )


def case_takeaway(
    grid_rows: pd.DataFrame, case_table: pd.DataFrame, mark_table: pd.DataFrame, params: Parameters
) -> str:
    """The takeaway of the named cases: in which case money is lost, and which outcomes miss the hurdle."""
    losing = grid_rows[grid_rows["multiple"] < 1]
    short = grid_rows[(grid_rows["multiple"] >= 1) & (grid_rows["annual_return"] < params.hurdle_rate)]

    def where(rows: pd.DataFrame) -> str:
        cases = [case_table.loc[c, "label"].lower() for c in case_table.index if c in set(rows["case"])]
        buyers = [money(mark_table.loc[m, "valuation_usd_bn"]) for m in mark_table.index if m in set(rows["mark"])]
        who = buyers[0] if len(buyers) == 1 else ", ".join(buyers[:-1]) + " and " + buyers[-1]
        return f"in the {' and '.join(cases)} case{'s' if len(cases) > 1 else ''}, for {'buyers' if len(buyers) > 1 else 'the buyer'} at {who}"

    lost = (
        f"{len(losing)} of {len(grid_rows)} outcomes lose money, all {where(losing)}."
        if len(losing)
        else ("No named case loses money.")
    )
    missed = (
        f" {len(short)} more {'get' if len(short) > 1 else 'gets'} the money back but {'earn' if len(short) > 1 else 'earns'} less than {params.hurdle_rate:.0%} a year ({where(short)})."
        if len(short)
        else ""
    )
    return lost + missed + " The later the price paid, the more a case has to go right."


def sensitivity_takeaway(
    cube: dict[str, np.ndarray], mark: pd.Series, params: Parameters, listing_values: np.ndarray, dilutions: np.ndarray
) -> str:
    """The takeaway of the sensitivity grid: both break-even listings, and which value-and-dilution pairs lose money."""
    even = breakeven(mark, params.dilution_to_listing)
    held = elapsed_years(mark, params) + params.years_to_listing
    at_hurdle = float(
        valuation.breakeven_listing_at_hurdle(
            mark["valuation_usd_bn"], mark["kept_share"], params.dilution_to_listing, params.hurdle_rate, held
        )
    )
    floor = " or more (the price is a floor)" if mark["bound"] == "at_least" else ""
    # whether money is lost does not depend on the years: count (value, dilution) pairs, not cells
    losing = int((cube["multiple"][:, 0, :] < 1).sum())
    pairs = len(listing_values) * len(dilutions)
    return (
        f"With {params.dilution_to_listing:.0%} assumed dilution, {money(params.investment_usd_bn)} bought at "
        f"{mark['stated']} ({mark['label']}, {mark['reported_on']:%b %Y}) gets its money back above a listing of "
        f"{money(even)}{floor}, and earns {params.hurdle_rate:.0%} a year only above {money(at_hurdle)} if the listing "
        f"comes {params.years_to_listing:g} year{'' if params.years_to_listing == 1 else 's'} after "
        f"{params.as_of:%-d %b %Y}. {losing} of the {pairs} pairs of listing value and dilution on the grid lose money "
        f"whenever the listing comes; the grid is a map of assumptions, not a probability."
    )


def source_rows(book, mark_table: pd.DataFrame, listing_row: pd.Series, case_table: pd.DataFrame) -> pd.DataFrame:
    """The sources behind the marks, the listing, the reported case and the revenue figures, for the closing table."""
    ids = [*mark_table["figure_id"], listing_row["figure_id"], *case_table["figure_id"].dropna()]
    cited = book.figures[book.figures["figure_id"].isin([i for i in ids if i])]
    revenue = pd.DataFrame(list(revenue_marks(book.figures).values()))
    return source_table(book.sources, sources_of(pd.concat([cited, revenue])))


def results(
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    grid_rows: pd.DataFrame,
    mark_table: pd.DataFrame,
    params: Parameters,
) -> dict:
    """Plain numbers and their bounds for tests and the scenario summary (NaN as None)."""

    def clean(value: float) -> float | None:
        return None if pd.isna(value) else round(float(value), 10)

    at_pick = grid_rows[grid_rows["mark"].eq(params.investment_mark)]
    return {
        "parameters": {
            "as_of": f"{params.as_of:%Y-%m-%d}",
            "listing_valuation_usd_bn": params.listing_valuation_usd_bn,
            "listing_figure": params.listing_figure,
            "years_to_listing": params.years_to_listing,
            "dilution_to_listing": params.dilution_to_listing,
            "investment_usd_bn": params.investment_usd_bn,
            "investment_mark": params.investment_mark,
            "hurdle_rate": params.hurdle_rate,
            "listing_chance": params.listing_chance,
            "no_listing_haircut": params.no_listing_haircut,
        },
        "latest_mark": latest_mark(mark_table),
        "marks": {m: {"reported_on": f"{row['reported_on']:%Y-%m-%d}"} for m, row in mark_table.iterrows()},
        "columns": {c: {m: clean(numbers.at[m, c]) for m in numbers.index} for c in numbers.columns},
        "bounds": {c: {m: bounds.at[m, c] for m in bounds.index if bounds.at[m, c]} for c in bounds.columns},
        "cases": {
            row["case"]: {
                "value_at_listing_usd_bn": clean(row["value_at_listing_usd_bn"]),
                "multiple": clean(row["multiple"]),
                "annual_return": clean(row["annual_return"]),
                "bound": row["bound"],
            }
            for _, row in at_pick.iterrows()
        },
        "case_grid": {
            case: {row["mark"]: clean(row["multiple"]) for _, row in rows.iterrows()}
            for case, rows in grid_rows.groupby("case", sort=False)
        },
    }
