"""Notebook 01's timeline of every event: one row per deal, round, share sale, contract, loan or listing report,
with its status steps (each report that moved it to another status), its kind and its latest size in words.

Revenue, forecasts and running totals are figures about OpenAI, not events between it and someone else: left out.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.analysis.story import firm_words, tentative_words
from helpers.data.views import cited, latest, sources_of, stated
from helpers.data.vocabulary import (
    FIRM_STATUSES,
    LAPSED_STATUSES,
    LIVE_STATUSES,
    MONEY_KINDS,
    STATUS_NAMES,
    status_group,
)
from helpers.notebook.tables import Published, money, publish

# lanes of the chart, top to bottom: kind -> the ledger categories it holds (the first category found wins)
LANES = {
    "Rounds and investments": ("funding_round", "equity_investment"),
    "Cloud, chips and data centres": ("cloud_commitment", "chip_commitment", "infrastructure"),
    "Share sales and stakes": ("secondary_sale", "valuation"),
    "Loans": ("debt",),
    "Listing reports": ("listing",),
}
EVENT_CATEGORIES = tuple(c for categories in LANES.values() for c in categories)
# one marker per report date: the most advanced status reported that day (a closing is not hidden by talks)
STATUS_RANK = {status: rank for rank, status in enumerate([*LAPSED_STATUSES, *LIVE_STATUSES])}
SIZE_METRICS = ("amount", "cumulative_amount", "post_money", "valuation", "capacity")


def lane_of(categories: pd.Series) -> str:
    """The lane of an event from the categories of its rows (a round before its valuation, chips before a loan)."""
    present = set(categories)
    for lane, held in LANES.items():
        if present & set(held):
            return lane
    raise ValueError(f"no lane for categories {sorted(present)}")


def event_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The used rows of every event: between OpenAI and a named party, or a price set on its shares (a tender).
    Revenue, forecasts, capacity history and running totals (no counterparty, not a valuation) are not events."""
    used = figures[figures["reading"].eq("used")]
    has_party = used["counterparty"].fillna("").ne("") & used["category"].isin(EVENT_CATEGORIES)
    priced = used["category"].eq("valuation")
    keep = used.loc[has_party | priced, "event"]
    return used[used["event"].isin(set(keep)) & used["category"].isin(EVENT_CATEGORIES)]


def status_steps(rows: pd.DataFrame) -> pd.DataFrame:
    """One event's status steps: per report date the most advanced status, then only the reports that moved it to a
    more advanced status than any before, or to a lapse (and back out of one). A later recap coded 'reported' after
    an announcement is not a step back: it changes nothing about the deal."""
    daily = (
        rows.assign(_rank=rows["status"].map(STATUS_RANK))
        .sort_values(["reported_on", "_rank"])
        .groupby("reported_on", as_index=False)
        .tail(1)
    )
    keep, best, last = [], -1, None
    for status, rank in zip(daily["status"], daily["_rank"], strict=True):
        lapsed = status in LAPSED_STATUSES
        revived = not lapsed and last in LAPSED_STATUSES
        moved = status != last if lapsed else (revived or rank > best)
        keep.append(moved)
        if not lapsed:
            best = rank if revived else max(best, rank)
        if moved:
            last = status
    return daily.loc[keep, ["reported_on", "status"]].reset_index(drop=True)


def size(rows: pd.DataFrame) -> tuple[str, float]:
    """An event's latest size in words and in $B (0 when not in dollars): a round's committed total at close, an
    investment's total, else a stake, a price or a capacity: '$122B', 'valued at $86B', 'up to $1T', '6 GW'."""
    words, usd, _ = size_row(rows)
    return words, usd


