"""Every charging session priced: terms fixed at its start, live while charging, final at stop."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, delete, insert, select

from app.bootstrap import Engine
from app.config import Settings
from app.domain.events import DomainEvent, SessionPriced
from app.domain.pricing import price_session
from app.domain.session_price import LineKind
from app.domain.subscriptions import Plan
from app.domain.tariffs import Tariff
from app.store.repositories.logs import SqlEventLog
from app.store.schema import drivers, fleets, id_tags, session_charges
from tests.fakes.raw_charger import RawCharger

# A Wednesday, outside any band: 3.45 SEK/kWh and a 5 SEK start fee.
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
STANDARD = Tariff("Standard", energy_per_kwh_minor=345, start_fee_minor=500)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(api_enabled=False, site_time_zone="Europe/Stockholm")


async def charger(engine: Engine, station_id: str = "CP-1") -> RawCharger:
    cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", station_id)
    await cp.boot()
    return cp


async def start(cp: RawCharger, at: datetime, meter: int = 1000, tag: str = "TAG-1") -> int:
    answer = await cp.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": tag, "meterStart": meter, "timestamp": iso(at)},
    )
    transaction_id: int = answer["transactionId"]
    return transaction_id


async def reading(cp: RawCharger, transaction_id: int, at: datetime, wh: int) -> None:
    await cp.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": transaction_id,
            "meterValue": [{"timestamp": iso(at), "sampledValue": [{"value": str(wh)}]}],
        },
    )


async def stop(cp: RawCharger, transaction_id: int, at: datetime, meter: int) -> None:
    await cp.ok(
        "StopTransaction",
        {"transactionId": transaction_id, "meterStop": meter, "timestamp": iso(at)},
    )


async def stored_row(engine: Engine, transaction_id: int) -> dict[str, Any]:
    def op(conn: Connection) -> dict[str, Any]:
        query = select(session_charges).where(session_charges.c.transaction_id == transaction_id)
        return dict(conn.execute(query).one()._mapping)

    return await engine.db.read(op)


async def test_a_session_is_priced_at_its_stop_and_the_lines_are_stored(engine: Engine) -> None:
    priced: list[DomainEvent] = []
    engine.services.bus.subscribe(priced.append, SessionPriced)
    standard = await engine.services.tariffs.create(STANDARD)
    await engine.services.tariffs.assign(standard.id)
    cp = await charger(engine)
    tx = await start(cp, T0)
    await reading(cp, tx, T0 + timedelta(minutes=20), 11_000)
    await stop(cp, tx, T0 + timedelta(minutes=45), 23_000)
    await engine.services.session_pricing.settled()

    charge = await engine.services.session_pricing.price_of(tx)
    assert charge is not None
    assert charge.price is not None
    assert charge.price.final
    assert charge.price.total_minor == 500 + 22 * 345
    assert [(line.kind, line.amount_minor) for line in charge.price.lines] == [
        (LineKind.START_FEE, 500),
        (LineKind.ENERGY, 7590),
    ]
    assert charge.price.lines[1].label == "Energy 22.000 kWh × 3.45 SEK"
    row = await stored_row(engine, tx)
    assert (row["total_minor"], row["vat_minor"], row["energy_wh"], row["final"]) == (
        8090,
        1618,
        22_000,
        True,
    )
    assert row["lines"]["lines"][1]["amount_minor"] == 7590
    assert row["tariff_id"] == standard.id
    assert row["walk_in"], "TAG-1 is registered nowhere"
    assert [(e.transaction_id, e.total_minor) for e in priced if isinstance(e, SessionPriced)] == [
        (tx, 8090)
    ]
    await cp.close()


async def test_a_tariff_edited_while_a_session_charges_does_not_change_its_price(
    engine: Engine,
) -> None:
    tariffs = engine.services.tariffs
    standard = await tariffs.create(STANDARD)
    await tariffs.assign(standard.id)
    cp = await charger(engine)
    first = await start(cp, T0)
    await engine.services.session_pricing.settled()
    await tariffs.update(standard.id, Tariff("Standard", energy_per_kwh_minor=999))
    await stop(cp, first, T0 + timedelta(hours=1), 11_000)
    second = await start(cp, T0 + timedelta(hours=2), 11_000)
    await stop(cp, second, T0 + timedelta(hours=3), 21_000)
    await engine.services.session_pricing.settled()

    before = await engine.services.session_pricing.price_of(first)
    after = await engine.services.session_pricing.price_of(second)
    assert before is not None
    assert before.price is not None
    assert after is not None
    assert after.price is not None
    assert before.price.total_minor == 500 + 10 * 345, "the terms it started with"
    assert after.price.total_minor == 10 * 999, "the edited tariff, from then on"
    await cp.close()


async def test_the_live_price_grows_with_each_meter_reading(engine: Engine) -> None:
    standard = await engine.services.tariffs.create(STANDARD)
    await engine.services.tariffs.assign(standard.id)
    pricing = engine.services.session_pricing
    began = datetime.now(UTC) - timedelta(minutes=30)
    cp = await charger(engine)
    tx = await start(cp, began)
    await pricing.settled()
    totals = [(await pricing.live_prices([tx]))[tx].total_minor]
    for minutes, wh in ((10, 4_000), (20, 7_000)):
        await reading(cp, tx, began + timedelta(minutes=minutes), wh)
        totals.append((await pricing.live_prices([tx, 999]))[tx].total_minor)
    assert totals == [0, 500 + 3 * 345, 500 + 6 * 345]
    live = await pricing.price_of(tx)
    assert live is not None
    assert live.price is not None
    assert not live.price.final
    assert live.price.total_minor == totals[-1]
    await cp.close()


async def test_without_any_tariff_a_session_has_no_price_not_a_zero(engine: Engine) -> None:
    priced: list[DomainEvent] = []
    engine.services.bus.subscribe(priced.append, SessionPriced)
    pricing = engine.services.session_pricing
    cp = await charger(engine)
    tx = await start(cp, T0)
    await reading(cp, tx, T0 + timedelta(minutes=10), 3_000)
    await pricing.settled()
    assert await pricing.live_prices([tx]) == {}
    await stop(cp, tx, T0 + timedelta(minutes=20), 5_000)
    await pricing.settled()

    charge = await pricing.price_of(tx)
    assert charge is not None
    assert charge.snapshot.tariff is None
    assert charge.price is None
    row = await stored_row(engine, tx)
    assert (row["tariff_snapshot"], row["total_minor"], row["energy_wh"], row["final"]) == (
        None,
        None,
        4_000,
        True,
    )
    assert [(e.total_minor, e.currency) for e in priced if isinstance(e, SessionPriced)] == [
        (None, None)
    ]
    (record,) = await pricing.history_for_tags(["TAG-1"])
    assert (record.total_minor, record.currency, record.energy_wh) == (None, None, 4_000)
    await cp.close()


async def test_a_session_started_before_a_crash_gets_its_terms_on_restart(
    settings: Settings,
) -> None:
    edited = Tariff("Standard", energy_per_kwh_minor=400)
    async with Engine(settings) as engine:
        standard = await engine.services.tariffs.create(STANDARD)
        await engine.services.tariffs.assign(standard.id)
        cp = await charger(engine)
        tx = await start(cp, T0)
        await engine.services.session_pricing.settled()
        await cp.close()

        # As if ChargeDesk stopped between the start and its snapshot, and the
        # tariff changed before it came back.
        def forget(conn: Connection) -> None:
            conn.execute(delete(session_charges))

        await engine.db.write(forget)
        await engine.services.tariffs.update(standard.id, edited)
    async with Engine(settings) as engine:
        charge = await engine.services.session_pricing.price_of(tx)
        assert charge is not None
        assert charge.snapshot.tariff == edited, "the only terms there are"
        logged = [
            e for e in await SqlEventLog(engine.db).recent() if e.kind == "session.terms_taken_late"
        ]
        assert [e.message for e in logged] == [
            f"Transaction {tx} on CP-1 had no price terms from its start (ChargeDesk stopped "
            "before taking them); taken after a restart from the tariffs as they are now: "
            "'Standard'"
        ]
        cp = await charger(engine)
        await stop(cp, tx, T0 + timedelta(minutes=30), 3_000)
        await engine.services.session_pricing.settled()
        final = await engine.services.session_pricing.price_of(tx)
        assert final is not None
        assert final.price is not None
        assert final.price.total_minor == 2 * 400
        await cp.close()


async def test_a_stopped_session_left_unpriced_is_priced_at_start_up(settings: Settings) -> None:
    async with Engine(settings) as engine:
        standard = await engine.services.tariffs.create(STANDARD)
        await engine.services.tariffs.assign(standard.id)
        cp = await charger(engine)
        tx = await start(cp, T0)
        await engine.services.session_pricing.settled()
        # The engine stops before the price at stop is stored: no one listens any more.
        await engine.services.session_pricing.close()
        await stop(cp, tx, T0 + timedelta(minutes=30), 2_000)
        await cp.close()
        assert not (await stored_row(engine, tx))["final"]
    async with Engine(settings) as engine:
        row = await stored_row(engine, tx)
        assert (row["final"], row["total_minor"]) == (True, 500 + 345)


async def test_the_driver_fleet_and_plan_of_the_tag_are_fixed_with_the_session(
    engine: Engine,
) -> None:
    def register(conn: Connection) -> tuple[int, int]:
        fleet = conn.execute(insert(fleets).values(name="Vans", created_at=T0))
        assert fleet.inserted_primary_key is not None
        fleet_id = int(fleet.inserted_primary_key[0])
        driver = conn.execute(
            insert(drivers).values(name="Ada", fleet_id=fleet_id, created_at=T0, updated_at=T0)
        )
        assert driver.inserted_primary_key is not None
        driver_id = int(driver.inserted_primary_key[0])
        conn.execute(insert(id_tags).values(id_tag="ADA-1", status="Accepted", driver_id=driver_id))
        return fleet_id, driver_id

    fleet_id, driver_id = await engine.db.write(register)
    subscriptions = engine.services.subscriptions
    plan = await subscriptions.create_plan(Plan("Commuter", 9900, included_wh=5_000))
    await subscriptions.subscribe(driver_id, plan.id, date(2026, 11, 1))
    tariffs = engine.services.tariffs
    await tariffs.assign((await tariffs.create(STANDARD)).id)
    vans = await tariffs.create(Tariff("Vans", energy_per_kwh_minor=300))
    await tariffs.assign(vans.id, fleet_id=fleet_id)
    commuter = await tariffs.create(Tariff("Commuter", energy_per_kwh_minor=200))
    await tariffs.assign(commuter.id, plan_id=plan.id)

    cp = await charger(engine)
    tx = await start(cp, T0, tag="ada-1")
    await stop(cp, tx, T0 + timedelta(minutes=30), 9_000)
    await engine.services.session_pricing.settled()
    charge = await engine.services.session_pricing.price_of(tx)
    assert charge is not None
    snapshot = charge.snapshot
    assert (snapshot.driver_id, snapshot.fleet_id, snapshot.walk_in) == (driver_id, fleet_id, False)
    assert snapshot.tariff is not None
    assert snapshot.tariff.name == "Commuter", "the plan's tariff beats the fleet's"
    assert snapshot.plan is not None
    assert snapshot.plan.included_wh_remaining == 5_000
    assert charge.price is not None
    assert charge.price.included_wh_used == 5_000
    assert charge.price.total_minor == 3 * 200, "8 kWh, 5 of them included"
    (record,) = await engine.services.session_pricing.history_for_driver(driver_id)
    assert (record.transaction_id, record.total_minor, record.included_wh_used) == (tx, 600, 5_000)
    assert record.duration_seconds == 30 * 60
    await cp.close()


async def test_the_live_price_between_readings_is_the_price_at_that_moment(
    settings: Settings,
) -> None:
    """Also while an idle fee runs, though the price is only recomputed when it can change."""
    now = [T0]
    idle = Tariff("Idle", energy_per_kwh_minor=345, idle_per_minute_minor=10, idle_grace_minutes=5)
    flat = Tariff("Flat", energy_per_kwh_minor=345)
    async with Engine(settings, clock=lambda: now[0]) as engine:
        cps = {name: await charger(engine, name) for name in ("CP-IDLE", "CP-FLAT")}
        for name, tariff in (("CP-IDLE", idle), ("CP-FLAT", flat)):
            stored = await engine.services.tariffs.create(tariff)
            await engine.services.tariffs.assign(stored.id, station_id=name)
        txs = {name: await start(cp, T0) for name, cp in cps.items()}
        for name, cp in cps.items():
            await reading(cp, txs[name], T0 + timedelta(minutes=10), 5_000)
        await engine.services.session_pricing.settled()
        tariffs = {"CP-IDLE": idle, "CP-FLAT": flat}
        for minutes in (10, 12, 15, 16, 30, 31):
            now[0] = T0 + timedelta(minutes=minutes, seconds=30)
            live = await engine.services.session_pricing.live_prices(txs.values())
            for name, tx in txs.items():
                expected = price_session(
                    tariffs[name],
                    zone=ZoneInfo("Europe/Stockholm"),
                    started_at=T0,
                    meter_start_wh=1000,
                    readings=[(T0 + timedelta(minutes=10), 5_000.0)],
                    now=now[0],
                )
                assert live[tx].total_minor == expected.total_minor, (name, minutes)
        assert live[txs["CP-IDLE"]].total_minor == 4 * 345 + 165, "16.5 min idle after grace"
        for cp in cps.values():
            await cp.close()


async def test_a_session_its_charger_never_stopped_is_priced_when_the_next_one_starts(
    engine: Engine,
) -> None:
    standard = await engine.services.tariffs.create(STANDARD)
    await engine.services.tariffs.assign(standard.id)
    cp = await charger(engine)
    forgotten = await start(cp, T0)
    await reading(cp, forgotten, T0 + timedelta(minutes=20), 5_000)
    await start(cp, T0 + timedelta(hours=1), 5_000, tag="TAG-2")
    await engine.services.session_pricing.settled()
    row = await stored_row(engine, forgotten)
    assert (row["final"], row["total_minor"]) == (True, 500 + 4 * 345), "up to its last reading"
    await cp.close()
