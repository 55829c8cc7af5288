"""Every term of the ledger, spelled once: categories, metrics and units, qualifiers and the direction of
each bound, statuses with their groups and order, companies and their colours, and the day count.

Every other module imports these; none spells them again.
"""

from __future__ import annotations

# --- what a row is about ----------------------------------------------------------------

CATEGORIES = (
    "funding_round",
    "equity_investment",
    "secondary_sale",
    "valuation",
    "cloud_commitment",
    "chip_commitment",
    "infrastructure",
    "revenue",
    "projection",
    "listing",
    "debt",
)
COMMITMENT_CATEGORIES = ("cloud_commitment", "chip_commitment", "infrastructure")
# metric -> (the unit its value must be stated in, what it measures: the codebook's text)
METRICS = {
    "amount": ("usd_bn", "money in one deal, round or contract"),
    "cumulative_amount": ("usd_bn", "money to date across several deals (a running total)"),
    "pre_money": ("usd_bn", "company value before a round's new money"),
    "post_money": ("usd_bn", "company value after a round's new money (pre-money plus the round)"),
    "valuation": ("usd_bn", "company value where the source does not say pre- or post-money"),
    "stake_value": ("usd_bn", "value of one holder's stake"),
    "stake_pct": ("pct", "one holder's share of the company"),
    "capacity": ("gw", "computing capacity in gigawatts of power"),
    "revenue": ("usd_bn", "revenue earned in a period (a month, quarter or calendar year)"),
    "run_rate": ("usd_bn", "revenue of a recent month or week times twelve (or 52), not calendar revenue"),
    "operating_loss": ("usd_bn", "revenue less operating costs, as a positive number; no financing or non-cash items"),
    "net_loss": ("usd_bn", "loss after every item, as a positive number; can include large non-cash charges"),
    "cash_burn": ("usd_bn", "cash spent beyond cash earned in a period, as a positive number"),
    "cash_on_hand": ("usd_bn", "cash (and, where the source says so, securities) held at the end of a period"),
    "compute_spend": ("usd_bn", "money spent or planned on computing"),
    "commitments_total": ("usd_bn", "all compute commitments a company says it has made"),
    "cost_per_gw": ("usd_bn", "capital cost of one gigawatt of capacity"),
    "raise_target": ("usd_bn", "money a listing or round aims to raise"),
    "loan": ("usd_bn", "money lent by the subject to the counterparty: a claim to be repaid, not spending"),
    "revenue_share_pct": ("pct", "share of its revenue the subject pays the counterparty"),
    "revenue_share_amount": (
        "usd_bn",
        "revenue share the subject pays the counterparty over the period, in dollars; a cap is 'up to', never summed",
    ),
    "share_price": ("usd", "price of one share"),
    "warrant_shares": ("million_shares", "shares a warrant allows the holder to buy"),
}
METRIC_UNITS = {metric: unit for metric, (unit, _) in METRICS.items()}
UNITS = tuple(sorted(set(METRIC_UNITS.values())))
QUALIFIERS = ("exact", "about", "at_least", "more_than", "up_to", "less_than", "range", "undisclosed")
# the figure is the least it can be (a floor, no ceiling) / the most it can be (a ceiling: adds nothing to a floor)
LOWER_BOUND_QUALIFIERS = ("at_least", "more_than")
UPPER_BOUND_QUALIFIERS = ("up_to", "less_than")
# Statuses in lifecycle order, from first talks to closed, then lapsed: the schema's order and every table's.
TENTATIVE_STATUSES = ("in_talks", "reported", "letter_of_intent")
FIRM_STATUSES = ("announced", "definitive", "closed")
LAPSED_STATUSES = ("stalled", "superseded")
LIVE_STATUSES = (*TENTATIVE_STATUSES, *FIRM_STATUSES)  # least to most advanced, lapsed left out
STATUSES = (*LIVE_STATUSES, *LAPSED_STATUSES)
STATUS_GROUPS = {"firm": FIRM_STATUSES, "tentative": TENTATIVE_STATUSES, "lapsed": LAPSED_STATUSES}
BASES = ("total", "committed", "upfront", "conditional", "funded")
TERM_BASES = ("reported", "multi_year_unspecified", "not_reported")
DATE_PRECISIONS = ("day", "month", "approximate")
# withdrawn: a figure no source reports (the ledger's own error), kept so its id is never reused; shown as withdrawn,
# never as a figure, a status step or a disagreement
READINGS = ("used", "alternative", "withdrawn")
SOURCE_KINDS = (
    "company release",
    "filing",
    "wire",
    "newspaper",
    "trade press",
    "aggregator",
    "article",
)
# how close the page read is to the original reporting (sources.csv `proximity`)
PROXIMITIES = {
    "primary": "a filing or a company's own release, read where the company published it",
    "original": (
        "the reporting outlet's own page, or a newspaper's licensed copy of a wire or newspaper story (kind wire or "
        "newspaper); never a page on another site writing up a company's release"
    ),
    "repost": "a copy of an outlet's story on another site (mirror, feed, newswire repost, archive)",
    "aggregator": "an aggregator, summary site, blog or trade site writing up others' reporting or a company's release",
}
SCENARIO_KINDS = ("mark", "listing", "case")
VALUATION_BASES = ("pre_money", "post_money", "unstated")
VALUE_BASES = ("reported", "assumption")


