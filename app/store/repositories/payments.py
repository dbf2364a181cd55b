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

from sqlalchemy import Connection, func, insert, select, update

from app.domain.errors import InvalidInput, NotFound
from app.domain.payments import (
    Payment,
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    Refund,
    StepOutcome,
    check_refund,
    check_transition,
)
from app.domain.receipts import Receipt, Seller, receipt_from_dict
from app.store.repositories.payment_reads import PaymentReads
from app.store.repositories.payment_rows import (
    add_event,
    apply_refund,
    check_unpaid,
    get_payment,
    insert_payment,
    refund_from_row,
    take_payment,
)
from app.store.schema import (
    payments,
    receipts,
    refunds,
)

T = TypeVar("T")
_P = payments.c
_R = refunds.c


@dataclass(frozen=True, slots=True)
class _Refused:
    error: InvalidInput | NotFound


class SqlPaymentRepository(PaymentReads):
    """The payment ledger in the database; the reads come from PaymentReads."""

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
            check_unpaid(conn, attempt.transaction_id)
            payment_id = insert_payment(conn, attempt, now, in_flight=step.value)
            add_event(
                conn,
                payment_id,
                now,
                None,
                PaymentState.CREATED,
                step=step.value,
                in_flight=True,
                by=attempt.by,
            )
            return get_payment(conn, payment_id)

        return await self._write(op)

    async def begin_step(
        self, payment_id: int, step: ProviderStep, now: datetime, by: str
    ) -> Payment:
        def op(conn: Connection) -> Payment:
            payment = get_payment(conn, payment_id)
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
            add_event(
                conn,
                payment_id,
                now,
                payment.state,
                payment.state,
                step=step.value,
                in_flight=True,
                by=by,
            )
            return get_payment(conn, payment_id)

        return await self._write(op)

    async def record(
        self, outcome: StepOutcome, now: datetime, seller: Seller, by: str
    ) -> tuple[Payment, Receipt | None]:
        def op(conn: Connection) -> tuple[Payment, Receipt | None]:
            payment = get_payment(conn, outcome.payment_id)
            if payment.in_flight is None and payment.state is outcome.new_state:
                return payment, None  # recorded already (a retried record)
            if payment.in_flight is not outcome.step:
                raise InvalidInput(f"payment {payment.id} has no {outcome.step.value} in flight")
            if outcome.new_state is not payment.state:
                check_transition(payment.state, outcome.new_state)
            if outcome.new_state is PaymentState.CAPTURED:
                check_unpaid(conn, payment.transaction_id)
                if (outcome.captured_minor or 0) > payment.amount_minor:
                    raise InvalidInput(
                        f"a capture of {outcome.captured_minor} exceeds the hold of "
                        f"{payment.amount_minor}"
                    )
            values: dict[str, Any] = {
                "state": outcome.new_state.value,
                "in_flight": None,
                "updated_at": now,
            }
            for name in ("payment_intent_id", "checkout_session_id", "card_brand", "card_last4"):
                if getattr(outcome, name) is not None:
                    values[name] = getattr(outcome, name)
            if outcome.captured_minor is not None:
                values["amount_minor"] = outcome.captured_minor
            if outcome.new_state is PaymentState.FAILED:
                values["failure_reason"] = outcome.reason
            conn.execute(update(payments).where(_P.id == payment.id).values(**values))
            add_event(
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
                receipt = take_payment(conn, get_payment(conn, payment.id), now, seller)
            return get_payment(conn, payment.id), receipt

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
            check_unpaid(conn, attempt.transaction_id)
            payment_id = insert_payment(conn, attempt, now, state=state.value, **extra)
            add_event(conn, payment_id, now, None, PaymentState.CREATED, by=attempt.by)
            add_event(conn, payment_id, now, PaymentState.CREATED, state, by=attempt.by)
            receipt = take_payment(conn, get_payment(conn, payment_id), now, seller, email)
            return get_payment(conn, payment_id), receipt

        return await self._write(op)

    async def attach_session(
        self, payment_id: int, transaction_id: int, now: datetime, by: str
    ) -> Payment:
        """A hold taken before the session existed now belongs to that session."""

        def op(conn: Connection) -> Payment:
            payment = get_payment(conn, payment_id)
            if payment.transaction_id == transaction_id:
                return payment
            if payment.transaction_id is not None:
                raise InvalidInput(
                    f"payment {payment_id} belongs to session {payment.transaction_id} already"
                )
            if payment.state not in (PaymentState.CREATED, PaymentState.AUTHORISED):
                raise InvalidInput(f"payment {payment_id} is {payment.state.value}: too late")
            check_unpaid(conn, transaction_id)
            conn.execute(
                update(payments)
                .where(_P.id == payment_id)
                .values(transaction_id=transaction_id, updated_at=now)
            )
            add_event(
                conn,
                payment_id,
                now,
                payment.state,
                payment.state,
                step="attach",
                reason=f"session {transaction_id}",
                by=by,
            )
            return get_payment(conn, payment_id)

        return await self._write(op)

    async def raise_hold(
        self, payment_id: int, new_total_minor: int, now: datetime, by: str
    ) -> Payment:
        """The issuer granted a larger hold: the most the session's capture may take."""

        def op(conn: Connection) -> Payment:
            payment = get_payment(conn, payment_id)
            if payment.state is not PaymentState.AUTHORISED or payment.in_flight is not None:
                raise InvalidInput(f"payment {payment_id} is {payment.state.value}: no hold")
            if new_total_minor <= payment.amount_minor:
                raise InvalidInput(
                    f"a raised hold is more than the {payment.amount_minor} held already"
                )
            conn.execute(
                update(payments)
                .where(_P.id == payment_id)
                .values(amount_minor=new_total_minor, updated_at=now)
            )
            add_event(
                conn,
                payment_id,
                now,
                payment.state,
                payment.state,
                step="increment",
                reason=f"hold raised from {payment.amount_minor} to {new_total_minor}",
                by=by,
            )
            return get_payment(conn, payment_id)

        return await self._write(op)

    async def note(
        self, payment_id: int, now: datetime, reason: str, step: str, by: str = ""
    ) -> Payment:
        """An event that changes no state (a mismatch found by reconciliation)."""

        def op(conn: Connection) -> Payment:
            payment = get_payment(conn, payment_id)
            add_event(
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
            payment = get_payment(conn, payment_id)
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
            add_event(
                conn,
                payment_id,
                now,
                payment.state,
                PaymentState.VOIDED,
                step="void",
                reason=reason,
                by=by,
            )
            return get_payment(conn, payment_id)

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
            payment = get_payment(conn, payment_id)
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
                apply_refund(conn, payment, refund_id, amount_minor, new_state, now, by, None)
            else:
                add_event(
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
            return refund_from_row(row._mapping), get_payment(conn, payment_id)

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
            refund = refund_from_row(row._mapping)
            payment = get_payment(conn, refund.payment_id)
            if refund.done or row.failure is not None:
                return refund, payment  # recorded already
            if failure is not None:
                conn.execute(update(refunds).where(_R.id == refund_id).values(failure=failure))
                add_event(
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
                apply_refund(
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
            return refund_from_row(row._mapping), get_payment(conn, payment.id)

        return await self._write(op)

    # ---- receipts ----

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
