"""Steps shared by the OCPP 1.6 conformance tests: the charger's side of each case.

A test plays the charger with RawCharger frame by frame and drives the central
system through its public services, then asserts the frames and what was stored.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.bootstrap import Engine
from app.domain import commands as c
from app.domain.model import CommandRecord, ConnectorStatus, EventRecord, IdTag, IdTagStatus
from app.store.repositories import SqlCommandLog, SqlEventLog
from tests.fakes.raw_charger import RawCharger

NO_ERROR = "NoError"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def ago(minutes: float) -> datetime:
    """A whole-second UTC time in the past (stored times compare equal to it)."""
    return (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0)


def ahead(minutes: float) -> datetime:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).replace(microsecond=0)


async def booted(url: str, station_id: str, connectors: int = 1) -> RawCharger:
    """Connect, boot (must be Accepted) and report connector 0..N Available."""
    cp = await RawCharger.connect(url, station_id)
    boot = await cp.boot()
    assert boot["status"] == "Accepted", boot
    for connector in range(connectors + 1):
        await status(cp, connector, "Available")
    return cp


async def status(
    cp: RawCharger, connector: int, state: str, error: str = NO_ERROR, **extra: Any
) -> None:
    answer = await cp.ok(
        "StatusNotification",
        {"connectorId": connector, "status": state, "errorCode": error, **extra},
    )
    assert answer == {}


async def authorize(cp: RawCharger, id_tag: str) -> dict[str, Any]:
    answer = await cp.ok("Authorize", {"idTag": id_tag})
    info: dict[str, Any] = answer["idTagInfo"]
    return info


async def start(
    cp: RawCharger,
    id_tag: str,
    *,
    connector: int = 1,
    meter: int = 1000,
    at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """StartTransaction; the answer must carry a positive transactionId and idTagInfo."""
    answer = await cp.ok(
        "StartTransaction",
        {
            "connectorId": connector,
            "idTag": id_tag,
            "meterStart": meter,
            "timestamp": iso(at or ago(0)),
            **extra,
        },
    )
    assert isinstance(answer["transactionId"], int)
    assert answer["transactionId"] > 0
    assert "status" in answer["idTagInfo"]
    return answer


async def stop(
    cp: RawCharger,
    transaction_id: int,
    *,
    meter: int = 5000,
    at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return await cp.ok(
        "StopTransaction",
        {
            "transactionId": transaction_id,
            "meterStop": meter,
            "timestamp": iso(at or ago(0)),
            **extra,
        },
    )


async def add_tag(
    engine: Engine,
    id_tag: str,
    state: IdTagStatus = IdTagStatus.ACCEPTED,
    *,
    expiry: datetime | None = None,
    parent: str | None = None,
) -> None:
    await engine.services.authorization.add_tag(IdTag(id_tag, state, expiry, parent))


async def operate(
    engine: Engine,
    cp: RawCharger,
    station_id: str,
    command: c.StationCommand,
    answer: dict[str, Any],
) -> tuple[list[Any], c.CommandResult]:
    """Send a command, check it reached the charger, answer it; return frame and result."""
    task = asyncio.create_task(engine.services.commands.send(station_id, command))
    call = await cp.next_call()
    await cp.reply(call, answer)
    return call, await task


async def operate_refused(
    engine: Engine,
    cp: RawCharger,
    station_id: str,
    command: c.StationCommand,
    answer: dict[str, Any],
    error: type[Exception],
) -> tuple[list[Any], Exception]:
    """Like operate, for an answer the command service must raise as `error`."""
    task = asyncio.create_task(engine.services.commands.send(station_id, command))
    call = await cp.next_call()
    await cp.reply(call, answer)
    with pytest.raises(error) as caught:
        await task
    return call, caught.value


async def last_command(engine: Engine, station_id: str) -> CommandRecord:
    records = await SqlCommandLog(engine.db).recent(station_id=station_id, limit=1)
    assert records, "nothing in the command log"
    return records[0]


async def events_of(engine: Engine, station_id: str, kind: str) -> list[EventRecord]:
    records = await SqlEventLog(engine.db).recent(station_id=station_id, limit=500)
    return [r for r in records if r.kind == kind]


async def connector_status(engine: Engine, station_id: str, connector: int) -> ConnectorStatus:
    states = {
        s.connector_id: s.status for s in await engine.services.stations.connectors(station_id)
    }
    return states[connector]


async def nothing_sent(cp: RawCharger) -> None:
    """The charger received no CALL (give the loop a moment to deliver one)."""
    await asyncio.sleep(0.05)
    assert cp.incoming_calls.empty(), cp.incoming_calls.get_nowait()
