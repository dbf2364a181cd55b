"""Live station commands from the CLI go through a running `serve` and its API."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.raw_charger import RawCharger


@dataclass
class Served:
    ocpp_url: str
    api_url: str
    token: str
    env: dict[str, str]


async def _cli(served: Served, *argv: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app", *argv],
        capture_output=True,
        text=True,
        env=served.env,
        timeout=60,
    )


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    db = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    env = {
        **os.environ,
        "CHARGEDESK_LOG_DIR": str(tmp_path / "logs"),
        "CHARGEDESK_API_PORT": "0",
        "CHARGEDESK_DB_URL": db,
    }
    created = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app", "tokens", "create", "cli", "--scope", "control"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    token = re.search(r"cd_\S+", created.stdout)
    assert token is not None, created.stdout
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "app", "serve", "--host", "127.0.0.1", "--port", "0", "--accept-unknown"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert proc.stdout is not None
    ocpp = api = None
    async with asyncio.timeout(30):
        while ocpp is None or api is None:
            line = (await proc.stdout.readline()).decode()
            assert line, "server exited before listening"
            if found := re.search(r"local API on (http://\S+)", line):
                api = found.group(1)
            if found := re.search(r"ws://<this machine>:(\d+)/ocpp", line):
                ocpp = f"ws://127.0.0.1:{found.group(1)}/ocpp"
    yield Served(ocpp, api, token.group(0), env)
    proc.send_signal(signal.SIGTERM)
    async with asyncio.timeout(30):
        await proc.stdout.read()
        assert await proc.wait() == 0


async def test_reset_and_unlock_from_the_cli_reach_the_charger(served: Served) -> None:
    cp = await RawCharger.connect(served.ocpp_url, "LIVE-1")
    await cp.boot()
    api = ("--api", served.api_url, "--token", served.token)
    reset = asyncio.ensure_future(
        _cli(served, "stations", "reset", "LIVE-1", "--type", "Soft", *api)
    )
    call = await cp.next_call(timeout=30)
    assert call[2:] == ["Reset", {"type": "Soft"}]
    await cp.reply(call, {"status": "Accepted"})
    done = await reset
    assert done.returncode == 0, done.stderr
    assert "Reset on LIVE-1: Accepted" in done.stdout

    unlock = asyncio.ensure_future(
        _cli(served, "stations", "unlock", "LIVE-1", "--connector", "1", *api)
    )
    call = await cp.next_call(timeout=30)
    assert call[2:] == ["UnlockConnector", {"connectorId": 1}]
    await cp.reply(call, {"status": "UnlockFailed"})
    done = await unlock
    assert done.returncode == 1  # the station answered, but did not comply
    assert "UnlockFailed" in done.stdout
    await cp.close()


async def test_live_commands_say_plainly_why_nothing_was_sent(served: Served) -> None:
    api = ("--api", served.api_url)
    no_token = await _cli(served, "stations", "reset", "NOBODY", "--type", "Hard", *api)
    assert no_token.returncode == 2
    assert "API token is needed" in no_token.stderr
    wrong = await _cli(
        served, "stations", "reset", "NOBODY", "--type", "Hard", *api, "--token", "cd_x_y"
    )
    assert wrong.returncode == 2
    assert "token" in wrong.stderr.lower()
    unknown = await _cli(
        served, "stations", "remote-start", "NOBODY", "--tag", "T", *api, "--token", served.token
    )
    assert unknown.returncode == 2
    assert "NOBODY" in unknown.stderr
    assert "Traceback" not in unknown.stderr
