"""`python -m helpers.data check`: validate the three CSV files (what `make check` runs)."""

import sys

from helpers.data.load import main

sys.exit(main())
