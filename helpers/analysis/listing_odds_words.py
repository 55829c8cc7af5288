"""Notebook 05 in words and tables: the odds, the ranges and where each end comes from, the ranking of assumptions
and the bottom line, all computed from the numbers in listing_odds.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.forecast_words import forecast_words
from helpers.analysis.listing_odds import (
    CHEQUE_USD_BN,
    FLOOR_PHRASE,
    INPUT_WORDS,
    INPUTS,
    Distribution,
    burn_dilutions,
    burn_year,
    latest,
    listing_rows,
    matching_burn,
)
from helpers.analysis.scenarios import capitalised
from helpers.data.views import stated
from helpers.data.vocabulary import DAYS_PER_YEAR
from helpers.notebook.prose import listed
from helpers.notebook.tables import json_numbers, money


def share(chance: float) -> str:
    """A chance as every table and chart shows it: '21%', 'under 1%' or 'over 99%' when rounding would hide it."""
    if 0 < chance < 0.005:
        return "under 1%"
    if 0.995 <= chance < 1:
        return "over 99%"
    return f"{chance:.0%}"


def formatted_decisive(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking of assumptions as a reader sees it."""
    return pd.DataFrame(
        {
            "assumption": table.index,
            "chance of a loss": table["loss_chance"].map(share),
            "change, points": ["" if i == 0 else f"{v * 100:+.0f}" for i, v in enumerate(table["loss_change"])],
            "chance of missing the hurdle": table["hurdle_miss_chance"].map(share),
            "median multiple": table["multiple_p50"].map("{:.2f}x".format),
        }
    ).reset_index(drop=True)


def _bounded(text: str, direction: str) -> str:
    return f"{direction} {text}" if direction else text


def _loss_direction(direction: str) -> str:
    """A multiple that is 'at most' its figure makes the chance of a loss 'at least' its figure, and back."""
    return {"at most": "at least", "at least": "at most"}.get(direction, "")


def hurdle_multiple_at(mark: pd.Series, hurdle_rate: float, as_of: pd.Timestamp, median_years: float) -> float:
    """The multiple a hurdle rate needs from a mark's date to the median listing date of the draws."""
    held = (as_of - mark["reported_on"]).days / DAYS_PER_YEAR + median_years
    return float(valuation.hurdle_multiple(hurdle_rate, held))


def formatted_summary(
    mark_table: pd.DataFrame,
    table: pd.DataFrame,
    hurdle_rate: float | None = None,
    as_of: pd.Timestamp | None = None,
    median_years: float | None = None,
) -> pd.DataFrame:
    """The odds per mark as a reader sees them: words for headers, $ and % formatted, bounds kept."""
    rows = []
    dated = hurdle_rate is not None and as_of is not None and median_years is not None
    # the hurdle's multiple runs to the median drawn listing date, not to notebook 04's assumed one: the header says so
    expected_header = "expected multiple, counting no listing (no date, so no annual return)" + (
        f"; the hurdle's multiple is over the median wait, a listing {median_years:.1f} years after {as_of:%-d %b %Y}"
        if dated
        else ""
    )
    for mark_id, row in table.iterrows():
        mark = mark_table.loc[mark_id]
        way = mark["direction"]
        expected = f"{row['expected_multiple']:.2f}x"
        if dated:
            # the outcome without a listing has no date, so the expected multiple has no annual return: set it
            # against the multiple the hurdle needs by the median listing date instead
            needs = hurdle_multiple_at(mark, hurdle_rate, as_of, median_years)
            expected += f" (the hurdle needs {needs:.2f}x by the median wait)"
        rows.append(
            {
                "buyer at": f"{capitalised(mark['label'])} ({mark['reported_on']:%b %Y})",
                "price paid (post-money)": _bounded(
                    money(mark["entry_usd_bn"]), "more than" if way == "at most" else ""
                ),
                "known dilution since": f"{mark['diluted_by']}: x{mark['kept_share']:.3f}"
                if mark["diluted_by"]
                else "none",
                "chance of a loss, if it lists": _bounded(share(row["loss_chance"]), _loss_direction(way)),
                "chance of missing the hurdle, if it lists": share(row["hurdle_miss_chance"]),
                "chance of a loss, counting no listing": share(row["loss_chance_all"]),
                expected_header: expected,
                "median multiple": _bounded(f"{row['multiple_p50']:.2f}x", way),
                "multiple, 10th to 90th percentile": _bounded(
                    f"{row['multiple_p10']:.2f}x to {row['multiple_p90']:.2f}x", way
                ),
                "median annual return": _bounded(f"{row['return_p50']:.0%}", way),
                "annual return, 10th to 90th percentile": _bounded(
                    f"{row['return_p10']:.0%} to {row['return_p90']:.0%}", way
                ),
            }
        )
    return pd.DataFrame(rows)


