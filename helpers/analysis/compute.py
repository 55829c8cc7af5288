"""Pure functions for the compute notebook: commitments, annual schedules, two-way flows, scope."""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis import funding, funding_words
from helpers.analysis.valuation import with_bound
from helpers.data.load import Ledger
from helpers.data.views import aggregator_flag, describe_value, latest, revenue_marks, sources_of, stated
from helpers.data.vocabulary import (
    COMMITMENT_CATEGORIES,
    COMPUTE_PROVIDERS,
    FIRM_STATUSES,
    LAPSED_STATUSES,
    RAISED_WORD,
    UPPER_BOUND_QUALIFIERS,
)
from helpers.notebook.parameters import Spec
from helpers.notebook.prose import listed
from helpers.notebook.tables import money


def parameter_specs(book: Ledger | None = None) -> list[Spec]:
    """The compute notebook's parameters (none depend on the ledger; `book` keeps one call for every notebook)."""
    return [
        Spec(
            "ASSUMED_TERM_YEARS", "integer", "years a commitment with no reported term is spread over", low=1, high=30
        ),
        Spec(
            "ASSUMED_START_DELAY_YEARS",
            "integer",
            "years from the report to the assumed start of a commitment with no reported start",
            low=0,
            high=10,
        ),
        Spec("INCLUDE_PRESS_REPORTS", "bool", "count deals resting on press reports in the schedule"),
    ]


def provider_of(counterparty: str) -> str:
    """Provider label for a counterparty ('Amazon Web Services' -> 'Amazon')."""
    for name in COMPUTE_PROVIDERS:
        if counterparty.startswith(name):
            return name
    return counterparty


def commitments(figures: pd.DataFrame, include_lapsed: bool = True) -> pd.DataFrame:
    """The latest report of each commitment OpenAI made to a compute provider (amounts, undisclosed kept)."""
    used = figures[
        (figures["reading"] == "used")
        & figures["category"].isin(COMMITMENT_CATEGORIES)
        & figures["metric"].eq("amount")
        & figures["subject"].eq("OpenAI")
    ]
    used = used[used["basis"].isna() | used["basis"].eq("total")]
    current = _reported_window(latest(used, ["event", "category"]), used)
    if not include_lapsed:
        current = current[~current["status"].isin(LAPSED_STATUSES)]
    return current.assign(provider=current["counterparty"].map(provider_of)).sort_values(["provider", "reported_on"])


def vendor_pledges(figures: pd.DataFrame) -> pd.DataFrame:
    """Chip deals written the other way round: a vendor pledging money to OpenAI tied to its chips
    (Nvidia's letter of intent). Latest report of each, with the vendor as provider."""
    used = figures[
        (figures["reading"] == "used")
        & figures["category"].eq("chip_commitment")
        & figures["metric"].eq("amount")
        & figures["counterparty"].eq("OpenAI")
    ]
    current = latest(used, ["event"])
    return current.assign(provider=current["subject"].map(provider_of))


def timing(row: pd.Series, assumed_term_years: int, assumed_start_delay_years: int) -> tuple[int, int, bool, bool]:
    """(start year, term in years, term assumed?, start assumed?) for one commitment."""
    start, end, term = row["start_year"], row["end_year"], row["term_years"]
    term_assumed = pd.isna(term) and (pd.isna(start) or pd.isna(end))
    if pd.notna(term):
        years = int(round(term))
    elif pd.notna(start) and pd.notna(end):
        years = int(end - start + 1)
    else:
        years = assumed_term_years
    start_assumed = pd.isna(start) and pd.isna(end)
    if pd.notna(start):
        first = int(start)
    elif pd.notna(end):
        first = int(end) - years + 1
    else:
        first = row["reported_on"].year + assumed_start_delay_years
    return first, years, bool(term_assumed), bool(start_assumed)


