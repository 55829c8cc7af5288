"""Who pays whom (notebook 03): every money edge between OpenAI and ten partners, one row per edge, with its
direction, status group, bound and the ledger rows behind it. Built on flows.py's stakes and chips-behind rules.

Equity, conditional equity, pledges, shares and warrants point into OpenAI; cloud, chips and loans point out of it.
An edge nested inside another (cloud capacity that runs on a chip maker's chips, bought through a cloud vendor)
is kept as an edge but never counted twice: `counted` is False and `nested_in` says where its money is.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.analysis import compute, flows, funding
from helpers.data.views import cited, latest, sources_of, stated
from helpers.data.vocabulary import (
    BOUND_OF_QUALIFIER,
    FIRM_STATUSES,
    LAPSED_STATUSES,
    MONEY_KINDS,
    STATUS_NAMES,
    status_group,
)
from helpers.notebook.tables import money

# the ten companies of the chart, in the order a reader meets them: investors that also sell, then suppliers
PARTNERS = ("Microsoft", "Amazon", "Nvidia", "SoftBank", "Oracle", "CoreWeave", "AMD", "Broadcom", "Cerebras", "Google")
TO_OPENAI, FROM_OPENAI = "to OpenAI", "from OpenAI"
KIND_OF_CATEGORY = {"cloud_commitment": "cloud", "chip_commitment": "chips", "infrastructure": "data centres"}
STAKE_KINDS = {"stake_value": "shares", "warrant_shares": "warrant", "loan": "loan"}
# A warrant is shares OpenAI may earn, not shares it holds: each vests only as its deal is carried out (F072, F179),
# so it is drawn as conditional with the condition in words. An event here without a warrant row is simply unused.
WARRANT_VESTING = {
    "amd": "vesting as chips are bought",
    "cerebras": "vesting in full only if OpenAI buys all the capacity",
}
# the words for a revenue share's cap when no ledger row gives its size (the companies announced a cap on F181's
# payments without its size); a row of metric revenue_share_amount (F187) replaces them. Words only: the edge always
# takes its share row's status, so the chart never overrules the ledger
SHARE_TERMS = {"microsoft-amendment-2026": "under a total cap of undisclosed size"}
GROUP_WORDS = {"firm": "firm", "tentative": "tentative", "lapsed": "lapsed", "conditional": "conditional"}
EDGE_COLUMNS = [
    "company",
    "direction",
    "kind",
    "group",
    "status",
    "amount",
    "bound",
    "floor_usd_bn",
    "value_usd_bn",
    "counted",
    "paid_usd_bn",
    "nested_in",
    "label",
    "figure_ids",
]


def _edge(company: str, direction: str, kind: str, group: str, status: str, amount: str, bound: str, **extra) -> dict:
    """One edge as a dict of EDGE_COLUMNS (the floor is what a total may add; 0 for a ceiling or a non-$ unit)."""
    row = {
        "company": company,
        "direction": direction,
        "kind": kind,
        "group": group,
        "status": status,
        "amount": amount,
        "bound": bound,
        "floor_usd_bn": 0.0,
        "value_usd_bn": float("nan"),
        "counted": True,
        "paid_usd_bn": 0.0,
        "nested_in": "",
        "figure_ids": (),
    }
    return row | extra


def equity_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """Equity into OpenAI per partner, in the money box's groups: firm (paid in and committed), conditional, talks."""
    investors = funding.investor_summary(figures)
    deals = funding.investor_deals(figures)
    undisclosed = deals[deals["total_usd_bn"].isna()].assign(group=lambda d: d["status"].map(status_group))
    used = figures[figures["reading"].eq("used") & figures["category"].isin(["equity_investment", "funding_round"])]
    edges = []
    for company in [c for c in partners if c in investors.index]:
        row = investors.loc[company]
        # the rows the totals rest on: each deal's latest report per part and payment, not every earlier talk
        mine = used[used["subject"].eq(company)]
        ids = tuple(latest(mine, ["event", "metric", "basis", "period"]).sort_values("figure_id")["figure_id"])
        unconditional = float(row["committed_usd_bn"] - row["conditional_usd_bn"])
        near = "about " if row["approximate"] else ""
        if unconditional > 0:
            amount = f"{near}{money(unconditional)}"
            counted_by_it, its_ids = own_count(figures, company, unconditional)
            mine_deals = deals[deals["investor"].eq(company)]
            status = firm_status(figures, company, mine_deals)
            # funding's one rule: paid in is reported payments and rounds or tranches that closed (02 says the same)
            paid = min(float(row["paid_in_usd_bn"]), unconditional)
            extra = [paid_words(paid, unconditional, due_words(figures, company)), *counted_by_it]
            # an undisclosed deal is its own edge at its own status (below); only a firm one makes this a floor
            firm_undisclosed = undisclosed["investor"].eq(company) & undisclosed["group"].eq("firm")
            edges.append(
                _edge(
                    company,
                    TO_OPENAI,
                    "equity",
                    "firm",
                    status,
                    amount,
                    "about" if near else ("at_least" if firm_undisclosed.any() else "exact"),
                    floor_usd_bn=unconditional,
                    paid_usd_bn=paid,
                    detail="; ".join(extra),
                    figure_ids=tuple(dict.fromkeys(ids + its_ids)),
                )
            )
        if row["conditional_usd_bn"] > 0:
            terms = funding.conditions(figures)
            terms = terms[terms["investor"].eq(company)]
            edges.append(
                _edge(
                    company,
                    TO_OPENAI,
                    "equity",
                    "conditional",
                    # the conditional tranche's own status (F089 signed), not a status typed here
                    str(terms["status"].iloc[-1]),
                    money(row["conditional_usd_bn"]),
                    "exact",
                    value_usd_bn=float(row["conditional_usd_bn"]),
                    detail="due only " + "; ".join(terms["condition"]),
                    figure_ids=tuple(dict.fromkeys(ids + tuple(terms["figure_id"]))),
                )
            )
        if row["tentative_usd_bn"] > 0:
            edges.append(
                _edge(
                    company,
                    TO_OPENAI,
                    "equity",
                    "tentative",
                    "in_talks",
                    money(row["tentative_usd_bn"]),
                    "exact",
                    figure_ids=ids,
                )
            )
        for _, deal in undisclosed[undisclosed["investor"].eq(company)].iterrows():
            rows = used[used["event"].eq(deal["event"]) & used["subject"].eq(company)]
            within = deal["part_of"] if isinstance(deal["part_of"], str) else deal["event"]
            edges.append(
                _edge(
                    company,
                    TO_OPENAI,
                    "equity",
                    deal["group"],
                    deal["status"],
                    "amount undisclosed",
                    "unknown",
                    detail=f"in the {_event_words(figures, within)}",
                    figure_ids=tuple(latest(rows, ["event"])["figure_id"]),
                )
            )
    return edges


