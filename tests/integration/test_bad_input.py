"""Bad input from one charger never hurts the server, other stations or stored data.

Each abuse is followed by the same checks: the abusing connection (if it stays
open) and a fresh one are still answered, and a transaction stored before the
abuse is still there, unchanged.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy
from app.domain.model import Transaction, TransactionState
from app.store.repositories import SqlEventLog
from tests.fakes.ocpp_errors import assert_call_error
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

# One server for the whole module (see shared_engine), so one event loop too.
pytestmark = pytest.mark.asyncio(loop_scope="module")


START = {"connectorId": 1, "idTag": "TAG1", "meterStart": 1000, "timestamp": "2026-01-01T10:00:00Z"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Engine]:
    """One server takes every abuse in this module: it has to survive them all in a row."""
    base = tmp_path_factory.mktemp("bad-input")
    settings = Settings(
        host="127.0.0.1",
        port=0,
        db_url=f"sqlite:///{base / 'chargedesk.sqlite3'}",
        unknown_stations=UnknownStationPolicy.ACCEPT,
        command_timeout=5.0,
        log_dir=str(base / "logs"),
        websocket_ping_interval=None,
        api_port=0,
        # Scenes start their transaction on a fixed, old date and some scenes
        # end with the station offline: the supervisor must not flag them as
        # suspect while a test still compares them.
        suspect_transaction_after=100 * 365 * 24 * 3600.0,
    )
    async with Engine(settings) as running:
        yield running


_station_numbers = itertools.count(1)


@dataclass
class Scene:
    """A booted charger with a transaction stored before anything bad happens."""

    engine: Engine
    url: str
    station_id: str
    cp: RawCharger
    tx: Transaction

    async def assert_unharmed(self, *, same_connection: bool = True) -> None:
        if same_connection:
            assert self.cp.ws.close_code is None, "the abused connection was closed"
            heartbeat = await self.cp.ok("Heartbeat", {})
            assert "currentTime" in heartbeat
        fresh = await RawCharger.connect(self.url, f"{self.station_id}-FRESH")
        try:
            assert (await fresh.boot())["status"] == "Accepted"
            await fresh.ok("Heartbeat", {})
        finally:
            await fresh.close()
        transactions = self.engine.services.transactions
        assert await transactions.get(self.tx.id) == self.tx
        mine = await transactions.find(station_id=self.station_id)
        assert [t.id for t in mine] == [self.tx.id], "bad input created a transaction"
        assert await transactions.samples(self.tx.id) == []


@pytest_asyncio.fixture(loop_scope="module")
async def scene(shared_engine: Engine) -> AsyncIterator[Scene]:
    url = f"ws://127.0.0.1:{shared_engine.port}/ocpp"
    station_id = f"CP-BAD-{next(_station_numbers)}"
    cp = await RawCharger.connect(url, station_id)
    await cp.boot()
    tx_id = (await cp.ok("StartTransaction", START))["transactionId"]
    tx = await shared_engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.state is TransactionState.OPEN
    yield Scene(shared_engine, url, station_id, cp, tx)
    await cp.close()


async def no_answer_to(cp: RawCharger, frame: str | bytes) -> None:
    """Send a frame the server cannot answer; prove it sent nothing back for it."""
    await cp.ws.send(frame)
    # Frames on one connection are handled in order: once this is answered,
    # any reply to the bad frame would already have arrived.
    await cp.ok("Heartbeat", {})
    assert cp.unparsed == []


# ---- frames that cannot be answered: logged and dropped --------------------------------


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param("this is not JSON", id="not-json"),
        pytest.param("", id="empty"),
        pytest.param('[2, "u1"', id="cut-short-before-the-action"),
        pytest.param('{"messageTypeId": 2}', id="object-not-array"),
        pytest.param('"Heartbeat"', id="string"),
        pytest.param("42", id="number"),
        pytest.param("null", id="null"),
        pytest.param("[]", id="empty-array"),
        pytest.param("[2]", id="no-unique-id"),
        pytest.param('[2, 17, "Heartbeat", {}]', id="numeric-unique-id"),
        pytest.param('[2, "", "Heartbeat", {}]', id="empty-unique-id"),
        pytest.param('[7, "u1", "Heartbeat", {}]', id="unknown-type-id"),
        pytest.param('["2", "u1", "Heartbeat", {}]', id="type-id-as-string"),
        pytest.param('[null, "u1", "Heartbeat", {}]', id="type-id-null"),
        pytest.param('[3, "u1"]', id="short-callresult"),
        pytest.param('[4, "u1", "GenericError"]', id="short-callerror"),
        pytest.param("[" * 30_000 + "]" * 30_000, id="nested-too-deep"),
    ],
)
async def test_unanswerable_frames_are_dropped_and_logged(
    scene: Scene, frame: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.ocpp.connection"):
        await no_answer_to(scene.cp, frame)
    assert any("cannot be answered" in r.getMessage() for r in caplog.records)
    await scene.assert_unharmed()


async def test_binary_garbage_is_dropped(scene: Scene) -> None:
    await no_answer_to(scene.cp, b"\xff\xfe\x00\x01garbage")
    await scene.assert_unharmed()


async def test_many_unanswerable_frames_in_a_row_close_the_connection(scene: Scene) -> None:
    # Scattered ones are tolerated: a good frame in between resets the count.
    for _ in range(3):
        for _ in range(15):
            await scene.cp.ws.send("garbage")
        await scene.cp.ok("Heartbeat", {})
    assert scene.cp.unparsed == []
    for _ in range(25):
        await scene.cp.ws.send("garbage")
    await until(lambda: scene.cp.ws.close_code is not None)
    assert scene.cp.ws.close_code == 1002
    await scene.assert_unharmed(same_connection=False)


async def test_another_stations_transaction_cannot_be_touched(scene: Scene) -> None:
    intruder = await RawCharger.connect(scene.url, f"{scene.station_id}-INTRUDER")
    await intruder.boot()
    await intruder.ok("MeterValues", meter_values(scene.tx.id, "99999"))
    await intruder.ok("StopTransaction", stop(scene.tx.id))
    await intruder.close()
    await scene.assert_unharmed()


async def test_an_answer_to_a_call_never_made_is_ignored_and_logged(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.ocpp.connection"):
        await no_answer_to(scene.cp, '[3, "never-made", {"status": "Accepted"}]')
        await no_answer_to(scene.cp, '[4, "never-made-2", "GenericError", "oops", {}]')
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "never-made" in logged
    assert "never-made-2" in logged
    await scene.assert_unharmed()


# ---- malformed CALLs: answered with the OCPP-J error code ----------------------------


@pytest.mark.parametrize(
    ("frame", "unique_id", "code"),
    [
        pytest.param('[2, "u1", "Heartbeat"]', "u1", "FormationViolation", id="3-elements"),
        pytest.param('[2, "u1", "Heartbeat", {}, {}]', "u1", "FormationViolation", id="5-elements"),
        pytest.param('[2, "u1", 42, {}]', "u1", "FormationViolation", id="numeric-action"),
        pytest.param('[2, "u1", null, {}]', "u1", "FormationViolation", id="null-action"),
        pytest.param('[2, "u1", "Heartbeat", []]', "u1", "FormationViolation", id="array-payload"),
        pytest.param('[2, "u1", "Heartbeat", null]', "u1", "FormationViolation", id="null-payload"),
        pytest.param('[2, "u1", "Heartbeat", "{}"]', "u1", "FormationViolation", id="str-payload"),
        pytest.param(
            json.dumps([2, "x" * 37, "Heartbeat", {}]), "x" * 37, "FormationViolation", id="id-37"
        ),
        pytest.param('[2, "u1", "Heartbeat", {', "u1", "FormationViolation", id="cut-short"),
        pytest.param(
            '[2, "u1", "Heartbeat", {"a": ' + "[" * 30_000 + "]" * 30_000 + "}]",
            "u1",
            "FormationViolation",
            id="payload-nested-too-deep",
        ),
        pytest.param(
            '[2, "\\ud800", "Heartbeat", {}]',
            "\ud800",
            "FormationViolation",
            id="lone-surrogate-id",
        ),
        pytest.param('[2, "u1", "FlyToTheMoon", {}]', "u1", "NotImplemented", id="unknown-action"),
        pytest.param('[2, "u1", "heartbeat", {}]', "u1", "NotImplemented", id="action-lowercase"),
        pytest.param(
            '[2, "u1", "RemoteStartTransaction", {"idTag": "T"}]',
            "u1",
            "NotImplemented",
            id="csms-only-action",
        ),
        pytest.param(
            '[2, "u1", "SignCertificate", {"csr": "-----BEGIN CERTIFICATE REQUEST-----"}]',
            "u1",
            "NotSupported",
            id="known-unhandled-action",
        ),
    ],
)
async def test_malformed_calls_get_a_callerror(
    scene: Scene, frame: str, unique_id: str, code: str
) -> None:
    answer = await scene.cp.send_raw(frame, unique_id)
    assert_call_error(answer, unique_id, code)
    await scene.assert_unharmed()


# ---- payloads that break the 1.6 schema or carry values we cannot store -----------------

BOOT = {"chargePointVendor": "TestVendor", "chargePointModel": "TestModel"}
STATUS = {"connectorId": 1, "status": "Charging", "errorCode": "NoError"}


def meter_values(tx_id: int, value: Any, timestamp: str = "2026-01-01T10:05:00Z") -> dict[str, Any]:
    return {
        "connectorId": 1,
        "transactionId": tx_id,
        "meterValue": [{"timestamp": timestamp, "sampledValue": [{"value": value}]}],
    }


def stop(tx_id: int, **changes: Any) -> dict[str, Any]:
    return {
        "transactionId": tx_id,
        "meterStop": 2000,
        "timestamp": "2026-01-01T11:00:00Z",
    } | changes


# (action, payload or a function of the stored transaction id, expected code)
SCHEMA_CASES: list[Any] = [
    pytest.param("BootNotification", {"chargePointVendor": "V"}, "OccurenceConstraintViolation",
                 id="missing-required"),
    pytest.param("StartTransaction", {k: v for k, v in START.items() if k != "idTag"},
                 "OccurenceConstraintViolation", id="start-without-id-tag"),
    pytest.param("MeterValues", {"connectorId": 1, "meterValue": []},
                 "OccurenceConstraintViolation", id="empty-meter-value-list"),
    pytest.param("StatusNotification", STATUS | {"connectorId": "1"}, "TypeConstraintViolation",
                 id="string-for-integer"),
    pytest.param("BootNotification", BOOT | {"chargePointModel": 7}, "TypeConstraintViolation",
                 id="integer-for-string"),
    pytest.param("StartTransaction", START | {"meterStart": 1000.5}, "TypeConstraintViolation",
                 id="fraction-for-integer"),
    pytest.param("StatusNotification", STATUS | {"status": "Sleeping"},
                 "PropertyConstraintViolation", id="bad-enum"),
    pytest.param("BootNotification", BOOT | {"chargePointVendor": "V" * 21},
                 "PropertyConstraintViolation", id="too-long"),
    pytest.param("StatusNotification", STATUS | {"connectorId": 10**30},
                 "PropertyConstraintViolation", id="integer-beyond-64-bits"),
    pytest.param("StatusNotification", STATUS | {"connectorId": -1},
                 "PropertyConstraintViolation", id="negative-connector"),
    pytest.param("Heartbeat", {"sleepy": True}, "FormationViolation", id="extra-property"),
    pytest.param("BootNotification", BOOT | {"\ud800": "x"}, "FormationViolation",
                 id="lone-surrogate-key"),
    pytest.param("StartTransaction", START | {"timestamp": "yesterday"},
                 "TypeConstraintViolation", id="timestamp-words"),
    pytest.param("StartTransaction", START | {"timestamp": "2026-02-30T10:00:00Z"},
                 "TypeConstraintViolation", id="timestamp-no-such-day"),
    pytest.param("StatusNotification", STATUS | {"timestamp": "2026-01-01T25:00:00Z"},
                 "TypeConstraintViolation", id="timestamp-hour-25"),
    pytest.param("StatusNotification", STATUS | {"timestamp": ""},
                 "TypeConstraintViolation", id="timestamp-empty"),
    pytest.param("StopTransaction", lambda tx: stop(tx, timestamp="0001-01-01T00:00:00+14:00"),
                 "TypeConstraintViolation", id="timestamp-before-year-1-in-utc"),
    pytest.param("StopTransaction", lambda tx: stop(tx, timestamp="9999-12-31T23:59:59-14:00"),
                 "TypeConstraintViolation", id="timestamp-after-year-9999-in-utc"),
    pytest.param("MeterValues", lambda tx: meter_values(tx, "1", timestamp="soon"),
                 "TypeConstraintViolation", id="meter-timestamp"),
    pytest.param("MeterValues", lambda tx: meter_values(tx, 12), "TypeConstraintViolation",
                 id="meter-value-json-number"),
    pytest.param("StopTransaction", lambda tx: stop(tx, reason="BecauseICan"),
                 "PropertyConstraintViolation", id="stop-bad-reason"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "payload", "code"), SCHEMA_CASES)
async def test_payloads_that_break_the_schema_change_nothing(
    scene: Scene, action: str, payload: Any, code: str
) -> None:
    body = payload(scene.tx.id) if callable(payload) else payload
    answer = await scene.cp.call(action, body)
    assert_call_error(answer, answer[1], code)
    # The boot-time facts are unchanged too.
    station = await scene.engine.services.stations.get(scene.station_id)
    assert station.boot is not None
    assert station.boot.vendor == "TestVendor"
    await scene.assert_unharmed()


@pytest.mark.parametrize("value", ["twelve", "", "NaN", "Infinity", "-inf", "1e999"])
async def test_a_meter_value_that_is_no_finite_number_is_dropped_not_stored(
    scene: Scene, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    # OCPP 1.6 §4.7: a failed sanity check must not cost the charger its
    # MeterValues.conf (it would resend the message for ever); say what was dropped.
    with caplog.at_level(logging.WARNING, logger="app.ocpp.v16.mapping"):
        assert await scene.cp.ok("MeterValues", meter_values(scene.tx.id, value)) == {}
    assert any("dropped sampled value" in r.getMessage() for r in caplog.records)
    await scene.assert_unharmed()


# ---- frames over the size limit ---------------------------------------------------------


async def test_a_frame_over_the_size_limit_closes_with_1009_and_a_logged_reason(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    limit = scene.engine.settings.max_frame_bytes
    assert limit == 64 * 1024

    def data_transfer(unique_id: str, data: str) -> str:
        payload = {"vendorId": "V", "data": data}
        return json.dumps([2, unique_id, "DataTransfer", payload], separators=(",", ":"))

    padding = "x" * (limit - len(data_transfer("fits", "")))
    answer = await scene.cp.send_raw(data_transfer("fits", padding), "fits")
    assert answer is not None
    assert answer[0] == 3

    with caplog.at_level(logging.WARNING, logger="app.ocpp.connection"):
        await scene.cp.ws.send(data_transfer("over", padding + "x"))  # limit + 1 bytes
        await until(lambda: scene.cp.ws.close_code is not None)
        assert scene.cp.ws.close_code == 1009
        # The disconnection is stored (with its reason) just after the close.
        events = SqlEventLog(scene.engine.db)
        disconnected: list[str] = []

        async def stored() -> bool:
            recent = await events.recent(station_id=scene.station_id)
            disconnected[:] = [e.message for e in recent if e.kind == "station.disconnected"]
            return bool(disconnected)

        await until(stored)
        # Logged by the connection as it closes, which may come after the store.
        await until(lambda: any("1009" in r.getMessage() for r in caplog.records))
    assert "1009" in disconnected[0]
    assert "exceeds" in disconnected[0]
    await scene.assert_unharmed(same_connection=False)


# ---- a flood ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flood_frame",
    [
        pytest.param('[2, "{}", "Heartbeat", {{}}]', id="good-calls"),
        pytest.param('[2, "{}", "Heartbeat"]', id="malformed-calls"),
    ],
)
async def test_a_flood_is_slowed_and_other_stations_stay_prompt(
    settings: Settings, flood_frame: str
) -> None:
    rate = 50.0
    async with Engine(settings.with_overrides(station_message_rate=rate)) as engine:
        url = f"ws://127.0.0.1:{engine.port}/ocpp"
        flooder = await RawCharger.connect(url, "CP-FLOOD")
        calm = await RawCharger.connect(url, "CP-CALM")
        await calm.boot()
        tx_id = (await calm.ok("StartTransaction", START))["transactionId"]
        before = await engine.services.transactions.get(tx_id)

        burst = max(10.0, rate * 2)
        flood_size = int(burst + rate * 1.5)  # at least 1.5 s of paced work
        loop = asyncio.get_running_loop()
        started = loop.time()
        flood = [
            loop.create_task(flooder.send_raw(flood_frame.format(n), str(n)))
            for n in range(flood_size)
        ]
        await asyncio.sleep(0.1)  # the flood is under way
        calm_answered: list[float] = []
        for _ in range(5):
            sent = loop.time()
            await calm.ok("Heartbeat", {})
            calm_answered.append(loop.time() - sent)
        unanswered_when_calm_done = sum(not t.done() for t in flood)
        answers = await asyncio.gather(*flood)
        flood_took = loop.time() - started

        # Every flood frame is still answered, but paced to the configured rate.
        assert all(a is not None and a[0] in (3, 4) for a in answers)
        assert flood_took >= (flood_size - burst) / rate * 0.9
        # The calm station was answered while the flood was still queued.
        assert unanswered_when_calm_done > 0
        assert max(calm_answered) < flood_took / 2

        fresh = await RawCharger.connect(url, "CP-AFTER")
        assert (await fresh.boot())["status"] == "Accepted"
        assert await engine.services.transactions.get(tx_id) == before
        for cp in (flooder, calm, fresh):
            await cp.close()
