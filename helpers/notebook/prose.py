"""Computed prose for notebooks: markdown that reads as typed in JupyterLab, nbconvert, VS Code and GitHub.

Two hazards, one function (`md`):

- Dollar signs. Every renderer reads text between two `$` as LaTeX, and JupyterLab and nbconvert run
  MathJax over the rendered page, where `\\$` has already lost its backslash. Tried in JupyterLab 4.6 and
  nbconvert HTML with MathJax (tests/browser): only a dollar sign that is an HTML entity inside its own
  element survives everywhere. `&#36;` is no `$` to the markdown-level math parsers (JupyterLab, GitHub,
  VS Code), and the `<span>` puts the decoded `$` in a text node of its own, so MathJax cannot pair it.
  `<span>$</span>` (GitHub's documented form) is paired by JupyterLab before markdown is parsed.
- Text from the data. Subjects, labels, outlets and notes may hold HTML or markdown syntax; `escape` writes
  `<`, `>`, `&`, `[` and `]` as entities, so they print as typed and never become tags or links; the `:` of
  `https://`, the `.` of `www.` and the `@` of an address become entities too, so a bare URL is not autolinked;
  and every character markdown reads as markup (a backslash, `*`, `_`, `~`, a backtick, `#`, `|`, and a `-`, `+`,
  `=` or `1.` that starts a line) is an entity too, so `*x*`, `\\<b>` or `1. x` print as typed. `escape` is the
  one function for data text in markdown; `md` applies it to a whole sentence except the two marks the prose
  helpers write themselves (`**bold**`, and `- ` bullets at a line start). Data text that would still read as
  one of those two marks (a `**`, or a leading list marker) is remembered when the ledger is loaded
  (`remember_data_text`) and escaped whole wherever a sentence quotes it.

Real math stays possible in typed markdown cells: `$x^2$` is left alone; only a `$` before a digit is money.
`python -m helpers.notebook.prose --fix notebooks/*.ipynb README.md` rewrites typed dollar amounts; `--check` lists them.
"""

from __future__ import annotations

import argparse
import html
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

# Every notebook imports this module to write its prose; its tables need the same guarantee. A plain pandas table
# with '$852B to $1T' in one cell is typeset as math by JupyterLab and nbconvert; with this option pandas marks
# its tables `tex2jax_ignore`, the class MathJax 2 and 3 skip.
pd.set_option("display.html.use_mathjax", False)
pd.set_option("styler.html.mathjax", False)

DOLLAR = "<span>&#36;</span>"
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "$": DOLLAR,
    # markdown's inline marks (emphasis, strike-through, code, escapes, table cells, headings): an entity is never a mark
    "\\": "&#92;",
    "*": "&#42;",
    "_": "&#95;",
    "~": "&#126;",
    "`": "&#96;",
    "|": "&#124;",
    "#": "&#35;",
}
_SPECIAL = re.compile(r"[&<>\[\]$\\*_~`|#]")
# a mark that only counts at the start of a line: a bullet ('-', '+'), a setext underline ('=', '-'), an ordered
# list ('1.', '2)'); the first character after the indent is written as an entity (the '.' of a number)
_LINE_START = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<mark>[-+=])|(?P<number>[0-9]+)(?P<dot>[.)]))")
_LINE_START_ENTITIES = {"-": "&#45;", "+": "&#43;", "=": "&#61;", ".": "&#46;", ")": "&#41;"}
_ESCAPED = re.compile(f"{_LINE_START.pattern}|(?P<special>{_SPECIAL.pattern})", re.MULTILINE)
# the only marks the prose helpers write themselves: bold, and a bullet at a line start
_PROSE_MARKS = re.compile(r"(\*\*|(?m:^- ))")
# data text that would still be one of those marks inside a sentence
_LIVE_IN_PROSE = re.compile(r"\*\*|^[-+*](?:\s|$)|^[0-9]+[.)](?:\s|$)")
_DATA_TEXT: set[str] = set()
# What markdown renderers turn into a link without any brackets (GFM autolinks in JupyterLab and GitHub, mistune's url
# plugin in nbconvert): 'scheme://', 'www.' and an e-mail address. An entity breaks the pattern they look for in the
# source, and still prints as the character it stands for.
_AUTOLINK = re.compile(r"(?P<colon>:)(?=//)|(?i:\b(?P<www>www)\.)|(?P<at>@)")
# a dollar amount typed in markdown: '$5', '\$5', '$ 5' is not one; math like '$x$' is not either
_AMOUNT = re.compile(r"\\?\$(?=\d)")
# code spans and fenced blocks print their text verbatim, so a `$` there is not touched
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


