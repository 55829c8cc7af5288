"""Pure functions for the funding notebook: capital events, cumulative capital, investors, marks."""

from __future__ import annotations

import math

import pandas as pd

from helpers.data.load import Ledger
from helpers.data.views import describe_value, latest
from helpers.data.vocabulary import (
    CONDITIONS,
    DAYS_PER_YEAR,
    FIRM_STATUSES,
    LAPSED_STATUSES,
    LOWER_BOUND_QUALIFIERS,
    MONEY_KINDS,
    NAMED_INVESTORS,
    STATUSES,
    UPPER_BOUND_QUALIFIERS,
)
from helpers.notebook.parameters import Spec
from helpers.notebook.prose import listed, month_year
from helpers.notebook.tables import money

INTO_OPENAI = "OpenAI"
MARK_METRICS = ("pre_money", "post_money", "valuation")
TOTAL_BASES = ("total",)  # an empty basis also means the deal's total
NAN = float("nan")


def _no_lapsed(statuses: object) -> str:
    lapsed = [s for s in statuses if s in LAPSED_STATUSES]
    return f"{', '.join(lapsed)} money is not firm: the deal stalled or was replaced" if lapsed else ""


def parameter_specs(book: Ledger | None = None) -> list[Spec]:
    """The funding notebook's parameters (none depend on the ledger; `book` keeps one call for every notebook)."""
    return [
        Spec(
            "COUNT_AS_FIRM",
            "choices",
            "statuses counted as firm money",
            choices=tuple(s for s in STATUSES if s not in LAPSED_STATUSES),  # the message lists only what is allowed
            rule=_no_lapsed,
        ),
    ]


def amount_floor(rows: pd.DataFrame) -> pd.Series:
    """Least amount each figure allows: 'less than $1B' and undisclosed add 0, 'more than $3B' adds 3."""
    floor = rows["value"].where(~rows["qualifier"].isin(UPPER_BOUND_QUALIFIERS), 0.0)
    floor = floor.where(rows["qualifier"] != "range", rows["low"])
    return floor.fillna(0.0).astype(float)


def amount_ceiling(rows: pd.DataFrame) -> pd.Series:
    """Most each figure allows: 'more than $3B' and undisclosed are unbounded (inf), 'less than $1B' is 1."""
    ceiling = rows["value"].where(~rows["qualifier"].isin(LOWER_BOUND_QUALIFIERS), math.inf)
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
    return f"{head} ({listed(parts)})"


def floor_parts(floor_usd_bn: pd.Series, qualifier: pd.Series) -> tuple[float, float, float]:
    """(exact, about, at least) parts of a sum of floors; a ceiling's floor is 0 and adds to none."""
    about = float(floor_usd_bn[qualifier.eq("about")].sum())
    at_least = float(floor_usd_bn[qualifier.isin([*LOWER_BOUND_QUALIFIERS, "range"])].sum())
    return float(floor_usd_bn.sum()) - about - at_least, about, at_least


def _month(period: object, reported_on: pd.Timestamp) -> pd.Timestamp:
    """The month a payment applied to ('2026-03' -> Mar 2026), else the date it was reported."""
    if isinstance(period, str) and len(period) == 7:
        return pd.Timestamp(period + "-01")
    return reported_on


