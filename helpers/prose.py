"""Computed prose for notebooks: markdown whose dollar signs cannot be mistaken for math.

Jupyter and GitHub read text between two `$` signs as LaTeX, so '$1T listing needs **$40B**'
would lose its bold and its spacing. Every `$` is escaped.
"""

from __future__ import annotations

from IPython.display import Markdown


def escape_dollars(text: str) -> str:
    """'$10B' -> '\\$10B', so markdown renderers print a dollar sign instead of starting math."""
    return text.replace("$", r"\$")


def unescape_dollars(text: str) -> str:
    """Undo escape_dollars, for places that are not markdown (the report's front page)."""
    return text.replace(r"\$", "$")


def md(text: str) -> Markdown:
    """Markdown output for a computed sentence."""
    return Markdown(escape_dollars(text))
