"""Checked notebook parameters: unknown names, mistyped values and out-of-range values stop the run.

Each notebook declares its parameters once, as `Spec` rows returned by its analysis module's
`parameter_specs(book)`, and every notebook reads them the same way in the cell after its `parameters` cell:
`params = parameters.check(globals(), <module>.parameter_specs(book))`, then `params.years_to_listing`. papermill injects its values as a second cell, so a name passed with
`-p` that the notebook does not declare shows up here as a global nobody declared; a declared name in another case
(`listing_valuation_usd_bn`) is refused with the right spelling, never ignored.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd


class ParameterError(ValueError):
    """A notebook parameter is unknown, of the wrong type or out of range; the message names it and says why."""

    def _render_traceback_(self) -> list[str]:
        # IPython (and so papermill) prints this instead of a 60-line traceback
        return [f"ParameterError: {self}"]


TRUE_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class Spec:
    """One declared parameter: its kind, its allowed values, and a few words on what it means."""

    name: str
    kind: str  # number, integer, bool, choice, choices, date, text
    what: str = ""
    low: float | None = None  # inclusive unless low_open
    high: float | None = None  # inclusive unless high_open
    low_open: bool = False
    high_open: bool = False
    choices: Sequence[str] = field(default_factory=tuple)
    rule: Callable[[object], str] | None = None  # extra check: returns a problem, or "" when fine


# the forms a value is asked for in, with an example: a refusal says what was given and how to write it instead
NUMBER_FORM = "must be a number written like 1.5 (digits and a point, no quotes)"
INTEGER_FORM = "must be a whole number written like 42 (digits, no quotes)"
DATE_FORM = "must be a date written like 2026-07-01 (year-month-day, in quotes)"
_EXPRESSION = re.compile(r"[()]|[A-Za-z_]\w*\s*\.\s*[A-Za-z_]")  # a call or an attribute: Python code, not a value
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: no full-width or Arabic-Indic look-alikes
_KINDS = {
    bool: "True or False",
    int: "a whole number",
    float: "a number",
    str: "text",
    bytes: "bytes",
    type(None): "None",
}


def not_this(form: str, value: object) -> str:
    """The form asked for, and what was given instead when that helps ('..., not a Python date object')."""
    if isinstance(value, str):
        return f"{form}: Python code is not run, write the value itself" if _EXPRESSION.search(value) else form
    if isinstance(value, datetime.date):
        return f"{form}, not a Python date object"
    return f"{form}, not {_KINDS.get(type(value), f'a {type(value).__name__}')}"


def _number(spec: Spec, value: object) -> tuple[float | None, str]:
    if isinstance(value, bool):
        return None, "must be a number"
    form = INTEGER_FORM if spec.kind == "integer" else NUMBER_FORM
    if isinstance(value, str) and "," in value and not _EXPRESSION.search(value):
        return None, f"{form}: a comma is neither a decimal point nor a thousands mark here"
    if not isinstance(value, int | float):
        return None, not_this(form, value)
    if isinstance(value, float) and not math.isfinite(value):
        return None, "must be a finite number"
    if spec.kind == "integer":
        return _integer(spec, value)
    try:
        number = float(value)
    except OverflowError:  # an int beyond a float's range: a number, but no range here reaches it
        return None, "must be a finite number"
    if spec.low is not None and (number < spec.low or (spec.low_open and number == spec.low)):
        return None, f"must be {'above' if spec.low_open else 'at least'} {spec.low:g}"
    if spec.high is not None and (number > spec.high or (spec.high_open and number == spec.high)):
        return None, f"must be {'below' if spec.high_open else 'at most'} {spec.high:g}"
    return number, ""


def _integer(spec: Spec, value: int | float) -> tuple[int | None, str]:
    """A whole number kept exact: never through float, which turns 99999999999999999999999 into another number."""
    if not isinstance(value, int):
        return None, "must be a whole number written without a decimal point"
    if spec.low is not None and (value < spec.low or (spec.low_open and value == spec.low)):
        return None, f"must be {'above' if spec.low_open else 'at least'} {int(spec.low)}"
    if spec.high is not None and (value > spec.high or (spec.high_open and value == spec.high)):
        return None, f"must be {'below' if spec.high_open else 'at most'} {int(spec.high)}"
    return value, ""


def _bool(value: object) -> tuple[bool | None, str]:
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, int) and value in (0, 1):
        return bool(value), ""
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return TRUE_WORDS[value.strip().lower()], ""
    return None, "must be True or False (or 'true', 'false', 1, 0)"


def _near_choice(spec: Spec, value: object) -> str:
    """'; did you mean 'F152'?' when the value is a choice in other case or with spaces around it."""
    if not isinstance(value, str):
        return f", not {_KINDS.get(type(value), f'a {type(value).__name__}')}"
    near = [c for c in spec.choices if c.casefold() == value.strip().casefold() and c]
    return f"; did you mean {near[0]!r}? (written exactly as listed)" if near else ""


def _choices(spec: Spec, value: object) -> tuple[object, str]:
    allowed = ", ".join(repr(c) for c in spec.choices)
    if spec.kind == "choice":
        if isinstance(value, str) and value in spec.choices:
            return value, ""
        return None, f"must be one of {allowed}{_near_choice(spec, value)}"
    if isinstance(value, str) and value.strip().startswith("["):  # papermill's -p passes a list as its text
        return (
            None,
            f"must be a list of {allowed}: a list written as text is not read (papermill: -y '{spec.name}: [a, b]')",
        )
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        return None, f"must be a non-empty list of {allowed}"
    bad = [item for item in items if item not in spec.choices]
    if bad:
        return None, f"{', '.join(repr(b) for b in bad)} not known; must be among {allowed}"
    if len(set(items)) != len(items):
        return None, "lists a value twice"
    return list(items), ""


def _date(value: object) -> tuple[pd.Timestamp | None, str]:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None, not_this(DATE_FORM, value)
    try:
        return pd.Timestamp(datetime.date.fromisoformat(value)), ""
    except ValueError:
        return None, f"is not a day of the calendar ({DATE_FORM})"


# AS_OF may run ahead of the ledger, not by decades: a grid spanning centuries ran 24 minutes in 22 GB (issue 23)
MAX_YEARS_AS_OF_AFTER_NEWEST = 5


def as_of_not_too_late(newest: pd.Timestamp) -> Callable[[object], str]:
    """A Spec rule refusing an AS_OF more than MAX_YEARS_AS_OF_AFTER_NEWEST years after the newest ledger date."""
    latest = pd.Timestamp(newest) + pd.DateOffset(years=MAX_YEARS_AS_OF_AFTER_NEWEST)
    too_late = (
        f"is more than {MAX_YEARS_AS_OF_AFTER_NEWEST} years after {pd.Timestamp(newest):%Y-%m-%d}, the newest date in "
        f"the ledger: use a date up to {latest:%Y-%m-%d}"
    )
    return lambda stamp: "" if stamp <= latest else too_late


def coerce(spec: Spec, value: object) -> tuple[object, str]:
    """The checked value and an empty string, or None and the reason it is refused."""
    if spec.kind in ("number", "integer"):
        checked, problem = _number(spec, value)
    elif spec.kind == "bool":
        checked, problem = _bool(value)
    elif spec.kind in ("choice", "choices"):
        checked, problem = _choices(spec, value)
        if problem and spec.rule is not None and isinstance(value, str | list | tuple):
            # a value the rule refuses says why in the rule's words (not 'not known' for a known but refused value)
            problem = spec.rule([value] if isinstance(value, str) else list(value)) or problem
    elif spec.kind == "date":
        checked, problem = _date(value)
    elif spec.kind == "text":
        checked, problem = (value, "") if isinstance(value, str) and value.strip() else (None, "must be some text")
    else:
        raise ValueError(f"unknown parameter kind {spec.kind!r} for {spec.name}")
    if not problem and spec.rule is not None:
        problem = spec.rule(checked)
    return (None, problem) if problem else (checked, "")


# names IPython puts in every notebook's globals (history, the shell, its exit helpers)
IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})


def _made_by_setup(name: str, value: object) -> bool:
    """A global the notebook machinery or the setup cell's imports made: private, IPython's own, a module, function
    or class. Anything else that is not declared came from the parameters cell or from papermill's `-p`."""
    return (
        name.startswith("_")
        or name in IPYTHON_NAMES
        or isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type)
    )


