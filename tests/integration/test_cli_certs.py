"""`chargedesk certs ...` and the station password commands, run as an installer would."""

from __future__ import annotations

import asyncio
import json
import stat
import tomllib
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

from app.bootstrap import Engine
from app.cli.main import main
from app.config import load_settings, settings_file
from app.domain.api_tokens import TokenScope
from app.domain.operators import Role
from app.security import ca
from app.security.files import CertificateFiles
from tests.fakes.raw_charger import RawCharger


@pytest.fixture(autouse=True)
def own_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of this computer's own ChargeDesk (settings, data dir) is read or touched."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CHARGEDESK_LOG_DIR", str(tmp_path / "logs"))


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_create_issue_export_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "certs", "create-ca")
    assert code == 0
    assert "Created CA 'ChargeDesk local CA'" in out
    files = CertificateFiles()
    assert files.directory.is_relative_to(tmp_path / "data")
    assert stat.S_IMODE(files.ca_key.stat().st_mode) == 0o600

    code, _, err = cli(capsys, "certs", "create-ca")
    assert code == 2
    assert "already exists" in err

    code, out, _ = cli(capsys, "certs", "issue", "--host", "depot.local", "--host", "10.0.0.5")
    assert code == 0
    assert "depot.local, 10.0.0.5" in out
    configured = tomllib.loads(settings_file().read_text())
    assert configured == {
        "ocpp_tls_cert": str(files.server_cert),
        "ocpp_tls_key": str(files.server_key),
    }
    assert load_settings().ocpp_tls_cert == str(files.server_cert)

    code, out, _ = cli(capsys, "certs", "export-ca", str(tmp_path))
    assert code == 0
    assert (tmp_path / "chargedesk-ca.pem").read_bytes() == files.ca_cert.read_bytes()
    code, out, _ = cli(capsys, "certs", "export-ca", "-")
    assert out.startswith("-----BEGIN CERTIFICATE-----")
    assert "PRIVATE KEY" not in out

    code, out, _ = cli(capsys, "certs", "show", "--json")
    shown = json.loads(out)
    assert [c["role"] for c in shown["certificates"]] == ["ca", "server"]
    assert shown["certificates"][1]["hosts"] == "depot.local, 10.0.0.5"
    assert shown["settings"]["ocpp_plain_ws"] is True
    code, out, _ = cli(capsys, "certs", "show")
    assert out.splitlines()[0].split()[:3] == ["ROLE", "SUBJECT", "ISSUER"]


def test_issue_a_station_certificate(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "certs", "issue", "--station", "CP-1")
    assert code == 2
    assert "create-ca" in err
    cli(capsys, "certs", "create-ca")
    code, out, _ = cli(capsys, "certs", "issue", "--station", "CP-1")
    assert "Load both into the charger" in out
    assert code == 0
    cert, _key = CertificateFiles().station_files("CP-1")
    assert ca.describe(cert.read_bytes()).subject == "CP-1"
    assert not settings_file().exists()  # a station's certificate is not served


def test_import_checks_before_it_stores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    authority = ca.create_ca()
    cert, key = ca.issue_server(*authority, ["charging.example.org"])
    (tmp_path / "op.pem").write_bytes(cert)
    (tmp_path / "op.key").write_bytes(key)
    (tmp_path / "wrong.key").write_bytes(authority[1])
    base = ["certs", "import", str(tmp_path / "op.pem")]

    code, _, err = cli(capsys, *base, str(tmp_path / "wrong.key"), "--host", "charging.example.org")
    assert (code, err.strip()) == (
        2,
        "chargedesk: the private key does not belong to the certificate",
    )
    code, _, err = cli(capsys, *base, str(tmp_path / "op.key"), "--host", "depot.local")
    assert code == 2
    assert "does not cover 'depot.local'" in err
    code, _, err = cli(capsys, *base, str(tmp_path / "missing.key"), "--host", "depot.local")
    assert code == 2
    assert "missing.key" in err
    assert not CertificateFiles().server_cert.exists()

    code, out, _ = cli(
        capsys,
        *base,
        str(tmp_path / "op.key"),
        "--host",
        "charging.example.org",
        "--no-settings",
    )
    assert code == 0
    assert "ocpp_tls_cert = " in out
    assert CertificateFiles().server_cert.read_bytes() == cert
    assert not settings_file().exists()


def test_issue_password_is_shown_once_and_required(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "stations", "add", "CP-7", "--db", db_url)
    code, out, _ = cli(capsys, "stations", "issue-password", "CP-7", "--json", "--db", db_url)
    assert code == 0
    issued = json.loads(out)
    assert issued["station_id"] == "CP-7"
    assert len(issued["password"]) == 40
    code, out, _ = cli(capsys, "stations", "list", "--json", "--db", db_url)
    assert json.loads(out)[0]["has_password"] is True
    assert issued["password"] not in out
    code, _, err = cli(capsys, "stations", "issue-password", "NOPE", "--db", db_url)
    assert code == 2
    assert "NOPE" in err


def test_rotate_password_needs_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARGEDESK_API_TOKEN", raising=False)
    code, _, err = cli(capsys, "stations", "rotate-password", "CP-1")
    assert code == 2
    assert "API token" in err


async def test_rotate_password_through_the_running_engine(
    engine: Engine, ocpp_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI asks the engine's API; the charger's answer decides whether it is stored."""
    api = await engine.api_started()
    _token, secret = await engine.services.api_tokens.create(
        "rotation", TokenScope.CONTROL, Role.ADMIN
    )
    old = "0123456789abcdef0123456789abcdef"
    await engine.services.stations.add("CP-CLI", password=old)
    cp = await RawCharger.connect(ocpp_url, "CP-CLI", password=old)
    await cp.boot()
    argv = ["stations", "rotate-password", "CP-CLI", "--api", api, "--token", secret]

    refused = asyncio.create_task(asyncio.to_thread(main, argv))
    call = await cp.next_call()
    await cp.reply(call, {"status": "Rejected"})
    assert await refused == 1
    out, err = capsys.readouterr()
    assert "old password stays in force" in err
    assert call[3]["value"] not in out + err

    accepted = asyncio.create_task(asyncio.to_thread(main, [*argv, "--json"]))
    call = await cp.next_call()
    await cp.reply(call, {"status": "Accepted"})
    assert await accepted == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["password"] == call[3]["value"]
    await cp.close()
    with pytest.raises(InvalidStatus):
        await RawCharger.connect(ocpp_url, "CP-CLI", password=old)
    cp = await RawCharger.connect(ocpp_url, "CP-CLI", password=shown["password"])
    await cp.close()
