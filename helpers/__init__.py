"""The code the notebooks import, one subpackage per role.

notebook/  what a cell calls to check its parameters and show prose and tables
data/      the ledger's vocabulary, schemas, reading and validation, and the shared row views
analysis/  the numbers of each notebook, and the shared valuation arithmetic
charts/    the chart grammar, the house figure, and one builder module per notebook
build/     the report, the scenario runs and the benchmarks (nothing a notebook imports)
"""

import sys

if sys.argv[:1] == ["-m"]:  # `python -m helpers...` while its modules load: a Ctrl-C then ends in one line
    from helpers import cli

    cli.quiet_startup()
