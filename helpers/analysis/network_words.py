"""Who pays whom (notebook 03) in totals and words: the title's firm totals each way, the purchases total said as
its parts with what it leaves out and its other reading, and the takeaway sentence, from network.edges' table."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.funding import PAID_IN
from helpers.analysis.network import FROM_OPENAI, TO_OPENAI, _event_words, _listed, other_readings
from helpers.data.views import stated
from helpers.data.vocabulary import MONEY_KINDS, STATUS_NAMES
from helpers.notebook.tables import money


def firm_totals(table: pd.DataFrame) -> dict[str, object]:
    """The title's numbers: firm purchases out of OpenAI and firm equity into it (floors, nested edges left out, no
    ceiling counted), with their bound in words, the equity paid in (02's rule), the conditional equity apart, and
    who does both."""
    counted = table[table["counted"]]
    out = firm_purchases(table)
    into = counted[counted["direction"].eq(TO_OPENAI) & counted["kind"].eq("equity")]
    firm_in, conditional = into[into["group"].eq("firm")], into[into["group"].eq("conditional")]
    return {
        "purchases_usd_bn": float(out["floor_usd_bn"].sum()),
        "purchases_words": _total_words(out),
        "equity_usd_bn": float(firm_in["floor_usd_bn"].sum()),
        "equity_words": _total_words(firm_in),
        "paid_usd_bn": float(firm_in["paid_usd_bn"].sum()),
        "conditional_usd_bn": float(conditional["value_usd_bn"].sum()),
        "investors": list(dict.fromkeys(firm_in["company"])),
        "sellers": int(out["company"].nunique()),
        "both_ways": [c for c in dict.fromkeys(firm_in["company"]) if c in set(out["company"])],
    }


def circular_totals(table: pd.DataFrame) -> dict[str, object]:
    """The circular part, one partner set each way: what OpenAI buys from the partners that also hold firm equity in
    it, against that same set's firm equity; and the investors that sell OpenAI nothing directly, apart."""
    counted = table[table["counted"]]
    into = counted[counted["direction"].eq(TO_OPENAI) & counted["kind"].eq("equity") & counted["group"].eq("firm")]
    out = firm_purchases(table)
    both = [c for c in dict.fromkeys(into["company"]) if c in set(out["company"])]
    bought, equity = out[out["company"].isin(both)], into[into["company"].isin(both)]
    others = into[~into["company"].isin(both)]
    return {
        "partners": both,
        "purchases_usd_bn": float(bought["floor_usd_bn"].sum()),
        "purchases_words": _total_words(bought) if both else "",
        "equity_usd_bn": float(equity["floor_usd_bn"].sum()),
        "equity_words": _total_words(equity) if both else "",
        "paid_usd_bn": float(equity["paid_usd_bn"].sum()),
        "investors_only": list(dict.fromkeys(others["company"])),
        "investors_only_words": _total_words(others) if not others.empty else "",
    }


def network_title(table: pd.DataFrame) -> str:
    """The chart's title: the firm purchases total, then its circular part paired with the equity of the same
    partners ('$388B of it goes to Microsoft and Amazon, which put in $28B of firm equity ($26.8B paid in)')."""
    totals, circular = firm_totals(table), circular_totals(table)
    title = f"OpenAI's firm deals commit it to pay these partners {totals['purchases_words']} for computing"
    if circular["partners"]:
        title += (
            f"; {circular['purchases_words']} of it goes to {_listed(circular['partners'])}, which put in "
            f"{circular['equity_words']} of firm equity ({money(circular['paid_usd_bn'])} {PAID_IN})"
        )
    return title


def investors_only_words(table: pd.DataFrame) -> str:
    """The investors with no direct sale to OpenAI, in a sentence: 'SoftBank and Nvidia put in about $90.6B of firm
    equity and sell OpenAI nothing directly.'"""
    circular = circular_totals(table)
    named = circular["investors_only"]
    if not named:
        return ""
    return (
        f"{_listed(named)} put in {circular['investors_only_words']} of firm equity and sell OpenAI nothing directly."
    )


def firm_purchases(table: pd.DataFrame) -> pd.DataFrame:
    """The edges the purchases total adds: firm, counted, out of OpenAI, and purchases only (a loan is lent, and a
    revenue share has no total)."""
    counted = table[table["counted"]]
    purchases = ~counted["kind"].isin(["loan", "revenue share"])
    return counted[counted["direction"].eq(FROM_OPENAI) & counted["group"].eq("firm") & purchases]


def alternative_floor(figures: pd.DataFrame, table: pd.DataFrame) -> float:
    """The purchases total under each deal's other reading of its size (F160: the AWS expansion read as $100B in
    all, not $100B more): an edge whose rows hold a stated alternative total counts that total instead."""
    total = 0.0
    for _, edge in firm_purchases(table).iterrows():
        others = other_readings(figures, figures.loc[figures["figure_id"].isin(edge["figure_ids"]), "event"])
        rows = figures[figures["figure_id"].isin(others["figure_id"])]
        total += float(rows["value"].min()) if not rows.empty else float(edge["floor_usd_bn"])
    return total


def purchases_parts(figures: pd.DataFrame, table: pd.DataFrame) -> str:
    """The purchases total said as its parts, what it leaves out and why, and its bound under the other reading:
    'At least $408B = Microsoft $250B + Amazon ($38B, then $100B more) + ...'."""
    out = firm_purchases(table)
    totals = firm_totals(table)
    priced = out[out["floor_usd_bn"].gt(0)]
    parts = [
        f"{r['company']} " + (f"({r['amount']})" if "+" in r["amount"] or ", then" in r["amount"] else r["amount"])
        for _, r in priced.iterrows()
    ]
    words = f"{totals['purchases_words'][0].upper()}{totals['purchases_words'][1:]} = {' + '.join(parts)}"
    unpriced = list(dict.fromkeys(out.loc[out["floor_usd_bn"].eq(0), "company"]))
    if unpriced:
        words += f"; {_listed(unpriced)} add no amount (none disclosed), so the sum is a floor"
    tentative = table[table["counted"] & table["direction"].eq(FROM_OPENAI) & table["group"].eq("tentative")]
    if not tentative.empty:
        named = [f"{r['company']} {r['amount']}".replace(" amount undisclosed", "") for _, r in tentative.iterrows()]
        words += f". Left out: press reports and talks, which are not firm ({_listed(named)})"
    nested = table[~table["counted"]]
    if not nested.empty:
        words += "; " + "; ".join(
            f"{r['company']}'s chips behind {r['nested_in']} (counted there)" for _, r in nested.iterrows()
        )
    other = alternative_floor(figures, table)
    if abs(other - totals["purchases_usd_bn"]) > 0.05:
        ids = {i for ids in out["figure_ids"] for i in ids}
        alternatives = figures[figures["figure_id"].isin(ids) & figures["reading"].eq("alternative")]
        named = _listed(
            [
                f"the {_event_words(figures, e)} is read as {stated(r)} in all"
                for e, r in alternatives.groupby("event").tail(1).set_index("event").iterrows()
            ]
        )
        words += f". If {named} (one report's reading), the sum is {money(other)}"
    # money OpenAI lends a partner comes back as repayment: not bought, so never in the purchases total
    loans = table[table["counted"] & table["direction"].eq(FROM_OPENAI) & table["kind"].eq("loan")]
    for _, loan in loans.iterrows():
        words += (
            f". OpenAI's {loan['amount']} loan to {loan['company']} ({STATUS_NAMES[loan['status']]}) is lent, not "
            f"bought, so it is not in the {money(totals['purchases_usd_bn'])}"
        )
    return words + "."


def _total_words(rows: pd.DataFrame) -> str:
    """A sum of floors with its bound: 'at least $408B' when a part is a floor or undisclosed, 'about $90B' when a
    part is approximate, 'about $118.6B or more' when both."""
    total = money(float(rows["floor_usd_bn"].sum()))
    floor = rows["bound"].isin(["at_least", "unknown"]).any()
    if rows["bound"].eq("about").any():
        return f"about {total}" + (" or more" if floor else "")
    return f"at least {total}" if floor else total


def network_sentence(table: pd.DataFrame) -> str:
    """The takeaway in words: who does both, the firm totals each way, what is nested and what is only reported."""
    totals = firm_totals(table)
    both = totals["both_ways"]
    tentative = table[table["direction"].eq(FROM_OPENAI) & table["group"].eq("tentative") & table["counted"]]
    nested = table[~table["counted"]]
    parts = [
        f"Firm deals commit OpenAI to buy {totals['purchases_words']} of cloud, chips and data centres from "
        f"{totals['sellers']} of the {len(set(table['company']))} partners, while {len(totals['investors'])} of them have "
        f"firm equity deals with OpenAI of {totals['equity_words']} ({money(totals['paid_usd_bn'])} {PAID_IN}, "
        f"{money(totals['equity_usd_bn'] - totals['paid_usd_bn'])} {MONEY_KINDS['unpaid_usd_bn'][0]})"
        + (f"; {money(totals['conditional_usd_bn'])} more is conditional" if totals["conditional_usd_bn"] else "")
        + "."
    ]
    if both:
        parts.append(f"{_listed(both)} both invest in OpenAI and sell to it.")
    if not tentative.empty:
        named = [f"{r['company']} ({r['amount']})" for _, r in tentative.iterrows()]
        parts.append(f"Press reports or talks, not counted as firm: {_listed(named)}.")
    for _, row in nested.iterrows():
        vendor = row["nested_in"].split("'s ")[0]
        parts.append(f"{row['nested_in']} runs on {row['company']}'s chips: it is counted once, as paid to {vendor}.")
    return " ".join(parts)
