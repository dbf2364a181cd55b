"""The local authorization list each station holds, as it last confirmed it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, delete, insert, select, update

from app.domain.local_list import ListEntry
from app.domain.model import IdTagStatus
from app.store.database import Database
from app.store.schema import local_list_entries, stations


class SqlLocalListRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def held(self, station_id: str) -> dict[str, ListEntry]:
        def op(conn: Connection) -> dict[str, ListEntry]:
            rows = conn.execute(
                select(local_list_entries).where(local_list_entries.c.station_id == station_id)
            )
            return {
                r.id_tag: ListEntry(r.id_tag, IdTagStatus(r.status), r.expiry_date, r.parent_id_tag)
                for r in rows
            }

        return await self._db.read(op)

    async def confirm(
        self, station_id: str, version: int, entries: Mapping[str, ListEntry]
    ) -> None:
        def op(conn: Connection) -> None:
            conn.execute(
                delete(local_list_entries).where(local_list_entries.c.station_id == station_id)
            )
            if entries:
                conn.execute(
                    insert(local_list_entries),
                    [
                        {
                            "station_id": station_id,
                            "id_tag": e.id_tag,
                            "status": e.status.value,
                            "expiry_date": e.expiry_date,
                            "parent_id_tag": e.parent_id_tag,
                        }
                        for e in entries.values()
                    ],
                )
            conn.execute(
                update(stations)
                .where(stations.c.id == station_id)
                .values(local_list_version=version)
            )

        await self._db.write(op)
