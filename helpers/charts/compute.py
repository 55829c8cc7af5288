"""The charts of notebook 03, compute commitments: deals by provider, the assumed annual schedule, commitments
against capital and revenue, and the money that flows both ways."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.analysis import compute
from helpers.analysis.compute import provider_rows
from helpers.analysis.funding import CONDITIONAL, PAID_IN, WITHOUT_CONDITIONS, capital_totals
from helpers.analysis.funding_words import capital_words
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.charts.grammar import NEUTRAL, NEUTRAL_LIGHT, conditional_style, deal_bars
from helpers.data.views import sources_of
from helpers.data.vocabulary import (
    COMPANY_COLORS,
    UPPER_BOUND_QUALIFIERS,
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
    ax.xaxis.set_major_locator(MaxNLocator(6))  # long deal names leave a narrow axis: fewer ticks stay apart
    disclosed = shown.dropna(subset=["value"])
    # a ceiling ("up to") is not summed as if it were its value: the share is of the deals' floors
    counted = disclosed[~disclosed["qualifier"].isin(UPPER_BOUND_QUALIFIERS)]
    biggest = disclosed.iloc[:2]
    frame.titles(
        fig,
        f"Two contracts, with {biggest['provider'].iloc[0]} and {biggest['provider'].iloc[1]}, make up "
        f"{biggest['value'].sum() / counted['value'].sum():.0%} of the disclosed compute commitments",
        f"What OpenAI agreed to buy, per deal, latest reported size, $ billions; "
        f"{int(shown['value'].isna().sum())} deals have no disclosed amount",
    )
    frame.footer(fig, sources_of(shown), sources)
    placement.make_room_right(ax)  # after the footer: the layout is final
    # bounds and undisclosed amounts are said in words at each bar, so the key only explains the fills
    placement.legend_clear_of_data(ax, grammar.status_legend_handles(["firm", "tentative"]))
    return fig


def schedule_chart(
    schedule: pd.DataFrame, rows: pd.DataFrame, sources: pd.DataFrame, term_years: int, start_delay_years: int
) -> Figure:
    """Annual amounts stacked by provider; tentative deals hatched, assumed timing in the assumption encoding."""
    years = sorted(schedule["year"].unique())
    drawn = schedule.assign(assumed=schedule["term_assumed"] | schedule["start_assumed"])  # also in compute
    floor_column = "floor_usd_bn" if "floor_usd_bn" in drawn else "amount_usd_bn"
    bottom = pd.Series(0.0, index=years)
    fig, ax = frame.new_figure(height=3.8)
    # only floors are stacked: an 'up to' part is a ceiling, drawn as a cap above the stack, never a segment
    for (provider, status, assumed), part in drawn.groupby(["provider", "status", "assumed"], sort=True):
        per_year = part.groupby("year")[floor_column].sum().reindex(years, fill_value=0.0)
        if not per_year.any():
            continue
        color = grammar.company_color(provider)
        style = grammar.assumed_style(color) if assumed else grammar.bar_style(status, color)
        ax.bar(years, per_year, bottom=bottom, width=0.75, **style)
        bottom = bottom + per_year
    above = drawn.assign(_ceiling=drawn["amount_usd_bn"] - drawn[floor_column])
    caps = above[above["_ceiling"] > 1e-9].groupby(["provider", "year"])["_ceiling"].sum()
    cap_tops = bottom.copy()
    for (provider, year), ceiling in caps.items():
        color = grammar.company_color(provider)
        top = cap_tops[year] + ceiling
        ax.vlines(year, cap_tops[year], top, color=color, linewidth=1.4)
        ax.hlines(top, year - 0.2, year + 0.2, color=color, linewidth=2.2)
        cap_tops[year] = top
    providers = list(dict.fromkeys(drawn.sort_values("provider")["provider"]))
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
    # an "up to" deal is drawn at its ceiling but never counted in a total: the peak is read from the floors
    floors = drawn.groupby("year")[floor_column].sum()
    peak = floors.idxmax()
    # equal top years (to the nearest $0.1B) are a plateau, not a peak
    top_years = [y for y in years if round(floors[y], 1) == round(floors[peak], 1)]
    ceilings = cap_tops[peak] - floors[peak]
    if len(top_years) > 1:
        span = (
            f"{top_years[0]}-{str(top_years[-1])[2:]}"
            if top_years == list(range(top_years[0], top_years[-1] + 1))
            else ", ".join(map(str, top_years))
        )
        finding = f"Spread over their terms, commitments plateau at {money(floors[peak])} a year in {span}"
    else:
        finding = f"Spread over their terms, commitments peak at {money(floors[peak])} a year in {peak}"
    frame.titles(
        fig,
        finding,
        "Commitments per year, $ billions, each contract spread evenly over its term; a schedule under "
        "assumptions, not a spending forecast"
        + (
            f"; 'up to' deals drawn as a cap above the stack ({money(ceilings)} in {peak}), not counted"
            if ceilings
            else ""
        ),
    )
    delay = f"{start_delay_years} year{'s' if start_delay_years != 1 else ''} after" if start_delay_years else "in"
    note = (
        f"Assumptions where no source gives them (dotted bars): a term of {term_years} years, starting {delay} "
        "the year of the report."
    )
    frame.footer(fig, sources_of(rows.dropna(subset=["value"])), sources, note=note)
    return fig


COMPARISON_SHADES = {"commitment": COMPANY_COLORS["OpenAI"], "capital": NEUTRAL, "revenue": NEUTRAL_LIGHT}


def _month_words(text: str) -> str:
    """'revenue run rate, 2026-05' -> 'revenue run rate, May 2026'."""
    import re

    return re.sub(r"\b(\d{4})-(\d{2})\b", lambda m: pd.Timestamp(f"{m[1]}-{m[2]}-01").strftime("%b %Y"), text)


def comparison_chart(comparison: pd.DataFrame, deals: pd.DataFrame, figures: pd.DataFrame, sources) -> Figure:
    """Commitments, capital raised and revenue on one $ scale, in greys (these are not companies)."""
    fig, ax = frame.new_figure(height=3.3)
    values = comparison["usd_bn"]
    capital = capital_totals(figures)
    names = [_month_words(m) for m in comparison.index]
    for position, (measure, row) in enumerate(comparison.iterrows()):
        color = COMPARISON_SHADES[row["kind"]]
        assumed = "assumption" in row["covers"] or "assumed" in measure
        style = grammar.assumed_style(color) if assumed else {"facecolor": color, "edgecolor": color}
        words = money(row["usd_bn"])
        with_conditional = row["kind"] == "capital" and abs(row["usd_bn"] - capital["total_usd_bn"]) < 1e-6
        if with_conditional and capital["conditional_usd_bn"] > 0:
            # the capital total holds conditional money: drawn and named apart, in the conditional encoding
            ax.barh(position, capital["without_conditions_usd_bn"], height=0.7, **style)
            ax.barh(
                position,
                capital["conditional_usd_bn"],
                left=capital["without_conditions_usd_bn"],
                height=0.7,
                **conditional_style(color),
            )
            words = (
                f"{money(capital['without_conditions_usd_bn'])} + {money(capital['conditional_usd_bn'])} {CONDITIONAL}"
            )
            names[position] = f"capital {WITHOUT_CONDITIONS}, plus {CONDITIONAL}"
        else:
            ax.barh(position, row["usd_bn"], height=0.7, **style)
        if row["kind"] == "capital" and not with_conditional:
            names[position] = names[position].replace("capital paid in, reported", f"capital {PAID_IN}")
        floor = "at least" in row["covers"]
        if floor:
            grammar.bound_mark(ax, row["usd_bn"], position, "at_least", color)
        ax.annotate(
            ("at least " if floor else "") + words + (" (assumed)" if assumed else ""),
            (row["usd_bn"], position),
            xytext=(9 if floor else 4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(values)), [m[0].upper() + m[1:] for m in names])
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.set_xlim(0, values.max() * 1.05)
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    ax.xaxis.set_major_locator(MaxNLocator(5))  # long row names leave a narrow axis: fewer ticks stay apart
    kinds = comparison["kind"]
    commitments = values[kinds.eq("commitment")].iloc[0]
    revenue = values[kinds.eq("revenue")].iloc[0]
    frame.titles(
        fig,
        f"Announced compute commitments are {commitments / capital['without_conditions_usd_bn']:.1f}x the capital "
        f"{WITHOUT_CONDITIONS} to OpenAI and {commitments / revenue:.0f}x a year of revenue",
        "Commitments (black), capital (grey) and revenue (light grey), $ billions; commitment totals cover "
        "several years, revenue one; dotted: rests on an assumption; white: conditional",
    )
    frame.footer(fig, compute.comparison_sources(deals, figures), sources)
    placement.make_room_right(ax)  # after the footer: the layout is final
    return fig


def flows_chart(flows: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """Investors that are also suppliers: equity each put in (its colour) beside OpenAI's purchase commitments to it
    (black), side by side and never netted."""
    fig, ax = frame.new_figure(height=3.2)
    openai = COMPANY_COLORS["OpenAI"]
    for position, (company, row) in enumerate(flows.iterrows()):
        color = grammar.company_color(company)
        into, back = position - 0.2, position + 0.2
        paid = min(row["paid_in_usd_bn"], row["invested_unconditional_usd_bn"])
        blocks = [
            (paid, grammar.bar_style("closed", color)),
            (row["invested_unconditional_usd_bn"] - paid, grammar.unpaid_style(color)),
            (row["invested_conditional_usd_bn"], conditional_style(color)),
        ]
        left = 0.0
        for width, style in blocks:
            if width > 0:
                ax.barh(into, width, left=left, height=0.36, **style)
                left += width
        end = left
        words = f"{money(row['invested_unconditional_usd_bn'])} equity in"
        if row["invested_conditional_usd_bn"] > 0:
            words += f" + {money(row['invested_conditional_usd_bn'])} {CONDITIONAL}"
        if row["paid_in_usd_bn"] > 0:
            words += f" ({money(row['paid_in_usd_bn'])} paid)"
        if row["lapsed_pledge_usd_bn"] > 0:
            ax.barh(into, row["lapsed_pledge_usd_bn"], height=0.36, **grammar.bar_style("superseded", color))
            grammar.bound_mark(ax, row["lapsed_pledge_usd_bn"], into, "up_to", color)
            end = max(end, row["lapsed_pledge_usd_bn"])
            words += f"; a pledge of up to {money(row['lapsed_pledge_usd_bn'])} lapsed"
        ax.annotate(words, (end, into), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
        ax.barh(back, row["committed_back_usd_bn"], height=0.36, **grammar.bar_style("closed", openai))
        back_words = (
            f"{money(row['committed_back_usd_bn'])} of purchases committed"
            if row["committed_back_usd_bn"] > 0
            else "no purchase commitment"
        )
        if row.get("undisclosed_back", 0):
            back_words += f" + {int(row['undisclosed_back'])} undisclosed"
        ax.annotate(
            back_words,
            (row["committed_back_usd_bn"], back),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(flows)), list(flows.index))
    ax.set_ylim(len(flows) - 0.45, -0.55)
    top = float(flows[["invested_usd_bn", "committed_back_usd_bn", "lapsed_pledge_usd_bn"]].to_numpy().max())
    ax.set_xlim(0, top * 1.02)
    ax.grid(axis="y", visible=False)
    grammar.usd_axis(ax)
    frame.titles(
        fig,
        f"{len(flows)} investors that also sell to OpenAI: "
        + capital_words(
            {
                "without_conditions_usd_bn": flows["invested_unconditional_usd_bn"].sum(),
                "conditional_usd_bn": flows["invested_conditional_usd_bn"].sum(),
            }
        )
        + f", {money(flows['paid_in_usd_bn'].sum())} {PAID_IN}; OpenAI committed "
        f"{money(flows['committed_back_usd_bn'].sum())} to buy from them",
        "Money in each direction, $ billions, never netted. Upper bar, equity put in: solid reported paid, lighter "
        "not reported paid, white conditional, dashed a lapsed pledge. Lower bar, black: OpenAI's multi-year "
        "purchase commitments to that company",
    )
    frame.footer(fig, compute.flow_sources(figures), sources)
    placement.make_room_right(ax)  # after the footer: the layout is final
    return fig
