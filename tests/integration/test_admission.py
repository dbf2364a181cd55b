"""Who may connect: known, unknown and rejected stations, security profile 1, the URL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.http11 import Response

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy
from app.domain.credentials import verify_password
from app.domain.model import Admission
from app.store.repositories import SqlEventLog, SqlStationRepository
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

PASSWORD = "correct-horse-battery"


def url_of(engine: Engine, prefix: str = "/ocpp") -> str:
    return f"ws://127.0.0.1:{engine.port}{prefix}"


async def refusal(base_url: str, station_id: str, **kwargs: Any) -> Response:
    """Connect, expecting the HTTP upgrade to be refused; return the response."""
    with pytest.raises(InvalidStatus) as refused:
        await RawCharger.connect(base_url, station_id, **kwargs)
    return refused.value.response


async def event_kinds(engine: Engine, station_id: str) -> list[str]:
    return [e.kind for e in await SqlEventLog(engine.db).recent(station_id=station_id)]


@pytest.fixture
async def pending_engine(settings: Settings) -> AsyncIterator[Engine]:
    """The shipped default: unknown stations wait for an operator."""
    async with Engine(
        settings.with_overrides(unknown_stations=UnknownStationPolicy.PENDING)
    ) as running:
        yield running


# ---- known, unknown and rejected stations -------------------------------------------


async def test_a_known_station_is_accepted(pending_engine: Engine) -> None:
    await pending_engine.services.stations.add("CP-KNOWN")
    cp = await RawCharger.connect(url_of(pending_engine), "CP-KNOWN")
    boot = await cp.boot()
    assert boot["status"] == "Accepted"
    assert boot["interval"] == pending_engine.settings.heartbeat_interval
    await cp.close()


async def test_an_unknown_station_waits_as_pending_until_an_operator_accepts_it(
    pending_engine: Engine,
) -> None:
    stations = pending_engine.services.stations
    cp = await RawCharger.connect(url_of(pending_engine), "CP-NEW")
    boot = await cp.boot()
    assert boot["status"] == "Pending"
    assert boot["interval"] == pending_engine.settings.boot_retry_interval
    listed = {s.id: s for s in await stations.all()}
    assert listed["CP-NEW"].admission is Admission.PENDING
    assert "station.pending" in await event_kinds(pending_engine, "CP-NEW")

    await stations.set_admission("CP-NEW", Admission.ACCEPTED)
    boot = await cp.boot()
    assert boot["status"] == "Accepted"
    assert boot["interval"] == pending_engine.settings.heartbeat_interval
    await cp.close()


async def test_unknown_stations_can_be_refused_at_the_handshake(settings: Settings) -> None:
    refusing = settings.with_overrides(unknown_stations=UnknownStationPolicy.REJECT)
    async with Engine(refusing) as engine:
        response = await refusal(url_of(engine), "CP-STRANGER")
        assert response.status_code == 404
        assert "station.refused" in await event_kinds(engine, "CP-STRANGER")
        assert [s.id for s in await engine.services.stations.all()] == []


async def test_a_rejected_station_is_refused(pending_engine: Engine) -> None:
    stations = pending_engine.services.stations
    await stations.add("CP-BANNED")
    await stations.set_admission("CP-BANNED", Admission.REJECTED)
    response = await refusal(url_of(pending_engine), "CP-BANNED")
    assert response.status_code == 403
    assert "station.refused" in await event_kinds(pending_engine, "CP-BANNED")


# ---- security profile 1: HTTP Basic ----------------------------------------------------


async def test_password_station_needs_its_own_id_and_the_right_password(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    await engine.services.stations.add("CP-PW", password=PASSWORD)
    url = url_of(engine)
    with caplog.at_level(logging.DEBUG):
        cp = await RawCharger.connect(url, "CP-PW", password=PASSWORD)
        assert (await cp.boot())["status"] == "Accepted"
        await cp.close()

        missing = await refusal(url, "CP-PW")
        assert missing.status_code == 401
        assert missing.headers["WWW-Authenticate"].startswith("Basic ")

        wrong = await refusal(url, "CP-PW", password="not-the-password")
        assert wrong.status_code == 401
        assert "WWW-Authenticate" in wrong.headers

        other_user = await refusal(url, "CP-PW", password=PASSWORD, username="CP-OTHER")
        assert other_user.status_code == 401
    # A password never reaches a log line.
    assert not [r for r in caplog.records if PASSWORD in r.getMessage()]
    assert not [r for r in caplog.records if "not-the-password" in r.getMessage()]


async def test_repeated_failures_from_one_address_are_throttled(settings: Settings) -> None:
    throttled = settings.with_overrides(auth_failures_before_throttle=3, auth_throttle_seconds=0.5)
    async with Engine(throttled) as engine:
        await engine.services.stations.add("CP-PW", password=PASSWORD)
        url = url_of(engine)
        for _ in range(3):
            assert (await refusal(url, "CP-PW", password="guess-1234")).status_code == 401
        # Even the right password waits until the window has passed.
        assert (await refusal(url, "CP-PW", password=PASSWORD)).status_code == 429
        assert (await refusal(url, "CP-PW", password="guess-1234")).status_code == 429
        await asyncio.sleep(0.6)
        cp = await RawCharger.connect(url, "CP-PW", password=PASSWORD)
        assert (await cp.boot())["status"] == "Accepted"
        await cp.close()


async def test_the_password_is_stored_as_a_salted_hash(engine: Engine) -> None:
    stations = engine.services.stations
    await stations.add("CP-H1", password=PASSWORD)
    await stations.add("CP-H2", password=PASSWORD)
    repository = SqlStationRepository(engine.db)
    first = await repository.password_hash("CP-H1")
    second = await repository.password_hash("CP-H2")
    assert first is not None
    assert second is not None
    assert PASSWORD not in first
    assert first != second  # salted
    assert verify_password(PASSWORD, first)
    assert verify_password(PASSWORD, second)
    assert not verify_password("correct-horse-battery!", first)


# ---- the URL and the websocket handshake ----------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "path_tail", "station_id"),
    [
        pytest.param("/ocpp", "CP%2001", "CP 01", id="percent-decoded"),
        pytest.param("/anything/else", "CP-9?token=x", "CP-9", id="any-prefix-no-query"),
        pytest.param("", "CP-ROOT", "CP-ROOT", id="no-prefix"),
        pytest.param("/ocpp", "CP-%C3%85", "CP-Å", id="utf-8"),
    ],
)
async def test_the_station_id_is_the_last_path_segment(
    engine: Engine, prefix: str, path_tail: str, station_id: str
) -> None:
    cp = await RawCharger.connect(url_of(engine, prefix), path_tail)
    await cp.boot()
    assert engine.server.registry.is_connected(station_id)
    assert (await engine.services.stations.get(station_id)).connected
    await cp.close()


@pytest.mark.parametrize(
    ("prefix", "path_tail"),
    [
        pytest.param("", "ocpp", id="bare-prefix"),
        pytest.param("/ocpp", "", id="bare-prefix-slash"),
        pytest.param("/ocpp", "CP%2F01", id="slash-in-id"),
        pytest.param("/ocpp", "X" * 256, id="id-too-long"),
    ],
)
async def test_a_missing_or_malformed_station_id_is_refused(
    pending_engine: Engine, prefix: str, path_tail: str
) -> None:
    response = await refusal(url_of(pending_engine, prefix), path_tail)
    assert response.status_code == 404
    assert await pending_engine.services.stations.all() == []


async def test_a_charger_offering_no_subprotocol_is_taken_as_16(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.ocpp.server"):
        cp = await RawCharger.connect(url_of(engine), "CP-PLAIN", subprotocols=[])
        assert cp.ws.subprotocol is None
        assert (await cp.boot())["status"] == "Accepted"
    assert any("no subprotocol" in r.getMessage() for r in caplog.records)
    assert (await engine.services.stations.get("CP-PLAIN")).protocol == "ocpp1.6"
    await cp.close()


async def test_a_charger_offering_only_other_subprotocols_is_refused(engine: Engine) -> None:
    response = await refusal(url_of(engine), "CP-201", subprotocols=["ocpp2.0.1", "ocpp1.5"])
    assert response.status_code == 400


async def test_a_second_connection_replaces_the_first(engine: Engine) -> None:
    url = url_of(engine)
    first = await RawCharger.connect(url, "CP-TWICE")
    await first.boot()
    second = await RawCharger.connect(url, "CP-TWICE")
    await until(lambda: first.ws.close_code is not None)
    assert first.ws.close_code == 1001
    assert (await second.boot())["status"] == "Accepted"
    assert engine.server.registry.get("CP-TWICE") is not None
    assert (await engine.services.stations.get("CP-TWICE")).connected
    assert "station.disconnected" not in await event_kinds(engine, "CP-TWICE")
    await second.close()

    async def offline() -> bool:
        return not (await engine.services.stations.get("CP-TWICE")).connected

    await until(offline)