def size_row(rows: pd.DataFrame) -> tuple[str, float, pd.Series | None]:
    """size(), with the ledger row the size is read from (None when the event has no size)."""
    lead = rows[rows["category"].eq(_lead_category(rows["category"]))]
    basis = lead["basis"].fillna("total")
    totals = basis.eq("total") | (basis.eq("committed") & lead["category"].eq("funding_round"))
    prefix = "" if lead["category"].eq("listing").all() else "valued at "
    for found, words in (
        (lead[lead["metric"].eq("amount") & totals], ""),
        (lead[lead["metric"].eq("cumulative_amount") & basis.isin(["total", "committed"])], ""),
        (rows[rows["metric"].eq("stake_value")], ""),
        (rows[rows["metric"].isin(["post_money", "valuation"])], prefix),
        (rows[rows["metric"].eq("capacity")], ""),
    ):
        if not found.empty:
            row = latest(found, ["event"]).iloc[-1]
            usd = float(row["value"]) if row["unit"] == "usd_bn" and pd.notna(row["value"]) and not words else 0.0
            return words + stated(row), usd, row
    return "", 0.0, None


def size_status(row: pd.Series | None, status: str) -> str:
    """A size whose own report is less firm than the event, or came after its last status step, says so, so the
    size cannot borrow the event's status: the Michigan campus was announced without a cost (F174); its $16B is a
    June 2026 press report (F173): ' (size from a press report, Jun 2026)'."""
    if row is None or status_group(row["status"]) == status_group(status):
        return ""
    source = {"in_talks": "talks", "letter_of_intent": "a letter of intent"}.get(
        row["status"], "a " + STATUS_NAMES[row["status"]]
    )
    return f" (size from {source}, {row['reported_on']:%b %Y})"


def paid_part(rows: pd.DataFrame, size_usd_bn: float) -> str:
    """What was paid in, when less than the size shown, in 02's words: a filed running total (Microsoft's $13B
    committed, $11.8B funded by Mar 2026) or the tranches paid (SoftBank's $30B, $20B paid in F114-F115):
    ' in all, $11.8B paid in' ('committed' would say the whole is unpaid: the glossary keeps that word for money
    agreed and not yet paid). '' when no payment is reported or it is the whole."""
    funded = rows[rows["metric"].eq("cumulative_amount") & rows["basis"].eq("funded")]
    tranches = rows[rows["metric"].eq("amount") & rows["basis"].eq("funded") & rows["unit"].eq("usd_bn")]
    if size_usd_bn <= 0 or (funded.empty and tranches.empty):
        return ""
    if not tranches.empty:
        # the event's own tranches first: a running total filed in the same event (SoftBank's $34.6B invested by Feb
        # 2026, F172) counts earlier deals too
        paid_usd_bn = float(latest(tranches, ["event", "period"])["value"].sum())
        words = money(paid_usd_bn)
    else:
        paid = latest(funded.sort_values(["reported_on", "period"]), ["event"]).iloc[-1]
        paid_usd_bn, words = float(paid["value"]), stated(paid)
    if not paid_usd_bn < size_usd_bn:
        return ""
    return f" in all, {words} {MONEY_KINDS['paid_usd_bn'][0]}"


def disputed(figures: pd.DataFrame, event: str, words: str) -> str:
    """Other readings of a listing's value that disagree with the one shown, so the label does not hide them:
    ' (one report: more than $1T)'; '' when none differ. A range inside the value shown is no disagreement."""
    rows = figures[
        figures["event"].eq(event)
        & figures["reading"].eq("alternative")
        & figures["category"].eq("listing")
        & figures["metric"].eq("valuation")
        & figures["qualifier"].ne("range")
    ].sort_values(["reported_on", "figure_id"])
    other = [w for w in dict.fromkeys(stated(r) for _, r in rows.iterrows()) if w not in words]
    if not other:
        return ""
    return f" ({'one report' if len(other) == 1 else 'other reports'}: {', '.join(other)})"


def conditional_usd_bn(rows: pd.DataFrame, event: str) -> float:
    """Money due only if a condition is met inside an event: its own conditional rows and those of the deals that
    are part of it (Amazon's $35B inside the 2026 round), each deal's latest report."""
    found = rows[rows["basis"].eq("conditional") & (rows["event"].eq(event) | rows["part_of"].eq(event))]
    found = latest(found, ["event"]) if not found.empty else found
    return float(found["value"].sum())


