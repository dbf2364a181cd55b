"""The CSV file of tags and their drivers: reading cells, writing them back.

One row per id tag, with its driver's columns. The header names the columns
(any order, any case); a column left out of the header is left as it is for
existing tags and takes its default for new ones. See docs/tag-import.md.

Files from Swedish Excel use `;`, others `,`: the header line decides. Text is
UTF-8, with or without a byte order mark; exports carry one so Excel shows å,
ä and ö. Cells that a spreadsheet would run as a formula get a leading
apostrophe on export, and reading takes it away again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo

from app.domain.errors import InvalidInput

ID_TAG = "id_tag"
STATUS = "status"
EXPIRY_DATE = "expiry_date"
PARENT_ID_TAG = "parent_id_tag"
MAX_CONCURRENT = "max_concurrent"
TAG_NOTE = "tag_note"
DRIVER_NAME = "driver_name"
DRIVER_EMAIL = "driver_email"
DRIVER_PHONE = "driver_phone"
FLEET = "fleet"
DRIVER_ACTIVE = "driver_active"
DRIVER_NOTES = "driver_notes"

TAG_COLUMNS = (ID_TAG, STATUS, EXPIRY_DATE, PARENT_ID_TAG, MAX_CONCURRENT, TAG_NOTE)
DRIVER_COLUMNS = (DRIVER_NAME, DRIVER_EMAIL, DRIVER_PHONE, FLEET, DRIVER_ACTIVE, DRIVER_NOTES)
COLUMNS = TAG_COLUMNS + DRIVER_COLUMNS
# Free text keeps its spaces; every other cell is trimmed.
FREE_TEXT = frozenset({TAG_NOTE, DRIVER_NOTES})

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000

# What makes a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES = frozenset({"yes", "y", "true", "1", "ja", "j"})
NO = frozenset({"no", "n", "false", "0", "nej"})


class TagFileRefused(InvalidInput):
    """The file as a whole cannot be read as a tag list: nothing in it is previewed."""


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One data row: its first line in the file and its cells by column name."""

    line: int
    cells: dict[str, str]
    extra_cells: int = 0  # non-empty cells beyond the header's columns


@dataclass(frozen=True, slots=True)
class CsvTable:
    columns: tuple[str, ...]
    records: tuple[CsvRecord, ...]
    delimiter: str


# ---- formula guard ----------------------------------------------------------------------


def _needs_guard(text: str) -> bool:
    # An apostrophe followed by a guarded text is guarded too, so that reading
    # back always gives exactly what was written.
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith("'") and _needs_guard(text[1:])


def guard_formula(text: str) -> str:
    """The cell as written to a file: a would-be formula is made plain text."""
    return "'" + text if _needs_guard(text) else text


def unguard_formula(text: str) -> str:
    """The cell as meant: the apostrophe guard_formula (or a person) added is removed."""
    return text[1:] if text.startswith("'") and _needs_guard(text[1:]) else text


# ---- reading ----------------------------------------------------------------------------


def decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise TagFileRefused(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB can be imported at once. "
            "Split it into smaller files."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TagFileRefused(
            f"Line {line} is not UTF-8 text. Save the file as “CSV UTF-8” and import it again."
        ) from exc


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header(cells: Sequence[str]) -> tuple[str, ...]:
    names = [unguard_formula(c.strip()).strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()  # a spreadsheet may end every line with an empty cell
    unknown = [n or "(empty)" for n in names if n not in COLUMNS]
    if unknown:
        raise TagFileRefused(
            f"Unknown column {', '.join(repr(u) for u in unknown)} in the header. "
            f"The columns are: {', '.join(COLUMNS)}."
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise TagFileRefused(f"The header names {', '.join(repeated)} more than once.")
    if ID_TAG not in names:
        raise TagFileRefused(f"The header has no {ID_TAG} column; every row needs one.")
    if any(c in names for c in DRIVER_COLUMNS) and not (
        DRIVER_NAME in names or DRIVER_EMAIL in names
    ):
        raise TagFileRefused(
            f"Driver columns need {DRIVER_NAME} or {DRIVER_EMAIL} to say which driver is meant."
        )
    return tuple(names)


def read_table(data: bytes) -> CsvTable:
    """Split the file into named cells; refuse a file that is not a tag list at all."""
    text = decode(data)
    if not text.strip():
        raise TagFileRefused(
            f"The file is empty. Its first line is the header: {','.join(COLUMNS)}"
        )
    delimiter = _delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[CsvRecord] = []
    try:
        columns = _header(next(reader))
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank lines, or a spreadsheet's rows of empty cells
            if len(records) == MAX_ROWS:
                raise TagFileRefused(
                    f"The file has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} "
                    "at once. Split it into smaller files."
                )
            records.append(_record(line, columns, cells))
    except csv.Error as exc:
        raise TagFileRefused(f"Line {reader.line_num} cannot be read as CSV: {exc}.") from exc
    return CsvTable(columns, tuple(records), delimiter)


def _record(line: int, columns: tuple[str, ...], cells: list[str]) -> CsvRecord:
    # 600,000 cells in a full file: the common case in one comprehension.
    values = {name: raw.strip() for name, raw in zip(columns, cells, strict=False)}
    for name, raw in zip(columns, cells, strict=False):
        if name in FREE_TEXT:
            values[name] = raw
    for name, cell in values.items():
        if cell[:1] == "'":
            unguarded = unguard_formula(cell)
            values[name] = unguarded if name in FREE_TEXT else unguarded.strip()
    for name in columns[len(cells) :]:
        values[name] = ""  # a short row: the missing cells are empty
    extra = sum(1 for c in cells[len(columns) :] if c.strip())
    return CsvRecord(line, values, extra)


# ---- values -----------------------------------------------------------------------------


def parse_datetime(text: str, zone: tzinfo | None) -> datetime:
    """ISO 8601, or a date or date-time without offset in `zone` (None: this computer's zone).

    A date alone is the start of that day. Raises ValueError with words for the user.
    """
    try:
        value = datetime.fromisoformat(text)
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone) if zone is not None else value.astimezone()
        return value.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise ValueError(
            f"{text!r} is not a date: write 2026-12-31, 2026-12-31 23:59 or 2026-12-31T23:59+01:00"
        ) from exc


def format_datetime(value: datetime, zone: tzinfo | None) -> str:
    """Local time as parse_datetime reads it back: a bare date for midnight."""
    local = value.astimezone(zone) if zone is not None else value.astimezone()
    if local.time() == time(0, 0):
        return local.date().isoformat()
    return local.isoformat(timespec="seconds" if local.microsecond == 0 else "microseconds")


def parse_yes_no(text: str) -> bool:
    folded = text.strip().lower()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(f"{text!r} is not yes or no")


def format_yes_no(value: bool) -> str:
    return "yes" if value else "no"


# ---- writing ----------------------------------------------------------------------------


def write_table(rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    """The header and `rows` (cells in COLUMNS order) as CSV text, formulas guarded."""
    if delimiter not in (",", ";"):
        raise InvalidInput("the delimiter is a comma or a semicolon")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([guard_formula(cell) for cell in row])
    return out.getvalue()
