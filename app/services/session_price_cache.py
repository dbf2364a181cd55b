"""A session's price from its snapshot and readings: final, live, and live kept cheap.

The live price of an open session is asked for about once a second per session on
screen. `LiveSession.live_price` recomputes it only when a register reading arrived
or an idle fee is running; by the rules of app/domain/pricing.py energy and charging
time change only with readings, and only the idle fee (after its grace period) grows
with time alone. Otherwise the last price is handed out again: the amount is the
same, and its `as_of` says when it was computed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from app.domain.model import Transaction, TransactionState
from app.domain.pricing import price_session
from app.domain.session_charges import ChargeSnapshot, SessionCharge
from app.domain.session_price import SessionPrice

log = logging.getLogger(__name__)

Readings = list[tuple[datetime, float]]


@dataclass(slots=True)
class LiveSession:
    """An open session as the live price needs it (engine loop only)."""

    transaction_id: int
    station_id: str
    connector_id: int
    started_at: datetime
    meter_start: int
    charge: SessionCharge | None = None  # None until the snapshot is stored
    readings: Readings = field(default_factory=list)
    # The last live price and how many readings it was made from.
    priced: tuple[int, SessionPrice] | None = None

    def live_price(self, zone: tzinfo, now: datetime) -> SessionPrice | None:
        """None while there is no snapshot yet, or when the session has no tariff."""
        charge = self.charge
        if charge is None or charge.snapshot.tariff is None:
            return None
        if self.priced is not None:
            count, price = self.priced
            if count == len(self.readings) and not grows_with_time(charge, price, now):
                return price
        price = price_session(
            charge.snapshot.tariff,
            zone=zone,
            started_at=self.started_at,
            meter_start_wh=self.meter_start,
            readings=self.readings,
            now=now,
            plan=charge.snapshot.plan,
        )
        self.priced = (len(self.readings), price)
        return price


def grows_with_time(charge: SessionCharge, price: SessionPrice, now: datetime) -> bool:
    """Whether the live price may have changed since `price` with no new reading: only
    an idle fee does, once the grace period after the last rise of the register is over."""
    tariff = charge.snapshot.tariff
    if tariff is None or not tariff.idle_per_minute_minor or not price.energy_wh:
        return False
    last_rise = price.as_of - timedelta(seconds=price.idle_seconds)
    # A second's margin for the rounding of idle_seconds.
    return now >= last_rise + timedelta(minutes=tariff.idle_grace_minutes, seconds=-1)


def session_price(
    snapshot: ChargeSnapshot, tx: Transaction, readings: Readings, zone: tzinfo, now: datetime
) -> SessionPrice | None:
    """Final for a closed session, live (as of `now`) for an open one; None: no tariff."""
    if snapshot.tariff is None:
        return None
    if tx.state is not TransactionState.CLOSED or tx.stopped_at is None:
        return price_session(
            snapshot.tariff,
            zone=zone,
            started_at=tx.started_at,
            meter_start_wh=tx.meter_start,
            readings=readings,
            now=now,
            plan=snapshot.plan,
        )
    stopped_at = tx.stopped_at
    if stopped_at < tx.started_at:
        # A station clock that jumped back: pricing refuses a negative duration.
        log.warning(
            "transaction %d stopped (%s) before it started (%s): priced as stopping at its start",
            tx.id,
            stopped_at.isoformat(),
            tx.started_at.isoformat(),
        )
        stopped_at = tx.started_at
    return price_session(
        snapshot.tariff,
        zone=zone,
        started_at=tx.started_at,
        meter_start_wh=tx.meter_start,
        readings=readings,
        stopped_at=stopped_at,
        meter_stop_wh=tx.meter_stop if tx.meter_stop is not None else tx.meter_start,
        plan=snapshot.plan,
    )
