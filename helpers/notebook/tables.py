"""Tables that read like a publication: words for headers, $ and % for numbers, a dash for nothing, live links.

`publish(df, money=[...], shares=[...], multiples=[...], links=[...])` returns a `Published` frame: still a
DataFrame (slicing, `.head()`, `.drop()` keep working on the raw values), but it displays as a formatted,
escaped HTML table and a plain-text table, both deterministic so strict nbval can compare them.
In the HTML each `$` sits in its own `<span>`, so MathJax in JupyterLab or nbconvert never pairs two of them.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable

import pandas as pd

NOTHING = "—"


def _significant(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant digits in plain notation ('1,500', '0.000001'): never '1e+03' or '1e-09'."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{round(value, decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value_bn: float) -> str:
    """'$1.4T', '$852B', '$170.6B', '$5.43B', '$350M' from a value in billions of dollars (no exponent, ever)."""
    if value_bn >= 1000:
        return f"${_significant(value_bn / 1000)}T"
    if value_bn >= 10 or value_bn == 0:
        return f"${value_bn:,.1f}".removesuffix(".0") + "B"
    if value_bn >= 1:
        return f"${value_bn:.2f}".rstrip("0").rstrip(".") + "B"
    return f"${_significant(value_bn * 1000)}M"


# headers for the column keys the helpers use; anything else is turned into words by `header`
HEADERS = {
    "reported": "Reported",
    "id": "Figure ID",
    "deal": "Deal",
    "from": "From",
    "to": "To",
    "what": "What",
    "figure": "Figure",
    "status": "Status",
    "sources": "Sources",
    "source_id": "Source ID",
    "outlet_read": "Outlet read",
    "original_outlet": "Original outlet",
    "proximity": "Page read is",
    "published_on": "Published",
    "kind": "Kind",
    "url": "Link",
    "conflict": "Disagreement",
    "metric": "Measure",
    "reading": "Reading",
    "category": "Category",
    "total": "Total",
}
_UNITS = {"_usd_bn": " ($B)", "_pct": " (%)", "_gw": " (GW)", "_years": " (years)"}


def header(key: object) -> str:
    """'committed_usd_bn' -> 'Committed ($B)', 'in_talks' -> 'In talks'; known keys from HEADERS."""
    text = str(key)
    if text in HEADERS:
        return HEADERS[text]
    unit = ""
    for suffix, label in _UNITS.items():
        if text.endswith(suffix):
            text, unit = text.removesuffix(suffix), label
    words = text.replace("_", " ").strip()
    return (words[:1].upper() + words[1:] + unit) if words else text


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def _share(value: float) -> str:
    return f"{value:.1%}" if abs(value) < 0.1 else f"{value:.0%}"


def _plain(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _cell_html(text: str) -> str:
    return html.escape(text, quote=False).replace("$", "<span>$</span>")


def _link_html(url: str) -> str:
    if not re.match(r"https?://", url):
        return _cell_html(url)
    safe = html.escape(url, quote=True)
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return f'<a href="{safe}" title="{safe}" target="_blank" rel="noopener noreferrer">{_cell_html(host)}</a>'


class Published(pd.DataFrame):
    """A DataFrame that remembers how its columns read and displays itself formatted."""

    _metadata = ["money_columns", "share_columns", "multiple_columns", "link_columns"]

    @property
    def _constructor(self) -> Callable[..., Published]:
        return Published

    def _formatters(self) -> dict[object, Callable[[object], str]]:
        rules: dict[object, Callable[[object], str]] = {}
        for column in self.columns:
            if column in (getattr(self, "money_columns", None) or ()):
                rules[column] = lambda v: money(float(v))
            elif column in (getattr(self, "share_columns", None) or ()):
                rules[column] = lambda v: _share(float(v))
            elif column in (getattr(self, "multiple_columns", None) or ()):
                rules[column] = lambda v: f"{float(v):.2f}x"
            else:
                rules[column] = _plain
        return rules

    def texts(self) -> pd.DataFrame:
        """Every cell as the text a reader sees ('—' for nothing)."""
        rules = self._formatters()
        out = {header(c): [NOTHING if _missing(v) else rules[c](v) for v in self[c].tolist()] for c in self.columns}
        return pd.DataFrame(out, index=[_plain(i) for i in self.index])

    def _show_index(self) -> bool:
        return not isinstance(self.index, pd.RangeIndex)

    def _repr_html_(self) -> str:
        links = set(getattr(self, "link_columns", None) or ())
        texts = self.texts()
        head = "".join(f"<th>{_cell_html(h)}</th>" for h in texts.columns)
        corner = f"<th>{_cell_html(header(self.index.name or ''))}</th>" if self._show_index() else ""
        rows = []
        for label, (_, row) in zip(texts.index, texts.iterrows(), strict=True):
            cells = "".join(
                f"<td>{_link_html(v) if c in links and v != NOTHING else _cell_html(v)}</td>"
                for c, v in zip(self.columns, row.tolist(), strict=True)
            )
            first = f"<th>{_cell_html(label)}</th>" if self._show_index() else ""
            rows.append(f"<tr>{first}{cells}</tr>")
        body = "\n".join(rows)
        return (
            '<table class="dataframe published tex2jax_ignore">\n'
            f"<thead><tr>{corner}{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
        )

    def __repr__(self) -> str:
        return self.texts().to_string(index=self._show_index())


def publish(
    frame: pd.DataFrame,
    money: Iterable[str] = (),
    shares: Iterable[str] = (),
    multiples: Iterable[str] = (),
    links: Iterable[str] = (),
) -> Published:
    """A publishable table: `money` columns in $B/$T (values in $ billions), `shares` as % (fractions), links live."""
    table = Published(frame)
    table.money_columns = list(money)
    table.share_columns = list(shares)
    table.multiple_columns = list(multiples)
    table.link_columns = list(links)
    return table


def json_numbers(value: object) -> object:
    """A JSON output's numbers as JupyterLab saves them back: 500.0 becomes 500 (JavaScript has one number type).

    Without this, opening a notebook in JupyterLab and saving it rewrites every whole float in an
    application/json output, and the notebook no longer matches what make report wrote.
    """
    if isinstance(value, dict):
        return {key: json_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_numbers(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
