"""The Z-report as CSV (app.domain.settlement.settlement_csv), read back the way a
spreadsheet reads it: every section and method has its row, in either style."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.payments import Payment, PaymentMethod, PaymentState
from app.domain.settlement import CSV_COLUMNS, RefundFact, Settlement, build_settlement
from app.domain.settlement import settlement_csv as z_csv
from app.domain.statements import CsvStyle

ZONE = ZoneInfo("Europe/Stockholm")
DAY = date(2026, 11, 25)
T = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def paid(
    payment_id: int,
    method: PaymentMethod,
    amount: int,
    state: PaymentState = PaymentState.CAPTURED,
    currency: str = "SEK",
) -> Payment:
    return Payment(
        payment_id,
        payment_id,
        method,
        amount,
        currency,
        2500,
        state,
        None,
        T,
        T,
        captured_at=T,
    )


def busy_day(currency: str = "SEK") -> Settlement:
    return build_settlement(
        DAY,
        ZONE,
        currency,
        [
            paid(1, PaymentMethod.CASH, 5000, currency=currency),
            paid(2, PaymentMethod.CARD, 12550, PaymentState.PARTIALLY_REFUNDED, currency),
            paid(3, PaymentMethod.CASH, 2000, PaymentState.VOIDED, currency),
            paid(4, PaymentMethod.QR, 4640, currency=currency),
        ],
        [
            RefundFact(T, PaymentMethod.CARD, 2550, 2500),
            RefundFact(T, PaymentMethod.CASH, 1000, 2500),
        ],
        [paid(9, PaymentMethod.CARD, 30000, PaymentState.AUTHORISED, currency)],
        opening_float_minor=20000,
    )


def rows(text: str, delimiter: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "a BOM, so a spreadsheet reads it as UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


@pytest.mark.parametrize(
    ("style", "delimiter", "point"),
    [(CsvStyle.SEMICOLON, ";", ","), (CsvStyle.COMMA, ",", ".")],
)
def test_every_section_reads_back_with_its_figures(
    style: CsvStyle, delimiter: str, point: str
) -> None:
    text = z_csv(busy_day(), style)
    assert text.splitlines()[0].lstrip("\ufeff") == delimiter.join(CSV_COLUMNS)
    read = rows(text, delimiter)
    assert {r["day"] for r in read} == {"2026-11-25"}
    assert {r["currency"] for r in read} == {"SEK"}
    payments = {r["method"]: r for r in read if r["section"] == "payments"}
    assert list(payments) == [m.value for m in PaymentMethod], "zeros included, fixed order"
    assert (payments["card"]["count"], payments["card"]["amount"]) == ("1", f"125{point}50")
    assert payments["account"]["amount"] == f"0{point}00"
    refunds = {r["method"]: r["amount"] for r in read if r["section"] == "refunds"}
    assert refunds == {"card": f"25{point}50", "cash": f"10{point}00"}
    by_section = {r["section"]: r for r in read if r["section"] not in ("payments", "refunds")}
    assert (by_section["voids"]["count"], by_section["voids"]["amount"]) == ("1", f"20{point}00")
    assert by_section["open_holds"]["amount"] == f"300{point}00"
    assert by_section["opening_float"]["amount"] == f"200{point}00"
    # 200.00 float + 50.00 cash - 10.00 handed back
    assert by_section["cash_expected"]["amount"] == f"240{point}00"
    assert by_section["cash_expected"]["vat"] == ""


def test_rows_end_with_crlf_as_spreadsheets_expect() -> None:
    text = z_csv(busy_day(), CsvStyle.SEMICOLON)
    assert text.count("\r\n") == len(text.splitlines())


def test_a_currency_without_minor_units_has_no_decimals() -> None:
    read = rows(z_csv(busy_day("JPY"), CsvStyle.SEMICOLON), ";")
    cash = next(r for r in read if r["section"] == "payments" and r["method"] == "cash")
    assert cash["amount"] == "5000"


def test_a_quiet_day_still_has_every_row() -> None:
    report = build_settlement(DAY, ZONE, "SEK", [], [], [], opening_float_minor=0)
    read = rows(z_csv(report, CsvStyle.SEMICOLON), ";")
    sections = [r["section"] for r in read]
    assert sections.count("payments") == len(PaymentMethod)
    assert "refunds" not in sections
    assert sections[-4:] == ["voids", "open_holds", "opening_float", "cash_expected"]
