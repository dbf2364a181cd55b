"""A tag import written all at once: fleets, drivers and tags in one transaction, or nothing.

The write first reads the state again and compares its fingerprint with the
one the preview was made from, inside the same transaction (the writer holds
SQLite's write lock from BEGIN IMMEDIATE): a preview of an older state is
refused instead of undoing someone's change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, bindparam, insert, select, update

from app.domain.access import Driver, Fleet
from app.domain.model import IdTag, IdTagStatus
from app.domain.tag_import import (
    DriverValues,
    ImportResult,
    Preview,
    StalePreview,
    TagRegister,
)
from app.store.database import Database
from app.store.schema import drivers, fleets, id_tags

# A dict look-up, not IdTagStatus(...): 10,000 enum calls cost 0.1 s of a big preview.
_STATUS = {s.value: s for s in IdTagStatus}


class SqlTagImportStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def register(self) -> TagRegister:
        return await self._db.read(read_register)

    async def apply(self, preview: Preview, now: datetime) -> ImportResult:
        return await self._db.write(lambda conn: apply_preview(conn, preview, now))


def read_register(conn: Connection) -> TagRegister:
    return TagRegister(
        fleets=tuple(
            Fleet(r.id, r.name, r.note, r.monthly_budget_minor)
            for r in conn.execute(select(fleets).order_by(fleets.c.id))
        ),
        drivers=tuple(
            Driver(
                r.id,
                r.name,
                r.fleet_id,
                r.email,
                r.phone,
                r.notes,
                bool(r.active),
                r.monthly_budget_minor,
            )
            for r in conn.execute(select(drivers).order_by(drivers.c.id))
        ),
        tags=tuple(
            IdTag(
                r.id_tag,
                _STATUS[r.status],
                r.expiry_date,
                r.parent_id_tag,
                r.note,
                r.driver_id,
                r.max_concurrent,
            )
            for r in conn.execute(select(id_tags).order_by(id_tags.c.id_tag))
        ),
    )


def apply_preview(conn: Connection, preview: Preview, now: datetime) -> ImportResult:
    """Carry out the preview's plan on `conn`; the caller's transaction makes it atomic."""
    preview.refuse_unless_applicable()
    before = read_register(conn)
    if before.fingerprint() != preview.fingerprint:
        raise StalePreview()
    fleet_ids = {f.name: f.id for f in before.fleets}
    for name in preview.new_fleets:
        fleet_ids[name] = _inserted_id(
            conn.execute(insert(fleets).values(name=name, note="", created_at=now))
        )

    def driver_columns(values: DriverValues) -> dict[str, Any]:
        return {
            "name": values.name,
            "email": values.email,
            "phone": values.phone,
            "notes": values.notes,
            "active": values.active,
            "fleet_id": fleet_ids[values.fleet] if values.fleet is not None else None,
            "updated_at": now,
        }

    driver_ids: dict[str, int] = {}
    for new in preview.new_drivers:
        row = insert(drivers).values(**driver_columns(new.values), created_at=now)
        driver_ids[new.key] = _inserted_id(conn.execute(row))
    if preview.driver_updates:
        conn.execute(
            # The SET clause is every other key of the parameters.
            update(drivers).where(drivers.c.id == bindparam("driver_id")),
            [
                {"driver_id": u.driver_id, **driver_columns(u.values)}
                for u in preview.driver_updates
            ],
        )

    def tag_columns(tag: IdTag, new_driver: str | None) -> dict[str, Any]:
        return {
            "status": tag.status.value,
            "expiry_date": tag.expiry_date,
            "parent_id_tag": tag.parent_id_tag,
            "note": tag.note,
            "driver_id": driver_ids[new_driver] if new_driver is not None else tag.driver_id,
            "max_concurrent": tag.max_concurrent,
        }

    added = [
        {"id_tag": w.tag.id_tag, **tag_columns(w.tag, w.new_driver)}
        for w in preview.tag_writes
        if w.new
    ]
    changed = [
        {"key": w.tag.id_tag, **tag_columns(w.tag, w.new_driver)}
        for w in preview.tag_writes
        if not w.new
    ]
    if added:
        conn.execute(insert(id_tags), added)
    if changed:
        conn.execute(update(id_tags).where(id_tags.c.id_tag == bindparam("key")), changed)
    return preview.expected_result()


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
