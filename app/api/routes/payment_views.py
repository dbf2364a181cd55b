"""What the payment endpoints take and give, and the problems only they answer with.

Payment, Refund, Receipt and the Z-report's MethodTotal are the domain's own
frozen types; the views below add what a client would otherwise have to work
out itself (a payment's history and receipt number, the report's totals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.api import problems
from app.api.routes.transactions import PriceLineView
from app.domain.payment_errors import (
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentsNotConfigured,
    SecretStoreUnavailable,
)
from app.domain.payments import Payment, PaymentEvent, Refund
from app.domain.receipts import Receipt
from app.domain.session_price import PriceLine
from app.domain.settlement import MethodTotal, Settlement
from app.services.payment_desk import UNREACHABLE, AwaitingSession
from app.services.payment_reconciliation import ReconciliationReport

# More than any till takes; keeps a typo's extra digits out of a 64-bit column.
MONEY_MAX = 10**11
TEXT = r"\S"  # not blank: the ledger refuses a reason of spaces only

NOT_AWAITING = problems.ProblemType(
    409,
    "not-awaiting-payment",
    "The session is not awaiting payment",
    "a session that is paid already, still charging, or has no price to pay",
)
PAYMENT_CONFLICT = problems.ProblemType(
    409,
    "payment-conflict",
    "The payment's state does not allow that",
    "a refund beyond what is left, voiding what is not today's cash, a QR check of a card payment",
)
PAYMENT_REFUSED = problems.ProblemType(
    502,
    "payment-refused",
    "Stripe refused the request",
    "Stripe answered, but no (the detail says why in plain words)",
)
PROVIDER_UNAVAILABLE = problems.ProblemType(
    503,
    "payment-provider-unavailable",
    "Stripe could not be reached",
    "Stripe did not answer; nothing was queued, try again later",
)
PAYMENTS_NOT_CONFIGURED = problems.ProblemType(
    503,
    "payments-not-configured",
    "Card and QR payments are not set up",
    "no Stripe key entered in Settings (or no keyring to keep it in)",
)
PROVIDER_PROBLEMS = (PAYMENT_REFUSED, PROVIDER_UNAVAILABLE, PAYMENTS_NOT_CONFIGURED)


def provider_problem(failure: PaymentProviderError) -> problems.ProblemType:
    # The desk answers "not configured" with UNREACHABLE while Stripe is away.
    if isinstance(failure, PaymentProviderUnavailable) or str(failure) == UNREACHABLE:
        return PROVIDER_UNAVAILABLE
    if isinstance(failure, PaymentsNotConfigured | SecretStoreUnavailable):
        return PAYMENTS_NOT_CONFIGURED
    return PAYMENT_REFUSED


# ---- bodies ----

# Ids in a JSON body stay within what every JSON reader holds exactly (2**53 - 1): a
# fuzzer or client reading numbers as doubles would round the 64-bit row id limit up.
JSON_ID_MAX = 2**53 - 1
RowIdField = Annotated[int, Field(ge=1, le=JSON_ID_MAX)]
Email = Annotated[str | None, Field(max_length=254, description="Where to send the receipt later")]
Reason = Annotated[str, Field(min_length=1, max_length=500, pattern=TEXT)]


class CashBody(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not pass unseen

    transaction_id: RowIdField
    tendered_minor: Annotated[
        int, Field(ge=1, le=MONEY_MAX, description="What the driver handed over, minor units")
    ]
    email: Email = None


class AccountBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transaction_id: RowIdField
    fleet_id: Annotated[int, Field(ge=1, le=JSON_ID_MAX, description="The fleet to invoice")]
    email: Email = None


class SessionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transaction_id: RowIdField


class RefundBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_minor: Annotated[int, Field(ge=1, le=MONEY_MAX, description="Minor units")]
    reason: Reason


class VoidBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class EmailBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email = Field(description="The address, or null to forget it")


# ---- answers ----


@dataclass(frozen=True)
class AwaitingView:
    """An ended walk-in session with its final price (VAT included), not paid yet."""

    transaction_id: int
    station_id: str
    connector_id: int
    id_tag: str
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: int
    total_minor: int
    vat_rate_bp: int
    currency: str
    lines: list[PriceLineView]
    driver_name: str | None
    fleet_id: Annotated[int | None, Field(description="The driver's fleet: it can pay on account")]
    fleet_name: str | None
    subscription_id: Annotated[
        int | None, Field(description="The driver's current subscription: it can pay this")
    ]


def line_view(line: PriceLine) -> PriceLineView:
    return PriceLineView(
        kind=line.kind.value,
        label=line.label,
        amount_minor=line.amount_minor,
        quantity=None if line.quantity is None else str(line.quantity),
        unit=None if line.unit is None else line.unit.value,
        unit_price_minor=line.unit_price_minor,
        band=line.band,
    )


def awaiting_view(s: AwaitingSession) -> AwaitingView:
    return AwaitingView(
        s.transaction_id,
        s.station_id,
        s.connector_id,
        s.id_tag,
        s.started_at,
        s.stopped_at,
        s.energy_wh,
        s.total_minor,
        s.vat_rate_bp,
        s.currency,
        [line_view(line) for line in s.lines],
        s.driver_name,
        s.fleet_id,
        s.fleet_name,
        s.subscription_id,
    )


@dataclass(frozen=True)
class PaymentView:
    """A payment, its receipt's number (null: none issued) and every change it went through."""

    payment: Payment
    receipt_number: int | None
    events: list[PaymentEvent]