def annual_schedule(rows: pd.DataFrame, assumed_term_years: int, assumed_start_delay_years: int) -> pd.DataFrame:
    """Spread each disclosed commitment evenly over its term: commitments over assumed terms, not spending.

    Undisclosed amounts are left out, not zeroed. `assumed` flags a year that rests on an assumed term or
    start; `floor_usd_bn` is 0 for a ceiling ('up to $6.5B'), which is never counted as its value.
    """
    if assumed_term_years < 1:
        raise ValueError(f"assumed_term_years must be at least 1, got {assumed_term_years}")
    records = []
    for _, row in rows.dropna(subset=["value"]).iterrows():
        first, years, term_assumed, start_assumed = timing(row, assumed_term_years, assumed_start_delay_years)
        for year in range(first, first + years):
            records.append(
                {
                    "figure_id": row["figure_id"],
                    "event": row["event"],
                    "provider": row["provider"],
                    "status": row["status"],
                    "year": year,
                    "amount_usd_bn": row["value"] / years,
                    "term_assumed": term_assumed,
                    "start_assumed": start_assumed,
                    "assumed": term_assumed or start_assumed,
                    "floor_usd_bn": 0.0 if row["qualifier"] in UPPER_BOUND_QUALIFIERS else row["value"] / years,
                    "qualifier": row["qualifier"],
                }
            )
    columns = [
        "figure_id",
        "event",
        "provider",
        "status",
        "year",
        "amount_usd_bn",
        "term_assumed",
        "start_assumed",
        "assumed",
        "floor_usd_bn",
        "qualifier",
    ]
    return pd.DataFrame(records, columns=columns)


def year_table(schedule: pd.DataFrame) -> pd.DataFrame:
    """Per provider and year, the floor of the spread commitments ('up to' adds 0), a total row that is the sum
    of those floors, and a row with the ceilings left out of it. Every column adds up to its total."""
    floors = schedule.pivot_table(
        index="provider", columns="year", values="floor_usd_bn", aggfunc="sum", fill_value=0.0
    )
    above = schedule.assign(ceiling_usd_bn=schedule["amount_usd_bn"] - schedule["floor_usd_bn"])
    ceilings = above.pivot_table(
        index="provider", columns="year", values="ceiling_usd_bn", aggfunc="sum", fill_value=0.0
    )
    ceilings = ceilings.reindex(columns=floors.columns, fill_value=0.0)
    table = floors.copy()
    table.loc["total, counting no ceiling"] = floors.sum()
    capped = ceilings.index[ceilings.sum(axis=1) > 0]
    if len(capped):
        table.loc[f"plus up to ({', '.join(capped)}), not in the total"] = ceilings.sum()
    table.index.name, table.columns.name = "provider", None
    return table


def year_words(schedule: pd.DataFrame, year: int) -> str:
    """One year of the spread in words that keep each part's kind ('about $137.8B or more (...)')."""
    rows = schedule[schedule["year"].eq(year)]
    return funding.floor_words(*funding.floor_parts(rows["floor_usd_bn"], rows["qualifier"]))


def commitment_words(rows: pd.DataFrame) -> str:
    """The floor of disclosed commitments in words: exact, 'about' and 'at least' parts kept apart."""
    disclosed = rows.dropna(subset=["value"])
    return funding.floor_words(*funding.floor_parts(funding.amount_floor(disclosed), disclosed["qualifier"]))


def included_in_disclosed(rows: pd.DataFrame) -> pd.DataFrame:
    """Undisclosed commitments that are part of a deal with a disclosed amount (Trainium inside the $100B
    AWS expansion): same event, or `part_of` naming that event. Counted inside that deal, never again."""
    disclosed_events = set(rows.dropna(subset=["value"])["event"])
    hidden = rows[rows["value"].isna()]
    key = (
        hidden["part_of"].where(hidden["part_of"].notna(), hidden["event"]) if "part_of" in hidden else hidden["event"]
    )
    return hidden[key.isin(disclosed_events)].assign(included_in=key[key.isin(disclosed_events)])


def undisclosed(rows: pd.DataFrame) -> pd.DataFrame:
    """Commitments reported without an amount and not part of a disclosed deal: named, never summed as zero."""
    hidden = rows[rows["value"].isna()]
    return hidden.drop(included_in_disclosed(rows).index)


