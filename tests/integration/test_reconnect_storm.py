"""Reconnect storm, CI-sized: 100 registered chargers drop off together and all come
back within one second; every one is online, booted and its status known, and nothing
is duplicated. The heavy version (1,000 chargers, server in its own process) is
bench/reconnect_storm.py; this runs the same code against an in-process engine."""

from __future__ import annotations

from pathlib import Path

from app.bootstrap import Engine
from app.domain.model import ConnectorStatus
from bench.reconnect_storm import close_all, database_counts, problems, register, storm
from tests.fakes.waiting import until

CHARGERS = 100


async def test_a_hundred_chargers_reconnecting_within_a_second_are_all_back(
    engine: Engine, ocpp_url: str, db_url: str
) -> None:
    ids = [f"STORM-{n:03d}" for n in range(CHARGERS)]
    await register(ocpp_url, ids)
    stations = engine.services.stations
    await until(lambda: not stations.connected_ids(), timeout=30)

    result, sockets = await storm(ocpp_url, ids, spread=1.0)
    try:
        assert result.failures == 0, result.first_error
        assert result.booted == CHARGERS
        # The engine knows every one of them as connected, with its connector's new status.
        assert sorted(stations.connected_ids()) == ids
        connectors = {c.station_id: c for c in await stations.connectors()}
        assert all(connectors[i].status is ConnectorStatus.PREPARING for i in ids)
        result.db = database_counts(Path(db_url.removeprefix("sqlite:///")), "STORM-")
        assert problems(result) == [], result.db
        # Exactly one connection and one boot per charger and phase: no duplicates.
        assert result.db["station.connected total"] == 2 * CHARGERS
        assert result.db["station.boot total"] == 2 * CHARGERS
    finally:
        await close_all(sockets)
