"""Setting up drivers and priced sessions in a real store for the subscription tests.

Drivers and sessions are written as rows, as the access service and the session
pricing store them, so these tests depend on nothing but the schema.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, insert, select

from app.domain.tariffs import PlanTerms, Tariff
from app.store.database import Database
from app.store.schema import drivers, fleets, session_charges, sites, stations, transactions

STANDARD = Tariff("Standard", energy_per_kwh_minor=300)


async def add_driver(db: Database, name: str, fleet: str | None = None) -> int:
    def op(conn: Connection) -> int:
        now = datetime.now(UTC)
        fleet_id = None
        if fleet is not None:
            fleet_id = conn.scalar(select(fleets.c.id).where(fleets.c.name == fleet))
            if fleet_id is None:
                added = conn.execute(insert(fleets).values(name=fleet, note="", created_at=now))
                assert added.inserted_primary_key is not None
                fleet_id = added.inserted_primary_key[0]
        key = conn.execute(
            insert(drivers).values(
                name=name, fleet_id=fleet_id, created_at=now, updated_at=now, active=True
            )
        ).inserted_primary_key
        assert key is not None
        return int(key[0])

    return await db.write(op)


async def add_site(db: Database, name: str) -> int:
    def op(conn: Connection) -> int:
        key = conn.execute(
            insert(sites).values(name=name, level="", sort_order=0, created_at=datetime.now(UTC))
        ).inserted_primary_key
        assert key is not None
        return int(key[0])

    return await db.write(op)


async def add_priced_session(
    db: Database,
    driver_id: int,
    started_at: datetime,
    *,
    minutes: int | None = 60,
    energy_wh: int = 10_000,
    total_minor: int = 3_000,
    vat_minor: int = 600,
    included_wh: int = 0,
    subscription_id: int | None = None,
    station_id: str = "CP-1",
    priced: bool = True,
    plan_left_wh: int | None = None,
) -> int:
    """A session as the pricing stores it: final once stopped and `priced`.

    `plan_left_wh`: the allowance left when it started (its plan snapshot).
    """

    def op(conn: Connection) -> int:
        now = datetime.now(UTC)
        if conn.scalar(select(stations.c.id).where(stations.c.id == station_id)) is None:
            conn.execute(
                insert(stations).values(id=station_id, admission="Accepted", created_at=now)
            )
        stopped = None if minutes is None else started_at + timedelta(minutes=minutes)
        key = conn.execute(
            insert(transactions).values(
                station_id=station_id,
                connector_id=1,
                id_tag="TAG",
                id_tag_status="Accepted",
                meter_start=0,
                started_at=started_at,
                state="open" if stopped is None else "closed",
                meter_stop=None if stopped is None else energy_wh,
                stopped_at=stopped,
                created_at=now,
            )
        ).inserted_primary_key
        assert key is not None
        conn.execute(
            insert(session_charges).values(
                transaction_id=key[0],
                tariff_snapshot=STANDARD.to_dict(),
                driver_id=driver_id,
                subscription_id=subscription_id,
                currency="SEK",
                total_minor=total_minor,
                vat_minor=vat_minor,
                energy_wh=energy_wh,
                included_wh_used=included_wh,
                final=stopped is not None and priced,
                plan_snapshot=None
                if plan_left_wh is None
                else PlanTerms(included_wh_remaining=plan_left_wh).to_dict(),
                priced_at=now,
            )
        )
        return int(key[0])

    return await db.write(op)
