"""Alarms: which logged events need a person, and acknowledging them (real store, no server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.alarms import (
    AlarmAcknowledged,
    AlarmCategory,
    AlarmFilter,
    EventQuery,
    is_alarm,
)
from app.domain.errors import InvalidInput, NotFound
from app.domain.events import DomainEvent
from app.domain.model import Severity
from app.services.alarms import AlarmService
from app.services.events import EventBus
from app.store import migrate
from app.store.database import Database
from app.store.repositories.alarms import SqlAlarmRepository
from app.store.repositories.logs import SqlEventLog

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Fixture:
    def __init__(self, db: Database) -> None:
        self.log = SqlEventLog(db)
        self.bus = EventBus()
        self.clock = Clock()
        self.service = AlarmService(SqlAlarmRepository(db), self.bus, self.clock)
        self.published: list[DomainEvent] = []
        self.bus.subscribe(self.published.append)

    async def log_event(
        self,
        kind: str,
        severity: Severity,
        station: str | None = "CP-1",
        data: dict[str, object] | None = None,
        message: str | None = None,
    ) -> int:
        self.clock.now += timedelta(minutes=1)
        await self.log.append(
            kind, severity, message or f"{station} {kind}", station, data or {}, self.clock.now
        )
        page = await self.service.events(EventQuery(limit=1))
        return page.records[0].id


@pytest.fixture
async def fx(tmp_path: Path) -> AsyncIterator[Fixture]:
    url = f"sqlite:///{tmp_path / 'alarms.sqlite3'}"
    migrate.upgrade(url)
    db = Database(url)
    await db.start()
    yield Fixture(db)
    await db.close()


def test_the_rules_name_faults_offline_refusals_pending_and_suspect_transactions() -> None:
    assert is_alarm("connector.fault", Severity.ALARM, {})
    assert is_alarm("station.disconnected", Severity.WARNING, {"reason": "connection lost"})
    assert is_alarm("station.refused", Severity.WARNING, {})
    assert is_alarm("station.pending", Severity.WARNING, {})
    assert is_alarm("transaction.suspect", Severity.WARNING, {})
    assert is_alarm("authorization.rejected", Severity.WARNING, {})
    assert is_alarm("station.firmware", Severity.ALARM, {"status": "InstallationFailed"})
    assert not is_alarm("station.firmware", Severity.INFO, {"status": "Installed"})
    assert not is_alarm("station.connected", Severity.INFO, {})
    for own in ("server shutting down", "closed by the central system with code 1001"):
        assert not is_alarm("station.disconnected", Severity.WARNING, {"reason": own})
    silent = "closed by the central system with code 1001: no message in time"
    assert is_alarm("station.disconnected", Severity.WARNING, {"reason": silent})


async def test_alarms_are_listed_unacknowledged_first_and_counted(fx: Fixture) -> None:
    await fx.log_event("station.connected", Severity.INFO)
    fault = await fx.log_event("connector.fault", Severity.ALARM, data={"connector_id": 1})
    offline = await fx.log_event("station.disconnected", Severity.WARNING, data={"reason": "lost"})
    await fx.log_event(
        "station.disconnected", Severity.WARNING, data={"reason": "server shutting down"}
    )
    assert await fx.service.unacknowledged_count() == 2
    await fx.service.acknowledge(offline, "alice")
    alarms = await fx.service.find()
    assert [a.event_id for a in alarms] == [fault, offline]
    assert alarms[0].category is AlarmCategory.FAULT
    assert not alarms[0].acknowledged
    assert alarms[1].acknowledged_by == "alice"
    assert alarms[1].acknowledged_at == fx.clock.now
    listing = await fx.service.overview(AlarmFilter(include_acknowledged=False))
    assert [a.event_id for a in listing.alarms] == [fault]
    assert listing.unacknowledged == 1
    assert listing.newest_unacknowledged_id == fault


async def test_acknowledging_stores_who_and_when_once_and_tells_subscribers(fx: Fixture) -> None:
    fault = await fx.log_event("connector.fault", Severity.ALARM)
    fx.clock.now += timedelta(minutes=5)
    first = await fx.service.acknowledge(fault, "  alice ")
    assert (first.acknowledged_by, first.acknowledged_at) == ("alice", fx.clock.now)
    acked = [e for e in fx.published if isinstance(e, AlarmAcknowledged)]
    assert acked == [AlarmAcknowledged(fx.clock.now, "CP-1", (fault,), "alice")]
    fx.clock.now += timedelta(minutes=5)
    again = await fx.service.acknowledge(fault, "bob")
    assert again == first, "the first acknowledgement stands"
    assert len([e for e in fx.published if isinstance(e, AlarmAcknowledged)]) == 1
    assert await fx.service.unacknowledged_count() == 0


async def test_unknown_ids_plain_events_and_blank_names_are_refused(fx: Fixture) -> None:
    info = await fx.log_event("station.boot", Severity.INFO)
    fault = await fx.log_event("connector.fault", Severity.ALARM)
    with pytest.raises(NotFound, match="no alarm number 9999"):
        await fx.service.acknowledge(9999, "alice")
    with pytest.raises(NotFound, match="not an alarm"):
        await fx.service.acknowledge(info, "alice")
    with pytest.raises(InvalidInput, match="operator name"):
        await fx.service.acknowledge(fault, "   ")
    assert await fx.service.unacknowledged_count() == 1


async def test_acknowledge_all_of_one_station(fx: Fixture) -> None:
    await fx.log_event("connector.fault", Severity.ALARM, station="CP-1")
    await fx.log_event("station.pending", Severity.WARNING, station="CP-1")
    other = await fx.log_event("connector.fault", Severity.ALARM, station="CP-2")
    assert await fx.service.acknowledge_station("CP-1", "alice", kinds={"station.pending"}) == 1
    assert await fx.service.acknowledge_station("CP-1", "alice") == 1
    assert await fx.service.acknowledge_station("CP-1", "alice") == 0
    assert await fx.service.unacknowledged_count() == 1
    assert await fx.service.unacknowledged_count("CP-2") == 1
    remaining = await fx.service.find(AlarmFilter(include_acknowledged=False))
    assert [a.event_id for a in remaining] == [other]


async def test_event_log_filters_searches_and_pages(fx: Fixture) -> None:
    for i in range(25):
        await fx.log_event("station.boot", Severity.INFO, station=f"CP-{i % 3}")
    await fx.log_event(
        "connector.fault", Severity.ALARM, station="CP-9", message="CP-9 connector 1: GroundFailure"
    )
    page = await fx.service.events(EventQuery(limit=10))
    assert (page.total, len(page.records), page.pages, page.page) == (26, 10, 3, 1)
    assert page.has_next
    assert not page.has_previous
    last = await fx.service.events(EventQuery(limit=10, offset=20))
    assert (len(last.records), last.page, last.has_next) == (6, 3, False)
    assert [
        r.kind for r in (await fx.service.events(EventQuery(severity=Severity.ALARM))).records
    ] == ["connector.fault"]
    assert (await fx.service.events(EventQuery(station_id="CP-1"))).total == 8
    found = await fx.service.events(EventQuery(text="groundfail"))
    assert [r.station_id for r in found.records] == ["CP-9"]
    assert (await fx.service.events(EventQuery(text="100%"))).total == 0
    assert (await fx.service.events(EventQuery(kind="station.boot", text="cp-2"))).total == 8
    assert await fx.service.event_kinds() == ["connector.fault", "station.boot"]
    with pytest.raises(InvalidInput):
        await fx.service.events(EventQuery(limit=0))


async def test_last_known_address_of_a_station(fx: Fixture) -> None:
    await fx.log_event("station.connected", Severity.INFO, data={"remote_address": "10.0.0.5"})
    await fx.log_event("station.pending", Severity.WARNING, data={"remote_address": "10.0.0.7"})
    assert await fx.service.last_addresses(["CP-1", "CP-X"]) == {"CP-1": "10.0.0.7"}
