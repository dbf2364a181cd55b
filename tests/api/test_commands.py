"""Commands over HTTP reach the charger, and its answer comes back.

Each outcome a station can produce (it complies, it refuses, it is not
there, it is too slow, it answers with a CallError) has a status of its own,
and what the station said comes back exactly as OCPP 1.6 names it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.api_tokens import TokenScope
from app.domain.operators import Role
from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

PROBLEM = "application/problem+json"


def commands_path(station_id: str, operation: str) -> str:
    return f"/api/v1/stations/{station_id}/commands/{operation}"


def iso_ms(moment: datetime) -> str:
    """The form the engine writes times in, so what arrives compares equal to what was sent."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def sent(
    http: httpx.AsyncClient, cp: RawCharger, station_id: str, operation: str, body: Any
) -> tuple[list[Any], asyncio.Future[httpx.Response]]:
    """Post a command; return the frame the charger received and the HTTP answer to come."""
    answer = asyncio.ensure_future(http.post(commands_path(station_id, operation), json=body))
    call = asyncio.ensure_future(cp.next_call())
    await asyncio.wait({answer, call}, return_when=asyncio.FIRST_COMPLETED)
    if not call.done():
        call.cancel()
        response = answer.result()
        raise AssertionError(f"answered without sending: {response.status_code} {response.text}")
    return call.result(), answer


async def booted(api: Api, station_id: str) -> RawCharger:
    cp = await RawCharger.connect(api.ocpp_url, station_id)
    assert (await cp.boot())["status"] == "Accepted"
    return cp


def assert_problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"].endswith("/" + kind), body
    assert body["status"] == status
    return body


