"""Read a CSV file of the ledger strictly and translate every broken rule into `file:LINE: column 'x' = 'value': rule`.

Nothing is dropped, filled or coerced silently: every problem in a file is collected and reported at once.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.data import text as characters
from helpers.data.schema import SEP, _joined

# --- problems and errors ----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell (or line) of one file."""

    file: str
    line: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: column '{self.column}' = '{_shown(self.value)}': {self.rule}"


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\x00"}
_NOT_PLAIN = re.compile(r"[^ -\[\]-~]")  # anything but printable ASCII (the backslash included, to double it)


def _escaped(char: str) -> str:
    """A character as Python writes it in a string: \\u043e, or \\U0001f600 beyond the first 65,536."""
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def _shown(value: str, limit: int = 60) -> str:
    """A cell as a one-line message shows it: every character outside printable ASCII escaped (a zero-width space,
    a Cyrillic letter or a combining accent would otherwise print as if the value met the rule), long text cut."""
    text = _NOT_PLAIN.sub(lambda m: _ESCAPES.get(m.group()) or _escaped(m.group()), value)
    if len(text) > limit:
        return f"{text[:limit]}... ({len(value):,} characters)"
    return text


class LedgerError(ValueError):
    """Raised with every problem found in the ledger files."""

    def __init__(self, problems: list[Problem], skipped: str = ""):
        self.problems = sorted(set(problems))
        self.skipped = skipped  # one line: the checks not run because a line could not be read as a row
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems) + (f"\n{skipped}" if skipped else "")
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the ledger:\n{lines}")


# --- reading ------------------------------------------------------------------------------

# Python's csv module stops at 131,072 characters a field with a traceback; we read any length
# and report an oversized cell as a problem instead.
MAX_CELL_CHARS = 131_072
csv.field_size_limit(sys.maxsize)

MINUS_ZERO = r"-0+(\.0+)?"
MINUS_ZERO_RULE = "is minus zero: write 0 (a sign on zero means nothing, and a minus sign here is a typo)"
# A decimal of at most 15 significant digits survives the trip to a float and back, and two different ones never
# become one float, so comparing the floats (low <= value <= high, low = value) compares the numbers as written,
# with no tolerance: '10.0000000000000001' is not silently read as 10.
MAX_SIGNIFICANT_DIGITS = 15
DIGITS_RULE = (
    f"has more than {MAX_SIGNIFICANT_DIGITS} significant digits: a longer number cannot be read exactly, "
    "so bounds would be compared on a rounded value; round it to the precision the source gives"
)