def describe(dist: Distribution, name: str) -> str:
    """'$852B to $1.5T, likeliest $1T' for one input."""
    fmt = {"listing_value_usd_bn": money, "years_to_listing": "{:g}".format, "dilution": "{:.0%}".format}[name]
    unit = " years" if name == "years_to_listing" else ""
    if dist.low == dist.high:
        return fmt(dist.low) + unit
    text = f"{fmt(dist.low)} to {fmt(dist.high)}{unit}"
    return text + (f", likeliest {fmt(dist.likely)}{unit}" if dist.shape == "triangular" else ", all equally likely")


def results(mark_table: pd.DataFrame, table: pd.DataFrame, checked: dict[str, object]) -> dict:
    """Plain numbers for tests and make scenarios."""
    params = {k: (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v) for k, v in checked.items()}
    numbers_out = {
        "parameters": params,
        "latest_mark": latest(mark_table),
        "marks": {
            mark_id: {
                "entry_usd_bn": float(mark_table.at[mark_id, "entry_usd_bn"]),
                "direction": mark_table.at[mark_id, "direction"],
                **{k: round(float(v), 10) for k, v in row.items()},
            }
            for mark_id, row in table.iterrows()
        },
    }
    # whole floats as ints: JupyterLab writes JSON numbers back that way when it saves the notebook
    return json_numbers(numbers_out)


TOP_START = "a top at "


def tail_sentence(loss: str, changes: pd.DataFrame) -> str:
    """Say how much of the chance of a loss comes from the assumed part of the listing range below every report."""
    floor = changes[changes["short"].str.contains(FLOOR_PHRASE, regex=False)]
    if not len(floor):
        return ""
    return (
        f"- {capitalised(floor['short'].iloc[0])}, gives {share(floor['loss_chance'].iloc[0])}: part of the {loss} "
        "comes from the assumed tail of the listing range below every reported value."
    )


def reported_top(changes: pd.DataFrame) -> pd.Series | None:
    """The row that ends the listing range at a reported value ('a top at $1T, as the ... reports had it'), if any."""
    tops = changes[changes["short"].str.startswith(TOP_START) & ~changes["short"].str.contains("04's", regex=False)]
    return tops.iloc[0] if len(tops) else None


def reported_top_odds(ranking: pd.DataFrame, odds_row: pd.Series, listing_chance: float) -> dict | None:
    """The latest buyer's odds with the listing range topped at the reported value, the quantity every lead, chart
    title and bottom line of notebook 05 states first: the top in words ('$1T'), the chance of a loss, of missing
    the hurdle, and of a loss counting no listing. None when the ledger reports no top."""
    top = reported_top(ranking.drop(index="everything as assumed"))
    if top is None:
        return None
    # the outcome without a listing does not depend on the listing range: recover its loss (0 or 1) from the
    # base odds, loss_all = chance * loss + (1 - chance) * no_listing_loss, and apply it to the reported top
    no_listing_loss = (
        (odds_row["loss_chance_all"] - listing_chance * odds_row["loss_chance"]) / (1 - listing_chance)
        if listing_chance < 1
        else 0.0
    )
    loss = float(top["loss_chance"])
    return {
        "top": top["short"].removeprefix(TOP_START).split(", ", 1)[0],
        "name": top.name,
        "loss_chance": loss,
        "hurdle_miss_chance": float(top["hurdle_miss_chance"]),
        "loss_chance_all": listing_chance * loss + (1 - listing_chance) * float(no_listing_loss),
    }


