"""06 cash: the money going out (losses, cash burn, commitments) beside the money coming in (revenue, capital).

Pure functions on the ledger's frames. Results are the rows a source reports for a past period; forecasts are
projections and are kept apart; commitments come from the compute schedule under its labelled assumptions.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.analysis import compute, funding
from helpers.data.load import Ledger
from helpers.data.views import AGGREGATOR_FLAG, aggregator_only, revenue_marks, stated
from helpers.data.vocabulary import FIRM_STATUSES, LOWER_BOUND_QUALIFIERS, UPPER_BOUND_QUALIFIERS
from helpers.notebook.parameters import Spec
from helpers.notebook.tables import money


def parameter_specs(book: Ledger | None = None) -> list[Spec]:
    """The cash notebook's parameters: the year compared, and the compute schedule's own (the same as 03's)."""
    year = Spec(
        "YEAR", "integer", "the year the commitments are set against burn, revenue and cash", low=2025, high=2035
    )
    return [year, *compute.parameter_specs(book)]


# what a period's results measure, in the order a reader meets them: money in, then money out
RESULT_METRICS = ("revenue", "operating_loss", "cash_burn", "net_loss")
RESULT_WORDS = {
    "revenue": "revenue",
    "operating_loss": "operating loss",
    "cash_burn": "cash burned",
    "net_loss": "net loss (includes non-cash charges)",
}
PAST_PERIOD = r"\d{4}(-(H[12]|Q[1-4]))?"  # a calendar year, half or quarter: not a month, not a span of years


def period_start(period: str) -> pd.Timestamp:
    """First day of '2025', '2025-H2' or '2026-Q1'."""
    year, _, part = period.partition("-")
    month = {"": 1, "H1": 1, "H2": 7, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}[part]
    return pd.Timestamp(int(year), month, 1)


def period_months(period: str) -> int:
    """Length of a result period in months: 12 for a year, 6 for a half, 3 for a quarter."""
    return {"": 12, "H": 6, "Q": 3}[re.sub(r"\d", "", period.partition("-")[2])]


def period_words(period: str) -> str:
    """'2026-Q1' -> 'first quarter of 2026', '2025-H1' -> 'first half of 2025', '2025' -> '2025'."""
    year, _, part = period.partition("-")
    if not part:
        return year
    ordinal = {"1": "first", "2": "second", "3": "third", "4": "fourth"}[part[1]]
    return f"{ordinal} {'half' if part[0] == 'H' else 'quarter'} of {year}"


def in_period(period: str) -> str:
    """'in 2025' or 'in the first quarter of 2026'."""
    words = period_words(period)
    return f"in {words}" if words == period else f"in the {words}"


def period_order(period: str) -> tuple[pd.Timestamp, int]:
    """Sort key: by start, the shorter period first (the first half of 2025 before 2025)."""
    return period_start(period), period_months(period)


def results(figures: pd.DataFrame) -> pd.DataFrame:
    """Reported revenue, losses and burn for past periods (used readings, no projections); newest report per cell."""
    rows = figures[
        figures["reading"].eq("used")
        & figures["category"].eq("revenue")
        & figures["metric"].isin(RESULT_METRICS)
        & figures["period"].str.fullmatch(PAST_PERIOD).fillna(False)
    ]
    newest = rows.sort_values(["reported_on", "figure_id"]).groupby(["period", "metric"]).tail(1)
    order = newest.assign(start=newest["period"].map(period_order), rank=newest["metric"].map(RESULT_METRICS.index))
    return order.sort_values(["start", "rank"]).drop(columns=["start", "rank"]).reset_index(drop=True)


def results_table(found: pd.DataFrame) -> pd.DataFrame:
    """One row per period, one column per measure, each cell the figure as reported ('about $8B'); '' if none."""
    cells = found.assign(text=found.apply(stated, axis=1))
    table = cells.pivot(index="period", columns="metric", values="text")
    table = table.reindex(columns=[m for m in RESULT_METRICS if m in table.columns]).fillna("")
    table = table.loc[sorted(table.index, key=period_order)]
    table.index = [period_words(p) for p in table.index]
    return table.rename(columns=RESULT_WORDS)


def _figure(row: pd.Series, sources: pd.DataFrame) -> str:
    """A figure as a sentence states it, flagged when it rests on aggregator pages only."""
    flag = AGGREGATOR_FLAG if aggregator_only(row["source_ids"], sources) else ""
    return f"{stated(row)}{flag}"


def latest_period(found: pd.DataFrame, metrics: tuple[str, ...]) -> str:
    """The newest period for which every one of the metrics is reported."""
    have = found.groupby("period")["metric"].apply(set)
    complete = [p for p, ms in have.items() if set(metrics) <= ms]
    return max(complete, key=period_order)


def _cell(found: pd.DataFrame, period: str, metric: str) -> pd.Series:
    return found[found["period"].eq(period) & found["metric"].eq(metric)].iloc[0]


def results_title(found: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The results chart's finding: the newest period's operating loss and burn against its revenue."""
    period = latest_period(found, ("revenue", "operating_loss", "cash_burn"))
    revenue, loss, burn = (_cell(found, period, m) for m in ("revenue", "operating_loss", "cash_burn"))
    return (
        f"{in_period(period).capitalize()} OpenAI lost {_figure(loss, sources)} from operations on "
        f"{_figure(revenue, sources)} of revenue and burned {_figure(burn, sources)} of cash"
    )


def burn_forecasts(figures: pd.DataFrame) -> pd.DataFrame:
    """Forecast cash burn for single years, one row per forecast and year (each forecast is its own event)."""
    rows = figures[
        figures["reading"].eq("used")
        & figures["category"].eq("projection")
        & figures["metric"].eq("cash_burn")
        & figures["period"].str.fullmatch(r"\d{4}").fillna(False)
    ]
    return rows.sort_values(["reported_on", "period"]).reset_index(drop=True)


def forecast_table(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Years across, one row per forecast (named by its report month): how the expected burn moved."""
    label = forecasts["reported_on"].dt.strftime("forecast reported %b %Y")
    # a forecast given as 'about' says so in its row: the table shows amounts, not their qualifiers
    about = forecasts.groupby(label)["qualifier"].transform(lambda q: q.eq("about").all())
    named = forecasts.assign(forecast=label.where(~about, label + " (every figure approximate)"))
    return named.pivot(index="forecast", columns="period", values="value").loc[named["forecast"].unique()]


def _newest(rows: pd.DataFrame) -> pd.Series | None:
    return None if rows.empty else rows.sort_values(["reported_on", "figure_id"]).iloc[-1]


def year_view(
    figures: pd.DataFrame, schedule: pd.DataFrame, year: int, firm_statuses: tuple[str, ...] = FIRM_STATUSES
) -> pd.DataFrame:
    """Money out, money in and cash held, for one year where the ledger has it: measure, kind, usd_bn, figure_id.

    The commitment line is the compute schedule's floor for the year (an assumption where a term or start is
    assumed); the burn line is the newest forecast for the year; revenue and cash are the newest reported.
    """
    out = []
    floor = float(schedule.loc[schedule["year"].eq(year), "floor_usd_bn"].sum())
    out.append((f"compute commitments falling in {year}, spread over terms", "out, assumed", floor, ""))
    forecasts = burn_forecasts(figures)
    forecast = _newest(forecasts[forecasts["period"].eq(str(year))])
    if forecast is not None:
        when = f"{forecast['reported_on']:%b %Y}"
        out.append(
            (f"cash burn forecast for {year} (reported {when})", "out", forecast["value"], forecast["figure_id"])
        )
    found = results(figures)
    burned = found[found["metric"].eq("cash_burn")]
    latest_burn = _newest(burned)
    if latest_burn is not None:
        out.append(
            (
                f"cash burned, {period_words(latest_burn['period'])}",
                "out",
                latest_burn["value"],
                latest_burn["figure_id"],
            )
        )
    marks = revenue_marks(figures)
    calendar, run_rate = marks["calendar"], marks["run_rate"]
    out.append((f"revenue, calendar {calendar['period']}", "in", calendar["value"], calendar["figure_id"]))
    rate_month = pd.Timestamp(f"{run_rate['period']}-01") if re.fullmatch(r"\d{4}-\d{2}", run_rate["period"]) else None
    rate_when = f"{rate_month:%b %Y}" if rate_month is not None else run_rate["period"]
    out.append((f"revenue run rate, {rate_when}", "in", run_rate["value"], run_rate["figure_id"]))
    raised = funding.raised_totals(funding.money_raised(figures, firm_statuses))
    out.append((f"capital paid in to date (by {raised['paid_as_of']:%b %Y})", "in", raised["paid_usd_bn"], ""))
    cash = _newest(figures[figures["reading"].eq("used") & figures["metric"].eq("cash_on_hand")])
    if cash is not None:
        month = pd.Timestamp(f"{cash['period']}-01") if re.fullmatch(r"\d{4}-\d{2}", cash["period"]) else None
        words = f"end of {month:%b %Y}" if month is not None else cash["period"]
        out.append((f"cash and securities held, {words}", "held", cash["value"], cash["figure_id"]))
    view = pd.DataFrame(out, columns=["measure", "kind", "usd_bn", "figure_id"]).set_index("measure")
    # the period a reported burn covers, so the cash held is set against the burn still to come in the year
    periods = figures.drop_duplicates("figure_id").set_index("figure_id")["period"]
    view["period"] = [
        str(periods.get(i, "")) if i and k == "out" else ""
        for i, k in zip(view["figure_id"], view["kind"], strict=True)
    ]
    in_year = schedule[schedule["year"].eq(year)]
    view["assumed_usd_bn"] = 0.0
    view.iloc[0, view.columns.get_loc("assumed_usd_bn")] = float(in_year.loc[in_year["assumed"], "floor_usd_bn"].sum())
    return view.assign(**_press_parts(view, figures, schedule, year))


def _press_parts(view: pd.DataFrame, figures: pd.DataFrame, schedule: pd.DataFrame, year: int) -> dict:
    """Per view row, the part resting on press reports (hatched in the chart) and the figure's qualifier."""
    rows = figures.drop_duplicates("figure_id").set_index("figure_id")
    named = view["figure_id"].map(lambda i: rows.loc[i] if i else None)
    press = [
        0.0 if row is None or row["status"] in FIRM_STATUSES else float(value)
        for row, value in zip(named, view["usd_bn"], strict=True)
    ]
    in_year = schedule[schedule["year"].eq(year) & ~schedule["status"].isin(FIRM_STATUSES)]
    press[0] = float(in_year["floor_usd_bn"].sum())  # the commitments row: its press-reported deals
    qualifier = ["exact" if row is None else row["qualifier"] for row in named]
    # the year's commitments are a floor when a deal in it is a floor ('more than') or a ceiling counted at 0
    bounded = schedule[schedule["year"].eq(year)]["qualifier"].isin(LOWER_BOUND_QUALIFIERS + UPPER_BOUND_QUALIFIERS)
    qualifier[0] = "more_than" if bounded.any() else qualifier[0]
    return {"press_usd_bn": press, "qualifier": qualifier}


ASSUMED_SCHEDULE = "on assumed contract starts and terms"


def or_more(view: pd.DataFrame) -> str:
    """' or more' when the year's commitments include a floor (so a ratio of them is a floor too), else ''."""
    row = view[view["kind"].eq("out, assumed")].iloc[0]
    return " or more" if row.get("qualifier", "exact") in LOWER_BOUND_QUALIFIERS else ""


def commitments_words(view: pd.DataFrame) -> str:
    """'about $65.3B or more, on assumed contract starts and terms': the year's schedule is an estimate."""
    commitments = view[view["kind"].eq("out, assumed")]["usd_bn"].iloc[0]
    return f"about {money(commitments)}{or_more(view)}, {ASSUMED_SCHEDULE}"


def revenue_benchmark(
    view: pd.DataFrame, year: int, figures: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> tuple[float, str]:
    """The revenue a year's commitments are set against: that year's run rate where the ledger has one (a pace for
    the same year), else the latest calendar year's revenue. Returns ($B, words), the words flagged when the figure
    rests on aggregator pages only (given the figures and sources)."""
    rate = view[view.index.str.startswith("revenue run rate") & view.index.str.endswith(str(year))]
    if len(rate):
        when = rate.index[0].split(", ", 1)[1]
        row, words = rate, f"the {when} revenue run rate"
    else:
        row = view[view.index.str.startswith("revenue, calendar")]
        words = f"{row.index[0].rsplit(' ', 1)[-1]} revenue"
    if figures is not None and sources is not None:
        ids = figures.loc[figures["figure_id"].eq(row["figure_id"].iloc[0]), "source_ids"].iloc[0]
        words += AGGREGATOR_FLAG if aggregator_only(ids, sources) else ""
    return float(row["usd_bn"].iloc[0]), words


def assumed_words(view: pd.DataFrame) -> str:
    """'$50B of it on an assumed term and start': the part of the year's commitments the assumptions place there."""
    assumed = float(view[view["kind"].eq("out, assumed")]["assumed_usd_bn"].iloc[0])
    return f"{money(assumed)} of it on an assumed term or start" if assumed > 0 else "every term and start reported"


def year_title(
    view: pd.DataFrame, year: int, figures: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> str:
    """The comparison chart's finding, like for like: the year's commitments (gross costs) against the year's revenue
    pace (gross income), with the part that rests on assumptions named. Burn is net of revenue, so it is no yardstick
    for gross commitments and stays out of the title."""
    commitments = view[view["kind"].eq("out, assumed")]["usd_bn"].iloc[0]
    revenue, revenue_words = revenue_benchmark(view, year, figures, sources)
    more = or_more(view)  # a ratio of a floor keeps the floor's direction
    bound = "at_least" if more else "exact"  # '... or more' is a floor: its ratio is rounded down
    return (
        f"{year}'s compute commitments, about {money(commitments)}{more} ({assumed_words(view)}), are "
        f"{compute.ratio_text(commitments / revenue, bound)}{more} {revenue_words}"
    )


def remaining_burn(view: pd.DataFrame, year: int) -> tuple[float, float, str] | None:
    """(burn forecast for the year still to come, burn already reported for it, the period words) once the cash held
    is dated after a reported part of the year: cash at the end of March is set against April to December."""
    forecast = view[view.index.str.startswith("cash burn forecast")]["usd_bn"]
    if forecast.empty:
        return None
    spent = view[view["kind"].eq("out") & view["period"].str.startswith(f"{year}-")]
    if spent.empty:
        return float(forecast.iloc[0]), 0.0, ""
    return (
        float(forecast.iloc[0] - spent["usd_bn"].sum()),
        float(spent["usd_bn"].sum()),
        period_words(spent["period"].iloc[0]),
    )


def view_sources(view: pd.DataFrame, figures: pd.DataFrame, deals: pd.DataFrame) -> list[str]:
    """Source ids behind a year view: the compute comparison's (commitments, capital, revenue) and the view's rows."""
    ids = [i for i in view["figure_id"] if i]
    named = figures[figures["figure_id"].isin(ids)]
    listed = compute.comparison_sources(deals, figures) + [s for cell in named["source_ids"] for s in cell.split(";")]
    return list(dict.fromkeys(listed))


def results_sources(found: pd.DataFrame) -> list[str]:
    """Source ids behind the results table and chart."""
    return list(dict.fromkeys(s for cell in found["source_ids"] for s in cell.split(";")))


def bottom_line(
    found: pd.DataFrame, view: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame, year: int
) -> str:
    """Three bullets: the newest results, the cash against the burn, the year's commitments against both."""
    period = latest_period(found, ("revenue", "cash_burn"))
    revenue, burn = _cell(found, period, "revenue"), _cell(found, period, "cash_burn")
    full_year = latest_period(found[found["period"].str.fullmatch(r"\d{4}")], ("revenue", "operating_loss"))
    year_revenue, year_loss = _cell(found, full_year, "revenue"), _cell(found, full_year, "operating_loss")
    both = aggregator_only(year_loss["source_ids"], sources) and aggregator_only(year_revenue["source_ids"], sources)
    lines = [
        f"- {in_period(period).capitalize()} OpenAI burned {stated(burn)}, with revenue {stated(revenue)}; in "
        f"{full_year} it lost **{stated(year_loss)}** from operations"
        + (" (aggregator pages only)." if both or aggregator_only(burn["source_ids"], sources) else "."),
    ]
    held = view[view["kind"].eq("held")]
    forecast = view[view.index.str.startswith("cash burn forecast")]
    if len(held) and len(forecast):
        cash_ids = figures.loc[figures["figure_id"].eq(held["figure_id"].iloc[0]), "source_ids"].iloc[0]
        flag = ", aggregator pages only" if aggregator_only(cash_ids, sources) else ""
        lines.append(
            f"- It held **{money(held['usd_bn'].iloc[0])}** ({held.index[0].split(', ', 1)[1]}{flag}), "
            f"{cover_words(view, year, short=True)}."
        )
    commitments = view[view["kind"].eq("out, assumed")]["usd_bn"].iloc[0]
    lines.append(
        f"- Compute commitments falling in {year}: about **{money(commitments)}**{or_more(view)}, "
        f"{assumed_words(view).replace(' of it', '')}."
    )
    return "\n".join(lines)


def burn_ratios(found: pd.DataFrame) -> pd.Series:
    """Cash burned per dollar of revenue, for each period that reports both (a share: 0.65 is 65%)."""
    wide = found.pivot(index="period", columns="metric", values="value")
    both = wide.dropna(subset=["revenue", "cash_burn"]) if {"revenue", "cash_burn"} <= set(wide.columns) else wide[:0]
    ratios = both["cash_burn"] / both["revenue"]
    return ratios.loc[sorted(ratios.index, key=period_order)]


def results_sentence(found: pd.DataFrame) -> str:
    """The results chart's takeaway: burn against revenue period by period, and what the net loss adds."""
    ratios = burn_ratios(found)
    steps = "; ".join(f"{ratio:.0%} {in_period(p)}" for p, ratio in ratios.items())
    text = f"Cash burned as a share of revenue: {steps}."
    wide = found.pivot(index="period", columns="metric", values="value")
    if {"net_loss", "operating_loss"} <= set(wide.columns):
        gap = (wide["net_loss"] - wide["operating_loss"]).dropna()
        if len(gap):
            p = max(gap.index, key=period_order)
            text += (
                f" {in_period(p).capitalize()} the net loss was {money(gap[p])} larger than the operating loss: "
                "non-cash charges booked below the operating line, which the cash burn does not include."
            )
    return text


def forecast_sentence(forecasts: pd.DataFrame) -> str:
    """How the newest burn forecast differs from the one before, in the year where they differ most."""
    table = forecast_table(forecasts)
    if len(table) < 2:
        return "The ledger holds one burn forecast, so there is no revision to compare."
    before, after = table.iloc[-2], table.iloc[-1]
    change = (after - before).dropna()
    year = change.abs().idxmax()
    # each forecast's words from its rows, not from the table's row label: '(about) $45B in the one reported Sep 2025'
    rows = forecasts[forecasts["period"].eq(year)].sort_values("reported_on")
    new, old = rows.iloc[-1], rows.iloc[-2]
    return (
        f"The newest forecast (reported {new['reported_on']:%b %Y}) expects {stated(new)} of cash burn in {year}, "
        f"against {stated(old)} in the one reported {old['reported_on']:%b %Y}: forecasts are plans told to "
        "investors, not results."
    )


def cover_words(view: pd.DataFrame, year: int, short: bool = False) -> str:
    """'3.4 times the $21.3B of 2026's forecast burn still to come after the first quarter ($25B less the $3.7B
    burned)': cash held against the burn after the date it is held, not against the whole year's."""
    held = view[view["kind"].eq("held")]["usd_bn"].iloc[0]
    left, spent, when = remaining_burn(view, year)
    if not spent:
        return f"{held / left:.1f} times {year}'s forecast burn ({money(left)})"
    if short:  # for a bullet: the remaining burn, without its arithmetic
        # the forecast named beside the remainder: a bare remainder read as the table's quarter loss of equal value
        return (
            f"{held / left:.1f} times the {money(left)} of {year}'s {money(left + spent)} burn forecast still to come"
        )
    return (
        f"{held / left:.1f} times the {money(left)} of {year}'s forecast burn still to come after the {when} "
        f"({money(left + spent)} forecast, less the {money(spent)} burned)"
    )


def year_sentence(view: pd.DataFrame, year: int) -> str:
    """The year chart's takeaway: how long the cash held lasts at the burn still to come, and why the year's
    commitments are a different measure."""
    held = view[view["kind"].eq("held")]["usd_bn"]
    commitments = view[view["kind"].eq("out, assumed")]["usd_bn"].iloc[0]
    if held.empty or remaining_burn(view, year) is None:
        return f"Compute commitments falling in {year} come to {commitments_words(view)}."
    return (
        f"The {money(held.iloc[0])} of cash and securities held would cover {cover_words(view, year)}. The "
        f"commitments falling in {year}, about {money(commitments)}{or_more(view)} ({assumed_words(view)}), are a "
        "different measure: gross costs of contracts spread over their terms, while the burn is net of revenue and "
        "may already include part of them; the two are not added, and neither is set against the other."
    )
