"""Helpers for the payment desk's supporting screens: sessions awaiting payment in the
engine's own database, payments taken through the real ledger, screenshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QWidget
from sqlalchemy import Connection, insert

from app.domain.payments import (
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    StepOutcome,
)
from app.domain.session_price import LineKind, PriceLine, QuantityUnit, SessionPrice
from app.domain.tariffs import Tariff
from app.services.container import Services
from app.services.payments import CashTaken, Recorded
from app.store.schema import session_charges, stations, transactions
from app.ui.engine_host import EngineHost
from tests.ui.drivers_support import call

SHOTS = Path("/work/notes/shots")
MM_PER_POINT = 25.4 / 72


def walk_in_price(total: int, now: datetime) -> SessionPrice:
    vat = (total * 2500 + 6250) // 12500
    return SessionPrice(
        lines=(
            PriceLine(LineKind.START_FEE, "Start fee", 500),
            PriceLine(
                LineKind.ENERGY, "Energy", total - 500, Decimal("12.000"), QuantityUnit.KWH, 345
            ),
        ),
        total_minor=total,
        vat_minor=vat,
        net_minor=total - vat,
        vat_rate_bp=2500,
        currency="SEK",
        energy_wh=12000.0,
        charging_seconds=3600,
        idle_seconds=0,
        included_wh_used=0,
        final=True,
        as_of=now,
    )


def ended_walk_in_sessions(host: EngineHost, count: int, total: int = 4640) -> list[int]:
    """Walk-in sessions on CP-1 that ended an hour ago, priced and awaiting payment."""
    now = datetime.now(UTC).replace(microsecond=0)
    price = walk_in_price(total, now)

    def op(conn: Connection) -> list[int]:
        conn.execute(
            insert(stations).prefix_with("OR IGNORE"),
            {"id": "CP-1", "admission": "Accepted", "created_at": now},
        )
        ids = []
        for n in range(count):
            started = now - timedelta(hours=2, minutes=n)
            tx = conn.execute(
                insert(transactions).returning(transactions.c.id),
                {
                    "station_id": "CP-1",
                    "connector_id": 1,
                    "id_tag": f"WALK-{n}",
                    "id_tag_status": "Accepted",
                    "meter_start": 1000,
                    "started_at": started,
                    "state": "closed",
                    "meter_stop": 13000,
                    "stopped_at": started + timedelta(hours=1),
                    "created_at": started,
                },
            ).scalar_one()
            conn.execute(
                insert(session_charges),
                {
                    "transaction_id": tx,
                    "tariff_snapshot": Tariff("Walk-in", energy_per_kwh_minor=345).to_dict(),
                    "walk_in": True,
                    "currency": "SEK",
                    "total_minor": total,
                    "vat_minor": price.vat_minor,
                    "energy_wh": 12000,
                    "lines": price.to_dict(),
                    "final": True,
                    "priced_at": now,
                },
            )
            ids.append(int(tx))
        return ids

    async def write(_s: Services) -> list[int]:
        return await host.engine.db.write(op)

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
