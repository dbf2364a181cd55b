"""Charging sessions, filtered, each with its meter series and price."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from app.api.deps import Reader, ServicesDep
from app.api.routes.values import Moment, RowId
from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput, NotFound
from app.domain.model import MeterSample, Transaction
from app.domain.session_charges import SessionCharge

router = APIRouter(tags=["transactions"])


class TransactionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class PriceLineView:
    """One line of a price: its amount is rounded from the exact energy and time."""

    kind: Annotated[
        str,
        Field(
            description="start_fee, energy, time, idle, included, discount, adjustment, "
            "rounding or note"
        ),
    ]
    label: str
    amount_minor: int
    quantity: Annotated[str | None, Field(description="A decimal number, in `unit`")] = None
    unit: Annotated[str | None, Field(description="kWh, min or Wh")] = None
    unit_price_minor: int | None = None
    band: Annotated[
        str | None, Field(description="The tariff band whose prices apply; null: the base prices")
    ] = None


@dataclass(frozen=True)
class PriceView:
    """What the session costs (final) or would cost stopping now (live), VAT included.

    Money in minor units of `currency` (öre for SEK); the total is the sum of the lines.
    """

    final: Annotated[bool, Field(description="Stored at the stop; false: live, while charging")]
    as_of: Annotated[datetime, Field(description="The stop, or when the live price was made")]
    currency: str
    total_minor: int
    vat_minor: int
    net_minor: int
    vat_rate_bp: int
    energy_wh: float
    charging_seconds: int
    idle_seconds: int
    included_wh_used: int
    tariff_id: Annotated[int | None, Field(description="The tariff the terms were taken from")]
    tariff_name: Annotated[str, Field(description="Its name when the session started")]
    walk_in: Annotated[bool, Field(description="Started with a tag ChargeDesk did not know")]
    lines: list[PriceLineView]


@dataclass(frozen=True)
class TransactionView:
    transaction: Transaction
    meter_values: list[MeterSample] = field(default_factory=list)
    price: Annotated[
        PriceView | None,
        Field(description="null: no tariff applied (or the session ran before prices were kept)"),
    ] = None


def price_view(charge: SessionCharge | None) -> PriceView | None:
    if charge is None or charge.price is None or charge.snapshot.tariff is None:
        return None
    price, snapshot, tariff = charge.price, charge.snapshot, charge.snapshot.tariff
    return PriceView(
        final=price.final,
        as_of=price.as_of,
        currency=price.currency,
        total_minor=price.total_minor,
        vat_minor=price.vat_minor,
        net_minor=price.net_minor,
        vat_rate_bp=price.vat_rate_bp,
        energy_wh=price.energy_wh,
        charging_seconds=price.charging_seconds,
        idle_seconds=price.idle_seconds,
        included_wh_used=price.included_wh_used,
        tariff_id=snapshot.tariff_id,
        tariff_name=tariff.name,
        walk_in=snapshot.walk_in,
        lines=[
            PriceLineView(
                kind=line.kind.value,
                label=line.label,
                amount_minor=line.amount_minor,
                quantity=None if line.quantity is None else str(line.quantity),
                unit=None if line.unit is None else line.unit.value,
                unit_price_minor=line.unit_price_minor,
                band=line.band,
            )
            for line in price.lines
        ],
    )


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput(f"{name}: give a time zone (e.g. 2026-11-25T08:00:00Z)")
    return value


@router.get("/transactions", response_model=list[Transaction])
async def list_transactions(
    services: ServicesDep,
    _token: Reader,
    station_id: str | None = None,
    id_tag: str | None = None,
    state: TransactionState | None = None,
    since: Annotated[Moment | None, Query(description="started at or after")] = None,
    until: Annotated[Moment | None, Query(description="started before")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[Transaction]:
    """Newest first."""
    return await services.transactions.find(
        station_id=station_id,
        # Sessions keep the tag as authorisation spells it; so does the tags resource.
        id_tag=normalise_id_tag(id_tag) if id_tag is not None else None,
        open_only=state is TransactionState.OPEN,
        closed_only=state is TransactionState.CLOSED,
        since=_aware(since, "since"),
        until=_aware(until, "until"),
        limit=limit,
    )


@router.get("/transactions/{transaction_id}", response_model=TransactionView)
async def get_transaction(
    transaction_id: RowId, services: ServicesDep, _token: Reader
) -> TransactionView:
    found = await services.transactions.get(transaction_id)
    if found is None:
        raise NotFound(f"no transaction {transaction_id}")
    return TransactionView(
        found,
        await services.transactions.samples(transaction_id),
        price_view(await services.session_pricing.price_of(transaction_id)),
    )
