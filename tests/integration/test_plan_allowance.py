"""A subscriber charging for real: the month's included energy is used up across sessions,
then the plan price applies, and the month's statement adds up to what was charged."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert

from app.bootstrap import Engine
from app.cli.main import main
from app.config import Settings
from app.domain.statements import BOM, statement_csv
from app.domain.subscriptions import Month, Plan
from app.domain.tariffs import Tariff
from app.store.schema import drivers, id_tags
from tests.fakes.raw_charger import RawCharger

# Wednesdays in November 2026, 11:00 in Stockholm.
FIRST = datetime(2026, 11, 4, 10, tzinfo=UTC)
STANDARD = Tariff("Standard", energy_per_kwh_minor=345)
# 10 kWh a month included, then 2.00 SEK/kWh; 300 SEK a month.
COMMUTER = Plan("Commuter", 30_000, included_wh=10_000, price_per_kwh_minor=200)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(api_enabled=False, site_time_zone="Europe/Stockholm")


async def charge(engine: Engine, cp: RawCharger, start: datetime, meter: int, kwh: int) -> int:
    """One session of `kwh` on connector 1, an hour long, priced before the next one
    (as it would be: a driver's sessions are hours apart)."""
    answer = await cp.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": "ANNA-1", "meterStart": meter, "timestamp": iso(start)},
    )
    transaction_id: int = answer["transactionId"]
    await cp.ok(
        "StopTransaction",
        {
            "transactionId": transaction_id,
            "meterStop": meter + kwh * 1000,
            "timestamp": iso(start + timedelta(hours=1)),
        },
    )
    await engine.services.session_pricing.settled()
    return transaction_id


async def start_charging(cp: RawCharger, start: datetime, meter: int, kwh_so_far: int) -> int:
    answer = await cp.ok(
        "StartTransaction",
        {"connectorId": 2, "idTag": "ANNA-1", "meterStart": meter, "timestamp": iso(start)},
    )
    transaction_id: int = answer["transactionId"]
    reading = {"value": str(meter + kwh_so_far * 1000)}
    await cp.ok(
        "MeterValues",
        {
            "connectorId": 2,
            "transactionId": transaction_id,
            "meterValue": [
                {"timestamp": iso(start + timedelta(minutes=30)), "sampledValue": [reading]}
            ],
        },
    )
    return transaction_id


async def test_included_energy_is_used_across_sessions_then_the_plan_price_applies(
    engine: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def register(conn: Connection) -> int:
        added = conn.execute(
            insert(drivers).values(name="Anna Berg", created_at=FIRST, updated_at=FIRST)
        )
        assert added.inserted_primary_key is not None
        driver_id = int(added.inserted_primary_key[0])
        conn.execute(
            insert(id_tags).values(id_tag="ANNA-1", status="Accepted", driver_id=driver_id)
        )
        return driver_id

    driver = await engine.db.write(register)
    services = engine.services
    await services.tariffs.assign((await services.tariffs.create(STANDARD)).id)
    plan = await services.subscriptions.create_plan(COMMUTER)
    await services.subscriptions.subscribe(driver, plan.id, date(2026, 11, 1))

    cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", "CP-1")
    await cp.boot()
    sessions = [
        await charge(engine, cp, FIRST, 0, 6),  # 6 of 10 kWh included: free
        await charge(engine, cp, FIRST + timedelta(days=1), 6_000, 8),  # 4 included, 4 at 2.00
        await charge(engine, cp, FIRST + timedelta(days=2), 14_000, 5),  # 5 at 2.00
    ]
    still_charging = await start_charging(cp, FIRST + timedelta(days=3), 19_000, kwh_so_far=2)
    await cp.close()
    await services.session_pricing.settled()
    prices = []
    for transaction_id in sessions:
        priced = await services.session_pricing.price_of(transaction_id)
        assert priced is not None
        assert priced.price is not None
        prices.append((priced.price.included_wh_used, priced.price.total_minor))
    assert prices == [(6_000, 0), (4_000, 800), (0, 1_000)]
    usage = await services.subscriptions.usage(driver, Month(2026, 11))
    assert (usage.sessions, usage.included_wh_used, usage.remaining_wh) == (4, 10_000, 0)

    statement = await services.subscriptions.statement(driver, 2026, 11)
    # The one still charging at its price so far: 2 kWh at the plan price.
    assert [row.amount_minor for row in statement.sessions] == [0, 800, 1_000, 400]
    assert [row.final for row in statement.sessions] == [True, True, True, False]
    assert statement.sessions[-1].transaction_id == still_charging
    assert statement.provisional
    assert statement.included_wh == 10_000
    assert statement.energy_wh == 21_000
    assert statement.fees_minor == 30_000
    assert statement.total_minor == 0 + 800 + 1_000 + 400 + 30_000
    parsed = list(csv.DictReader(io.StringIO(statement_csv(statement).removeprefix(BOM))))
    assert parsed[-1]["amount"] == "322.00"
    assert parsed[-1]["description"] == "Total (provisional)"

    pdf = tmp_path / "anna.pdf"
    code = await asyncio.to_thread(
        main,
        [
            "statement",
            "Anna Berg",
            "--month",
            "2026-11",
            "--json",
            "--pdf",
            str(pdf),
            "--db",
            db_url,
        ],
    )
    assert code == 0
    # Offline too, the session still charging counts at its price so far.
    shown = json.loads(capsys.readouterr().out)
    assert (shown["charging_minor"], shown["provisional"]) == (2_200, True)
    assert pdf.read_bytes().startswith(b"%PDF")


async def test_two_sessions_started_together_never_share_the_same_included_energy(
    engine: Engine,
) -> None:
    def register(conn: Connection) -> int:
        added = conn.execute(
            insert(drivers).values(name="Bo Ek", created_at=FIRST, updated_at=FIRST)
        )
        assert added.inserted_primary_key is not None
        driver_id = int(added.inserted_primary_key[0])
        conn.execute(
            insert(id_tags).values(
                id_tag="ANNA-1", status="Accepted", driver_id=driver_id, max_concurrent=2
            )
        )
        return driver_id

    driver = await engine.db.write(register)
    services = engine.services
    await services.tariffs.assign((await services.tariffs.create(STANDARD)).id)
    plan = await services.subscriptions.create_plan(COMMUTER)
    await services.subscriptions.subscribe(driver, plan.id, date(2026, 11, 1))
    cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", "CP-1")
    await cp.boot()
    # Both cars plugged in the same second; neither session's terms are taken yet
    # when the second starts.
    started = await asyncio.gather(
        *(
            cp.ok(
                "StartTransaction",
                {"connectorId": c, "idTag": "ANNA-1", "meterStart": 0, "timestamp": iso(FIRST)},
            )
            for c in (1, 2)
        )
    )
    for answer in started:
        await cp.ok(
            "StopTransaction",
            {
                "transactionId": answer["transactionId"],
                "meterStop": 8_000,
                "timestamp": iso(FIRST + timedelta(hours=1)),
            },
        )
    await cp.close()
    await services.session_pricing.settled()
    used = []
    for answer in started:
        priced = await services.session_pricing.price_of(answer["transactionId"])
        assert priced is not None
        assert priced.price is not None
        used.append(priced.price.included_wh_used)
    # 10 kWh are included in the month: 16 kWh charged may use them once, not twice.
    assert sum(used) <= COMMUTER.included_wh
    assert max(used) == 8_000
