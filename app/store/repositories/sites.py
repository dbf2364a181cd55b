"""Store side of app/services/sites.py."""

from __future__ import annotations

from app.store.database import Database


class SqlSiteRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