# Rules every cell of every file obeys, checked while reading; the codebook lists them.
FILE_RULES = (
    "Each file is UTF-8 text (a byte-order mark is allowed), with no NUL bytes.",
    "Each row sits on one line: a cell never holds a line break, so an unclosed quote is caught "
    "on the line where it opened instead of silently swallowing the rows after it.",
    "Lines end in LF or CR LF; a bare CR (old Mac line ending, or one inside a cell) is refused.",
    'Quoting is strict (RFC 4180): a quoted cell is quoted whole, a quote inside it is doubled (""), and a quote '
    'that closes before the cell ends (`"Micro"soft`) or stands in an unquoted cell is refused, never repaired.',
    "Each row has as many cells as the header; empty lines are ignored (a line of only spaces or tabs is refused). "
    "The header names the columns bare, without quotes.",
    f"A cell holds at most {MAX_CELL_CHARS:,} characters.",
    "A cell never starts or ends with a space, tab or line break (`aws-2025 ` and `aws-2025` would "
    "otherwise be two deals).",
    "A number is written with the digits 0-9, an optional minus sign and an optional decimal point: "
    "not NaN, inf, 1_000, 1e3, non-ASCII digits or a padded ' 2025'. An empty cell is a missing value. "
    "Minus zero (-0, -0.0) is refused: write 0.",
    f"A number has at most {MAX_SIGNIFICANT_DIGITS} significant digits (leading zeros and trailing decimal zeros "
    f"do not count). Up to {MAX_SIGNIFICANT_DIGITS} digits a number is read exactly as written, so the rules that compare numbers (low <= value <= high, "
    "low = value for 'at least') compare them exactly, with no tolerance: '10.0000000000000001' against a high "
    "of 10 is refused for its digits rather than rounded to 10 and let through.",
    characters.NAME_CODEBOOK_RULE,
    characters.TEXT_CODEBOOK_RULE,
)
LINE_BREAK_RULE = (
    "cell holds a line break (the row runs on to line {last}): a quote opened on this line is not "
    "closed where the cell ends, or the cell has a stray line break; a row must sit on one line"
)
UNCLOSED_AT_END_RULE = "a quote opened on this line is never closed: it swallows every line to the end of the file"
MID_QUOTE_RULE = 'a quote closes in the middle of the cell: quote the whole cell and double any quote inside it ("")'
PLAIN_QUOTE_RULE = 'a quote stands inside an unquoted cell: quote the whole cell and double the quote ("")'
BARE_CR_RULE = "cell holds a bare CR character (U+000D, an old Mac line break): remove it"
BLANK_LINE_RULE = "line holds only spaces or tabs: delete the line (an empty line between rows is allowed)"
CR_ONLY_RULE = "lines end in bare CR characters (old Mac line endings): save the file with LF or CR LF line endings"
HEADER_QUOTE_RULE = 'a column name in the header is written bare, without quotes: write figure_id, not "figure_id"'
NUL_RULE = "text contains a NUL byte: the file is not UTF-8 text (it may be UTF-16 or binary)"
NOT_UTF8_RULE = "file is not UTF-8: save it as UTF-8 (this byte is not valid UTF-8; Latin-1 or UTF-16?)"
PADDED_RULE = "must not start or end with a space, tab or line break"
TOO_LONG_RULE = f"cell is longer than {MAX_CELL_CHARS:,} characters"
CELL_COUNT_RULE = "row has {cells} cells; the header has {header}"


def _columns(schema: type[pa.DataFrameModel]) -> list[str]:
    return list(schema.to_schema().columns)


