"""Store side of app/services/history.py."""

from __future__ import annotations

from app.store.database import Database


class SqlHistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