async def test_a_reset_over_http_reaches_the_charger_and_its_answer_comes_back(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-API")
    await cp.boot()
    async with api.client(api.control_token) as http:
        request = asyncio.ensure_future(
            http.post("/api/v1/stations/CP-API/commands/reset", json={"type": "Soft"})
        )
        call = await cp.next_call()
        assert call[2:] == ["Reset", {"type": "Soft"}]
        await cp.reply(call, {"status": "Accepted"})
        response = await request
    assert response.status_code == 200
    assert response.json() == {
        "station_id": "CP-API",
        "operation": "Reset",
        "accepted": True,
        "response": {"status": "Accepted"},
    }
    await cp.close()


@pytest.mark.parametrize("body", [{"type": "Warm"}, {}, [], {"type": "Soft", "extra": 1}])
async def test_a_payload_the_specification_forbids_is_refused_before_sending(
    api: Api, body: object
) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-API")
    await cp.boot()
    async with api.client(api.control_token) as http:
        response = await http.post("/api/v1/stations/CP-API/commands/reset", json=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-input")
    await cp.close()


async def test_a_body_that_is_not_json_is_refused(api: Api) -> None:
    cp = await booted(api, "CP-JSON")
    async with api.client(api.control_token) as http:
        for content in [b"", b"{type: Soft}", b"\xff\xfe"]:
            response = await http.post(
                commands_path("CP-JSON", "reset"),
                content=content,
                headers={"Content-Type": "application/json"},
            )
            assert_problem(response, 400, "invalid-input")
    assert cp.incoming_calls.empty()
    await cp.close()


async def test_a_refusal_is_an_answer_not_an_error(api: Api) -> None:
    cp = await booted(api, "CP-NO")
    async with api.client(api.control_token) as http:
        call, answer = await sent(http, cp, "CP-NO", "reset", {"type": "Hard"})
        await cp.reply(call, {"status": "Rejected"})
        response = await answer
        assert response.status_code == 200
        assert response.json() == {
            "station_id": "CP-NO",
            "operation": "Reset",
            "accepted": False,
            "response": {"status": "Rejected"},
        }
        call, answer = await sent(http, cp, "CP-NO", "unlock-connector", {"connectorId": 1})
        await cp.reply(call, {"status": "NotSupported"})
        response = await answer
        assert response.status_code == 200
        assert response.json()["accepted"] is False
        assert response.json()["response"] == {"status": "NotSupported"}
    await cp.close()


async def test_a_refused_data_transfer_keeps_what_the_station_said(api: Api) -> None:
    cp = await booted(api, "CP-DT")
    async with api.client(api.control_token) as http:
        call, answer = await sent(
            http, cp, "CP-DT", "data-transfer", {"vendorId": "com.example", "data": "ping"}
        )
        await cp.reply(call, {"status": "UnknownMessageId", "data": "try v2"})
        response = await answer
    assert response.status_code == 200
    assert response.json()["accepted"] is False
    assert response.json()["response"] == {"status": "UnknownMessageId", "data": "try v2"}
    await cp.close()


async def test_a_station_never_seen_is_not_found_and_a_gone_one_is_offline(api: Api) -> None:
    cp = await booted(api, "CP-GONE")
    await cp.close()
    await until(lambda: not api.engine.server.registry.is_connected("CP-GONE"))
    async with api.client(api.control_token) as http:
        unknown = await http.post(commands_path("CP-NEVER", "reset"), json={"type": "Soft"})
        gone = await http.post(commands_path("CP-GONE", "reset"), json={"type": "Soft"})
    assert_problem(unknown, 404, "station-not-found")
    body = assert_problem(gone, 409, "station-offline")
    assert "CP-GONE" in body["detail"]


async def test_a_call_error_from_the_station_comes_back_with_its_code(api: Api) -> None:
    cp = await booted(api, "CP-ERR")
    async with api.client(api.control_token) as http:
        call, answer = await sent(http, cp, "CP-ERR", "clear-cache", {})
        await cp.reply_error(call, "InternalError", "cache locked")
        response = await answer
        body = assert_problem(response, 502, "station-call-error")
        assert body["code"] == "InternalError"
        assert "cache locked" in body["detail"]
        log = (await http.get("/api/v1/commands", params={"station_id": "CP-ERR"})).json()
    assert log[0]["outcome"] == "callerror"
    await cp.close()


async def test_an_answer_that_breaks_the_schema_is_a_bad_gateway(api: Api) -> None:
    cp = await booted(api, "CP-ODD")
    async with api.client(api.control_token) as http:
        call, answer = await sent(http, cp, "CP-ODD", "reset", {"type": "Soft"})
        await cp.reply(call, {"status": "Perhaps"})
        assert_problem(await answer, 502, "station-invalid-response")
    await cp.close()


async def test_a_station_that_leaves_before_answering_is_offline(api: Api) -> None:
    cp = await booted(api, "CP-LEFT")
    async with api.client(api.control_token) as http:
        _call, answer = await sent(http, cp, "CP-LEFT", "reset", {"type": "Hard"})
        await cp.close()
        assert_problem(await answer, 409, "station-offline")


@pytest.fixture
async def impatient_api(settings: Settings) -> AsyncIterator[Api]:
    """An engine that waits only briefly for a station's answer."""
    async with Engine(settings.with_overrides(command_timeout=0.3)) as engine:
        url = await engine.api_started()
        _, reader = await engine.services.api_tokens.create("reader", TokenScope.READ)
        _, controller = await engine.services.api_tokens.create(
            "controller", TokenScope.CONTROL, Role.ADMIN
        )
        yield Api(engine, url, reader, controller)


async def test_a_station_that_does_not_answer_in_time_is_a_gateway_timeout(
    impatient_api: Api,
) -> None:
    api = impatient_api
    cp = await booted(api, "CP-SLOW")
    async with api.client(api.control_token) as http:
        call, answer = await sent(http, cp, "CP-SLOW", "reset", {"type": "Soft"})
        assert call[2] == "Reset"
        response = await answer  # the charger never replies
        assert_problem(response, 504, "station-timeout")
        log = (await http.get("/api/v1/commands", params={"station_id": "CP-SLOW"})).json()
    assert log[0]["outcome"] == "timeout"
    await cp.close()


async def test_a_remote_start_carries_the_tag_and_connector_as_ocpp_names_them(api: Api) -> None:
    cp = await booted(api, "CP-RS")
    async with api.client(api.control_token) as http:
        call, answer = await sent(
            http, cp, "CP-RS", "remote-start-transaction", {"idTag": "TAG-7", "connectorId": 2}
        )
        assert call[2:] == ["RemoteStartTransaction", {"idTag": "TAG-7", "connectorId": 2}]
        await cp.reply(call, {"status": "Accepted"})
        assert (await answer).json()["accepted"] is True
    await cp.close()


async def test_a_charging_profile_reaches_the_charger_as_it_was_posted(api: Api) -> None:
    profile = {
        "connectorId": 0,
        "csChargingProfiles": {
            "chargingProfileId": 11,
            "stackLevel": 1,
            "chargingProfilePurpose": "ChargePointMaxProfile",
            "chargingProfileKind": "Absolute",
            "validFrom": "2030-01-01T00:00:00.000Z",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "duration": 7200,
                "startSchedule": "2030-01-01T06:00:00.000Z",
                "chargingSchedulePeriod": [
                    {"startPeriod": 0, "limit": 32.0},
                    {"startPeriod": 1800, "limit": 16.5, "numberPhases": 1},
                ],
                "minChargingRate": 6.0,
            },
        },
    }
    cp = await booted(api, "CP-SCP")
    async with api.client(api.control_token) as http:
        call, answer = await sent(http, cp, "CP-SCP", "set-charging-profile", profile)
        assert call[2:] == ["SetChargingProfile", profile]
        await cp.reply(call, {"status": "Accepted"})
        response = await answer
    assert response.json()["accepted"] is True
    await cp.close()


async def test_get_configuration_returns_the_keys_and_the_station_keeps_them(api: Api) -> None:
    cp = await booted(api, "CP-CFG")
    station_said = {
        "configurationKey": [
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
            {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
        ],
        "unknownKey": ["NoSuchKey"],
    }
    async with api.client(api.control_token) as http:
        call, answer = await sent(
            http,
            cp,
            "CP-CFG",
            "get-configuration",
            {"key": ["HeartbeatInterval", "NumberOfConnectors", "NoSuchKey"]},
        )
        await cp.reply(call, station_said)
        response = await answer
        assert response.status_code == 200
        answered = response.json()["response"]
        assert answered["configurationKey"] == station_said["configurationKey"]
        assert answered["unknownKey"] == station_said["unknownKey"]
        stored = (await http.get("/api/v1/stations/CP-CFG/configuration")).json()
    assert {(k["key"], k["value"], k["readonly"]) for k in stored} == {
        ("HeartbeatInterval", "300", False),
        ("NumberOfConnectors", "2", True),
    }
    await cp.close()


def every_operation() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(operation, request, the station's answer) for each CSMS-initiated 1.6 operation."""
    soon = iso_ms(datetime.now(UTC) + timedelta(hours=1))
    schedule = {
        "chargingRateUnit": "A",
        "duration": 3600,
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}],
    }
    return [
        ("change-availability", {"connectorId": 1, "type": "Inoperative"}, {"status": "Scheduled"}),
        (
            "change-configuration",
            {"key": "HeartbeatInterval", "value": "120"},
            {"status": "RebootRequired"},
        ),
        ("clear-cache", {}, {"status": "Accepted"}),
        ("clear-charging-profile", {"id": 5}, {"status": "Accepted"}),
        (
            "data-transfer",
            {"vendorId": "com.example", "messageId": "ping", "data": "hi"},
            {"status": "Accepted", "data": "pong"},
        ),
        (
            "get-composite-schedule",
            {"connectorId": 1, "duration": 3600, "chargingRateUnit": "A"},
            {
                "status": "Accepted",
                "connectorId": 1,
                "scheduleStart": "2030-01-01T00:00:00.000Z",
                "chargingSchedule": schedule,
            },
        ),
        (
            "get-configuration",
            {},
            {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "120"}]},
        ),
        ("get-diagnostics", {"location": "ftp://example.com/diag/"}, {"fileName": "diag.zip"}),
        ("get-local-list-version", {}, {"listVersion": 3}),
        ("remote-start-transaction", {"idTag": "TAG-1", "connectorId": 1}, {"status": "Accepted"}),
        ("remote-stop-transaction", {"transactionId": 42}, {"status": "Accepted"}),
        (
            "reserve-now",
            {"connectorId": 1, "expiryDate": soon, "idTag": "TAG-1", "reservationId": 7},
            {"status": "Accepted"},
        ),
        ("cancel-reservation", {"reservationId": 7}, {"status": "Accepted"}),
        ("reset", {"type": "Hard"}, {"status": "Accepted"}),
        (
            "send-local-list",
            {
                "listVersion": 4,
                "updateType": "Full",
                "localAuthorizationList": [{"idTag": "TAG-1", "idTagInfo": {"status": "Accepted"}}],
            },
            {"status": "Accepted"},
        ),
        (
            "set-charging-profile",
            {
                "connectorId": 1,
                "csChargingProfiles": {
                    "chargingProfileId": 5,
                    "stackLevel": 0,
                    "chargingProfilePurpose": "TxDefaultProfile",
                    "chargingProfileKind": "Relative",
                    "chargingSchedule": schedule,
                },
            },
            {"status": "Accepted"},
        ),
        ("trigger-message", {"requestedMessage": "Heartbeat"}, {"status": "Accepted"}),
        ("unlock-connector", {"connectorId": 1}, {"status": "Unlocked"}),
        (
            "update-firmware",
            {"location": "https://example.com/fw.bin", "retrieveDate": soon},
            {},
        ),
    ]


