"""Charts of the valuation-scenarios notebook (04): each function returns a figure whose title states the finding.

Visual grammar, shared with the other notebooks: a firm price (announced, definitive, closed) is solid, a tentative
one (talks, reports) hatched, a superseded one an outline; an assumed value is white with a dotted outline and a
grey dot hatch, an encoding used for nothing else. A floor ("more than") carries an upward triangle, a ceiling
("up to") a downward one. Gains are blue and losses red, on a colour scale centred on 1.0x.
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

from helpers import plotting, scenarios, valuation
from helpers.ledger import money
from helpers.valuation import BOUND_SIGNS, with_bound

PRICE_COLOR = plotting.COMPANY_COLORS["OpenAI"]  # the prices are OpenAI's valuations
GAIN_COLOR = "#2166AC"  # the blue end of the RdBu scale the heatmaps use
LOSS_COLOR = "#B2182B"  # its red end
CMAP = "RdBu"
BOUND_MARKERS = {"at_least": "^", "at_most": "v"}
BOUND_MEANING = {"at_least": "a floor: more than this", "at_most": "a ceiling: up to this"}
INK = "#222222"
MUTED = "#555555"


def assumed_style() -> dict:
    """Keyword arguments for a bar whose value is an assumption: white, dotted outline, light grey dots."""
    return {"facecolor": "white", "edgecolor": "#888888", "hatch": "..", "linestyle": ":", "linewidth": 1.2}


def price_style(status: str, superseded: bool = False, assumed: bool = False) -> dict:
    """Bar style for a price: assumed, superseded (outline), or the house status encoding."""
    if assumed:
        return assumed_style()
    return plotting.bar_style("superseded" if superseded else status, PRICE_COLOR)


def _titles(fig: Figure, title: str, subtitle: str) -> None:
    """The finding as the title, what is measured and the unit as the subtitle, both left-aligned above the axes."""
    height = fig.get_figheight()
    line = lambda size: size * 1.3 / 72 / height  # noqa: E731  (one text line as a share of the figure height)
    subtitle_bottom = 1.0 + line(9.0) * 0.5
    # dollar amounts are text, not TeX: two "$" on one line would otherwise become math
    fig.text(0.0, subtitle_bottom, subtitle, ha="left", va="bottom", fontsize=9.0, color=MUTED, parse_math=False)
    title_bottom = subtitle_bottom + line(9.0) * (subtitle.count("\n") + 1) + line(12.5) * 0.3
    fig.suptitle(
        title, x=0.0, y=title_bottom, ha="left", va="bottom", fontsize=12.5, fontweight="bold", parse_math=False
    )


def _bound_marker(ax: Axes, x: float, y: float, bound: str, color: str) -> None:
    if bound in BOUND_MARKERS:
        ax.plot(x, y, marker=BOUND_MARKERS[bound], color=color, markersize=7, linestyle="", zorder=4, clip_on=False)


def _bound_handles(bounds: list[str]) -> list[Line2D]:
    return [
        Line2D([], [], marker=BOUND_MARKERS[b], color=INK, linestyle="", label=BOUND_MEANING[b])
        for b in ("at_least", "at_most")
        if b in bounds
    ]


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


def _mark_tick(row: pd.Series, width: int = 14) -> str:
    status = "superseded" if row.get("superseded", False) else row["status"].replace("_", " ")
    return textwrap.fill(scenarios.capitalised(str(row["label"])), width) + f"\n{status}\n{row['reported_on']:%b %Y}"


def marks_chart(
    mark_table: pd.DataFrame,
    listing_row: pd.Series,
    numbers: pd.DataFrame,
    bounds: pd.DataFrame,
    params: scenarios.Parameters,
    sources: pd.DataFrame,
) -> Figure:
    """Left: the price at each dated mark and at the listing; right: the money multiple of the cheque at each mark."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4.6), gridspec_kw={"width_ratios": [5, 4]})
    fig.subplots_adjust(wspace=0.25, bottom=0.2)
    ticks = [_mark_tick(row) for _, row in mark_table.iterrows()]
    listing_tick = f"Listing\n{'assumed' if listing_row['assumed'] else listing_row['status']}\n"
    listing_tick += f"{listing_row['listing_on']:%b %Y}\n(assumed date)"
    for position, (_, row) in enumerate(mark_table.iterrows()):
        left.bar(position, row["valuation_usd_bn"], width=0.7, **price_style(row["status"], row["superseded"]))
        left.annotate(
            _stacked(row["stated"]), (position, row["valuation_usd_bn"]), xytext=(0, 9), textcoords="offset points",
            ha="center", fontsize=8.5, color=INK,
        )  # fmt: skip
        _bound_marker(left, position, row["valuation_usd_bn"], row["bound"], INK)
    at = len(mark_table)
    listing_style = price_style(listing_row["status"], assumed=listing_row["assumed"])
    left.bar(at, listing_row["valuation_usd_bn"], width=0.7, **listing_style)
    left.annotate(
        _stacked(listing_row["stated"]), (at, listing_row["valuation_usd_bn"]), xytext=(0, 9), textcoords="offset points",
        ha="center", fontsize=8.5, color=INK,
    )  # fmt: skip
    _bound_marker(left, at, listing_row["valuation_usd_bn"], listing_row["bound"], INK)
    left.set_xticks(range(at + 1), [*ticks, listing_tick], fontsize=8)
    left.set_ylim(0, max(numbers.loc["valuation_usd_bn"].max(), listing_row["valuation_usd_bn"]) * 1.18)
    plotting.usd_axis(left, "y")
    left.grid(axis="x", visible=False)
    left.grid(axis="y", visible=True)
    left.set_title("Price at each mark ($B, post-money)", fontsize=10)

    multiples = numbers.loc["multiple", mark_table.index]
    multiple_bounds = bounds.loc["multiple", mark_table.index]
    for position, (value, bound) in enumerate(zip(multiples, multiple_bounds, strict=True)):
        right.bar(position, value, width=0.7, color=GAIN_COLOR if value >= 1 else LOSS_COLOR)
        _bound_marker(right, position, value, bound, INK)
        right.annotate(
            _stacked(with_bound(f"{value:.2f}x", bound)),
            (position, value), xytext=(0, 9), textcoords="offset points",
            ha="center", fontsize=8.5, color=INK,
        )  # fmt: skip
    right.axhline(1.0, color=INK, linewidth=0.9)
    right.annotate("1.0x:\nmoney\nback", (1.0, 1.0), xycoords=("axes fraction", "data"), xytext=(4, 0),
                   textcoords="offset points", ha="left", va="center", fontsize=7.5, color=MUTED)  # fmt: skip
    right.set_xticks(range(len(multiples)), ticks, fontsize=8)
    right.set_ylim(0, max(multiples.max(), 1.0) * 1.3)
    right.yaxis.set_major_locator(MultipleLocator(0.5))
    right.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}x")
    right.grid(axis="x", visible=False)
    right.grid(axis="y", visible=True)
    right.set_title(f"Multiple of {money(params.investment_usd_bn)} bought at each mark", fontsize=10)

    status_handles = [
        Patch(label="firm: announced or closed", **plotting.bar_style("closed", MUTED)),
        Patch(label="tentative: talks or a report", **plotting.bar_style("in_talks", MUTED)),
    ]
    if mark_table["superseded"].any():
        status_handles.append(Patch(label="superseded by a later price", **plotting.bar_style("superseded", MUTED)))
    if listing_row["assumed"]:
        status_handles.append(Patch(label="assumed value", **assumed_style()))
    all_bounds = [*mark_table["bound"], listing_row["bound"], *multiple_bounds]
    left.legend(handles=status_handles + _bound_handles(all_bounds), loc="upper left", fontsize=7.5)

    latest_id = scenarios.latest_mark(mark_table)
    first_id = mark_table.index[0]
    latest, first = mark_table.loc[latest_id], mark_table.loc[first_id]
    title = (
        f"At the latest private price, {money(latest['valuation_usd_bn'])} ({latest['reported_on']:%b %Y}), a buyer gets "
        f"{with_bound(f'{multiples[latest_id]:.2f}x', multiple_bounds[latest_id])} at a listing of "
        f"{listing_row['stated']}; at {money(first['valuation_usd_bn'])} ({first['reported_on']:%b %Y}) it was "
        f"{with_bound(f'{multiples[first_id]:.2f}x', multiple_bounds[first_id])}"
    )
    subtitle = (
        f"Price of each private mark and of the listing, $B; money multiple = value of the stake at the listing / "
        f"the cheque, after the priced rounds closed since each mark and {params.dilution_to_listing:.0%} assumed "
        f"dilution, listing {params.years_to_listing:g} year"
        f"{'' if params.years_to_listing == 1 else 's'} after {params.as_of:%-d %b %Y}"
    )
    _titles(fig, textwrap.fill(title, 105), subtitle)
    listing_source = listing_row["source_ids"] if not listing_row["assumed"] else ""
    plotting.footer(
        fig,
        _source_ids(*mark_table["source_ids"], listing_source),
        sources,
        note=f"Stake = cheque / the round's post-money value. Listing value, date and dilution are assumptions "
        f"(Assumptions cell){'' if listing_row['assumed'] else '; the listing value is the reported figure'}.",
    )
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
):
    """Annotated grid on a diverging scale centred on `center`; the optional base cell boxed."""
    norm = _norm(values, center, margin)
    image = ax.imshow(values, cmap=CMAP, norm=norm, aspect="auto", origin="lower")
    cmap = plt.get_cmap(CMAP)
    for (row, column), value in np.ndenumerate(values):
        red, green, blue, _ = cmap(norm(value))
        dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
        ax.text(column, row, texts[row][column], ha="center", va="center", fontsize=7.5,
                color="white" if dark else INK)  # fmt: skip
    if base is not None:
        ax.add_patch(Rectangle((base[1] - 0.5, base[0] - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=2.2))
    ax.set_xticks(range(len(x_labels)), x_labels)
    ax.set_yticks(range(len(y_labels)), y_labels)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def case_grid_chart(
    grid_rows: pd.DataFrame,
    case_table: pd.DataFrame,
    mark_table: pd.DataFrame,
    params: scenarios.Parameters,
    sources: pd.DataFrame,
    figures: pd.DataFrame,
) -> Figure:
    """The named cases (rows) for a buyer at every mark (columns): the multiple, red below 1.0x, blue above."""
    multiples = grid_rows.pivot(index="case", columns="mark", values="multiple").loc[case_table.index, mark_table.index]
    bounds = grid_rows.pivot(index="case", columns="mark", values="bound").loc[case_table.index, mark_table.index]
    texts = [
        [f"{BOUND_SIGNS[b]}{m:.2f}x" for m, b in zip(mrow, brow, strict=True)]
        for mrow, brow in zip(multiples.to_numpy(), bounds.to_numpy(), strict=True)
    ]
    fig, ax = plt.subplots(figsize=(11.5, 3.6))
    fig.subplots_adjust(left=0.27, right=0.97)
    y_labels = []
    for _, case in case_table.iterrows():
        value = with_bound(money(case["listing_usd_bn"]), case["bound"])
        y_labels.append(
            f"{case['label']}: {value} listing ({'assumed' if case['assumed'] else 'reported'}),\n"
            f"{case['years_to_listing']:g} yr after {params.as_of:%b %Y} (assumed), {case['dilution']:.0%} dilution"
        )
    image = _heatmap(
        ax,
        multiples.to_numpy(),
        texts,
        [_mark_tick(row, 22) for _, row in mark_table.iterrows()],
        y_labels,
        center=1.0,
        margin=0.1,
    )
    ax.xaxis.tick_top()
    ax.tick_params(axis="both", length=0, labelsize=8)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("money multiple (x)", fontsize=8)
    bar.ax.axhline(1.0, color=INK, linewidth=1)
    bar.ax.tick_params(labelsize=7.5)

    latest_id = scenarios.latest_mark(mark_table)
    worst_case = multiples[latest_id].idxmin()
    best_case = multiples[latest_id].idxmax()
    losses = int((multiples.to_numpy() < 1).sum())
    title = (
        f"A buyer at {money(mark_table.loc[latest_id, 'valuation_usd_bn'])} gets "
        f"{with_bound(f'{multiples.at[worst_case, latest_id]:.2f}x', bounds.at[worst_case, latest_id])} in the "
        f"{case_table.loc[worst_case, 'label'].lower()} case and "
        f"{with_bound(f'{multiples.at[best_case, latest_id]:.2f}x', bounds.at[best_case, latest_id])} in the "
        f"{case_table.loc[best_case, 'label'].lower()} case; {losses} of {multiples.size} outcomes lose money"
    )
    signs = sorted({BOUND_SIGNS[b] + " " + b.replace("_", " ") for b in bounds.to_numpy().ravel() if BOUND_SIGNS[b]})
    subtitle = (
        f"Money multiple of {money(params.investment_usd_bn)} bought at each mark (columns) under each named listing "
        f"case (rows), x; held from the mark's date to the listing" + (f"; {', '.join(signs)}" if signs else "")
    )
    _titles(fig, textwrap.fill(title, 100), textwrap.fill(subtitle, 120))
    cited = figures[figures["figure_id"].isin(case_table["figure_id"].dropna())]
    plotting.footer(
        fig,
        _source_ids(*mark_table["source_ids"], *cited["source_ids"]),
        sources,
        note="Case values, years and dilution come from data/scenarios.csv; the bear and bull listing values are "
        "assumptions, the base one the reported target. Blue: money made; red: money lost.",
    )
    return fig


def sensitivity_chart(
    cube: dict[str, np.ndarray],
    listing_values: np.ndarray,
    years: np.ndarray,
    dilutions: np.ndarray,
    base: tuple[int, int, int],
    mark: pd.Series,
    params: scenarios.Parameters,
    sources: pd.DataFrame,
) -> Figure:
    """Two heatmaps for the chosen entry: multiple by listing value x dilution, annual return by value x years.

    The listing values on the grid are assumptions (exact), so only the price paid can bound a cell.
    """
    multiple_bound = valuation.flipped(mark["bound"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4.6))
    fig.subplots_adjust(wspace=0.28)
    sign = BOUND_SIGNS[multiple_bound]
    value_labels = [money(v) for v in listing_values]
    multiples = np.asarray(cube["multiple"][:, base[1], :])
    returns = np.asarray(cube["annual_return"][:, :, base[2]])
    _heatmap(
        left,
        multiples,
        [[f"{sign}{v:.2f}" for v in row] for row in multiples],
        [f"{d:.0%}" for d in dilutions],
        value_labels,
        center=1.0,
        margin=0.1,
        base=(base[0], base[2]),
    )
    left.set_xlabel(
        "assumed dilution before the listing"
        + (f", after {mark['diluted_by']} (x{mark['kept_share']:.3f})" if mark["diluted_by"] else "")
    )
    left.set_ylabel("value at the listing (assumed)")
    left.set_title(f"Money multiple (x), listing {years[base[1]]:g} yr after {params.as_of:%b %Y}", fontsize=10)
    _heatmap(
        right,
        returns * 100,
        [[f"{sign}{v * 100:.0f}" for v in row] for row in returns],
        [f"{y:g}" for y in years],
        value_labels,
        center=0.0,
        margin=5.0,
        base=(base[0], base[1]),
    )
    right.set_xlabel(f"years from {params.as_of:%b %Y} to the listing (assumed)")
    right.set_title(f"Annual return (%), {dilutions[base[2]]:.0%} dilution", fontsize=10)

    dilution = params.dilution_to_listing
    breakeven = scenarios.breakeven(mark, dilution)
    worst = np.unravel_index(np.argmin(multiples), multiples.shape)
    floor = " (or more: the price is a floor)" if multiple_bound == "at_most" else ""
    title = (
        f"Bought at {money(mark['valuation_usd_bn'])} ({mark['reported_on']:%b %Y}), {money(params.investment_usd_bn)} "
        f"gets its money back only at a listing above {money(breakeven)}{floor} with {dilution:.0%} assumed dilution"
        + (f" after {mark['diluted_by']}'s" if mark["diluted_by"] else "")
        + "; "
        f"a {money(listing_values[worst[0]])} listing after {dilutions[worst[1]]:.0%} dilution returns "
        f"{sign}{multiples[worst]:.2f}x"
    )
    subtitle = (
        "Multiple = value of the stake at the listing / the cheque, x; annual return over the years from the mark "
        "to the listing, %. Every axis is an assumption; the boxed cell is the Assumptions cell"
        + (f"; {sign} {multiple_bound.replace('_', ' ')}: the price is a floor" if sign else "")
    )
    _titles(fig, textwrap.fill(title, 105), textwrap.fill(subtitle, 130))
    plotting.footer(
        fig,
        _source_ids(mark["source_ids"]),
        sources,
        note="Blue: money made; red: money lost. The colour scale is centred on 1.0x (left) and 0% a year (right).",
    )
    return fig
