import base64
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.sim.connection import basic_auth_header, reconnect_delay
from app.sim.fleet import FleetConfig, build_fleet
from app.sim.timeutil import format_timestamp, parse_timestamp


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    delays = [reconnect_delay(n, rng, base=1.0, cap=30.0) for n in range(1, 9)]
    ceilings = [1, 2, 4, 8, 16, 30, 30, 30]
    for delay, ceiling in zip(delays, ceilings, strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert len(set(delays)) == len(delays)


def test_basic_auth_header() -> None:
    header = basic_auth_header("SIM-001", "s3cret")
    assert header.startswith("Basic ")
    assert base64.b64decode(header.removeprefix("Basic ")) == b"SIM-001:s3cret"


def test_timestamps_are_utc_with_z() -> None:
    moment = datetime(2025, 1, 6, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert format_timestamp(moment) == "2025-01-06T08:30:15.123Z"
    assert parse_timestamp("2025-01-06T08:30:15.123Z") == moment.replace(microsecond=123_000)
    assert parse_timestamp("2025-01-06T08:30:15") == datetime(2025, 1, 6, 8, 30, 15, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        format_timestamp(datetime(2025, 1, 6))


def test_fleet_station_ids_and_seeds() -> None:
    config = FleetConfig(url="ws://127.0.0.1:9000/ocpp/", stations=3, connectors=2, seed=4)
    assert config.station_ids() == ["SIM-001", "SIM-002", "SIM-003"]
    fleet = build_fleet(config)
    assert [c.url for c in fleet] == [
        "ws://127.0.0.1:9000/ocpp/SIM-001",
        "ws://127.0.0.1:9000/ocpp/SIM-002",
        "ws://127.0.0.1:9000/ocpp/SIM-003",
    ]
    assert len({c.serial_number for c in fleet}) == 3
    again = build_fleet(config)
    assert [c.serial_number for c in fleet] == [c.serial_number for c in again]
    assert all(c.auto_behaviour for c in fleet)


@pytest.mark.parametrize(
    "kwargs",
    [{"stations": 0}, {"connectors": 0}, {"speed": 0.0}, {"fault_probability": 2.0}, {"tags": ()}],
)
def test_fleet_config_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        FleetConfig(url="ws://127.0.0.1:9000/ocpp", **kwargs)  # type: ignore[arg-type]