def pascal(kebab: str) -> str:
    return "".join(part.capitalize() for part in kebab.split("-"))


async def test_every_operation_sends_its_payload_and_returns_what_the_station_said(
    api: Api,
) -> None:
    cp = await booted(api, "CP-ALL")
    async with api.client(api.control_token) as http:
        for operation, request, station_said in every_operation():
            action = pascal(operation)
            call, answer = await sent(http, cp, "CP-ALL", operation, request)
            assert call[2:] == [action, request], operation
            await cp.reply(call, station_said)
            response = await answer
            assert response.status_code == 200, (operation, response.text)
            body = response.json()
            assert (body["station_id"], body["operation"]) == ("CP-ALL", action)
            assert body["accepted"] is True, operation
            assert station_said.items() <= body["response"].items(), operation
    await cp.close()


# The domain gives every result a status so the command service can judge them
# alike; these 1.6 answers have none, and the API must not make one up (nor an
# empty unknownKey nobody sent).
ANSWERS_WITHOUT_STATUS = {
    "get-configuration",
    "get-diagnostics",
    "get-local-list-version",
    "update-firmware",
}


async def test_an_answer_without_a_status_in_ocpp_gets_none_added(api: Api) -> None:
    cp = await booted(api, "CP-SHAPE")
    added: dict[str, object] = {}
    async with api.client(api.control_token) as http:
        for operation, request, station_said in every_operation():
            if operation not in ANSWERS_WITHOUT_STATUS:
                continue
            call, answer = await sent(http, cp, "CP-SHAPE", operation, request)
            await cp.reply(call, station_said)
            answered = (await answer).json()["response"]
            if answered != station_said:  # what the station said passed the 1.6 schema
                added[operation] = answered
    await cp.close()
    assert added == {}


