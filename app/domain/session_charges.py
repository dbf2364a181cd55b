"""What a charging session costs, as the engine keeps it: the terms fixed at its start
and its price (live while it charges, final once it stopped).

A session with no tariff has no price (`ChargeSnapshot.tariff is None`): nothing is
invented, and screens say "no tariff" rather than showing 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain.metering import ENERGY_REGISTER
from app.domain.model import MeterSample, Transaction
from app.domain.session_price import SessionPrice
from app.domain.tariffs import PlanTerms, Tariff


@dataclass(frozen=True, slots=True)
class DriverPlan:
    """A driver's subscription as it applies to one session (from the subscriptions
    service): the plan decides the tariff override, the terms change the price."""

    subscription_id: int
    plan_id: int
    terms: PlanTerms


@dataclass(frozen=True, slots=True)
class ChargeSnapshot:
    """Fixed when the session starts and never changed afterwards.

    `driver_id`/`fleet_id` are whoever held the tag then (a tag given to someone
    else later does not move the session); `walk_in` is a tag ChargeDesk did not
    know. `tariff_id` names the stored tariff the snapshot came from (None with no
    tariff); `tariff` is that tariff as it was.
    """

    transaction_id: int
    tariff_id: int | None
    tariff: Tariff | None
    driver_id: int | None = None
    fleet_id: int | None = None
    subscription_id: int | None = None
    plan: PlanTerms | None = None
    walk_in: bool = False


@dataclass(frozen=True, slots=True)
class SessionCharge:
    """A session's terms and price. `price` is None when the session has no tariff;
    otherwise it is final (stored at stop) or live (what it would cost if it stopped
    at `price.as_of`)."""

    snapshot: ChargeSnapshot
    price: SessionPrice | None

    @property
    def transaction_id(self) -> int:
        return self.snapshot.transaction_id


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One line of a driver's or a tag's charging history.

    `stopped_at` is None while the session is open (then the cost is the live one
    and `final` is False). The cost fields are None when the session has no price:
    no tariff applied, or it ran before ChargeDesk priced sessions.
    """

    transaction_id: int
    station_id: str
    connector_id: int
    id_tag: str
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: int | None
    driver_id: int | None
    fleet_id: int | None
    subscription_id: int | None
    walk_in: bool
    tariff_name: str | None
    currency: str | None
    total_minor: int | None
    vat_minor: int | None
    included_wh_used: int
    final: bool

    @property
    def duration_seconds(self) -> int | None:
        if self.stopped_at is None:
            return None
        return max(0, round((self.stopped_at - self.started_at).total_seconds()))


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """Who and where as a session starts: what decides its tariff. `walk_in`: the tag is
    not registered in ChargeDesk."""

    site_id: int | None
    driver_id: int | None
    fleet_id: int | None
    walk_in: bool


@dataclass(frozen=True, slots=True)
class OpenSession:
    """An open transaction with its terms (None: not taken yet) and register readings."""

    transaction: Transaction
    charge: SessionCharge | None
    readings: list[tuple[datetime, float]]


def is_register_reading(sample: MeterSample) -> bool:
    """The samples a price is made of: the whole meter's active import register, in Wh
    (no phase, at the outlet), as the graphs and the transaction's last reading use."""
    return (
        sample.measurand == ENERGY_REGISTER
        and sample.unit == "Wh"
        and sample.phase is None
        and sample.location in (None, "Outlet")
    )


def register_readings(samples: Iterable[MeterSample]) -> list[tuple[datetime, float]]:
    return [(s.timestamp, s.value) for s in samples if is_register_reading(s)]
