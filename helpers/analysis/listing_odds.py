"""Listing odds: a seeded, vectorised Monte Carlo of what a stake bought at each private mark returns at a listing.

Three inputs are drawn (the listing value, the years from AS_OF to the listing, the dilution before it); the
arithmetic on each draw is `helpers.valuation`'s, so a draw equals the deterministic side-by-side for the same
inputs. Marks come from the mark rows of data/scenarios.csv and the ledger figures they cite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.analysis import valuation
from helpers.analysis.scenarios import capitalised, priced_rounds, rounds_after
from helpers.data.load import Ledger
from helpers.data.views import stated
from helpers.data.vocabulary import DAYS_PER_YEAR, LOWER_BOUND_QUALIFIERS, UPPER_BOUND_QUALIFIERS
from helpers.notebook.parameters import ParameterError, Spec
from helpers.notebook.tables import money

INPUTS = ("listing_value_usd_bn", "years_to_listing", "dilution")
INPUT_WORDS = {
    "listing_value_usd_bn": "listing value",
    "years_to_listing": "time to listing",
    "dilution": "dilution before listing",
}
# the three parameter names behind each input: lowest, likeliest, highest
INPUT_PARAMETERS = {
    "listing_value_usd_bn": ("LISTING_LOW_USD_BN", "LISTING_LIKELY_USD_BN", "LISTING_HIGH_USD_BN"),
    "years_to_listing": ("YEARS_LOW", "YEARS_LIKELY", "YEARS_HIGH"),
    "dilution": ("DILUTION_LOW", "DILUTION_LIKELY", "DILUTION_HIGH"),
}
SHAPES = ("triangular", "uniform")
# The stake is the cheque over the post-money value, so the multiple does not depend on the cheque; $1B keeps
# the value at listing readable as "per $1B invested".
CHEQUE_USD_BN = 1.0


def parameter_specs(book: Ledger | None = None) -> list[Spec]:
    """The listing-odds notebook's parameters (none depend on the ledger; `book` keeps one call for every notebook)."""
    return [
        Spec("AS_OF", "date", "date the years to listing are counted from, YYYY-MM-DD"),
        Spec("SEED", "integer", "seed of the random draws; same seed, same numbers", low=0),
        Spec("DRAWS", "integer", "number of draws", low=1_000, high=10_000_000),
        Spec("SHAPE", "choice", "shape of every input distribution", choices=SHAPES),
        Spec("LISTING_LOW_USD_BN", "number", "lowest listing value, $B", low=0, low_open=True, high=1e5),
        Spec("LISTING_LIKELY_USD_BN", "number", "likeliest listing value, $B", low=0, low_open=True, high=1e5),
        Spec("LISTING_HIGH_USD_BN", "number", "highest listing value, $B", low=0, low_open=True, high=1e5),
        Spec("YEARS_LOW", "number", "earliest listing, years after AS_OF", low=0, low_open=True, high=50),
        Spec("YEARS_LIKELY", "number", "likeliest listing, years after AS_OF", low=0, low_open=True, high=50),
        Spec("YEARS_HIGH", "number", "latest listing, years after AS_OF", low=0, low_open=True, high=50),
        Spec("DILUTION_LOW", "number", "least dilution, a share of the company", low=0, high=1, high_open=True),
        Spec("DILUTION_LIKELY", "number", "likeliest dilution, a share of the company", low=0, high=1, high_open=True),
        Spec("DILUTION_HIGH", "number", "most dilution, a share of the company", low=0, high=1, high_open=True),
    ]


