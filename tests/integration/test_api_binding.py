"""Where the local API listens, and what it refuses to do."""

from __future__ import annotations

import httpx
import pytest

from app.api.server import ApiRefused
from app.bootstrap import Engine
from app.config import Settings


async def test_the_api_listens_on_loopback_and_answers_health_without_a_token(
    engine: Engine,
) -> None:
    url = await engine.api_started()
    assert url.startswith("http://127.0.0.1:")
    async with httpx.AsyncClient(base_url=url) as http:
        health = await http.get("/api/health")
        stations = await http.get("/api/v1/stations")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert stations.status_code == 401


async def test_plain_http_beyond_loopback_is_refused_but_chargers_are_still_served(
    settings: Settings,
) -> None:
    exposed = settings.with_overrides(api_host="0.0.0.0")
    async with Engine(exposed) as engine:
        with pytest.raises(ApiRefused, match="without TLS"):
            await engine.api_started()
        assert engine.api_url is None
        assert engine.port > 0  # the OCPP server runs regardless


async def test_an_explicit_flag_allows_plain_http_beyond_loopback(settings: Settings) -> None:
    exposed = settings.with_overrides(api_host="0.0.0.0", api_allow_plain_remote=True)
    async with Engine(exposed) as engine:
        url = await engine.api_started()
        port = int(url.rsplit(":", 1)[1])
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"http://127.0.0.1:{port}/api/health")).status_code == 200


async def test_the_api_can_be_switched_off(settings: Settings) -> None:
    async with Engine(settings.with_overrides(api_enabled=False)) as engine:
        assert engine.api_url is None
        with pytest.raises(RuntimeError, match="switched off"):
            await engine.api_started()