def _lenient_cells(line: str) -> list[str]:
    """The cells of one line as a lenient reader splits them; split on commas if a bare CR stops the csv module
    (a message about a broken file must not itself end in `_csv.Error: new-line character seen`)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def _locate(text: str, position: int) -> tuple[int, str]:
    """File line and the header name of the cell at `position` of a decoded file."""
    line_no = text.count("\n", 0, position) + 1
    line_start = text.rfind("\n", 0, position) + 1
    header = _lenient_cells(text.split("\n", 1)[0].lstrip("\ufeff").removesuffix("\r"))
    prefix = text[line_start:position]
    cell = len(_lenient_cells(prefix)) - 1 if prefix else 0
    column = header[cell] if line_no > 1 and cell < len(header) else "(header)"
    return line_no, column


def _decode(path: Path) -> tuple[str | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as err:  # unreadable (permissions, a broken disk): one line, not a traceback
        return None, [Problem(path.name, 1, "(file)", str(path), f"cannot be read: {err.strerror or err}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # decode what precedes the bad byte to say where it is
        text = raw[: err.start].decode("utf-8-sig", errors="replace") + "\ufffd"
        line_no, column = _locate(text, len(text) - 1)
        bad = raw[err.start : err.end].hex(" ")
        return None, [Problem(path.name, line_no, column, f"bytes {bad}", NOT_UTF8_RULE)]
    nul = text.find("\x00")
    if nul >= 0:
        line_no, column = _locate(text, nul)
        return None, [Problem(path.name, line_no, column, "byte 00", NUL_RULE)]
    return text, []


def _path_problems(path: Path) -> list[Problem]:
    if path.is_dir():
        return [Problem(path.name, 1, "(file)", str(path), "is a folder, not a CSV file")]
    if path.exists() and not path.is_file():
        return [Problem(path.name, 1, "(file)", str(path), "is not a regular file (a pipe, socket or device)")]
    if not path.is_file():
        return [Problem(path.name, 1, "(file)", str(path), "no such file")]
    return []


# One physical line that a strict reader takes as it is: quoted cells quoted whole (a quote inside doubled), no quote
# in an unquoted cell, an optional CR of a CR LF ending. A file whose every line matches needs no careful reading.
_CELL = r'(?:"(?:[^"]|"")*"|[^",\r\n]*)'
STRICT_LINE = re.compile(f"{_CELL}(?:,{_CELL})*\r?")
BARE_CR = re.compile(r"\r(?!\n)")


def _strictly_readable(lines: list[str]) -> bool:
    """Whether every line is a complete, strictly quoted row (checked with C-level matches, line by line)."""
    match = STRICT_LINE.fullmatch
    return all(match(line) for line in lines)


def split_line(line: str) -> tuple[list[str], int | None, str]:
    """The cells of one physical line read strictly, and (cell index, kind) of the first quoting problem.

    kind is 'unclosed' (a quote opened and not closed on this line), 'mid' (a quote closed before the cell ends)
    or 'plain' (a quote inside an unquoted cell); index and kind are None and '' when the line is fine.
    """
    cells: list[str] = []
    i, end = 0, len(line)
    while True:
        if i < end and line[i] == '"':
            parts, j = [], i + 1
            while True:
                close = line.find('"', j)
                if close < 0:
                    return cells, len(cells), "unclosed"
                parts.append(line[j:close])
                if line.startswith('"', close + 1):
                    parts.append('"')
                    j = close + 2
                    continue
                break
            cells.append("".join(parts))
            i = close + 1
            if i < end and line[i] != ",":
                return cells, len(cells) - 1, "mid"
        else:
            comma = line.find(",", i)
            cells.append(line[i:] if comma < 0 else line[i:comma])
            if '"' in cells[-1]:
                return cells, len(cells) - 1, "plain"
            i = end if comma < 0 else comma
        if i >= end:
            return cells, None, ""
        i += 1  # past the comma
        if i == end:
            cells.append("")
            return cells, None, ""


_CELL_AND_COMMA = re.compile(f"{_CELL},")


def _cell_at(line: str, position: int) -> tuple[int, str]:
    """The index of the cell that holds `position` of a line, and that cell as written (to the next comma)."""
    start = index = 0
    while (found := _CELL_AND_COMMA.match(line, start)) and found.end() <= position:
        start, index = found.end(), index + 1
    end = line.find(",", position)
    return index, line[start : len(line) if end < 0 else end]


def _around_cr(cell: str) -> str:
    """A cell as a message shows it: a long one from shortly before its first CR, so the message shows the CR."""
    cr = cell.find("\r")
    return cell if cr <= 40 else "..." + cell[cr - 30 :]


def _written_cell(line: str, index: int) -> str:
    """Cell `index` as written on the line, quotes included (`"a"b`, which a lenient reader shows as `ab`), up to the
    next comma; the whole line if the line has fewer cells."""
    start = 0
    for _ in range(index):
        found = _CELL_AND_COMMA.match(line, start)
        if not found:
            return line
        start = found.end()
    end = line.find(",", start + 1 if line.startswith('"', start) else start)
    return line[start : len(line) if end < 0 else end]


def _fast_records(text: str, header: list[str]) -> pd.DataFrame | None:
    """The data rows parsed by pandas' C reader, indexed by file line; None unless every row is one clean line."""
    try:
        # the C reader drops surplus cells on row 1 with only a warning: an error, so the careful reader names it
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            options = dict(dtype=object, header=None, skiprows=1, names=header, keep_default_na=False)
            options.update(na_filter=False, skip_blank_lines=False, index_col=False, engine="c")
            frame = pd.read_csv(io.StringIO(text), **options)
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
        return None  # a row with too many cells: the careful reader names it
    lines = text.rstrip("\r\n").split("\n")
    if len(lines) != len(frame) + 1:
        return None  # a quoted cell spans lines: the careful reader names the line
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    last = frame.columns[-1]
    suspects = frame.index[frame[last].to_numpy() == ""]
    blank = []
    for line_no in suspects:
        physical = lines[line_no - 1].removesuffix("\r")
        if not physical:
            blank.append(line_no)
        elif not physical.strip():
            return None  # a line of only spaces: the careful reader names it
        elif len(next(csv.reader([physical]))) != len(header):
            return None  # a row with too few cells (the C reader pads it)
    return frame.drop(index=blank) if blank else frame