def firm_status(figures: pd.DataFrame, company: str, deals: pd.DataFrame) -> str:
    """The least advanced status among an investor's firm deals with money, its tranches still due (SoftBank's $10B
    third tranche, signed, F116) and its filed commitment, so the words never claim more than the weakest part:
    Nvidia's $30B announced, SoftBank's third tranche signed."""
    firm = deals[deals["status"].isin(FIRM_STATUSES) & (deals["floor_usd_bn"] - deals["conditional_usd_bn"]).gt(0)]
    filed = funding.filed_totals(figures)
    filed = filed[filed["investor"].eq(company) & filed["basis"].eq("committed")]
    if not filed.empty:
        # a filed commitment replaces the press-reported sizes of deals outside rounds (funding.investor_summary)
        firm = firm[firm["part_of"].notna()]
    due = funding.unpaid_tranches(figures)
    due = due[due["investor"].eq(company) & due["status"].isin(FIRM_STATUSES)]
    statuses = [*firm["status"], *filed["status"], *due["status"]]
    return min(statuses, key=FIRM_STATUSES.index) if statuses else "closed"


def due_words(figures: pd.DataFrame, company: str) -> str:
    """When an investor's tranches still due fall due, from the ledger ('due Oct 2026'); '' when none is dated."""
    due = funding.unpaid_tranches(figures)
    months = list(dict.fromkeys(f"{d:%b %Y}" for d in due.loc[due["investor"].eq(company), "due_on"]))
    return f"due {' and '.join(months)}" if months else ""


