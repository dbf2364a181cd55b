"""Alarms: events that need a person, and who acknowledged them when.

Which event-log entries are alarms is decided in app/domain/alarms.py; this
service lists them, counts the unacknowledged ones, records acknowledgements
and tells every subscriber (every open view) through AlarmAcknowledged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from app.domain.alarms import (
    Alarm,
    AlarmAcknowledged,
    AlarmFilter,
    AlarmList,
    EventPage,
    EventQuery,
)
from app.domain.errors import InvalidInput, NotFound
from app.domain.operators import Role
from app.domain.ports import Clock
from app.services.acting import requires
from app.services.events import EventBus

OPERATOR_MAX = 100
PAGE_MAX = 1000


class AlarmRepository(Protocol):
    """Implemented by app/store/repositories/alarms.py."""

    async def alarms(self, query: AlarmFilter) -> list[Alarm]: ...

    async def unacknowledged(self, station_id: str | None = None) -> tuple[int, int | None]: ...

    async def get(self, event_id: int) -> tuple[Alarm, bool] | None: ...

    async def unacknowledged_ids(
        self, station_id: str, kinds: Collection[str] | None = None
    ) -> list[int]: ...

    async def acknowledge(self, event_ids: Sequence[int], by: str, at: datetime) -> list[int]: ...

    async def events(self, query: EventQuery) -> EventPage: ...

    async def event_kinds(self) -> list[str]: ...

    async def last_addresses(self, station_ids: Collection[str]) -> dict[str, str]: ...


def _operator(by: str) -> str:
    name = by.strip()
    if not name or len(name) > OPERATOR_MAX:
        raise InvalidInput(f"an operator name has 1 to {OPERATOR_MAX} characters")
    return name


def _limit(limit: int) -> int:
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput(f"a page holds 1 to {PAGE_MAX} entries")
    return limit


class AlarmService:
    def __init__(self, repository: AlarmRepository, bus: EventBus, clock: Clock) -> None:
        self._repo = repository
        self._bus = bus
        self._clock = clock

    # ---- reading ----------------------------------------------------------------

    async def find(self, query: AlarmFilter | None = None) -> list[Alarm]:
        """Alarms, unacknowledged first, newest first within each group."""
        query = query or AlarmFilter()
        _limit(query.limit)
        return await self._repo.alarms(query)

    async def unacknowledged_count(self, station_id: str | None = None) -> int:
        count, _newest = await self._repo.unacknowledged(station_id)
        return count

    async def overview(self, query: AlarmFilter | None = None) -> AlarmList:
        """What the alarms view shows, in one call: the list and the count."""
        alarms = await self.find(query)
        count, newest = await self._repo.unacknowledged()
        return AlarmList(tuple(alarms), count, newest)

    async def events(self, query: EventQuery | None = None) -> EventPage:
        """A page of the full event log, newest first, filtered."""
        query = query or EventQuery()
        _limit(query.limit)
        if query.offset < 0:
            raise InvalidInput("a page cannot start before the first entry")
        return await self._repo.events(query)

    async def event_kinds(self) -> list[str]:
        return await self._repo.event_kinds()

    async def last_addresses(self, station_ids: Collection[str]) -> dict[str, str]:
        """The network address each station last connected from, where the log knows it."""
        return await self._repo.last_addresses(station_ids)

    # ---- acknowledging --------------------------------------------------------------

    @requires(Role.ATTENDANT)
    async def acknowledge(self, event_id: int, by: str) -> Alarm:
        """Record that `by` saw this alarm; acknowledging it again changes nothing."""
        name = _operator(by)
        found = await self._repo.get(event_id)
        if found is None:
            raise NotFound(f"there is no alarm number {event_id}")
        alarm, is_alarm = found
        if not is_alarm:
            raise NotFound(f"event {event_id} is not an alarm")
        if alarm.acknowledged:
            return alarm
        now = self._clock()
        if await self._repo.acknowledge([event_id], name, now):
            self._bus.publish(AlarmAcknowledged(now, alarm.station_id or "", (event_id,), name))
        found = await self._repo.get(event_id)
        assert found is not None
        return found[0]

    @requires(Role.ATTENDANT)
    async def acknowledge_station(
        self, station_id: str, by: str, kinds: Collection[str] | None = None
    ) -> int:
        """Acknowledge every open alarm of one station (optionally only these kinds);
        return how many were newly acknowledged."""
        name = _operator(by)
        ids = await self._repo.unacknowledged_ids(station_id, kinds)
        if not ids:
            return 0
        now = self._clock()
        fresh = await self._repo.acknowledge(ids, name, now)
        if fresh:
            self._bus.publish(AlarmAcknowledged(now, station_id, tuple(fresh), name))
        return len(fresh)
