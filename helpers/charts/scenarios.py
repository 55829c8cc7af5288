"""Charts of the valuation-scenarios notebook (04): each function returns a house figure whose title states the finding.

The shared grammar (helpers/charts/grammar.py): prices and multiples are not a company's, so they are neutral grey; a firm
price (announced, definitive, closed) is solid, a tentative one (talks, reports) hatched, a superseded one an outline;
an assumed value uses `grammar.assumed_style()`, and nothing else does. An arrow marks "at least", a cap "at most".
The heatmaps read losses as losses: purple below money back, grey above (no company's hue: Amazon's vermilion and
Microsoft's blue stay companies'), on a scale centred on 1.0x whose ends come from the data.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MultipleLocator

from helpers.analysis import hurdle_words, scenario_words, scenarios, valuation
from helpers.analysis.valuation import with_bound
from helpers.charts import _placement as placement
from helpers.charts import frame, grammar
from helpers.data.views import aggregator_flag, stated
from helpers.data.vocabulary import BOUND_SIGNS
from helpers.notebook.tables import money

# Prices and multiples are not a company's: the grammar's neutral grey carries the status encoding
PRICE_COLOR = grammar.NEUTRAL
# valuation bounds as the house bound marks: 'at least' an arrow, 'at most' a cap
HOUSE_BOUNDS = {"at_least": "at_least", "at_most": "up_to"}
MUTED = grammar.NEUTRAL
DPI = frame.HOUSE_DPI


def price_style(status: str, superseded: bool = False, assumed: bool = False) -> dict:
    """Bar style for a price: assumed (the house assumption encoding), superseded (outline), or the status."""
    if assumed:
        return grammar.assumed_style()
    return grammar.bar_style("superseded" if superseded else status, PRICE_COLOR)


def _stacked(stated: str) -> str:
    """'more than $500B' on two lines, so the words of a bound fit above a bar."""
    for words in ("more than ", "up to ", "at least ", "at most ", "less than "):
        stated = stated.replace(words, words.strip() + "\n")
    return stated


def _source_ids(*id_lists: str) -> list[str]:
    seen: dict[str, None] = {}
    for ids in id_lists:
        for source_id in filter(None, str(ids).split(";")):
            seen.setdefault(source_id, None)
    return list(seen)


def _bound_mark(ax: Axes, x: float, y: float, bound: str) -> None:
    """The house bound marks on a vertical bar: an arrow up for 'at least', a cap for 'at most'."""
    if bound in HOUSE_BOUNDS:
        grammar.bound_mark(ax, x, y, HOUSE_BOUNDS[bound], grammar.INK, horizontal=False)


def _bound_handles(bounds: list[str]) -> list[Line2D]:
    """Legend entries for the bound marks the chart draws."""
    shown = {
        "at_least": Line2D(
            [], [], marker="^", color=grammar.INK, linestyle="", markersize=7, label="arrow: at least this"
        ),
        "at_most": Line2D(
            [],
            [],
            marker="_",
            color=grammar.INK,
            linestyle="",
            markersize=12,
            markeredgewidth=2.2,
            label="cap: at most this",
        ),
    }
    return [shown[b] for b in ("at_least", "at_most") if b in bounds]


def _bar_label(ax: Axes, x: float, y: float, text: str) -> None:
    ax.annotate(
        text, (x, y), xytext=(0, 8), textcoords="offset points", ha="center", va="bottom", fontsize=8, color=grammar.INK
    )


def _short_tick(row: pd.Series) -> str:
    """'Employee share sale / Oct 2025': the mark in words and its date."""
    return textwrap.fill(scenarios.capitalised(str(row["label"])), 20) + f"\n{row['reported_on']:%b %Y}"


def talks_shown(mark_table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Valuations reported only in talks, one per deal, for deals with no price paid: drawn as talks, never as entries."""
    talks = scenarios.talk_prices(figures)
    talks = talks[~talks["event"].isin(mark_table["event"]) & ~talks["part_of"].isin(mark_table["event"])]
    return talks.sort_values(["reported_on", "figure_id"]).drop_duplicates("event", keep="first")


