"""Repositories: the store's implementations of the domain ports."""

from app.store.repositories.logs import SqlCommandLog, SqlEventLog, SqlFrameLog
from app.store.repositories.stations import SqlStationRepository
from app.store.repositories.tags import SqlTagRepository
from app.store.repositories.transactions import SqlTransactionRepository

__all__ = [
    "SqlCommandLog",
    "SqlEventLog",
    "SqlFrameLog",
    "SqlStationRepository",
    "SqlTagRepository",
    "SqlTransactionRepository",
]
