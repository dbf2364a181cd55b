"""CSMS request handling decided from the station's state; no connection involved."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from app.sim import SimulatedCharger
from app.sim.handlers import next_firmware_version
from app.sim.link import CsmsRequestHandler, FollowUp

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


class Deferred(list[FollowUp]):
    def __call__(self, follow_up: FollowUp) -> None:
        self.append(follow_up)


@pytest.fixture
async def charger() -> AsyncIterator[SimulatedCharger]:
    station = SimulatedCharger("SIM-001", "ws://127.0.0.1:9/ocpp", clock=lambda: NOW, seed=1)
    yield station
    await station.close()


@pytest.fixture
def handler(charger: SimulatedCharger) -> CsmsRequestHandler:
    return charger.handlers


def tx_profile(limit: float = 3_000, **extra: object) -> dict[str, object]:
    return {
        "charging_profile_id": 9,
        "stack_level": 0,
        "charging_profile_purpose": "TxProfile",
        "charging_profile_kind": "Relative",
        "charging_schedule": {
            "charging_rate_unit": "W",
            "charging_schedule_period": [{"start_period": 0, "limit": limit}],
        },
        **extra,
    }


async def test_offline_transaction_is_queued_with_a_placeholder(charger: SimulatedCharger) -> None:
    assert charger.url == "ws://127.0.0.1:9/ocpp/SIM-001"
    tx_id = await charger.start_transaction(1, "TAG")
    assert tx_id < 0
    assert charger.transaction_id(1) == tx_id
    assert charger.status(1) == "Charging"
    await charger.send_meter_values(1)
    await charger.stop_transaction(1, "EVDisconnected")
    assert charger.status(1) == "Available"
    assert [action for action, _ in charger.queued_messages] == [
        "StartTransaction",
        "MeterValues",
        "StopTransaction",
    ]
    stop = charger.queued_messages[-1][1]
    assert stop["transaction_id"] == tx_id
    assert stop["reason"] == "EVDisconnected"


async def test_offline_authorization_uses_the_local_list(charger: SimulatedCharger) -> None:
    handler = charger.handlers
    entries = [{"id_tag": "BLOCKED", "id_tag_info": {"status": "Blocked"}}]
    assert handler.send_local_list(1, "Full", entries) == "Accepted"
    assert await charger.present_tag(1, "BLOCKED") == "Blocked"
    assert await charger.present_tag(1, "STRANGER") == "Accepted"  # AllowOfflineTxForUnknownId
    charger.configuration.change("AllowOfflineTxForUnknownId", "false")
    assert await charger.present_tag(1, "STRANGER") == "Invalid"


async def test_remote_start_and_stop(
    charger: SimulatedCharger, handler: CsmsRequestHandler
) -> None:
    deferred = Deferred()
    assert handler.remote_start_transaction("TAG", 1, tx_profile(), deferred) == "Accepted"
    default_profile = {**tx_profile(), "charging_profile_purpose": "TxDefaultProfile"}
    assert handler.remote_start_transaction("TAG", 1, default_profile, deferred) == "Rejected"
    await deferred[0]()
    tx_id = charger.transaction_id(1)
    assert tx_id is not None
    assert charger.model.limit_w(1, NOW) == 3_000
    assert handler.remote_start_transaction("TAG", 1, None, Deferred()) == "Rejected"
    assert handler.remote_start_transaction("TAG", None, None, Deferred()) == "Accepted"
    assert handler.remote_stop_transaction(424242, Deferred()) == "Rejected"
    stops = Deferred()
    assert handler.remote_stop_transaction(tx_id, stops) == "Accepted"
    await stops[0]()
    assert charger.transaction_id(1) is None
    assert charger.queued_messages[-1][1]["reason"] == "Remote"


async def test_unlock_connector(charger: SimulatedCharger, handler: CsmsRequestHandler) -> None:
    assert handler.unlock_connector(5, Deferred()) == "NotSupported"
    await charger.start_transaction(2, "TAG")
    deferred = Deferred()
    assert handler.unlock_connector(2, deferred) == "Unlocked"
    await deferred[0]()
    assert charger.status(2) == "Available"
    assert charger.queued_messages[-1][1]["reason"] == "UnlockCommand"


def test_set_charging_profile_rules(charger: SimulatedCharger, handler: CsmsRequestHandler) -> None:
    assert handler.set_charging_profile(1, tx_profile()) == "Rejected"  # no transaction
    charger.model.begin_transaction(1, "TAG", NOW)
    assert handler.set_charging_profile(1, tx_profile()) == "Accepted"
    assert handler.set_charging_profile(1, tx_profile(transaction_id=77)) == "Rejected"
    assert handler.set_charging_profile(0, tx_profile()) == "Rejected"
    max_profile = {
        **tx_profile(),
        "charging_profile_id": 10,
        "charging_profile_purpose": "ChargePointMaxProfile",
    }
    assert handler.set_charging_profile(1, max_profile) == "Rejected"
    assert handler.set_charging_profile(0, max_profile) == "Accepted"
    assert handler.set_charging_profile(1, tx_profile(stack_level=99)) == "Rejected"
    assert handler.set_charging_profile(3, tx_profile()) == "Rejected"
    assert handler.clear_charging_profile(9, None, None, None) == "Accepted"
    assert handler.clear_charging_profile(9, None, None, None) == "Unknown"
    assert handler.clear_charging_profile(None, None, None, None) == "Accepted"


def test_composite_schedule(charger: SimulatedCharger, handler: CsmsRequestHandler) -> None:
    assert handler.get_composite_schedule(7, 600, "W") is None
    charger.model.begin_transaction(1, "TAG", NOW)
    handler.set_charging_profile(1, tx_profile(4_000))
    schedule = handler.get_composite_schedule(1, 600, None)
    assert schedule is not None
    assert schedule.rate_unit == "W"
    assert [(p.start_period, p.limit) for p in schedule.periods] == [(0, 4_000.0)]


def test_configuration_and_cache(charger: SimulatedCharger, handler: CsmsRequestHandler) -> None:
    assert handler.change_configuration("MeterValueSampleInterval", "15") == "Accepted"
    assert charger.configuration.integer("MeterValueSampleInterval") == 15
    known, unknown = handler.get_configuration(["MeterValueSampleInterval", "Nope"])
    assert [(kv.key, kv.value) for kv in known] == [("MeterValueSampleInterval", "15")]
    assert unknown == ["Nope"]
    assert handler.clear_cache() == "Accepted"
    assert handler.change_configuration("LocalAuthListEnabled", "false") == "Accepted"
    assert handler.send_local_list(1, "Full", []) == "NotSupported"


def test_trigger_message(handler: CsmsRequestHandler) -> None:
    deferred = Deferred()
    assert handler.trigger_message("Heartbeat", None, deferred) == "Accepted"
    assert handler.trigger_message("MeterValues", 9, deferred) == "Rejected"
    assert handler.trigger_message("LogStatusNotification", None, deferred) == "NotImplemented"
    assert len(deferred) == 1


def test_reservations(charger: SimulatedCharger, handler: CsmsRequestHandler) -> None:
    later = (NOW + timedelta(hours=1)).isoformat()
    earlier = (NOW - timedelta(hours=1)).isoformat()
    assert handler.reserve_now(1, earlier, "RES", 1, None, Deferred()) == "Rejected"
    assert handler.reserve_now(1, later, "RES", 1, None, Deferred()) == "Accepted"
    assert charger.status(1) == "Reserved"
    assert handler.remote_start_transaction("OTHER", 1, None, Deferred()) == "Rejected"
    assert handler.remote_start_transaction("RES", 1, None, Deferred()) == "Accepted"
    assert handler.cancel_reservation(1, Deferred()) == "Accepted"
    assert handler.cancel_reservation(1, Deferred()) == "Rejected"


def test_diagnostics_file_name(handler: CsmsRequestHandler) -> None:
    deferred = Deferred()
    assert handler.get_diagnostics("ftp://example.invalid/", deferred) == (
        "SIM-001-diagnostics-20250106T080000Z.log"
    )
    assert len(deferred) == 1


def test_firmware_versions_are_bumped() -> None:
    assert next_firmware_version("1.0.9") == "1.0.10"
    assert next_firmware_version("v2-rc3") == "v2-rc4"
    assert next_firmware_version("beta") == "beta.1"
