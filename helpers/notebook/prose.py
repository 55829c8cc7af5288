"""Computed prose for notebooks: markdown that reads as typed in JupyterLab, nbconvert, VS Code and GitHub.

Two hazards, one function (`md`):

- Dollar signs. Every renderer reads text between two `$` as LaTeX, and JupyterLab and nbconvert run
  MathJax over the rendered page, where `\\$` has already lost its backslash. Tried in JupyterLab 4.6 and
  nbconvert HTML with MathJax (tests/browser): only a dollar sign that is an HTML entity inside its own
  element survives everywhere. `&#36;` is no `$` to the markdown-level math parsers (JupyterLab, GitHub,
  VS Code), and the `<span>` puts the decoded `$` in a text node of its own, so MathJax cannot pair it.
  `<span>$</span>` (GitHub's documented form) is paired by JupyterLab before markdown is parsed.
- Text from the data. Subjects, labels and notes may hold HTML or markdown link syntax; `md` writes
  `<`, `>`, `&`, `[` and `]` as entities, so they print as typed and never become tags or links.

Real math stays possible in typed markdown cells: `$x^2$` is left alone; only a `$` before a digit is money.
`python -m helpers.notebook.prose --fix notebooks/*.ipynb README.md` rewrites typed dollar amounts; `--check` lists them.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

# Every notebook imports this module to write its prose; its tables need the same guarantee. A plain pandas table
# with '$852B to $1T' in one cell is typeset as math by JupyterLab and nbconvert; with this option pandas marks
# its tables `tex2jax_ignore`, the class MathJax 2 and 3 skip.
pd.set_option("display.html.use_mathjax", False)
pd.set_option("styler.html.mathjax", False)

DOLLAR = "<span>&#36;</span>"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;", "$": DOLLAR}
_SPECIAL = re.compile(r"[&<>\[\]$]")
# a dollar amount typed in markdown: '$5', '\$5', '$ 5' is not one; math like '$x$' is not either
_AMOUNT = re.compile(r"\\?\$(?=\d)")
# code spans and fenced blocks print their text verbatim, so a `$` there is not touched
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


def escape(text: str) -> str:
    """Plain text -> markdown that prints exactly that text: no tags, no links, no math."""
    return _SPECIAL.sub(lambda m: _ENTITIES[m.group()], text)


def md(text: str) -> Markdown:
    """Markdown output for a computed sentence; `**bold**` and `- ` bullets work, HTML and links from data do not."""
    return Markdown(escape(text))


def plain(markdown: str) -> str:
    """Undo `escape` (and the older `\\$`), for places that are not markdown (the report's front page)."""
    return html.unescape(markdown.replace(DOLLAR, "$").replace(r"\$", "$"))


# the report's front page imports the older name
unescape_dollars = plain


def fix_markdown(source: str) -> str:
    """Rewrite every typed dollar amount ('$500B', '\\$500B') in a markdown cell as `DOLLAR`; code is left alone."""
    parts = _CODE.split(source)
    return "".join(part if i % 2 else _AMOUNT.sub(DOLLAR, part) for i, part in enumerate(parts))


def raw_amounts(source: str) -> list[str]:
    """The typed dollar amounts in a markdown cell that `fix_markdown` would rewrite, with some context."""
    found = []
    for i, part in enumerate(_CODE.split(source)):
        if i % 2 == 0:
            found += [part[max(m.start() - 20, 0) : m.end() + 12] for m in _AMOUNT.finditer(part)]
    return found


def listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': items joined the way a sentence lists them."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def month_year(stamp: pd.Timestamp) -> str:
    """'Mar 2026': the month a dated fact belongs to."""
    return f"{stamp:%b %Y}"


def main(argv: list[str] | None = None) -> int:
    """`--fix` rewrites typed dollar amounts in markdown cells in place; `--check` lists them and fails."""
    import nbformat  # only the command line needs it

    parser = argparse.ArgumentParser(prog="python -m helpers.notebook.prose", description=main.__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebooks, or markdown pages (.md)")
    parser.add_argument("--fix", action="store_true", help="rewrite the notebooks in place")
    parser.add_argument("--check", action="store_true", help="only list raw amounts (the default)")
    args = parser.parse_args(argv)
    problems = 0
    for path in args.notebooks:
        if path.suffix == ".md":  # a markdown page (README.md) is one markdown cell
            text = path.read_text(encoding="utf-8")
            if args.fix and raw_amounts(text):
                path.write_text(fix_markdown(text), encoding="utf-8")
                print(f"{path}: rewrote {len(raw_amounts(text))} dollar amounts")
            elif raw_amounts(text):
                problems += 1
                print(f"{path}: raw dollar amounts: {raw_amounts(text)}")
            continue
        notebook = nbformat.read(path, as_version=4)
        changed = 0
        for cell in notebook.cells:
            if cell.cell_type != "markdown" or not raw_amounts(cell.source):
                continue
            if args.fix:
                cell.source = fix_markdown(cell.source)
                changed += 1
            else:
                problems += 1
                print(f"{path}: cell {cell.get('id')}: raw dollar amount: {raw_amounts(cell.source)}")
        if changed:
            nbformat.write(notebook, path)
            print(f"{path}: rewrote {changed} markdown cells")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
