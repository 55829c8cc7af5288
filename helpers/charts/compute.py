"""The charts of notebook 03, compute commitments: deals by provider, the assumed annual schedule, commitments
against capital and revenue, and the money that flows both ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.analysis import compute, funding
from helpers.analysis import flows as flows_of
from helpers.analysis.compute import provider_rows
from helpers.analysis.funding import CONDITIONAL
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import COMPANY_COLORS, NEUTRAL, NEUTRAL_LIGHT, conditional_style, deal_bars, reader_words
from helpers.data.views import aggregator_flag, sources_of
from helpers.data.vocabulary import (
    STATUS_NAMES,
    UPPER_BOUND_QUALIFIERS,
    status_group,
)
from helpers.notebook.tables import money


def _dated(row: pd.Series, deals: pd.DataFrame) -> str:
    """A deal's name with the month of its first report, unless the name already carries a date."""
    import re

    if re.search(r"\(\w{3} \d{4}\)", row["deal"]):
        return row["deal"]
    first = deals.loc[deals["event"].eq(row["event"]), "reported_on"].min()
    return f"{row['deal']} ({first:%b %Y})"


def provider_chart(deals: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """OpenAI's compute purchases per deal, latest reported size; undisclosed amounts as labelled slots."""
    shown = provider_rows(deals).sort_values(["value", "provider"], ascending=[False, True], na_position="last")
    colors = [grammar.company_color(p) for p in shown["provider"]]
    fig, ax = frame.new_figure(height=4.6)
    top = shown["value"].max()
    deal_bars(ax, shown, colors, [_dated(row, deals) for _, row in shown.iterrows()])
    ax.set_xlim(0, top * 1.5)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    disclosed = shown.dropna(subset=["value"])
    counted = disclosed[~disclosed["qualifier"].isin(UPPER_BOUND_QUALIFIERS)]
    biggest = disclosed.iloc[:2]
    kinds = [
        f"{p}, {reader_words(s, STATUS_NAMES)}" for p, s in zip(biggest["provider"], biggest["status"], strict=True)
    ]
    frame.titles(
        fig,
        f"Two contracts ({kinds[0]}; {kinds[1]}) make up {biggest['value'].sum() / counted['value'].sum():.0%} of "
        "the compute commitments with an amount, press reports included",
        f"What OpenAI announced or was reported to buy, per deal, latest reported size, $ billions; "
        f"{int(shown['value'].isna().sum())} deals have no disclosed amount",
    )
    frame.footer(fig, sources_of(shown), sources)
    placement.make_room_right(ax)
    placement.legend_clear_of_data(ax, grammar.status_legend_handles(["firm", "tentative"]))
    frame.attach_data(fig, shown)
    return fig


def cap_words(caps_by_year: pd.Series) -> str:
    """The 'up to' amounts over the stack, every year they fall in: '$1.3B a year in 2026-2030' when the same each
    year of a run, else '$1.3B in 2026, $2B in 2027'; '' when there are none."""
    caps = caps_by_year[caps_by_year > 1e-9].sort_index()
    if caps.empty:
        return ""
    years = [int(y) for y in caps.index]
    if len(caps) > 1 and years == list(range(years[0], years[-1] + 1)) and np.allclose(caps, caps.iloc[0]):
        return f"{money(caps.iloc[0])} a year in {years[0]}-{years[-1]}"
    return ", ".join(f"{money(v)} in {y}" for y, v in zip(years, caps, strict=True))


def schedule_chart(
    schedule: pd.DataFrame, rows: pd.DataFrame, sources: pd.DataFrame, term_years: int, start_delay_years: int
) -> Figure:
    """Annual amounts stacked by provider; press reports hatched, assumed timing dotted (both when both)."""
    years = sorted(schedule["year"].unique())
    spread = schedule.assign(assumed=schedule["term_assumed"] | schedule["start_assumed"])
    bottom = pd.Series(0.0, index=years)
    fig, ax = frame.new_figure(height=3.8)
    for (provider, status, assumed), part in spread.groupby(["provider", "status", "assumed"], sort=True):
        per_year = part.groupby("year")["floor_usd_bn"].sum().reindex(years, fill_value=0.0)
        if not per_year.any():
            continue
        color = grammar.company_color(provider)
        style = grammar.assumed_style(color) if assumed else grammar.bar_style(status, color)
        if assumed and status_group(status) == "tentative":
            # a press report on an assumed term: both signs, hatch and dots, so neither is lost
            style = {**style, "hatch": grammar.TENTATIVE_HATCH + grammar.ASSUMED_HATCH}
        ax.bar(years, per_year, bottom=bottom, width=0.75, **style)
        bottom = bottom + per_year
    above = spread.assign(_ceiling=spread["amount_usd_bn"] - spread["floor_usd_bn"])
    caps = above[above["_ceiling"] > 1e-9].groupby(["provider", "year"])["_ceiling"].sum()
    cap_tops = bottom.copy()
    for (provider, year), ceiling in caps.items():
        color = grammar.company_color(provider)
        top = cap_tops[year] + ceiling
        ax.vlines(year, cap_tops[year], top, color=color, linewidth=1.4)
        ax.hlines(top, year - 0.2, year + 0.2, color=color, linewidth=2.2)
        cap_tops[year] = top
    providers = list(dict.fromkeys(spread.sort_values("provider")["provider"]))
    handles = [Patch(facecolor=grammar.company_color(p), label=p) for p in providers]
    handles += [
        grammar.status_legend_handles(["tentative"])[0],
        grammar.assumed_legend_handle("term or start assumed (dotted)"),
    ]
    if not caps.empty:
        handles.append(grammar.bound_legend_handles()[1])
        handles[-1].set_marker("_")
        handles[-1].set_label("cap: up to, not counted")
    ax.set_ylim(0, cap_tops.max() * 1.45)
    ax.legend(handles=handles, loc="upper right", ncols=3, fontsize=7.5)
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_xticks(years, [str(y) for y in years])
    grammar.usd_axis(ax, "y")
    floors = spread.groupby("year")["floor_usd_bn"].sum()
    ceilings = cap_words(caps.groupby(level="year").sum() if len(caps) else pd.Series(dtype=float))
    starts = spread.loc[spread["start_assumed"], "event"].nunique()
    terms = spread.loc[spread["term_assumed"], "event"].nunique()
    frame.titles(
        fig,
        schedule_title(
            floors, term_years, starts, terms, spread["event"].nunique(), compute.year_words(spread, floors.idxmax())
        ),
        "Commitments per year, $ billions, each contract spread evenly over its term; a schedule under "
        "assumptions, not a spending forecast"
        + (f"; 'up to' deals drawn as a cap above the stack ({ceilings}), not counted" if ceilings else ""),
    )
    delay = f"{start_delay_years} year{'s' if start_delay_years != 1 else ''} after" if start_delay_years else "in"
    note = (
        f"Assumptions where no source gives them (dotted bars): a term of {term_years} years, starting {delay} "
        "the year of the report."
    )
    frame.footer(fig, sources_of(rows.dropna(subset=["value"])), sources, note=note)
    frame.attach_data(fig, spread)
    return fig


COMPARISON_SHADES = {
    "commitment": COMPANY_COLORS["OpenAI"],
    "spending": NEUTRAL,
    "capital": NEUTRAL,
    "conditional": NEUTRAL,
    "revenue": NEUTRAL_LIGHT,
}


def _month_words(text: str) -> str:
    """'revenue run rate, 2026-05' -> 'revenue run rate, May 2026'."""
    import re

    return re.sub(r"\b(\d{4})-(\d{2})\b", lambda m: pd.Timestamp(f"{m[1]}-{m[2]}-01").strftime("%b %Y"), text)


def comparison_chart(comparison: pd.DataFrame, deals: pd.DataFrame, figures: pd.DataFrame, sources) -> Figure:
    """Commitments, spending, capital and revenue on one $ scale, in greys (these are not companies); press reports
    hatched, assumptions dotted, conditional money white."""
    fig, ax = frame.new_figure(height=3.6)
    values, kinds = comparison["usd_bn"], comparison["kind"]
    announced = values[kinds.eq("commitment")].iloc[0]  # the title's number: the first row
    for position, (_, row) in enumerate(comparison.iterrows()):
        color = COMPARISON_SHADES[row["kind"]]
        assumed = "assumption" in row["covers"]
        firm, press = row["usd_bn"] - row["press_usd_bn"], row["press_usd_bn"]
        if assumed:
            # dotted for the assumed spread; the press-reported part of it hatched as well
            parts = [
                (firm, grammar.assumed_style(color)),
                (press, {**grammar.bar_style("reported", color), "linestyle": ":"}),
            ]
        elif row["kind"] == "conditional":
            parts = [(row["usd_bn"], conditional_style(color))]
        else:
            # the announced part solid, the press-reported rest hatched: a press report is not an announcement
            parts = [(firm, grammar.bar_style("closed", color)), (press, grammar.bar_style("reported", color))]
        end = grammar.money_parts(ax, position, parts)
        about = "about " if row["covers"].endswith(("about", "about, or more")) or assumed else ""
        about = "at least " if row["covers"].endswith(("at least", "more than")) else about
        more = " or more" if row["covers"].endswith("or more") else ""
        floor = compute.covers_bound(row["covers"]) == "at_least"
        if floor:
            # the grammar's floor mark: a floor reads as 'could be higher' in the drawing, not only in the words
            grammar.bound_mark(ax, end, position, "at_least", color)
        ax.annotate(
            f"{about}{money(row['usd_bn'])}{more}" + (" (assumed terms)" if assumed else ""),
            (end, position),
            xytext=(9 if floor else 4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    names = [_month_words(m) for m in comparison.index]
    ax.set_yticks(range(len(values)), [m[0].upper() + m[1:] for m in names])
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.set_xlim(0, values.max() * 1.05)
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    raised = values[kinds.eq("capital")].iloc[0]
    frame.titles(
        fig,
        f"Announced compute commitments ({_bound_words(comparison['covers'].iloc[0])}{money(announced)}) are "
        f"{compute.ratio_words(announced, compute.covers_bound(comparison['covers'].iloc[0]), raised)} the "
        f"{money(raised)} OpenAI raised from investors",
        "Multi-year commitments beside multi-year spending, capital to date and one year of revenue, $ billions; "
        f"hatched: press reports; dotted: rests on assumed terms{_assumption_words(comparison)}; white: conditional, "
        "not raised",
    )
    frame.footer(fig, compute.comparison_sources(deals, figures), sources)
    placement.make_room_right(ax)
    frame.attach_data(fig, comparison)
    return fig


def flows_chart(flows: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Companies money flows both ways with: equity and stakes into OpenAI (upper bar, its colour) beside
    OpenAI's purchases from it (lower bar, black; hatched grey where the capacity runs on its chips)."""
    fig, ax = frame.new_figure(height=0.75 * len(flows) + 1.6)
    openai = COMPANY_COLORS["OpenAI"]
    for position, (company, row) in enumerate(flows.iterrows()):
        color = grammar.company_color(company)
        into, back = position - 0.2, position + 0.2
        paid = min(row["paid_in_usd_bn"], row["invested_unconditional_usd_bn"])
        end = grammar.money_parts(
            ax,
            into,
            [
                (paid, grammar.bar_style("closed", color)),
                (row["invested_unconditional_usd_bn"] - paid, grammar.unpaid_style(color)),
                (row["invested_conditional_usd_bn"], conditional_style(color)),
            ],
            height=0.36,
        )
        words = []
        if row["invested_usd_bn"] > 0:
            words.append(f"{money(row['invested_unconditional_usd_bn'])} equity")
            if row["invested_conditional_usd_bn"] > 0:
                words[-1] += f" + {money(row['invested_conditional_usd_bn'])} {CONDITIONAL}"
            if row["paid_in_usd_bn"] > 0:
                words[-1] += f" ({money(row['paid_in_usd_bn'])} paid in)"
        if row["to_openai"]:
            words.append(row["to_openai"])
        if row["lapsed_pledge_usd_bn"] > 0:
            ax.barh(into, row["lapsed_pledge_usd_bn"], height=0.36, **grammar.bar_style("superseded", color))
            end = max(end, row["lapsed_pledge_usd_bn"])
            words.append(f"pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed")
        ax.annotate(
            "; ".join(words) or "none", (end, into), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
        back_end = grammar.money_parts(
            ax,
            back,
            [
                (row["committed_back_usd_bn"] - row["back_press_usd_bn"], grammar.bar_style("closed", openai)),
                (row["back_press_usd_bn"], grammar.bar_style("reported", openai)),
                # a ceiling is room, not money: an outline up to the cap mark
                (row["back_up_to_usd_bn"], {"facecolor": "white", "edgecolor": openai, "linewidth": 0.8}),
                (row["indirect_usd_bn"] - row["indirect_press_usd_bn"], grammar.bar_style("closed", NEUTRAL_LIGHT)),
                (row["indirect_press_usd_bn"], grammar.bar_style("reported", NEUTRAL_LIGHT)),
            ],
            height=0.36,
        )
        if row["back_up_to_usd_bn"] > 0:
            grammar.bound_mark(
                ax, row["committed_back_usd_bn"] + row["back_up_to_usd_bn"], back, UPPER_BOUND_QUALIFIERS[0], openai
            )
        back_words = []
        if row["committed_back_usd_bn"] > 0:
            press = (
                f", {money(row['back_press_usd_bn'])} of it press reports"
                if 0 < row["back_press_usd_bn"] < row["committed_back_usd_bn"]
                else (" (press reports)" if row["back_press_usd_bn"] > 0 else "")
            )
            back_words.append(f"{flows_of.back_bound(row)}{money(row['committed_back_usd_bn'])} of purchases{press}")
        if row["back_up_to_usd_bn"] > 0:
            back_words.append(f"up to {money(row['back_up_to_usd_bn'])} more")
        if row["undisclosed_back"]:
            back_words.append(f"{int(row['undisclosed_back'])} deal of undisclosed value")
        if row["indirect_usd_bn"] > 0:
            back_words.append(f"{money(row['indirect_usd_bn'])} of cloud capacity on its chips")
        if row["capacity"]:
            back_words.append(row["capacity"])
        ax.annotate(
            "; ".join(back_words) or "no direct purchase commitment",
            (back_end, back),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(flows)), list(flows.index))
    ax.set_ylim(len(flows) - 0.45, -0.55)
    tops = flows["invested_usd_bn"].combine(flows["lapsed_pledge_usd_bn"], max)
    backs = flows["committed_back_usd_bn"] + flows["back_up_to_usd_bn"] + flows["indirect_usd_bn"]
    ax.set_xlim(0, float(max(tops.max(), backs.max())) * 1.02)
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    announced = flows["committed_back_usd_bn"] - flows["back_press_usd_bn"]
    both = announced[flows["invested_usd_bn"].gt(0)].sort_values(ascending=False).head(2)
    # a paid-in total that only an investor's filing gives, read on aggregator pages only, says so
    funded = funding.filed_totals(figures).query("basis == 'funded'").set_index("investor")["source_ids"]
    sides = [
        f"{money(both[name])} to {name}, which "
        f"{_backer_words(flows.loc[name], aggregator_flag(funded[name], sources) if name in funded.index else '')}"
        for name in both.index
    ]
    frame.titles(
        fig,
        f"OpenAI's largest announced purchase commitments go to its backers: {'; '.join(sides)}",
        "Upper bar, into OpenAI: equity paid in (solid), committed (lighter), conditional (white), a lapsed pledge "
        "(dashed), shares and warrants in words. Lower bar, from OpenAI: purchases (black), cloud capacity that runs "
        "on the company's chips (grey), 'up to' (outline to a cap). Hatched: press reports. $ billions, never netted",
    )
    frame.footer(fig, flows_of.flow_sources(figures, flows), sources)
    placement.make_room_right(ax)
    frame.attach_data(fig, flows)
    return fig


def _assumption_words(comparison: pd.DataFrame) -> str:
    """' (5-year terms where none is reported; the spending's first year is our reading)': what the spread row and
    the spending row it is set beside assume, named where the comparison is drawn."""
    covers = comparison["covers"]
    terms = [c.split(": ", 1)[1] for c in covers[comparison["kind"].eq("commitment")] if ": " in c]
    reading = covers[comparison["kind"].eq("spending")].str.contains("our reading").any()
    parts = terms[:1] + (["the spending's first year is our reading"] if reading else [])
    return f" ({'; '.join(parts)})" if parts else ""


def _bound_words(covers: str) -> str:
    """'at least ' or 'about ' from what a comparison row covers ('multi-year total, at least'), else ''."""
    kind = covers.rsplit(", ", 1)[-1]
    return {"at least": "at least ", "about": "about ", "about, or more": "about "}.get(kind, "")


def _backer_words(row: pd.Series, paid_flag: str = "") -> str:
    """'committed $13B ($11.8B paid in)' or 'paid in $15B (+$35B conditional)': equity in the money box's words."""
    unconditional, paid = row["invested_unconditional_usd_bn"], row["paid_in_usd_bn"]
    if paid >= unconditional:
        words = f"paid in {money(unconditional)}{paid_flag}"
    else:
        note = f", {paid_flag.strip(' ()')}" if paid_flag else ""  # one pair of brackets, not two
        words = f"committed {money(unconditional)}" + (f" ({money(paid)} paid in{note})" if paid > 0 else "")
    if row["invested_conditional_usd_bn"] > 0:
        words += f" (+{money(row['invested_conditional_usd_bn'])} {CONDITIONAL})"
    return words


def schedule_title(
    floors: pd.Series, term_years: int, starts_assumed: int, terms_assumed: int, deals: int, peak_words: str = ""
) -> str:
    """The schedule's finding with the assumptions that shape it: 'With assumed starts for 6 of 8 deals, and 5-year
    terms for the 3 with none reported, commitments would peak at $137.8B a year in 2027-28'."""
    years = list(floors.index)
    peak = floors.idxmax()
    # the peak in the words that keep its parts' kind ('about $137.8B or more'), as the year's total says it
    amount = peak_words.split(" (")[0] if peak_words else money(floors[peak])
    # 'peak at at least $137.8B' reads as a stutter: a floor peaks at '$137.8B or more'
    if amount.startswith("at least "):
        amount = f"{amount.removeprefix('at least ')} or more"
    top_years = [y for y in years if round(floors[y], 1) == round(floors[peak], 1)]
    if len(top_years) > 1:
        consecutive = top_years == list(range(top_years[0], top_years[-1] + 1))
        span = f"{top_years[0]}-{str(top_years[-1])[2:]}" if consecutive else ", ".join(map(str, top_years))
        shape = f"peak at {amount} a year in {span}"
    else:
        shape = f"peak at {amount} in {peak}"
    starts = f"assumed starts for {starts_assumed} of {deals} deals" if starts_assumed else "reported starts"
    terms = (
        f"{term_years}-year terms for the {terms_assumed} with none reported"
        if terms_assumed
        else "every term as reported"
    )
    return f"With {starts}, and {terms}, commitments would {shape}"
