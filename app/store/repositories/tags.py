"""Id tags (RFID cards and other tokens)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, or_, select, update

from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus
from app.store.database import Database
from app.store.repositories.checked import write_checked
from app.store.schema import drivers, id_tags


def tag_from_row(m: RowMapping) -> IdTag:
    return IdTag(
        m["id_tag"],
        IdTagStatus(m["status"]),
        m["expiry_date"],
        m["parent_id_tag"],
        m["note"] or "",
        m["driver_id"],
        m["max_concurrent"] or 1,
    )


def tag_values(tag: IdTag) -> dict[str, Any]:
    return {
        "status": tag.status.value,
        "expiry_date": tag.expiry_date,
        "parent_id_tag": tag.parent_id_tag,
        "note": tag.note,
        "driver_id": tag.driver_id,
        "max_concurrent": tag.max_concurrent,
    }


def get_tag(conn: Connection, id_tag: str) -> IdTag | None:
    row = conn.execute(select(id_tags).where(id_tags.c.id_tag == id_tag)).first()
    return tag_from_row(row._mapping) if row else None


def check_driver(conn: Connection, driver_id: int | None) -> None:
    if driver_id is None:
        return
    if conn.execute(select(drivers.c.id).where(drivers.c.id == driver_id)).first() is None:
        raise InvalidInput(f"driver: there is no driver {driver_id}")


def check_free(conn: Connection, tag: IdTag) -> None:
    """InvalidInput if the tag is taken (saying by whom, so the desk can look)."""
    existing = get_tag(conn, tag.id_tag)
    if existing is not None:
        owner = ""
        if existing.driver_id is not None:
            name = conn.execute(
                select(drivers.c.name).where(drivers.c.id == existing.driver_id)
            ).scalar()
            owner = f" (it belongs to {name})" if name else ""
        raise InvalidInput(f"id tag: {tag.id_tag} is registered already{owner}")


def insert_tag(conn: Connection, tag: IdTag) -> None:
    conn.execute(insert(id_tags).values(id_tag=tag.id_tag, **tag_values(tag)))


class SqlTagRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, id_tag: str) -> IdTag | None:
        return await self._db.read(lambda conn: get_tag(conn, id_tag))

    async def upsert(self, tag: IdTag) -> None:
        def op(conn: Connection) -> None:
            check_driver(conn, tag.driver_id)
            values = tag_values(tag)
            result = conn.execute(
                update(id_tags).where(id_tags.c.id_tag == tag.id_tag).values(**values)
            )
            if result.rowcount == 0:
                conn.execute(insert(id_tags).values(id_tag=tag.id_tag, **values))

        await write_checked(self._db, op)

    async def create(self, tag: IdTag) -> None:
        def op(conn: Connection) -> None:
            check_free(conn, tag)
            check_driver(conn, tag.driver_id)
            insert_tag(conn, tag)

        await write_checked(self._db, op)

    async def delete(self, id_tag: str) -> bool:
        def op(conn: Connection) -> bool:
            return conn.execute(delete(id_tags).where(id_tags.c.id_tag == id_tag)).rowcount > 0

        return await self._db.write(op)

    async def all(self) -> list[IdTag]:
        def op(conn: Connection) -> list[IdTag]:
            rows = conn.execute(select(id_tags).order_by(id_tags.c.id_tag))
            return [tag_from_row(r._mapping) for r in rows]

        return await self._db.read(op)

    async def search(self, text: str, limit: int) -> list[IdTag]:
        """Tags whose id, note or group contains `text` (any case)."""

        def op(conn: Connection) -> list[IdTag]:
            pattern = like_pattern(text)
            query = (
                select(id_tags)
                .where(
                    or_(
                        id_tags.c.id_tag.ilike(pattern, escape="\\"),
                        id_tags.c.note.ilike(pattern, escape="\\"),
                        id_tags.c.parent_id_tag.ilike(pattern, escape="\\"),
                    )
                )
                .order_by(id_tags.c.id_tag)
                .limit(limit)
            )
            return [tag_from_row(r._mapping) for r in conn.execute(query)]

        return await self._db.read(op)


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character backslash) for values that contain `text`:
    its own % and _ are not wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
