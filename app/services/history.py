"""History for graphs and station detail: power and energy series, usage over time."""

from __future__ import annotations

from typing import Protocol


class HistoryRepository(Protocol):
    """Implemented by app/store/repositories/history.py."""


class HistoryService:
    def __init__(self, repository: HistoryRepository) -> None:
        self._repo = repository
