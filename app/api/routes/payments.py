"""The payment desk over HTTP: sessions awaiting payment, payments, receipts, the Z-report.

Cash, on-account and subscription payments need no provider and work whether or
not Stripe is set up; a QR payment and a refund of a card or QR payment go
through Stripe, and a Stripe problem is answered in its own words with 502
(Stripe said no) or 503 (Stripe unreachable or not set up); nothing is queued.
There is no card endpoint: a card payment needs a person at the reader (see
POST /payments/qr). Who did it, in the ledger, is the API token's name.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute
from pydantic import BeforeValidator

from app.api import problems
from app.api.deps import Controller, Reader, ServicesDep
from app.api.routes.payment_views import (
    NOT_AWAITING,
    PAYMENT_CONFLICT,
    PROVIDER_PROBLEMS,
    AccountBody,
    AwaitingView,
    CashBody,
    CashPayment,
    EmailBody,
    PaymentReceipt,
    PaymentView,
    QrCheck,
    QrView,
    ReconciliationView,
    RefundBody,
    RefundView,
    SessionBody,
    SettlementView,
    VoidBody,
    awaiting_view,
    provider_problem,
    reconciliation_view,
    settlement_view,
)
from app.api.routes.values import Moment, RowId
from app.domain.errors import InvalidInput, NotFound
from app.domain.payment_errors import PaymentProviderError
from app.domain.payments import Payment
from app.domain.receipts import Receipt
from app.domain.settlement import day_bounds, settlement_csv, settlement_text
from app.domain.statements import CsvStyle
from app.services.container import Services
from app.services.payment_desk import DeskAvailability

T = TypeVar("T")
CSV = "text/csv"
TEXT = "text/plain"
# Days a Z-report can be made for: the UTC bounds of a day further out overflow.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)


def _iso_day(value: object) -> object:
    # pydantic also reads a number (Unix time) or a midnight date-time as a date; the
    # document promises YYYY-MM-DD, and a client sending anything else should hear so.
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("give the day as YYYY-MM-DD, e.g. 2026-11-25")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


class Conflict(Exception):
    """A request the payment's (or session's) current state does not allow: 409."""

    def __init__(self, kind: problems.ProblemType, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


class PaymentRoute(APIRoute):
    """Answers Stripe's problems and state conflicts as problem+json (502/503/409).

    Here rather than in app/api/problems.py's mapping because only these routes meet them.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except PaymentProviderError as failure:
                return problems.problem(provider_problem(failure), str(failure))
            except Conflict as conflict:
                return problems.problem(conflict.kind, str(conflict))

        return answer


router = APIRouter(tags=["payments"], route_class=PaymentRoute)

STRIPE = problems.documented(PROVIDER_PROBLEMS)
# A body naming a session that does not exist: 404, as a path would.
NOT_PAYABLE = problems.documented([problems.NOT_FOUND, NOT_AWAITING])
CONFLICTING = problems.documented([PAYMENT_CONFLICT])


async def _payable(services: Services, transaction_id: int) -> None:
    """404 for no such session, 409 for one that is not awaiting payment."""
    if await services.transactions.get(transaction_id) is None:
        raise NotFound(f"no transaction {transaction_id}")
    awaiting = await services.payments.awaiting_payment()
    if all(a.transaction_id != transaction_id for a in awaiting):
        raise Conflict(
            NOT_AWAITING,
            f"session {transaction_id} is not awaiting payment: paid already, still "
            "charging, or not a walk-in session with a price",
        )


async def _in_state(action: Awaitable[T]) -> T:
    """The body is well formed (its schema says so); what the ledger refuses now is the
    payment's state: a conflict."""
    try:
        return await action
    except InvalidInput as refused:
        raise Conflict(PAYMENT_CONFLICT, str(refused)) from refused


# ---- reading ----


@router.get("/payments/availability", response_model=DeskAvailability)
async def availability(services: ServicesDep, _token: Reader) -> DeskAvailability:
    """Whether card and QR payments work now, and if not why (`message`); cash, account
    and subscription payments always do."""
    return services.desk.availability()


@router.get("/payments/awaiting", response_model=list[AwaitingView])
async def awaiting(services: ServicesDep, _token: Reader) -> list[AwaitingView]:
    """Ended walk-in sessions with their final price and its lines, unpaid; newest first."""
    return [awaiting_view(s) for s in await services.desk.awaiting()]


