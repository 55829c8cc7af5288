"""Which characters a cell may hold: names are a closed vocabulary, free text is printable text the charts can draw.

A name (subject, counterparty) is a key: 02 and 03 group money by it, so a look-alike letter (a Cyrillic 'о'), an
invisible one (U+200B) or another case would move money to another investor without a word. Names are therefore
one of `vocabulary.PARTY_NAMES`, spelled exactly. Free text (deal names, labels, notes, outlets, titles) is printable
Latin text in composed form (NFC), the characters the chart font (DejaVu Sans) draws: nothing invisible, nothing
that reorders the text, no combining accent a renderer may draw apart from its letter.
A refused character is named by its Unicode name, so a message shows what the eye cannot see.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from helpers.data.vocabulary import PARTY_NAMES

# Printable ASCII; Latin-1 letters and signs (no NO-BREAK SPACE U+00A0, no SOFT HYPHEN U+00AD); Latin Extended-A and
# -B; dashes, quotes, bullets, the ellipsis, primes and per mille (U+2010-U+2027, U+2030-U+205E); currency signs;
# arrows; and the few maths signs a figure uses (minus, times, approximately, not equal, at most, at least).
_TEXT_CHARS = (
    "\u0020-\u007e\u00a1-\u00ac\u00ae-\u024f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2190-\u2193"
    "\u2212\u00d7\u2248\u2260\u2264\u2265"
)
_TEXT = re.compile(f"[{_TEXT_CHARS}]*")
_URL = re.compile("[\u0021-\u007e]*")  # printable ASCII, no space: an international address in its xn-- form

NAME_COLUMNS = ("subject", "counterparty")
URL_COLUMNS = ("url",)
# free text a reader sees (columns with a pattern or a list of values are ASCII by their own rule)
TEXT_COLUMNS = ("deal", "note", "outlet_read", "original_outlet", "title", "access_note", "label")
CHECKED_COLUMNS = (*NAME_COLUMNS, *URL_COLUMNS, *TEXT_COLUMNS)

TEXT_RULE = (
    "is not allowed in text: write printable Latin text the charts can draw (letters, digits, punctuation), "
    "accents composed with their letter (NFC), with no invisible or direction-changing character"
)
URL_RULE = "is not allowed in a URL: write it in printable ASCII (%-encode other characters; a domain in its xn-- form)"
NAME_RULE = "is not allowed in a name; names must be one of: " + ", ".join(PARTY_NAMES)
NAME_CODEBOOK_RULE = (
    "A name in `subject` or `counterparty` is one of the names listed in helpers/data/vocabulary.py (PARTY_NAMES), "
    "spelled exactly: a new party is added there first. Look-alike letters, invisible characters and another case "
    "are refused, naming the character by its Unicode name."
)
TEXT_CODEBOOK_RULE = (
    "Other text (deal names, labels, notes, outlets, titles) is printable Latin text in composed form (Unicode NFC) "
    "that the chart font draws: ASCII, Latin-1 and Latin Extended letters, dashes, curly quotes, the ellipsis, "
    "currency signs. No invisible character (U+200B, U+FEFF, U+00A0, U+00AD), no direction mark (U+202E), "
    "no combining accent, no other script. A URL is printable ASCII."
)


def character_name(char: str) -> str:
    """'U+043E CYRILLIC SMALL LETTER O': a character as a message names it."""
    kinds = {"Cc": "<control>", "Co": "<private use>", "Cs": "<surrogate>", "Cn": "<unassigned>"}
    name = unicodedata.name(char, "") or kinds.get(unicodedata.category(char), "<no name>")
    return f"U+{ord(char):04X} {name}"


def _first_outside(text: str, allowed: re.Pattern[str]) -> str | None:
    """The first character of `text` that `allowed` (a character-class pattern) does not take, or None."""
    matched = allowed.match(text)
    end = matched.end() if matched else 0
    return text[end] if end < len(text) else None


def text_problem(text: str) -> str:
    """Why `text` is not allowed as free text, or ''."""
    char = _first_outside(text, _TEXT)
    if char is None:
        return "" if unicodedata.is_normalized("NFC", text) else "is not in composed form (NFC): retype the accents"
    return f"character {character_name(char)} {TEXT_RULE}"


def url_problem(text: str) -> str:
    """Why `text` is not allowed in a URL column, or ''."""
    char = _first_outside(text, _URL)
    return "" if char is None else f"character {character_name(char)} {URL_RULE}"


def name_problem(name: str) -> str:
    """Why `name` is not one of the vocabulary's names, or ''; a look-alike character is named, a near miss suggested."""
    if name in PARTY_NAMES:
        return ""
    char = _first_outside(unicodedata.normalize("NFC", name), _URL)  # a name is printable ASCII, space allowed
    if char is not None and char != " ":
        return f"character {character_name(char)} {NAME_RULE}"
    same_case = [known for known in PARTY_NAMES if known.casefold() == name.casefold()]
    close = same_case or difflib.get_close_matches(name, PARTY_NAMES, n=1, cutoff=0.8)
    if close:
        return f"is not a name in the vocabulary; did you mean '{close[0]}'? (names are spelled exactly)"
    return "must be one of: " + ", ".join(PARTY_NAMES) + " (a new party is added to vocabulary.PARTY_NAMES first)"


_PRINTABLE_ASCII = re.compile("[ -~]*")


def column_problems(column: str, cells: list[str]) -> list[tuple[int, str]]:
    """(position, rule) for each cell of a text column that breaks its character rule."""
    if column in NAME_COLUMNS:
        known = set(PARTY_NAMES) | {""}  # an empty counterparty is a missing value, checked by the schema
        return [(i, name_problem(c)) for i, c in enumerate(cells) if c not in known]
    check = url_problem if column in URL_COLUMNS else text_problem
    if _PRINTABLE_ASCII.fullmatch("".join(cells)) and (column not in URL_COLUMNS or " " not in "".join(cells)):
        return []  # printable ASCII throughout (one C-level match over the column): nothing to look at cell by cell
    return [(i, problem) for i, c in enumerate(cells) if (problem := check(c))]
