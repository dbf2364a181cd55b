"""The same engine on PostgreSQL: the path for sites that outgrow one PC."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.model import TransactionState
from app.store import migrate
from tests.fakes.postgres import empty_schema, find_binaries, postgres_server
from tests.fakes.raw_charger import RawCharger

if find_binaries() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the PostgreSQL tests: install postgresql")
    pytest.skip("PostgreSQL is not installed here", allow_module_level=True)


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A clean schema for each test."""
    return empty_schema(pg_server)


def test_migrations_build_the_schema_on_postgres(pg_url: str) -> None:
    migrate.upgrade(pg_url)
    assert migrate.current_revision(pg_url) == migrate.head_revision()


async def test_a_charging_session_is_stored_on_postgres(pg_url: str, settings: Settings) -> None:
    async with Engine(settings.with_overrides(db_url=pg_url)) as engine:
        cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", "PG-1")
        assert (await cp.boot())["status"] == "Accepted"
        await cp.ok(
            "StatusNotification",
            {
                "connectorId": 1,
                "status": "Charging",
                "errorCode": "NoError",
                "timestamp": "2026-05-01T06:00:00+02:00",
            },
        )
        start = await cp.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "T",
                "meterStart": 10,
                "timestamp": "2026-05-01T06:00:00+02:00",
            },
        )
        tx_id = start["transactionId"]
        again = await cp.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": "T", "meterStart": 10, "timestamp": "2026-05-01T04:00:00Z"},
        )
        assert again["transactionId"] == tx_id  # same instant, other offset: same transaction
        await asyncio.gather(
            *(
                cp.ok(
                    "MeterValues",
                    {
                        "connectorId": 1,
                        "transactionId": tx_id,
                        "meterValue": [
                            {
                                "timestamp": f"2026-05-01T04:{m:02d}:00Z",
                                "sampledValue": [{"value": str(10 + m * 100), "unit": "Wh"}],
                            }
                        ],
                    },
                )
                for m in range(1, 6)
            )
        )
        await cp.ok(
            "StopTransaction",
            {"transactionId": tx_id, "meterStop": 610, "timestamp": "2026-05-01T04:06:00Z"},
        )
        await cp.close()
        tx = await engine.services.transactions.get(tx_id)
        assert tx is not None
        assert tx.state is TransactionState.CLOSED
        assert tx.energy_wh == 600
        assert tx.started_at.isoformat() == "2026-05-01T04:00:00+00:00"
        assert len(await engine.services.transactions.samples(tx_id)) == 5
        [connector] = await engine.services.stations.connectors("PG-1")
        assert connector.since is not None
        assert connector.since.isoformat() == "2026-05-01T04:00:00+00:00"


async def test_history_series_are_the_same_on_postgres(pg_url: str, settings: Settings) -> None:
    from tests.unit import test_history_service as history

    async with Engine(settings.with_overrides(db_url=pg_url)) as engine:
        await history.build_site(engine.services)
        await history.check_power(engine.services)
        await history.check_energy(engine.services)
        await history.check_usage(engine.services)
