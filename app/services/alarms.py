"""Alarms: events that need a person, and who acknowledged them when."""

from __future__ import annotations

from typing import Protocol

from app.domain.ports import Clock
from app.services.events import EventBus


class AlarmRepository(Protocol):
    """Implemented by app/store/repositories/alarms.py."""


class AlarmService:
    def __init__(self, repository: AlarmRepository, bus: EventBus, clock: Clock) -> None:
        self._repo = repository
        self._bus = bus
        self._clock = clock
