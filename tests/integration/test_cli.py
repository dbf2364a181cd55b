"""The stable CLI that installers and support scripts rely on."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import Engine
from app.cli.main import main
from tests.fakes.raw_charger import RawCharger


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stations_add_accept_reject_and_list(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_cli(capsys, "stations", "add", "CP-1", "--password", "s3cret-pass", "--db", db_url)[0]
        == 0
    )
    assert run_cli(capsys, "stations", "add", "CP-2", "--db", db_url)[0] == 0
    assert run_cli(capsys, "stations", "reject", "CP-2", "--db", db_url)[0] == 0
    code, out, _ = run_cli(capsys, "stations", "list", "--json", "--db", db_url)
    assert code == 0
    listed = {s["id"]: s for s in json.loads(out)}
    assert listed["CP-1"]["admission"] == "Accepted"
    assert listed["CP-1"]["has_password"] is True
    assert "s3cret" not in out
    assert listed["CP-2"]["admission"] == "Rejected"
    code, out, _ = run_cli(capsys, "stations", "list", "--db", db_url)
    assert out.splitlines()[0].split()[:3] == ["ID", "ADMISSION", "CONNECTED"]


def test_mistakes_get_one_clear_line_and_change_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "stations", "add", "CP-1", "--db", db_url)
    code, _, err = run_cli(capsys, "stations", "add", "CP-1", "--db", db_url)
    assert code == 2
    assert "already exists" in err
    code, _, err = run_cli(capsys, "stations", "add", "CP-3", "--password", "short", "--db", db_url)
    assert code == 2
    assert "8 to 40 characters" in err
    code, _, err = run_cli(capsys, "stations", "accept", "NOPE", "--db", db_url)
    assert code == 2
    assert "NOPE" in err
    code, _, err = run_cli(capsys, "tags", "add", "T1", "--expiry", "tomorrow", "--db", db_url)
    assert code == 2
    assert "ISO 8601" in err
    code, out, _ = run_cli(capsys, "stations", "list", "--json", "--db", db_url)
    assert [s["id"] for s in json.loads(out)] == ["CP-1"]
    code, out, _ = run_cli(capsys, "tags", "list", "--json", "--db", db_url)
    assert json.loads(out) == []


def test_tags_add_list_remove(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "tags", "add", "04a1b2", "--status", "Blocked", "--db", db_url)
    run_cli(
        capsys, "tags", "add", "FLEET1", "--expiry", "2030-01-01T00:00:00+00:00", "--db", db_url
    )
    code, out, _ = run_cli(capsys, "tags", "list", "--json", "--db", db_url)
    tags = {t["id_tag"]: t for t in json.loads(out)}
    assert tags["04A1B2"]["status"] == "Blocked"
    assert tags["FLEET1"]["expiry_date"] == "2030-01-01T00:00:00+00:00"
    assert run_cli(capsys, "tags", "remove", "04a1b2", "--db", db_url)[0] == 0
    code, _, err = run_cli(capsys, "tags", "remove", "04a1b2", "--db", db_url)
    assert code == 2
    assert "no id tag" in err


async def test_cli_works_on_the_database_of_a_running_server(
    engine: Engine, ocpp_url: str, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cp = await RawCharger.connect(ocpp_url, "CP-LIVE")
    await cp.boot()
    assert (await cp.ok("Authorize", {"idTag": "NEWTAG"}))["idTagInfo"]["status"] == "Invalid"
    await asyncio.to_thread(main, ["tags", "add", "NEWTAG", "--db", db_url])
    assert (await cp.ok("Authorize", {"idTag": "NEWTAG"}))["idTagInfo"]["status"] == "Accepted"
    tx = await cp.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": "NEWTAG", "meterStart": 0, "timestamp": "2026-03-01T08:00:00Z"},
    )
    await cp.ok(
        "StopTransaction",
        {
            "transactionId": tx["transactionId"],
            "meterStop": 12345,
            "timestamp": "2026-03-01T09:00:00Z",
        },
    )
    await cp.close()
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["transactions", "list", "--json", "--db", db_url])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert rows[0]["station_id"] == "CP-LIVE"
    assert rows[0]["energy_wh"] == 12345
    for listing in ("events", "commands", "messages"):
        code = await asyncio.to_thread(main, [listing, "list", "--json", "--db", db_url])
        assert code == 0
        json.loads(capsys.readouterr().out)
    await asyncio.to_thread(
        main, ["messages", "list", "--station", "CP-LIVE", "--json", "--db", db_url]
    )
    frames = json.loads(capsys.readouterr().out)
    assert {f["direction"] for f in frames} == {"in", "out"}
    assert any('"BootNotification"' in f["frame"] for f in frames)


async def test_serve_runs_headless_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    env = {**os.environ, "CHARGEDESK_LOG_DIR": str(tmp_path / "logs"), "CHARGEDESK_API_PORT": "0"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--db",
        db,
        "--accept-unknown",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert proc.stdout is not None
    port = None
    async with asyncio.timeout(30):
        while port is None:
            line = (await proc.stdout.readline()).decode()
            assert line, "server exited before listening"
            found = re.search(r"ws://<this machine>:(\d+)/ocpp", line)
            port = int(found.group(1)) if found else None
    cp = await RawCharger.connect(f"ws://127.0.0.1:{port}/ocpp", "HEADLESS-1")
    await cp.boot()
    tx = await cp.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": "T", "meterStart": 5, "timestamp": "2026-03-01T08:00:00Z"},
    )
    proc.send_signal(signal.SIGTERM)
    async with asyncio.timeout(30):
        output = (await proc.stdout.read()).decode()
        code = await proc.wait()
    await cp.close()
    assert code == 0, output
    assert "engine stopped" in output
    assert (tmp_path / "logs" / "chargedesk.log").is_file()
    # What the charger was told is stored is there after the shutdown.
    reread = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app", "transactions", "list", "--json", "--db", db],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    rows = json.loads(reread.stdout)
    assert [(r["id"], r["station_id"], r["state"]) for r in rows] == [
        (tx["transactionId"], "HEADLESS-1", "open")
    ]


async def test_serve_with_a_demo_fleet_sets_it_up_and_its_chargers_connect(
    tmp_path: Path,
) -> None:
    """The headless demo: nobody signs in, so it is set up as the local administrator."""
    path = tmp_path / "demo.sqlite3"
    env = {**os.environ, "CHARGEDESK_LOG_DIR": str(tmp_path / "logs"), "CHARGEDESK_API_PORT": "0"}
    proc = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", "0"],
        *["--db", f"sqlite:///{path}", "--demo", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert proc.stdout is not None

    def connected() -> int:
        """Demo stations connected so far (0 while the schema is still being made)."""
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                query = "SELECT count(*) FROM stations WHERE connected = 1"
                return int(conn.execute(query).fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    try:
        async with asyncio.timeout(60):
            while await asyncio.to_thread(connected) < 2:
                assert proc.returncode is None, "serve --demo stopped"
                await asyncio.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            output = (await proc.stdout.read()).decode()
            code = await proc.wait()
    assert code == 0, output
    assert "Traceback" not in output


def test_configure_what_the_engine_may_send_unasked(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "stations", "add", "CP-CFG", "--db", db_url)
    code, out, _ = run_cli(
        capsys,
        "stations",
        "configure",
        "CP-CFG",
        "--fetch-configuration-on-boot",
        "on",
        "--db",
        db_url,
    )
    assert code == 0
    code, out, _ = run_cli(capsys, "stations", "list", "--json", "--db", db_url)
    assert json.loads(out)[0]["auto_fetch_configuration"] is True
    code, _, err = run_cli(
        capsys,
        "stations",
        "configure",
        "NOPE",
        "--fetch-configuration-on-boot",
        "on",
        "--db",
        db_url,
    )
    assert code == 2
    assert "NOPE" in err
