"""Listing odds: a seeded, vectorised Monte Carlo of what a stake bought at each private mark returns at a listing.

Three inputs are drawn (the listing value, the years from AS_OF to the listing, the dilution before it); the
arithmetic on each draw is `helpers.valuation`'s, so a draw equals the deterministic side-by-side for the same
inputs. The marks are notebook 04's: every price paid in the ledger, with the share later rounds left of the stake.
A listing later than the likeliest date can bring more dilution (`DILUTION_PER_YEAR_OF_DELAY`), and a listing may
not happen at all (`LISTING_CHANCE`, `NO_LISTING_HAIRCUT`), as in notebook 04.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.analysis import scenarios, valuation
from helpers.data.load import Ledger
from helpers.notebook.parameters import ParameterError, Spec, as_of_not_too_late
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


LOWER_BOUNDS = ("more_than", "at_least")  # a price "more than X": the buyer paid at least X


UPPER_BOUNDS = ("up_to", "less_than")


# The stake is the cheque over the post-money value, so the multiple does not depend on the cheque; $1B keeps
# the value at listing readable as "per $1B invested".
CHEQUE_USD_BN = 1.0


# the largest seed a 32-bit generator takes, as most tools that might replay the draws do
MAX_SEED = 2**32 - 1


def parameter_specs(book: Ledger | None = None) -> list[Spec]:
    """The listing-odds notebook's parameters (none depend on the ledger; `book` keeps one call for every notebook)."""
    return [
        Spec(
            "AS_OF",
            "date",
            "date the years to listing are counted from, YYYY-MM-DD",
            rule=None if book is None else as_of_not_too_late(book.figures["reported_on"].max()),
        ),
        Spec("SEED", "integer", "seed of the random draws; same seed, same numbers", low=0, high=MAX_SEED),
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
        Spec(
            "DILUTION_PER_YEAR_OF_DELAY",
            "number",
            "extra dilution per year a listing comes after the likeliest date, e.g. 0.04",
            low=0,
            high=0.5,
        ),
        *scenarios.hurdle_and_listing_specs(),
    ]


# the most dilution any draw can reach once delay adds to it: keeps every stake above zero
MAX_DILUTION = 0.95


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


def uniforms(draws: int, seed: int) -> np.ndarray:
    """One row of seeded uniform draws per input: the same rows serve every set of ranges (common random numbers)."""
    return np.random.default_rng(seed).random((len(INPUTS), draws))


def draw_from(dists: dict[str, Distribution], u: np.ndarray, per_year_of_delay: float = 0.0) -> dict[str, np.ndarray]:
    """Every input at the given uniforms; a listing after the likeliest date adds `per_year_of_delay` of dilution a year.

    Delay needs money: each year past the likeliest date is assumed to cost that much more of the company.
    """
    sample = {name: dists[name].quantile(row) for name, row in zip(INPUTS, u, strict=True)}
    delay = np.maximum(sample["years_to_listing"] - dists["years_to_listing"].likely, 0.0)
    sample["dilution"] = np.minimum(sample["dilution"] + per_year_of_delay * delay, MAX_DILUTION)
    return sample


def draw(
    dists: dict[str, Distribution], draws: int, seed: int, per_year_of_delay: float = 0.0
) -> dict[str, np.ndarray]:
    """`draws` draws of every input from one seeded numpy Generator (independent unless delay is tied to dilution)."""
    return draw_from(dists, uniforms(draws, seed), per_year_of_delay)


DIRECTION_OF_BOUND = {"at_least": "at most", "at_most": "at least"}  # a floor on the price is a ceiling on the multiple