def totals(rows: pd.DataFrame) -> dict[str, float | int]:
    """Firm and all-status floors of disclosed commitments ('up to' adds 0), and how many are undisclosed."""
    disclosed = rows.dropna(subset=["value"])
    firm = disclosed["status"].isin(FIRM_STATUSES)
    floor = funding.amount_floor(disclosed)
    return {
        "firm_usd_bn": float(floor[firm].sum()),
        "all_usd_bn": float(floor.sum()),
        "ceilings_usd_bn": float(disclosed.loc[disclosed["qualifier"].isin(UPPER_BOUND_QUALIFIERS), "value"].sum()),
        "disclosed": int(len(disclosed)),
        "undisclosed": int(len(undisclosed(rows))),
    }


def floor_bound(rows: pd.DataFrame) -> str:
    """Bound of the floor sum of disclosed commitments: 'at_least' when a part is a floor or a ceiling counted at 0,
    'about' when a part is approximate, else 'exact' (the direction a ratio of it carries)."""
    disclosed = rows.dropna(subset=["value"])
    _, about, at_least = funding.floor_parts(funding.amount_floor(disclosed), disclosed["qualifier"])
    if at_least > 0 or disclosed["qualifier"].isin(UPPER_BOUND_QUALIFIERS).any():
        return "at_least"
    return "about" if about > 0 else "exact"


def ratio_text(ratio: float, bound: str) -> str:
    """'2.7x': a ratio to one decimal, rounded on its bound's safe side (a floor down, a ceiling up)."""
    # a floor rounded up would claim more than it knows (408 / 147.6 = 2.76 is 'at least 2.7x', not 2.8x)
    tenths = {"at_least": math.floor, "at_most": math.ceil}.get(bound, round)(round(ratio * 10, 9))
    return f"{tenths / 10:.1f}x"


def ratio_words(numerator_usd_bn: float, numerator_bound: str, denominator_usd_bn: float) -> str:
    """'at least 2.7x': a ratio of a bounded sum to an exact one keeps the sum's bound, rounded on its safe side."""
    return with_bound(ratio_text(numerator_usd_bn / denominator_usd_bn, numerator_bound), numerator_bound)


def covers_bound(covers: str) -> str:
    """The bound a comparison row's 'covers' names ('multi-year total, at least' -> 'at_least'), else 'exact'."""
    # 'about, or more' holds a comma of its own: read it before the last part alone ('or more')
    if covers.endswith(("about, or more", "at least")):
        return "at_least"
    return "about" if covers.endswith("about") else "exact"


def per_year(total_usd_bn: float, years: int) -> float:
    """Average per year of a multi-year total."""
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    return total_usd_bn / years


def scope_totals(figures: pd.DataFrame) -> pd.DataFrame:
    """The headline totals (commitments, compute spending) with the years each one covers."""
    used = figures[
        (figures["reading"] == "used")
        & figures["category"].eq("projection")
        & figures["metric"].isin(["commitments_total", "compute_spend"])
    ]
    current = latest(used, ["metric", "period"]).sort_values("reported_on")
    years = current.apply(
        lambda r: r["term_years"] if pd.notna(r["term_years"]) else _period_years(r["period"]), axis=1
    )
    # the amount may be stated by an earlier, first-hand row too: a flag on it weighs every row that states it
    same = [
        ";".join(
            dict.fromkeys(
                i
                for ids in used.loc[used["metric"].eq(r.metric) & used["value"].eq(r.value), "source_ids"]
                for i in ids.split(";")
            )
        )
        for r in current.itertuples()
    ]
    return current.assign(years=years, per_year_usd_bn=current["value"] / years, value_source_ids=same)


def _period_years(period: str | float) -> float:
    if not isinstance(period, str) or len(period) != 9:
        return float("nan")
    first, last = int(period[:4]), int(period[5:])
    return float(last - first + 1)


def _list_words(rows: pd.DataFrame) -> str:
    # a row of the including deal itself is a second report of it, not a separate item
    words = [f"a second report of the {r.deal}" if r.event == r.included_in else r.deal for r in rows.itertuples()]
    return listed(words)