def marks_chart(
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    params: scenarios.Parameters,
    sources: pd.DataFrame,
    figures: pd.DataFrame,
    talks: pd.DataFrame | None = None,
) -> Figure:
    """Top: every price paid, the talks with no price paid, and the listing; bottom: the money multiple of the cheque
    at each price paid against the multiple the hurdle rate needs over the same years (`talks`: `talks_shown` of the
    same marks and figures, when the caller has it already, as 04's slider panel does)."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(frame.HOUSE_WIDTH_IN, 6.0), layout="constrained", dpi=DPI)
    talks = talks_shown(mark_table, figures) if talks is None else talks
    items = [("mark", m, row) for m, row in mark_table.iterrows()] + [
        ("talk", row["figure_id"], row) for _, row in talks.iterrows()
    ]
    items.sort(key=lambda item: item[2]["reported_on"])
    ticks, positions = [], {}
    for position, (kind, key, row) in enumerate(items):
        if kind == "mark":
            positions[key] = position
            top.bar(position, row["valuation_usd_bn"], width=0.6, **price_style(row["status"]))
            _bar_label(top, position, row["valuation_usd_bn"], _stacked(row["stated"]))
            _bound_mark(top, position, row["valuation_usd_bn"], row["bound"])
            ticks.append(_short_tick(row))
        else:
            top.bar(position, row["value"], width=0.6, **price_style("in_talks"))
            text = stated(row)
            _bar_label(top, position, row["value"], _stacked(text))
            _bound_mark(top, position, row["value"], valuation.bound_of(row["qualifier"]))
            ticks.append(textwrap.fill(f"{row['deal']}: talks", 20) + f"\n{row['reported_on']:%b %Y}")
    at = len(items)
    top.bar(
        at,
        listing_row["valuation_usd_bn"],
        width=0.6,
        **price_style(listing_row["status"], assumed=listing_row["assumed"]),
    )
    _bar_label(top, at, listing_row["valuation_usd_bn"], _stacked(listing_row["stated"]))
    _bound_mark(top, at, listing_row["valuation_usd_bn"], listing_row["bound"])
    # the listing date is always an assumption (YEARS_TO_LISTING): its tick says so
    listing_tick = f"Listing\n{listing_row['listing_on']:%b %Y} (assumed)"
    top.set_xticks(range(at + 1), [*ticks, listing_tick])
    top.tick_params(axis="x", labelsize=7)
    top.set_xlim(-0.6, at + 0.6)
    top.set_ylim(0, max(numbers.loc["valuation_usd_bn"].max(), listing_row["valuation_usd_bn"]) * 1.35)
    grammar.usd_axis(top, "y")
    top.grid(axis="x", visible=False)
    top.grid(axis="y", visible=True)
    top.set_title(
        "Prices paid (solid; post-money), talks with no price paid (hatched; basis as reported) and the listing, $B",
        fontsize=9, fontweight="normal", loc="left",
    )  # fmt: skip

    multiples = numbers.loc["multiple", mark_table.index]
    multiple_bounds = bounds.loc["multiple", mark_table.index]
    hurdles = numbers.loc["hurdle_multiple", mark_table.index]
    # under a ceiling on the listing, a buyer beats the hurdle for sure only if the lowest reported value is enough
    lowest_usd_bn = hurdle_words.lowest_reported_listing_usd_bn(figures)
    sure = {m for m in mark_table.index if numbers.at["breakeven_hurdle_usd_bn", m] <= lowest_usd_bn}
    beaten = [m for m in mark_table.index if multiples[m] >= hurdles[m] and multiple_bounds[m] == "at_most"]
    everywhere = hurdle_words.beaten_everywhere(mark_table, numbers, beaten, lowest_usd_bn)
    for mark_id, value, bound in zip(mark_table.index, multiples, multiple_bounds, strict=True):
        position, mark, hurdle = positions[mark_id], mark_table.loc[mark_id], hurdles[mark_id]
        bottom.bar(position, value, width=0.6, **price_style(mark["status"]))
        _bound_mark(bottom, position, value, bound)
        bottom.plot([position - 0.36, position + 0.36], [hurdle, hurdle], color=grammar.INK, linewidth=1.6)
        words = "a loss" if value < 1 else ("below the hurdle" if value < hurdle else "above the hurdle")
        if words == "above the hurdle" and bound == "at_most" and mark_id not in sure:
            words = "could beat the hurdle"  # a ceiling above the hurdle, and a reported value that misses it
        _bar_label(
            bottom,
            position,
            max(value, hurdle),
            _stacked(with_bound(scenario_words.shown("multiple", value, "exact"), bound)) + f"\n{words}",
        )
    for position, (kind, _key, _row) in enumerate(items):
        if kind == "talk":
            bottom.text(position, 0.15, "no price\npaid", ha="center", va="bottom", fontsize=7.5, color=MUTED)
    bottom.axhline(1.0, color=grammar.INK, linewidth=0.9, linestyle="--")
    bottom.annotate("1.0x = money back", (1.0, 1.0), xycoords=("axes fraction", "data"), xytext=(-2, 3),
                    textcoords="offset points", ha="right", va="bottom", fontsize=7.5, color=MUTED)  # fmt: skip
    bottom.set_xticks(range(at), ticks)
    bottom.tick_params(axis="x", labelsize=7)
    bottom.set_xlim(-0.6, at + 0.6)
    bottom.set_ylim(0, max(multiples.max(), hurdles.max(), 1.0) * 1.5)
    bottom.yaxis.set_major_locator(MultipleLocator(1.0 if multiples.max() > 3 else 0.5))
    bottom.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}x")
    bottom.grid(axis="x", visible=False)
    bottom.grid(axis="y", visible=True)
    bottom.set_title(
        "Multiple at the listing of any cheque bought at each price paid (x); "
        f"line: what a {params.hurdle_rate:.0%} a year hurdle needs",
        fontsize=9, fontweight="normal", loc="left",
    )  # fmt: skip

    latest_id = scenarios.latest_mark(mark_table)
    first_id = mark_table.index[0]
    latest, first = mark_table.loc[latest_id], mark_table.loc[first_id]
    verdict = "short of" if multiples[latest_id] < hurdles[latest_id] else "above"
    title = (
        f"The latest price paid, {money(latest['valuation_usd_bn'])}, returns "
        f"{with_bound(scenario_words.shown('multiple', multiples[latest_id], 'exact'), multiple_bounds[latest_id])} at a "
        f"listing of {listing_row['stated']}{aggregator_flag(listing_row['source_ids'], sources)}, {verdict} the {hurdles[latest_id]:.2f}x a {params.hurdle_rate:.0%} "
        f"hurdle needs; {money(first['valuation_usd_bn'])} returns "
        f"{with_bound(scenario_words.shown('multiple', multiples[first_id], 'exact'), multiple_bounds[first_id])}"
    )
    subtitle = (
        f"Price of each private mark and of the listing, $B; money multiple = value of the stake at the listing / "
        f"the cheque, after the rounds priced since each price paid and {params.dilution_to_listing:.0%} assumed "
        f"dilution, listing {params.years_to_listing:g} year"
        f"{'' if params.years_to_listing == 1 else 's'} after {params.as_of:%-d %b %Y} (assumed)"
    )
    frame.titles(fig, title, subtitle)
    listing_source = listing_row["source_ids"] if not listing_row["assumed"] else ""
    frame.footer(
        fig,
        _source_ids(*mark_table["source_ids"], *talks["source_ids"], listing_source),
        sources,
        note=f"Stake = cheque / the round's post-money value; the {money(params.investment_usd_bn)} cheque is "
        "hypothetical and the multiples do not depend on its size. Talks set no price, so no buyer enters there. The "
        f"listing date, the dilution and the hurdle rate are assumptions"
        f"{'; so is the listing value' if listing_row['assumed'] else '; the listing value is the reported figure'}."
        + (f" 'Above the hurdle' holds{everywhere}." if everywhere else ""),
    )
    status_handles = [
        Patch(label="price paid: a closed round or tender", **grammar.bar_style("closed", MUTED)),
        Patch(label="talks: no price paid", **grammar.bar_style("in_talks", MUTED)),
    ]
    if listing_row["assumed"]:
        status_handles.append(grammar.assumed_legend_handle("assumed value"))
    else:
        # the listing bar carries its own status style: say what it is, so it is not read as a talk
        status_handles.append(
            Patch(
                label=f"listing: a {listing_row['status'].replace('_', ' ')} value, no price paid",
                **price_style(listing_row["status"], assumed=False),
            )
        )
    all_bounds = [
        *mark_table["bound"],
        listing_row["bound"],
        *multiple_bounds,
        *talks["qualifier"].map(valuation.bound_of),
    ]
    placement.legend_clear_of_data(top, status_handles + _bound_handles(all_bounds), fontsize=7.5)
    # the legend's placement laid the figure out, and a legend inside the axes does not move it: saving lays it out
    # no second time (half the cost of a redraw in 04's slider panel, and the same picture)
    fig.set_layout_engine("none")
    frame.attach_data(fig, numbers)
    return fig


def _norm(values: np.ndarray, center: float, margin: float) -> TwoSlopeNorm:
    """A colour scale centred on `center`, its ends from the data (at least `margin` either side of the centre)."""
    low = min(float(np.nanmin(values)), center - margin)
    high = max(float(np.nanmax(values)), center + margin)
    return TwoSlopeNorm(vcenter=center, vmin=low, vmax=high)


def _heatmap(
    ax: Axes,
    values: np.ndarray,
    texts: list[list[str]],
    x_labels: list[str],
    y_labels: list[str],
    center: float,
    margin: float,
    base: tuple[int, int] | None = None,
    fontsize: float = 7.5,
):
    """Annotated grid on a diverging scale centred on `center`, its ends from the data; the optional base cell boxed."""
    norm = _norm(values, center, margin)
    image = ax.imshow(values, cmap=grammar.LOSS_GAIN_CMAP, norm=norm, aspect="auto", origin="lower")
    cmap = grammar.LOSS_GAIN_CMAP
    for (row, column), value in np.ndenumerate(values):
        red, green, blue, _ = cmap(norm(value))
        dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
        ax.text(column, row, texts[row][column], ha="center", va="center", fontsize=fontsize,
                color="white" if dark else grammar.INK)  # fmt: skip
    if base is not None:
        ax.add_patch(Rectangle((base[1] - 0.5, base[0] - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=2.2))
    ax.set_xticks(range(len(x_labels)), x_labels)
    ax.set_yticks(range(len(y_labels)), y_labels)
    ax.tick_params(axis="both", length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def _colorbar(fig: Figure, image, ax: Axes, label: str, center: float, fmt) -> None:
    """A slim scale beside a heatmap, the centre (money back) drawn as a line."""
    bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.02, aspect=15)
    bar.set_label(label, fontsize=7.5)
    bar.ax.axhline(center, color=grammar.INK, linewidth=1)
    bar.ax.tick_params(labelsize=7.5)
    bar.ax.yaxis.set_major_formatter(fmt)


def case_grid_chart(
    grid_rows: pd.DataFrame,
    case_table: pd.DataFrame,
    mark_table: pd.DataFrame,
    params: scenarios.Parameters,
    sources: pd.DataFrame,
    figures: pd.DataFrame,
) -> Figure:
    """The named cases (rows) for a buyer at every mark (columns): the multiple, purple below 1.0x, grey above."""
    multiples = grid_rows.pivot(index="case", columns="mark", values="multiple").loc[case_table.index, mark_table.index]
    bounds = grid_rows.pivot(index="case", columns="mark", values="bound").loc[case_table.index, mark_table.index]
    returns = grid_rows.pivot(index="case", columns="mark", values="annual_return").loc[
        case_table.index, mark_table.index
    ]
    hurdle = params.hurdle_rate

    def words(m: float, r: float) -> str:
        return ": loss" if m < 1 else (f": <{hurdle:.0%}/yr" if r < hurdle else "")

    texts = [
        [
            f"{BOUND_SIGNS[b]}{scenario_words.shown('multiple', m, 'exact')}" + words(m, r)
            for m, r, b in zip(mrow, rrow, brow, strict=True)
        ]
        for mrow, rrow, brow in zip(multiples.to_numpy(), returns.to_numpy(), bounds.to_numpy(), strict=True)
    ]
    fig, ax = frame.new_figure(height=0.9 + 0.55 * len(case_table))
    y_labels = []
    for _, case in case_table.iterrows():
        value = with_bound(money(case["listing_usd_bn"]), case["bound"])
        y_labels.append(
            f"{case['label']}: {value} ({'assumed' if case['assumed'] else 'reported'})\n"
            f"in {case['years_to_listing']:g} yr, {case['dilution']:.0%} dilution (assumed)"
        )
    image = _heatmap(
        ax,
        multiples.to_numpy(),
        texts,
        [_short_tick(row) for _, row in mark_table.iterrows()],
        y_labels,
        center=1.0,
        margin=0.1,
        fontsize=8.5,
    )
    ax.xaxis.tick_top()
    ax.tick_params(axis="both", labelsize=8)
    _colorbar(fig, image, ax, "money multiple", 1.0, lambda v, _pos: f"{v:g}x")

    latest_id = scenarios.latest_mark(mark_table)
    worst_case = multiples[latest_id].idxmin()
    best_case = multiples[latest_id].idxmax()
    losses = int((multiples.to_numpy() < 1).sum())
    short = int(((returns.to_numpy() < hurdle) & (multiples.to_numpy() >= 1)).sum())
    title = (
        f"A buyer at {money(mark_table.loc[latest_id, 'valuation_usd_bn'])} gets "
        f"{with_bound(f'{multiples.at[worst_case, latest_id]:.2f}x', bounds.at[worst_case, latest_id])} in the "
        f"{case_table.loc[worst_case, 'label'].lower()} case and "
        f"{with_bound(f'{multiples.at[best_case, latest_id]:.2f}x', bounds.at[best_case, latest_id])} in the "
        f"{case_table.loc[best_case, 'label'].lower()} case; {losses} of {multiples.size} outcomes lose money and "
        f"{short} more {'earns' if short == 1 else 'earn'} less than {hurdle:.0%} a year"
    )
    signs = sorted({BOUND_SIGNS[b] + " " + b.replace("_", " ") for b in bounds.to_numpy().ravel() if BOUND_SIGNS[b]})
    subtitle = (
        f"Money multiple of {money(params.investment_usd_bn)} bought at each price paid (columns) under each listing "
        f"case (rows), x; years counted from {params.as_of:%-d %b %Y}" + (f"; {', '.join(signs)}" if signs else "")
    )
    frame.titles(fig, title, subtitle)
    cited = figures[figures["figure_id"].isin(case_table["figure_id"].dropna())]
    frame.footer(
        fig,
        _source_ids(*mark_table["source_ids"], *cited["source_ids"]),
        sources,
        note=f"Purple: money lost; grey: money made; the scale is centred on 1.0x (money back). The {hurdle:.0%} hurdle "
        "rate is an assumption; so are the case values, years and dilution, except a reported listing value.",
    )
    frame.attach_data(fig, {"multiple": multiples, "annual return": returns, "bound": bounds})
    return fig


def _sensitivity_table(
    multiples: np.ndarray, returns: np.ndarray, listing_values: np.ndarray, years: np.ndarray, dilutions: np.ndarray
) -> pd.DataFrame:
    """The two heatmaps' cells as rows: listing value with dilution (multiple), listing value with years (return)."""
    top = [
        {"panel": "multiple", "listing_value_usd_bn": v, "dilution": d, "years": "", "value": multiples[i, j]}
        for i, v in enumerate(listing_values)
        for j, d in enumerate(dilutions)
    ]
    bottom = [
        {"panel": "annual return", "listing_value_usd_bn": v, "dilution": "", "years": y, "value": returns[i, j]}
        for i, v in enumerate(listing_values)
        for j, y in enumerate(years)
    ]
    return pd.DataFrame(top + bottom)


