"""Every test gets a fresh database file and, where it needs one, a real server on port 0."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'chargedesk.sqlite3'}"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        host="127.0.0.1",
        port=0,
        db_url=db_url,
        unknown_stations=UnknownStationPolicy.ACCEPT,
        command_timeout=5.0,
        log_dir=str(tmp_path / "logs"),
        websocket_ping_interval=None,
    )


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    async with Engine(settings) as running:
        yield running


@pytest.fixture
def ocpp_url(engine: Engine) -> str:
    return f"ws://127.0.0.1:{engine.port}/ocpp"
