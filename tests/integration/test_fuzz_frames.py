"""Hypothesis-generated frames against one running server.

Invariants, whatever arrives: the server stays up; every answerable CALL gets a
CALLRESULT or a well-formed CALLERROR with an OCPP-J 1.6 code (never an
InternalError, which would mean an unhandled exception); whatever else the
server sends is well-formed; a control station keeps getting prompt answers and
a transaction stored before the run is untouched.

Hypothesis runs in a worker thread and hands every frame to the engine's loop,
so the engine is started once for the whole run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import string
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.bootstrap import Engine
from app.config import Settings
from app.domain.model import Transaction
from tests.fakes.ocpp_errors import OCPP16_ERROR_CODES
from tests.fakes.raw_charger import RawCharger

MAX_EXAMPLES = 150


CHARGER_ACTIONS = [
    "Authorize",
    "BootNotification",
    "DataTransfer",
    "DiagnosticsStatusNotification",
    "FirmwareStatusNotification",
    "Heartbeat",
    "MeterValues",
    "StartTransaction",
    "StatusNotification",
    "StopTransaction",
]
CSMS_ACTIONS = [
    "CancelReservation",
    "ChangeAvailability",
    "ChangeConfiguration",
    "ClearCache",
    "ClearChargingProfile",
    "GetCompositeSchedule",
    "GetConfiguration",
    "GetDiagnostics",
    "GetLocalListVersion",
    "RemoteStartTransaction",
    "RemoteStopTransaction",
    "ReserveNow",
    "Reset",
    "SendLocalList",
    "SetChargingProfile",
    "TriggerMessage",
    "UnlockConnector",
    "UpdateFirmware",
]
OTHER_ACTIONS = ["SignCertificate", "SecurityEventNotification", "heartbeat", "", "Foo"]

# ---- strategies ---------------------------------------------------------------------

lone_surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=2)
texts = st.text(max_size=30) | lone_surrogates
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.integers(-3, 5)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)

timestamps = (
    st.datetimes().map(lambda d: d.isoformat() + "Z")
    | st.sampled_from(
        ["2026-01-01T10:00:00Z", "2026-01-01T10:00:00.123+02:00", "2026-02-30T00:00:00Z",
         "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "yesterday", ""]
    )
)  # fmt: skip
numeric_strings = st.sampled_from(
    ["0", "12.5", "-1", "1e3", "NaN", "inf", "-Infinity", "1e999", "", "x", " 7 ", "1_0"]
) | st.floats().map(str)


def from_schema(node: dict[str, Any], noisy: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped by a 1.6 JSON schema node; if noisy, now and then anything at all."""
    kind = node.get("type")
    if "enum" in node:
        typed: st.SearchStrategy[Any] = st.sampled_from(node["enum"])
    elif node.get("format") == "date-time":
        typed = timestamps
    elif kind == "string":
        limit = node.get("maxLength", 50)
        typed = st.one_of(
            st.text(string.ascii_letters + string.digits, max_size=limit + 1),
            st.text(max_size=limit + 1),
            numeric_strings,
            lone_surrogates,
        )
    elif kind == "integer":
        typed = st.one_of(
            st.integers(-1, 4),
            st.integers(-1, 4),
            st.integers(-1, 4),
            st.integers(),
            st.sampled_from([2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
        )
    elif kind == "number":
        typed = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-5, 50)
    elif kind == "boolean":
        typed = st.booleans()
    elif kind == "object" and depth < 4:
        typed = payload_from_schema(node, noisy, depth + 1)
    elif kind == "array" and depth < 4:
        typed = st.lists(from_schema(node.get("items", {}), noisy, depth + 1), max_size=3)
    else:
        typed = json_values
    return st.one_of(typed, typed, typed, json_values) if noisy else typed


def payload_from_schema(
    schema: dict[str, Any], noisy: bool, depth: int = 0
) -> st.SearchStrategy[Any]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    base = st.fixed_dictionaries(
        {k: from_schema(v, noisy, depth) for k, v in properties.items() if k in required},
        optional={
            k: from_schema(v, noisy, depth) for k, v in properties.items() if k not in required
        },
    )
    if not noisy:
        return base
    extra = st.dictionaries(texts, json_values, max_size=1)
    return st.one_of(base, base, base, st.builds(lambda a, b: b | a, base, extra))


def request_schema(action: str) -> dict[str, Any]:
    # Read the file: ocpp.messages.get_validator caches per schema with whatever
    # number type it is first asked for, and this module must not decide that.
    text = (resources.files("ocpp") / "v16" / "schemas" / f"{action}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


SCHEMAS = {action: request_schema(action) for action in CHARGER_ACTIONS + CSMS_ACTIONS}


def calls(actions: list[str], noisy: bool) -> st.SearchStrategy[tuple[str, Any]]:
    return st.sampled_from(actions).flatmap(
        lambda action: st.tuples(st.just(action), payload_from_schema(SCHEMAS[action], noisy))
    )


@dataclass(frozen=True)
class Frame:
    data: str | bytes
    description: str
    action: Any = None


def _dumps(value: Any) -> str:
    return json.dumps(value)  # ASCII: lone surrogates travel as \\u escapes


unique_ids = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=36)


@st.composite
def shaped_frames(draw: st.DrawFn) -> Frame:
    """Arrays shaped like OCPP-J messages, with random bits out of place."""
    action, payload = draw(
        calls(CHARGER_ACTIONS + CSMS_ACTIONS, noisy=True)
        | st.tuples(st.sampled_from(OTHER_ACTIONS), json_values)
    )
    type_id = draw(st.sampled_from([2, 2, 2, 2, 3, 4, 0, 5, 2.0, "2", None, True]))
    unique_id = draw(unique_ids | st.text(max_size=40) | lone_surrogates | json_values)
    if type_id == 3 and not isinstance(type_id, bool):
        message: list[Any] = [type_id, unique_id, payload]
    elif type_id == 4 and not isinstance(type_id, bool):
        message = [type_id, unique_id, draw(texts), draw(texts), draw(json_values)]
    else:
        message = [type_id, unique_id, draw(st.sampled_from([action, action, 7, None])), payload]
    cut = draw(st.integers(0, len(message) + 1))
    if cut < len(message) and draw(st.booleans()):
        message = message[:cut]
    elif cut > len(message):
        message.append(draw(json_values))
    return Frame(_dumps(message), "shaped", message[2] if len(message) > 2 else None)


@st.composite
def valid_calls(draw: st.DrawFn) -> Frame:
    """Well-formed CALLs with schema-shaped payloads: these reach the handlers."""
    action, payload = draw(calls(CHARGER_ACTIONS, noisy=False))
    unique_id = draw(unique_ids | lone_surrogates.filter(bool))
    return Frame(_dumps([2, unique_id, action, payload]), "call", action)


@st.composite
def raw_frames(draw: st.DrawFn) -> Frame:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return Frame(_dumps(draw(json_values)), "json")
    if choice == 1:
        return Frame(draw(st.text(max_size=200)), "text")
    if choice == 2:
        return Frame(draw(st.binary(max_size=200)), "bytes")
    # A CALL cut off at a random point.
    action, payload = draw(calls(CHARGER_ACTIONS, noisy=True))
    text = _dumps([2, draw(unique_ids), action, payload])
    return Frame(text[: draw(st.integers(0, len(text)))], "truncated")


frames = st.one_of(valid_calls(), shaped_frames(), raw_frames())

# ---- the harness ------------------------------------------------------------------------


def answerable_unique_id(frame: Frame) -> str | None:
    """The unique id the server must answer, if the frame is a CALL it can answer."""
    text = frame.data.decode("utf-8", "replace") if isinstance(frame.data, bytes) else frame.data
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None  # answered only if the head is readable; checked as "extra" below
    if not isinstance(data, list) or len(data) < 2:
        return None
    type_id, unique_id = data[0], data[1]
    if isinstance(type_id, bool) or type_id != 2:
        return None
    return unique_id if isinstance(unique_id, str) and unique_id else None


def assert_well_formed(answer: list[Any], frame: Frame) -> None:
    assert isinstance(answer, list), (answer, frame)
    if answer[0] == 3:
        assert len(answer) == 3, (answer, frame)
        assert isinstance(answer[2], dict), (answer, frame)
        return
    assert answer[0] == 4, (answer, frame)
    assert len(answer) == 5, (answer, frame)
    assert answer[2] in OCPP16_ERROR_CODES, (answer, frame)
    assert answer[2] != "InternalError", (answer, frame)
    assert isinstance(answer[3], str), (answer, frame)
    assert isinstance(answer[4], dict), (answer, frame)


@dataclass
class Harness:
    engine: Engine
    url: str
    fuzzed: RawCharger
    control: RawCharger
    stored: Transaction
    closes: list[int | None] = field(default_factory=list)
    sent: int = 0
    # What the server answered (CALLRESULT per action, CALLERROR per code): the
    # run must reach the handlers, not only the framing checks.
    outcomes: Counter[str] = field(default_factory=Counter)

    async def send(self, frame: Frame) -> None:
        if self.fuzzed.ws.close_code is not None:
            self.closes.append(self.fuzzed.ws.close_code)
            await self.fuzzed.close()
            self.fuzzed = await RawCharger.connect(self.url, "CP-FUZZ")
        unique_id = answerable_unique_id(frame)
        if unique_id is not None and frame.description != "bytes":
            assert isinstance(frame.data, str)
            answer = await self.fuzzed.send_raw(frame.data, unique_id)
            assert answer is not None
            assert_well_formed(answer, frame)
            self.outcomes[answer[2] if answer[0] == 4 else f"result:{frame.action}"] += 1
        else:
            await self.fuzzed.ws.send(frame.data)
        self.sent += 1
        if self.fuzzed.ws.close_code is None:
            # In-order handling: once this is answered, any reply to the frame is in.
            try:
                await self.fuzzed.ok("Heartbeat", {})
            except Exception:
                # Only the deliberate close for too many malformed frames may end it.
                assert self.fuzzed.ws.close_code == 1002, self.fuzzed.ws.close_code
        for extra in self.fuzzed.unparsed:
            assert_well_formed(json.loads(extra), frame)
        self.fuzzed.unparsed.clear()
        if self.sent % 10 == 0:
            await self.check_control()

    async def check_control(self) -> None:
        async with asyncio.timeout(2):
            await self.control.ok("Heartbeat", {})


@pytest.fixture
async def fuzz_engine(settings: Settings) -> AsyncIterator[Engine]:
    # No pacing: the point here is variety, and the flood test covers pacing.
    async with Engine(settings.with_overrides(station_message_rate=10_000.0)) as running:
        yield running


async def test_generated_frames_never_hurt_the_server(
    fuzz_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"ws://127.0.0.1:{fuzz_engine.port}/ocpp"
    control = await RawCharger.connect(url, "CP-CONTROL")
    await control.boot()
    tx_id = (
        await control.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": "T1", "meterStart": 5, "timestamp": "2026-01-01T10:00:00Z"},
        )
    )["transactionId"]
    stored = await fuzz_engine.services.transactions.get(tx_id)
    assert stored is not None
    harness = Harness(fuzz_engine, url, await RawCharger.connect(url, "CP-FUZZ"), control, stored)
    loop = asyncio.get_running_loop()

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        # The same examples in every run: CI must not pass or fail by the draw.
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(frame=frames)
    def each_frame(frame: Frame) -> None:
        asyncio.run_coroutine_threadsafe(harness.send(frame), loop).result(timeout=30)

    # Hypothesis drives from a worker thread; the engine keeps its own loop.
    await asyncio.to_thread(each_frame)

    assert harness.sent >= MAX_EXAMPLES
    # Nothing failed inside either: no crashed handler, no failed commit.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    results = sum(n for what, n in harness.outcomes.items() if what.startswith("result:"))
    codes = {what for what in harness.outcomes if not what.startswith("result:")}
    assert results >= 10, harness.outcomes  # the run reached the handlers
    assert len(codes) >= 3, harness.outcomes
    assert set(harness.closes) <= {1002}
    await harness.check_control()
    fresh = await RawCharger.connect(url, "CP-FRESH")
    assert (await fresh.boot())["status"] == "Accepted"
    assert await fuzz_engine.services.transactions.get(tx_id) == stored
    for cp in (harness.fuzzed, control, fresh):
        await cp.close()
