"""Every test gets a fresh database file and, where it needs one, a real server on port 0."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test reads or writes this computer's keyring: tests that need a Stripe key give
# the engine tests/fakes/memory_keyring.py.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy
from app.domain.operators import SYSTEM
from app.services.acting import act_as

# Tests drive the services as the engine itself does (every role, nothing audited),
# unless they name an operator with `services.acting(...)`: the role checks have
# their own tests (tests/integration/test_roles.py).
act_as(SYSTEM, None)


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
        api_port=0,
        # Tests that script a charger frame by frame say every call it gets; the
        # access tests switch list and cache updates on where they are the point.
        local_auth_sync=False,
    )


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    async with Engine(settings) as running:
        yield running


@pytest.fixture
def ocpp_url(engine: Engine) -> str:
    return f"ws://127.0.0.1:{engine.port}/ocpp"


_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process once pytest has reported, skipping interpreter teardown.

    PySide6 6.12 can crash ("bool_dealloc", a refcount error in its C extension)
    when Python's final garbage collection reaches the Qt objects of the many
    windows a UI run creates; collecting earlier does not avoid it. Everything
    is reported and written by now, so leave with pytest's own exit status.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)
