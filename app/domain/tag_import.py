"""Importing tags and drivers from CSV: what would change, row by row, before anything does.

`build_preview(data, register)` reads the file (app/domain/tag_csv.py) and
compares every row with the tags, drivers and fleets as they are. Each row is
NEW, CHANGED (with each field's old and new value), UNCHANGED, DUPLICATE (its
tag is on another row too) or INVALID (with every problem). The preview also
holds the plan the store carries out in one transaction, and the fingerprint
of the state it was made from, so a preview of an outdated state is refused.

Drivers are found by email when the row has one, else by their exact name;
fleets by name. A driver or fleet nobody has yet is created. `export_csv`
writes the same format, so an export imported again changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from enum import StrEnum
from operator import attrgetter
from typing import Protocol

from app.domain import tag_csv as c
from app.domain.access import Driver, Fleet, driver_narrowed, tag_narrowed
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus
from app.domain.tag_import_rows import (
    DriverChoice,
    DriverPlan,
    DriverUpdate,
    DriverValues,
    NewDriver,
    ParsedRow,
    RowReader,
)

__all__ = [
    "DriverUpdate",
    "DriverValues",
    "ExportedFile",
    "FieldChange",
    "ImportRefused",
    "ImportResult",
    "NewDriver",
    "Preview",
    "PreviewRow",
    "RowKind",
    "StalePreview",
    "TagImportStore",
    "TagRegister",
    "TagWrite",
    "build_preview",
    "export_csv",
]


class RowKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class TagRegister:
    """The tags, drivers and fleets an import is compared with."""

    fleets: tuple[Fleet, ...] = ()
    drivers: tuple[Driver, ...] = ()
    tags: tuple[IdTag, ...] = ()

    def fingerprint(self) -> str:
        """Changes whenever anything an import looks at changes."""
        digest = hashlib.sha256()
        for part in (
            sorted(self.fleets, key=lambda f: f.id),
            sorted(self.drivers, key=lambda d: d.id),
            sorted(self.tags, key=lambda t: t.id_tag),
        ):
            # Every field, in a form cheaper than repr (dataclass reprs cost 3 µs each).
            digest.update("\n".join(str(_fields(item)) for item in part).encode())
            digest.update(b"\0")
        return digest.hexdigest()


_FIELDS = {kind: attrgetter(*kind.__slots__) for kind in (Fleet, Driver, IdTag)}


def _fields(item: Fleet | Driver | IdTag) -> tuple[object, ...]:
    fields: tuple[object, ...] = _FIELDS[type(item)](item)
    return fields


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One column of a row: its value now and the value the import writes."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PreviewRow:
    line: int  # where the row starts in the file (the header is line 1)
    id_tag: str  # normalised when it could be, else as written
    kind: RowKind
    driver: str = ""  # the driver's name, for showing
    changes: tuple[FieldChange, ...] = ()
    problems: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()  # e.g. "new driver Anna Berg", "new fleet Buses"


@dataclass(frozen=True, slots=True)
class TagWrite:
    """A tag to insert or replace. Its driver is tag.driver_id, or the new driver `new_driver`."""

    tag: IdTag
    new: bool
    new_driver: str | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    tags_added: int = 0
    tags_changed: int = 0
    drivers_added: int = 0
    drivers_changed: int = 0
    fleets_added: int = 0


@dataclass(frozen=True, slots=True)
class ExportedFile:
    data: bytes  # CSV, UTF-8 with a byte order mark
    tags: int


class ImportRefused(InvalidInput):
    """The preview cannot be imported: problems in it, or the tags changed since."""


class StalePreview(ImportRefused):
    def __init__(self) -> None:
        super().__init__("The tags changed since the preview; preview again.")


@dataclass(frozen=True, slots=True)
class Preview:
    rows: tuple[PreviewRow, ...]
    fingerprint: str  # of the TagRegister compared with
    new_fleets: tuple[str, ...] = ()
    new_drivers: tuple[NewDriver, ...] = ()
    driver_updates: tuple[DriverUpdate, ...] = ()
    tag_writes: tuple[TagWrite, ...] = ()
    columns: tuple[str, ...] = c.COLUMNS
    delimiter: str = ","
    counts: dict[RowKind, int] = field(default_factory=dict)
    # What the import does to charging: someone may lose access (chargers clear
    # their caches), and these tags are blocked from now on (their sessions too).
    revoked: bool = False
    blocked_tags: tuple[str, ...] = ()

    def count(self, kind: RowKind) -> int:
        return self.counts.get(kind, 0)

    def blocking_reason(self) -> str | None:
        """Why this preview cannot be imported, in words for the user (None: it can)."""
        invalid, duplicate = self.count(RowKind.INVALID), self.count(RowKind.DUPLICATE)
        if invalid or duplicate:
            return (
                f"Nothing can be imported while the file has invalid ({invalid}) or "
                f"duplicate ({duplicate}) rows. Correct the file and preview it again."
            )
        return None

    @property
    def can_apply(self) -> bool:
        return self.blocking_reason() is None

    @property
    def has_changes(self) -> bool:
        return bool(self.tag_writes or self.driver_updates)

    def expected_result(self) -> ImportResult:
        """What applying writes, counted."""
        return ImportResult(
            tags_added=sum(1 for w in self.tag_writes if w.new),
            tags_changed=sum(1 for w in self.tag_writes if not w.new),
            drivers_added=len(self.new_drivers),
            drivers_changed=len(self.driver_updates),
            fleets_added=len(self.new_fleets),
        )

    def refuse_unless_applicable(self) -> None:
        reason = self.blocking_reason()
        if reason is not None:
            raise ImportRefused(reason)


class TagImportStore(Protocol):
    """Implemented by app/store/repositories/tag_import.py."""

    async def register(self) -> TagRegister: ...

    async def apply(self, preview: Preview, now: datetime) -> ImportResult:
        """Write the preview's plan in one transaction, after checking that the state's
        fingerprint is still the preview's (else raise StalePreview and write nothing)."""
        ...