def status_group(status: str) -> str:
    """firm (announced, definitive, closed), tentative (talks, reported, letter of intent) or lapsed."""
    for group, statuses in STATUS_GROUPS.items():
        if status in statuses:
            return group
    raise ValueError(f"unknown status {status!r}")


# --- bounds: the direction a qualifier gives a value, kept through every calculation ------------------------

# "more than X" is a floor (at_least), "up to X" a ceiling (at_most); a result of floors and ceilings is unknown
BOUNDS = ("exact", "about", "at_least", "at_most", "unknown")
BOUND_OF_QUALIFIER = {
    "exact": "exact",
    "about": "about",
    "more_than": "at_least",
    "at_least": "at_least",
    "up_to": "at_most",
    "less_than": "at_most",
}
BOUND_WORDS = {
    "exact": "",
    "about": "about ",
    "at_least": "at least ",
    "at_most": "at most ",
    "unknown": "bound unknown, ",
}
BOUND_SIGNS = {"exact": "", "about": "~", "at_least": "\u2265", "at_most": "\u2264", "unknown": "?"}
# a ledger qualifier as a reader says it, before the number
QUALIFIER_WORDS = {
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "up_to": "up to ",
    "less_than": "less than ",
    "exact": "",
}

# --- words a reader knows, for the keys that reach a chart or a table ---------------------------------------

CATEGORY_NAMES = {
    "equity_investment": "equity investments",
    "valuation": "valuations",
    "listing": "listing talk",
    "cloud_commitment": "cloud contracts",
    "chip_commitment": "chip deals",
    "funding_round": "funding rounds",
    "secondary_sale": "employee share sales",
    "infrastructure": "data-centre projects",
    "debt": "loans and credit lines",
    "revenue": "revenue",
    "projection": "forecasts",
}
STATUS_NAMES = {
    "in_talks": "in talks",
    "reported": "press report",
    "letter_of_intent": "letter of intent",
    "announced": "announced",
    "definitive": "signed",
    "closed": "closed",
    "stalled": "stalled",
    "superseded": "superseded",
}
# the status that stands for its group in a legend swatch
EXAMPLE_STATUS = {"firm": "closed", "tentative": "in_talks", "lapsed": "stalled"}

# --- companies ------------------------------------------------------------------------------------------------