def paid_words(paid_usd_bn: float, firm_usd_bn: float, due: str = "") -> str:
    """What is paid and what is not, in 02's words (funding.PAID_IN, funding.COMMITTED) and with the arrow's tint:
    '$11.8B paid in, $1.2B committed, not yet paid'; '$15B paid in'; '$50.5B paid in, $10B committed, due Oct 2026'."""
    rest = firm_usd_bn - paid_usd_bn
    words = [f"{money(paid_usd_bn)} {funding.PAID_IN}"] if paid_usd_bn > 0 else []
    if rest > 0.05:
        # 'committed' alone already means not yet paid in 02's glossary: the due date takes the place of the gloss
        words.append(f"{money(rest)} " + (f"{MONEY_KINDS['unpaid_usd_bn'][0]}, {due}" if due else funding.COMMITTED))
    return ", ".join(words)


def own_count(figures: pd.DataFrame, company: str, total_usd_bn: float) -> tuple[list[str], tuple[str, ...]]:
    """An investor's own total when it is above the deals summed here (SoftBank's $64.6B counts earlier purchases
    the ledger does not itemise), with what it says it had invested by then: both figures are shown, neither hidden."""
    rows = figures[
        figures["reading"].eq("used")
        & figures["metric"].eq("cumulative_amount")
        & figures["subject"].eq(company)
        & figures["counterparty"].eq("OpenAI")
        & figures["qualifier"].map(BOUND_OF_QUALIFIER).isin(["exact", "about"])
        & figures["status"].map(status_group).eq("firm")
    ].sort_values(["reported_on", "figure_id"])
    totals, funded = rows[rows["basis"].isna()], rows[rows["basis"].eq("funded")]
    if totals.empty or not float(totals.iloc[-1]["value"]) > total_usd_bn + 0.05:
        return [], ()
    words = f"{company} counts {stated(totals.iloc[-1])} with earlier purchases"
    if not funded.empty:
        paid = funded.iloc[-1]
        when = pd.Period(paid["period"], "M").strftime("%b %Y") if pd.notna(paid["period"]) else ""
        words += f" ({stated(paid)} invested" + (f" by {when})" if when else ")")
    return [words], (totals.iloc[-1]["figure_id"], *funded["figure_id"].tail(1))


def _event_words(figures: pd.DataFrame, event: str) -> str:
    """A deal's reader name ('2026 funding round'), from the ledger's deal column; the key spelled out if none."""
    names = figures.loc[figures["event"].eq(event), "deal"].dropna()
    return str(names.iloc[-1]) if not names.empty else event.replace("-", " ")


def purchase_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """OpenAI's purchase commitments per partner and status group; each deal's bound kept in the words."""
    deals = compute.commitments(figures, include_lapsed=False)
    # a part of another deal (Trainium chips inside the AWS expansion) is already inside that deal's amount
    deals = deals[deals["part_of"].isna() | deals["part_of"].eq(deals["event"])]
    deals = deals[deals["provider"].isin(partners)].assign(group=lambda d: d["status"].map(status_group))
    capacity = flows.capacity_rows(figures)
    edges = []
    for (company, group), rows in deals.groupby(["provider", "group"], sort=False):
        rows = rows.sort_values(["reported_on", "figure_id"])
        kinds = " and ".join(dict.fromkeys(rows["category"].map(KIND_OF_CATEGORY)))
        amount, bound, floor = amount_words(rows)
        gigawatts = capacity.loc[capacity["company"].eq(company) & capacity["event"].isin(rows["event"]), "words"]
        gigawatts = capacity_words(capacity.loc[gigawatts.index], rows)
        status = latest(rows, ["provider"]).iloc[-1]["status"]
        readings = other_readings(figures, rows["event"])
        edges.append(
            _edge(
                company,
                FROM_OPENAI,
                kinds,
                group,
                status,
                amount,
                bound,
                floor_usd_bn=floor,
                detail="; ".join([", ".join(gigawatts), *readings["words"]][not len(gigawatts) :]),
                figure_ids=tuple(rows["figure_id"])
                + tuple(capacity.loc[gigawatts.index, "figure_id"])
                + tuple(readings["figure_id"]),
            )
        )
    return edges


