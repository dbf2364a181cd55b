"""Ended walk-in sessions with a final price, written straight into the store: what the
payment desk finds awaiting payment, without charging a car for an hour first."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, insert

from app.domain.session_price import LineKind, PriceLine, QuantityUnit, SessionPrice
from app.domain.tariffs import Tariff
from app.store.database import Database
from app.store.schema import session_charges, stations, transactions


def walk_in_price(total: int, now: datetime) -> SessionPrice:
    vat = (total * 2500 + 6250) // 12500
    return SessionPrice(
        lines=(
            PriceLine(LineKind.START_FEE, "Start fee", 500),
            PriceLine(
                LineKind.ENERGY, "Energy", total - 500, Decimal("12.000"), QuantityUnit.KWH, 345
            ),
        ),
        total_minor=total,
        vat_minor=vat,
        net_minor=total - vat,
        vat_rate_bp=2500,
        currency="SEK",
        energy_wh=12000.0,
        charging_seconds=3600,
        idle_seconds=0,
        included_wh_used=0,
        final=True,
        as_of=now,
    )


async def insert_ended_walk_ins(
    db: Database, count: int, total: int, now: datetime, station_id: str = "CP-1"
) -> list[int]:
    def op(conn: Connection) -> list[int]:
        conn.execute(
            insert(stations).prefix_with("OR IGNORE"),
            {"id": station_id, "admission": "Accepted", "created_at": now},
        )
        ids = []
        for n in range(count):
            started = now - timedelta(hours=2, minutes=n)
            tx = conn.execute(
                insert(transactions).returning(transactions.c.id),
                {
                    "station_id": station_id,
                    "connector_id": 1,
                    "id_tag": f"WALK-{n}",
                    "id_tag_status": "Accepted",
                    "meter_start": 1000,
                    "started_at": started,
                    "state": "closed",
                    "meter_stop": 13000,
                    "stopped_at": started + timedelta(hours=1),
                    "created_at": started,
                },
            ).scalar_one()
            conn.execute(
                insert(session_charges),
                {
                    "transaction_id": tx,
                    "tariff_snapshot": Tariff("Walk-in", energy_per_kwh_minor=345).to_dict(),
                    "walk_in": True,
                    "currency": "SEK",
                    "total_minor": total,
                    "vat_minor": walk_in_price(total, now).vat_minor,
                    "energy_wh": 12000,
                    "lines": walk_in_price(total, now).to_dict(),
                    "final": True,
                    "priced_at": now,
                },
            )
            ids.append(int(tx))
        return ids

    return await db.write(op)