# The companies that keep one colour in every notebook (the colours are the grammar's: charts/grammar.py
# COMPANY_COLORS, which has one more key, "Others", for several investors together)
COMPANIES = (
    "OpenAI",
    "Microsoft",
    "SoftBank",
    "Amazon",
    "Nvidia",
    "Oracle",
    "CoreWeave",
    "Cerebras",
    "AMD",
    "Broadcom",
    "Google",
    "Thrive",
    "Stargate",
)
# investors named in 02's tables (a name starting with one of these is that investor; any other is "Others")
NAMED_INVESTORS = ("Microsoft", "SoftBank", "Amazon", "Nvidia", "Thrive")
# compute providers of 03 (a counterparty starting with one of these is that provider: 'Amazon Web Services')
COMPUTE_PROVIDERS = ("Microsoft", "Oracle", "Amazon", "CoreWeave", "Cerebras", "Nvidia", "AMD", "Broadcom", "Google")
# investors that are also OpenAI's compute vendors: money can flow both ways with them
INVESTOR_VENDORS = ("Microsoft", "Amazon", "Nvidia")
# Every name the subject and counterparty columns may hold, spelled once. A closed list: 02 and 03 group money by
# these names, so a look-alike letter, an invisible character or another case would move money to another investor
# (or count it twice under 'Others') without a word. A new party is added here first; the check refuses the rest.
PARTY_NAMES = (
    "OpenAI",
    "OpenAI Foundation",
    "OpenAI employees",
    "Microsoft",
    "Microsoft Azure",
    "Amazon",
    "Amazon Web Services",
    "Nvidia",
    "SoftBank",
    "SoftBank-led group",
    "Oracle",
    "Oracle and Related Digital",
    "CoreWeave",
    "Cerebras",
    "AMD",
    "Broadcom",
    "Google Cloud",
    "Thrive Capital",
    "Thrive-led group",
    "Thrive, SoftBank, Dragoneer",
    "Thrive, SoftBank, Dragoneer, MGX, T. Rowe Price",
    "Amazon, Nvidia, SoftBank, Microsoft and others",
    "Consortium led by Amazon, Nvidia and SoftBank",
    "Stargate JV (SoftBank, OpenAI, Oracle, MGX)",
    "Unnamed lenders",
    "Lenders (JPMorgan and others)",
    "Individual investors (via banks)",
    "Co-investors",
    "Outside investors",
    "Unnamed investors",
    "public markets",
)

# --- plausible ranges: what a figure of this ledger can be; the check refuses the rest as a typo or a unit slip ---

EARLIEST_DATE = "2015-01-01"  # OpenAI was founded in December 2015: no figure or source of this ledger is older
USD_BN_SMALLEST = 0.001  # US$1M: a non-zero amount below it, in billions, is a unit slip
USD_BN_LARGEST = 10_000.0  # US$10T: about seven times the largest figure reported (the $1.4T of commitments)
LISTING_USD_BN_LARGEST = 100_000.0  # US$100T: the ceiling 04 puts on an assumed listing value
OUTLET_MAX_CHARS = 120  # an outlet name goes into every chart footer that cites it
TITLE_MAX_CHARS = 300
LABEL_MAX_CHARS = 60  # a scenario label heads a table column and labels a bar
# Files `make scenarios` writes beside the case pages (<scenario_id>.html): no scenario may be named like one.
GENERATED_PAGE_STEMS = ("summary", "results", "odds-down-to-bear", "index", "mathjax")


# --- money, counted one way (DESIGN.md) -------------------------------------------------------------------------

# One vocabulary for money into OpenAI, used by every total, table, chart and sentence of 01-03 (DESIGN.md,
# "Money, counted one way"): column of money_raised -> (the reader's word, what it means).
MONEY_KINDS = {
    "paid_usd_bn": (
        "paid in",
        "reported received, or in a round or tranche that closed, unless a source says a part is still due",
    ),
    "unpaid_usd_bn": ("committed", "promised without conditions, not yet paid in"),
    "conditional_usd_bn": ("conditional", "due only if a named condition is met; never counted as raised"),
    "tentative_usd_bn": ("talks and press reports", "not money at all; shown apart"),
}

RAISED_WORD = "raised"

# The condition behind each conditional tranche, by deal, in our words (the ledger row gives amount and year).
CONDITIONS = {"amazon-investment": "if OpenAI files for a stock-market listing or reaches an undisclosed milestone"}
# Conditions since met, by deal: (the condition in our words, the row giving what the investor's part would have
# dropped to had the condition failed, the row whose report shows the condition met). From the first row's date to
# the second's, the difference between the investor's part and that lower figure was conditional money.
CONDITIONS_MET = {"round-2025-03": ("if OpenAI became a for-profit company by end-2025", "F038", "F107")}

# --- time -------------------------------------------------------------------------------------------------------

DAYS_PER_YEAR = 365.25  # a year between two dates, leap years averaged in
