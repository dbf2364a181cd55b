from datetime import UTC, datetime, timedelta

import pytest

from app.sim.configuration import Configuration
from app.sim.ev import Vehicle
from app.sim.smart_charging import parse_profile
from app.sim.station import ConnectorBusy, ConnectorStatus, StationModel, UnknownConnector

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
CAR = Vehicle(battery_wh=40_000, max_ac_w=11_000, max_dc_w=100_000, phases=3)


def station(connectors: int = 2) -> StationModel:
    return StationModel(connectors, Configuration(connectors), initial_meter_wh=1_000)


def test_session_statuses() -> None:
    model = station()
    assert model.connector(1).status == ConnectorStatus.AVAILABLE
    model.plug_in(1, CAR, 0.5)
    assert model.connector(1).status == ConnectorStatus.PREPARING
    tx = model.begin_transaction(1, "TAG", NOW)
    assert tx.local_id < 0
    assert tx.meter_start == 1_000
    assert model.connector(1).status == ConnectorStatus.CHARGING
    model.advance(1, NOW + timedelta(hours=10))
    assert model.connector(1).status == ConnectorStatus.SUSPENDED_EV
    model.end_transaction(1)
    assert model.connector(1).status == ConnectorStatus.FINISHING
    model.unplug(1)
    assert model.connector(1).status == ConnectorStatus.AVAILABLE
    assert model.connector(1).energy_wh == pytest.approx(1_000 + 20_000)


def test_status_changes_are_reported_once() -> None:
    model = station()
    first = model.status_changes()
    assert [(r.connector_id, r.status) for r in first] == [
        (0, "Available"),
        (1, "Available"),
        (2, "Available"),
    ]
    assert model.status_changes() == []
    model.set_fault(2, "GroundFailure")
    [report] = model.status_changes()
    assert (report.connector_id, report.status, report.error_code) == (
        2,
        "Faulted",
        "GroundFailure",
    )


def test_transaction_ids_are_confirmed_later() -> None:
    model = station()
    tx = model.begin_transaction(1, "TAG", NOW)
    assert model.find_transaction(tx.local_id) == 1
    model.confirm_transaction(tx.local_id, 1001)
    assert tx.wire_id == 1001
    assert model.find_transaction(1001) == 1
    assert model.find_transaction(tx.local_id) is None


def test_charging_profile_caps_the_meter() -> None:
    model = station()
    model.plug_in(1, CAR, 0.2)
    model.begin_transaction(1, "TAG", NOW)
    profile = {
        "charging_profile_id": 1,
        "stack_level": 0,
        "charging_profile_purpose": "TxProfile",
        "charging_profile_kind": "Relative",
        "charging_schedule": {
            "charging_rate_unit": "A",
            "charging_schedule_period": [{"start_period": 0, "limit": 6}],
        },
    }
    model.profiles.install(parse_profile(1, profile, NOW))
    reading = model.reading(1, NOW + timedelta(hours=1))
    assert reading.power_w == pytest.approx(6 * 230 * 3)
    assert reading.energy_wh == pytest.approx(1_000 + 6 * 230 * 3)
    assert reading.soc_percent is not None
    assert reading.soc_percent > 20


def test_zero_limit_suspends_by_the_station() -> None:
    model = station()
    model.plug_in(1, CAR, 0.2)
    model.begin_transaction(1, "TAG", NOW)
    profile = {
        "charging_profile_id": 1,
        "stack_level": 0,
        "charging_profile_purpose": "TxDefaultProfile",
        "charging_profile_kind": "Relative",
        "charging_schedule": {
            "charging_rate_unit": "W",
            "charging_schedule_period": [{"start_period": 0, "limit": 0}],
        },
    }
    model.profiles.install(parse_profile(0, profile, NOW))
    model.advance(1, NOW + timedelta(minutes=5))
    assert model.connector(1).status == ConnectorStatus.SUSPENDED_EVSE


def test_reservations() -> None:
    model = station()
    expiry = NOW + timedelta(minutes=15)
    assert model.reserve(1, 5, "RES", expiry, None) == "Accepted"
    assert model.connector(1).status == ConnectorStatus.RESERVED
    assert model.reserve(1, 6, "OTHER", expiry, None) == "Rejected"
    assert model.reserve(1, 5, "RES", expiry + timedelta(minutes=5), None) == "Accepted"
    assert model.reserve(9, 7, "RES", expiry, None) == "Rejected"
    with pytest.raises(ConnectorBusy):
        model.begin_transaction(1, "OTHER", NOW)
    tx = model.begin_transaction(1, "RES", NOW)
    assert tx.reservation_id == 5
    assert model.reserve(1, 8, "X", expiry, None) == "Occupied"
    model.set_fault(2, "GroundFailure")
    assert model.reserve(2, 8, "X", expiry, None) == "Faulted"


def test_reservation_expiry_and_cancel() -> None:
    model = station()
    model.reserve(1, 5, "RES", NOW + timedelta(minutes=1), None)
    model.reserve(2, 6, "RES", NOW + timedelta(minutes=10), None)
    assert model.cancel_reservation(6) is True
    assert model.cancel_reservation(6) is False
    assert model.expire_reservations(NOW) is False
    assert model.expire_reservations(NOW + timedelta(minutes=1)) is True
    assert model.connector(1).status == ConnectorStatus.AVAILABLE


def test_availability_change_is_scheduled_during_a_transaction() -> None:
    model = station()
    model.begin_transaction(1, "TAG", NOW)
    assert model.change_availability(0, operative=False) == "Scheduled"
    assert model.station_status() == "Unavailable"
    assert model.connector(2).status == ConnectorStatus.UNAVAILABLE
    assert model.connector(1).status == ConnectorStatus.CHARGING
    model.end_transaction(1)
    model.unplug(1)
    assert model.connector(1).status == ConnectorStatus.UNAVAILABLE
    assert model.change_availability(1, operative=True) == "Accepted"
    assert model.connector(1).status == ConnectorStatus.AVAILABLE
    assert model.change_availability(7, operative=True) == "Rejected"


def test_unknown_connector() -> None:
    with pytest.raises(UnknownConnector):
        station().connector(3)