def marks(scenario_table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Notebook 04's entry marks (every price paid, chosen from the ledger by status): price, date, share kept."""
    table = scenarios.marks(scenario_table, figures)
    return pd.DataFrame(
        {
            "label": table["label"],
            "figure_id": table["figure_id"],
            "paid_figure_id": table["figure_id"],
            "reported_on": table["reported_on"],
            "mark_usd_bn": table["valuation_usd_bn"],
            "basis": table["basis"],
            "status": table["status"],
            "entry_usd_bn": table["valuation_usd_bn"],
            "direction": table["bound"].map(DIRECTION_OF_BOUND).fillna(""),
            "kept_share": table["kept_share"],
            "diluted_by": table["diluted_by"],
            "closed_on": table["closed_on"],
            "kind": table["kind"],
        },
        index=pd.Index(table.index, name="mark_id"),
    )


def latest(mark_table: pd.DataFrame) -> str:
    """The id of the newest price paid: the default for a buyer today (the same rule as notebook 04's)."""
    return str(mark_table.sort_values(["reported_on", "entry_usd_bn"]).index[-1])


def elapsed_years(as_of: pd.Timestamp, reported_on: pd.Timestamp) -> float:
    """Years from a mark to AS_OF (the side-by-side's convention: days / 365.25)."""
    return (as_of - reported_on).days / 365.25


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


def check_as_of(as_of: pd.Timestamp, mark_table: pd.DataFrame) -> None:
    """AS_OF must come after every mark: the years from a mark to the listing are counted from it."""
    newest = mark_table["reported_on"].max()
    if pd.Timestamp(as_of) <= newest:
        raise ParameterError(
            f"check the Assumptions cell:\n  AS_OF = '{pd.Timestamp(as_of):%Y-%m-%d}': must be after the newest mark "
            f"in the ledger ({newest:%Y-%m-%d}; {mark_table['reported_on'].idxmax()}), since the years to listing "
            "are counted from it"
        )


def simulate(mark_table: pd.DataFrame, sample: dict[str, np.ndarray], as_of: pd.Timestamp) -> dict[str, dict]:
    """`outcome` for a buyer at every mark, on the same draws."""
    check_as_of(as_of, mark_table)
    return {
        mark_id: outcome(row.entry_usd_bn, elapsed_years(as_of, row.reported_on), sample, row.kept_share)
        for mark_id, row in mark_table.iterrows()
    }


PERCENTILES = (10, 50, 90)


def unlisted_multiples(mark_table: pd.DataFrame, haircut: float) -> pd.Series:
    """Per mark, the multiple if OpenAI never lists: notebook 04's rule (the latest price paid less a discount)."""
    latest_usd_bn = float(mark_table.at[latest(mark_table), "entry_usd_bn"])
    return pd.Series(
        scenarios.unlisted_multiple(mark_table["entry_usd_bn"], mark_table["kept_share"], latest_usd_bn, haircut),
        index=mark_table.index,
    )


def summary(
    results: dict[str, dict],
    hurdle_rate: float = 0.0,
    listing_chance: float = 1.0,
    unlisted: pd.Series | None = None,
) -> pd.DataFrame:
    """Per mark: the chance of a loss and of missing the hurdle if OpenAI lists, the chance of a loss counting the
    chance it does not, the expected multiple, and the 10th, 50th and 90th percentile of the multiple and return."""
    rows = {}
    for mark_id, result in results.items():
        m10, m50, m90 = np.percentile(result["multiple"], PERCENTILES)
        r10, r50, r90 = np.percentile(result["annual_return"], PERCENTILES)
        loss = float(np.mean(result["multiple"] < 1.0))
        no_listing = float(unlisted[mark_id]) if unlisted is not None else float("nan")
        rows[mark_id] = {
            "loss_chance": loss,
            "hurdle_miss_chance": float(np.mean(result["annual_return"] < hurdle_rate)),
            # without a listing the holder has one outcome, a loss or not
            "loss_chance_all": listing_chance * loss + (1 - listing_chance) * float(no_listing < 1.0)
            if unlisted is not None
            else loss,
            "unlisted_multiple": no_listing,
            "expected_multiple": float(
                valuation.expected_multiple(listing_chance, float(np.mean(result["multiple"])), no_listing)
            )
            if unlisted is not None
            else float(np.mean(result["multiple"])),
            "multiple_p10": m10,
            "multiple_p50": m50,
            "multiple_p90": m90,
            "return_p10": r10,
            "return_p50": r50,
            "return_p90": r90,
        }
    return pd.DataFrame(rows).T.astype(float)


def spread_removed(spread: pd.Series, base_spread: float) -> pd.Series:
    """Share of the full spread that holding an input removes; 0 when nothing varies (never 0/0 = NaN)."""
    if not base_spread > 0:
        return pd.Series(0.0, index=spread.index)
    return 1.0 - spread / base_spread


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
    table["multiple_spread_removed"] = spread_removed(table["multiple_spread"], base["multiple_spread"])
    table["return_spread_removed"] = spread_removed(table["return_spread"], base["return_spread"])
    held_rows = table.drop(index="nothing").sort_values(
        ["multiple_spread_removed", "return_spread_removed"], ascending=False
    )
    return pd.concat([table.loc[["nothing"]], held_rows])


FLOOR_PHRASE = "the lowest value the ledger reports"


def top_words(reported: pd.DataFrame) -> str:
    """Why the highest reported listing value can end the range: only an 'up to' report makes it a ceiling."""
    top = reported[reported["value"].eq(reported["value"].max())]
    ceilings = top[top["qualifier"].isin(["up_to", "less_than"])]
    if len(ceilings):
        years = " and ".join(sorted({f"{d:%Y}" for d in ceilings["reported_on"]}))
        return f"as the {years} 'up to {money(float(top['value'].iloc[0]))}' reports had it"
    return "the highest value reported, which no report calls a ceiling"


def burn_year(checked: dict[str, object]) -> int:
    """The calendar year of the likeliest listing date: the year whose burn a delay past that date must fund."""
    return (pd.Timestamp(checked["AS_OF"]) + pd.Timedelta(days=float(checked["YEARS_LIKELY"]) * 365.25)).year


def burn_dilutions(figures: pd.DataFrame, year: int, price_usd_bn: float) -> pd.DataFrame:
    """Each cash-burn forecast the ledger reports for `year`, oldest first, with the dilution of raising that burn
    as new shares at `price_usd_bn` before the money: burn / (price + burn), a year's delay paid for in equity."""
    rows = figures[
        figures["category"].eq("projection")
        & figures["metric"].eq("cash_burn")
        & figures["period"].eq(str(year))
        & figures["reading"].eq("used")
        & figures["value"].notna()
    ].sort_values(["reported_on", "figure_id"])
    rows = rows.drop_duplicates("event", keep="last")  # one figure per forecast: its newest report
    return rows.assign(dilution=rows["value"] / (price_usd_bn + rows["value"]))


def matching_burn(burns: pd.DataFrame, per_year: float) -> pd.Series | None:
    """The forecast whose yearly dilution rounds to the same whole percent as `per_year`; None if none does."""
    same = burns[(burns["dilution"] * 100).round().eq(round(per_year * 100))]
    return same.iloc[-1] if len(same) else None


def _burn_options(checked: dict[str, object], scenario_table: pd.DataFrame, figures: pd.DataFrame) -> list:
    """The extra dilution a year of delay that each burn forecast other than the one assumed gives, as options."""
    mark_table = marks(scenario_table, figures)
    price = float(mark_table.at[latest(mark_table), "entry_usd_bn"])
    year, now = burn_year(checked), float(checked["DILUTION_PER_YEAR_OF_DELAY"])
    options = []
    for _, r in burn_dilutions(figures, year, price).iterrows():
        value = float(r["dilution"])
        if round(value * 100) == round(now * 100):
            continue
        phrase = f"{value:.1%} more dilution a year of delay"
        why = f"the {r['reported_on']:%b %Y} forecast's {money(float(r['value']))} burn for {year} raised at {money(price)}"
        options.append((f"{phrase} ({why}) instead of {now:.0%}", {"DILUTION_PER_YEAR_OF_DELAY": value}, phrase))
    return options


def alternative_ends(
    checked: dict[str, object], scenario_table: pd.DataFrame, figures: pd.DataFrame, assumed: dict[str, float]
) -> list[tuple[str, dict[str, float], str]]:
    """Other ends for the ranges a reader could defend: the ledger's lowest and highest reported listing value, notebook
    04's named cases, and the assumed alternatives given; each as (words, parameters changed, a short phrase),
    skipping no-ops."""
    reported = scenarios.listing_value_rows(figures)
    ranged = scenarios.listing_reports(figures)
    lows = pd.concat([reported["value"], ranged["low"].dropna()])
    cases = scenarios.cases(scenario_table, figures)
    options: list[tuple[str, dict[str, float], str]] = []
    low, high = float(checked["LISTING_LOW_USD_BN"]), float(checked["LISTING_HIGH_USD_BN"])
    likely = float(checked["LISTING_LIKELY_USD_BN"])
    candidates = [
        ("lowest listing value", "LISTING_LOW_USD_BN", float(lows.min()), FLOOR_PHRASE),
        ("lowest listing value", "LISTING_LOW_USD_BN", float(cases["listing_usd_bn"].min()), "04's lowest case"),
        ("highest listing value", "LISTING_HIGH_USD_BN", float(reported["value"].max()), top_words(reported)),
        ("highest listing value", "LISTING_HIGH_USD_BN", float(cases["listing_usd_bn"].max()), "04's highest case"),
    ]
    seen = set()
    for words, name, value, why in candidates:
        now = {"LISTING_LOW_USD_BN": low, "LISTING_HIGH_USD_BN": high}[name]
        valid = value <= likely if name == "LISTING_LOW_USD_BN" else value >= likely
        if value != now and valid and (name, value) not in seen:
            seen.add((name, value))
            end = "a floor" if name == "LISTING_LOW_USD_BN" else "a top"
            options.append(
                (
                    f"{words} {money(value)} ({why}) instead of {money(now)}",
                    {name: value},
                    f"{end} at {money(value)}, {why}",
                )
            )
    fmt = {"YEARS": "{:g} years".format, "DILUTION": "{:.0%}".format}
    for name, value in assumed.items():
        now = float(checked[name])
        if value == now:
            continue
        if name == "DILUTION_PER_YEAR_OF_DELAY":
            words = (
                "dilution drawn apart from the delay" if value == 0 else f"{value:.0%} more dilution a year of delay"
            )
            options.append((f"{words} (instead of {now:.0%} a year)", {name: value}, words))
            continue
        kind = name.split("_")[0]
        end = {"LOW": "lowest", "LIKELY": "likeliest", "HIGH": "highest"}[name.split("_")[-1]]
        what = {"YEARS": "time to listing", "DILUTION": "dilution"}[kind]
        phrase = f"{end} {what} {fmt[kind](value)}"
        options.append((f"{phrase} (assumed) instead of {fmt[kind](now)}", {name: value}, phrase))
    # the other end of the link between delay and dilution comes from the ledger: each burn forecast not assumed
    return options + _burn_options(checked, scenario_table, figures)


def decisive(
    checked: dict[str, object],
    u: np.ndarray,
    mark: pd.Series,
    elapsed: float,
    options: list[tuple[str, dict[str, float], str]],
) -> pd.DataFrame:
    """Which assumption decides the answer: the chance of a loss (and of missing the hurdle) for the buyer at `mark`,
    with each input held at its median and with each range end or link changed, on the same uniforms; ranked by how
    far each moves the chance of a loss."""
    hurdle = float(checked["HURDLE_RATE"])

    def row(change: dict[str, float], held: str | None = None) -> dict[str, float]:
        dists = distributions({**checked, **change})
        rows = u.copy()
        if held is not None:
            rows[INPUTS.index(held)] = 0.5  # the median of that input, every draw
        per_year = float({**checked, **change}["DILUTION_PER_YEAR_OF_DELAY"])
        result = outcome(mark["entry_usd_bn"], elapsed, draw_from(dists, rows, per_year), mark["kept_share"])
        return {
            "loss_chance": float(np.mean(result["multiple"] < 1.0)),
            "hurdle_miss_chance": float(np.mean(result["annual_return"] < hurdle)),
            "multiple_p50": float(np.median(result["multiple"])),
        }

    rows = {"everything as assumed": row({})}
    short = {"everything as assumed": "everything as assumed"}
    for name in INPUTS:
        rows[f"{INPUT_WORDS[name]} held at its median"] = row({}, held=name)
        short[f"{INPUT_WORDS[name]} held at its median"] = f"the {INPUT_WORDS[name]} held at its median"
    for words, change, phrase in options:
        rows[words] = row(change)
        short[words] = phrase
    table = pd.DataFrame(rows).T.astype(float)
    table["short"] = pd.Series(short)
    table["loss_change"] = table["loss_chance"] - table.at["everything as assumed", "loss_chance"]
    rest = table.drop(index="everything as assumed")
    rest = rest.reindex(rest["loss_change"].abs().sort_values(ascending=False, kind="stable").index)
    return pd.concat([table.loc[["everything as assumed"]], rest])


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


def report_dates(dates: pd.Series) -> str:
    """'Oct 2025, Dec 2025': the months of some reports, once each, oldest first (a reader knows a date, not an id)."""
    return ", ".join(dict.fromkeys(f"{d:%b %Y}" for d in sorted(dates)))


def references(figures: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, list[tuple[float, str]]]:
    """Reported figures to draw against each input: (x, label naming the ledger rows)."""
    rows = listing_rows(figures)
    values = rows[rows["metric"].eq("valuation")]
    found: dict[str, list[tuple[float, str]]] = {name: [] for name in INPUTS}
    # a ceiling, a floor and a point at the same value are three different reports: each keeps its words
    words = {"about": "about", "exact": "exactly", "up_to": "up to", "less_than": "up to", "more_than": "more than",
             "at_least": "at least"}  # fmt: skip
    points = pd.concat(
        [
            values[["figure_id", "reported_on", "value", "qualifier"]].dropna(subset=["value"]),
            values.loc[values["qualifier"].eq("range"), ["figure_id", "reported_on", "low"]]
            .dropna()
            .rename(columns={"low": "value"})
            .assign(qualifier="low end of a range"),
        ]
    )
    for x, group in points.groupby("value"):
        kinds = [
            # the report dates, not ledger ids: a reader knows a date (the ids stay in the Sources table)
            f"{words.get(q, q)} ({report_dates(g['reported_on'])})"
            for q, g in group.groupby("qualifier", sort=True)
        ]
        found["listing_value_usd_bn"].append((float(x), f"{money(x)} reported: {'; '.join(kinds)}"))
    timed = rows.dropna(subset=["period"])
    if not timed.empty:
        ends = timed.assign(end=timed["period"].map(_period_end))
        last = ends[ends["end"].eq(ends["end"].max())]
        x = elapsed_years(last["end"].iloc[0], as_of)
        found["years_to_listing"].append(
            (
                x,
                f"end of the latest timing reported, {last['end'].iloc[0] - pd.Timedelta(days=1):%b %Y} "
                f"({report_dates(last['reported_on'])})",
            )
        )
    # an undisclosed raise (the June 2026 confidential filing, F186) has no amount to set against a value
    raise_rows = rows[rows["metric"].eq("raise_target") & rows["value"].notna()]
    # a ceiling ('up to $1T') is still the value the listing is reported at; a smaller value only raises the share
    central = values[values["reading"].eq("used") & values["qualifier"].isin(["about", "exact", "up_to"])]
    if not raise_rows.empty and not central.empty:
        raised, listing = raise_rows.iloc[-1], central.iloc[-1]
        share = float(raised["value"]) / float(listing["value"])
        at = "up to " if listing["qualifier"] == "up_to" else ""
        found["dilution"].append(
            (
                share,
                f"a {money(raised['value'])}+ listing raise at {at}{money(listing['value'])}: {share:.0%} "
                f"({report_dates(pd.Series([raised['reported_on'], listing['reported_on']]))})",
            )
        )
    return found


def cited_figures(mark_table: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every ledger row this notebook uses: the marks (and the post-money they are paid at) and the listing rows."""
    ids = set(mark_table["figure_id"]) | set(mark_table["paid_figure_id"]) | set(listing_rows(figures)["figure_id"])
    return figures[figures["figure_id"].isin(ids)].sort_values(["reported_on", "figure_id"])
