"""What pay-before-charging needs from the card payments and the store, as Protocols.

The card side is app.services.card_payments.CardPayments (the calls used here, no
more). Its failures are app.domain.payment_errors.PaymentProviderError (Stripe
unreachable, refused, not set up) or InvalidInput, whose str() is safe to show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.domain.payments import Payment, PaymentAttempt
from app.domain.preauth import PreAuth
from app.domain.receipts import Receipt


class CardOutcome(Protocol):
    """app.services.card_payments.CardResult."""

    @property
    def payment(self) -> Payment: ...
    @property
    def outcome(self) -> str: ...  # approved, declined, timed_out or cancelled
    @property
    def message(self) -> str: ...


class Taken(Protocol):
    """app.services.payments.Recorded."""

    @property
    def payment(self) -> Payment: ...
    @property
    def receipt(self) -> Receipt | None: ...


class CardHolds(Protocol):
    async def open(self, attempt: PaymentAttempt, *, hold: bool, by: str = "") -> Payment: ...
    async def present(self, payment_id: int, reader_id: str, by: str = "") -> None: ...
    async def outcome(
        self, payment_id: int, reader_id: str, timeout: float, by: str = ""
    ) -> CardOutcome: ...
    async def withdraw(
        self, payment_id: int, reader_id: str | None, reason: str, by: str = ""
    ) -> Payment: ...
    async def capture(self, payment_id: int, amount_minor: int, by: str = "") -> Taken: ...
    async def release(self, payment_id: int, reason: str, by: str = "") -> Payment: ...
    async def increase_hold(self, payment_id: int, new_total_minor: int, by: str = "") -> bool: ...


class PreAuthRepository(Protocol):
    """Implemented by app/store/repositories/preauth.py."""

    async def add(self, pre: PreAuth, now: datetime) -> PreAuth: ...
    async def save(self, pre: PreAuth, now: datetime) -> PreAuth: ...
    async def get(self, payment_id: int) -> PreAuth: ...
    async def unfinished(self) -> list[PreAuth]: ...
