"""Station password rotation end to end (TC_073 over TLS): a simulated charger takes the new
AuthorizationKey and reconnects with it; a station that refuses keeps the old one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

from app.bootstrap import Engine
from app.config import Settings
from app.domain.errors import NotSupportedByStation, StationOffline
from app.security.files import CertificateFiles
from app.services.station_credentials import StationCredentials
from app.sim import SimulatedCharger
from app.store.repositories import SqlCommandLog
from tests.fakes.raw_charger import RawCharger

OLD = "0123456789abcdef0123456789abcdef"


@pytest.fixture
async def engine_tls(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Engine]:
    certs = CertificateFiles(tmp_path / "certificates")
    certs.create_ca()
    certs.issue_server(["127.0.0.1"])
    # The simulator connects as a charger does, with the system's trust store: our CA
    # is what an installer would have loaded into it.
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_cert))
    tls = settings.with_overrides(
        ocpp_tls_cert=str(certs.server_cert),
        ocpp_tls_key=str(certs.server_key),
        ocpp_tls_port=0,
        ocpp_plain_ws=False,
    )
    async with Engine(tls) as engine:
        yield engine


def credentials(engine: Engine) -> StationCredentials:
    return StationCredentials(engine.services.stations, engine.services.commands)


def wss(engine: Engine) -> str:
    return f"wss://127.0.0.1:{engine.server.tls_port}/ocpp"


async def test_rotated_password_is_pushed_and_the_charger_reconnects_with_it(
    engine_tls: Engine,
) -> None:
    await engine_tls.services.stations.add("CP-ROT", password=OLD)
    charger = SimulatedCharger(
        "CP-ROT", wss(engine_tls), password=OLD, reconnect_base=0.05, reconnect_cap=0.1
    )
    await charger.connect()
    try:
        await charger.wait_booted()
        rotated = await credentials(engine_tls).rotate("CP-ROT", requested_by="tester")
        assert rotated.pushed
        assert not rotated.after_restart
        assert len(rotated.password) == 40
        int(rotated.password, 16)  # hexadecimal, as the whitepaper has it
        assert rotated.password not in repr(rotated)
        assert charger.configuration.secret("AuthorizationKey") == rotated.password

        await charger.drop_connection()
        await charger.wait_booted()  # back in, with the new password
        assert engine_tls.server.registry.is_connected("CP-ROT")
    finally:
        await charger.close()

    with pytest.raises(InvalidStatus) as caught:
        await RawCharger.connect(wss(engine_tls), "CP-ROT", password=OLD)
    assert caught.value.response.status_code == 401
    [record] = await SqlCommandLog(engine_tls.db).recent(station_id="CP-ROT")
    assert record.requested_by == "tester"
    assert rotated.password not in json.dumps(record.request)
    frames = await engine_tls.services.frames.recent(station_id="CP-ROT")
    assert not [f for f in frames if rotated.password in f.frame]


async def test_a_refused_rotation_keeps_the_old_password(engine_tls: Engine) -> None:
    await engine_tls.services.stations.add("CP-OLDFW", password=OLD)
    cp = await RawCharger.connect(wss(engine_tls), "CP-OLDFW", password=OLD)
    await cp.boot()
    rotation = asyncio.create_task(credentials(engine_tls).rotate("CP-OLDFW"))
    call = await cp.next_call()
    assert call[2] == "ChangeConfiguration"
    assert call[3]["key"] == "AuthorizationKey"
    await cp.reply(call, {"status": "NotSupported"})
    with pytest.raises(NotSupportedByStation):
        await rotation
    await cp.close()
    again = await RawCharger.connect(wss(engine_tls), "CP-OLDFW", password=OLD)
    await again.close()


async def test_an_offline_station_is_not_rotated(engine_tls: Engine) -> None:
    await engine_tls.services.stations.add("CP-AWAY", password=OLD)
    with pytest.raises(StationOffline):
        await credentials(engine_tls).rotate("CP-AWAY")
    cp = await RawCharger.connect(wss(engine_tls), "CP-AWAY", password=OLD)
    await cp.close()


async def test_an_issued_password_is_required_at_once(engine_tls: Engine) -> None:
    await engine_tls.services.stations.add("CP-NEW")
    issued = await credentials(engine_tls).issue("CP-NEW")
    assert not issued.pushed
    with pytest.raises(InvalidStatus):
        await RawCharger.connect(wss(engine_tls), "CP-NEW")
    cp = await RawCharger.connect(wss(engine_tls), "CP-NEW", password=issued.password)
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()