@dataclass(frozen=True)
class Distribution:
    """A bounded distribution given by its lowest, likeliest and highest value (uniform ignores the likeliest)."""

    low: float
    likely: float
    high: float
    shape: str = "triangular"

    def quantile(self, u: np.ndarray | float) -> np.ndarray:
        """Inverse CDF: the value below which a share `u` of draws falls; a point when low == high."""
        u = np.asarray(u, dtype=float)
        low, likely, high = self.low, self.likely, self.high
        width = high - low
        if width == 0:
            return np.full_like(u, low)
        if self.shape == "uniform":
            return low + u * width
        split = (likely - low) / width  # share of the mass left of the likeliest value
        left = low + np.sqrt(u * width * (likely - low))
        right = high - np.sqrt((1.0 - u) * width * (high - likely))
        return np.where(u < split, left, right)

    def median(self) -> float:
        """The middle value of the distribution."""
        return float(self.quantile(0.5))

    def density(self, x: np.ndarray) -> np.ndarray:
        """Probability density at `x` (for drawing the shape); zero outside [low, high]."""
        x = np.asarray(x, dtype=float)
        low, likely, high = self.low, self.likely, self.high
        width = high - low
        inside = (x >= low) & (x <= high)
        if width == 0:
            return np.zeros_like(x)
        if self.shape == "uniform":
            return np.where(inside, 1.0 / width, 0.0)
        rising = np.divide(2 * (x - low), width * (likely - low)) if likely > low else np.zeros_like(x)
        falling = np.divide(2 * (high - x), width * (high - likely)) if high > likely else np.zeros_like(x)
        return np.where(inside, np.where(x < likely, rising, falling), 0.0)


def point(value: float) -> Distribution:
    """A distribution collapsed to one value."""
    return Distribution(value, value, value)


def distributions(checked: dict[str, object]) -> dict[str, Distribution]:
    """The three input distributions from checked parameters; raise ParameterError unless low <= likely <= high."""
    found, problems = {}, []
    for name, (low, likely, high) in INPUT_PARAMETERS.items():
        values = [float(checked[low]), float(checked[likely]), float(checked[high])]
        if not values[0] <= values[1] <= values[2]:
            problems.append(f"{low} <= {likely} <= {high} must hold; got {values[0]:g}, {values[1]:g}, {values[2]:g}")
        found[name] = Distribution(*values, shape=str(checked["SHAPE"]))
    if problems:
        raise ParameterError("check the Assumptions cell:\n  " + "\n  ".join(problems))
    return found


def draw(dists: dict[str, Distribution], draws: int, seed: int) -> dict[str, np.ndarray]:
    """`draws` independent draws of every input from one seeded numpy Generator."""
    uniforms = np.random.default_rng(seed).random((len(INPUTS), draws))
    return {name: dists[name].quantile(u) for name, u in zip(INPUTS, uniforms, strict=True)}


# --- the marks a buyer can enter at ---------------------------------------------------------------


def _direction(qualifiers: list[str]) -> str:
    """Which way a bounded entry price moves the multiple: 'at most', 'at least' or ''."""
    if any(q in LOWER_BOUND_QUALIFIERS for q in qualifiers):
        return "at most"  # paid more than the figure: the multiple is at most what the figure gives
    if any(q in UPPER_BOUND_QUALIFIERS for q in qualifiers):
        return "at least"
    return ""


def _post_money_of(pre: pd.Series, figures: pd.DataFrame) -> pd.Series:
    """The post-money figure of a pre-money mark's own deal: same event, reported that day or the first after."""
    rows = figures[
        figures["event"].eq(pre["event"])
        & figures["metric"].eq("post_money")
        & (figures["reported_on"] >= pre["reported_on"])
    ]
    if rows.empty:
        raise ValueError(f"{pre['figure_id']}: a pre-money mark needs a post-money figure of event {pre['event']!r}")
    return rows.sort_values(["reported_on", "figure_id"]).iloc[0]