# ---- preview ----------------------------------------------------------------------------


def build_preview(
    data: bytes, register: TagRegister, zone: tzinfo | None = None, *, walk_in: bool = False
) -> Preview:
    """Compare the CSV file `data` with `register`.

    Raises TagFileRefused for a file that is no tag list at all (too big, not
    UTF-8, an unknown column, …). `zone` is where dates without an offset are
    (None: this computer's zone); `walk_in`: tags nobody registered are accepted.
    """
    table = c.read_table(data)
    reader = RowReader(table.columns, zone)
    parsed = [reader.read(record) for record in table.records]
    same_tag: dict[str, list[ParsedRow]] = {}
    for row in parsed:
        if row.id_tag:
            same_tag.setdefault(row.id_tag, []).append(row)
    stored = {t.id_tag: t for t in register.tags}
    drivers = DriverPlan(register.fleets, register.drivers, reader)

    rows: list[PreviewRow] = []
    writes: list[TagWrite] = []
    for row in parsed:
        twins = [t for t in same_tag.get(row.id_tag, []) if t is not row]
        if row.problems or twins:
            rows.append(_blocked(row, row.problems, twins))
            continue
        old = stored.get(row.id_tag)
        choice = drivers.resolve(row, old)
        if choice.problems:
            rows.append(_blocked(row, choice.problems, []))
            continue
        tag = reader.tag(row, old, choice.driver_id)
        if old is None:
            writes.append(TagWrite(tag, True, choice.new_key))
            driver_changes = tuple(FieldChange(*change) for change in choice.changes)
            rows.append(_row(row, RowKind.NEW, choice, driver_changes))
            continue
        if tag == old and choice.new_key is None and not choice.changes:
            rows.append(_row(row, RowKind.UNCHANGED, choice, ()))
            continue
        if tag != old or choice.new_key is not None:
            writes.append(TagWrite(tag, False, choice.new_key))
        rows.append(_row(row, RowKind.CHANGED, choice, _changes(old, tag, choice, drivers, reader)))
    updates = drivers.updates()
    revoked, blocked = _effects(register, stored, writes, updates, walk_in=walk_in)
    return Preview(
        rows=tuple(rows),
        fingerprint=register.fingerprint(),
        new_fleets=drivers.new_fleets(),
        new_drivers=drivers.new_drivers(),
        driver_updates=updates,
        tag_writes=tuple(writes),
        columns=table.columns,
        delimiter=table.delimiter,
        counts=_counts(rows),
        revoked=revoked,
        blocked_tags=blocked,
    )


