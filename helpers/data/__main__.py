"""`python -m helpers.data check`: validate the three CSV files (what `make check` runs)."""

from helpers import cli
from helpers.data.load import main

cli.run(main)
