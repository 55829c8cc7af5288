"""The ledger's files: what a row is, how it is read and validated, and the views every notebook shares.

vocabulary  every term once        schema  the pandera declarations     read  strict CSV reading, problems
load        the three files, cross-file checks, `python -m helpers.data check`
views       a figure in words, its sources, the newest report of a deal, the ledger as a readable table
"""

from helpers.data.load import (
    DATA_DIR,
    FIGURES_CSV,
    ROOT,
    SCENARIOS_CSV,
    SOURCES_CSV,
    Ledger,
    as_of,
    as_of_text,
    load_figures,
    load_ledger,
    load_scenarios,
    load_sources,
)
from helpers.data.read import LedgerError
from helpers.data.views import describe_value, latest, readable, source_table, sources_of, stated

__all__ = [
    "DATA_DIR",
    "FIGURES_CSV",
    "ROOT",
    "SCENARIOS_CSV",
    "SOURCES_CSV",
    "describe_value",
    "latest",
    "readable",
    "source_table",
    "sources_of",
    "stated",
    "Ledger",
    "LedgerError",
    "as_of",
    "as_of_text",
    "load_figures",
    "load_ledger",
    "load_scenarios",
    "load_sources",
]