def _unlinked(match: re.Match[str]) -> str:
    if match.group("colon"):
        return "&#58;"
    if match.group("www"):
        return match.group("www") + "&#46;"
    return "&#64;"


def _entity(match: re.Match[str]) -> str:
    if match.group("special"):
        return _ENTITIES[match.group("special")]
    if match.group("mark"):
        return match.group("indent") + _LINE_START_ENTITIES[match.group("mark")]
    return match.group("indent") + match.group("number") + _LINE_START_ENTITIES[match.group("dot")]


def escape(text: str) -> str:
    """Plain text -> markdown and HTML that print exactly that text: no tags, links (bare URLs too), math or marks."""
    # one pass, so the '#' and digits of the entities written are not themselves rewritten
    return _AUTOLINK.sub(_unlinked, _ESCAPED.sub(_entity, text))


def remember_data_text(values: Iterable[object]) -> None:
    """Note the data texts that `md` must escape whole: those holding '**' or starting with a list marker."""
    _DATA_TEXT.update(v for v in values if isinstance(v, str) and _LIVE_IN_PROSE.search(v))


def escape_prose(text: str) -> str:
    """A computed sentence -> markdown: `**bold**` and line-start `- ` bullets kept, everything else printed as typed."""
    known = sorted((value for value in _DATA_TEXT if value in text), key=len, reverse=True)
    if known:
        parts = re.split("(" + "|".join(map(re.escape, known)) + ")", text)
        return "".join(escape(part) if i % 2 else escape_prose_marks(part) for i, part in enumerate(parts))
    return escape_prose_marks(text)


def escape_prose_marks(text: str) -> str:
    """`escape` for the prose helpers' own text: their `**` and line-start `- ` stay marks."""
    parts = _PROSE_MARKS.split(text)
    return "".join(part if i % 2 else escape(part) for i, part in enumerate(parts))


class Sentence(Markdown):
    """Markdown output whose text/plain is the sentence itself, for renderers that show only plain text."""

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        # IPython's text/plain for any display object is its repr, "<IPython.core.display.Markdown object>":
        # terminals, text diffs, search indexes and screen-reader tools would read that instead of the finding
        printer.text(plain(self.data))


def md(text: str) -> Sentence:
    """Markdown output for a computed sentence; `**bold**` and `- ` bullets work, HTML and links from data do not."""
    shown = Sentence(data="")
    # set after construction: given a string that starts with 'http' or names an existing file, Markdown() fetches
    # that URL or reads that file, so a deal name like 'https://…' would make the kernel open it
    shown.data = escape_prose(text)
    return shown


def plain(markdown: str) -> str:
    """Undo `escape` (and the older `\\$`), for places that are not markdown (the report's front page)."""
    return html.unescape(markdown.replace(DOLLAR, "$").replace(r"\$", "$"))


# the report's front page imports the older name
unescape_dollars = plain


def dollars_as_typed(markdown: str) -> str:
    """Only the dollar marks of `escape` back to '$', for markdown rendered again (the front page's bottom lines):
    every other entity stays, so a data text's '<b>', '**' or '[..](..)' is never turned live."""
    return markdown.replace(DOLLAR, "$").replace(r"\$", "$")


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
    from helpers import cli

    cli.run(main)
