"""OCPP security profiles 2 and 3 over a real wss:// server on 127.0.0.1 (checklist TC_085
over TLS, TC_086, TC_087, and X16-20's "TLS 1.2 or later"), with certificates from our CA."""

from __future__ import annotations

import base64
import ssl
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, InvalidStatus

from app.bootstrap import Engine
from app.config import Settings
from app.security.files import CertificateFiles
from app.security.tls import TlsConfigError
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

PASSWORD = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def certs(tmp_path: Path) -> CertificateFiles:
    files = CertificateFiles(tmp_path / "certificates")
    files.create_ca()
    files.issue_server(["localhost", "127.0.0.1"])
    return files


def with_tls(settings: Settings, certs: CertificateFiles, **more: object) -> Settings:
    return settings.with_overrides(
        ocpp_tls_cert=str(certs.server_cert),
        ocpp_tls_key=str(certs.server_key),
        ocpp_tls_port=0,
        **more,
    )


@pytest.fixture
async def tls_engine(settings: Settings, certs: CertificateFiles) -> AsyncIterator[Engine]:
    async with Engine(with_tls(settings, certs)) as engine:
        yield engine


@pytest.fixture
async def wss_only(settings: Settings, certs: CertificateFiles) -> AsyncIterator[Engine]:
    async with Engine(with_tls(settings, certs, ocpp_plain_ws=False)) as engine:
        yield engine


def trusting(certs: CertificateFiles) -> ssl.SSLContext:
    """What an installer sets up in a charger: our CA certificate as the trust anchor."""
    return ssl.create_default_context(cafile=str(certs.ca_cert))


def wss_url(engine: Engine) -> str:
    return f"wss://127.0.0.1:{engine.server.tls_port}/ocpp"


async def wss_charger(
    engine: Engine,
    station_id: str,
    context: ssl.SSLContext,
    *,
    password: str | None = None,
) -> RawCharger:
    headers = {}
    if password is not None:
        token = base64.b64encode(f"{station_id}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    ws = await connect(
        f"{wss_url(engine)}/{station_id}",
        ssl=context,
        subprotocols=["ocpp1.6"],  # type: ignore[list-item]
        additional_headers=headers,
        open_timeout=5,
    )
    return RawCharger(ws)


async def refused_status(
    engine: Engine, station_id: str, context: ssl.SSLContext, **kwargs: str
) -> int:
    with pytest.raises(InvalidStatus) as caught:
        await wss_charger(engine, station_id, context, **kwargs)
    return caught.value.response.status_code


# ---- profile 2 ------------------------------------------------------------------------------


async def test_wss_with_basic_auth(tls_engine: Engine, certs: CertificateFiles) -> None:
    """TC_085 over TLS and TC_086: TLS 1.2 or later, then the password is still checked."""
    await tls_engine.services.stations.add("CP-TLS", password=PASSWORD)
    context = trusting(certs)
    assert await refused_status(tls_engine, "CP-TLS", context) == 401
    assert await refused_status(tls_engine, "CP-TLS", context, password="wrong" * 4) == 401
    cp = await wss_charger(tls_engine, "CP-TLS", context, password=PASSWORD)
    ssl_object = cp.ws.transport.get_extra_info("ssl_object")
    assert ssl_object.version() in ("TLSv1.2", "TLSv1.3")
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


async def test_plain_ws_alongside_when_allowed(tls_engine: Engine) -> None:
    cp = await RawCharger.connect(f"ws://127.0.0.1:{tls_engine.port}/ocpp", "CP-PLAIN")
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


async def test_plain_ws_refused_and_logged_when_switched_off(
    wss_only: Engine, certs: CertificateFiles
) -> None:
    await wss_only.services.stations.add("CP-SECURE", password=PASSWORD)
    plain = f"ws://127.0.0.1:{wss_only.port}/ocpp"
    with pytest.raises(InvalidStatus) as caught:
        await RawCharger.connect(plain, "CP-SECURE", password=PASSWORD)
    assert caught.value.response.status_code == 403
    assert b"wss://" in caught.value.response.body

    async def logged() -> bool:
        events = await wss_only.services.stations.recent_events("CP-SECURE")
        return any(e.kind == "station.refused" for e in events)

    await until(logged)
    [event] = [
        e
        for e in await wss_only.services.stations.recent_events("CP-SECURE")
        if e.kind == "station.refused"
    ]
    assert "plain ws:// is switched off" in event.message
    assert "rotate it" in event.message  # it sent its password where anyone could read it
    assert PASSWORD not in event.message

    cp = await wss_charger(wss_only, "CP-SECURE", trusting(certs), password=PASSWORD)
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


