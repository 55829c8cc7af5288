"""Pure functions for the funding notebook: capital events, cumulative capital, investors, marks."""

from __future__ import annotations

import math

import pandas as pd

from helpers.ledger import FIRM_STATUSES, LAPSED_STATUSES, STATUS_ORDER, describe_value, latest, money, stated
from helpers.parameters import Spec

INTO_OPENAI = "OpenAI"
MARK_METRICS = ("pre_money", "post_money", "valuation")
TOTAL_BASES = ("total",)  # an empty basis also means the deal's total
CEILINGS = ("up_to", "less_than")  # the figure is the most it can be: adds nothing to a floor
OPEN_ABOVE = ("more_than", "at_least")  # the figure is the least it can be: no ceiling
NAN = float("nan")

# One vocabulary for money into OpenAI, used by every total, table, chart and sentence of 01-03 (DESIGN.md,
# "Money, counted one way"): column of money_raised -> (the reader's word, what it means).
MONEY_KINDS = {
    "paid_usd_bn": (
        "paid in",
        "reported received, or in a round or tranche that closed, unless a source says a part is still due",
    ),
    "unpaid_usd_bn": ("committed", "promised without conditions, not yet paid in"),
    "conditional_usd_bn": ("conditional", "due only if a named condition is met; never counted as raised"),
    "tentative_usd_bn": ("talks and press reports", "not money at all; shown apart"),
}
RAISED_WORD = "raised"


def table_words(column: str) -> str:
    """A money column under its word in the vocabulary: 'unpaid_usd_bn' -> 'committed_usd_bn'."""
    if column in MONEY_KINDS:
        return MONEY_KINDS[column][0].replace(" ", "_") + "_usd_bn"
    return {"paid_at_close_usd_bn": "of_which_at_closings_usd_bn"}.get(
        column, column
    )  # paid in plus committed: never conditional money, never talks or press reports


# The condition behind each conditional tranche, by deal, in our words (the ledger row gives amount and year).
CONDITIONS = {"amazon-investment": "if OpenAI files for a stock-market listing or reaches an undisclosed milestone"}


def _no_lapsed(statuses: object) -> str:
    lapsed = [s for s in statuses if s in LAPSED_STATUSES]
    return f"{', '.join(lapsed)} money is not firm: the deal stalled or was replaced" if lapsed else ""


PARAMETERS = (
    Spec(
        "COUNT_AS_FIRM",
        "choices",
        "statuses counted as firm money",
        choices=STATUS_ORDER,
        rule=_no_lapsed,
    ),
)


def amount_floor(rows: pd.DataFrame) -> pd.Series:
    """Least amount each figure allows: 'less than $1B' and undisclosed add 0, 'more than $3B' adds 3."""
    floor = rows["value"].where(~rows["qualifier"].isin(CEILINGS), 0.0)
    floor = floor.where(rows["qualifier"] != "range", rows["low"])
    return floor.fillna(0.0).astype(float)


def amount_ceiling(rows: pd.DataFrame) -> pd.Series:
    """Most each figure allows: 'more than $3B' and undisclosed are unbounded (inf), 'less than $1B' is 1."""
    ceiling = rows["value"].where(~rows["qualifier"].isin(OPEN_ABOVE), math.inf)
    ceiling = ceiling.where(rows["qualifier"] != "range", rows["high"])
    return ceiling.fillna(math.inf).astype(float)


def describe_bounds(floor_usd_bn: float, ceiling_usd_bn: float, about: bool = False) -> str:
    """A summed range in words: '$13B', 'at least $14B', 'up to $1B', '$13B to $14B', 'undisclosed'.

    `about` keeps the qualifier of a sum that includes an 'about' figure: 'about $1.25B', 'about $14B or more'.
    """
    near = "about " if about else ""
    if math.isclose(floor_usd_bn, ceiling_usd_bn):
        return f"{near}{money(floor_usd_bn)}"
    if math.isinf(ceiling_usd_bn):
        if floor_usd_bn <= 0:
            return "undisclosed"
        return f"about {money(floor_usd_bn)} or more" if about else f"at least {money(floor_usd_bn)}"
    if floor_usd_bn == 0:
        return f"up to {near}{money(ceiling_usd_bn)}"
    return f"{near}{money(floor_usd_bn)} to {money(ceiling_usd_bn)}"


def floor_words(exact_usd_bn: float, about_usd_bn: float, at_least_usd_bn: float) -> str:
    """A sum of floors that keeps what each part is: '$388B', 'at least $408B', 'about $310B',
    'about $723.9B or more ($403.9B exact, about $300B and at least $20B)'. Ceilings never enter it."""
    total = exact_usd_bn + about_usd_bn + at_least_usd_bn
    if about_usd_bn == 0:
        return f"at least {money(total)}" if at_least_usd_bn > 0 else money(total)
    if exact_usd_bn == 0 and at_least_usd_bn == 0:
        return f"about {money(total)}"
    parts = [f"{money(exact_usd_bn)} exact"] if exact_usd_bn > 0 else []
    parts.append(f"about {money(about_usd_bn)}")
    if at_least_usd_bn > 0:
        parts.append(f"at least {money(at_least_usd_bn)}")
    head = f"about {money(total)}" + (" or more" if at_least_usd_bn > 0 else "")
    return f"{head} ({_list(parts)})"


