"""Charging sessions, filtered, each with its meter series."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import Reader, ServicesDep
from app.api.routes.values import Moment, RowId
from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput, NotFound
from app.domain.model import MeterSample, Transaction

router = APIRouter(tags=["transactions"])


class TransactionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class TransactionView:
    transaction: Transaction
    meter_values: list[MeterSample] = field(default_factory=list)


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
    return TransactionView(found, await services.transactions.samples(transaction_id))