async def test_the_openapi_document_names_every_operation_in_kebab_case(api: Api) -> None:
    operations = {operation for operation, _, _ in every_operation()}
    assert len(operations) == 19
    async with api.client() as http:
        document = (await http.get("/api/openapi.json")).json()
    prefix = "/api/v1/stations/{station_id}/commands/"
    documented = {p.removeprefix(prefix) for p in document["paths"] if p.startswith(prefix)}
    assert documented == operations
    reset = document["paths"][prefix + "reset"]["post"]
    schema = reset["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["type"]
    assert schema["properties"]["type"]["enum"] == ["Hard", "Soft"]
    async with api.client(api.control_token) as http:
        for operation in sorted(operations):
            # Each has a route of its own: an unknown station, not an unknown path.
            response = await http.post(commands_path("CP-NOWHERE", operation), json={})
            assert response.status_code in (400, 404), (operation, response.text)
            if response.status_code == 404:
                assert response.json()["type"].endswith("/station-not-found"), operation
        unknown = await http.post(commands_path("CP-NOWHERE", "RemoteStartTransaction"), json={})
    assert_problem(unknown, 404, "not-found")


async def test_the_command_log_names_the_token_that_sent_it(api: Api) -> None:
    cp = await booted(api, "CP-LOG")
    async with api.client(api.control_token) as http:
        call, answer = await sent(
            http, cp, "CP-LOG", "trigger-message", {"requestedMessage": "Heartbeat"}
        )
        await cp.reply(call, {"status": "Accepted"})
        await answer
        log = (await http.get("/api/v1/commands", params={"station_id": "CP-LOG"})).json()
    assert len(log) == 1
    assert log[0]["action"] == "TriggerMessage"
    assert log[0]["requested_by"] == "api:controller"
    assert log[0]["outcome"] == "accepted"
    assert log[0]["request"] == {"requested_message": "Heartbeat"}
    await cp.close()
