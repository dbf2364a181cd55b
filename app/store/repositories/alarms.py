"""Store side of app/services/alarms.py."""

from __future__ import annotations

from app.store.database import Database


class SqlAlarmRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
