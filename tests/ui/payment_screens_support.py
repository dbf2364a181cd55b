"""Helpers for the payment desk's supporting screens: sessions awaiting payment in the
engine's own database, payments taken through the real ledger, screenshots."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QWidget

from app.domain.payments import (
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    StepOutcome,
)
from app.services.container import Services
from app.services.payments import CashTaken, Recorded
from app.ui.engine_host import EngineHost
from tests.fakes.payment_sessions import insert_ended_walk_ins
from tests.ui.drivers_support import call
from tests.ui.shots import SHOTS

MM_PER_POINT = 25.4 / 72


def ended_walk_in_sessions(host: EngineHost, count: int, total: int = 4640) -> list[int]:
    """Walk-in sessions on CP-1 that ended an hour ago, priced and awaiting payment."""
    now = datetime.now(UTC).replace(microsecond=0)

    async def write(_s: Services) -> list[int]:
        return await insert_ended_walk_ins(host.engine.db, count, total, now)

    return call(host, write)


def pay_cash(host: EngineHost, transaction_id: int, tendered: int, total: int = 4640) -> CashTaken:
    attempt = PaymentAttempt(PaymentMethod.CASH, total, "SEK", transaction_id, by="Anna")
    return call(host, lambda s: s.payments.pay_cash(attempt, tendered))


def pay_card(host: EngineHost, transaction_id: int, total: int = 4640) -> Recorded:
    """A card payment as the card desk records it: the row first, then the reader's answer."""
    attempt = PaymentAttempt(PaymentMethod.CARD, total, "SEK", transaction_id, by="Anna")

    async def take(s: Services) -> Recorded:
        begun = await s.payments.begin(attempt)
        outcome = StepOutcome(
            begun.payment.id,
            ProviderStep.CREATE,
            PaymentState.CAPTURED,
            payment_intent_id=f"pi_test_{begun.payment.id}",
            card_brand="visa",
            card_last4="4242",
        )
        return await s.payments.record(outcome, by="Anna")

    return call(host, take)


def shot(widget: QWidget, name: str) -> Path:
    """Save what the widget shows, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def pdf_text(path: Path) -> str:
    """The text of every page, words separated by single spaces."""
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    reader = PdfReader(path)
    return [
        (float(p.mediabox.width) * MM_PER_POINT, float(p.mediabox.height) * MM_PER_POINT)
        for p in reader.pages
    ]
