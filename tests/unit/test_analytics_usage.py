"""Usage figures on small crafted sites, checked against sums done by hand.

Station A has two connectors; the day is 2026-03-29 in Stockholm, when the clocks
go forward (a 23-hour day). Connector 1 charges a session that began the evening
before; connector 2 has a fault, then a session; the station is offline for an hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.analytics import (
    ConnectorPeak,
    ConnectorRef,
    HourGrid,
    LinkChange,
    Reading,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    StatusReport,
)
from app.domain.analytics_usage import usage_report
from app.domain.errors import InvalidInput

ZONE = ZoneInfo("Europe/Stockholm")
SPRING = date(2026, 3, 29)  # Sunday; 02:00 → 03:00
AUTUMN = date(2026, 10, 25)  # Sunday; 03:00 → 02:00


def local(day: date, hour: int, minute: int = 0, fold: int = 0) -> float:
    t = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE, fold=fold)
    return t.astimezone(UTC).timestamp()


SAT = date(2026, 3, 28)


def status(connector: int, at: float, value: str, error: str = "NoError") -> StatusReport:
    return StatusReport("A", connector, at, value, error)


def spring_site() -> SiteFacts:
    statuses = (
        status(1, local(SAT, 20), "Available"),
        status(1, local(SAT, 23), "Preparing"),
        status(1, local(SAT, 23, 10), "Charging"),
        status(1, local(SPRING, 1), "SuspendedEV"),
        status(1, local(SPRING, 1, 30), "Finishing"),
        status(1, local(SPRING, 1, 45), "Available"),
        status(2, local(SAT, 12), "Available"),
        status(2, local(SPRING, 10), "Faulted", "GroundFailure"),
        status(2, local(SPRING, 12), "Available"),
        status(2, local(SPRING, 13, 55), "Preparing"),
        status(2, local(SPRING, 14), "Charging"),
        status(2, local(SPRING, 15), "Finishing"),
        status(2, local(SPRING, 15, 5), "Available"),
    )
    links = (
        LinkChange("A", local(SAT, 8), True),
        LinkChange("A", local(SPRING, 20), False),
        LinkChange("A", local(SPRING, 21), True),
    )
    sessions = (
        SessionFact(1, "A", 1, "T1", local(SAT, 23, 10), local(SPRING, 1, 30), 1000, 21000, 900),
        SessionFact(2, "A", 2, "T2", local(SPRING, 14), local(SPRING, 15), 0, 7000, 2500),
    )
    readings = (Reading(1, local(SPRING, 0, 10), 5000.0),)
    return SiteFacts(
        1,
        "Depot",
        (ConnectorRef("A", 1), ConnectorRef("A", 2)),
        statuses,
        links,
        sessions,
        readings,
        (ConnectorPeak("A", 1, 22000.0), ConnectorPeak("A", 2, 7400.0)),
    )


def test_a_spring_forward_day_has_23_hours_and_no_hour_two() -> None:
    period = ReportPeriod(SPRING, SPRING, ZONE)
    assert period.end - period.start == 23 * 3600
    wall = HourGrid.of(period).wall_seconds()
    sunday = 6 * 24
    assert wall[sunday + 2] == 0
    assert wall[sunday + 1] == wall[sunday + 3] == 3600
    assert sum(wall) == 23 * 3600


def test_a_fall_back_day_has_25_hours_and_two_of_hour_two() -> None:
    period = ReportPeriod(AUTUMN, AUTUMN, ZONE)
    assert period.end - period.start == 25 * 3600
    wall = HourGrid.of(period).wall_seconds()
    assert wall[6 * 24 + 2] == 7200
    assert sum(wall) == 25 * 3600


def test_a_period_is_checked() -> None:
    with pytest.raises(InvalidInput):
        ReportPeriod(SPRING, SAT, ZONE)
    with pytest.raises(InvalidInput):
        ReportPeriod(date(2025, 1, 1), date(2026, 1, 2), ZONE)


def test_session_across_midnight_counts_where_it_started_and_energy_where_delivered() -> None:
    report = usage_report(spring_site(), ReportPeriod(SPRING, SPRING, ZONE))
    c1 = report.connector("A", 1)
    # Started on Saturday: not one of Sunday's sessions, and so not Sunday's revenue.
    assert c1.sessions == 0
    assert c1.revenue_minor == 0
    # 23:10 1000 Wh → 00:10 5000 Wh → 01:30 21000 Wh; Sunday from 00:00:
    # 4000 × 10/60 + 16000.
    assert c1.energy_wh == pytest.approx(4000 / 6 + 16000)
    # Charging 00:00–01:00; SuspendedEV 01:00–01:30 and Finishing 01:30–01:45 are idle.
    assert c1.charging_s == 3600
    assert c1.idle_s == 2700
    assert c1.observed_s == 23 * 3600
    assert c1.utilisation == pytest.approx(6300 / 82800)
    assert c1.charging_share == pytest.approx(3600 / 82800)
    assert c1.average_power_w == pytest.approx(4000 / 6 + 16000)
    assert c1.peak_power_w == 22000.0
    # The evening before gets the rest of the energy and the session.
    saturday = usage_report(spring_site(), ReportPeriod(SAT, SAT, ZONE)).connector("A", 1)
    assert saturday.sessions == 1
    assert saturday.revenue_minor == 900
    assert saturday.energy_wh == pytest.approx(4000 * 50 / 60)
    assert saturday.charging_s == 50 * 60
    assert saturday.idle_s == 10 * 60


def test_faults_and_offline_time_cost_availability() -> None:
    report = usage_report(spring_site(), ReportPeriod(SPRING, SPRING, ZONE))
    c1, c2 = report.connector("A", 1), report.connector("A", 2)
    # Offline 20:00–21:00 for both connectors; connector 2 also Faulted 10:00–12:00.
    assert c1.usable_s == 82800 - 3600
    assert c2.usable_s == 82800 - 3600 - 7200
    assert c2.availability == pytest.approx(72000 / 82800)
    assert c2.downtime_s == 10800
    station = report.station("A")
    assert station.faults == 1
    assert [(o.connector_id, o.cause, o.error_code, o.lost_s) for o in station.outages] == [
        (2, "Faulted", "GroundFailure", 7200.0),
        (None, "Offline", "", 3600.0),
    ]
    assert report.outages[0].started_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)


def test_sessions_energy_revenue_add_up_per_station() -> None:
    report = usage_report(spring_site(), ReportPeriod(SPRING, SPRING, ZONE))
    c2 = report.connector("A", 2)
    assert (c2.sessions, c2.energy_wh, c2.revenue_minor, c2.priced_sessions) == (1, 7000, 2500, 1)
    assert c2.charging_s == 3600
    assert c2.idle_s == 600  # Preparing 5 min, Finishing 5 min
    station = report.station("A")
    assert station.sessions == 1
    assert station.energy_wh == pytest.approx(4000 / 6 + 16000 + 7000)
    assert station.peak_power_w == 22000.0
    assert station.utilisation == pytest.approx((6300 + 4200) / (2 * 82800))


def test_a_connector_with_no_report_is_not_observed() -> None:
    facts = spring_site()
    facts = SiteFacts(1, "Depot", (*facts.connectors, ConnectorRef("A", 3)), facts.statuses, (), ())
    c3 = usage_report(facts, ReportPeriod(SPRING, SPRING, ZONE)).connector("A", 3)
    assert (c3.observed_s, c3.utilisation, c3.availability, c3.average_power_w) == (
        0,
        0.0,
        0.0,
        None,
    )


def test_an_open_session_counts_energy_up_to_its_last_reading() -> None:
    facts = SiteFacts(
        None,
        "",
        (ConnectorRef("A", 1),),
        (status(1, local(SPRING, 9), "Charging"),),
        (),
        (SessionFact(7, "A", 1, "T", local(SPRING, 9), None, 100, None),),
        (Reading(7, local(SPRING, 10), 3100.0),),
    )
    period = ReportPeriod(SPRING, SPRING, ZONE)
    c1 = usage_report(facts, period).connector("A", 1)
    assert c1.sessions == 1
    assert c1.energy_wh == 3000
    assert c1.charging_s == period.end - local(SPRING, 9)
