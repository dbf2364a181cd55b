"""Receipts at printer width and the end-of-day Z-report on crafted payments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.domain.payments import Payment, PaymentMethod, PaymentState
from app.domain.receipts import (
    ReceiptSession,
    Seller,
    build_receipt,
    receipt_from_dict,
    render_text,
)
from app.domain.session_price import LineKind, PriceLine, QuantityUnit, SessionPrice
from app.domain.settlement import (
    RefundFact,
    build_settlement,
    day_bounds,
    settlement_csv,
    settlement_text,
)
from app.domain.statements import CsvStyle

ZONE = ZoneInfo("Europe/Stockholm")
T = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
SELLER = Seller("Depot Charging AB", "556677-8899", "Hamnvägen 1\n111 22 Stockholm")


def payment(
    n: int,
    method: PaymentMethod,
    amount: int,
    state: PaymentState = PaymentState.CAPTURED,
    at: datetime = T,
    **extra: object,
) -> Payment:
    return Payment(
        id=n,
        transaction_id=n,
        method=method,
        amount_minor=amount,
        currency="SEK",
        vat_rate_bp=2500,
        state=state,
        in_flight=None,
        created_at=at,
        updated_at=at,
        captured_at=None if state is PaymentState.AUTHORISED else at,
        **extra,  # type: ignore[arg-type]
    )


PRICE = SessionPrice(
    lines=(
        PriceLine(LineKind.START_FEE, "Start fee", 500),
        PriceLine(LineKind.ENERGY, "Energy", 4140, Decimal("12.000"), QuantityUnit.KWH, 345),
    ),
    total_minor=4640,
    vat_minor=928,
    net_minor=3712,
    vat_rate_bp=2500,
    currency="SEK",
    energy_wh=12000.0,
    charging_seconds=5400,
    idle_seconds=0,
    included_wh_used=0,
    final=True,
    as_of=T,
)
SESSION = ReceiptSession(7, "CP-NORTH-1", T - timedelta(minutes=95), T, 12000)


def test_a_card_receipt_shows_the_session_lines_vat_and_only_brand_and_last_four() -> None:
    paid = payment(7, PaymentMethod.CARD, 4640, card_brand="visa", card_last4="4242")
    receipt = build_receipt(12, T, SELLER, paid, SESSION, PRICE, "driver@example.com")
    text = render_text(receipt, ZONE)
    assert all(len(line) <= 42 for line in text.splitlines())
    for expected in (
        "Depot Charging AB",
        "556677-8899",
        "Receipt no.",
        "CP-NORTH-1",
        "2026-11-25 13:25",  # start, local time
        "2026-11-25 15:00",  # stop, local time
        "1 h 35 min",
        "12.000 kWh",
        "Start fee",
        "46.40 SEK",
        "VAT 25 % of 37.12 SEK",
        "9.28 SEK",
        "Card VISA **** 4242",
    ):
        assert expected in text, expected
    assert receipt_from_dict(receipt.to_dict()) == receipt


def test_a_cash_receipt_shows_tendered_and_change() -> None:
    paid = payment(8, PaymentMethod.CASH, 4640, tendered_minor=5000, change_minor=360)
    text = render_text(build_receipt(13, T, SELLER, paid, SESSION, PRICE), ZONE)
    assert "Cash tendered" in text
    assert "3.60 SEK" in text


def test_the_z_report_sums_each_method_and_takes_refunds_and_voids_out_of_the_drawer() -> None:
    day = date(2026, 11, 25)
    payments = [
        payment(1, PaymentMethod.CASH, 5000),
        payment(2, PaymentMethod.CASH, 3000, PaymentState.PARTIALLY_REFUNDED),
        payment(3, PaymentMethod.CASH, 2000, PaymentState.VOIDED),
        payment(4, PaymentMethod.CARD, 10000),
        payment(5, PaymentMethod.ACCOUNT, 8000, PaymentState.INVOICED),
        payment(6, PaymentMethod.CARD, 9999, at=T - timedelta(days=1)),  # yesterday
    ]
    refunds = [RefundFact(T, PaymentMethod.CASH, 1000, 2500)]
    holds = [payment(9, PaymentMethod.CARD, 30000, PaymentState.AUTHORISED)]
    report = build_settlement(day, ZONE, "SEK", payments, refunds, holds, opening_float_minor=20000)
    by = {m.method: m for m in report.methods}
    assert (by[PaymentMethod.CASH].count, by[PaymentMethod.CASH].amount_minor) == (2, 8000)
    assert by[PaymentMethod.CASH].vat_minor == 1600
    assert by[PaymentMethod.CARD].amount_minor == 10000
    assert by[PaymentMethod.ACCOUNT].amount_minor == 8000
    assert (report.voids_count, report.voids_minor) == (1, 2000)
    assert report.refunded_minor == 1000
    assert (report.open_holds_count, report.open_holds_minor) == (1, 30000)
    assert report.cash_expected_minor == 20000 + 8000 - 1000
    assert "CASH EXPECTED IN DRAWER" in settlement_text(report)
    assert all(len(line) <= 42 for line in settlement_text(report).splitlines())


def test_the_day_the_clocks_go_back_has_25_hours_and_counts_its_late_payments() -> None:
    day = date(2026, 10, 25)  # Sweden leaves summer time
    start, end = day_bounds(day, ZONE)
    assert end - start == timedelta(hours=25)
    late = datetime(2026, 10, 25, 22, 30, tzinfo=UTC)  # 23:30 local, still that day
    next_day = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)  # 00:30 local on the 26th
    report = build_settlement(
        day,
        ZONE,
        "SEK",
        [
            payment(1, PaymentMethod.CARD, 100, at=late),
            payment(2, PaymentMethod.CARD, 7, at=next_day),
        ],
        [],
        [],
    )
    assert report.taken_minor == 100


def test_the_z_report_csv_has_a_bom_semicolons_and_decimal_commas() -> None:
    report = build_settlement(
        date(2026, 11, 25), ZONE, "SEK", [payment(1, PaymentMethod.CASH, 4640)], [], []
    )
    text = settlement_csv(report, CsvStyle.SEMICOLON)
    assert text.startswith("\ufeffday;section;method;count;amount;vat;currency\r\n")
    assert "2026-11-25;payments;cash;1;46,40;9,28;SEK\r\n" in text
    assert "cash_expected;cash;;46,40;;SEK" in text
