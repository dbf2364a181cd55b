"""OCPP 1.6 payloads from the API become domain commands, and back, unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.errors import InvalidInput
from app.ocpp.v16.codec import V16CommandCodec
from app.ocpp.v16.mapping import command_payload

PROFILE: dict[str, Any] = {
    "chargingProfileId": 7,
    "stackLevel": 1,
    "chargingProfilePurpose": "TxDefaultProfile",
    "chargingProfileKind": "Absolute",
    "chargingSchedule": {
        "chargingRateUnit": "W",
        "startSchedule": "2026-11-25T08:00:00.000Z",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000.0, "numberPhases": 3}],
    },
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "CancelReservation": {"reservationId": 3},
    "ChangeAvailability": {"connectorId": 0, "type": "Inoperative"},
    "ChangeConfiguration": {"key": "HeartbeatInterval", "value": "60"},
    "ClearCache": {},
    "ClearChargingProfile": {"connectorId": 1, "chargingProfilePurpose": "TxProfile"},
    "DataTransfer": {"vendorId": "acme", "messageId": "m", "data": "x"},
    "GetCompositeSchedule": {"connectorId": 1, "duration": 3600, "chargingRateUnit": "A"},
    "GetConfiguration": {"key": ["HeartbeatInterval"]},
    "GetDiagnostics": {"location": "ftp://logs.example/up", "retries": 2},
    "GetLocalListVersion": {},
    "RemoteStartTransaction": {"idTag": "TAG-1", "connectorId": 1, "chargingProfile": PROFILE},
    "RemoteStopTransaction": {"transactionId": 42},
    "ReserveNow": {
        "connectorId": 1,
        "expiryDate": "2026-11-25T09:00:00.000Z",
        "idTag": "TAG-1",
        "reservationId": 3,
    },
    "Reset": {"type": "Hard"},
    "SendLocalList": {
        "listVersion": 4,
        "updateType": "Differential",
        "localAuthorizationList": [
            {"idTag": "A", "idTagInfo": {"status": "Accepted", "parentIdTag": "FLEET"}},
            {"idTag": "B"},
        ],
    },
    "SetChargingProfile": {"connectorId": 1, "csChargingProfiles": PROFILE},
    "TriggerMessage": {"requestedMessage": "StatusNotification", "connectorId": 2},
    "UnlockConnector": {"connectorId": 2},
    "UpdateFirmware": {
        "location": "https://fw.example/1.2",
        "retrieveDate": "2026-11-26T02:00:00.000Z",
    },
}
codec = V16CommandCodec()


def test_every_operation_a_central_system_sends_is_offered() -> None:
    assert sorted(EXAMPLES) == codec.operations()


@pytest.mark.parametrize("action", sorted(EXAMPLES))
def test_a_payload_becomes_the_command_that_sends_the_same_payload(action: str) -> None:
    command = codec.decode(action, EXAMPLES[action])
    assert command_payload(command) == (action, EXAMPLES[action])


@pytest.mark.parametrize(
    ("action", "payload", "says"),
    [
        ("Reset", {"type": "Warm"}, "type"),
        ("Reset", {}, "type"),
        ("Reset", ["Hard"], "JSON object"),
        ("UnlockConnector", {"connectorId": "one"}, "connectorId"),
        ("ReserveNow", {**EXAMPLES["ReserveNow"], "expiryDate": "tomorrow"}, "expiryDate"),
        ("BootNotification", {}, "not an operation"),
    ],
)
def test_a_payload_the_specification_forbids_is_refused_with_what_is_wrong(
    action: str, payload: object, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        codec.decode(action, payload)


def test_the_request_schema_is_the_official_one_without_its_draft_header() -> None:
    schema = codec.request_schema("Reset")
    assert schema["required"] == ["type"]
    assert "$schema" not in schema


@pytest.mark.parametrize("limit", [4e31, 1.7976931348623157e308, 16.1])
def test_a_limit_of_any_size_a_double_holds_is_judged_by_the_schema(limit: float) -> None:
    schedule = {
        **PROFILE["chargingSchedule"],
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
    }
    payload = {"connectorId": 1, "csChargingProfiles": {**PROFILE, "chargingSchedule": schedule}}
    command = codec.decode("SetChargingProfile", payload)
    assert command_payload(command)[1] == payload


def test_a_limit_finer_than_a_tenth_is_refused_even_when_tiny() -> None:
    schedule = {
        **PROFILE["chargingSchedule"],
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 5e-324}],
    }
    payload = {"connectorId": 1, "csChargingProfiles": {**PROFILE, "chargingSchedule": schedule}}
    with pytest.raises(InvalidInput, match=r"multiple of 0\.1"):
        codec.decode("SetChargingProfile", payload)
