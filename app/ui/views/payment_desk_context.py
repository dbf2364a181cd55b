"""What each way to pay needs from the desk around it, and the desk's shared helpers.

The pages (card, QR, cash, account, subscription) run their own engine calls and
report back through a `DeskContext`: the session chosen, what Stripe allows, one
notice line, the customer display, and "a payment was taken".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QWidget

from app.domain.payment_errors import PaymentProviderError
from app.services.container import Services
from app.services.payment_desk import AwaitingSession, DeskAvailability
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.operations import EngineOp, describe_error
from app.ui.views.alarm_style import operator_name
from app.ui.views.payment_desk_display import CustomerFeed
from app.ui.views.tariff_text import money

T = TypeVar("T")
BIG_BUTTON_HEIGHT = 44


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


def problem_text(message: str, exc: BaseException) -> str:
    """Plain words: the provider's own (safe) message, else the app's usual description."""
    if isinstance(exc, PaymentProviderError):
        return sentence(str(exc))
    return sentence(message or describe_error(exc))


def attendant() -> str:
    return operator_name()


def amount_of(session: AwaitingSession) -> str:
    return money(session.total_minor, session.currency)


def big_button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setMinimumHeight(BIG_BUTTON_HEIGHT)
    return button


class DeskContext(Protocol):
    host: EngineHost
    feed: CustomerFeed

    def session(self) -> AwaitingSession | None: ...

    def availability(self) -> DeskAvailability: ...

    def tell(self, text: str, error: bool = False) -> None: ...

    def refresh(self) -> None:
        """Read the list and what Stripe allows again."""

    def busy(self, on: bool) -> None:
        """A card or QR payment is open: the list and the other ways to pay wait."""

    def taken(self, receipt_number: int | None, text: str) -> None:
        """A payment was taken (receipt_number when one was issued)."""


def run(
    desk: DeskContext,
    call: Callable[[Services], Awaitable[T]],
    done: Callable[[T], None],
    failed: Callable[[str], None] | None = None,
) -> None:
    """An engine call for a page: `done` with its result, else the problem in the notice
    (and `failed`, so the page can put its buttons back)."""

    def refused(message: str, exc: BaseException) -> None:
        text = problem_text(message, exc)
        desk.tell(text, True)
        if failed is not None:
            failed(text)
        desk.refresh()  # Stripe may be off now, or the session paid elsewhere

    EngineOp(desk.host, call).success(done).failure(refused).run()