def bottom_line(
    mark_table: pd.DataFrame, table: pd.DataFrame, ranking: pd.DataFrame, checked: dict[str, object]
) -> str:
    """Three short bullets led by the odds with the listing range topped at the reported value, the assumed top's
    odds after it and labelled as an assumption; then the hurdle and no listing; the buyers who lose in no draw."""
    mark_id = latest(mark_table)
    mark, row = mark_table.loc[mark_id], table.loc[mark_id]
    way = mark["direction"]
    no_listing = 1 - float(checked["LISTING_CHANCE"])
    assumed_top = money(float(checked["LISTING_HIGH_USD_BN"]))
    reported = reported_top_odds(ranking, row, float(checked["LISTING_CHANCE"]))
    lead = reported or {
        "loss_chance": row.loss_chance,
        "hurdle_miss_chance": row.hurdle_miss_chance,
        "loss_chance_all": row.loss_chance_all,
    }
    loss = _bounded(share(lead["loss_chance"]), _loss_direction(way))
    safe = [money(mark_table.at[m, "entry_usd_bn"]) for m in table.index if table.at[m, "loss_chance"] == 0]
    first = (
        f"- If OpenAI lists no higher than the reported {reported['top']}, a buyer at "
        f"**{money(mark['entry_usd_bn'])}** ({mark['reported_on']:%b %Y}) loses money in **{loss}** of draws; with "
        f"an assumed {assumed_top} top, {_bounded(share(row.loss_chance), _loss_direction(way))}."
        if reported
        else f"- If OpenAI lists, a buyer at **{money(mark['entry_usd_bn'])}** ({mark['reported_on']:%b %Y}) loses "
        f"money in **{loss}** of draws up to an assumed {assumed_top}."
    )
    lines = [
        first,
        f"- {'It then' if reported else 'It'} earns less than {float(checked['HURDLE_RATE']):.0%} a year "
        f"in **{share(lead['hurdle_miss_chance'])}**; counting an assumed {no_listing:.0%} chance of no listing, it "
        f"loses in **{share(lead['loss_chance_all'])}**.",
        f"- Buyers at {' and '.join(safe)} lose in no draw." if safe else "",
    ]
    return "\n".join(line for line in lines if line)


def agreement_text(
    mark_table: pd.DataFrame,
    table: pd.DataFrame,
    sample: dict[str, np.ndarray],
    case_table: pd.DataFrame,
    checked: dict[str, object],
) -> str:
    """Where notebook 04 and this one agree (the same arithmetic on the same inputs) and why their central answers
    differ (the draws centre elsewhere)."""
    mark_id = latest(mark_table)
    mark = mark_table.loc[mark_id]
    base = (
        case_table.loc[case_table["assumed"].eq(False)].iloc[0]
        if (~case_table["assumed"]).any()
        else case_table.iloc[0]
    )
    at_base = float(
        valuation.multiple(
            valuation.stake_value(
                valuation.dilute(CHEQUE_USD_BN / mark["entry_usd_bn"] * mark["kept_share"], base["dilution"]),
                base["listing_usd_bn"],
            ),
            CHEQUE_USD_BN,
        )
    )
    listing = float(np.median(sample["listing_value_usd_bn"]))
    dilution = float(np.median(sample["dilution"]))
    years = float(np.median(sample["years_to_listing"]))
    lowest = case_table["listing_usd_bn"].min()
    below = float(np.mean(sample["listing_value_usd_bn"] <= lowest))
    floor = float(np.min(sample["listing_value_usd_bn"]))
    where = (
        "is the lowest listing any draw reaches"
        if np.isclose(lowest, floor, rtol=1e-3)
        else f"is inside the range: {below:.0%} of draws list at or below it"
        if lowest > floor
        else "is below every draw"
    )
    # 04's base listing keeps its report's bound ('up to $1T' is a ceiling), and so does the multiple it gives
    listing_bound = base.get("bound", "exact")
    multiple_bound = valuation.combined(
        listing_bound, valuation.flipped(mark.get("bound", "exact")), mark.get("kept_bound", "exact")
    )
    above = float(np.mean(sample["listing_value_usd_bn"] > base["listing_usd_bn"]))
    centre = (
        f" The draws centre above the {money(base['listing_usd_bn'])} that notebook 04 treats as a ceiling: "
        f"{above:.0%} of them list higher."
        if listing_bound == "at_most" and listing > base["listing_usd_bn"]
        else ""
    )
    return (
        f"Notebook 04's {base['label'].lower()} case (a listing of "
        f"{valuation.with_bound(money(base['listing_usd_bn']), listing_bound)}, {base['dilution']:.0%} dilution) gives "
        f"the buyer at {money(mark['entry_usd_bn'])} {valuation.with_bound(f'{at_base:.2f}x', multiple_bound)}, and a "
        f"draw with those inputs gives the same here: both notebooks use the same arithmetic and the same prices paid. "
        f"The median draw here returns {table.at[mark_id, 'multiple_p50']:.2f}x instead, because the draws centre "
        f"elsewhere: a median listing of {money(listing)}, {years:.1f} years after {checked['AS_OF']:%-d %b %Y}, after "
        f"{dilution:.0%} dilution (delay included).{centre} Notebook 04's lowest case, {money(lowest)}, {where}."
    )


