"""What the customer-facing display shows, as the desk view says it: no engine calls.

The desk view owns one `CustomerFeed` and tells it each step of a payment
(`show(...)`); the terminal-mode window only listens. Plain values, so a test can
read what the customer would see without opening the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from PySide6.QtCore import QObject, Signal


class Shown(StrEnum):
    IDLE = "idle"  # nothing to pay: a welcome
    AMOUNT = "amount"  # a session chosen at the desk: its amount
    CARD = "card"  # the reader waits for a tap
    QR = "qr"  # a QR code to scan
    CASH = "cash"  # paying cash at the desk
    HOLD = "hold"  # a walk-in: tap to hold an amount and start
    CHARGING = "charging"  # a walk-in charging on a hold: the live price
    PAID = "paid"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class CustomerView:
    """One screenful for the customer; `amount` already formatted ("123.45 SEK")."""

    shown: Shown = Shown.IDLE
    amount: str = ""
    qr_url: str | None = None
    expires_at: datetime | None = None
    detail: str = ""  # a second line: change due, a decline reason, the bay


class CustomerFeed(QObject):
    """The desk's current screen for the customer; `changed` carries a CustomerView."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.current = CustomerView()

    def show(
        self,
        shown: Shown,
        amount: str = "",
        *,
        qr_url: str | None = None,
        expires_at: datetime | None = None,
        detail: str = "",
    ) -> None:
        view = CustomerView(shown, amount, qr_url, expires_at, detail)
        if view != self.current:
            self.current = view
            self.changed.emit(view)
