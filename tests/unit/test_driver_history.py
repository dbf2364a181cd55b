"""A driver's history summed up: periods in the site's zone, monthly totals, the budget, CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.driver_history import (
    HISTORY_CSV_COLUMNS,
    BudgetOwner,
    BudgetStatus,
    PeriodKind,
    history_csv,
    monthly_totals,
    period_bounds,
    spent_minor,
)
from app.domain.errors import InvalidInput
from app.domain.session_charges import SessionRecord
from app.domain.statements import CsvStyle
from app.domain.subscriptions import Month

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def session(
    transaction_id: int,
    started: datetime,
    *,
    minutes: int | None = 45,
    wh: int | None = 22_000,
    total: int | None = 8_090,
    vat: int | None = 1_618,
    currency: str | None = "SEK",
    station: str = "DEPOT-01",
) -> SessionRecord:
    stopped = None if minutes is None else started + timedelta(minutes=minutes)
    return SessionRecord(
        transaction_id=transaction_id,
        station_id=station,
        connector_id=1,
        id_tag="AA01",
        started_at=started,
        stopped_at=stopped,
        energy_wh=wh,
        driver_id=1,
        fleet_id=None,
        subscription_id=None,
        walk_in=False,
        tariff_name="Depot standard" if currency else None,
        currency=currency,
        total_minor=total,
        vat_minor=vat,
        included_wh_used=0,
        final=minutes is not None,
    )


def test_this_month_runs_from_local_midnight_of_the_first() -> None:
    since, until = period_bounds(PeriodKind.THIS_MONTH, date(2026, 3, 15), STOCKHOLM)
    assert since == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert until == datetime(2026, 3, 31, 22, 0, tzinfo=UTC), "summer time from March 29"


def test_last_month_of_january_is_december_of_the_year_before() -> None:
    since, until = period_bounds(PeriodKind.LAST_MONTH, date(2026, 1, 5), STOCKHOLM)
    assert since == datetime(2025, 11, 30, 23, 0, tzinfo=UTC)
    assert until == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)


def test_a_custom_range_includes_its_last_day_and_all_is_open() -> None:
    since, until = period_bounds(
        PeriodKind.CUSTOM, date(2026, 6, 1), STOCKHOLM, date(2026, 5, 10), date(2026, 5, 10)
    )
    assert (since, until) == (
        datetime(2026, 5, 9, 22, 0, tzinfo=UTC),
        datetime(2026, 5, 10, 22, 0, tzinfo=UTC),
    )
    assert period_bounds(PeriodKind.ALL, date(2026, 6, 1), STOCKHOLM) == (None, None)
    with pytest.raises(InvalidInput, match="cannot end"):
        period_bounds(
            PeriodKind.CUSTOM, date(2026, 6, 1), STOCKHOLM, date(2026, 5, 10), date(2026, 5, 9)
        )


def test_a_session_counts_in_the_local_month_it_started() -> None:
    # 23:30 UTC on 31 October is 00:30 on 1 November in Stockholm.
    late = session(1, datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    early = session(2, datetime(2026, 10, 31, 22, 30, tzinfo=UTC), total=1_000)
    totals = monthly_totals([late, early], STOCKHOLM)
    assert [(t.month, t.sessions, t.cost_in("SEK")) for t in totals] == [
        (Month(2026, 11), 1, 8_090),
        (Month(2026, 10), 1, 1_000),
    ]


def test_monthly_totals_add_energy_of_every_session_and_cost_of_priced_ones() -> None:
    november = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    records = [
        session(1, november),
        session(2, november.replace(day=9), wh=10_500, total=4_123, vat=825),
        session(3, november.replace(day=12), wh=5_000, total=None, vat=None, currency=None),
        session(4, november.replace(day=20), minutes=None, wh=3_000, total=1_500, vat=300),
    ]
    (total,) = monthly_totals(records, STOCKHOLM)
    assert total.sessions == 4
    assert total.energy_wh == 40_500
    assert total.costs == (("SEK", 8_090 + 4_123 + 1_500),)
    assert (total.unpriced, total.live) == (1, 1)


def test_the_budget_percentage_is_rounded_half_up_and_over_means_more_than_the_budget() -> None:
    status = BudgetStatus(BudgetOwner.DRIVER, "Anna", Month(2026, 11), 200_000, 123_450, "SEK")
    assert (status.percent, status.over) == (62, False)
    assert replace(status, spent_minor=200_000).over is False
    assert replace(status, spent_minor=200_001).over is True
    assert replace(status, spent_minor=1_000).percent == 1, "0.5 % rounds up"
    assert replace(status, budget_minor=0, spent_minor=0).percent == 0
    assert replace(status, budget_minor=0, spent_minor=1).percent is None


def test_spent_counts_only_priced_sessions_in_the_budget_currency() -> None:
    start = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    records = [
        session(1, start, total=1_000),
        session(2, start, total=None, currency=None),
        session(3, start, total=700, currency="EUR"),
        session(4, start, minutes=None, total=250),
    ]
    assert spent_minor(records, "SEK") == 1_250


def test_the_csv_has_one_row_per_session_in_local_time_with_exact_amounts() -> None:
    records = [
        session(7, datetime(2026, 11, 25, 16, 30, tzinfo=UTC)),
        session(8, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), minutes=None, total=1_234, vat=247),
        session(9, datetime(2026, 11, 27, 9, 0, tzinfo=UTC), currency=None, total=None, vat=None),
        session(10, datetime(2026, 11, 28, 9, 0, tzinfo=UTC), station="=HYPERLINK(1)"),
    ]
    text = history_csv(records, STOCKHOLM)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == HISTORY_CSV_COLUMNS
    assert rows[1] == [
        "7",
        "2026-11-25 17:30",
        "2026-11-25 18:15",
        "DEPOT-01",
        "1",
        "AA01",
        "22.000",
        "45.0",
        "80.90",
        "16.18",
        "SEK",
        "final",
        "Depot standard",
    ]
    assert rows[2][2] == ""
    assert rows[2][8:12] == ["12.34", "2.47", "SEK", "live"]
    assert rows[3][8:12] == ["", "", "", "none"]
    assert rows[4][3] == "'=HYPERLINK(1)"


def test_the_semicolon_csv_writes_decimal_commas_for_swedish_spreadsheets() -> None:
    text = history_csv(
        [session(7, datetime(2026, 11, 25, 16, 30, tzinfo=UTC))], STOCKHOLM, CsvStyle.SEMICOLON
    )
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[1][6:10] == ["22,000", "45,0", "80,90", "16,18"]
