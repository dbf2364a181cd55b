"""Hostile connections are cut off before they cost anything: slow-loris handshakes,
floods of connections from one address, and failed TLS handshakes (logged with the
remote address and the reason as security events)."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.exceptions import WebSocketException

from app.bootstrap import Engine
from app.config import Settings
from app.domain.alarms import AlarmFilter
from app.domain.audit import AuditQuery, Outcome
from app.domain.model import EventRecord
from app.domain.operators import SYSTEM
from app.security.files import CertificateFiles
from bench.hostile_frames import HostileReport, fuzz
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

LIMIT = 5
HANDSHAKE_TIMEOUT = 0.5


@pytest.fixture
def certs(tmp_path: Path) -> CertificateFiles:
    files = CertificateFiles(tmp_path / "certificates")
    files.create_ca()
    files.issue_server(["localhost", "127.0.0.1"])
    return files


@pytest.fixture
async def guarded(settings: Settings, certs: CertificateFiles) -> AsyncIterator[Engine]:
    hardened = settings.with_overrides(
        ocpp_handshake_timeout=HANDSHAKE_TIMEOUT,
        ocpp_max_connections_per_address=LIMIT,
        ocpp_connection_limit_exempt="",
        ocpp_tls_cert=str(certs.server_cert),
        ocpp_tls_key=str(certs.server_key),
        ocpp_tls_port=0,
    )
    async with Engine(hardened) as engine:
        yield engine


def url(engine: Engine) -> str:
    return f"ws://127.0.0.1:{engine.port}/ocpp"


async def closed_by_server(reader: asyncio.StreamReader, timeout: float = 10.0) -> bool:
    """True once the server closed the socket (EOF or reset), within the bounded wait."""
    async with asyncio.timeout(timeout):
        try:
            while await reader.read(1024):
                pass
        except ConnectionError:
            pass
    return True


async def security_events(engine: Engine, kind: str) -> list[EventRecord]:
    return [e for e in await engine.services.event_log.recent(limit=500) if e.kind == kind]


async def stored(engine: Engine, kind: str) -> list[EventRecord]:
    found: list[EventRecord] = []

    async def check() -> bool:
        found[:] = await security_events(engine, kind)
        return bool(found)

    await until(check)
    return found


async def test_a_slow_loris_handshake_is_cut_off_and_others_are_served(guarded: Engine) -> None:
    control = await RawCharger.connect(url(guarded), "CP-CONTROL")
    await control.boot()
    reader, writer = await asyncio.open_connection("127.0.0.1", guarded.port)
    request = (
        f"GET /ocpp/CP-SLOW HTTP/1.1\r\nHost: 127.0.0.1:{guarded.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
    ).encode()
    dribble = asyncio.create_task(_dribble(writer, request))
    try:
        assert await closed_by_server(reader)
        # Meanwhile, and afterwards, a real charger is answered.
        await control.ok("Heartbeat", {})
    finally:
        dribble.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await dribble
        writer.close()
    # The slow one's slot is free again: only the control charger is counted.
    await until(lambda: guarded.server.gate.open_from("127.0.0.1") == 1)
    await control.close()


async def _dribble(writer: asyncio.StreamWriter, data: bytes) -> None:
    """One byte at a time, slowly: a handshake that would never end."""
    for byte in data:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(0.05)


async def test_a_flood_from_one_address_is_cut_off_at_the_limit(guarded: Engine) -> None:
    held = [await asyncio.open_connection("127.0.0.1", guarded.port) for _ in range(LIMIT)]
    # The server has counted them all (TCP accepted, no handshake yet).
    await until(lambda: guarded.server.gate.open_from("127.0.0.1") == LIMIT)
    reader, writer = await asyncio.open_connection("127.0.0.1", guarded.port)
    assert await closed_by_server(reader, timeout=5)
    writer.close()
    events = await stored(guarded, "security.connection_limit")
    assert events[0].data["remote_address"] == "127.0.0.1"
    assert f"more than {LIMIT} connections" in str(events[0].data["reason"])
    # A charger cannot connect while the address is at its limit...
    with pytest.raises((OSError, WebSocketException)):
        await RawCharger.connect(url(guarded), "CP-LATE")
    # ...and can once the held sockets are gone (their handshakes time out anyway).
    for _, held_writer in held:
        held_writer.close()
    await until(lambda: guarded.server.gate.open_from("127.0.0.1") == 0, timeout=10)
    late = await RawCharger.connect(url(guarded), "CP-LATE")
    assert (await late.boot())["status"] == "Accepted"
    await late.close()


async def test_a_failed_tls_handshake_is_a_security_event_with_address_and_reason(
    guarded: Engine,
) -> None:
    port = guarded.server.tls_port
    assert port is not None
    # A charger that does not trust our CA: it aborts the handshake.
    stranger = ssl.create_default_context()
    with pytest.raises(ssl.SSLError):
        await asyncio.open_connection("127.0.0.1", port, ssl=stranger)
    events = await stored(guarded, "security.tls_failed")
    assert events[0].data["remote_address"] == "127.0.0.1"
    assert "TLS handshake failed" in str(events[0].data["reason"])
    assert "127.0.0.1" in events[0].message
    # An alarm for the operator, and a denied entry in the audit log.
    alarms = await guarded.services.alarms.find(AlarmFilter(include_acknowledged=False))
    assert "security.tls_failed" in {a.kind for a in alarms}
    with guarded.services.acting(SYSTEM):
        logged = await guarded.services.audit.entries(AuditQuery(action_prefix="security."))
    assert [(e.action, e.target, e.outcome) for e in logged] == [
        ("security.tls_failed", "127.0.0.1", Outcome.DENIED)
    ]


async def test_plain_http_on_the_tls_port_and_silence_are_reported(guarded: Engine) -> None:
    port = guarded.server.tls_port
    assert port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /ocpp/CP-PLAIN HTTP/1.1\r\nHost: x\r\n\r\n")
    assert await closed_by_server(reader)
    writer.close()
    silent_reader, silent_writer = await asyncio.open_connection("127.0.0.1", port)
    assert await closed_by_server(silent_reader)  # the handshake timeout
    silent_writer.close()

    async def both() -> bool:
        reasons = [
            str(e.data["reason"]) for e in await security_events(guarded, "security.tls_failed")
        ]
        return any("timed out" in r for r in reasons) and any("timed out" not in r for r in reasons)

    await until(both, timeout=10)
    assert guarded.server.gate.open_from("127.0.0.1") == 0


async def test_an_exempt_address_is_not_limited(settings: Settings) -> None:
    # By default this machine itself (simulators, the demo fleet) is exempt.
    async with Engine(settings.with_overrides(ocpp_max_connections_per_address=2)) as engine:
        held = [await asyncio.open_connection("127.0.0.1", engine.port) for _ in range(3)]
        await until(lambda: engine.server.gate.open_from("127.0.0.1") == 3)
        charger = await RawCharger.connect(url(engine), "CP-LOCAL")
        assert (await charger.boot())["status"] == "Accepted"
        await charger.close()
        for _, writer in held:
            writer.close()


async def test_generated_hostile_frames_each_get_their_due_answer(
    engine: Engine, ocpp_url: str
) -> None:
    # The benchmark's generator (bench/hostile_frames.py sends 100,000), a CI-sized run.
    report = HostileReport()
    await fuzz(ocpp_url, frames=1_000, connections=10, seed=3, report=report)
    assert report.wrong_count == 0, report.wrong
    assert report.frames == 1_000
    # The run reached every kind of answer.
    assert {"result", "none", "FormationViolation", "NotImplemented"} <= set(report.answers)
    assert engine.server.gate.open_from("127.0.0.1") == 0
    fresh = await RawCharger.connect(ocpp_url, "CP-AFTER")
    assert (await fresh.boot())["status"] == "Accepted"
    await fresh.close()
