"""OCPP 1.6 connection-level conformance: OCTT TC_085 and TC_088 (checklist 3.21, the
cases that need no TLS or certificates) and the spec-derived checks X16-18 (handshake),
X16-19 (RPC framing) and X16-20 (security profile 1 credentials).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from websockets.exceptions import InvalidStatus

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy
from app.domain import commands as c
from app.domain.errors import InvalidInput, NotSupportedByStation
from app.store.repositories import SqlCommandLog
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import booted, nothing_sent, operate, operate_refused

PASSWORD = "0123456789abcdef0123"  # 20 characters, as OCTT configures it
NEW_KEY = "00112233445566778899aabbccddeeff00112233"  # 40 hex characters = 20 bytes


@pytest.fixture
async def strict_engine(settings: Settings) -> AsyncIterator[Engine]:
    """Unknown stations are refused at the handshake."""
    async with Engine(settings.with_overrides(unknown_stations=UnknownStationPolicy.REJECT)) as e:
        yield e


async def refused_with(url: str, station_id: str, **kwargs: object) -> int:
    with pytest.raises(InvalidStatus) as caught:
        await RawCharger.connect(url, station_id, **kwargs)  # type: ignore[arg-type]
    return caught.value.response.status_code


# ---- 3.21 security (no TLS) ---------------------------------------------------------


async def test_tc_085_basic_authentication(engine: Engine, ocpp_url: str) -> None:
    """TC_085_CSMS: without an Authorization header the upgrade is refused (401); with
    `<cpId>:<AuthorizationKey>` it is upgraded and the boot Accepted."""
    await engine.services.stations.add("CP-085", password=PASSWORD)
    assert await refused_with(ocpp_url, "CP-085") == 401
    assert await refused_with(ocpp_url, "CP-085", password="wrong-password-1234") == 401
    cp = await RawCharger.connect(ocpp_url, "CP-085", password=PASSWORD)
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


async def test_tc_088_websocket_subprotocol_negotiation(engine: Engine, ocpp_url: str) -> None:
    """TC_088_CSMS: offering only ocpp0.1 is refused (no upgrade); offering ocpp0.1 and
    ocpp1.6 is upgraded with Sec-WebSocket-Protocol: ocpp1.6."""
    with pytest.raises(InvalidStatus):
        await RawCharger.connect(ocpp_url, "CP-088", subprotocols=["ocpp0.1"])
    cp = await RawCharger.connect(ocpp_url, "CP-088", subprotocols=["ocpp0.1", "ocpp1.6"])
    assert cp.ws.subprotocol == "ocpp1.6"
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


# ---- X16-18 handshake -----------------------------------------------------------------


async def test_x16_18_station_id_is_the_last_path_segment(engine: Engine, ocpp_url: str) -> None:
    """X16-18: the id is the last segment of any prefix, percent-decoded, query ignored;
    a charger offering no subprotocol is taken as 1.6."""
    prefixed = await RawCharger.connect(f"{ocpp_url}/site/b", "CP%20X18?token=1")
    assert (await prefixed.boot())["status"] == "Accepted"
    await prefixed.close()
    bare = await RawCharger.connect(ocpp_url, "CP-X18-NOPROTO", subprotocols=[])
    assert bare.ws.subprotocol is None
    assert (await bare.boot())["status"] == "Accepted"
    await bare.close()
    ids = {s.id for s in await engine.services.stations.all()}
    assert {"CP X18", "CP-X18-NOPROTO"} <= ids


async def test_x16_18_unknown_station_gets_404(strict_engine: Engine) -> None:
    """X16-18: with unknown stations refused, an unknown id gets HTTP 404."""
    url = f"ws://127.0.0.1:{strict_engine.port}/ocpp"
    assert await refused_with(url, "CP-NOBODY") == 404
    await strict_engine.services.stations.add("CP-KNOWN")
    cp = await RawCharger.connect(url, "CP-KNOWN")
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


# ---- X16-19 framing -------------------------------------------------------------------


async def test_x16_19_rpc_framework(engine: Engine, ocpp_url: str) -> None:
    """X16-19: CALLERROR has 5 elements and {} details; NotImplemented for an unknown
    action; constraint codes for bad payloads; unknown MessageTypeIds ignored."""
    cp = await booted(ocpp_url, "CP-X1619")
    unknown = await cp.call("Teleport", {})
    assert unknown[0] == 4
    assert len(unknown) == 5
    assert unknown[2] == "NotImplemented"
    assert unknown[4] == {}
    missing = await cp.call("Authorize", {})
    assert missing[2] == "OccurenceConstraintViolation"
    typed = await cp.call("Authorize", {"idTag": 5})
    assert typed[2] == "TypeConstraintViolation"
    enum = await cp.call(
        "StatusNotification", {"connectorId": 1, "status": "Dancing", "errorCode": "NoError"}
    )
    assert enum[2] == "PropertyConstraintViolation"
    await cp.send_raw(json.dumps([7, "odd", "Heartbeat", {}]))
    assert "currentTime" in await cp.ok("Heartbeat", {})
    await cp.close()


async def test_x16_19_one_outstanding_call_per_station(engine: Engine, ocpp_url: str) -> None:
    """X16-19: a second operation waits until the first is answered; ids are ≤ 36 chars."""
    cp = await booted(ocpp_url, "CP-X1619B")
    first = asyncio.create_task(engine.services.commands.send("CP-X1619B", c.ClearCache()))
    second = asyncio.create_task(
        engine.services.commands.send("CP-X1619B", c.GetLocalListVersion())
    )
    call_one = await cp.next_call()
    await nothing_sent(cp)
    assert len(call_one[1]) <= 36
    await cp.reply(
        call_one, {"status": "Accepted"} if call_one[2] == "ClearCache" else {"listVersion": 0}
    )
    call_two = await cp.next_call()
    assert call_two[1] != call_one[1]
    await cp.reply(
        call_two, {"status": "Accepted"} if call_two[2] == "ClearCache" else {"listVersion": 0}
    )
    assert await first == c.StatusResult("Accepted")
    assert await second == c.LocalListVersionResult(0)
    assert {call_one[2], call_two[2]} == {"ClearCache", "GetLocalListVersion"}
    await cp.close()


# ---- X16-20 security profile 1 credentials ---------------------------------------------


async def test_x16_20_username_must_be_the_station_id(engine: Engine, ocpp_url: str) -> None:
    """X16-20: the right password under another username is refused (401)."""
    await engine.services.stations.add("CP-X1620A", password=PASSWORD)
    code = await refused_with(ocpp_url, "CP-X1620A", password=PASSWORD, username="CP-OTHER")
    assert code == 401


async def test_x16_20_new_authorization_key_replaces_the_old(engine: Engine, ocpp_url: str) -> None:
    """X16-20 (TC_073 without TLS): after ChangeConfiguration(AuthorizationKey) Accepted
    only the new key is accepted; the key is stored nowhere in clear."""
    await engine.services.stations.add("CP-X1620B", password=PASSWORD)
    cp = await RawCharger.connect(ocpp_url, "CP-X1620B", password=PASSWORD)
    await cp.boot()
    call, _result = await operate(
        engine,
        cp,
        "CP-X1620B",
        c.ChangeConfiguration("AuthorizationKey", NEW_KEY),
        {"status": "Accepted"},
    )
    assert call[3] == {"key": "AuthorizationKey", "value": NEW_KEY}
    await cp.close()

    assert await refused_with(ocpp_url, "CP-X1620B", password=PASSWORD) == 401
    cp = await RawCharger.connect(ocpp_url, "CP-X1620B", password=NEW_KEY)
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()

    stored = await engine.services.stations.configuration("CP-X1620B")
    assert [(k.key, k.value) for k in stored] == [("AuthorizationKey", None)]
    [record] = await SqlCommandLog(engine.db).recent(station_id="CP-X1620B")
    assert NEW_KEY not in json.dumps(record.request)
    frames = await engine.services.frames.recent(station_id="CP-X1620B")
    assert any("AuthorizationKey" in f.frame for f in frames)
    assert not [f for f in frames if NEW_KEY in f.frame]


async def test_x16_20_refused_key_change_keeps_the_old(engine: Engine, ocpp_url: str) -> None:
    """X16-20: after NotSupported the old key stays; a key of the wrong size is refused
    before anything is sent."""
    await engine.services.stations.add("CP-X1620C", password=PASSWORD)
    cp = await RawCharger.connect(ocpp_url, "CP-X1620C", password=PASSWORD)
    await cp.boot()
    with pytest.raises(InvalidInput, match="AuthorizationKey"):
        await engine.services.commands.send(
            "CP-X1620C", c.ChangeConfiguration("AuthorizationKey", "short")
        )
    await nothing_sent(cp)
    await operate_refused(
        engine,
        cp,
        "CP-X1620C",
        c.ChangeConfiguration("AuthorizationKey", NEW_KEY),
        {"status": "NotSupported"},
        NotSupportedByStation,
    )
    await cp.close()
    assert await refused_with(ocpp_url, "CP-X1620C", password=NEW_KEY) == 401
    cp = await RawCharger.connect(ocpp_url, "CP-X1620C", password=PASSWORD)
    await cp.close()
