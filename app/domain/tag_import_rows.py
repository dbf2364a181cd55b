"""The parts of a tag import that work on one row: its values, and whose driver it names.

Used by app/domain/tag_import.py. A column missing from the file's header
leaves that value as it is (an existing tag's, an existing driver's) or gives
the default (a new one's); an empty cell in a column that is there means "none".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import Enum

from app.domain import tag_csv as c
from app.domain.access import Driver, Fleet
from app.domain.access_forms import (
    checked_email,
    checked_max_concurrent,
    checked_name,
    checked_notes,
    checked_phone,
)
from app.domain.authorization import checked_id_tag, normalise_id_tag
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus

STATUSES = tuple(s for s in IdTagStatus if s is not IdTagStatus.CONCURRENT_TX)
_STATUS_BY_NAME = {s.value.lower(): s for s in STATUSES}


@dataclass(slots=True)
class ParsedRow:
    """A row's cells as values; `problems` says what could not be read."""

    line: int
    written: str  # the id tag as the file spells it
    id_tag: str  # normalised
    status: IdTagStatus = IdTagStatus.ACCEPTED
    expiry_date: datetime | None = None
    parent_id_tag: str | None = None
    max_concurrent: int = 1
    note: str = ""
    driver_name: str = ""
    driver_email: str = ""
    driver_phone: str = ""
    fleet: str = ""
    driver_active: bool = True
    driver_notes: str = ""
    problems: list[str] = field(default_factory=list)


def _complaint(column: str, exc: InvalidInput) -> str:
    """The form check's message, named by the file's column."""
    message = str(exc)
    if message.startswith(f"{column}:"):
        return message
    # The forms name a field ("email: …"); the file's user knows the column.
    _field, colon, rest = message.partition(": ")
    return f"{column}: {rest if colon else message}"


# The driver form's checks, by column: (check, value when it fails).
_TEXT_CHECKS: dict[str, Callable[[str], str]] = {
    c.TAG_NOTE: lambda v: checked_notes(v, c.TAG_NOTE),
    c.DRIVER_NAME: lambda v: checked_name(v, c.DRIVER_NAME) if v else "",
    c.DRIVER_EMAIL: checked_email,
    c.DRIVER_PHONE: checked_phone,
    c.FLEET: lambda v: checked_name(v, c.FLEET) if v else "",
    c.DRIVER_NOTES: lambda v: checked_notes(v, c.DRIVER_NOTES),
}


def parse_status(text: str) -> IdTagStatus:
    if not text:
        return IdTagStatus.ACCEPTED
    status = _STATUS_BY_NAME.get(text.lower())
    if status is None:
        raise ValueError(f"status {text!r} is not one of {', '.join(s.value for s in STATUSES)}")
    return status


