"""Rows of the payment ledger: mapping, history events, receipts and refunds applied.

Helpers for app/store/repositories/payments.py; each runs inside the caller's write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from app.domain.errors import InvalidInput, NotFound
from app.domain.payments import (
    Payment,
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    Refund,
    check_transition,
)
from app.domain.receipts import Receipt, ReceiptSession, Seller, build_receipt
from app.domain.session_price import SessionPrice
from app.store.schema import (
    payment_events,
    payments,
    receipts,
    refunds,
    session_charges,
    transactions,
)

_P = payments.c
_R = refunds.c


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


def refund_from_row(m: RowMapping) -> Refund:
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


def get_payment(conn: Connection, payment_id: int) -> Payment:
    row = conn.execute(select(payments).where(_P.id == payment_id)).first()
    if row is None:
        raise NotFound(f"there is no payment {payment_id}")
    return payment_from_row(row._mapping)


def add_event(
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


def check_unpaid(conn: Connection, transaction_id: int | None) -> None:
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


def insert_payment(conn: Connection, attempt: PaymentAttempt, now: datetime, **extra: Any) -> int:
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


def issue_receipt(
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


def take_payment(
    conn: Connection, payment: Payment, now: datetime, seller: Seller, email: str | None = None
) -> Receipt:
    """Mark the session paid by this payment and issue its receipt."""
    check_unpaid(conn, payment.transaction_id)
    conn.execute(
        update(payments)
        .where(_P.id == payment.id)
        .values(settles_transaction_id=payment.transaction_id, captured_at=now)
    )
    return issue_receipt(conn, get_payment(conn, payment.id), now, seller, email)


def apply_refund(
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
    add_event(
        conn,
        payment.id,
        now,
        payment.state,
        new_state,
        step=f"refund-{refund_id}",
        # Why the money went back, in the payment's own history (the API and CLI show it).
        reason=conn.execute(select(_R.reason).where(_R.id == refund_id)).scalar_one(),
        object_id=provider_refund_id,
        by=by,
    )