def _effects(
    register: TagRegister,
    stored: dict[str, IdTag],
    writes: list[TagWrite],
    updates: tuple[DriverUpdate, ...],
    *,
    walk_in: bool,
) -> tuple[bool, tuple[str, ...]]:
    """(may anyone lose access, tags blocked from now on), as the tag and driver
    services judge one change at a time."""
    after = dict(stored)
    after.update((w.tag.id_tag, w.tag) for w in writes)
    members: dict[str, list[str]] = {}
    held: dict[int, list[str]] = {}
    for tag in after.values():
        if tag.parent_id_tag:
            members.setdefault(tag.parent_id_tag, []).append(tag.id_tag)
        if tag.driver_id is not None:
            held.setdefault(tag.driver_id, []).append(tag.id_tag)
    revoked = False
    blocked: set[str] = set()
    for w in writes:
        before = stored.get(w.tag.id_tag)
        # A tag given to a driver this import creates: its driver_id is not known yet.
        moved = w.new_driver is not None and before is not None
        revoked = revoked or moved or tag_narrowed(before, w.tag, walk_in=walk_in)
        if w.tag.status is IdTagStatus.BLOCKED and (
            before is None or before.status is not IdTagStatus.BLOCKED
        ):
            blocked.add(w.tag.id_tag)  # and the group's members (a blocked group blocks them)
            blocked.update(members.get(w.tag.id_tag, ()))
    drivers = {d.id: d for d in register.drivers}
    for update in updates:
        before_driver = drivers[update.driver_id]
        v = update.values
        fleet_same = v.fleet == _fleet_name(register, before_driver.fleet_id)
        after_driver = replace(
            before_driver,
            name=v.name,
            active=v.active,
            fleet_id=before_driver.fleet_id if fleet_same else -1,  # another fleet
        )
        revoked = revoked or driver_narrowed(before_driver, after_driver)
        if before_driver.active and not v.active:
            blocked.update(held.get(update.driver_id, ()))
    return revoked, tuple(sorted(blocked))


def _fleet_name(register: TagRegister, fleet_id: int | None) -> str | None:
    return next((f.name for f in register.fleets if f.id == fleet_id), None)


def _row(
    row: ParsedRow, kind: RowKind, choice: DriverChoice, changes: tuple[FieldChange, ...]
) -> PreviewRow:
    return PreviewRow(row.line, row.id_tag, kind, choice.name, changes, remarks=choice.remarks)


def _blocked(row: ParsedRow, problems: Iterable[str], twins: list[ParsedRow]) -> PreviewRow:
    found = list(problems)
    if twins:
        where = ", ".join(
            f"line {t.line}" + (f" as {t.written!r}" if t.written != t.id_tag else "")
            for t in twins
        )
        found.append(f"the same tag {row.id_tag} is also on {where}")
    # A row that is only a repeat is DUPLICATE; any other problem makes it INVALID.
    kind = RowKind.INVALID if row.problems or not twins else RowKind.DUPLICATE
    return PreviewRow(row.line, row.id_tag or row.written, kind, row.driver_name, (), tuple(found))


def _changes(
    old: IdTag, new: IdTag, choice: DriverChoice, drivers: DriverPlan, reader: RowReader
) -> tuple[FieldChange, ...]:
    changes = [
        FieldChange(name, reader.shown(before), reader.shown(after))
        for name, before, after in (
            (c.STATUS, old.status, new.status),
            (c.EXPIRY_DATE, old.expiry_date, new.expiry_date),
            (c.PARENT_ID_TAG, old.parent_id_tag, new.parent_id_tag),
            (c.MAX_CONCURRENT, old.max_concurrent, new.max_concurrent),
            (c.TAG_NOTE, old.note, new.note),
        )
        if before != after
    ]
    if old.driver_id != new.driver_id or choice.new_key is not None:
        # Another driver (or none): who it was and who it will be.
        changes.append(FieldChange("driver", drivers.name_of(old.driver_id), choice.name))
    changes.extend(FieldChange(*change) for change in choice.changes)
    return tuple(changes)


def _counts(rows: Iterable[PreviewRow]) -> dict[RowKind, int]:
    counted = Counter(r.kind for r in rows)
    return {kind: counted.get(kind, 0) for kind in RowKind}


# ---- export -----------------------------------------------------------------------------


def export_csv(register: TagRegister, zone: tzinfo | None = None, delimiter: str = ",") -> str:
    """Every tag with its driver, in the import's format (dates in `zone`, None: local)."""
    drivers = {d.id: d for d in register.drivers}
    fleets = {f.id: f.name for f in register.fleets}

    def cells(tag: IdTag) -> list[str]:
        when = c.format_datetime(tag.expiry_date, zone) if tag.expiry_date else ""
        row = [
            tag.id_tag,
            tag.status.value,
            when,
            tag.parent_id_tag or "",
            str(tag.max_concurrent),
            tag.note,
        ]
        driver = drivers.get(tag.driver_id) if tag.driver_id is not None else None
        if driver is None:
            return row + [""] * len(c.DRIVER_COLUMNS)
        fleet = fleets.get(driver.fleet_id, "") if driver.fleet_id is not None else ""
        return [
            *row,
            driver.name,
            driver.email,
            driver.phone,
            fleet,
            c.format_yes_no(driver.active),
            driver.notes,
        ]

    ordered = sorted(register.tags, key=lambda t: t.id_tag)
    return c.write_table((cells(t) for t in ordered), delimiter)
