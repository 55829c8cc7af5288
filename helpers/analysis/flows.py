"""Notebook 03's money that flows both ways: equity and stakes into OpenAI from companies it buys from, OpenAI's
purchases back, the capacity behind them and the cloud capacity that runs on a company's chips. Never netted."""

from __future__ import annotations

import re

import pandas as pd

from helpers.analysis import compute, funding
from helpers.data.views import describe_value, latest, sources_of, stated
from helpers.data.vocabulary import COMPUTE_PROVIDERS, FIRM_STATUSES, LAPSED_STATUSES, LOWER_BOUND_QUALIFIERS
from helpers.notebook.tables import money

# Cloud capacity whose chips come from another company, as the ledger row cited reports it (F075: "Nvidia GPU
# capacity on AWS"). Keyed by deal; the chip maker earns from OpenAI's purchase without a contract of its own.
CHIPS_BEHIND = {"aws-2025": ("Nvidia", "F075")}


# What a supplier hands OpenAI (shares, warrants) or OpenAI lends a supplier: value flows back, not purchases.
STAKE_METRICS = ("stake_value", "warrant_shares", "loan")


def supplier_stakes(figures: pd.DataFrame) -> pd.DataFrame:
    """Shares, warrants and loans between OpenAI and its compute suppliers, one row each (latest report):
    `company`, `direction` ('to OpenAI' for shares and warrants it receives, 'from OpenAI' for a loan it makes)
    and the figure in words."""
    used = figures[(figures["reading"] == "used") & figures["metric"].isin(STAKE_METRICS)]
    # OpenAI holds the shares (subject), is granted the warrant (counterparty), makes the loan (subject)
    holder = used["counterparty"].where(used["metric"].eq("warrant_shares"), used["subject"])
    used = used[holder.eq("OpenAI")]
    other = used["counterparty"].where(used["subject"].eq("OpenAI"), used["subject"])
    rows = used.assign(company=other.fillna("").map(compute.provider_of))
    rows = rows[rows["company"].isin(COMPUTE_PROVIDERS)]
    rows = latest(rows, ["event", "metric"])
    kind = {"stake_value": "shares worth", "warrant_shares": "a warrant for", "loan": "a loan of"}
    words = [
        f"{kind[r.metric]} {describe_value(r.value, r.qualifier, r.low, r.high, r.unit)}" for r in rows.itertuples()
    ]
    direction = ["from OpenAI" if m == "loan" else "to OpenAI" for m in rows["metric"]]
    return rows.assign(words=words, direction=direction).sort_values(["company", "reported_on"])


def capacity_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The capacity (GW) reported behind each supplier's deals, latest report per deal, with the company."""
    used = figures[(figures["reading"] == "used") & figures["metric"].eq("capacity")]
    other = used["counterparty"].where(used["subject"].eq("OpenAI"), used["subject"])
    rows = used.assign(company=other.fillna("").map(compute.provider_of))
    rows = latest(rows[rows["company"].isin(COMPUTE_PROVIDERS)], ["event"])
    # capacity of a deal that stalled or was replaced is not capacity behind a deal
    deal_status = latest(figures[figures["reading"] == "used"], ["event"]).set_index("event")["status"]
    rows = rows[~rows["event"].map(deal_status).isin(LAPSED_STATUSES)]
    return rows.assign(words=[stated(r) for _, r in rows.iterrows()]).sort_values(["company", "reported_on"])


