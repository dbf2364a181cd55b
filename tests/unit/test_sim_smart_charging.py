from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from app.sim.smart_charging import (
    ActiveTransaction,
    ChargingProfile,
    ProfileError,
    ProfileStore,
    parse_profile,
)

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def profile_dict(
    profile_id: int,
    purpose: str,
    limit: float,
    *,
    stack_level: int = 0,
    kind: str = "Relative",
    unit: str = "W",
    periods: Sequence[Mapping[str, object]] | None = None,
    **schedule_extra: object,
) -> dict[str, object]:
    schedule: dict[str, object] = {
        "charging_rate_unit": unit,
        "charging_schedule_period": list(periods or [{"start_period": 0, "limit": limit}]),
        **schedule_extra,
    }
    return {
        "charging_profile_id": profile_id,
        "stack_level": stack_level,
        "charging_profile_purpose": purpose,
        "charging_profile_kind": kind,
        "charging_schedule": schedule,
    }


def profile(connector_id: int, *args: object, **kwargs: object) -> ChargingProfile:
    return parse_profile(connector_id, profile_dict(*args, **kwargs), NOW)  # type: ignore[arg-type]


TX = ActiveTransaction(transaction_id=1001, started_at=NOW)


def test_no_profiles_means_no_limit() -> None:
    assert ProfileStore().limit_w(1, NOW, TX) is None


def test_amps_are_converted_with_three_phases() -> None:
    store = ProfileStore()
    store.install(profile(1, 1, "TxDefaultProfile", 16, unit="A"))
    assert store.limit_w(1, NOW, TX) == pytest.approx(16 * 230 * 3)


def test_higher_stack_level_wins_and_tx_profile_beats_default() -> None:
    store = ProfileStore()
    store.install(profile(0, 1, "TxDefaultProfile", 7_000))
    assert store.limit_w(1, NOW, TX) == 7_000
    store.install(profile(1, 2, "TxDefaultProfile", 9_000, stack_level=1))
    store.install(profile(1, 3, "TxDefaultProfile", 5_000, stack_level=2))
    assert store.limit_w(1, NOW, TX) == 5_000
    store.install(profile(1, 4, "TxProfile", 3_000))
    assert store.limit_w(1, NOW, TX) == 3_000
    assert store.limit_w(1, NOW, None) == 5_000  # TxProfile needs the transaction
    store.end_transaction(1)
    assert store.limit_w(1, NOW, TX) == 5_000


def test_charge_point_max_caps_and_is_shared() -> None:
    store = ProfileStore()
    store.install(profile(0, 1, "ChargePointMaxProfile", 10_000, kind="Absolute"))
    store.install(profile(1, 2, "TxProfile", 8_000))
    assert store.limit_w(1, NOW, TX) == 8_000
    assert store.limit_w(1, NOW, TX, sharing_connectors=2) == 5_000
    assert store.limit_w(0, NOW) == 10_000


def test_relative_schedule_periods_follow_the_transaction_start() -> None:
    store = ProfileStore()
    periods = [{"start_period": 0, "limit": 11_000}, {"start_period": 600, "limit": 2_000}]
    store.install(profile(1, 1, "TxProfile", 0, periods=periods, duration=1_200))
    assert store.limit_w(1, NOW + timedelta(seconds=599), TX) == 11_000
    assert store.limit_w(1, NOW + timedelta(seconds=600), TX) == 2_000
    assert store.limit_w(1, NOW + timedelta(seconds=1_200), TX) is None


def test_daily_recurring_profile_repeats() -> None:
    store = ProfileStore()
    periods = [{"start_period": 0, "limit": 3_000}, {"start_period": 3_600, "limit": 11_000}]
    data = profile_dict(1, "TxDefaultProfile", 0, kind="Recurring", periods=periods)
    data["recurrency_kind"] = "Daily"
    data["charging_schedule"] = {
        "charging_rate_unit": "W",
        "charging_schedule_period": periods,
        "start_schedule": "2025-01-01T08:00:00Z",
    }
    store.install(parse_profile(0, data, NOW))
    assert store.limit_w(1, NOW + timedelta(minutes=30), TX) == 3_000
    assert store.limit_w(1, NOW + timedelta(hours=2), TX) == 11_000
    assert store.limit_w(1, NOW + timedelta(days=1, minutes=5), TX) == 3_000