def shown(value: object, zone: tzinfo | None) -> str:
    """A value as the file writes it, for showing old → new."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return c.format_datetime(value, zone)
    if isinstance(value, bool):
        return c.format_yes_no(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


class RowReader:
    """Turns the cells of one record into values, and merges them with a stored tag."""

    def __init__(self, columns: Sequence[str], zone: tzinfo | None) -> None:
        self.columns = frozenset(columns)
        self.zone = zone
        # Drivers, fleets and notes repeat from row to row: check each text once.
        self._checked: dict[tuple[str, str], tuple[str, str | None]] = {}

    def _text(self, problems: list[str], cells: dict[str, str], column: str) -> str:
        """The cell as the form check leaves it; a complaint (and the cell as written)
        when the check refuses it."""
        value = cells.get(column, "")
        key = (column, value)
        done = self._checked.get(key)
        if done is None:
            try:
                done = (_TEXT_CHECKS[column](value), None)
            except InvalidInput as exc:
                done = (value, _complaint(column, exc))
            self._checked[key] = done
        if done[1] is not None:
            problems.append(done[1])
        return done[0]

    def read(self, record: c.CsvRecord) -> ParsedRow:
        cells = record.cells
        written = cells[c.ID_TAG]
        row = ParsedRow(record.line, written, normalise_id_tag(written))
        problems = row.problems
        try:
            checked_id_tag(written)
        except InvalidInput as exc:
            problems.append(str(exc))
        if record.extra_cells:
            problems.append(f"the row has {record.extra_cells} more cells than the header")
        if c.STATUS in cells:
            try:
                row.status = parse_status(cells[c.STATUS])
            except ValueError as exc:
                problems.append(str(exc))
        if cells.get(c.EXPIRY_DATE):
            try:
                row.expiry_date = c.parse_datetime(cells[c.EXPIRY_DATE], self.zone)
            except ValueError as exc:
                problems.append(f"{c.EXPIRY_DATE} {exc}")
        if cells.get(c.PARENT_ID_TAG):
            try:
                row.parent_id_tag = checked_id_tag(cells[c.PARENT_ID_TAG], "group tag")
            except InvalidInput as exc:
                problems.append(str(exc))
            if row.parent_id_tag == row.id_tag:
                problems.append("group tag: a tag cannot be its own group")
        if cells.get(c.MAX_CONCURRENT):
            self._read_max_concurrent(row, cells[c.MAX_CONCURRENT])
        row.note = self._text(problems, cells, c.TAG_NOTE)
        self._read_driver(row, cells)
        return row

    @staticmethod
    def _read_max_concurrent(row: ParsedRow, text: str) -> None:
        try:
            number = int(text)
        except ValueError:
            row.problems.append(f"{c.MAX_CONCURRENT} {text!r} is not a whole number")
            return
        try:
            row.max_concurrent = checked_max_concurrent(number)
        except InvalidInput as exc:
            row.problems.append(_complaint(c.MAX_CONCURRENT, exc))

    def _read_driver(self, row: ParsedRow, cells: dict[str, str]) -> None:
        problems = row.problems
        row.driver_name = self._text(problems, cells, c.DRIVER_NAME)
        row.driver_email = self._text(problems, cells, c.DRIVER_EMAIL)
        row.driver_phone = self._text(problems, cells, c.DRIVER_PHONE)
        row.fleet = self._text(problems, cells, c.FLEET)
        row.driver_notes = self._text(problems, cells, c.DRIVER_NOTES)
        if cells.get(c.DRIVER_ACTIVE):
            try:
                row.driver_active = c.parse_yes_no(cells[c.DRIVER_ACTIVE])
            except ValueError as exc:
                problems.append(f"{c.DRIVER_ACTIVE} {exc}")
        if not (cells.get(c.DRIVER_NAME) or cells.get(c.DRIVER_EMAIL)):
            filled = [n for n in c.DRIVER_COLUMNS if cells.get(n)]
            if filled:
                problems.append(
                    f"{', '.join(filled)} given, but no {c.DRIVER_NAME} or {c.DRIVER_EMAIL} "
                    "to say whose"
                )

    def tag(self, row: ParsedRow, old: IdTag | None, driver_id: int | None) -> IdTag:
        """The tag as the import leaves it: the row's values where the file has the column."""
        base = old or IdTag(row.id_tag, IdTagStatus.ACCEPTED)
        has = self.columns.__contains__
        return IdTag(
            row.id_tag,
            row.status if has(c.STATUS) else base.status,
            row.expiry_date if has(c.EXPIRY_DATE) else base.expiry_date,
            row.parent_id_tag if has(c.PARENT_ID_TAG) else base.parent_id_tag,
            row.note if has(c.TAG_NOTE) else base.note,
            driver_id,
            row.max_concurrent if has(c.MAX_CONCURRENT) else base.max_concurrent,
        )

    def shown(self, value: object) -> str:
        return shown(value, self.zone)


# ---- drivers and fleets ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DriverValues:
    """A driver as the import leaves it. `fleet` is a fleet's name (existing or new)."""

    name: str
    email: str = ""
    phone: str = ""
    notes: str = ""
    active: bool = True
    fleet: str | None = None


@dataclass(frozen=True, slots=True)
class NewDriver:
    key: str  # how a TagWrite names the driver before it has an id
    values: DriverValues


@dataclass(frozen=True, slots=True)
class DriverUpdate:
    driver_id: int
    values: DriverValues


@dataclass(frozen=True, slots=True)
class DriverChoice:
    """The driver a row gives its tag (none, an existing one, or a new one)."""

    driver_id: int | None = None
    new_key: str | None = None
    name: str = ""
    changes: tuple[tuple[str, str, str], ...] = ()  # (column, old, new) of the driver
    remarks: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


NO_DRIVER = DriverChoice()