@router.get("/payments", response_model=list[PaymentView])
async def list_payments(
    services: ServicesDep,
    _token: Reader,
    since: Annotated[
        Moment | None, Query(alias="from", description="begun at or after (default: today 00:00)")
    ] = None,
    until: Annotated[
        Moment | None, Query(alias="to", description="begun before (default: a day after `from`)")
    ] = None,
) -> list[PaymentView]:
    """Payments begun in the range, newest first, each with its history. A range that
    ends before it begins holds nothing."""
    ledger = services.payments
    start = _utc(since, "from") if since is not None else None
    if start is None:
        start = day_bounds(services.clock().astimezone(ledger.zone).date(), ledger.zone)[0]
    end = _utc(until, "to") if until is not None else _later(start)
    found = await ledger.payments_between(start, end) if start < end else []
    return [await _payment_view(services, p.id) for p in found]


@router.get("/payments/{payment_id}", response_model=PaymentView)
async def get_payment(payment_id: RowId, services: ServicesDep, _token: Reader) -> PaymentView:
    """The payment, its receipt number and every change it went through, oldest first."""
    return await _payment_view(services, payment_id)


@router.get(
    "/receipts/{number}",
    response_model=Receipt,
    responses={
        200: {
            "description": "The receipt; with format=text as a receipt printer prints it",
            "content": {TEXT: {"schema": {"type": "string"}}},
        }
    },
)
async def get_receipt(
    number: RowId,
    services: ServicesDep,
    _token: Reader,
    format: Literal["json", "text"] = "json",
) -> Receipt | PlainTextResponse:
    """The receipt as issued (times in UTC), or with `format=text` the 42-column text a
    receipt printer prints (times in the site's zone)."""
    if format == "text":
        return PlainTextResponse(await services.payments.receipt_text(number))
    return await services.payments.receipt(number)


@router.get(
    "/settlements/{day}",
    response_model=SettlementView,
    responses={
        200: {
            "description": "The Z-report; as CSV with format=csv, as printer text with format=text",
            "content": {media: {"schema": {"type": "string"}} for media in (CSV, TEXT)},
        }
    },
)
async def get_settlement(
    day: Day,
    services: ServicesDep,
    _token: Reader,
    format: Literal["json", "csv", "text"] = "json",
    separator: Annotated[
        Literal["comma", "semicolon"],
        Query(description='CSV only: semicolon writes ";" and decimal commas (Swedish Excel)'),
    ] = "comma",
) -> SettlementView | Response:
    """The Z-report of a business day in the site's zone: takings per method, refunds,
    voided cash, card holds still open, and the cash expected in the drawer. Days from
    1970-01-01 to 9998-12-31 (404 beyond)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise NotFound(f"no business day {day}: days from {FIRST_DAY} to {LAST_DAY} are kept")
    report = await services.payments.settlement(day)
    if format == "csv":
        body = settlement_csv(report, CsvStyle(separator))
        headers = {"Content-Disposition": f'attachment; filename="settlement-{day}.csv"'}
        return Response(body, media_type=CSV, headers=headers)
    if format == "text":
        return PlainTextResponse(settlement_text(report))
    return settlement_view(report)


# ---- taking payment ----


@router.post("/payments/cash", response_model=CashPayment, status_code=201, responses=NOT_PAYABLE)
async def pay_cash(body: CashBody, services: ServicesDep, token: Controller) -> CashPayment:
    """Cash for a session awaiting payment: the payment, its receipt and the change.
    Less than the price is refused (400) and changes nothing."""
    await _payable(services, body.transaction_id)
    taken = await services.desk.pay_cash(
        body.transaction_id, body.tendered_minor, token.name, body.email
    )
    return CashPayment(taken.payment, taken.receipt, taken.change_minor)


@router.post(
    "/payments/account", response_model=PaymentReceipt, status_code=201, responses=NOT_PAYABLE
)
async def pay_on_account(
    body: AccountBody, services: ServicesDep, token: Controller
) -> PaymentReceipt:
    """The session goes on a fleet's invoice (the payment is `invoiced`), with a receipt."""
    await _payable(services, body.transaction_id)
    done = await services.desk.put_on_account(
        body.transaction_id, body.fleet_id, token.name, body.email
    )
    return PaymentReceipt(done.payment, done.receipt)