def _misspelt(namespace: Mapping[str, object], declared: Sequence[str]) -> list[str]:
    """One problem for each global that is not a declared parameter (with the closest declared name, if any).

    papermill injects `-p name value` exactly as typed: `listing_valuation = 1500` would otherwise sit beside
    LISTING_VALUATION_USD_BN unread, and the run would report the default as if it were the value asked for. So
    check() runs before the setup cell defines anything but imports, and every other unknown global is refused.
    """
    by_upper = {name.upper(): name for name in declared}
    problems = []
    for name, value in namespace.items():
        if name in declared or _made_by_setup(name, value):
            continue
        if name.upper() in by_upper:
            hint = f"; parameter names are upper case: write {by_upper[name.upper()]}"
        else:
            close = difflib.get_close_matches(name.upper(), list(by_upper), n=1, cutoff=0.6)
            hint = f" (did you mean {by_upper[close[0]]}?)" if close else ""
            hint += f"; declared: {', '.join(declared)}"
        problems.append(f"{name}: not a parameter of this notebook{hint}")
    return sorted(problems)


class Checked(Mapping[str, object]):
    """Checked parameters: `params.years_to_listing` in a notebook, or by declared name (`params["YEARS_TO_LISTING"]`)."""

    def __init__(self, values: Mapping[str, object]) -> None:
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, attribute: str) -> object:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        try:
            return self._values[attribute.upper()]
        except KeyError:
            raise AttributeError(f"no parameter {attribute.upper()}; declared: {', '.join(self._values)}") from None

    def __setattr__(self, attribute: str, value: object) -> None:
        raise AttributeError("checked parameters are read-only: change them in the Assumptions cell")

    def __repr__(self) -> str:
        return f"Checked({self._values!r})"


MAX_SHOWN_CHARS = 80


def shown(value: object) -> str:
    """The value as given (its repr), cut to MAX_SHOWN_CHARS: a 400-digit number does not fill the screen."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[: MAX_SHOWN_CHARS - 3]}... ({len(text)} characters)"


def check(namespace: Mapping[str, object], specs: Sequence[Spec]) -> Checked:
    """Every declared parameter, checked and coerced; raise one ParameterError listing every problem."""
    declared = [spec.name for spec in specs]
    given = {name: value for name, value in namespace.items() if name in declared}
    problems = _misspelt(namespace, declared)
    checked: dict[str, object] = {}
    for spec in specs:
        if spec.name not in given:
            problems.append(f"{spec.name}: missing from the Assumptions cell")
            continue
        value, problem = coerce(spec, given[spec.name])
        if problem:
            what = f" ({spec.what})" if spec.what else ""
            problems.append(f"{spec.name} = {shown(given[spec.name])}: {problem}{what}")
        checked[spec.name] = value
    if problems:
        raise ParameterError("check the Assumptions cell:\n  " + "\n  ".join(problems))
    return Checked(checked)
