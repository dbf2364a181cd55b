"""The ocpp endpoint fed with raw frames, as websockets tests its protocol: no network."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Coroutine

import pytest

from app.sim import SimulatedCharger
from app.sim.link import WIRE_LOGGER, OcppLink
from app.sim.records import ReceivedCall


class FrameRecorder:
    """Stands in for the websocket: the link only needs send() and recv()."""

    def __init__(self) -> None:
        self.sent: list[list[object]] = []

    async def send(self, message: str) -> None:
        self.sent.append(json.loads(message))

    async def recv(self) -> str:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class Spawner:
    def __init__(self, frames: FrameRecorder) -> None:
        self.frames = frames
        self.replies_before_spawn: list[int] = []

    def __call__(self, coro: Coroutine[None, None, None]) -> None:
        self.replies_before_spawn.append(len(self.frames.sent))
        coro.close()


@pytest.fixture
async def charger() -> AsyncIterator[SimulatedCharger]:
    station = SimulatedCharger("SIM-001", "ws://127.0.0.1:9/ocpp")
    yield station
    await station.close()


def make_link(
    charger: SimulatedCharger,
) -> tuple[OcppLink, FrameRecorder, Spawner, list[ReceivedCall]]:
    frames = FrameRecorder()
    spawner = Spawner(frames)
    received: list[ReceivedCall] = []
    link = OcppLink(
        "SIM-001",
        frames,
        charger.handlers,
        spawn=spawner,
        received=received,
        clock=charger.clock,
        response_timeout=1.0,
    )
    return link, frames, spawner, received


async def test_reply_is_sent_before_the_follow_up_starts(charger: SimulatedCharger) -> None:
    link, frames, spawner, received = make_link(charger)
    await link.route_message(
        json.dumps([2, "m1", "TriggerMessage", {"requestedMessage": "Heartbeat"}])
    )
    assert frames.sent == [[3, "m1", {"status": "Accepted"}]]
    assert spawner.replies_before_spawn == [1]
    assert [(c.action, c.payload, c.unique_id) for c in received] == [
        ("TriggerMessage", {"requestedMessage": "Heartbeat"}, "m1")
    ]


async def test_get_configuration_on_the_wire(charger: SimulatedCharger) -> None:
    link, frames, _, _ = make_link(charger)
    await link.route_message(
        json.dumps([2, "m2", "GetConfiguration", {"key": ["NumberOfConnectors", "Nope"]}])
    )
    assert frames.sent == [
        [
            3,
            "m2",
            {
                "configurationKey": [{"key": "NumberOfConnectors", "readonly": True, "value": "2"}],
                "unknownKey": ["Nope"],
            },
        ]
    ]


async def test_data_transfer_and_invalid_payload(charger: SimulatedCharger) -> None:
    link, frames, _, _ = make_link(charger)
    await link.route_message(json.dumps([2, "m3", "DataTransfer", {"vendorId": "acme"}]))
    await link.route_message(json.dumps([2, "m4", "Reset", {"type": "Sideways"}]))
    assert frames.sent[0] == [3, "m3", {"status": "UnknownVendorId"}]
    assert frames.sent[1][0] == 4  # CallError from schema validation


async def test_composite_schedule_on_the_wire(charger: SimulatedCharger) -> None:
    link, frames, _, _ = make_link(charger)
    await link.route_message(
        json.dumps(
            [
                2,
                "m5",
                "GetCompositeSchedule",
                {"connectorId": 1, "duration": 60, "chargingRateUnit": "A"},
            ]
        )
    )
    reply = frames.sent[0][2]
    assert isinstance(reply, dict)
    assert reply["status"] == "Accepted"
    assert reply["chargingSchedule"]["chargingSchedulePeriod"] == [
        {"startPeriod": 0, "limit": 32.0}
    ]


def test_authorization_key_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    frame = '[2,"m6","ChangeConfiguration",{"key":"AuthorizationKey","value":"hunter22"}]'
    with caplog.at_level(logging.INFO, logger=WIRE_LOGGER.name):
        WIRE_LOGGER.info("%s: receive message %s", "SIM-001", frame)
    assert "hunter22" not in caplog.text
    assert "AuthorizationKey" in caplog.text