def two_way_flows(
    commitment_rows: pd.DataFrame,
    pledges: pd.DataFrame,
    investors: pd.DataFrame,
    figures: pd.DataFrame | None = None,
    companies: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Every company money flows both ways with: equity put into OpenAI, shares or warrants handed to OpenAI,
    loans from OpenAI, purchases OpenAI committed back, capacity behind them, and purchases of capacity built
    on its chips (indirect). Different kinds of money side by side, never netted.

    Companies, unless given: investors that sell to OpenAI, suppliers that hand it shares or warrants, and chip
    makers whose chips are behind a cloud deal. Invested is split into paid in, unconditional and conditional.
    """
    active = commitment_rows[~commitment_rows["status"].isin(LAPSED_STATUSES)]
    stakes = (
        supplier_stakes(figures) if figures is not None else pd.DataFrame(columns=["company", "words", "direction"])
    )
    capacity = capacity_rows(figures) if figures is not None else pd.DataFrame(columns=["company", "words"])
    indirect = active[active["event"].isin(CHIPS_BEHIND)].assign(
        chip_maker=lambda rows: rows["event"].map(lambda e: CHIPS_BEHIND[e][0])
    )
    if companies is None:
        sellers = set(active["provider"]) | set(pledges["provider"]) | set(indirect["chip_maker"])
        both = (set(investors.index) & sellers) | set(stakes["company"])
        companies = tuple(sorted(both, key=lambda c: COMPUTE_PROVIDERS.index(c)))
    # purchases at their floor: an 'up to' adds nothing to the sum and is kept apart as a ceiling
    active = active.assign(_floor=funding.amount_floor(active), _above=active["value"] - funding.amount_floor(active))
    # the part of the floor that rests on press reports or talks: hatched in the chart, named in words
    active = active.assign(_press=active["_floor"].where(~active["status"].isin(FIRM_STATUSES), 0.0))
    back = active.groupby("provider")[["_floor", "_above", "_press"]].sum()
    back.columns = ["committed_back_usd_bn", "back_up_to_usd_bn", "back_press_usd_bn"]
    back["undisclosed_back"] = compute.undisclosed(active).groupby("provider")["value"].size()
    lapsed = pledges[pledges["status"].isin(LAPSED_STATUSES)].groupby("provider")["value"].sum()
    table = pd.DataFrame(index=pd.Index(list(companies), name="company"))
    invested = (investors["committed_usd_bn"] + investors["tentative_usd_bn"]).reindex(table.index).fillna(0.0)
    table["invested_usd_bn"] = invested
    table["invested_conditional_usd_bn"] = investors["conditional_usd_bn"].reindex(table.index).fillna(0.0)
    table["invested_unconditional_usd_bn"] = table["invested_usd_bn"] - table["invested_conditional_usd_bn"]
    table["paid_in_usd_bn"] = investors["paid_in_usd_bn"].reindex(table.index).fillna(0.0)
    table["paid_as_of"] = investors["paid_as_of"].reindex(table.index)
    table["invested_about"] = investors["approximate"].reindex(table.index).fillna(False).astype(bool)
    table = table.join(back).join(lapsed.rename("lapsed_pledge_usd_bn"))
    table["indirect_usd_bn"] = indirect.groupby("chip_maker")["value"].sum().reindex(table.index)
    press_indirect = indirect[~indirect["status"].isin(FIRM_STATUSES)]
    table["indirect_press_usd_bn"] = press_indirect.groupby("chip_maker")["value"].sum().reindex(table.index)
    table = table.fillna(
        {
            "committed_back_usd_bn": 0.0,
            "back_up_to_usd_bn": 0.0,
            "back_press_usd_bn": 0.0,
            "indirect_press_usd_bn": 0.0,
            "undisclosed_back": 0,
            "lapsed_pledge_usd_bn": 0.0,
            "indirect_usd_bn": 0.0,
        }
    )
    table["undisclosed_back"] = table["undisclosed_back"].astype(int)
    # a floor summed from a 'more than' figure is itself a floor, and says so
    floors = active[active["qualifier"].isin(LOWER_BOUND_QUALIFIERS)]["provider"]
    table["back_more_than"] = table.index.isin(floors)
    table["to_openai"] = [_joined(stakes, c, "to OpenAI") for c in table.index]
    table["from_openai"] = [_joined(stakes, c, "from OpenAI") for c in table.index]
    table["capacity"] = [_joined(capacity, c) for c in table.index]
    table["indirect_via"] = ["; ".join(indirect.loc[indirect["chip_maker"].eq(c), "deal"]) for c in table.index]
    return table


def flow_table(flows: pd.DataFrame) -> pd.DataFrame:
    """The two-way flows as a reader's table, in the money box's words; money in and money back never netted."""
    return pd.DataFrame(
        {
            "equity_raised_usd_bn": flows["invested_unconditional_usd_bn"],
            "of_which_paid_in_usd_bn": flows["paid_in_usd_bn"],
            "conditional_usd_bn": flows["invested_conditional_usd_bn"],
            "shares_or_warrants_to_OpenAI": flows["to_openai"],
            "loans_from_OpenAI": flows["from_openai"],
            "purchases_committed_usd_bn": flows["committed_back_usd_bn"],
            "purchases_up_to_usd_bn": flows["back_up_to_usd_bn"],
            "purchases_undisclosed": flows["undisclosed_back"],
            "capacity_behind_its_deals": flows["capacity"],
            "cloud_capacity_on_its_chips_usd_bn": flows["indirect_usd_bn"],
        },
        index=flows.index,
    )


def _joined(rows: pd.DataFrame, company: str, direction: str | None = None) -> str:
    """The words of a company's rows, joined ('warrant for up to 160 AMD shares; ...'), or ''."""
    mine = rows[rows["company"].eq(company)]
    if direction is not None:
        mine = mine[mine["direction"].eq(direction)]
    return "; ".join(mine["words"])


def flow_sources(figures: pd.DataFrame, flows: pd.DataFrame | None = None) -> list[str]:
    """Source ids behind the two-way flows: equity, purchases, pledges, stakes, capacity and chips behind."""
    companies = tuple(flows.index) if flows is not None else ("Microsoft", "Amazon", "Nvidia")
    deals = compute.commitments(figures)
    money_in = figures[figures["category"].eq("equity_investment") & figures["subject"].str.startswith(companies)]
    stakes, capacity = supplier_stakes(figures), capacity_rows(figures)
    chips = figures[figures["figure_id"].isin([figure for _, figure in CHIPS_BEHIND.values()])]
    parts = [deals[deals["provider"].isin(companies)], money_in, compute.vendor_pledges(figures), chips]
    parts += [stakes[stakes["company"].isin(companies)], capacity[capacity["company"].isin(companies)]]
    return sources_of(pd.concat(parts))


def flow_sentence(flows: pd.DataFrame, commitment_rows: pd.DataFrame | None = None) -> str:
    """Per company, in the money box's words: equity in (paid in, committed, conditional), shares or warrants
    handed to OpenAI, purchases committed back with the capacity behind them, and indirect purchases. Never netted."""
    lines = []
    for company, row in flows.iterrows():
        near = "about " if row.get("invested_about", False) else ""
        parts = []
        if row["invested_usd_bn"] > 0:
            paid = (
                f"{money(row['paid_in_usd_bn'])} paid in by {row['paid_as_of']:%b %Y}"
                if row["paid_in_usd_bn"] > 0
                else "none paid in yet"
            )
            unconditional = row["invested_unconditional_usd_bn"]
            if row["invested_conditional_usd_bn"] > 0 and row["paid_in_usd_bn"] >= unconditional:
                # everything without conditions is paid: 'committed' would fold the conditional money in
                invested = f"**{company}**: {paid}"
            else:
                invested = f"**{company}** committed {near}{money(unconditional)} ({paid})"
            if row["invested_conditional_usd_bn"] > 0:
                invested += f"; {money(row['invested_conditional_usd_bn'])} conditional"
            parts.append(invested)
        else:
            parts.append(f"**{company}** put no money into OpenAI")
        if row.get("to_openai"):
            parts.append(f"handed OpenAI {row['to_openai']}")
        if row.get("from_openai"):
            parts.append(f"took {row['from_openai']} from OpenAI")
        back = _back_words(row, company, commitment_rows)
        lines.append("- " + "; ".join(parts) + f". {back}.")
    lines.append(
        "\nA stake bought once and a purchase commitment paid over years are different kinds of money, so they "
        "sit side by side here and are not netted against each other."
    )
    return "\n".join(lines)


def _back_words(row: pd.Series, company: str, commitment_rows: pd.DataFrame | None) -> str:
    """What OpenAI committed to buy from a company, the capacity behind it, and what it buys on its chips."""
    if row["committed_back_usd_bn"] > 0:
        told = "press reports say " if row.get("back_press_usd_bn", 0) >= row["committed_back_usd_bn"] else ""
        back = f"{told.capitalize()}OpenAI committed to buy {back_bound(row)}"
        back += f"{money(row['committed_back_usd_bn'])} from it"
        if row["back_up_to_usd_bn"]:
            back += f", plus up to {money(row['back_up_to_usd_bn'])} more"
        if commitment_rows is not None:
            deals = commitment_rows[
                commitment_rows["provider"].eq(company)
                & commitment_rows["value"].notna()
                & ~commitment_rows["status"].isin(LAPSED_STATUSES)
            ]
            back += " (" + "; ".join(_deal_words(d) for _, d in deals.iterrows()) + ")"
    else:
        back = "OpenAI has no direct purchase commitment with a disclosed amount to it"
    if row["undisclosed_back"]:
        back += f", plus {int(row['undisclosed_back'])} deal{'s' if row['undisclosed_back'] > 1 else ''} of undisclosed value"
    if row.get("capacity"):
        back += f"; capacity behind its deals: {row['capacity']}"
    if row["indirect_usd_bn"] > 0:
        back += f"; the {row['indirect_via']}, {money(row['indirect_usd_bn'])}, buys capacity that runs on its chips"
    if row["lapsed_pledge_usd_bn"] > 0:
        back += f"; its pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed"
    return back


def back_bound(row: pd.Series) -> str:
    """'more than ' before a purchase total that holds a 'more than' figure, else ''."""
    return "more than " if row.get("back_more_than", False) else ""


def _deal_words(row: pd.Series) -> str:
    term = f"over {int(row['term_years'])} years" if pd.notna(row["term_years"]) else "term not reported"
    made = deal_month(row)
    if made and made != f"{row['reported_on']:%b %Y}":
        # the deal was made earlier than the report that gives its status (Cerebras: Jan 2026, its S-1 in Apr 2026)
        verb = "" if row["status"] == "reported" else f" {status_word(row['status'])}"
        return f"{stated(row)}, made {made}, reported{verb} {row['reported_on']:%b %Y}, {term}"
    return f"{stated(row)}, {status_word(row['status'])} {row['reported_on']:%b %Y}, {term}"


def deal_month(row: pd.Series) -> str:
    """The month a deal's name gives it ('Cerebras compute deal (Jan 2026)' -> 'Jan 2026'), or ''."""
    found = re.search(r"\((\w{3} \d{4})\)$", str(row.get("deal", "")))
    return found.group(1) if found else ""


def status_word(status: str) -> str:
    """The verb a status allows: 'announced', 'signed', 'closed', 'reported', 'in talks'."""
    return {"definitive": "signed", "in_talks": "in talks", "letter_of_intent": "letter of intent"}.get(
        status, status.replace("_", " ")
    )
