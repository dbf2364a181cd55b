"""Store side of app/services/payments.py: the payment ledger.

Every change of a payment is one write: the row, its append-only event and
(when money is finally taken) the receipt with the next number, in one
transaction. Checks come before the first change of a write and a refusal is
handed back as a value, so a refused change stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from app.domain.errors import InvalidInput, NotFound
from app.domain.payments import (
    AwaitingPayment,
    Payment,
    PaymentAttempt,
    PaymentEvent,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    Refund,
    StepOutcome,
    check_refund,
    check_transition,
)
from app.domain.receipts import Receipt, ReceiptSession, Seller, build_receipt, receipt_from_dict
from app.domain.session_price import SessionPrice
from app.domain.settlement import RefundFact
from app.store.database import Database
from app.store.schema import (
    payment_events,
    payments,
    receipts,
    refunds,
    session_charges,
    transactions,
)

T = TypeVar("T")
_P = payments.c
_R = refunds.c


@dataclass(frozen=True, slots=True)
class _Refused:
    error: InvalidInput | NotFound


def payment_from_row(m: RowMapping) -> Payment:
    return Payment(
        id=int(m["id"]),
        transaction_id=None if m["transaction_id"] is None else int(m["transaction_id"]),
        method=PaymentMethod(m["method"]),
        amount_minor=int(m["amount_minor"]),
        currency=m["currency"],
        vat_rate_bp=int(m["vat_rate_bp"]),
        state=PaymentState(m["state"]),
        in_flight=None if m["in_flight"] is None else ProviderStep(m["in_flight"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        captured_at=m["captured_at"],
        payment_intent_id=m["payment_intent_id"],
        checkout_session_id=m["checkout_session_id"],
        card_brand=m["card_brand"],
        card_last4=m["card_last4"],
        tendered_minor=m["tendered_minor"],
        change_minor=m["change_minor"],
        refunded_minor=int(m["refunded_minor"]),
        fleet_id=m["fleet_id"],
        failure_reason=m["failure_reason"],
        by=m["by"],
    )


def _refund_from_row(m: RowMapping) -> Refund:
    return Refund(
        id=int(m["id"]),
        payment_id=int(m["payment_id"]),
        amount_minor=int(m["amount_minor"]),
        reason=m["reason"],
        by=m["by"],
        at=m["at"],
        done=bool(m["done"]),
        provider_refund_id=m["provider_refund_id"],
    )


def _get(conn: Connection, payment_id: int) -> Payment:
    row = conn.execute(select(payments).where(_P.id == payment_id)).first()
    if row is None:
        raise NotFound(f"there is no payment {payment_id}")
    return payment_from_row(row._mapping)


def _event(
    conn: Connection,
    payment_id: int,
    at: datetime,
    from_state: PaymentState | None,
    to_state: PaymentState,
    *,
    step: str | None = None,
    in_flight: bool = False,
    reason: str | None = None,
    request_id: str | None = None,
    object_id: str | None = None,
    by: str = "",
) -> None:
    conn.execute(
        insert(payment_events),
        {
            "payment_id": payment_id,
            "at": at,
            "from_state": None if from_state is None else from_state.value,
            "to_state": to_state.value,
            "step": step,
            "in_flight": in_flight,
            "reason": reason,
            "provider_request_id": request_id,
            "provider_object_id": object_id,
            "by": by,
        },
    )


def _check_unpaid(conn: Connection, transaction_id: int | None) -> None:
    if transaction_id is None:
        return
    if (
        conn.execute(select(transactions.c.id).where(transactions.c.id == transaction_id)).first()
        is None
    ):
        raise NotFound(f"there is no session {transaction_id}")
    paid = conn.execute(select(_P.id).where(_P.settles_transaction_id == transaction_id)).first()
    if paid is not None:
        raise InvalidInput(f"session {transaction_id} is already paid (payment {paid.id})")


def _insert(conn: Connection, attempt: PaymentAttempt, now: datetime, **extra: Any) -> int:
    values: dict[str, Any] = {
        "transaction_id": attempt.transaction_id,
        "method": attempt.method.value,
        "amount_minor": attempt.amount_minor,
        "currency": attempt.currency.upper(),
        "vat_rate_bp": attempt.vat_rate_bp,
        "state": PaymentState.CREATED.value,
        "refunded_minor": 0,
        "fleet_id": attempt.fleet_id,
        "by": attempt.by,
        "created_at": now,
        "updated_at": now,
    }
    values.update(extra)
    return int(conn.execute(insert(payments).returning(_P.id), values).scalar_one())


def _issue_receipt(
    conn: Connection, payment: Payment, now: datetime, seller: Seller, email: str | None
) -> Receipt:
    """The next receipt number is taken here, inside the write that takes the money: a
    rolled-back payment leaves no gap, and the unique key refuses a number twice."""
    number = (
        int(conn.execute(select(func.coalesce(func.max(receipts.c.number), 0))).scalar_one()) + 1
    )
    session, price = None, None
    if payment.transaction_id is not None:
        tx = conn.execute(
            select(transactions).where(transactions.c.id == payment.transaction_id)
        ).first()
        if tx is not None:
            m = tx._mapping
            energy = 0 if m["meter_stop"] is None else int(m["meter_stop"]) - int(m["meter_start"])
            session = ReceiptSession(
                int(m["id"]), m["station_id"], m["started_at"], m["stopped_at"], max(energy, 0)
            )
        charge = conn.execute(
            select(session_charges.c.lines, session_charges.c.final).where(
                session_charges.c.transaction_id == payment.transaction_id
            )
        ).first()
        if charge is not None and charge.final and charge.lines is not None:
            price = SessionPrice.from_dict(charge.lines)
    receipt = build_receipt(number, now, seller, payment, session, price, email)
    conn.execute(
        insert(receipts),
        {
            "number": number,
            "payment_id": payment.id,
            "issued_at": now,
            "email": email,
            "body": receipt.to_dict(),
        },
    )
    return receipt


def _take(
    conn: Connection, payment: Payment, now: datetime, seller: Seller, email: str | None = None
) -> Receipt:
    """Mark the session paid by this payment and issue its receipt."""
    _check_unpaid(conn, payment.transaction_id)
    conn.execute(
        update(payments)
        .where(_P.id == payment.id)
        .values(settles_transaction_id=payment.transaction_id, captured_at=now)
    )
    return _issue_receipt(conn, _get(conn, payment.id), now, seller, email)


class SqlPaymentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _write(self, op: Callable[[Connection], T]) -> T:
        def guarded(conn: Connection) -> T | _Refused:
            try:
                return op(conn)
            except (InvalidInput, NotFound) as error:
                return _Refused(error)

        result = await self._db.write(guarded)
        if isinstance(result, _Refused):
            raise result.error
        return result

    # ---- before and after a provider call ----

    async def begin(self, attempt: PaymentAttempt, step: ProviderStep, now: datetime) -> Payment:
        def op(conn: Connection) -> Payment:
            _check_unpaid(conn, attempt.transaction_id)
            payment_id = _insert(conn, attempt, now, in_flight=step.value)
            _event(
                conn,
                payment_id,
                now,
                None,
                PaymentState.CREATED,
                step=step.value,
                in_flight=True,
                by=attempt.by,
            )
            return _get(conn, payment_id)

        return await self._write(op)

    async def begin_step(
        self, payment_id: int, step: ProviderStep, now: datetime, by: str
    ) -> Payment:
        def op(conn: Connection) -> Payment:
            payment = _get(conn, payment_id)
            if payment.in_flight is step:
                return payment  # a retry of the same call: same key, nothing new to write
            if payment.in_flight is not None:
                raise InvalidInput(
                    f"payment {payment_id} waits for the outcome of {payment.in_flight.value}"
                )
            if not (
                payment.state in (PaymentState.CREATED, PaymentState.AUTHORISED)
                and payment.method in (PaymentMethod.CARD, PaymentMethod.QR)
            ):
                raise InvalidInput(
                    f"payment {payment_id} is {payment.state.value}: no {step.value}"
                )
            conn.execute(
                update(payments)
                .where(_P.id == payment_id)
                .values(in_flight=step.value, updated_at=now)
            )
            _event(
                conn,
                payment_id,
                now,
                payment.state,
                payment.state,
                step=step.value,
                in_flight=True,
                by=by,
            )
            return _get(conn, payment_id)

        return await self._write(op)

    async def record(
        self, outcome: StepOutcome, now: datetime, seller: Seller, by: str
    ) -> tuple[Payment, Receipt | None]:
        def op(conn: Connection) -> tuple[Payment, Receipt | None]:
            payment = _get(conn, outcome.payment_id)
            if payment.in_flight is None and payment.state is outcome.new_state:
                return payment, None  # recorded already (a retried record)
            if payment.in_flight is not outcome.step:
                raise InvalidInput(f"payment {payment.id} has no {outcome.step.value} in flight")
            if outcome.new_state is not payment.state:
                check_transition(payment.state, outcome.new_state)
            if outcome.new_state is PaymentState.CAPTURED:
                _check_unpaid(conn, payment.transaction_id)
            values: dict[str, Any] = {
                "state": outcome.new_state.value,
                "in_flight": None,
                "updated_at": now,
            }
            for name in ("payment_intent_id", "checkout_session_id", "card_brand", "card_last4"):
                if getattr(outcome, name) is not None:
                    values[name] = getattr(outcome, name)
            if outcome.new_state is PaymentState.FAILED:
                values["failure_reason"] = outcome.reason
            conn.execute(update(payments).where(_P.id == payment.id).values(**values))
            _event(
                conn,
                payment.id,
                now,
                payment.state,
                outcome.new_state,
                step=outcome.step.value,
                reason=outcome.reason,
                request_id=outcome.provider_request_id,
                object_id=outcome.payment_intent_id or outcome.checkout_session_id,
                by=by,
            )
            receipt = None
            if outcome.new_state is PaymentState.CAPTURED:
                receipt = _take(conn, _get(conn, payment.id), now, seller)
            return _get(conn, payment.id), receipt

        return await self._write(op)

    async def taken_at_once(
        self,
        attempt: PaymentAttempt,
        state: PaymentState,
        now: datetime,
        seller: Seller,
        email: str | None,
        **extra: Any,
    ) -> tuple[Payment, Receipt]:
        """Cash and on-account payments: no provider call, created and taken in one write."""

        def op(conn: Connection) -> tuple[Payment, Receipt]:
            _check_unpaid(conn, attempt.transaction_id)
            payment_id = _insert(conn, attempt, now, state=state.value, **extra)
            _event(conn, payment_id, now, None, PaymentState.CREATED, by=attempt.by)
            _event(conn, payment_id, now, PaymentState.CREATED, state, by=attempt.by)
            receipt = _take(conn, _get(conn, payment_id), now, seller, email)
            return _get(conn, payment_id), receipt

        return await self._write(op)

    async def note(
        self, payment_id: int, now: datetime, reason: str, step: str, by: str = ""
    ) -> Payment:
        """An event that changes no state (a mismatch found by reconciliation)."""

        def op(conn: Connection) -> Payment:
            payment = _get(conn, payment_id)
            _event(
                conn, payment_id, now, payment.state, payment.state, step=step, reason=reason, by=by
            )
            return payment

        return await self._write(op)

    async def void(
        self,
        payment_id: int,
        now: datetime,
        reason: str,
        by: str,
        same_day: Callable[[datetime], bool],
    ) -> Payment:
        def op(conn: Connection) -> Payment:
            payment = _get(conn, payment_id)
            if payment.method is not PaymentMethod.CASH:
                raise InvalidInput("only a cash payment can be voided; refund the others")
            check_transition(payment.state, PaymentState.VOIDED)
            if payment.captured_at is None or not same_day(payment.captured_at):
                raise InvalidInput("cash can be voided on the day it was taken only; refund it")
            conn.execute(
                update(payments)
                .where(_P.id == payment_id)
                .values(
                    state=PaymentState.VOIDED.value, settles_transaction_id=None, updated_at=now
                )
            )
            _event(
                conn,
                payment_id,
                now,
                payment.state,
                PaymentState.VOIDED,
                step="void",
                reason=reason,
                by=by,
            )
            return _get(conn, payment_id)

        return await self._write(op)

    # ---- refunds ----

    async def begin_refund(
        self,
        payment_id: int,
        amount_minor: int,
        reason: str,
        by: str,
        now: datetime,
        done: bool,
    ) -> tuple[Refund, Payment]:
        def op(conn: Connection) -> tuple[Refund, Payment]:
            payment = _get(conn, payment_id)
            if payment.state not in (PaymentState.CAPTURED, PaymentState.PARTIALLY_REFUNDED):
                raise InvalidInput(f"payment {payment_id} is {payment.state.value}: no refund")
            pending = int(
                conn.execute(
                    select(func.coalesce(func.sum(_R.amount_minor), 0)).where(
                        _R.payment_id == payment_id, _R.done.is_(False), _R.failure.is_(None)
                    )
                ).scalar_one()
            )
            new_state = check_refund(
                payment.amount_minor, payment.refunded_minor + pending, amount_minor
            )
            refund_id = int(
                conn.execute(
                    insert(refunds).returning(_R.id),
                    {
                        "payment_id": payment_id,
                        "amount_minor": amount_minor,
                        "reason": reason,
                        "by": by,
                        "at": now,
                        "done": False,
                    },
                ).scalar_one()
            )
            if done:
                _apply_refund(conn, payment, refund_id, amount_minor, new_state, now, by, None)
            else:
                _event(
                    conn,
                    payment_id,
                    now,
                    payment.state,
                    payment.state,
                    step=f"refund-{refund_id}",
                    in_flight=True,
                    reason=reason,
                    by=by,
                )
            row = conn.execute(select(refunds).where(_R.id == refund_id)).one()
            return _refund_from_row(row._mapping), _get(conn, payment_id)

        return await self._write(op)

    async def record_refund(
        self,
        refund_id: int,
        now: datetime,
        provider_refund_id: str | None,
        failure: str | None,
        by: str,
    ) -> tuple[Refund, Payment]:
        def op(conn: Connection) -> tuple[Refund, Payment]:
            row = conn.execute(select(refunds).where(_R.id == refund_id)).first()
            if row is None:
                raise NotFound(f"there is no refund {refund_id}")
            refund = _refund_from_row(row._mapping)
            payment = _get(conn, refund.payment_id)
            if refund.done or row.failure is not None:
                return refund, payment  # recorded already
            if failure is not None:
                conn.execute(update(refunds).where(_R.id == refund_id).values(failure=failure))
                _event(
                    conn,
                    payment.id,
                    now,
                    payment.state,
                    payment.state,
                    step=f"refund-{refund_id}",
                    reason=failure,
                    by=by,
                )
            else:
                new_state = check_refund(
                    payment.amount_minor, payment.refunded_minor, refund.amount_minor
                )
                _apply_refund(
                    conn,
                    payment,
                    refund_id,
                    refund.amount_minor,
                    new_state,
                    now,
                    by,
                    provider_refund_id,
                )
            row = conn.execute(select(refunds).where(_R.id == refund_id)).one()
            return _refund_from_row(row._mapping), _get(conn, payment.id)

        return await self._write(op)

    # ---- receipts ----

    async def receipt(self, number: int) -> Receipt:
        def op(conn: Connection) -> Receipt:
            row = conn.execute(select(receipts.c.body).where(receipts.c.number == number)).first()
            if row is None:
                raise NotFound(f"there is no receipt {number}")
            return receipt_from_dict(row.body)

        return await self._db.read(op)

    async def receipt_for(self, payment_id: int) -> Receipt | None:
        def op(conn: Connection) -> Receipt | None:
            row = conn.execute(
                select(receipts.c.body).where(receipts.c.payment_id == payment_id)
            ).first()
            return None if row is None else receipt_from_dict(row.body)

        return await self._db.read(op)

    async def set_receipt_email(self, number: int, email: str | None) -> Receipt:
        def op(conn: Connection) -> Receipt:
            row = conn.execute(select(receipts.c.body).where(receipts.c.number == number)).first()
            if row is None:
                raise NotFound(f"there is no receipt {number}")
            body = dict(row.body)
            body["email"] = email
            conn.execute(
                update(receipts).where(receipts.c.number == number).values(email=email, body=body)
            )
            return receipt_from_dict(body)

        return await self._write(op)

    # ---- reading ----

    async def get(self, payment_id: int) -> Payment:
        return await self._db.read(lambda conn: _get(conn, payment_id))

    async def in_flight(self) -> list[Payment]:
        def op(conn: Connection) -> list[Payment]:
            rows = conn.execute(select(payments).where(_P.in_flight.is_not(None)).order_by(_P.id))
            return [payment_from_row(r._mapping) for r in rows]

        return await self._db.read(op)

    async def pending_refunds(self) -> list[Refund]:
        def op(conn: Connection) -> list[Refund]:
            rows = conn.execute(
                select(refunds).where(_R.done.is_(False), _R.failure.is_(None)).order_by(_R.id)
            )
            return [_refund_from_row(r._mapping) for r in rows]

        return await self._db.read(op)

    async def events(self, payment_id: int) -> list[PaymentEvent]:
        def op(conn: Connection) -> list[PaymentEvent]:
            c = payment_events.c
            rows = conn.execute(
                select(payment_events).where(c.payment_id == payment_id).order_by(c.id)
            )
            return [
                PaymentEvent(
                    id=int(r.id),
                    payment_id=int(r.payment_id),
                    at=r.at,
                    from_state=None if r.from_state is None else PaymentState(r.from_state),
                    to_state=PaymentState(r.to_state),
                    step=r.step,
                    in_flight=bool(r.in_flight),
                    reason=r.reason,
                    provider_request_id=r.provider_request_id,
                    provider_object_id=r.provider_object_id,
                    by=r.by,
                )
                for r in rows
            ]

        return await self._db.read(op)

    async def awaiting_payment(self) -> list[AwaitingPayment]:
        def op(conn: Connection) -> list[AwaitingPayment]:
            c, t = session_charges.c, transactions.c
            paid = select(_P.settles_transaction_id).where(_P.settles_transaction_id.is_not(None))
            query = (
                select(
                    c.transaction_id, t.station_id, t.stopped_at, c.total_minor, c.lines, c.currency
                )
                .join(transactions, t.id == c.transaction_id)
                .where(
                    c.walk_in.is_(True),
                    c.final.is_(True),
                    c.total_minor > 0,
                    c.transaction_id.not_in(paid),
                )
                .order_by(t.stopped_at, c.transaction_id)
            )
            found = []
            for r in conn.execute(query):
                rate = SessionPrice.from_dict(r.lines).vat_rate_bp if r.lines else 0
                found.append(
                    AwaitingPayment(
                        int(r.transaction_id),
                        r.station_id,
                        r.stopped_at,
                        int(r.total_minor),
                        rate,
                        r.currency,
                    )
                )
            return found

        return await self._db.read(op)

    async def day_facts(
        self, start: datetime, end: datetime
    ) -> tuple[list[Payment], list[RefundFact], list[Payment]]:
        """Payments taken in [start, end), refunds paid in it, and every open hold."""

        def op(conn: Connection) -> tuple[list[Payment], list[RefundFact], list[Payment]]:
            taken = conn.execute(
                select(payments).where(_P.captured_at >= start, _P.captured_at < end)
            )
            holds = conn.execute(select(payments).where(_P.state == PaymentState.AUTHORISED.value))
            back = conn.execute(
                select(_R.at, _R.amount_minor, _P.method, _P.vat_rate_bp)
                .join(payments, _P.id == _R.payment_id)
                .where(_R.done.is_(True), _R.at >= start, _R.at < end)
            )
            return (
                [payment_from_row(r._mapping) for r in taken],
                [
                    RefundFact(
                        r.at, PaymentMethod(r.method), int(r.amount_minor), int(r.vat_rate_bp)
                    )
                    for r in back
                ],
                [payment_from_row(r._mapping) for r in holds],
            )

        return await self._db.read(op)


def _apply_refund(
    conn: Connection,
    payment: Payment,
    refund_id: int,
    amount_minor: int,
    new_state: PaymentState,
    now: datetime,
    by: str,
    provider_refund_id: str | None,
) -> None:
    check_transition(payment.state, new_state)
    conn.execute(
        update(refunds)
        .where(_R.id == refund_id)
        .values(done=True, at=now, provider_refund_id=provider_refund_id)
    )
    conn.execute(
        update(payments)
        .where(_P.id == payment.id)
        .values(
            state=new_state.value,
            refunded_minor=payment.refunded_minor + amount_minor,
            updated_at=now,
        )
    )
    _event(
        conn,
        payment.id,
        now,
        payment.state,
        new_state,
        step=f"refund-{refund_id}",
        object_id=provider_refund_id,
        by=by,
    )