def _never_closed(text: str, start_line: int, last_line: int) -> bool:
    """Whether the record that starts on `start_line` runs to the end of the file inside an open quote."""
    lines = text.split("\n")
    if last_line < len(lines) - 1 - (lines[-1] == ""):
        return False
    try:
        list(csv.reader(io.StringIO("\n".join(lines[start_line - 1 :]), newline=""), strict=True))
    except csv.Error:
        return True
    return False


def _run_on(text: str, lines: list[str], start_line: int, cell: int) -> tuple[int, str]:
    """Where a record whose quote opens on `start_line` ends (as a lenient reader would run it on), and that cell."""
    reader = csv.reader(io.StringIO("\n".join(lines[start_line - 1 :]), newline=""))
    try:
        row = next(reader)
    except (csv.Error, StopIteration):
        return len(lines), lines[start_line - 1]
    return start_line + reader.line_num - 1, row[cell] if cell < len(row) else ""


def _careful_records(text: str, header: list[str], name: str) -> tuple[pd.DataFrame, list[Problem], list[int]]:
    """The data rows read line by line (a row sits on one physical line), with a problem for each line that is not
    exactly one strictly quoted row of cells, and the lines that held a row that could not be read. Line numbers are
    those of the file: only LF ends a line."""
    problems: list[Problem] = []
    physical = text.split("\n")
    records, lines = [], []
    number = 1  # the header
    while number < len(physical):
        number += 1
        start_line, line = number, physical[number - 1]
        if number < len(physical):  # the CR of a CR LF ending; a CR that ends the file without a LF is a bare CR
            line = line.removesuffix("\r")
        if not line:
            continue  # empty lines (for example a trailing one) carry no data
        if not line.strip():  # a line of spaces, tabs or bare CRs is not empty: the codebook refuses both
            rule = BARE_CR_RULE if "\r" in line else BLANK_LINE_RULE
            problems.append(Problem(name, start_line, "(line)", line, rule))
            continue
        row, broken, kind = split_line(line)
        cr = line.find("\r")
        if cr >= 0 and kind != "unclosed" and (not kind or _cell_at(line, cr)[0] <= broken):
            # a bare CR, not the quote it stands beside, is what broke the line ('"note"\rF002' read as one cell)
            index, value = _cell_at(line, cr)
            column = header[index] if index < len(header) else f"(cell {index + 1})"
            shown = _around_cr(row[index] if not kind else value)  # the cell read, or as written if it breaks
            problems.append(Problem(name, start_line, column, shown, BARE_CR_RULE))
            continue
        if kind == "unclosed":
            column = header[broken] if broken < len(header) else f"(cell {broken + 1})"
            last_line, value = _run_on(text, physical, start_line, broken)
            if _never_closed(text, start_line, last_line):
                rule = UNCLOSED_AT_END_RULE
            else:
                rule = LINE_BREAK_RULE.format(last=last_line)
            problems.append(Problem(name, start_line, column, value, rule))
            number = last_line  # the lines it ran on belong to the broken record
            continue
        if kind:
            column = header[broken] if broken < len(header) else f"(cell {broken + 1})"
            rule = MID_QUOTE_RULE if kind == "mid" else PLAIN_QUOTE_RULE
            problems.append(Problem(name, start_line, column, _written_cell(line, broken), rule))
            continue
        if len(row) != len(header):
            if len(row) > len(header):
                column, value = f"(cell {len(header) + 1})", row[len(header)]
            else:
                column, value = header[len(row)], ""
            rule = CELL_COUNT_RULE.format(cells=len(row), header=len(header))
            problems.append(Problem(name, start_line, column, value, rule))
            continue
        records.append(row)
        lines.append(start_line)
    frame = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    return frame, problems, [p.line for p in problems if p.column != "(line)"]  # a '(line)' held no row


# a cell that starts with whitespace; run on the reversed string too, it finds one that ends with it
PADDED_START = re.compile(f"{SEP}\\s")


def _padded(joined: str) -> bool:
    """Whether any cell of a joined column starts or ends with whitespace."""
    return bool(PADDED_START.search(SEP + joined) or PADDED_START.search(joined[::-1] + SEP))


