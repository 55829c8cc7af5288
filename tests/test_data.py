"""The shipped ledger validates, holds every figure of the two source articles, and its codebook is current."""

import re

import pandas as pd
import pytest

from helpers import data
from helpers.data import codebook, schema


@pytest.fixture(scope="module")
def ledger() -> data.Ledger:
    return data.load_ledger()


def test_shipped_ledger_validates(ledger):
    assert len(ledger.figures) >= 50
    assert ledger.figures["figure_id"].is_unique
    assert set(ledger.scenarios["scenario_id"]) >= {"round-2024-10", "round-2025-03", "round-2026-close", "listing"}


# Read from shared/sources/ by hand: (source, subject, category, metric, value, qualifier, status)
ARTICLE_FIGURES = [
    ("A000", "Amazon", "equity_investment", "amount", 10, "more_than", "in_talks"),
    ("A000", "OpenAI", "valuation", "valuation", 500, "more_than", "in_talks"),
    ("A000", "OpenAI", "listing", "valuation", 1000, "up_to", "reported"),
    ("A000", "OpenAI", "cloud_commitment", "amount", 38, "about", "reported"),
    ("A000", "OpenAI", "chip_commitment", "amount", None, "undisclosed", "in_talks"),
    ("A000", "Microsoft", "equity_investment", "cumulative_amount", None, "undisclosed", "announced"),
    ("A003", "Consortium led by Amazon, Nvidia and SoftBank", "funding_round", "amount", 110, "exact", "announced"),
    ("A003", "OpenAI", "chip_commitment", "amount", None, "undisclosed", "announced"),
]


@pytest.mark.parametrize("source, subject, category, metric, value, qualifier, status", ARTICLE_FIGURES)
def test_article_figure_is_in_ledger(ledger, source, subject, category, metric, value, qualifier, status):
    figures = ledger.figures
    rows = figures[
        figures["source_ids"].str.split(";").apply(lambda ids: source in ids)
        & figures["subject"].eq(subject)
        & figures["category"].eq(category)
        & figures["metric"].eq(metric)
        & figures["qualifier"].eq(qualifier)
        & figures["status"].eq(status)
    ]
    matched = rows["value"].isna() if value is None else rows["value"].eq(value)
    assert matched.sum() == 1, rows


def test_every_row_has_one_readable_deal_name_per_event(ledger):
    figures = ledger.figures
    assert figures["deal"].notna().all() and figures["deal"].str.strip().ne("").all()
    assert (figures.groupby("event")["deal"].nunique() == 1).all()
    assert (figures.groupby("deal")["event"].nunique() == 1).all()
    assert figures.groupby("event")["deal"].first()["round-2025-03"] == "March 2025 round"


def test_seven_year_aws_deal_has_its_term(ledger):
    aws = ledger.figures.query("event == 'aws-2025' and metric == 'amount'")
    assert set(aws["term_years"]) == {7}


def test_bounds_are_stored_as_data(ledger):
    more_than = ledger.figures.query("qualifier == 'more_than'")
    up_to = ledger.figures.query("qualifier == 'up_to'")
    assert (more_than["low"] == more_than["value"]).all() and more_than["high"].isna().all()
    assert (up_to["high"] == up_to["value"]).all() and up_to["low"].isna().all()


def test_every_conflict_has_one_used_reading_per_metric_and_says_so(ledger):
    conflicts = ledger.figures.dropna(subset=["conflict"])
    assert conflicts["conflict"].nunique() >= 10
    for name, group in conflicts.groupby("conflict"):
        assert group["source_ids"].nunique() >= 2 or group["status"].nunique() >= 2, name
        assert (group["reading"] == "used").any(), name
        if (group["reading"] == "alternative").any():
            assert group.loc[group["reading"] == "used", "note"].str.contains("Notebooks").any(), name


def test_every_source_is_cited(ledger):
    cited = set(ledger.figures["source_ids"].str.split(";").explode())
    assert set(ledger.sources["source_id"]) == cited


def test_undisclosed_amounts_are_empty_not_zero(ledger):
    undisclosed = ledger.figures.query("qualifier == 'undisclosed'")
    assert len(undisclosed) >= 5 and undisclosed["value"].isna().all()


def test_dates_are_datetimes(ledger):
    assert pd.api.types.is_datetime64_any_dtype(ledger.figures["reported_on"])
    assert ledger.figures["reported_on"].min() >= pd.Timestamp("2019-01-01")


def test_codebook_is_current():
    assert codebook.CODEBOOK.read_text(encoding="utf-8") == codebook.render(), "run `make codebook`"


def test_as_of_is_the_newest_report(ledger):
    assert data.as_of(ledger.figures) == ledger.figures["reported_on"].max()
    assert data.as_of_text(ledger.figures) in codebook.CODEBOOK.read_text(encoding="utf-8")


def test_readme_states_the_ledgers_as_of_date(ledger):
    assert codebook.readme_problem(codebook.PROJECT_README, ledger.figures) is None


def test_readme_with_another_date_fails_the_check(ledger, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("Ledger as of 2026-01-01: stale.\n", encoding="utf-8")
    assert "2026-01-01" in codebook.readme_problem(readme, ledger.figures)
    assert codebook.main(["--check", "--readme", str(readme)]) == 1
    readme.write_text("No date here.\n", encoding="utf-8")
    assert "no 'Ledger as of" in codebook.readme_problem(readme, ledger.figures)


def test_a_newer_row_moves_the_as_of_date(ledger):
    newer = ledger.figures.copy()
    newer.loc[newer.index[0], "reported_on"] = pd.Timestamp("2026-11-20")
    assert data.as_of(newer) == pd.Timestamp("2026-11-20")


def test_no_source_points_at_a_missing_path(ledger):
    cells = [c for c in ledger.sources.drop(columns=["published_on"]).to_numpy().ravel() if isinstance(c, str)]
    assert len(cells) > 500
    for cell in cells:
        if re.fullmatch(r"[\w./-]+\.(txt|md|csv|pdf|html?)", cell):
            assert (data.ROOT / cell).exists(), cell
        assert "shared/sources" not in cell, cell


def test_seed_articles_are_cited_with_title_or_a_search_hint(ledger):
    seeds = ledger.sources.set_index("source_id").loc[["A000", "A003"]]
    assert seeds["access_note"].str.len().gt(40).all()
    assert seeds.loc["A000", "title"].startswith("Amazon")


def test_codebook_names_every_column():
    text = codebook.render()
    for model in schema.SCHEMAS.values():
        for column in model.to_schema().columns:
            assert f"`{column}`" in text


def test_each_loader_takes_an_optional_path(data_copy):
    assert len(data.load_sources()) == len(data.load_sources(data_copy / "sources.csv"))
    assert len(data.load_figures()) == len(data.load_figures(data_copy / "figures.csv", data_copy / "sources.csv"))
    scenarios = data.load_scenarios(data_copy / "scenarios.csv", data_copy / "figures.csv")
    assert scenarios["scenario_id"].tolist() == data.load_scenarios()["scenario_id"].tolist()


def test_loaders_read_the_same_files_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(data.load_figures()) >= 50