@router.post(
    "/payments/subscription",
    response_model=PaymentReceipt,
    status_code=201,
    responses=problems.documented([problems.NOT_FOUND, NOT_AWAITING, PAYMENT_CONFLICT]),
)
async def pay_by_subscription(
    body: SessionBody, services: ServicesDep, token: Controller
) -> PaymentReceipt:
    """The session goes on the monthly statement of its driver's current subscription;
    409 when the driver has none."""
    await _payable(services, body.transaction_id)
    done = await _in_state(services.desk.charge_subscription(body.transaction_id, token.name))
    return PaymentReceipt(done.payment, done.receipt)


@router.post(
    "/payments/qr",
    response_model=QrView,
    status_code=201,
    responses=NOT_PAYABLE | STRIPE,
)
async def start_qr(body: SessionBody, services: ServicesDep, token: Controller) -> QrView:
    """A Stripe Checkout link for the session's exact price: show `url` as a QR code and
    ask GET /payments/{id}/qr until it is paid or expired.

    Card payments have no endpoint: the amount shows on the desk's reader and the
    attendant waits there for the customer's card (or cancels), which is the payment
    desk screen's job, not an integration's."""
    await _payable(services, body.transaction_id)
    qr = await services.desk.start_qr(body.transaction_id, token.name)
    return QrView(qr.payment, qr.url, qr.expires_at)


@router.get("/payments/{payment_id}/qr", response_model=QrCheck, responses=CONFLICTING | STRIPE)
async def check_qr(payment_id: RowId, services: ServicesDep, token: Reader) -> QrCheck:
    """Asks Stripe whether the customer has paid; paid or expired is recorded (once)."""
    await services.payments.get(payment_id)  # 404 before anything else
    result = await _in_state(services.desk.check_qr(payment_id, token.name))
    return QrCheck(result.payment, result.state.value, result.receipt)


# ---- after the fact ----


@router.post(
    "/payments/{payment_id}/refunds",
    response_model=RefundView,
    status_code=201,
    responses=CONFLICTING | STRIPE,
)
async def refund(
    payment_id: RowId, body: RefundBody, services: ServicesDep, token: Controller
) -> RefundView:
    """Refund part or all of a payment. Cash is handed back at once; a card or QR refund
    goes through Stripe (`done` false: Stripe refused it, the reason is in the history).
    Stripe unreachable: 503, and the refund is read back from Stripe at the next
    reconciliation."""
    await services.payments.get(payment_id)
    made = await _in_state(
        services.desk.refund(payment_id, body.amount_minor, body.reason, token.name)
    )
    return RefundView(made, await services.payments.get(payment_id))


@router.post("/payments/{payment_id}/void", response_model=Payment, responses=CONFLICTING)
async def void_cash(
    payment_id: RowId, body: VoidBody, services: ServicesDep, token: Controller
) -> Payment:
    """Take back a cash payment on the day it was taken; its session awaits payment again."""
    await services.payments.get(payment_id)
    return await _in_state(services.desk.void_cash(payment_id, body.reason, token.name))


@router.put("/receipts/{number}/email", response_model=Receipt)
async def set_receipt_email(
    number: RowId, body: EmailBody, services: ServicesDep, _token: Controller
) -> Receipt:
    """Keep the address the receipt is to be sent to (null forgets it)."""
    await services.payments.receipt(number)  # 404 before the address is judged
    return await services.payments.set_receipt_email(number, body.email)


@router.post("/payments/reconcile", response_model=ReconciliationView, responses=STRIPE)
async def reconcile(services: ServicesDep, _token: Controller) -> ReconciliationView:
    """Read the Stripe key again and settle with Stripe what is left in flight (what
    start-up does): after Stripe was unreachable, or when a manager asks."""
    desk = services.desk
    await desk.reload()
    report = await desk.reconcile(services.clock())
    return reconciliation_view(report, desk.availability().message)


# ---- helpers ----


async def _payment_view(services: Services, payment_id: int) -> PaymentView:
    ledger = services.payments
    payment = await ledger.get(payment_id)
    try:
        number: int | None = (await ledger.receipt_for(payment_id)).number
    except NotFound:
        number = None
    return PaymentView(payment, number, await ledger.history(payment_id))


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput(f"{name}: give a time zone (e.g. 2026-11-25T08:00:00Z)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # within a day of year 1 or 9999: as far as the range can go
        return datetime.min.replace(tzinfo=UTC) if moment.year == 1 else _last()


def _later(start: datetime) -> datetime:
    try:
        return start + timedelta(days=1)
    except OverflowError:
        return _last()


def _last() -> datetime:
    return datetime.max.replace(tzinfo=UTC)