@dataclass(frozen=True)
class PaymentReceipt:
    """A payment taken, with the receipt issued for it."""

    payment: Payment
    receipt: Receipt | None


@dataclass(frozen=True)
class CashPayment:
    payment: Payment
    receipt: Receipt
    change_minor: Annotated[int, Field(description="What to hand back to the driver")]


@dataclass(frozen=True)
class RefundView:
    """The refund (`done`: the money is on its way back) and the payment after it."""

    refund: Refund
    payment: Payment


@dataclass(frozen=True)
class QrView:
    """Show `url` as a QR code; the customer pays on their phone before `expires_at`."""

    payment: Payment
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class QrCheck:
    """`state` open: not paid yet; paid: captured, with its receipt; expired: not paid."""

    payment: Payment
    state: Annotated[str, Field(description="open, paid or expired")]
    receipt: Receipt | None


@dataclass(frozen=True)
class SettlementView:
    """The Z-report of a local business day; money in minor units of `currency`."""

    day: date
    currency: str
    methods: list[MethodTotal]
    refunds: list[MethodTotal]
    voids_count: int
    voids_minor: int
    open_holds_count: int
    open_holds_minor: int
    opening_float_minor: int
    cash_in_minor: int
    cash_refunded_minor: int
    cash_expected_minor: Annotated[int, Field(description="Opening float + cash in - cash out")]
    taken_minor: int
    refunded_minor: int


def settlement_view(r: Settlement) -> SettlementView:
    return SettlementView(
        r.day,
        r.currency,
        list(r.methods),
        list(r.refunds),
        r.voids_count,
        r.voids_minor,
        r.open_holds_count,
        r.open_holds_minor,
        r.opening_float_minor,
        r.cash_in_minor,
        r.cash_refunded_minor,
        r.cash_expected_minor,
        r.taken_minor,
        r.refunded_minor,
    )


@dataclass(frozen=True)
class ReconciliationView:
    """Payment ids by what became of them; `clean`: nothing is left for a manager."""

    clean: bool
    settled: list[int]
    mismatches: list[int]
    left_in_flight: list[int]
    refunds_settled: list[int]
    refunds_failed: list[int]
    refunds_left: list[int]
    stripe_unreachable: bool
    notes: list[str]
    availability: Annotated[
        str | None, Field(description="Why card and QR payments are off; null: they are on")
    ]


def reconciliation_view(r: ReconciliationReport, availability: str | None) -> ReconciliationView:
    return ReconciliationView(
        r.clean,
        list(r.settled),
        list(r.mismatches),
        list(r.left_in_flight),
        list(r.refunds_settled),
        list(r.refunds_failed),
        list(r.refunds_left),
        r.stripe_unreachable,
        list(r.notes),
        availability,
    )