def formatted_marks(mark_table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The marks a buyer can enter at, as a reader sees them: the figure as reported and the price paid."""
    by_id = figures.set_index("figure_id")
    return pd.DataFrame(
        {
            "mark": mark_table["label"].map(capitalised),
            "reported on": mark_table["reported_on"].dt.strftime("%Y-%m-%d"),
            "status": [
                row["status"].replace("_", " ")
                + (f" (closed {row['closed_on']:%-d %b %Y})" if row["closed_on"] != row["reported_on"] else "")
                for _, row in mark_table.iterrows()
            ],
            "as reported": [
                f"{stated(by_id.loc[i])} "
                + (
                    "(basis not stated; read as post-money, since a tender issues no shares)"
                    if k == "tender"
                    else by_id.at[i, "metric"].replace("_", "-").replace("valuation", "(basis not stated)")
                )
                for i, k in zip(mark_table["figure_id"], mark_table["kind"], strict=True)
            ],
            "stake kept through later priced rounds": [
                f"{d}: x{k:.3f}" if d else "none"
                for d, k in zip(mark_table["diluted_by"], mark_table["kept_share"], strict=True)
            ],
            "price a buyer pays (post-money)": [
                _bounded(money(v), "more than" if d == "at most" else "")
                for v, d in zip(mark_table["entry_usd_bn"], mark_table["direction"], strict=True)
            ],
        }
    ).reset_index(drop=True)


def formatted_listing_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The ledger's listing rows: value, raise and timing as reported."""
    rows = listing_rows(figures)
    return pd.DataFrame(
        {
            "reported on": rows["reported_on"].dt.strftime("%Y-%m-%d"),
            "what": rows["metric"].str.replace("raise_target", "money raised").str.replace("valuation", "value"),
            "figure": [stated(row) for _, row in rows.iterrows()],
            "timing": rows["period"].fillna("not given"),
            "status": rows["status"].str.replace("_", " "),
            "reading": rows["reading"],
        }
    ).reset_index(drop=True)


def _months(dates: pd.Series) -> str:
    """'Jun 2026', or 'Oct 2025–Jun 2026' for reports in more than one month."""
    first, last = f"{min(dates):%b %Y}", f"{max(dates):%b %Y}"
    return first if first == last else f"{first}–{last}"


def likeliest_between_bounds(value_usd_bn: float, figures: pd.DataFrame) -> str | None:
    """'$1T, assumed: where the Jun 2026 floor and the Oct 2025–Jun 2026 ceilings meet' when only bounds are
    reported at a likeliest listing value (a bound cannot set the likeliest value); None if a point is reported."""
    rows = listing_rows(figures)
    rows = rows[rows["metric"].eq("valuation") & np.isclose(rows["value"].astype(float), value_usd_bn)]
    floors = rows[rows["qualifier"].isin(["more_than", "at_least"])]
    ceilings = rows[rows["qualifier"].isin(["up_to", "less_than"])]
    if rows.empty or len(floors) + len(ceilings) < len(rows):
        return None
    ends = [
        f"the {_months(group['reported_on'])} {word}{'s' if group['reported_on'].dt.to_period('M').nunique() > 1 else ''}"
        for group, word in ((floors, "floor"), (ceilings, "ceiling"))
        if len(group)
    ]
    where = f"where {' and '.join(ends)} meet" if len(ends) == 2 else f"at {ends[0]}"
    return f"{money(value_usd_bn)}, assumed: {where}"


def provenance(
    dists: dict[str, Distribution],
    refs: dict[str, list[tuple[float, str]]],
    case_table: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each end of each range: the reported figures it equals (with their words: a ceiling is not a point), or notebook
    04's named case it equals (an assumption there too), else assumed. A likeliest listing value where only bounds
    are reported is an assumption, named by the bounds it sits between."""
    fmt = {"listing_value_usd_bn": money, "years_to_listing": "{:g} years".format, "dilution": "{:.0%}".format}

    def likeliest(name: str, value: float) -> str:
        if name == "listing_value_usd_bn" and figures is not None:
            between = likeliest_between_bounds(value, figures)
            if between:
                return between
        return cell(name, value)

    def cell(name: str, value: float) -> str:
        match = [label for x, label in refs[name] if np.isclose(x, value)]
        if match:
            return f"{fmt[name](value)}, from the ledger: {match[0].split(': ', 1)[-1]}"
        if name == "listing_value_usd_bn" and case_table is not None:
            cases = case_table[np.isclose(case_table["listing_usd_bn"], value)]
            if len(cases):
                return f"{fmt[name](value)}, assumed: notebook 04's {cases['label'].iloc[0].lower()} case"
        return f"{fmt[name](value)}, assumed"

    return pd.DataFrame(
        {
            "input": [INPUT_WORDS[name] for name in INPUTS],
            "lowest": [cell(name, dists[name].low) for name in INPUTS],
            "likeliest": [likeliest(name, dists[name].likely) for name in INPUTS],
            "highest": [cell(name, dists[name].high) for name in INPUTS],
            "reported figures nearby": ["; ".join(label for _, label in refs[name]) or "none" for name in INPUTS],
        }
    )


def delay_text(checked: dict[str, object], mark_table: pd.DataFrame, figures: pd.DataFrame) -> str:
    """Which burn forecast the assumed extra dilution a year of delay matches, how the other forecast differs and
    which to trust (the same sentence notebook 06 gives), and what the ranking tests."""
    per_year = float(checked["DILUTION_PER_YEAR_OF_DELAY"])
    price = float(mark_table.at[latest(mark_table), "entry_usd_bn"])
    year = burn_year(checked)
    burns = burn_dilutions(figures, year, price)
    used = matching_burn(burns, per_year)
    head = f"Each year the listing comes after the likeliest date adds an assumed {per_year:.0%} dilution"
    if used is None:
        return f"{head}: an assumption no burn forecast in the ledger matches."
    basis = (
        f"{head}: about what it would take ({used['dilution']:.1%}) to pay for {year}'s cash burn by selling new "
        f"shares at {money(price)}."
    )
    others = [r for _, r in burns.iterrows() if r["figure_id"] != used["figure_id"]]
    reconcile = forecast_words(
        figures, year, used["reported_on"], f"to set this {per_year:.0%}", "notebook 06 uses the newer one"
    )
    tested = listed([f"the {r['reported_on']:%B %Y} forecast's {r['dilution']:.1%} a year" for r in others])
    return " ".join(
        part
        for part in (
            basis,
            reconcile,
            f"The ranking below shows what {tested} would do to the answer." if others else "",
        )
        if part
    )