def used_rows(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[figures["reading"] == "used"]


def _is_total(rows: pd.DataFrame) -> pd.Series:
    return rows["basis"].isna() | rows["basis"].isin(TOTAL_BASES)


def capital_events(figures: pd.DataFrame) -> pd.DataFrame:
    """Every report of money raised by OpenAI: round totals, plus investments made outside a round."""
    used = used_rows(figures)
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


def investor_name(subject: str) -> str:
    """Short investor name used in tables ('Thrive Capital' -> 'Thrive'; groups -> 'Others')."""
    for name in NAMED_INVESTORS:
        if subject.startswith(name):
            return name
    return "Others"


def investor_deals(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per investor and deal: total, up front, conditional, paid in, and the latest status.

    `floor_usd_bn` and `ceiling_usd_bn` keep the total's bound ('less than $1B' is 0 to 1); a payment
    reported raises the floor to what was paid. `paid_as_of` is the month of the latest payment.
    """
    used = used_rows(figures)
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
    used = used_rows(figures)
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


def _block_name(row: pd.Series) -> str:
    """'the round closed Mar 2026' or 'Microsoft's investment of Jul 2019': words a reader knows, with a date."""
    if row["category"] == "funding_round":
        return f"the {row['deal']} ({row['status'].replace('_', ' ')} {month_year(row['reported_on'])})"
    return f"{investor_name(row['subject'])}'s investment of {month_year(row['reported_on'])}"


def raised_totals(blocks: pd.DataFrame) -> dict[str, float | pd.Timestamp]:
    """Sums of money_raised: paid, committed without conditions, conditional, tentative, the latest payment,
    and `raised_usd_bn`, paid in plus committed (never conditional money, never talks or press reports)."""
    sums = {column: float(blocks[column].sum()) for column in blocks.columns if column.endswith("_usd_bn")}
    raised = sums["paid_usd_bn"] + sums["unpaid_usd_bn"]
    return {**sums, "raised_usd_bn": raised, "paid_as_of": blocks["paid_as_of"].max()}


def valuation_marks(figures: pd.DataFrame) -> pd.DataFrame:
    """Company valuations over time (pre-, post-money or unspecified) and listing targets."""
    used = used_rows(figures)
    marks = used[
        (used["category"].isin(["valuation", "listing"]))
        & used["metric"].isin(MARK_METRICS)
        & used["subject"].eq(INTO_OPENAI)
    ]
    return marks.sort_values(["reported_on", "figure_id"])


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).days / DAYS_PER_YEAR


def unpaid_tranches(figures: pd.DataFrame) -> pd.DataFrame:
    """Tranches committed for a month (basis 'committed' with a period) for which no payment of that month is
    reported: who, which deal, how much, when due. Not reported is not the same as unpaid; it is only unreported."""
    used = used_rows(figures)
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


def deal_name(figures: pd.DataFrame, row: object) -> str:
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


# the money box's words, from the one vocabulary, so charts and prose cannot drift apart
PAID_IN = MONEY_KINDS["paid_usd_bn"][0]
# "paid in" as the vocabulary defines it, for a sentence that states the box's paid-in total: part of it is counted
# paid at a round's close, not because a payment was reported
PAID_IN_DEFINED = f"{PAID_IN} (reported, or at a round's close)"
COMMITTED = f"{MONEY_KINDS['unpaid_usd_bn'][0]}, not yet paid"
WITHOUT_CONDITIONS = "committed without conditions"
CONDITIONAL = MONEY_KINDS["conditional_usd_bn"][0]
PRESS_REPORTS = MONEY_KINDS["tentative_usd_bn"][0]


def capital_totals(figures: pd.DataFrame) -> dict:
    """All capital committed to OpenAI, by the ledger's one definition: paid in, without conditions, conditional."""
    sums = raised_totals(money_raised(figures, FIRM_STATUSES))
    return {**sums, "without_conditions_usd_bn": sums["paid_usd_bn"] + sums["unpaid_usd_bn"]}


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


def conditions(figures: pd.DataFrame) -> pd.DataFrame:
    """Each conditional tranche: who, how much, the condition in words, and the year it lapses if reported.

    A conditional row whose deal has no named condition stops the run: conditional money is always named.
    """
    rows = latest(used_rows(figures).query("basis == 'conditional' and category == 'equity_investment'"), ["event"])
    missing = sorted(set(rows["event"]) - set(CONDITIONS))
    if missing:
        raise ValueError(f"conditional money without a named condition in vocabulary.CONDITIONS: {missing}")
    by = [f" before end-{int(y)}" if pd.notna(y) else "" for y in rows["end_year"]]
    return rows.assign(
        investor=rows["subject"].map(investor_name),
        condition=[CONDITIONS[e] + b for e, b in zip(rows["event"], by, strict=True)],
    )