def floor_parts(floor_usd_bn: pd.Series, qualifier: pd.Series) -> tuple[float, float, float]:
    """(exact, about, at least) parts of a sum of floors; a ceiling's floor is 0 and adds to none."""
    about = float(floor_usd_bn[qualifier.eq("about")].sum())
    at_least = float(floor_usd_bn[qualifier.isin([*OPEN_ABOVE, "range"])].sum())
    return float(floor_usd_bn.sum()) - about - at_least, about, at_least


def _month(period: object, reported_on: pd.Timestamp) -> pd.Timestamp:
    """The month a payment applied to ('2026-03' -> Mar 2026), else the date it was reported."""
    if isinstance(period, str) and len(period) == 7:
        return pd.Timestamp(period + "-01")
    return reported_on


def _used(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[figures["reading"] == "used"]


def _is_total(rows: pd.DataFrame) -> pd.Series:
    return rows["basis"].isna() | rows["basis"].isin(TOTAL_BASES)


def capital_events(figures: pd.DataFrame) -> pd.DataFrame:
    """Every report of money raised by OpenAI: round totals, plus investments made outside a round."""
    used = _used(figures)
    rounds = used["category"].eq("funding_round") & used["metric"].eq("amount")
    standalone = (
        used["category"].eq("equity_investment")
        & used["metric"].eq("amount")
        & used["part_of"].isna()
        & used["counterparty"].eq(INTO_OPENAI)
    )
    # a round reported as "committed" at its close is the round's total; for a single investor it is only a part
    round_total = rounds & used["basis"].eq("committed")
    rows = used[(rounds | standalone) & (_is_total(used) | round_total)]
    return rows.sort_values(["reported_on", "figure_id"])


def cumulative_capital(events: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Running total a reader would have added up on each report date, as a floor and a ceiling.

    Each event counts at its latest reported amount (among `statuses`) as of that date, so a
    round reported in talks and then closed at a larger size is counted once, at its newest size.
    A bound keeps its direction: 'up to $100B' adds 0 to `total_usd_bn` (the floor) and 100 to
    `ceiling_usd_bn`. Undisclosed amounts are not summed; they are counted in `undisclosed`.
    """
    rows = events[events["status"].isin(statuses)].sort_values(["reported_on", "figure_id"])
    rows = rows.assign(_floor=amount_floor(rows), _ceiling=amount_ceiling(rows))
    latest: dict[str, tuple[float, float, bool]] = {}
    records = []
    for date, on_date in rows.groupby("reported_on", sort=True):
        for _, row in on_date.iterrows():
            latest[row["event"]] = (row["_floor"], row["_ceiling"], pd.notna(row["value"]))
        records.append(
            {
                "reported_on": date,
                "total_usd_bn": sum(floor for floor, _, _ in latest.values()),
                "ceiling_usd_bn": sum(ceiling for _, ceiling, _ in latest.values()),
                "events": len(latest),
                "undisclosed": sum(not known for _, _, known in latest.values()),
            }
        )
    return pd.DataFrame(records, columns=["reported_on", "total_usd_bn", "ceiling_usd_bn", "events", "undisclosed"])


def raised_events(figures: pd.DataFrame) -> pd.DataFrame:
    """Capital events in the money box's terms, for a running total of money raised.

    Each round report loses the conditional tranches known by its date (conditional money is never raised),
    and an investor's own filed commitment (Microsoft's 10-Q) replaces the press-reported sizes of its deals
    outside rounds from the day it was filed: one row at the filed total, the other deals set to nothing.
    """
    events = capital_events(figures).copy()
    tranches = _used(figures).query("basis == 'conditional' and category == 'equity_investment'")
    for index, row in events.iterrows():
        known = tranches[
            (tranches["part_of"].eq(row["event"]) | tranches["event"].eq(row["event"]))
            & tranches["reported_on"].le(row["reported_on"])
        ]
        known = known.sort_values(["reported_on", "figure_id"]).groupby("event").tail(1)
        if pd.notna(row["value"]) and len(known):
            events.loc[index, "value"] = row["value"] - float(known["value"].sum())
    filed = filed_totals(figures).query("basis == 'committed'")
    standalone = events["part_of"].isna() & events["category"].eq("equity_investment")
    extra = []
    for _, filing in filed.iterrows():
        own = events[standalone & events["subject"].map(investor_name).eq(filing["investor"])]
        for number, event in enumerate(sorted(own["event"].unique())):
            replacement = filing.copy()
            replacement["event"], replacement["category"] = event, "equity_investment"
            replacement["value"] = float(filing["value"]) if number == 0 else 0.0
            replacement["qualifier"] = "exact"
            extra.append(replacement)
    rows = pd.concat([events, pd.DataFrame(extra)], ignore_index=True) if extra else events
    return rows.sort_values(["reported_on", "figure_id"])


def raised_over_time(figures: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Running total of money raised (paid in plus committed) on each report date, among `statuses`:
    cumulative_capital over raised_events. With the firm statuses it ends at the money box's raised total."""
    return cumulative_capital(raised_events(figures), statuses)


def investor_name(subject: str) -> str:
    """Short investor name used in tables ('Thrive Capital' -> 'Thrive'; groups -> 'Others')."""
    for name in ("Microsoft", "SoftBank", "Amazon", "Nvidia", "Thrive"):
        if subject.startswith(name):
            return name
    return "Others"


def investor_deals(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per investor and deal: total, up front, conditional, paid in, and the latest status.

    `floor_usd_bn` and `ceiling_usd_bn` keep the total's bound ('less than $1B' is 0 to 1); a payment
    reported raises the floor to what was paid. `paid_as_of` is the month of the latest payment.
    """
    used = _used(figures)
    money_rows = used[
        used["category"].eq("equity_investment") & used["metric"].eq("amount") & used["counterparty"].eq(INTO_OPENAI)
    ]
    money_rows = money_rows.assign(
        investor=money_rows["subject"].map(investor_name), part=money_rows["basis"].fillna("total")
    )
    keys = ["investor", "event"]
    deals = latest(money_rows, keys).set_index(keys)[["status"]]
    deals["first_reported"] = money_rows.groupby(keys)["reported_on"].min()
    deals["part_of"] = money_rows.groupby(keys)["part_of"].first()
    parts = latest(money_rows[money_rows["part"] != "funded"], [*keys, "part"])
    by_part = parts.pivot_table(index=keys, columns="part", values="value", aggfunc="first", dropna=False)
    funded = latest(money_rows[money_rows["part"] == "funded"], [*keys, "period"])
    funded = funded.assign(
        paid_as_of=[_month(p, d) for p, d in zip(funded["period"], funded["reported_on"], strict=True)]
    )
    for part in ("total", "upfront", "conditional"):
        deals[f"{part}_usd_bn"] = by_part[part] if part in by_part else float("nan")
    deals["paid_usd_bn"] = funded.groupby(keys)["value"].sum().reindex(deals.index).fillna(0.0)
    deals["paid_as_of"] = funded.groupby(keys)["paid_as_of"].max().reindex(deals.index)
    totals = parts[parts["part"] == "total"].set_index(keys)
    no_total = ~deals.index.isin(totals.index)
    # no total reported: the parts make the whole (up front plus conditional, or the tranches paid)
    parts_sum = deals[["upfront_usd_bn", "conditional_usd_bn"]].fillna(0.0).sum(axis=1)
    deals.loc[no_total, "total_usd_bn"] = pd.concat([parts_sum, deals["paid_usd_bn"]], axis=1).max(axis=1)[no_total]
    deals["qualifier"] = totals["qualifier"].reindex(deals.index).fillna("exact")
    deals["floor_usd_bn"] = amount_floor(totals).reindex(deals.index).fillna(deals["total_usd_bn"])
    deals["ceiling_usd_bn"] = amount_ceiling(totals).reindex(deals.index).fillna(deals["total_usd_bn"])
    # money reported paid is at least what the deal is worth: 'up to $30B' with $30B paid is $30B
    deals["floor_usd_bn"] = deals[["floor_usd_bn", "paid_usd_bn"]].max(axis=1)
    deals["ceiling_usd_bn"] = deals[["ceiling_usd_bn", "paid_usd_bn"]].max(axis=1)
    deals[["upfront_usd_bn", "conditional_usd_bn"]] = deals[["upfront_usd_bn", "conditional_usd_bn"]].fillna(0.0)
    closings = closed_rounds(figures)
    closed_on = deals["part_of"].where(deals["part_of"].notna(), deals.index.get_level_values("event")).map(closings)
    at_close = _paid_at_close(deals).where(closed_on.notna(), 0.0)
    deals["paid_at_close_usd_bn"] = at_close
    deals["paid_usd_bn"] += at_close
    deals["paid_as_of"] = deals["paid_as_of"].where(at_close.eq(0), closed_on)
    columns = [
        "first_reported",
        "total_usd_bn",
        "upfront_usd_bn",
        "conditional_usd_bn",
        "paid_usd_bn",
        "paid_at_close_usd_bn",
        "status",
        "part_of",
        "qualifier",
        "floor_usd_bn",
        "ceiling_usd_bn",
        "paid_as_of",
    ]
    return (
        deals.reset_index()[["investor", "event", *columns]]
        .sort_values(["investor", "first_reported"])
        .reset_index(drop=True)
    )


def filed_totals(figures: pd.DataFrame) -> pd.DataFrame:
    """Per investor, the latest cumulative 'committed' and 'funded' figures it filed, with status and month."""
    used = _used(figures)
    rows = used[
        used["metric"].eq("cumulative_amount")
        & used["counterparty"].eq(INTO_OPENAI)
        & used["basis"].isin(["funded", "committed"])
    ]
    rows = rows.sort_values(["reported_on", "figure_id"]).groupby(["subject", "basis"]).tail(1)
    return rows.assign(
        investor=rows["subject"].map(investor_name),
        as_of=[_month(p, d) for p, d in zip(rows["period"], rows["reported_on"], strict=True)],
    )


def investor_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """Per investor: committed (a floor), of which up front, conditional and paid in, plus what is not summed.

    Where an investor files a cumulative commitment (Microsoft's 10-Q), that figure replaces the
    press-reported sizes of its deals outside rounds. A bound ('less than $1B') or an undisclosed amount
    adds nothing to `committed_usd_bn`; it raises `ceiling_usd_bn` and is named in `unsummed`.
    """
    deals = investor_deals(figures)
    names = {row["event"]: row["deal"] for _, row in latest(capital_events(figures), ["event"]).iterrows()}
    filed = filed_totals(figures)
    committed_filed = filed[filed["basis"] == "committed"].set_index("investor")
    funded_filed = filed[filed["basis"] == "funded"].set_index("investor")
    replaced = deals["investor"].isin(committed_filed.index) & deals["part_of"].isna()
    kept = deals[~replaced]
    firm = kept["status"].isin(FIRM_STATUSES)
    open_part = kept["floor_usd_bn"].eq(0) & kept["ceiling_usd_bn"].gt(0)
    summary = (
        kept.assign(
            firm_usd_bn=kept["floor_usd_bn"].where(firm, 0.0),
            tentative_usd_bn=kept["floor_usd_bn"].where(~firm, 0.0),
            undisclosed_deals=kept["total_usd_bn"].isna().astype(int),
            about=kept["qualifier"].eq("about") & kept["floor_usd_bn"].gt(0),
            unsummed=[
                f"{describe_value(row.total_usd_bn, row.qualifier, NAN, NAN, 'usd_bn')} "
                f"({names.get(row.part_of if isinstance(row.part_of, str) else row.event, row.event)})"
                if is_open
                else ""
                for row, is_open in zip(kept.itertuples(), open_part, strict=True)
            ],
        )
        .groupby("investor")
        .agg(
            committed_usd_bn=("firm_usd_bn", "sum"),
            tentative_usd_bn=("tentative_usd_bn", "sum"),
            ceiling_usd_bn=("ceiling_usd_bn", "sum"),
            upfront_usd_bn=("upfront_usd_bn", "sum"),
            conditional_usd_bn=("conditional_usd_bn", "sum"),
            paid_in_deals_usd_bn=("paid_usd_bn", "sum"),
            paid_as_of=("paid_as_of", "max"),
            undisclosed_deals=("undisclosed_deals", "sum"),
            approximate=("about", "any"),
            unsummed=("unsummed", lambda texts: "; ".join(t for t in texts if t)),
        )
    )
    summary.insert(0, "deals", deals.groupby("investor")["event"].count())
    summary["replaced_deals_usd_bn"] = deals[replaced].groupby("investor")["floor_usd_bn"].sum()
    summary["replaced_deals_usd_bn"] = summary["replaced_deals_usd_bn"].fillna(0.0)
    for investor, row in committed_filed.iterrows():
        column = "committed_usd_bn" if row["status"] in FIRM_STATUSES else "tentative_usd_bn"
        summary.loc[investor, column] += row["value"]
        summary.loc[investor, "ceiling_usd_bn"] += row["value"]
    summary["reported_committed_usd_bn"] = committed_filed["value"]
    summary["reported_funded_usd_bn"] = funded_filed["value"]
    summary["paid_in_usd_bn"] = summary[["reported_funded_usd_bn", "paid_in_deals_usd_bn"]].max(axis=1)
    filed_later = funded_filed["as_of"].reindex(summary.index)
    summary["paid_as_of"] = pd.concat([summary["paid_as_of"], filed_later], axis=1).max(axis=1)
    order = summary["committed_usd_bn"] + summary["tentative_usd_bn"]
    return summary.loc[order.sort_values(ascending=False).index]


def money_raised(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """Capital raised, block by block: reported paid in, committed without conditions, conditional, tentative.

    A block is a funding round, an investment outside rounds, or an investor's investments outside rounds
    at the cumulative commitment its own filing reports (Microsoft's 10-Q replaces the press-reported sizes).
    Paid is only what a company or filing reported paid; the rest of a firm block is committed, minus the
    tranches that depend on a condition. Totals are floors: a bound is never counted at its value.
    """
    events = latest(capital_events(figures), ["event"])
    deals = investor_deals(figures)
    filed = filed_totals(figures)
    committed_filed = filed[filed["basis"] == "committed"].set_index("investor")
    funded_filed = filed[filed["basis"] == "funded"].set_index("investor")
    standalone = events["part_of"].isna() & events["category"].eq("equity_investment")
    absorbed = standalone & events["subject"].map(investor_name).isin(committed_filed.index)
    records = []
    for investor, row in committed_filed.iterrows():
        own = events[absorbed & events["subject"].map(investor_name).eq(investor)].sort_values("reported_on")
        paid = funded_filed.loc[investor] if investor in funded_filed.index else None
        years = f"{own['reported_on'].min():%Y}-{own['reported_on'].max():%Y}" if len(own) else ""
        records.append(
            {
                "block": f"{investor}'s investments outside rounds ({years})",
                "event": ", ".join(own["event"]),
                "status": row["status"],
                "reported_on": row["reported_on"],
                "total_usd_bn": float(row["value"]),
                "paid_usd_bn": float(paid["value"]) if paid is not None else 0.0,
                "paid_at_close_usd_bn": 0.0,
                "paid_as_of": paid["as_of"] if paid is not None else pd.NaT,
                "conditional_usd_bn": 0.0,
            }
        )
    for _, row in events[~absorbed].iterrows():
        inside = deals[deals["part_of"].eq(row["event"]) | deals["event"].eq(row["event"])]
        total = float(amount_floor(row.to_frame().T).iloc[0])
        unnamed = unnamed_at_close(inside, total) if row["status"] == "closed" else 0.0
        as_of = [inside["paid_as_of"].max(), row["reported_on"] if unnamed > 0 else pd.NaT]
        records.append(
            {
                "block": _block_name(row),
                "event": row["event"],
                "status": row["status"],
                "reported_on": row["reported_on"],
                "total_usd_bn": total,
                "paid_usd_bn": float(inside["paid_usd_bn"].sum()) + unnamed,
                "paid_at_close_usd_bn": float(inside["paid_at_close_usd_bn"].sum()) + unnamed,
                "paid_as_of": max([d for d in as_of if pd.notna(d)], default=pd.NaT),
                "conditional_usd_bn": float(inside["conditional_usd_bn"].sum()),
            }
        )
    blocks = pd.DataFrame(records).sort_values(["reported_on", "block"]).reset_index(drop=True)
    firm = blocks["status"].isin(firm_statuses)
    rest = blocks["total_usd_bn"] - blocks["paid_usd_bn"] - blocks["conditional_usd_bn"]
    blocks["unpaid_usd_bn"] = rest.where(firm, 0.0)
    blocks["tentative_usd_bn"] = rest.where(~firm, 0.0)
    columns = [
        "paid_usd_bn",
        "paid_at_close_usd_bn",
        "unpaid_usd_bn",
        "conditional_usd_bn",
        "tentative_usd_bn",
        "total_usd_bn",
    ]
    return blocks[["block", "event", "status", "reported_on", "paid_as_of", *columns]]


def closed_rounds(figures: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """Funding rounds whose latest report is a closing, with the date of that report."""
    events = latest(capital_events(figures), ["event"])
    closed = events[events["category"].eq("funding_round") & events["status"].eq("closed")]
    return dict(zip(closed["event"], closed["reported_on"], strict=True))


def _paid_at_close(deals: pd.DataFrame) -> pd.Series:
    """Per investor deal in a closed round, what its closing paid in, beyond payments reported one by one.

    A deal with payments reported is paid as reported (its later tranches stay committed); otherwise its
    up-front part is paid at the close, and a deal whose own latest report is a closing is paid whole.
    A deal reported only as announced or agreed (such as one paid in instalments over a year) stays
    committed, and a conditional part stays conditional.
    """
    whole = (deals["floor_usd_bn"] - deals["conditional_usd_bn"]).where(deals["status"].eq("closed"), 0.0)
    own = deals["upfront_usd_bn"].where(deals["upfront_usd_bn"].gt(0), whole)
    return own.where(deals["paid_usd_bn"].eq(0), 0.0).clip(lower=0.0)


def unnamed_at_close(inside: pd.DataFrame, round_total_usd_bn: float) -> float:
    """Round money no named investor accounts for: it came in with the round's closing."""
    return max(round_total_usd_bn - float(inside["floor_usd_bn"].sum()), 0.0)


def _short(block: str) -> str:
    """A block's name for a sentence, without its status and date: 'the 2026 funding round'."""
    return block.split(" (")[0]


def _block_name(row: pd.Series) -> str:
    """'the round closed Mar 2026' or 'Microsoft's investment of Jul 2019': words a reader knows, with a date."""
    if row["category"] == "funding_round":
        return f"the {row['deal']} ({row['status'].replace('_', ' ')} {_when(row['reported_on'])})"
    return f"{investor_name(row['subject'])}'s investment of {_when(row['reported_on'])}"


def raised_totals(blocks: pd.DataFrame) -> dict[str, float | pd.Timestamp]:
    """Sums of money_raised: paid, committed without conditions, conditional, tentative, the latest payment,
    and `raised_usd_bn`, paid in plus committed (never conditional money, never talks or press reports)."""
    sums = {column: float(blocks[column].sum()) for column in blocks.columns if column.endswith("_usd_bn")}
    raised = sums["paid_usd_bn"] + sums["unpaid_usd_bn"]
    return {**sums, "raised_usd_bn": raised, "paid_as_of": blocks["paid_as_of"].max()}


def conditions(figures: pd.DataFrame) -> pd.DataFrame:
    """Each conditional tranche: who, how much, the condition in words, and the year it lapses if reported.

    A conditional row whose deal has no named condition stops the run: conditional money is always named.
    """
    rows = latest(_used(figures).query("basis == 'conditional' and category == 'equity_investment'"), ["event"])
    missing = sorted(set(rows["event"]) - set(CONDITIONS))
    if missing:
        raise ValueError(f"conditional money without a named condition in funding.CONDITIONS: {missing}")
    by = [f" before end-{int(y)}" if pd.notna(y) else "" for y in rows["end_year"]]
    return rows.assign(
        investor=rows["subject"].map(investor_name),
        condition=[CONDITIONS[e] + b for e, b in zip(rows["event"], by, strict=True)],
    )


def condition_words(figures: pd.DataFrame) -> str:
    """'Amazon's $35B, due only if OpenAI files for a stock-market listing ... before end-2028'."""
    return _list(
        [f"{r.investor}'s {money(r.value)}, due only {r.condition}" for r in conditions(figures).itertuples()]
        or ["none"]
    )


def money_box(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """The one box of money into OpenAI, in the one vocabulary: paid in, committed, raised, conditional,
    talks and press reports. Every total of 01-03 is read from this box."""
    sums = raised_totals(money_raised(figures, firm_statuses))
    words = {column: word for column, (word, _) in MONEY_KINDS.items()}
    means = {column: meaning for column, (_, meaning) in MONEY_KINDS.items()}
    rows = [
        (words["paid_usd_bn"], sums["paid_usd_bn"], means["paid_usd_bn"]),
        (words["unpaid_usd_bn"], sums["unpaid_usd_bn"], means["unpaid_usd_bn"]),
        (f"{RAISED_WORD} ({words['paid_usd_bn']} + {words['unpaid_usd_bn']})", sums["raised_usd_bn"], ""),
        (words["conditional_usd_bn"], sums["conditional_usd_bn"], f"{condition_words(figures)}; not raised"),
        (words["tentative_usd_bn"], sums["tentative_usd_bn"], means["tentative_usd_bn"]),
    ]
    box = pd.DataFrame(rows, columns=["money", "amount_usd_bn", "what_it_means"]).set_index("money")
    box["share_of_raised"] = box["amount_usd_bn"] / sums["raised_usd_bn"]
    box.loc[box.index[3:], "share_of_raised"] = NAN  # not part of raised: no share of it
    return box[["amount_usd_bn", "share_of_raised", "what_it_means"]]


def biggest_round_sentence(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The largest block of money raised against all earlier blocks, conditional money out of both sides."""
    blocks = money_raised(figures, firm_statuses)
    raised = blocks["paid_usd_bn"] + blocks["unpaid_usd_bn"]
    biggest = raised.idxmax()
    row = blocks.loc[biggest]
    earlier = float(raised.drop(biggest).sum())
    conditional = (
        f", plus {money(row['conditional_usd_bn'])} conditional that is not counted"
        if row["conditional_usd_bn"] > 0
        else ""
    )
    return (
        f"{_short(row['block'])[0].upper()}{_short(row['block'])[1:]} raised {money(raised[biggest])}{conditional}: "
        f"{raised[biggest] / earlier:.1f}x all the other money raised combined ({money(earlier)}) and "
        f"{raised[biggest] / raised.sum():.0%} of the {money(raised.sum())} {RAISED_WORD}."
    )


def valuation_marks(figures: pd.DataFrame) -> pd.DataFrame:
    """Company valuations over time (pre-, post-money or unspecified) and listing targets."""
    used = _used(figures)
    marks = used[
        (used["category"].isin(["valuation", "listing"]))
        & used["metric"].isin(MARK_METRICS)
        & used["subject"].eq(INTO_OPENAI)
    ]
    return marks.sort_values(["reported_on", "figure_id"])


def _when(stamp: pd.Timestamp) -> str:
    return f"{stamp:%b %Y}"


def _list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def raised_lines(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> list[str]:
    """The box in sentences: paid in (reported payments and closings), committed, conditional with its condition."""
    blocks = money_raised(figures, firm_statuses)
    sums = raised_totals(blocks)
    at_close = blocks[blocks["paid_at_close_usd_bn"] > 0]
    closings = _list(
        [f"{money(r.paid_at_close_usd_bn)} with {_short(r.block)}" for r in at_close.itertuples()] or ["none"]
    )
    unpaid_blocks = blocks[blocks["unpaid_usd_bn"] > 0].sort_values("unpaid_usd_bn", ascending=False)
    unpaid = _list([f"{money(row.unpaid_usd_bn)} of {_short(row.block)}" for row in unpaid_blocks.itertuples()])
    words = {column: word for column, (word, _) in MONEY_KINDS.items()}
    lines = [
        f"- **{money(sums['paid_usd_bn'])} {words['paid_usd_bn']}**: "
        f"{money(sums['paid_usd_bn'] - sums['paid_at_close_usd_bn'])} in payments reported one by one, and "
        f"{money(sums['paid_at_close_usd_bn'])} that came in when rounds closed ({closings}).",
        f"- **{money(sums['unpaid_usd_bn'])} {words['unpaid_usd_bn']}** without conditions but not yet reported paid "
        f"({unpaid}).",
        f"- **{money(sums['conditional_usd_bn'])} {words['conditional_usd_bn']}**: {condition_words(figures)}. "
        f"It is not part of the {money(sums['raised_usd_bn'])} {RAISED_WORD}.",
    ]
    if sums["tentative_usd_bn"] > 0:
        lines.append(f"- {money(sums['tentative_usd_bn'])} more rests on talks or press reports only.")
    return lines


def microsoft_sentence(figures: pd.DataFrame, investor: str = "Microsoft") -> str:
    """One number for an investor with a filed commitment, and why the sum of its reported deals differs."""
    row = investor_summary(figures).loc[investor]
    filed = filed_totals(figures).set_index(["investor", "basis"])
    if (investor, "committed") not in filed.index or (investor, "funded") not in filed.index:
        total = describe_bounds(
            row["committed_usd_bn"] + row["tentative_usd_bn"], row["ceiling_usd_bn"], row["approximate"]
        )
        return f"{investor}: {total} over {int(row['deals'])} deals; no filing reports its total or what it paid in."
    committed, funded = filed.loc[(investor, "committed")], filed.loc[(investor, "funded")]
    deals = investor_deals(figures)
    own = deals[deals["investor"].eq(investor) & deals["part_of"].isna()]
    parts = " + ".join(describe_value(r.total_usd_bn, r.qualifier, NAN, NAN, "usd_bn") for r in own.itertuples())
    text = (
        f"{investor}: its filing puts its investment at **{money(committed['value'])}**, "
        f"**{money(funded['value'])} of it paid in** by {_when(funded['as_of'])}. "
        f"Its deals outside rounds, as the press reported them ({parts}), come to about "
        f"{money(row['replaced_deals_usd_bn'])}, so the filed total is the one used"
    )
    if row["unsummed"]:
        text += f"; not added, because they are bounds or undisclosed: {row['unsummed']}"
    return text + "."


def bottom_line(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """The funding notebook's bottom line: three short bullets, every number from the one money box."""
    sums = raised_totals(money_raised(figures, firm_statuses))
    posts = valuation_marks(figures).query("metric == 'post_money' and status in @firm_statuses")
    first, last = posts.iloc[0], posts.iloc[-1]
    return "\n".join(
        [
            f"- OpenAI **{RAISED_WORD} {money(sums['raised_usd_bn'])}** from investors by "
            f"{_when(sums['paid_as_of'])}: {money(sums['paid_usd_bn'])} paid in and "
            f"{money(sums['unpaid_usd_bn'])} committed but not yet paid.",
            f"- A further **{money(sums['conditional_usd_bn'])} is conditional**, not counted as raised: "
            f"{condition_words(figures)}.",
            f"- Its value after each round rose from {money(first['value'])} ({_when(first['reported_on'])}) to "
            f"**{money(last['value'])}** ({_when(last['reported_on'])}), partly from the rounds' own new money.",
        ]
    )


def investor_sentence(investors: pd.DataFrame, deals: pd.DataFrame) -> str:
    """Committed versus paid, per investor; bounds and undisclosed amounts named, never added."""
    parts = []
    for name, row in investors.iterrows():
        total = describe_bounds(
            row["committed_usd_bn"] + row["tentative_usd_bn"], row["ceiling_usd_bn"], row["approximate"]
        )
        count = int(row["deals"])
        bits = [f"**{name}** {total} over {count} deal{'s' if count != 1 else ''}"]
        if pd.notna(row["reported_committed_usd_bn"]):
            bits.append(f"counting its deals outside rounds at the {money(row['reported_committed_usd_bn'])} it filed")
        if row["paid_in_usd_bn"] > 0:
            bits.append(f"{money(row['paid_in_usd_bn'])} reported paid in by {_when(row['paid_as_of'])}")
        else:
            bits.append("none reported paid in")
        if row["conditional_usd_bn"] > 0:
            bits.append(f"{money(row['upfront_usd_bn'])} up front and {money(row['conditional_usd_bn'])} conditional")
        if row["unsummed"]:
            bits.append(f"not added: {row['unsummed']}")
        parts.append(", ".join(bits))
    return "- " + "\n- ".join(parts)


def unpaid_tranches(figures: pd.DataFrame) -> pd.DataFrame:
    """Tranches committed for a month (basis 'committed' with a period) for which no payment of that month is
    reported: who, which deal, how much, when due. Not reported is not the same as unpaid; it is only unreported."""
    used = _used(figures)
    money_rows = used[
        used["category"].eq("equity_investment") & used["metric"].eq("amount") & used["counterparty"].eq(INTO_OPENAI)
    ]
    due = money_rows[money_rows["basis"].eq("committed") & money_rows["period"].notna()]
    paid = money_rows[money_rows["basis"].eq("funded")]
    paid_keys = set(zip(paid["event"], paid["period"], strict=True))
    open_rows = due[[(e, p) not in paid_keys for e, p in zip(due["event"], due["period"], strict=True)]]
    return open_rows.assign(
        investor=open_rows["subject"].map(investor_name),
        due_on=[_month(p, d) for p, d in zip(open_rows["period"], open_rows["reported_on"], strict=True)],
    ).sort_values(["due_on", "figure_id"])


def tranche_sentence(figures: pd.DataFrame) -> str:
    """Tranches whose due month has come by the ledger's newest report or since, with no payment reported."""
    rows = unpaid_tranches(figures)
    newest = figures["reported_on"].max()
    texts = [
        f"{row.investor}'s {money(row.value)} tranche of the {_deal_name(figures, row)} was due "
        f"{_when(row.due_on)}; "
        f"no payment of it is reported (the ledger's newest report is of {_when(newest)}), so it counts as "
        "committed, not paid"
        for row in rows.itertuples()
    ]
    return "; ".join(texts) + "." if texts else ""


def _deal_name(figures: pd.DataFrame, row: object) -> str:
    """The name of the round a part belongs to ('2026 funding round'), else the part's own deal name."""
    event = row.part_of if isinstance(row.part_of, str) else row.event
    names = figures.loc[figures["event"].eq(event), "deal"]
    return str(names.iloc[0]) if len(names) else str(row.deal)


def unattributed(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """Per funding round: its total, what named investors' rows add up to, and the rest (other or unnamed
    investors). Named shares are floors, so the rest is at most `rest_usd_bn`; with every named ceiling
    counted it is at least `rest_floor_usd_bn`."""
    blocks = money_raised(figures, firm_statuses)
    rounds = blocks[blocks["event"].isin(capital_events(figures).query("category == 'funding_round'")["event"])]
    deals = investor_deals(figures)
    round_of = deals["part_of"].where(deals["part_of"].notna(), deals["event"])
    records = []
    for row in rounds.itertuples():
        inside = deals[round_of.eq(row.event)]
        named, named_ceiling = float(inside["floor_usd_bn"].sum()), float(inside["ceiling_usd_bn"].sum())
        records.append(
            {
                "block": row.block,
                "event": row.event,
                "round_usd_bn": row.total_usd_bn,
                "named_usd_bn": named,
                "rest_usd_bn": row.total_usd_bn - named,
                "rest_floor_usd_bn": max(row.total_usd_bn - named_ceiling, 0.0),
                "about": bool(inside["qualifier"].eq("about").any()),
            }
        )
    return pd.DataFrame(records)


def unattributed_sentence(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> str:
    """Why the investor rows add up to less than the money raised: round money no named investor accounts for."""
    investors = investor_summary(figures)
    sums = raised_totals(money_raised(figures, firm_statuses))
    named = float((investors["committed_usd_bn"] + investors["tentative_usd_bn"]).sum())
    rest = unattributed(figures, firm_statuses)
    shown = rest[rest["rest_usd_bn"] > 1e-9]
    near = "about " if shown["about"].any() else ""
    each = _list(
        [
            f"{describe_bounds(r.rest_floor_usd_bn, r.rest_usd_bn, r.about)} of {_short(r.block)} "
            f"({money(r.round_usd_bn)})"
            for r in shown.itertuples()
        ]
        or ["none"]
    )
    named_raised = named - sums["conditional_usd_bn"]
    return (
        f"The investor rows account for {near}{money(named_raised)} of the {money(sums['raised_usd_bn'])} raised. "
        f"The remaining {near}{money(sums['raised_usd_bn'] - named_raised)} is round money that the ledger does not "
        f"attribute to a named investor: {each}. It belongs to other or unnamed investors, or to named ones whose "
        "share is only a bound or undisclosed (such as Microsoft's), so it is an upper limit for the unnamed part."
    )


def cumulative_gap_sentence(figures: pd.DataFrame) -> str:
    """Where an investor's own cumulative figure differs from its rows in this ledger, say by how much and what
    the ledger leaves out (purchases of employee shares pay the sellers, not OpenAI)."""
    used = _used(figures)
    own = used[
        used["metric"].eq("cumulative_amount")
        & used["counterparty"].eq(INTO_OPENAI)
        & used["basis"].isna()
        & used["value"].notna()
    ]
    own = own.sort_values(["reported_on", "figure_id"]).assign(investor=own["subject"].map(investor_name))
    investors = investor_summary(figures)
    texts = []
    for investor, row in own.groupby("investor").tail(1).set_index("investor").iterrows():
        if investor not in investors.index:
            continue
        mine = investors.loc[investor]
        counted = mine["committed_usd_bn"] + mine["tentative_usd_bn"]
        gap = row["value"] - counted
        if math.isclose(gap, 0.0, abs_tol=1e-9):
            continue
        secondary = used[
            used["category"].eq("secondary_sale") & used["subject"].eq(investor) & used["metric"].eq("amount")
        ]
        bought = _list([f"{stated(r)} in {_when(r['reported_on'])}" for _, r in secondary.iterrows()])
        texts.append(
            f"{investor}'s own expected total is {stated(row)} ({_when(row['reported_on'])}), "
            f"{'about ' if mine['approximate'] else ''}{money(abs(gap))} {'more' if gap > 0 else 'less'} than the "
            f"{describe_bounds(counted, mine['ceiling_usd_bn'], mine['approximate'])} its deals in this ledger add "
            "up to; the source does not break the difference down, so the ledger's deal-by-deal figure is the one "
            "used."
            + (
                f" Its purchases of employee shares ({bought}) paid the sellers, not OpenAI, and are not counted."
                if len(secondary)
                else ""
            )
        )
    return " ".join(texts)


INVESTOR_COLUMNS = [
    "stated",
    "deals",
    "paid_usd_bn",
    "unpaid_usd_bn",
    "conditional_usd_bn",
    "tentative_usd_bn",
    "total_usd_bn",
    "ceiling_usd_bn",
    "unsummed",
]


def investor_table(figures: pd.DataFrame, firm_statuses: tuple[str, ...]) -> pd.DataFrame:
    """Per investor in the money box's words (paid in, committed, conditional, talks and press reports), then the
    round money no named investor accounts for, then the total: each column adds up to the box. A ceiling of NaN
    means none (an open or undisclosed part)."""
    summary = investor_summary(figures)
    firm_total = summary["committed_usd_bn"]
    table = pd.DataFrame(
        {
            "stated": [
                describe_bounds(r.committed_usd_bn + r.tentative_usd_bn, r.ceiling_usd_bn, r.approximate)
                for r in summary.itertuples()
            ],
            "deals": summary["deals"].astype(float),
            "paid_usd_bn": summary["paid_in_usd_bn"],
            "unpaid_usd_bn": (firm_total - summary["paid_in_usd_bn"] - summary["conditional_usd_bn"]).clip(lower=0),
            "conditional_usd_bn": summary["conditional_usd_bn"],
            "tentative_usd_bn": summary["tentative_usd_bn"],
            "total_usd_bn": firm_total + summary["tentative_usd_bn"],
            "ceiling_usd_bn": summary["ceiling_usd_bn"].where(~summary["ceiling_usd_bn"].map(math.isinf)),
            "unsummed": summary["unsummed"],
        },
        index=summary.index,
    )
    rest = unattributed(figures, firm_statuses)
    sums = raised_totals(money_raised(figures, firm_statuses))
    rest_usd_bn = float(rest["rest_usd_bn"].sum())
    rest_paid = sums["paid_usd_bn"] - float(table["paid_usd_bn"].sum())
    table.loc["other or unnamed investors (at most)"] = {
        "stated": describe_bounds(0.0, rest_usd_bn, bool(rest["about"].any())),
        "paid_usd_bn": rest_paid,
        "unpaid_usd_bn": rest_usd_bn - rest_paid,
        "conditional_usd_bn": 0.0,
        "tentative_usd_bn": 0.0,
        "total_usd_bn": rest_usd_bn,
        "unsummed": "",
    }
    total = table[["deals", "paid_usd_bn", "unpaid_usd_bn", "conditional_usd_bn", "tentative_usd_bn"]].sum()
    table.loc["total"] = {
        **total.to_dict(),
        "total_usd_bn": sums["total_usd_bn"],
        "stated": money(sums["total_usd_bn"]),
    }
    table.index.name = "investor"
    return table[INVESTOR_COLUMNS].rename(columns=table_words)