def capacity_words(capacity: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Each capacity in words, tied to its own deal's amount when the edge holds several deals (Amazon's 'about 2 GW'
    belongs to the $100B expansion, F081, not to the $38B contract): 'about 2 GW for the $100B'."""
    told = rows[rows["qualifier"].ne("undisclosed")].groupby("event").tail(1)
    amounts = dict(zip(told["event"], map(stated, (r for _, r in told.iterrows())), strict=True))
    tied = capacity["event"].map(amounts) if len(amounts) > 1 else pd.Series(dtype=object)
    return capacity["words"].where(tied.reindex(capacity.index).isna(), capacity["words"] + " for the " + tied)


def other_readings(figures: pd.DataFrame, events: pd.Series) -> pd.DataFrame:
    """A disputed size said in words: each alternative reading of a deal's total ('another report: $100B in all').
    Only a stated size disputes it: a floor ('at least $38B in all') fits every reading."""
    rows = figures[
        figures["qualifier"].map(BOUND_OF_QUALIFIER).isin(["exact", "about"])
        & figures["event"].isin(events)
        & figures["reading"].eq("alternative")
        & figures["metric"].eq("cumulative_amount")
        & figures["unit"].eq("usd_bn")
    ].sort_values("figure_id")
    return pd.DataFrame(
        {"words": [f"another report: {stated(r)} in all" for _, r in rows.iterrows()], "figure_id": rows["figure_id"]}
    )


def amount_words(rows: pd.DataFrame) -> tuple[str, str, float]:
    """Several deals' amounts in words, their combined bound and the floor a total may add: exact and 'about'
    figures are added in the floor but worded as the parts reported ('$38B, then $100B more'), never as a total no source
    gives; a 'more than' stays a floor and an 'up to' a ceiling, each named.
    A deal with a disclosed amount is one term, even when a part of it (its chips) is undisclosed."""
    told = set(rows.loc[rows["qualifier"].ne("undisclosed"), "event"])
    rows = rows[rows["qualifier"].ne("undisclosed") | ~rows["event"].isin(told)]
    disclosed = rows[rows["qualifier"].ne("undisclosed")]
    if disclosed.empty:
        return "amount undisclosed", "unknown", 0.0
    floors = funding.amount_floor(disclosed)
    bounds = disclosed["qualifier"].map(BOUND_OF_QUALIFIER)
    terms = [stated(r) for _, r in disclosed.iterrows()]
    # a sum of reported parts is the ledger's arithmetic, not a reported total: lead with the parts
    # stated parts read in order ('$38B, then $100B more'): the drawn reading, an increase on the first deal
    stated_parts = len(disclosed) > 1 and bounds.isin(["exact", "about"]).all()
    words = ", then ".join(terms) + " more" if stated_parts else " + ".join(terms)
    undisclosed = len(rows) - len(disclosed)
    if undisclosed:
        words += f" + {undisclosed} undisclosed"
    if len(set(bounds)) == 1 and not undisclosed:
        bound = str(bounds.iloc[0])
    elif bounds.eq("at_most").any():
        bound = "unknown"  # a floor plus a ceiling has no single direction: each term keeps its own in the words
    else:
        bound = "at_least"
    return words, bound, float(floors.sum())


def capacity_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """A deal OpenAI announced as capacity only, with no amount (Oracle's 4.5 GW expansion), at its own status.
    Only a deal OpenAI buys counts (OpenAI the subject): a campus that builders put up for OpenAI is not a sale."""
    priced = set(compute.commitments(figures, include_lapsed=False)["event"])
    capacity = flows.capacity_rows(figures)
    rows = capacity[
        capacity["company"].isin(partners) & ~capacity["event"].isin(priced) & capacity["subject"].eq("OpenAI")
    ]
    return [
        _edge(
            row["company"],
            FROM_OPENAI,
            KIND_OF_CATEGORY.get(row["category"], "compute"),
            status_group(row["status"]),
            row["status"],
            "amount undisclosed",
            "unknown",
            detail=row["words"],
            figure_ids=(row["figure_id"],),
        )
        for _, row in rows.iterrows()
    ]


def share_caps(figures: pd.DataFrame) -> pd.DataFrame:
    """The newest sized cap on each revenue share OpenAI pays, one row per event (metric revenue_share_amount, a
    value given): a ceiling on payments, never a payment, so nothing adds it."""
    used = figures[
        figures["reading"].eq("used")
        & figures["metric"].eq("revenue_share_amount")
        & figures["subject"].eq("OpenAI")
        & figures["value"].notna()
    ]
    return latest(used, ["event"])


def cap_words(cap: pd.Series) -> str:
    """A cap in words from its ledger row: 'a cap of $38B through 2030 (press report)'; a cap stored as a ceiling
    ('up to') is named by its size, any other bound kept in the words."""
    size = money(float(cap["high"])) if BOUND_OF_QUALIFIER.get(cap["qualifier"]) == "at_most" else stated(cap)
    when = f" through {cap['period']}" if pd.notna(cap["period"]) else ""
    return f"a cap of {size}{when} ({STATUS_NAMES[cap['status']]})"


def revenue_share_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """A share of its revenue OpenAI pays a partner (Microsoft, F181): money out of OpenAI, in percent, with the cap
    on the payments from the ledger (F187) where a row gives its size; never in a total (floor 0)."""
    used = figures[figures["reading"].eq("used") & figures["metric"].eq("revenue_share_pct")]
    rows = latest(used[used["subject"].eq("OpenAI")], ["event"])
    caps = share_caps(figures).set_index("event")
    edges = []
    for _, row in rows.iterrows():
        partner = compute.provider_of(str(row["counterparty"]))
        if partner not in partners:
            continue
        through = f"through {row['period']}" if pd.notna(row["period"]) else ""
        ids: tuple[str, ...] = (row["figure_id"],)
        if row["event"] in caps.index:
            cap = caps.loc[row["event"]]
            # the cap's own period says 'through 2030': the share's is said only when it differs
            same = pd.notna(cap["period"]) and cap["period"] == row["period"]
            terms = [through if not same else "", f"under {cap_words(cap)}"]
            ids += (cap["figure_id"],)
        else:
            terms = [through, SHARE_TERMS.get(row["event"], "")]
        edges.append(
            _edge(
                partner,
                FROM_OPENAI,
                "revenue share",
                status_group(row["status"]),
                row["status"],
                f"{stated(row)} of OpenAI's revenue",
                BOUND_OF_QUALIFIER.get(row["qualifier"], "unknown"),
                detail=", ".join(words for words in terms if words),
                figure_ids=ids,
            )
        )
    return edges


def share_note(figures: pd.DataFrame, table: pd.DataFrame) -> str:
    """The footer's words on each revenue share: its cap from the ledger, a ceiling in no sum ('Microsoft's revenue
    share is capped: a cap of $38B through 2030 (press report), ...'), or a term with no total when no size is given."""
    caps = share_caps(figures)
    words = []
    for _, edge in table[table["kind"].eq("revenue share")].drop_duplicates("company").iterrows():
        cap = caps[caps["figure_id"].isin(edge["figure_ids"])]
        if cap.empty:
            words.append(f" {edge['company']}'s revenue share is a term with no total, in no sum.")
        else:
            words.append(
                f" {edge['company']}'s revenue share runs under {cap_words(cap.iloc[-1])}: a ceiling on what OpenAI "
                "pays, not a payment, in no sum."
            )
    return "".join(words)


def stake_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """Shares and warrants a partner hands OpenAI, loans OpenAI makes to it (flows.supplier_stakes), one edge each."""
    stakes = flows.supplier_stakes(figures)
    edges = []
    for _, row in stakes[stakes["company"].isin(partners)].iterrows():
        kind = STAKE_KINDS[row["metric"]]
        amount = stated(row)
        group, detail = status_group(row["status"]), ""
        if kind == "warrant":
            if row["event"] not in WARRANT_VESTING:
                raise ValueError(
                    f"warrant {row['figure_id']} ({row['event']}) has no vesting condition in WARRANT_VESTING"
                )
            # whose shares: the partner's own, handed to OpenAI
            amount = amount.replace(" shares", f" {row['company']} shares")
            group, detail = "conditional", f"to OpenAI, {WARRANT_VESTING[row['event']]}"
        edges.append(
            _edge(
                row["company"],
                row["direction"],
                kind,
                group,
                row["status"],
                amount,
                BOUND_OF_QUALIFIER.get(row["qualifier"], "unknown"),
                # a loan is money lent, not money raised or spent, and shares are not dollars paid: no total holds them
                floor_usd_bn=0.0,
                detail=detail,
                figure_ids=(row["figure_id"],),
            )
        )
    return edges


def pledge_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """A partner's pledge to put money into OpenAI as chips are bought (Nvidia's letter of intent), at its status."""
    pledges = compute.vendor_pledges(figures)
    return [
        _edge(
            row["provider"],
            TO_OPENAI,
            "pledge",
            status_group(row["status"]),
            row["status"],
            stated(row),
            BOUND_OF_QUALIFIER.get(row["qualifier"], "unknown"),
            floor_usd_bn=0.0
            if row["status"] in LAPSED_STATUSES
            else float(funding.amount_floor(row.to_frame().T).iloc[0]),
            figure_ids=(row["figure_id"],),
        )
        for _, row in pledges[pledges["provider"].isin(partners)].iterrows()
    ]


def nested_edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> list[dict]:
    """Cloud capacity OpenAI buys from one partner that runs on another's chips (flows.CHIPS_BEHIND): a note beside
    the chip maker, not a payment to it; the money is inside the cloud vendor's edge and never counted again."""
    deals = compute.commitments(figures, include_lapsed=False)
    edges = []
    for event, (chip_maker, figure_id) in flows.CHIPS_BEHIND.items():
        rows = deals[deals["event"].eq(event)]
        if rows.empty or chip_maker not in partners:
            continue
        row = rows.iloc[-1]
        vendor = row["provider"]
        # OpenAI pays the cloud vendor, not the chip maker: the edge is a note on the vendor's contract, not a payment
        edges.append(
            _edge(
                chip_maker,
                FROM_OPENAI,
                "note",
                status_group(row["status"]),
                row["status"],
                stated(row),
                BOUND_OF_QUALIFIER.get(row["qualifier"], "unknown"),
                counted=False,
                nested_in=f"{vendor}'s {stated(row)} {KIND_OF_CATEGORY.get(row['category'], 'compute')} contract",
                figure_ids=tuple(dict.fromkeys([row["figure_id"], figure_id])),
            )
        )
    return edges


def edges(figures: pd.DataFrame, partners: tuple[str, ...] = PARTNERS) -> pd.DataFrame:
    """Every edge between OpenAI and the partners, ordered by partner then into OpenAI first, with its label."""
    rows = (
        equity_edges(figures, partners)
        + pledge_edges(figures, partners)
        + stake_edges(figures, partners)
        + purchase_edges(figures, partners)
        + capacity_edges(figures, partners)
        + revenue_share_edges(figures, partners)
        + nested_edges(figures, partners)
    )
    table = pd.DataFrame(rows).reindex(columns=[*EDGE_COLUMNS, "detail"])
    table["detail"] = table["detail"].fillna("")
    table["label"] = [edge_label(r) for _, r in table.iterrows()]
    order = {
        "company": table["company"].map(partners.index),
        "side": table["direction"].eq(FROM_OPENAI).astype(int),
        "nested": (~table["counted"]).astype(int),
    }
    table = table.assign(**{f"_{k}": v for k, v in order.items()})
    table = table.sort_values(["_company", "_side", "_nested"], kind="stable")
    return table.drop(columns=[f"_{k}" for k in order]).reset_index(drop=True)


def edge_label(edge: pd.Series) -> str:
    """The words beside an edge: amount (its bound kept), what it is, the status and its group.
    '$250B cloud, announced (firm)'; '$35B equity, conditional'; 'up to $100B pledge, superseded (lapsed)'."""
    if edge["kind"] == "revenue share":
        when = f", {edge['detail']}" if edge["detail"] else ""
        return f"{edge['amount']} to {edge['company']}{when}; {STATUS_NAMES[edge['status']]} ({GROUP_WORDS[edge['group']]})"
    kind = {"warrant": "warrant for", "loan": "loan", "shares": "in shares"}.get(edge["kind"], edge["kind"])
    amount = edge["amount"]
    if amount.startswith("a ") or amount == "amount undisclosed":
        what = f"{kind}, {amount}" if amount == "amount undisclosed" else f"{amount} {kind}"
    elif edge["kind"] == "warrant":
        what = f"{kind} {amount}"
    else:
        total, _, breakdown = amount.partition(" (")
        what = f"{total} {kind}" + (f" ({breakdown}" if breakdown else "")
    if edge["group"] == "conditional" and edge["kind"] == "equity":
        # the condition is named beside the money it holds back: '$35B equity, signed, conditional: due only if ...'
        return re.sub(r"\s+", " ", f"{what}, {STATUS_NAMES[edge['status']]}, conditional: {edge['detail']}")
    if edge["group"] == "conditional":
        status = "conditional"
    else:
        status = f"{STATUS_NAMES[edge['status']]} ({GROUP_WORDS[edge['group']]})"
    if edge["nested_in"]:
        vendor = edge["nested_in"].split("'s ")[0]
        return f"not a payment: {edge['nested_in']} runs on its chips; counted once, as paid to {vendor}"
    if edge["kind"] == "warrant":
        # the condition is the point of a warrant: said before its status, which the group keeps
        return f"{what}, {edge['detail']}; {STATUS_NAMES[edge['status']]} (conditional)"
    words = f"{what}, {status}"
    if edge["detail"] and edge["group"] != "conditional":
        words += f"; {edge['detail']}"
    return re.sub(r"\s+", " ", words)


# Deals in the ledger near these partners that the chart leaves out, and why (said in the chart's note)
LEFT_OUT = {
    "stargate": "a joint venture that builds for OpenAI, not a partner's sale to it",
    "stargate-michigan": "a campus builders put up inside Oracle's expansion",
}


def left_out(figures: pd.DataFrame) -> str:
    """The deals the chart leaves out, by their ledger names, with the reason: 'Stargate data centres (a joint ...)'."""
    present = [e for e in LEFT_OUT if figures["event"].eq(e).any()]
    return _listed([f"{_event_words(figures, e)} ({LEFT_OUT[e]})" for e in present]) if present else ""


def edge_sources(figures: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Source ids of every ledger row behind the edges."""
    ids = {i for row in table["figure_ids"] for i in row}
    return sources_of(figures[figures["figure_id"].isin(ids)])


def edge_citations(figures: pd.DataFrame, sources: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Each edge's sources as readers read them (outlet, date), for the chart's data file: the full source list the
    chart's short footer points to."""
    words = []
    for ids in table["figure_ids"]:
        found = sources_of(figures[figures["figure_id"].isin(ids)])
        words.append("; ".join(cited(pd.Series([";".join(found)]), sources)) if found else "")
    return words


def as_of(figures: pd.DataFrame) -> pd.Timestamp:
    """The newest report in the ledger: the date the chart's figures are as of."""
    return figures["reported_on"].max()


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