def _span(rows: pd.DataFrame) -> str:
    first, last = rows["reported_on"].min(), rows["reported_on"].max()
    return f"{first:%b %Y}" if first.strftime("%Y%m") == last.strftime("%Y%m") else f"{first:%b %Y} to {last:%b %Y}"


def bottom_line(rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame, assumed_term_years: int) -> str:
    """The compute notebook's bottom line: three short bullets, multi-year set against multi-year."""
    firm = rows[rows["status"].isin(FIRM_STATUSES)]
    raised = funding_words.money_box(figures, FIRM_STATUSES).iloc[2]["amount_usd_bn"]
    total = totals(rows)
    spend = scope_totals(figures).query("metric == 'compute_spend'").iloc[-1]
    first, last = int(spend["period"][:4]), int(spend["period"][5:])
    window = schedule[schedule["year"].between(first, last)]["floor_usd_bn"].sum()
    press = commitment_words(rows[~rows["status"].isin(FIRM_STATUSES)]).split(" (")[0]  # the parts are in the table
    terms = schedule.loc[schedule["term_assumed"], "event"].nunique()
    assumed = f" on assumed {assumed_term_years}-year terms" if terms else ""
    return "\n".join(
        [
            f"- Announced compute contracts: **{commitment_words(firm)}**, "
            f"{ratio_words(total['firm_usd_bn'], floor_bound(firm), raised)} the {money(raised)} {RAISED_WORD}; "
            f"press reports add {press}.",
            # the two assumptions the match rests on, named where it is made; the term sensitivity is in 03's table
            f"- Over {first}-{last} they total about **{money(window)}** ({window_press_words(schedule, first, last, name_providers=False)})"
            f"{assumed}, {_against(window, float(spend['value']))} the {stated(spend)} OpenAI "
            f"{'announced' if _reported_word(spend) == 'announced' else 'reportedly planned'} to spend"
            f"{span_reading(spend)}.",
            f"- Suppliers also invest in OpenAI; {total['undisclosed']} deals had no disclosed amount.",
        ]
    )


def timing_sentence(rows: pd.DataFrame, assumed_term_years: int, assumed_start_delay_years: int) -> str:
    """Which deals use a reported term and start, and which use the assumptions."""
    lines = []
    for row in rows.dropna(subset=["value"]).itertuples():
        first, years, term_assumed, start_assumed = timing(
            pd.Series(row._asdict()), assumed_term_years, assumed_start_delay_years
        )
        how = (
            "assumed term and start"
            if term_assumed and start_assumed
            else "assumed term"
            if term_assumed
            else "assumed start"
            if start_assumed
            else "term and start as reported"
        )
        stated = describe_value(row.value, row.qualifier, row.low, row.high, row.unit)
        lines.append(
            f"- {row.deal}: {stated} over {years} years from {first}, {money(row.value / years)} a year; {how}."
        )
    return "\n".join(lines)


