"""Demand on a crafted two-connector site: overlapping sessions, a full site, drivers
who waited or went away, the heat map, and the summary built from those figures.

Wednesday 2026-11-25, Stockholm. Connector A/1 is occupied 08:00–10:00; A/2 is
occupied 09:00–09:30 and 09:40–11:00. Both busy: 09:00–09:30 and 09:40–10:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.analytics import (
    Authorisation,
    ConnectorRef,
    PowerPeak,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    StatusReport,
)
from app.domain.analytics_demand import demand_report, full_spells
from app.domain.analytics_summary import capacity_summary
from app.domain.analytics_usage import usage_report

ZONE = ZoneInfo("Europe/Stockholm")
WED = date(2026, 11, 25)
PERIOD = ReportPeriod(WED, WED, ZONE)
WEDNESDAY = 2


def at(hour: int, minute: int = 0, day: date = WED) -> float:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).timestamp()


def report_on(connector: int, when: float, value: str) -> StatusReport:
    return StatusReport("A", connector, when, value)


def busy_site(authorisations: tuple[Authorisation, ...] = ()) -> SiteFacts:
    statuses = (
        report_on(1, at(0), "Available"),
        report_on(1, at(8), "Charging"),
        report_on(1, at(10), "Available"),
        report_on(2, at(0), "Available"),
        report_on(2, at(9), "Preparing"),
        report_on(2, at(9, 5), "Charging"),
        report_on(2, at(9, 30), "Available"),
        report_on(2, at(9, 40), "Preparing"),
        report_on(2, at(9, 42), "Charging"),
        report_on(2, at(11), "Available"),
    )
    sessions = (
        SessionFact(1, "A", 1, "P", at(8), at(10), 0, 10000),
        SessionFact(2, "A", 2, "Q", at(9, 5), at(9, 30), 0, 2000),
        SessionFact(3, "A", 2, "Z", at(9, 40), at(11), 0, 9000),
    )
    return SiteFacts(
        5,
        "Depot",
        (ConnectorRef("A", 1), ConnectorRef("A", 2)),
        statuses,
        (),
        sessions,
        site_peak=PowerPeak(datetime(2026, 11, 25, 8, 15, tzinfo=UTC), 30000.0),
        authorisations=authorisations,
        connection_limit_w=44000,
    )


AUTHORISED = (
    Authorisation("A", "X", at(9, 20)),  # nothing free, no session: turned away, site full
    Authorisation("A", "X", at(9, 25)),  # the same attempt again
    Authorisation("A", "Z", at(9, 35)),  # started at 09:40: served (the one who waited)
    Authorisation("A", "Y", at(12)),  # a connector was free, yet no session
)


def test_saturation_is_the_time_both_connectors_were_busy() -> None:
    demand = demand_report(busy_site(), PERIOD)
    assert demand.connectors == 2
    assert demand.saturated_s == 30 * 60 + 20 * 60
    assert demand.full_spells == 2
    assert demand.saturation == pytest.approx(3000 / 86400)
    assert demand.heat_map.saturation_at(WEDNESDAY, 9) == pytest.approx(3000 / 3600)
    assert demand.heat_map.saturation_at(WEDNESDAY, 8) == 0


def test_heat_map_is_the_share_of_connector_time_occupied() -> None:
    heat = demand_report(busy_site(), PERIOD).heat_map
    assert heat.occupancy_at(WEDNESDAY, 8) == pytest.approx(0.5)
    assert heat.occupancy_at(WEDNESDAY, 9) == pytest.approx((3600 + 1800 + 1200) / 7200)
    assert heat.occupancy_at(WEDNESDAY, 10) == pytest.approx(0.5)
    assert heat.occupancy_at(WEDNESDAY, 11) == 0
    assert heat.occupancy_at(WEDNESDAY + 1, 9) == 0  # not in the period


def test_a_hand_over_at_one_instant_is_not_a_full_site() -> None:
    spans = {
        ConnectorRef("A", 1): [(0.0, 10.0, True)],
        ConnectorRef("A", 2): [(10.0, 20.0, True)],
    }
    assert full_spells(spans, 2) == []
    assert full_spells({ConnectorRef("A", 1): [(0.0, 5.0, True), (5.0, 9.0, False)]}, 1) == [
        (0.0, 9.0)
    ]


def test_waiting_and_turned_away_drivers() -> None:
    demand = demand_report(busy_site(AUTHORISED), PERIOD)
    assert [(w.transaction_id, w.id_tag) for w in demand.waited] == [(3, "Z")]
    waited = demand.waited[0]
    assert waited.freed_at == datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    assert waited.full_since == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert [(t.id_tag, t.site_full) for t in demand.turned_away] == [("X", True), ("Y", False)]
    # Z waited 09:20–09:30 (the last 10 min of the full spell) and X from 09:20 to
    # 09:35: two drivers at once, so two more connectors would have served them.
    assert demand.extra_connectors == 2


def test_peak_power_against_the_connection_limit() -> None:
    demand = demand_report(busy_site(), PERIOD)
    assert demand.peak_share_of_limit == pytest.approx(30000 / 44000)


def test_the_summary_is_built_from_the_figures() -> None:
    facts = busy_site(AUTHORISED)
    summary = capacity_summary(usage_report(facts, PERIOD), demand_report(facts, PERIOD))
    assert [s.kind for s in summary.sentences] == [
        "utilisation",
        "busiest",
        "waiting",
        "capacity",
        "power",
    ]
    texts = [s.text for s in summary.sentences]
    # Occupied 2 h + 1 h 50 min of 48 connector-hours; charging 2 h + 25 min + 78 min.
    assert texts[0] == (
        "The 2 connectors at Depot were occupied 8 % of the time and charging 8 %; "
        "they were usable 100 % of the time (0 faults)."
    )
    assert texts[1] == "All 2 connectors at Depot were busy at once 83 % of weekday hours 09–10."
    assert texts[2] == (
        "1 driver waited and 2 drivers were turned away (1 of them while every connector was busy)."
    )
    assert texts[3] == "Adding 2 connectors would have served them."
    assert texts[4] == (
        "Peak simultaneous power was 30.0 kW (15 minutes from 2026-11-25 09:15), "
        "68 % of the 44.0 kW connection limit."
    )
    assert all(s.method for s in summary.sentences)
    assert (summary.windows[0].first_hour, summary.windows[0].end_hour) == (9, 10)


def test_a_quiet_site_says_so() -> None:
    facts = SiteFacts(None, "", (ConnectorRef("A", 1), ConnectorRef("A", 2)), (), (), ())
    summary = capacity_summary(usage_report(facts, PERIOD), demand_report(facts, PERIOD))
    assert summary.text == (
        "The connectors at the site were never all busy at once. "
        "0 drivers waited and 0 drivers were turned away (0 of them while every connector "
        "was busy). The 2 connectors were enough for every driver."
    )