def with_conditional(words: str, is_round: bool, conditional: float) -> str:
    """A size with its conditional part named, so a line is not read as all firm: '$50B ($35B conditional)',
    '$122B in all, incl. $35B conditional' (not 'committed': the glossary keeps that word for money without
    conditions)."""
    if not words or conditional <= 0:
        return words
    if is_round:
        return f"{words} in all, incl. {money(conditional)} conditional"
    return f"{words} ({money(conditional)} conditional)"


def _lead_category(categories: pd.Series) -> str:
    """The category that names an event's kind: the first of EVENT_CATEGORIES among its rows."""
    return next(c for c in EVENT_CATEGORIES if c in set(categories))


def short_name(deal: str) -> str:
    """A deal's name without its trailing month: 'AWS expansion (Feb 2026)' -> 'AWS expansion'."""
    return re.sub(r"\s*\(\w{3} \d{4}\)$", "", deal)


def path_words(steps: pd.DataFrame) -> str:
    """'in talks (Dec 2025) → signed (Feb 2026)': the status steps in words."""
    return " → ".join(
        f"{STATUS_NAMES[s]} ({d:%b %Y})" for d, s in zip(steps["reported_on"], steps["status"], strict=True)
    )


def events(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per event: lane, deal name, party, first and last report, status steps, latest status and group,
    size in words and a rank for labelling (the largest sizes in $ first, then the events with most steps)."""
    rows = event_rows(figures)
    records = []
    for event, group in rows.groupby("event", sort=False):
        lane = lane_of(group["category"])
        # an event's status comes from the rows of its own kind: a loan inside a chip deal (Cerebras) has its own
        # status and does not close the chip deal; a price set in the deal (a round's valuation talks) is its own
        own = group[group["category"].isin((*LANES[lane], "valuation"))]
        steps = status_steps(own)
        status = event_status(own)
        words, usd, row = size_row(group)
        words += disputed(figures, event, words) + paid_part(group, usd) + size_status(row, status)
        words = with_conditional(words, group["category"].eq("funding_round").any(), conditional_usd_bn(rows, event))
        path = path_words(steps)
        if status != steps["status"].iloc[-1]:
            # a part closed, the rest still due: the path ends where the label does, at the event's status
            path += (
                f"; overall {STATUS_NAMES[status]}, part {STATUS_NAMES[steps['status'].iloc[-1]]} (a part still due)"
            )
        records.append(
            {
                "event": event,
                "lane": lane,
                "deal": deal_name(group, lane),
                "party": _party(group),
                "first_reported": own["reported_on"].min(),
                "last_reported": own["reported_on"].max(),
                "last_step": steps["reported_on"].max(),
                "steps": steps,
                "path": path,
                "status": status,
                "group": status_group(status),
                "size": words,
                "size_usd_bn": usd,
                "part_of": group["part_of"].dropna().iloc[0] if group["part_of"].notna().any() else "",
                "figure_ids": tuple(group["figure_id"]),
            }
        )
    table = pd.DataFrame(records)
    table["n_steps"] = table["steps"].map(len)
    lanes = list(LANES)
    return (
        table.assign(_lane=table["lane"].map(lanes.index))
        .sort_values(["_lane", "first_reported", "event"])
        .drop(columns="_lane")
        .reset_index(drop=True)
    )


def event_status(rows: pd.DataFrame) -> str:
    """An event's latest status, never more than its weakest part: a tranche still due at its latest report keeps
    the event at that tranche's status (SoftBank's 2026 round: $20B closed, the $10B third tranche signed, F116;
    Microsoft's $13B committed, F014, signed beside the $11.8B funded)."""
    status = str(latest(rows, ["event"]).iloc[-1]["status"])
    newest = rows[rows["reported_on"].eq(rows["reported_on"].max())]
    # a commitment reported with the payments (a tranche due, or a filed total committed beside what was funded)
    due = newest[newest["basis"].eq("committed")]
    paid = set(rows.loc[rows["basis"].eq("funded"), "period"])
    weaker = [s for s, p in zip(due["status"], due["period"], strict=True) if p not in paid and s in FIRM_STATUSES]
    if status in FIRM_STATUSES and weaker:
        return min([status, *weaker], key=FIRM_STATUSES.index)
    return status


def deal_name(rows: pd.DataFrame, lane: str) -> str:
    """An event's name for a reader; a loan OpenAI is no party to (SoftBank borrowing to pay for its stake, F175) is
    named as the borrower's own, so it cannot read as money lent to OpenAI."""
    parties = pd.concat([rows["subject"], rows["counterparty"].fillna("")])
    if lane == "Loans" and not parties.str.contains("OpenAI").any():
        borrower = str(rows["counterparty"].dropna().iloc[-1])
        return f"{borrower}'s own loan for its OpenAI stake"
    name = str(rows["deal"].iloc[0])
    if rows["metric"].eq("cumulative_amount").all() and "total" not in name:
        # a running total (SoftBank's $2.2B to Apr 2025, F039) overlaps the deals it adds up: named as a total to
        # its date, not as an event of the year in its name
        bare = re.sub(r"\s*\(\d{4}\)$", "", name)
        return f"{bare}, total to {rows['reported_on'].max():%b %Y}"
    return name


def _party(rows: pd.DataFrame) -> str:
    """Who OpenAI deals with in an event: the other side of its first row with a counterparty ('' for a tender)."""
    for subject, counterparty in zip(rows["subject"], rows["counterparty"].fillna(""), strict=True):
        other = counterparty if subject.startswith("OpenAI") else subject
        if other and other != "OpenAI":
            return other
    return ""


def step_rows(figures: pd.DataFrame, table: pd.DataFrame, last_only: bool = False) -> pd.DataFrame:
    """The ledger rows behind the status steps of the events in `table` (each step's report, every row that day);
    with `last_only`, only the step that set each event's latest status."""
    rows = event_rows(figures)
    keys = {
        (e, d)
        for e, steps in zip(table["event"], table["steps"], strict=True)
        for d in (steps["reported_on"].tail(1) if last_only else steps["reported_on"])
    }
    return rows[[(e, d) in keys for e, d in zip(rows["event"], rows["reported_on"], strict=True)]]


def label_order(table: pd.DataFrame) -> list[str]:
    """Events in the order they deserve a label: the largest $ size first, then those with most status steps."""
    ranked = table.assign(_neg_size=-table["size_usd_bn"], _neg_steps=-table["n_steps"])
    return list(ranked.sort_values(["_neg_size", "_neg_steps", "first_reported"])["event"])


def label_words(row: pd.Series) -> str:
    """The words beside an event on the chart, its latest status in words (no key needed), then its size:
    'AWS expansion: announced, $100B'; a share sale names its buyer when its name does not, so the party is in
    words and not only in colour: 'Early-2025 employee share sale to SoftBank: press report, about $1B'."""
    name, party = short_name(row["deal"]), row.get("party", "")
    if row.get("lane") == "Share sales and stakes" and party and "," not in party and party not in name:
        name += f" to {party}"
    status = STATUS_NAMES[row["status"]] + part_words(row)
    return f"{name}: {status}, {row['size']}" if row["size"] else f"{name}: {status}"


def part_words(row: pd.Series) -> str:
    """When the event's latest status is weaker than its last step (a closed tranche, the rest only signed), the
    last step named beside it, so the chart's label and the table's path say one thing: ', part closed'."""
    steps = row.get("steps")
    if not isinstance(steps, pd.DataFrame) or steps.empty or steps["status"].iloc[-1] == row["status"]:
        return ""
    return f", part {STATUS_NAMES[steps['status'].iloc[-1]]}"


def event_table(table: pd.DataFrame, on_chart: pd.Series, sources: pd.DataFrame, figures: pd.DataFrame) -> Published:
    """Every event of the timeline in a reader's table: kind, name, who, size, status path, how the chart shows it
    (`on_chart`, by event: labelled, marker only, not drawn) and its sources."""
    out = pd.DataFrame(
        {
            "kind": table["lane"],
            "event": table["deal"],
            "with": table["party"].replace("", "—"),
            "latest size": table["size"].replace("", "—"),
            "status, report by report": table["path"],
            "on the chart": table["event"].map(on_chart).to_numpy(),
            "sources": [_cited(figures, ids, sources) for ids in table["figure_ids"]],
        }
    )
    return publish(out)


def _cited(figures: pd.DataFrame, figure_ids: tuple[str, ...], sources: pd.DataFrame) -> str:
    """The outlets and dates behind an event's rows, as the ledger table cites them."""
    ids = sources_of(figures[figures["figure_id"].isin(figure_ids)])
    return "; ".join(cited(pd.Series([";".join(ids)]), sources))


def running_totals(figures: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """The events of `table` that are only a running total (Microsoft's total investment): their money repeats that
    of other events, so a count of them is a count of events, not of separate deals."""
    metrics = event_rows(figures).groupby("event")["metric"].agg(set)
    only_total = table["event"].map(metrics).map(lambda m: m == {"cumulative_amount"})
    return list(table.loc[only_total, "deal"])


def status_finding(drawn: pd.DataFrame) -> dict[str, object]:
    """What the drawn events did, for the chart's title (counted on the events drawn, never on the table): how many,
    which began as talks or press reports and are now announced, signed or closed, and which lapsed."""
    first_group = drawn["steps"].map(lambda s: status_group(s["status"].iloc[0]))
    firmed = drawn[first_group.eq("tentative") & drawn["group"].eq("firm")]
    lapsed = drawn[drawn["group"].eq("lapsed")]
    return {
        "drawn": len(drawn),
        "changes": int((drawn["n_steps"] - 1).sum()),
        "moved": int(drawn["n_steps"].gt(1).sum()),
        "firmed": [short_name(d) for d in firmed["deal"]],
        "lapsed": [short_name(d) for d in lapsed["deal"]],
        # the ledger's word for how each lapsed (superseded, stalled), so the title says what the label says
        "lapsed_how": [STATUS_NAMES[s["status"].iloc[-1]] for s in lapsed["steps"]],
        "firm": int(drawn["group"].eq("firm").sum()),
    }


def finding_title(drawn: pd.DataFrame, as_of: pd.Timestamp) -> str:
    """The timeline's title as a finding, counted on what is drawn: '7 of the 35 events drawn went from talks or
    press reports to announced, signed or closed by 1 Jul 2026; the Nvidia chip letter of intent was superseded'
    (the ledger's word for how it lapsed)."""
    found = status_finding(drawn)
    lapsed = found["lapsed"]
    tail = ""
    if lapsed:
        named = _listed([f"the {name} was {how}" for name, how in zip(lapsed, found["lapsed_how"], strict=True)])
        if len(lapsed) <= 2:
            return (
                f"{len(found['firmed'])} of the {found['drawn']} events drawn went from talks or press reports to "
                f"announced, signed or closed by {as_of:%-d %b %Y}; {named}"
            )
        tail = f"; {named} lapsed" if len(lapsed) <= 2 else f"; {len(lapsed)} lapsed"
    return (
        f"{len(found['firmed'])} of the {found['drawn']} events drawn went from talks or press reports to announced, "
        f"signed or closed by {as_of:%-d %b %Y}{tail}"
    )


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def timeline_sentence(table: pd.DataFrame) -> str:
    """The takeaway: how many events moved status, how many ended firm, how many still rest on talks or reports."""
    moved = table[table["n_steps"] > 1]
    firm = table["group"].eq("firm").sum()
    tentative = table["group"].eq("tentative").sum()
    lapsed = table["group"].eq("lapsed").sum()
    from_talks = moved[moved["steps"].map(lambda s: status_group(s["status"].iloc[0]) == "tentative")]
    firm_now = from_talks[from_talks["group"].eq("firm")]
    return (
        f"Of the {len(table)} events in the table below, {len(moved)} changed status between reports; {len(firm_now)} "
        f"of those began as {tentative_words(from_talks['steps'].map(lambda s: s['status'].iloc[0]))} and ended "
        f"{firm_words()}. By {table['last_reported'].max():%-d %b %Y}, {firm} were firm, {tentative} rested on "
        f"{tentative_words(table.loc[table['group'].eq('tentative'), 'status'])}, and {lapsed} had lapsed."
    )