def comparison_table(
    rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame, firm_statuses: tuple[str, ...]
) -> pd.DataFrame:
    """Commitments, capital and revenue side by side, each labelled with what it covers.

    Commitments are floors (a ceiling adds nothing); capital is the money box's raised (paid in plus committed,
    conditional money apart) and paid in; multi-year totals sit beside the multi-year spending OpenAI told
    investors, and one year of revenue is labelled one year.
    """
    total = totals(rows)
    box = funding_words.money_box(figures, firm_statuses)["amount_usd_bn"]
    sums = funding.raised_totals(funding.money_raised(figures, firm_statuses))
    revenue = revenue_marks(figures)
    spend = scope_totals(figures).query("metric == 'compute_spend'").iloc[-1]
    first, last = int(spend["period"][:4]), int(spend["period"][5:])
    in_window = schedule[schedule["year"].between(first, last)]
    window = in_window["floor_usd_bn"].sum()
    firm = rows[rows["status"].isin(FIRM_STATUSES)]
    press = lambda row: 0.0 if row["status"] in FIRM_STATUSES else float(row["value"])  # noqa: E731
    calendar, run_rate = revenue["calendar"], revenue["run_rate"]
    records = [
        ("commitments, announced", "commitment", total["firm_usd_bn"], f"multi-year total, {_kind(firm)}", 0.0),
        (
            "commitments, with press reports",
            "commitment",
            total["all_usd_bn"],
            f"multi-year total, {_kind(rows)}",
            total["all_usd_bn"] - total["firm_usd_bn"],
        ),
        (
            f"commitments spread over {first}-{last}",
            "commitment",
            window,
            f"{last - first + 1} years, an assumption: {assumed_term_words(schedule)}",
            in_window.loc[~in_window["status"].isin(FIRM_STATUSES), "floor_usd_bn"].sum(),
        ),
        (
            f"compute spending reported for {first}-{last}",
            "spending",
            spend["value"],
            f"{last - first + 1} years{' (first year our reading)' if span_reading(spend) else ''}, {spend['qualifier']}",
            press(spend),
        ),
        (f"capital {RAISED_WORD} (paid in + committed)", "capital", box.iloc[2], "to date", 0.0),
        (f"capital paid in (by {sums['paid_as_of']:%b %Y})", "capital", box.iloc[0], "to date", 0.0),
        ("capital conditional", "conditional", box.iloc[3], "not raised", 0.0),
        (
            f"revenue, calendar {calendar['period']}",
            "revenue",
            calendar["value"],
            _one("one year", calendar),
            press(calendar),
        ),
        (
            f"revenue run rate, {pd.Timestamp(run_rate['period'] + '-01'):%b %Y}",
            "revenue",
            run_rate["value"],
            _one("one month, annualized", run_rate),
            press(run_rate),
        ),
    ]
    # press_usd_bn: the part of each amount that rests on press reports (hatched in the chart)
    columns = ["measure", "kind", "usd_bn", "covers", "press_usd_bn"]
    return pd.DataFrame(records, columns=columns).set_index("measure")


def _one(covers: str, row: pd.Series) -> str:
    """What a single figure covers, with its qualifier when it is not exact ('one year, about')."""
    return covers if row["qualifier"] == "exact" else f"{covers}, {row['qualifier'].replace('_', ' ')}"