async def test_a_charger_not_trusting_our_ca_fails_the_handshake(
    tls_engine: Engine, tmp_path: Path
) -> None:
    other = CertificateFiles(tmp_path / "other")
    other.create_ca("Someone else's CA")
    for context in (ssl.create_default_context(), trusting(other)):
        with pytest.raises(ssl.SSLCertVerificationError):
            await wss_charger(tls_engine, "CP-DOUBT", context)


async def test_tls_older_than_1_2_is_refused(tls_engine: Engine, certs: CertificateFiles) -> None:
    context = trusting(certs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # setting TLS 1.1 warns, rightly
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises(ssl.SSLError):
        await wss_charger(tls_engine, "CP-OLD", context)


async def test_plain_off_without_a_certificate_does_not_start(settings: Settings) -> None:
    engine = Engine(settings.with_overrides(ocpp_plain_ws=False))
    try:
        with pytest.raises(TlsConfigError, match="no charger could connect"):
            await engine.start()
    finally:
        await engine.stop()


# ---- profile 3 ------------------------------------------------------------------------------


def station_context(certs: CertificateFiles, station_id: str) -> ssl.SSLContext:
    _info, cert, key = certs.issue_station(station_id)
    context = trusting(certs)
    context.load_cert_chain(str(cert), str(key))
    return context


@pytest.fixture
async def mutual(settings: Settings, certs: CertificateFiles) -> AsyncIterator[Engine]:
    tls = with_tls(
        settings,
        certs,
        ocpp_tls_client_ca=str(certs.ca_cert),
        ocpp_tls_require_client_cert=True,
    )
    async with Engine(tls) as engine:
        yield engine


async def test_profile_3_certificate_bound_to_the_station_id(
    mutual: Engine, certs: CertificateFiles
) -> None:
    """TC_087: mutual TLS with the station's certificate; its common name is its id."""
    context = station_context(certs, "CP-P3")
    cp = await wss_charger(mutual, "CP-P3", context)
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()
    assert await refused_status(mutual, "CP-IMPOSTOR", context) == 403


async def handshake_fails(engine: Engine, station_id: str, context: ssl.SSLContext) -> str:
    """The exception's name; with TLS 1.3 the server's refusal may arrive after connect."""
    try:
        cp = await wss_charger(engine, station_id, context)
        await cp.boot()
    except (ssl.SSLError, InvalidHandshake, OSError) as exc:
        return type(exc).__name__
    raise AssertionError(f"{station_id} got in")


async def test_profile_3_refuses_a_charger_without_a_good_certificate(
    mutual: Engine, certs: CertificateFiles, tmp_path: Path
) -> None:
    assert await handshake_fails(mutual, "CP-NOCERT", trusting(certs))
    other = CertificateFiles(tmp_path / "other")
    other.create_ca("Someone else's CA")
    _info, cert, key = other.issue_station("CP-P3")
    forged = trusting(certs)
    forged.load_cert_chain(str(cert), str(key))
    assert await handshake_fails(mutual, "CP-P3", forged)


async def test_profile_3_optional_keeps_password_stations_working(
    settings: Settings, certs: CertificateFiles
) -> None:
    """Client certificates allowed, not required: a station may move to profile 3 while
    others still use passwords; a certificate must still name the station it connects as."""
    tls = with_tls(settings, certs, ocpp_tls_client_ca=str(certs.ca_cert))
    async with Engine(tls) as engine:
        await engine.services.stations.add("CP-P2", password=PASSWORD)
        cp = await wss_charger(engine, "CP-P2", trusting(certs), password=PASSWORD)
        assert (await cp.boot())["status"] == "Accepted"
        await cp.close()
        context = station_context(certs, "CP-P3")
        cp = await wss_charger(engine, "CP-P3", context)
        assert (await cp.boot())["status"] == "Accepted"
        await cp.close()
        assert await refused_status(engine, "CP-P2", context, password=PASSWORD) == 403
