"""Online/offline detection and transactions whose charger went quiet."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.events import DomainEvent, StationWentOffline, TransactionStopped
from app.domain.model import TransactionState
from app.store.repositories import SqlEventLog
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until


@pytest.fixture
async def quick_engine(settings: Settings) -> AsyncIterator[Engine]:
    fast = settings.with_overrides(
        heartbeat_interval=1,
        offline_after_intervals=2.0,
        supervise_every=0.2,
        suspect_transaction_after=0.3,
    )
    async with Engine(fast) as running:
        yield running


def collect(engine: Engine) -> list[DomainEvent]:
    seen: list[DomainEvent] = []
    engine.services.bus.subscribe(seen.append)
    return seen


async def test_station_is_offline_the_moment_its_websocket_closes(engine: Engine) -> None:
    seen = collect(engine)
    cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", "CP-CLOSE")
    await cp.boot()
    assert (await engine.services.stations.get("CP-CLOSE")).connected
    await cp.close()
    await until(lambda: any(isinstance(e, StationWentOffline) for e in seen), 2.0)
    station = await engine.services.stations.get("CP-CLOSE")
    assert not station.connected


async def test_silent_station_goes_offline_after_twice_its_heartbeat(
    quick_engine: Engine,
) -> None:
    seen = collect(quick_engine)
    cp = await RawCharger.connect(f"ws://127.0.0.1:{quick_engine.port}/ocpp", "CP-QUIET")
    assert (await cp.boot())["interval"] == 1
    loop = asyncio.get_running_loop()
    started = loop.time()
    await until(lambda: any(isinstance(e, StationWentOffline) for e in seen))
    assert loop.time() - started >= 2.0
    # The server also closed the dead link, so the charger will reconnect.
    await until(lambda: cp.ws.close_code is not None)

    async def disconnect_logged() -> bool:
        events = await SqlEventLog(quick_engine.db).recent(station_id="CP-QUIET")
        return any(e.kind == "station.disconnected" for e in events)

    # The log entry is written by the server's close handler, which may finish
    # after the charger has already seen its socket close.
    await until(disconnect_logged)


async def test_messages_and_websocket_pings_both_count_as_life(quick_engine: Engine) -> None:
    seen = collect(quick_engine)
    url = f"ws://127.0.0.1:{quick_engine.port}/ocpp"
    talker = await RawCharger.connect(url, "CP-TALKS")
    pinger = await RawCharger.connect(url, "CP-PINGS")
    await talker.boot()
    await pinger.boot()
    for _ in range(8):  # 4 s: twice the offline limit
        await talker.ok(
            "StatusNotification", {"connectorId": 0, "status": "Available", "errorCode": "NoError"}
        )
        await pinger.ws.ping()
        await asyncio.sleep(0.5)
    assert not [e for e in seen if isinstance(e, StationWentOffline)]
    assert talker.ws.close_code is None
    assert pinger.ws.close_code is None
    await talker.close()
    await pinger.close()


async def test_quiet_open_transaction_is_flagged_then_reconciled(quick_engine: Engine) -> None:
    seen = collect(quick_engine)
    url = f"ws://127.0.0.1:{quick_engine.port}/ocpp"
    cp = await RawCharger.connect(url, "CP-LOST")
    await cp.boot()
    tx_id = (
        await cp.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "T1",
                "meterStart": 1000,
                "timestamp": "2026-02-01T10:00:00Z",
            },
        )
    )["transactionId"]
    await cp.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": tx_id,
            "meterValue": [
                {
                    "timestamp": "2026-02-01T10:30:00Z",
                    "sampledValue": [{"value": "4000", "unit": "Wh"}],
                }
            ],
        },
    )
    await cp.close()  # the charger vanishes mid-session

    async def suspect() -> bool:
        tx = await quick_engine.services.transactions.get(tx_id)
        return tx is not None and tx.state is TransactionState.SUSPECT

    async def flagged_in_the_log() -> bool:
        # Marked first, then logged: wait for the log entry, not only the state.
        events = await SqlEventLog(quick_engine.db).recent(station_id="CP-LOST")
        return any(e.kind == "transaction.suspect" for e in events)

    await until(suspect)
    await until(flagged_in_the_log)

    # It comes back and says the connector is free: closed from the last reading.
    cp = await RawCharger.connect(url, "CP-LOST")
    await cp.boot()
    await cp.ok(
        "StatusNotification", {"connectorId": 1, "status": "Available", "errorCode": "NoError"}
    )
    tx = await quick_engine.services.transactions.get(tx_id)
    assert tx is not None
    assert (tx.state, tx.meter_stop, tx.closed_by) == (TransactionState.CLOSED, 4000, "reconciled")
    assert any(isinstance(e, TransactionStopped) and e.transaction_id == tx_id for e in seen)

    # If its queued StopTransaction turns up after all, the charger's account wins.
    await cp.ok(
        "StopTransaction",
        {
            "transactionId": tx_id,
            "meterStop": 4200,
            "timestamp": "2026-02-01T10:40:00Z",
            "reason": "PowerLoss",
        },
    )
    tx = await quick_engine.services.transactions.get(tx_id)
    assert tx is not None
    assert (tx.meter_stop, tx.stop_reason, tx.closed_by) == (4200, "PowerLoss", "station")
    await cp.close()


async def test_when_each_station_was_last_heard_is_stored(engine: Engine) -> None:
    url = f"ws://127.0.0.1:{engine.port}/ocpp"
    chargers = [await RawCharger.connect(url, f"CP-SEEN-{n}") for n in range(3)]
    for cp in chargers:
        await cp.boot()
    await engine.services.stations.flush_last_seen()
    for n in range(3):
        station = await engine.services.stations.get(f"CP-SEEN-{n}")
        assert station.last_seen_at is not None
    for cp in chargers:
        await cp.close()