def comparison_sources(rows: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    """Source ids behind the comparison table."""
    revenue = revenue_marks(figures)
    parts = [rows, funding.capital_events(figures), pd.DataFrame([revenue["calendar"], revenue["run_rate"]])]
    return sources_of(pd.concat(parts))


def window_press_words(schedule: pd.DataFrame, first: int, last: int, name_providers: bool = True) -> str:
    """'$255.9B of it on press reports only, for CoreWeave and Oracle': the part of a schedule window no company confirmed,
    said wherever the window's total is stated."""
    window = schedule[schedule["year"].between(first, last) & ~schedule["status"].isin(FIRM_STATUSES)]
    press = float(window["floor_usd_bn"].sum())
    if press <= 0:
        return "all of it announced"
    names = sorted(window.loc[window["floor_usd_bn"] > 0, "provider"].unique())
    providers = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{money(press)} of it on press reports only" + (f", for {providers}" if name_providers else "")


def comparison_sentence(table: pd.DataFrame, schedule: pd.DataFrame) -> str:
    """Multi-year commitments against capital and against multi-year spending; revenue said per year only."""
    value, kind = table["usd_bn"], table["kind"]
    commitments = value[kind.eq("commitment")]
    announced, window = commitments.iloc[0], commitments.iloc[2]
    bound = covers_bound(table["covers"][kind.eq("commitment")].iloc[0])  # a ratio of a floor is a floor
    spending = value[kind.eq("spending")].iloc[0]
    raised, paid = value[kind.eq("capital")].iloc[0], value[kind.eq("capital")].iloc[1]
    calendar = value[kind.eq("revenue")].iloc[0]
    window_name = commitments.index[2]
    first, last = (int(y) for y in window_name.split()[-1].split("-"))
    return (
        f"Announced commitments alone are {ratio_words(announced, bound, raised)} the capital raised from investors "
        f"and {ratio_words(announced, bound, paid)} the capital paid in; conditional money is in neither. Spread over assumed terms, "
        f"the contracts come to {money(window)} over {window_name.split()[-1]} "
        f"({window_press_words(schedule, first, last)}), {_against(window, spending)} the about "
        f"{money(spending)} of compute spending OpenAI was reported to have told investors for the same years; the "
        "match rests on the assumed terms (the table below tries the others) and on when that span starts. Revenue is shown one year "
        f"at a time ({money(calendar)} in {table.index[kind.eq('revenue')][0].split()[-1]}), so no multi-year total "
        "is set against it."
    )


def _flag(row: pd.Series, sources: pd.DataFrame | None, column: str = "source_ids") -> str:
    """The aggregator flag for a row (or for the ids in `column`), where the sources are given."""
    return "" if sources is None else aggregator_flag(row.get(column, row["source_ids"]), sources)


def _years_flag(row: pd.Series, sources: pd.DataFrame | None) -> str:
    """The flag for a total's term, when the row that gives the term rests on aggregator pages only."""
    return _flag(row, sources) if pd.notna(row.get("term_years")) else ""


def scope_sentence(scope: pd.DataFrame, schedule: pd.DataFrame, sources: pd.DataFrame | None = None) -> str:
    """Why the headline totals differ, with the ledger's own schedule for the same years."""
    ceo = scope[scope["metric"] == "commitments_total"].iloc[-1]
    spend = scope[scope["metric"] == "compute_spend"].iloc[-1]
    first, last = int(spend["period"][:4]), int(spend["period"][5:])
    window = schedule[schedule["year"].between(first, last)]["floor_usd_bn"].sum()
    return (
        f"The {money(ceo['value'])}{_flag(ceo, sources, 'value_source_ids')} covers commitments over about "
        f"{ceo['years']:.0f} years{_years_flag(ceo, sources)}, including capacity partners build for OpenAI; the "
        f"{money(spend['value'])}{_flag(spend, sources, 'value_source_ids')} is OpenAI's own compute spending for "
        f"{first} to {last}. Per year they are {money(ceo['per_year_usd_bn'])} and "
        f"{money(spend['per_year_usd_bn'])}. The contracts in this ledger, spread over assumed terms as above "
        f"(not a spending forecast), come to about {money(window)} over {first} to {last}, "
        f"{window_press_words(schedule, first, last)}."
    )


def commitment_sentence(rows: pd.DataFrame) -> str:
    """Announced and press-reported commitments in words, each sum keeping its exact, 'about' and 'at least' parts."""
    total = totals(rows)
    firm = rows[rows["status"].isin(FIRM_STATUSES)]
    press = rows[~rows["status"].isin(FIRM_STATUSES)]
    inside = included_in_disclosed(rows)
    ceilings = f", plus up to {money(total['ceilings_usd_bn'])} under a ceiling" if total["ceilings_usd_bn"] else ""
    return (
        f"Announced deals with an amount come to {commitment_words(firm)}; press-reported ones add "
        f"{commitment_words(press)}{ceilings}. {total['undisclosed']} deals have no disclosed amount; {len(inside)} "
        "more rows without an amount are part of a deal that has one and are not counted again."
    )


def _kind(rows: pd.DataFrame) -> str:
    """What a sum of floors is: 'exact', 'at least', 'about' or 'about, or more'."""
    disclosed = rows.dropna(subset=["value"])
    exact, about, at_least = funding.floor_parts(funding.amount_floor(disclosed), disclosed["qualifier"])
    if about == 0:
        return "at least" if at_least > 0 else "exact"
    return "about, or more" if at_least > 0 else "about"


def one_row_per_deal(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per deal: where a deal has a disclosed part and an undisclosed part, keep the disclosed one."""
    ranked = deals.assign(_undisclosed=deals["value"].isna())
    return ranked.sort_values(["event", "_undisclosed"]).drop_duplicates("event").drop(columns="_undisclosed")


def provider_rows(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals the provider chart shows: one per deal, undisclosed parts of a disclosed deal left out."""
    inside = included_in_disclosed(deals).index
    return one_row_per_deal(deals.drop(index=inside))


def _reported_window(current: pd.DataFrame, used: pd.DataFrame) -> pd.DataFrame:
    """Keep a deal's reported start and end years when its newest row gives none but an earlier row of the same
    deal does (Cerebras: 2026-2028 in January, no years in April): a reported window beats an assumed one."""
    current = current.copy()
    for index, row in current.iterrows():
        if pd.notna(row["start_year"]) or pd.notna(row["end_year"]):
            continue
        earlier = used[used["event"].eq(row["event"]) & (used["start_year"].notna() | used["end_year"].notna())]
        if earlier.empty:
            continue
        window = earlier.sort_values(["reported_on", "figure_id"]).iloc[-1]
        current.loc[index, ["start_year", "end_year"]] = window[["start_year", "end_year"]].to_numpy()
        if pd.isna(row["term_years"]):
            current.loc[index, "term_years"] = window["term_years"]
    return current


def _against(amount_usd_bn: float, other_usd_bn: float) -> str:
    """'close to' within 10%, else '1.4x' or '0.6x': a comparison in words that follows the numbers."""
    ratio = amount_usd_bn / other_usd_bn
    return "close to" if abs(ratio - 1) <= 0.1 else f"{ratio:.1f}x"


def assumed_term_words(schedule: pd.DataFrame) -> str:
    """'5-year terms where none is reported': the term the schedule assumed, read back from it."""
    assumed = schedule[schedule["term_assumed"]].groupby("figure_id")["year"].count()
    return f"{int(assumed.iloc[0])}-year terms where none is reported" if len(assumed) else "terms as reported"


TERM_ALTERNATIVES = (3, 5, 7, 8)  # the assumed terms the parameters cell offers, for a sensitivity said in words


def assumed_delay(rows: pd.DataFrame, schedule: pd.DataFrame) -> int:
    """The start delay a schedule was built with, read back from a deal whose start it assumed (0 if none)."""
    assumed = schedule[schedule["start_assumed"]]
    if assumed.empty:
        return 0
    first = assumed.groupby("figure_id")["year"].min()
    reported = rows.drop_duplicates("figure_id").set_index("figure_id")["reported_on"].dt.year
    return int((first - reported.reindex(first.index)).iloc[0])


def window_by_term(
    rows: pd.DataFrame, schedule: pd.DataFrame, first: int, last: int, terms: tuple[int, ...] = TERM_ALTERNATIVES
) -> pd.Series:
    """The schedule's floor over first-last with each assumed term (the same deals and start delay): how much the
    window's total owes to the term assumed."""
    kept = rows[rows["figure_id"].isin(schedule["figure_id"])]
    delay = assumed_delay(rows, schedule)
    return pd.Series({term: float(_window_floor(annual_schedule(kept, term, delay), first, last)) for term in terms})


def _window_floor(schedule: pd.DataFrame, first: int, last: int) -> float:
    return float(schedule.loc[schedule["year"].between(first, last), "floor_usd_bn"].sum())


def span_reading(spend: pd.Series) -> str:
    """' (2026 as their start is our reading)' when the ledger's note says no source gives the span's first year."""
    return f" ({str(spend['period'])[:4]} start: our reading)" if "our reading" in str(spend.get("note", "")) else ""


def _reported_word(row: pd.Series) -> str:
    """'reported' for a figure resting on press reports, 'announced' for one the company gave."""
    return "announced" if row["status"] in FIRM_STATUSES else "reported"


def term_table(
    rows: pd.DataFrame, schedule: pd.DataFrame, figures: pd.DataFrame, assumed_term_years: int
) -> pd.DataFrame:
    """The commitments spread over the spending forecast's years with each term the parameters offer, beside that
    forecast: how much the match owes to the assumed term."""
    spend = scope_totals(figures).query("metric == 'compute_spend'").iloc[-1]
    first, last = int(spend["period"][:4]), int(spend["period"][5:])
    by_term = window_by_term(rows, schedule, first, last)
    table = pd.DataFrame(
        {
            "commitments_usd_bn": by_term,
            "reported_spending_usd_bn": float(spend["value"]),
            "ratio": by_term / float(spend["value"]),
        }
    )
    table.index = [f"{t} years" + (" (the assumption used)" if t == assumed_term_years else "") for t in by_term.index]
    table.index.name = f"assumed term, {first}-{last}"
    return table