def test_validity_window() -> None:
    store = ProfileStore()
    data = profile_dict(1, "TxDefaultProfile", 4_000)
    data["valid_from"] = "2025-01-06T09:00:00Z"
    store.install(parse_profile(1, data, NOW))
    assert store.limit_w(1, NOW, TX) is None
    assert store.limit_w(1, NOW + timedelta(hours=1), TX) == 4_000


def test_same_purpose_and_stack_level_replaces() -> None:
    store = ProfileStore()
    store.install(profile(1, 1, "TxDefaultProfile", 4_000))
    store.install(profile(1, 2, "TxDefaultProfile", 6_000))
    assert [p.profile_id for p in store.profiles] == [2]
    store.install(profile(0, 2, "TxDefaultProfile", 1_000))
    assert [(p.profile_id, p.connector_id) for p in store.profiles] == [(2, 0)]


def test_clear_by_id_by_criteria_and_all() -> None:
    store = ProfileStore()
    store.install(profile(1, 1, "TxDefaultProfile", 4_000))
    store.install(profile(2, 2, "TxDefaultProfile", 4_000, stack_level=3))
    store.install(profile(0, 3, "ChargePointMaxProfile", 20_000))
    assert store.clear(profile_id=99) is False
    assert store.clear(profile_id=1) is True
    assert store.clear(purpose="TxDefaultProfile", stack_level=1) is False
    assert store.clear(connector_id=2, stack_level=3) is True
    assert store.clear() is True
    assert store.profiles == []
    assert store.clear() is False


def test_composite_schedule_merges_profiles() -> None:
    store = ProfileStore()
    start = NOW.isoformat()
    periods = [{"start_period": 0, "limit": 16}, {"start_period": 1_800, "limit": 10}]
    data = profile_dict(1, "ChargePointMaxProfile", 0, kind="Absolute", unit="A", periods=periods)
    data["charging_schedule"] = {**data["charging_schedule"], "start_schedule": start}  # type: ignore[dict-item]
    store.install(parse_profile(0, data, NOW))
    store.install(profile(1, 2, "TxProfile", 5_000, duration=900))
    schedule = store.composite_schedule(1, NOW, 3_600, "W", unlimited_w=22_080, transaction=TX)
    assert [(p.start_period, p.limit) for p in schedule.periods] == [
        (0, 5_000.0),
        (900, 11_040.0),
        (1_800, 6_900.0),
    ]
    in_amps = store.composite_schedule(0, NOW, 3_600, "A", unlimited_w=44_160)
    assert [(p.start_period, p.limit) for p in in_amps.periods] == [(0, 16.0), (1_800, 10.0)]


def test_composite_schedule_without_profiles_is_the_hardware_limit() -> None:
    schedule = ProfileStore().composite_schedule(1, NOW, 600, "A", unlimited_w=22_080)
    assert [(p.start_period, p.limit) for p in schedule.periods] == [(0, 32.0)]


@pytest.mark.parametrize(
    "data",
    [
        {"charging_profile_id": 1},
        profile_dict(1, "Bogus", 1),
        profile_dict(1, "TxProfile", -1),
        {**profile_dict(1, "TxProfile", 1), "stack_level": "high"},
        profile_dict(1, "TxProfile", 1, kind="Recurring"),
    ],
)
def test_malformed_profiles_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ProfileError):
        parse_profile(1, data, NOW)


def test_decimal_limits_from_the_wire_are_accepted() -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    from app.sim.smart_charging import parse_profile

    profile = parse_profile(
        1,
        {
            "charging_profile_id": 5,
            "stack_level": 0,
            "charging_profile_purpose": "TxDefaultProfile",
            "charging_profile_kind": "Relative",
            "charging_schedule": {
                "charging_rate_unit": "A",
                "charging_schedule_period": [{"start_period": 0, "limit": Decimal("10.5")}],
            },
        },
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert profile.periods[0].limit == 10.5
