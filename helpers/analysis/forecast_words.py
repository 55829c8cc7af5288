"""The burn forecasts in one plain sentence for the page that uses one: which forecast it uses for a year, how the
other differs, and which a reader should trust for what. Notebook 05 (the dilution a delayed listing costs) and
notebook 06 (cash held against the year's burn) both call it, so the two pages tell the forecasts the same way.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.cash import burn_forecasts
from helpers.data.views import stated


def _direction(newer: pd.Series, older: pd.Series) -> str:
    """'higher in every year both cover', 'lower in ...', or 'higher in 2 of the 3 years both cover'."""
    change = (newer - older).dropna()
    up, down = int((change > 0).sum()), int((change < 0).sum())
    if up == len(change):
        return "higher in every year both cover"
    if down == len(change):
        return "lower in every year both cover"
    return f"higher in {up} of the {len(change)} years both cover"


def forecast_words(figures: pd.DataFrame, year: int, used_on: pd.Timestamp, used_for: str, elsewhere: str) -> str:
    """One sentence: the forecasts of `year`'s burn, the one this page uses (reported on `used_on`) `used_for`,
    how the revision differs, and that the newest is the one to trust for what OpenAI now expects to spend;
    `elsewhere` says which one the other notebook uses. '' when the ledger holds fewer than two forecasts for the year."""
    forecasts = burn_forecasts(figures)
    rows = forecasts[forecasts["period"].eq(str(year))].sort_values(["reported_on", "figure_id"])
    rows = rows.drop_duplicates("event", keep="last")
    if len(rows) < 2:
        return ""
    by_forecast = forecasts.pivot_table(index="event", columns="period", values="value", aggfunc="last")
    older, newer = rows.iloc[-2], rows.iloc[-1]
    how = _direction(by_forecast.loc[newer["event"]], by_forecast.loc[older["event"]])
    used_newest = pd.Timestamp(used_on) == newer["reported_on"]
    if used_newest:
        return (
            f"This notebook uses the {newer['reported_on']:%B %Y} forecast of {year}'s cash burn ({stated(newer)}) "
            f"{used_for}; it revised the {older['reported_on']:%B %Y} one ({stated(older)}) and is {how}, so it is "
            f"the better guide to what OpenAI now expects to spend ({elsewhere})."
        )
    case = "milder" if how.startswith("higher") else "harsher"
    return (
        f"This notebook uses the {older['reported_on']:%B %Y} forecast of {year}'s cash burn ({stated(older)}) "
        f"{used_for}; the {newer['reported_on']:%B %Y} revision puts it at {stated(newer)} and is {how}, so trust "
        f"the newer one for what OpenAI now expects to spend and read this notebook's figure as the {case} case "
        f"({elsewhere})."
    )


def cash_forecast_words(view: pd.DataFrame, figures: pd.DataFrame, year: int) -> str:
    """Notebook 06's sentence: the forecast its year view sets the cash held against, told against notebook 05's."""
    burn = view[view.index.str.startswith("cash burn forecast")]
    if burn.empty:
        return ""
    used_on = figures.loc[figures["figure_id"].eq(burn["figure_id"].iloc[0]), "reported_on"].iloc[0]
    return forecast_words(
        figures,
        year,
        used_on,
        "to set the cash held against the year's burn",
        "notebook 05 sets the dilution a delayed listing costs on the older forecast, as its milder case",
    )
