"""A real engine with its API on loopback, tokens of both scopes, and an HTTP client."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from app.bootstrap import Engine
from app.domain.api_tokens import TokenScope
from app.domain.operators import Role


@dataclass
class Api:
    engine: Engine
    url: str
    read_token: str
    control_token: str

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=15.0)

    @property
    def ocpp_url(self) -> str:
        return f"ws://127.0.0.1:{self.engine.port}/ocpp"


@pytest.fixture
async def api(engine: Engine) -> Api:
    url = await engine.api_started()
    _, reader = await engine.services.api_tokens.create("reader", TokenScope.READ)
    _, controller = await engine.services.api_tokens.create(
        "controller", TokenScope.CONTROL, Role.ADMIN
    )
    return Api(engine, url, reader, controller)
