"""Id tags (RFID cards and other tokens)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from app.domain.model import IdTag, IdTagStatus
from app.store.database import Database
from app.store.schema import id_tags


class SqlTagRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, id_tag: str) -> IdTag | None:
        def op(conn: Connection) -> IdTag | None:
            row = conn.execute(select(id_tags).where(id_tags.c.id_tag == id_tag)).first()
            if row is None:
                return None
            return IdTag(
                row.id_tag, IdTagStatus(row.status), row.expiry_date, row.parent_id_tag, row.note
            )

        return await self._db.read(op)

    async def upsert(self, tag: IdTag) -> None:
        def op(conn: Connection) -> None:
            values = {
                "status": tag.status.value,
                "expiry_date": tag.expiry_date,
                "parent_id_tag": tag.parent_id_tag,
                "note": tag.note,
            }
            result = conn.execute(
                update(id_tags).where(id_tags.c.id_tag == tag.id_tag).values(**values)
            )
            if result.rowcount == 0:
                conn.execute(insert(id_tags).values(id_tag=tag.id_tag, **values))

        await self._db.write(op)

    async def delete(self, id_tag: str) -> bool:
        def op(conn: Connection) -> bool:
            return conn.execute(delete(id_tags).where(id_tags.c.id_tag == id_tag)).rowcount > 0

        return await self._db.write(op)

    async def all(self) -> list[IdTag]:
        def op(conn: Connection) -> list[IdTag]:
            rows = conn.execute(select(id_tags).order_by(id_tags.c.id_tag))
            return [
                IdTag(r.id_tag, IdTagStatus(r.status), r.expiry_date, r.parent_id_tag, r.note)
                for r in rows
            ]

        return await self._db.read(op)