class DriverPlan:
    """Finds each row's driver and fleet, and collects what must be created or updated."""

    def __init__(self, fleets: Sequence[Fleet], drivers: Sequence[Driver], reader: RowReader):
        self._reader = reader
        self._has = reader.columns.__contains__
        self._drivers = {d.id: d for d in drivers}
        self._fleet_names = {f.id: f.name for f in fleets}
        self._fleets_exact = {f.name: f.name for f in fleets}
        self._fleets_folded: dict[str, list[str]] = {}
        for f in fleets:
            self._fleets_folded.setdefault(f.name.casefold(), []).append(f.name)
        self._new_fleets: dict[str, str] = {}  # folded name -> first spelling
        self._by_email: dict[str, list[Driver]] = {}
        self._by_name: dict[str, list[Driver]] = {}
        for d in drivers:
            if d.email:
                self._by_email.setdefault(d.email.casefold(), []).append(d)
            self._by_name.setdefault(d.name, []).append(d)
        # Every row naming a driver must describe it alike: key -> (first line, values).
        self._wanted: dict[str, tuple[int, DriverValues]] = {}
        self._new_keys: list[str] = []

    @property
    def names_drivers(self) -> bool:
        return self._has(c.DRIVER_NAME) or self._has(c.DRIVER_EMAIL)

    def name_of(self, driver_id: int | None) -> str:
        driver = self._drivers.get(driver_id) if driver_id is not None else None
        return driver.name if driver is not None else ""

    def resolve(self, row: ParsedRow, old: IdTag | None) -> DriverChoice:
        if not self.names_drivers:
            kept = old.driver_id if old is not None else None
            return DriverChoice(kept, name=self.name_of(kept))
        if not (row.driver_name or row.driver_email):
            return NO_DRIVER
        found, problem = self._find(row)
        if problem:
            return DriverChoice(problems=(problem,))
        remarks: list[str] = []
        fleet = self._fleet(row, found, remarks)
        values = self._values(row, found, fleet)
        if found is not None:
            key = f"id:{found.id}"
        else:
            if not values.name:
                return DriverChoice(
                    problems=(
                        f"no driver has the email {row.driver_email}; "
                        f"a new driver needs a {c.DRIVER_NAME}",
                    )
                )
            key = f"email:{values.email.casefold()}" if values.email else f"name:{values.name}"
            remarks.insert(0, f"new driver {values.name}")
        first = self._wanted.setdefault(key, (row.line, values))
        if first[1] != values:
            differing = _differing(first[1], values)
            return DriverChoice(
                problems=(
                    f"driver {values.name or row.driver_email} has other "
                    f"{', '.join(differing)} on line {first[0]}",
                )
            )
        if found is None:
            if first[0] == row.line:
                self._new_keys.append(key)
            return DriverChoice(None, key, values.name, remarks=tuple(remarks))
        return DriverChoice(
            found.id,
            None,
            values.name,
            changes=self._changes(found, values),
            remarks=tuple(remarks),
        )

    def _find(self, row: ParsedRow) -> tuple[Driver | None, str | None]:
        if row.driver_email:
            matches = self._by_email.get(row.driver_email.casefold(), [])
            what = f"the email {row.driver_email}"
        else:
            matches = self._by_name.get(row.driver_name, [])
            what = f"the name {row.driver_name!r}; give a {c.DRIVER_EMAIL} to say which"
        if len(matches) > 1:
            return None, f"{len(matches)} drivers have {what}"
        return (matches[0] if matches else None), None

    def _fleet(self, row: ParsedRow, found: Driver | None, remarks: list[str]) -> str | None:
        if not self._has(c.FLEET):
            return self._fleet_names.get(found.fleet_id) if found and found.fleet_id else None
        name = row.fleet
        if not name:
            return None
        if name in self._fleets_exact:
            return name
        spellings = self._fleets_folded.get(name.casefold(), [])
        if len(spellings) == 1:
            return spellings[0]
        first = self._new_fleets.setdefault(name.casefold(), name)
        remarks.append(f"new fleet {first}")
        return first

    def _values(self, row: ParsedRow, found: Driver | None, fleet: str | None) -> DriverValues:
        base = found or Driver(0, "")
        has = self._has
        return DriverValues(
            name=row.driver_name if has(c.DRIVER_NAME) else base.name,
            email=row.driver_email if has(c.DRIVER_EMAIL) else base.email,
            phone=row.driver_phone if has(c.DRIVER_PHONE) else base.phone,
            notes=row.driver_notes if has(c.DRIVER_NOTES) else base.notes,
            active=row.driver_active if has(c.DRIVER_ACTIVE) else base.active,
            fleet=fleet,
        )

    def current(self, driver: Driver) -> DriverValues:
        fleet = self._fleet_names.get(driver.fleet_id) if driver.fleet_id is not None else None
        return DriverValues(
            driver.name, driver.email, driver.phone, driver.notes, driver.active, fleet
        )

    def _changes(self, driver: Driver, values: DriverValues) -> tuple[tuple[str, str, str], ...]:
        now = self.current(driver)
        if now == values:
            return ()
        return tuple(
            (column, self._reader.shown(before), self._reader.shown(after))
            for column, before, after in _pairs(now, values)
            if before != after
        )

    def new_fleets(self) -> tuple[str, ...]:
        return tuple(self._new_fleets.values())

    def new_drivers(self) -> tuple[NewDriver, ...]:
        return tuple(NewDriver(key, self._wanted[key][1]) for key in self._new_keys)

    def updates(self) -> tuple[DriverUpdate, ...]:
        updates = []
        for key, (_line, values) in self._wanted.items():
            if key.startswith("id:"):
                driver = self._drivers[int(key[3:])]
                if self.current(driver) != values:
                    updates.append(DriverUpdate(driver.id, values))
        return tuple(updates)


def _pairs(a: DriverValues, b: DriverValues) -> list[tuple[str, object, object]]:
    return [
        (c.DRIVER_NAME, a.name, b.name),
        (c.DRIVER_EMAIL, a.email, b.email),
        (c.DRIVER_PHONE, a.phone, b.phone),
        (c.FLEET, a.fleet, b.fleet),
        (c.DRIVER_ACTIVE, a.active, b.active),
        (c.DRIVER_NOTES, a.notes, b.notes),
    ]


def _differing(a: DriverValues, b: DriverValues) -> list[str]:
    return [column for column, x, y in _pairs(a, b) if x != y]