def marks(scenarios: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """One row per mark of scenarios.csv: the price a buyer paid (post-money, $B), its date, figures and bound."""
    by_id = figures.set_index("figure_id", drop=False)
    rounds = priced_rounds(figures)
    names = {by_id.at[m.figure_id, "event"]: m.label for m in scenarios[scenarios["kind"].eq("mark")].itertuples()}
    rows = []
    for mark in scenarios[scenarios["kind"].eq("mark")].itertuples():
        figure = by_id.loc[mark.figure_id]
        if pd.isna(figure["value"]):
            raise ValueError(f"{mark.figure_id}: a mark needs a value, not a range")
        # a buyer's stake is the cheque over the post-money value: a pre-money mark is paid at its deal's post-money
        paid = _post_money_of(figure, figures) if figure["metric"] == "pre_money" else figure
        later = rounds_after(rounds, figure["reported_on"])
        rows.append(
            {
                "mark_id": mark.scenario_id,
                "label": mark.label,
                "figure_id": figure["figure_id"],
                "paid_figure_id": paid["figure_id"],
                "reported_on": figure["reported_on"],
                "mark_usd_bn": float(figure["value"]),
                "basis": figure["metric"],
                "status": figure["status"],
                "entry_usd_bn": float(paid["value"]),
                "direction": _direction([figure["qualifier"], paid["qualifier"]]),
                # known dilution: the priced rounds closed after the mark kept pre- / post-money of the stake
                "kept_share": float(later["kept_share"].prod()),
                "diluted_by": " and ".join(f"the {names.get(e, e)}" for e in later.index),
            }
        )
    table = pd.DataFrame(rows).set_index("mark_id")
    return table.sort_values(["reported_on", "figure_id"])


def latest(mark_table: pd.DataFrame) -> str:
    """The id of the newest mark: the default for a buyer today."""
    return str(mark_table.sort_values(["reported_on", "entry_usd_bn"]).index[-1])


def elapsed_years(as_of: pd.Timestamp, reported_on: pd.Timestamp) -> float:
    """Years from a mark to AS_OF (the side-by-side's convention: days / DAYS_PER_YEAR)."""
    return (as_of - reported_on).days / DAYS_PER_YEAR


# --- the simulation -------------------------------------------------------------------------------


def outcome(
    entry_usd_bn: float, elapsed: float, sample: dict[str, np.ndarray], kept_share: float = 1.0
) -> dict[str, np.ndarray]:
    """Multiple and annual return on every draw for a buyer who paid `entry_usd_bn` post-money `elapsed` years ago.

    `kept_share` is what the priced rounds closed since the mark left of the stake, before the drawn dilution.
    """
    stake = valuation.stake_bought(CHEQUE_USD_BN, entry_usd_bn) * kept_share
    diluted = valuation.dilute(stake, sample["dilution"])
    value = valuation.stake_value(diluted, sample["listing_value_usd_bn"])
    money_multiple = valuation.multiple(value, CHEQUE_USD_BN)
    years = np.add(elapsed, sample["years_to_listing"])
    return {"multiple": money_multiple, "annual_return": valuation.annual_return(money_multiple, years), "years": years}


def simulate(mark_table: pd.DataFrame, sample: dict[str, np.ndarray], as_of: pd.Timestamp) -> dict[str, dict]:
    """`outcome` for a buyer at every mark, on the same draws."""
    return {
        mark_id: outcome(row.entry_usd_bn, elapsed_years(as_of, row.reported_on), sample, row.kept_share)
        for mark_id, row in mark_table.iterrows()
    }


PERCENTILES = (10, 50, 90)


def summary(results: dict[str, dict]) -> pd.DataFrame:
    """Per mark: chance of a loss, and the 10th, 50th and 90th percentile of the multiple and the annual return."""
    rows = {}
    for mark_id, result in results.items():
        m10, m50, m90 = np.percentile(result["multiple"], PERCENTILES)
        r10, r50, r90 = np.percentile(result["annual_return"], PERCENTILES)
        rows[mark_id] = {
            "loss_chance": float(np.mean(result["multiple"] < 1.0)),
            "multiple_p10": m10,
            "multiple_p50": m50,
            "multiple_p90": m90,
            "return_p10": r10,
            "return_p50": r50,
            "return_p90": r90,
        }
    return pd.DataFrame(rows).T.astype(float)


def sensitivity(
    dists: dict[str, Distribution],
    sample: dict[str, np.ndarray],
    entry_usd_bn: float,
    elapsed: float,
    kept_share: float = 1.0,
) -> pd.DataFrame:
    """Spread (10th to 90th percentile) of the multiple and the annual return with each input held at its median."""
    rows = {}
    for held in (None, *INPUTS):
        fixed = dict(sample) if held is None else {**sample, held: np.full_like(sample[held], dists[held].median())}
        result = outcome(entry_usd_bn, elapsed, fixed, kept_share)
        p10, p90 = np.percentile(result["multiple"], [10, 90])
        r10, r90 = np.percentile(result["annual_return"], [10, 90])
        rows["nothing" if held is None else held] = {
            "multiple_spread": p90 - p10,
            "return_spread": r90 - r10,
            "loss_chance": float(np.mean(result["multiple"] < 1.0)),
        }
    table = pd.DataFrame(rows).T.astype(float)
    base = table.loc["nothing"]
    table["multiple_spread_removed"] = 1.0 - table["multiple_spread"] / base["multiple_spread"]
    table["return_spread_removed"] = 1.0 - table["return_spread"] / base["return_spread"]
    held_rows = table.drop(index="nothing").sort_values(
        ["multiple_spread_removed", "return_spread_removed"], ascending=False
    )
    return pd.concat([table.loc[["nothing"]], held_rows])


# --- what the reader sees -------------------------------------------------------------------------


def _bounded(text: str, direction: str) -> str:
    return f"{direction} {text}" if direction else text


def _loss_direction(direction: str) -> str:
    """A multiple that is 'at most' its figure makes the chance of a loss 'at least' its figure, and back."""
    return {"at most": "at least", "at least": "at most"}.get(direction, "")


def formatted_summary(mark_table: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The odds per mark as a reader sees them: words for headers, $ and % formatted, bounds kept."""
    rows = []
    for mark_id, row in table.iterrows():
        mark = mark_table.loc[mark_id]
        way = mark["direction"]
        rows.append(
            {
                "buyer at": f"{capitalised(mark['label'])} ({mark['reported_on']:%b %Y})",
                "price paid (post-money)": _bounded(
                    money(mark["entry_usd_bn"]), "more than" if way == "at most" else ""
                ),
                "known dilution since": f"{mark['diluted_by']}: x{mark['kept_share']:.3f}"
                if mark["diluted_by"]
                else "none",
                "chance of a loss": _bounded(f"{row['loss_chance']:.0%}", _loss_direction(way)),
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


def formatted_sensitivity(table: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity ranking as a reader sees it."""
    return pd.DataFrame(
        {
            "input held at its median": [
                "none (everything varies)" if i == "nothing" else INPUT_WORDS[i] for i in table.index
            ],
            "multiple, 10th to 90th percentile spread": table["multiple_spread"].map("{:.2f}x".format),
            "share of that spread removed": table["multiple_spread_removed"].map("{:.0%}".format),
            "annual return spread (points)": (table["return_spread"] * 100).map("{:.0f}".format),
            "share of that spread removed ": table["return_spread_removed"].map("{:.0%}".format),
            "chance of a loss": table["loss_chance"].map("{:.0%}".format),
        }
    ).reset_index(drop=True)


def results(mark_table: pd.DataFrame, table: pd.DataFrame, checked: dict[str, object]) -> dict:
    """Plain numbers for tests and make scenarios."""
    params = {k: (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v) for k, v in checked.items()}
    return {
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


def bottom_line(
    mark_table: pd.DataFrame,
    table: pd.DataFrame,
    ranking: pd.DataFrame,
    dists: dict[str, Distribution],
    checked: dict[str, object],
) -> str:
    """The notebook's bottom line: the chance of a loss at the latest mark, and the assumptions it rests on."""
    mark_id = latest(mark_table)
    mark, row = mark_table.loc[mark_id], table.loc[mark_id]
    way = mark["direction"]
    first = ranking.drop(index="nothing").index[0]
    safest = table["loss_chance"].idxmin()
    floor = ", a floor, since the price was a lower bound" if mark_table.at[safest, "direction"] == "at most" else ""
    safest_loss = f"{table.at[safest, 'loss_chance']:.0%}{floor}"
    loss = _bounded(f"{row.loss_chance:.0%}", _loss_direction(way))
    return "\n".join(
        [
            f"- A buyer at the latest private price in the ledger, **{money(mark['entry_usd_bn'])} post-money** "
            f"({mark['label']}, {mark['status'].replace('_', ' ')}, {mark['reported_on']:%d %b %Y}; nobody can be sure it "
            f"is still available today), loses money in "
            f"**{loss}** of {int(checked['DRAWS']):,} draws: "
            f"median multiple {_bounded(f'{row.multiple_p50:.2f}x', way)}, "
            f"10th to 90th percentile {row.multiple_p10:.2f}x to {row.multiple_p90:.2f}x.",
            f"- It rests on three assumed {checked['SHAPE']} ranges: a listing value of "
            f"{describe(dists['listing_value_usd_bn'], 'listing_value_usd_bn')}; a listing "
            f"{describe(dists['years_to_listing'], 'years_to_listing')} after {checked['AS_OF']:%d %b %Y}; "
            f"and {describe(dists['dilution'], 'dilution')} of the company issued before it (seed {checked['SEED']}).",
            f"- Holding one input at its median, the {INPUT_WORDS[first]} narrows the multiple's spread most "
            f"({ranking.at[first, 'multiple_spread_removed']:.0%} of it); the time to listing moves only the annual return.",
            f"- The lowest chance of a loss is for a buyer at the {mark_table.at[safest, 'label']} mark ({safest_loss}).",
            *_diluted_lines(mark_table, table),
        ]
    )


def _diluted_lines(mark_table: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """One line per mark diluted by a priced round closed after it: the share kept and what it does to the odds."""
    lines = []
    for mark_id, mark in mark_table[mark_table["diluted_by"].ne("")].iterrows():
        row, way = table.loc[mark_id], mark["direction"]
        lines.append(
            f"- A buyer at the {mark['label']} ({_bounded(money(mark['entry_usd_bn']), 'more than' if way == 'at most' else '')}, "
            f"{mark['reported_on']:%b %Y}) was diluted by {mark['diluted_by']} before any drawn "
            f"dilution: x{mark['kept_share']:.3f} of the stake (pre-money / post-money). Median multiple "
            f"{_bounded(f'{row.multiple_p50:.2f}x', way)}, chance of a loss "
            f"{_bounded(f'{row.loss_chance:.0%}', _loss_direction(way))}."
        )
    return lines


# --- where the ranges come from ------------------------------------------------------------------


def listing_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows about the listing: its reported value (points, bounds, ranges), timing and raise."""
    rows = figures[figures["category"].eq("listing")]
    return rows.sort_values(["reported_on", "figure_id"])


def _period_end(period: str) -> pd.Timestamp:
    """First day after a ledger period ('2027' -> 2028-01-01, '2026-09' -> 2026-10-01, '2026-2027' -> 2028-01-01)."""
    last = period.split("-")[-1] if len(period) == 9 else period
    if len(last) == 4:
        return pd.Timestamp(int(last) + 1, 1, 1)
    return pd.Timestamp(period + "-01") + pd.offsets.MonthBegin(1)


def references(figures: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, list[tuple[float, str]]]:
    """Reported figures to draw against each input: (x, label naming the ledger rows)."""
    rows = listing_rows(figures)
    values = rows[rows["metric"].eq("valuation")]
    found: dict[str, list[tuple[float, str]]] = {name: [] for name in INPUTS}
    points = pd.concat(
        [
            values[["figure_id", "value"]].dropna(),
            values[["figure_id", "low"]].dropna().rename(columns={"low": "value"}),
        ]
    )
    for x, group in points.groupby("value"):
        found["listing_value_usd_bn"].append(
            (float(x), f"{money(x)} reported ({', '.join(sorted(set(group['figure_id'])))})")
        )
    timed = rows.dropna(subset=["period"])
    if not timed.empty:
        ends = timed.assign(end=timed["period"].map(_period_end))
        last = ends[ends["end"].eq(ends["end"].max())]
        x = elapsed_years(last["end"].iloc[0], as_of)
        found["years_to_listing"].append(
            (
                x,
                f"end of the latest timing reported, {last['end'].iloc[0] - pd.Timedelta(days=1):%b %Y} ({', '.join(last['figure_id'])})",
            )
        )
    raise_rows = rows[rows["metric"].eq("raise_target")]
    central = values[values["reading"].eq("used") & values["qualifier"].isin(["about", "exact"])]
    if not raise_rows.empty and not central.empty:
        raised, listing = raise_rows.iloc[-1], central.iloc[-1]
        share = float(raised["value"]) / float(listing["value"])
        found["dilution"].append(
            (
                share,
                f"a {money(raised['value'])}+ listing raise at {money(listing['value'])}: {share:.0%} "
                f"({raised['figure_id']}, {listing['figure_id']})",
            )
        )
    return found


def cited_figures(mark_table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every ledger row this notebook uses: the marks (and the post-money they are paid at) and the listing rows."""
    ids = set(mark_table["figure_id"]) | set(mark_table["paid_figure_id"]) | set(listing_rows(figures)["figure_id"])
    return figures[figures["figure_id"].isin(ids)].sort_values(["reported_on", "figure_id"])


def formatted_marks(mark_table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The marks a buyer can enter at, as a reader sees them: the figure as reported and the price paid."""
    by_id = figures.set_index("figure_id")
    return pd.DataFrame(
        {
            "mark": mark_table["label"].map(capitalised),
            "reported on": mark_table["reported_on"].dt.strftime("%Y-%m-%d"),
            "status": mark_table["status"].str.replace("_", " "),
            "as reported": [
                f"{stated(by_id.loc[i])} {by_id.at[i, 'metric'].replace('_', '-').replace('valuation', '(basis not stated)')}"
                for i in mark_table["figure_id"]
            ],
            "stake kept through later priced rounds": [
                f"{d}: x{k:.3f}" if d else "none"
                for d, k in zip(mark_table["diluted_by"], mark_table["kept_share"], strict=True)
            ],
            "price a buyer pays (post-money)": [
                _bounded(money(v), "more than" if d == "at most" else "")
                for v, d in zip(mark_table["entry_usd_bn"], mark_table["direction"], strict=True)
            ],
            "ledger rows": [
                f if f == p else f"{f}, paid at {p}"
                for f, p in zip(mark_table["figure_id"], mark_table["paid_figure_id"], strict=True)
            ],
        }
    ).reset_index(drop=True)


def formatted_listing_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The ledger's listing rows: value, raise and timing as reported."""
    rows = listing_rows(figures)
    return pd.DataFrame(
        {
            "reported on": rows["reported_on"].dt.strftime("%Y-%m-%d"),
            "id": rows["figure_id"],
            "what": rows["metric"].str.replace("raise_target", "money raised").str.replace("valuation", "value"),
            "figure": [stated(row) for _, row in rows.iterrows()],
            "timing": rows["period"].fillna("not given"),
            "status": rows["status"].str.replace("_", " "),
            "reading": rows["reading"],
        }
    ).reset_index(drop=True)


def provenance(dists: dict[str, Distribution], refs: dict[str, list[tuple[float, str]]]) -> pd.DataFrame:
    """Each end of each range, marked reported (with its ledger rows) where it equals a reported figure, else assumed."""
    fmt = {"listing_value_usd_bn": money, "years_to_listing": "{:g} years".format, "dilution": "{:.0%}".format}

    def cell(name: str, value: float) -> str:
        match = [label for x, label in refs[name] if np.isclose(x, value)]
        ids = match[0][match[0].rfind("(") :] if match else ""
        return f"{fmt[name](value)}, from the ledger {ids}" if match else f"{fmt[name](value)}, assumed"

    return pd.DataFrame(
        {
            "input": [INPUT_WORDS[name] for name in INPUTS],
            "lowest": [cell(name, dists[name].low) for name in INPUTS],
            "likeliest": [cell(name, dists[name].likely) for name in INPUTS],
            "highest": [cell(name, dists[name].high) for name in INPUTS],
            "reported figures nearby": ["; ".join(label for _, label in refs[name]) or "none" for name in INPUTS],
        }
    )