def _cell_problems(frame: pd.DataFrame, name: str, longest_line: int) -> list[Problem]:
    """Cells that are too long or padded with whitespace (no cell is longer than the longest line it came from)."""
    problems = []
    for column in frame.columns:
        cells = frame[column].tolist()
        if not cells:
            continue
        too_long = longest_line > MAX_CELL_CHARS and max(map(len, cells)) > MAX_CELL_CHARS
        joined = _joined(cells)
        if not too_long and joined is not None and not _padded(joined):
            continue
        for line, cell in zip(frame.index, cells, strict=True):
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(name, int(line), column, cell, TOO_LONG_RULE))
            elif cell != cell.strip():
                problems.append(Problem(name, int(line), column, cell, PADDED_RULE))
    return problems


def _character_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Names outside the vocabulary, and text with a character the rules refuse (named by its Unicode name)."""
    problems = []
    for column in frame.columns:
        if column not in characters.CHECKED_COLUMNS:
            continue
        cells = frame[column].tolist()
        for position, rule in characters.column_problems(column, cells):
            problems.append(Problem(name, int(frame.index[position]), column, cells[position], rule))
    return problems


@dataclass(frozen=True)
class Table:
    """A CSV file read as strings: the rows that could be read, the problems, and the data lines that could not be
    read as a row (checks that compare rows with each other or with another file skip a table that has any)."""

    frame: pd.DataFrame
    problems: list[Problem]
    unread_lines: tuple[int, ...] = ()


def read_table(path: Path, schema: type[pa.DataFrameModel]) -> Table:
    """Read a CSV as strings (empty cells as None), indexed by file line, and report structural problems."""
    frame, problems, unread = _read_table(path, schema)
    return Table(frame, problems, tuple(unread))


def _read_table(path: Path, schema: type[pa.DataFrameModel]) -> tuple[pd.DataFrame, list[Problem], list[int]]:
    name = path.name
    problems = _path_problems(path)
    if problems:
        return pd.DataFrame(), problems, []
    text, problems = _decode(path)
    if text is None:
        return pd.DataFrame(), problems, []
    if not text.strip():
        return (
            pd.DataFrame(),
            [Problem(name, 1, "(header)", "", "file is empty; it needs a header row and data rows")],
            [],
        )
    if "\r" in text and "\n" not in text:
        return pd.DataFrame(), [Problem(name, 1, "(file)", "", CR_ONLY_RULE)], []
    header_line = text.split("\n", 1)[0].removesuffix("\r")
    if "\r" in header_line:
        return pd.DataFrame(), [Problem(name, 1, "(header)", _around_cr(header_line), BARE_CR_RULE)], []
    header = next(csv.reader([header_line]))
    if '"' in header_line:  # column names are plain words: a quoted one is an editor's rewrite or a typo
        cells = header_line.split(",")
        return (
            pd.DataFrame(),
            [Problem(name, 1, cell.strip('"') or "(header)", cell, HEADER_QUOTE_RULE) for cell in cells if '"' in cell],
            [],
        )
    expected = _columns(schema)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    problems += [Problem(name, 1, c, "", "required column is missing from the header") for c in missing]
    problems += [Problem(name, 1, c, c, f"unknown column; expected only {', '.join(expected)}") for c in extra]
    problems += [
        Problem(name, 1, c, c, "column appears twice in the header") for c in sorted(set(header)) if header.count(c) > 1
    ]
    if problems:
        return pd.DataFrame(), problems, []
    strict = not BARE_CR.search(text) and _strictly_readable(text.split("\n"))
    frame, unread = (_fast_records(text, header) if strict else None), []
    if frame is None:
        frame, problems, unread = _careful_records(text, header, name)
    if frame.empty and not problems:
        problems.append(Problem(name, 2, "(rows)", "", "file has a header but no data rows"))
    problems += _cell_problems(frame, name, max(map(len, text.split("\n"))))
    problems += _character_problems(frame, name)
    columns = {}
    for column in expected:
        cells = frame[column].to_numpy(dtype=object, copy=True)
        cells[cells == ""] = None
        columns[column] = pd.Series(cells, index=frame.index, dtype=object)
    return pd.DataFrame(columns, index=frame.index), problems, unread