def sensitivity_chart(
    cube: dict[str, np.ndarray],
    listing_values: np.ndarray,
    years: np.ndarray,
    dilutions: np.ndarray,
    base: tuple[int, int, int],
    mark: pd.Series,
    params: scenarios.Parameters,
    sources: pd.DataFrame,
    listing_row: pd.Series | None = None,
) -> Figure:
    """Two heatmaps for the chosen entry, one above the other: multiple by listing value x dilution, annual return
    by listing value x years. The listing values on the grid are assumptions (exact), so only the price paid can bound
    a cell; the reported listing value (a ceiling, if 'up to') is named on the axis and in the boxed case, and cited."""
    multiple_bound = valuation.flipped(mark["bound"])
    height = 1.6 + 0.2 * (len(listing_values) * 2)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(frame.HOUSE_WIDTH_IN, height), layout="constrained", dpi=DPI)
    sign = BOUND_SIGNS[multiple_bound]
    value_labels = [money(v) for v in listing_values]
    multiples = np.asarray(cube["multiple"][:, base[1], :])
    returns = np.asarray(cube["annual_return"][:, :, base[2]])
    image = _heatmap(
        top,
        multiples,
        [[sign + scenario_words.shown("multiple", v, "exact").rstrip("x") for v in row] for row in multiples],
        [f"{d:.0%}" for d in dilutions],
        value_labels,
        center=1.0,
        margin=0.1,
        base=(base[0], base[2]),
    )
    _colorbar(fig, image, top, "money multiple", 1.0, lambda v, _pos: f"{v:g}x")
    top.set_xlabel(
        "dilution before the listing (assumed)"
        + (f", after {mark['diluted_by']} (x{mark['kept_share']:.3f})" if mark["diluted_by"] else "")
    )
    reported = f"\nreported: {listing_row['stated']}" if listing_row is not None and not listing_row["assumed"] else ""
    top.set_ylabel(f"listing value (assumed){reported}")
    top.set_title(
        f"Money multiple (x), listing {years[base[1]]:g} yr after {params.as_of:%b %Y}",
        fontsize=9, fontweight="normal", loc="left",
    )  # fmt: skip
    image = _heatmap(
        bottom,
        returns * 100,
        [[f"{sign}{v * 100:.0f}" for v in row] for row in returns],
        [f"{y:g}" for y in years],
        value_labels,
        center=params.hurdle_rate * 100,  # a gain means beating the hurdle, not 0%
        margin=5.0,
        base=(base[0], base[1]),
    )
    _colorbar(fig, image, bottom, "annual return", params.hurdle_rate * 100, lambda v, _pos: f"{v:+.0f}%")
    bottom.set_xlabel(f"years from {params.as_of:%b %Y} to the listing (assumed)")
    bottom.set_ylabel(f"listing value (assumed){reported}")
    bottom.set_title(
        f"Annual return (% a year), {dilutions[base[2]]:.0%} dilution at any wait (no cost of delay); purple: below "
        f"{params.hurdle_rate:.0%}",
        fontsize=9, fontweight="normal", loc="left",
    )  # fmt: skip

    dilution = params.dilution_to_listing
    breakeven = scenarios.breakeven(mark, dilution)
    floor = " (or more: the price was a floor)" if multiple_bound == "at_most" else ""
    # at most two lines at the column width: the entry and the two break-even listings
    held = scenarios.elapsed_years(mark, params) + years[base[1]]
    at_hurdle = float(
        valuation.breakeven_listing_at_hurdle(
            mark["valuation_usd_bn"], mark["kept_share"], dilution, params.hurdle_rate, held
        )
    )
    title = (
        f"Bought at {money(mark['valuation_usd_bn'])} ({mark['reported_on']:%b %Y}), money comes back above a "
        f"{money(breakeven)} listing{floor} and earns {params.hurdle_rate:.0%} a year only above "
        f"{money(at_hurdle)} (listing in {years[base[1]]:g} yr, {dilution:.0%} dilution)"
    )
    # the boxed cell in words: readers of the report never see the notebook's parameter cell
    central = (
        f"listing {money(listing_values[base[0]])}, {dilutions[base[2]]:.0%} dilution, {years[base[1]]:g} year"
        f"{'' if years[base[1]] == 1 else 's'}"
    )
    # a boxed listing equal to a reported ceiling: the boxed multiple is the most that report allows
    if (
        listing_row is not None
        and not listing_row["assumed"]
        and np.isclose(listing_values[base[0]], listing_row["valuation_usd_bn"])
        and listing_row["bound"] == "at_most"
    ):
        central += f"; the report says {listing_row['stated']}, so the boxed values are at most"
    subtitle = (
        "Multiple = value of the stake at the listing / the cheque, x; annual return from the mark to the listing, "
        f"% a year. Every axis is an assumption; boxed: the central case ({central})"
        + (f"; {sign} {multiple_bound.replace('_', ' ')}: the price was a floor" if sign else "")
    )
    frame.titles(fig, title, subtitle)
    frame.footer(
        fig,
        _source_ids(mark["source_ids"], listing_row["source_ids"] if listing_row is not None else ""),
        sources,
        note=f"Purple: below money back (top) or below the {params.hurdle_rate:.0%} hurdle rate, an assumption (bottom). "
        "Each scale runs to the grid's own lowest and highest value.",
    )
    frame.attach_data(fig, _sensitivity_table(multiples, returns, listing_values, years, dilutions))
    return fig
