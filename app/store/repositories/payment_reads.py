"""Reading the payment ledger: receipts, payments in flight, history, the day's facts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from app.domain.errors import NotFound
from app.domain.payments import (
    AwaitingPayment,
    Payment,
    PaymentEvent,
    PaymentMethod,
    PaymentState,
    Refund,
)
from app.domain.receipts import Receipt, receipt_from_dict
from app.domain.session_price import SessionPrice
from app.domain.settlement import RefundFact
from app.store.database import Database
from app.store.repositories.payment_rows import get_payment, payment_from_row, refund_from_row
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


class PaymentReads:
    """The reading half of SqlPaymentRepository."""

    def __init__(self, db: Database) -> None:
        self._db = db

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

    async def get(self, payment_id: int) -> Payment:
        return await self._db.read(lambda conn: get_payment(conn, payment_id))

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
            return [refund_from_row(r._mapping) for r in rows]

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

    async def between(self, start: datetime, end: datetime) -> list[Payment]:
        """Payments begun in [start, end), newest first."""

        def op(conn: Connection) -> list[Payment]:
            rows = conn.execute(
                select(payments)
                .where(_P.created_at >= start, _P.created_at < end)
                .order_by(_P.created_at.desc(), _P.id.desc())
            )
            return [payment_from_row(r._mapping) for r in rows]

        return await self._db.read(op)

    async def awaiting_payment(self) -> list[AwaitingPayment]:
        def op(conn: Connection) -> list[AwaitingPayment]:
            c, t = session_charges.c, transactions.c
            paid = select(_P.settles_transaction_id).where(_P.settles_transaction_id.is_not(None))
            # A card hold attached to its session is captured by the engine at stop.
            held = select(_P.transaction_id).where(
                _P.transaction_id.is_not(None), _P.state == PaymentState.AUTHORISED.value
            )
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
                    c.transaction_id.not_in(held),
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
