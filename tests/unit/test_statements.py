"""A driver's monthly statement: what it lists, how it adds up, and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.errors import InvalidInput
from app.domain.statements import (
    BOM,
    CSV_COLUMNS,
    ChargedSession,
    CsvStyle,
    Statement,
    build_statement,
    statement_csv,
)
from app.domain.subscriptions import Month, MonthlyFee

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOVEMBER = Month(2026, 11)


def session(
    tx: int,
    start: datetime,
    minutes: int | None = 60,
    *,
    wh: int = 10_000,
    total: int | None = 2_500,
    vat: int | None = 500,
    rate: int = 2500,
    included: int = 0,
    currency: str = "SEK",
    station: str = "CP-1",
) -> ChargedSession:
    stop = None if minutes is None else start + timedelta(minutes=minutes)
    return ChargedSession(
        tx, station, start, stop, wh, total, vat, rate, currency, included, minutes is not None
    )


def fee(amount: int = 30_000, days: int = 30, currency: str = "SEK") -> MonthlyFee:
    return MonthlyFee(1, "Gold", NOVEMBER, days, 30, amount, 2500, currency)


def statement(*sessions: ChargedSession, fees: tuple[MonthlyFee, ...] = ()) -> Statement:
    return build_statement(
        driver_id=7,
        driver_name="Anna Berg",
        fleet_name="Vans",
        month=NOVEMBER,
        zone=STOCKHOLM,
        sessions=sessions,
        fees=fees,
    )


def test_sessions_are_listed_in_start_order_at_local_time() -> None:
    late = session(2, datetime(2026, 11, 20, 7, tzinfo=UTC))
    early = session(1, datetime(2026, 11, 1, 6, 30, tzinfo=UTC), 95)
    built = statement(late, early)
    assert [row.transaction_id for row in built.sessions] == [1, 2]
    first = built.sessions[0]
    assert first.started.isoformat() == "2026-11-01T07:30:00+01:00"
    assert first.duration_seconds == 95 * 60


def test_totals_are_the_sum_of_the_rows_plus_the_fees() -> None:
    built = statement(
        session(1, datetime(2026, 11, 2, 8, tzinfo=UTC), total=0, vat=0, included=10_000),
        session(2, datetime(2026, 11, 3, 8, tzinfo=UTC), total=3_457, vat=691),
        fees=(fee(),),
    )
    assert built.charging_minor == 3_457
    assert built.fees_minor == 30_000
    assert built.total_minor == 33_457
    assert (built.energy_wh, built.included_wh) == (20_000, 10_000)
    (vat,) = built.vat
    # 30 000 contains 6 000 VAT at 25 %.
    assert (vat.rate_bp, vat.gross_minor, vat.vat_minor) == (2500, 33_457, 6_691)
    assert built.vat_minor == vat.vat_minor
    assert vat.net_minor == 33_457 - 6_691


def test_vat_is_given_per_rate() -> None:
    built = statement(
        session(1, datetime(2026, 11, 2, 8, tzinfo=UTC), total=1_200, vat=200, rate=2000),
        session(2, datetime(2026, 11, 3, 8, tzinfo=UTC), total=1_250, vat=250),
    )
    assert [(row.rate_bp, row.gross_minor, row.vat_minor) for row in built.vat] == [
        (2000, 1_200, 200),
        (2500, 1_250, 250),
    ]
    assert built.vat_minor == 450


def test_a_session_still_charging_makes_the_statement_provisional() -> None:
    built = statement(session(1, datetime(2026, 11, 30, 20, tzinfo=UTC), None))
    assert built.provisional
    assert built.sessions[0].duration_seconds is None
    unpriced = statement(session(2, datetime(2026, 11, 2, tzinfo=UTC), total=None, vat=None))
    assert unpriced.provisional
    assert unpriced.total_minor == 0


def test_a_month_without_anything_is_an_empty_statement_in_the_default_currency() -> None:
    built = statement()
    assert (built.total_minor, built.vat, built.currency, built.provisional) == (
        0,
        (),
        "SEK",
        False,
    )


def test_amounts_in_two_currencies_are_refused() -> None:
    with pytest.raises(InvalidInput, match="EUR, SEK; a statement is in one currency"):
        statement(session(1, datetime(2026, 11, 2, tzinfo=UTC)), fees=(fee(currency="EUR"),))


def test_json_form_carries_minor_units_and_the_totals() -> None:
    data = statement(session(1, datetime(2026, 11, 2, 8, tzinfo=UTC)), fees=(fee(),)).to_dict()
    assert data["month"] == "2026-11"
    assert data["total_minor"] == 32_500
    assert data["fees"] == [
        {
            "plan": "Gold",
            "description": "Subscription Gold, 30 of 30 days",
            "active_days": 30,
            "days_in_month": 30,
            "amount_minor": 30_000,
            "vat_minor": 6_000,
            "vat_rate_bp": 2500,
        }
    ]


def rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=delimiter))


def test_csv_has_a_row_per_session_fee_vat_rate_and_the_totals() -> None:
    built = statement(
        session(1, datetime(2026, 11, 2, 8, tzinfo=UTC), 90, wh=12_345, total=3_457, vat=691),
        fees=(fee(15_000, 15),),
    )
    parsed = rows(statement_csv(built))
    assert list(parsed[0]) == list(CSV_COLUMNS)
    assert [row["kind"] for row in parsed] == ["session", "fee", "charging", "fees", "vat", "total"]
    first = parsed[0]
    assert (first["driver"], first["fleet"], first["month"]) == ("Anna Berg", "Vans", "2026-11")
    assert (first["start"], first["station"], first["energy_kwh"]) == (
        "2026-11-02 09:00",
        "CP-1",
        "12.345",
    )
    assert (first["duration_min"], first["amount"], first["vat_rate"], first["vat"]) == (
        "90.0",
        "34.57",
        "25",
        "6.91",
    )
    assert parsed[1]["description"] == "Subscription Gold, 15 of 30 days"
    assert parsed[-1]["amount"] == "184.57"
    assert sum(float(row["amount"]) for row in parsed[:2]) == pytest.approx(184.57)


def test_swedish_excel_csv_uses_semicolons_and_decimal_commas() -> None:
    built = statement(session(1, datetime(2026, 11, 2, 8, tzinfo=UTC), wh=12_345, total=3_457))
    text = statement_csv(built, CsvStyle.SEMICOLON)
    parsed = rows(text, ";")
    assert (parsed[0]["energy_kwh"], parsed[0]["amount"]) == ("12,345", "34,57")
    assert "Anna Berg;Vans;2026-11;session" in text


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_made_plain_text() -> None:
    built = build_statement(
        driver_id=1,
        driver_name="=HYPERLINK(1)",
        fleet_name="@evil",
        month=NOVEMBER,
        zone=STOCKHOLM,
        sessions=[session(1, datetime(2026, 11, 2, tzinfo=UTC), station="+CP")],
        fees=(),
    )
    first = rows(statement_csv(built))[0]
    assert (first["driver"], first["fleet"], first["station"]) == (
        "'=HYPERLINK(1)",
        "'@evil",
        "'+CP",
    )
