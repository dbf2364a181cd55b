"""`chargedesk operators` and `chargedesk audit`, and who an offline command acts as."""

from __future__ import annotations

import csv
import io
import json

import pytest

from app.cli.main import main

PASSWORD = "correct horse battery"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def new_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEDESK_NEW_PASSWORD", PASSWORD)
    monkeypatch.delenv("CHARGEDESK_USER", raising=False)
    monkeypatch.delenv("CHARGEDESK_PASSWORD", raising=False)


@pytest.mark.usefixtures("new_password")
def test_a_fresh_site_makes_its_first_admin_then_commands_need_a_sign_in(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_cli(capsys, "operators", "add", "kim", "--role", "attendant", "--db", db_url)
    assert code == 2
    assert "first operator account must be an admin" in err
    code, out, _ = run_cli(capsys, "operators", "add", "Ada", "--role", "admin", "--db", db_url)
    assert (code, out.strip()) == (0, "Added ada (admin)")

    # Accounts exist now: a command that changes something needs someone signed in.
    code, _, err = run_cli(capsys, "tags", "add", "TAG-1", "--db", db_url)
    assert code == 2
    assert "CHARGEDESK_USER" in err
    code, out, _ = run_cli(capsys, "tags", "list", "--json", "--db", db_url)
    assert (code, json.loads(out)) == (0, []), "reading needs no sign-in"

    monkeypatch.setenv("CHARGEDESK_USER", "ada")
    monkeypatch.setenv("CHARGEDESK_PASSWORD", "a wrong password")
    code, _, err = run_cli(capsys, "tags", "add", "TAG-1", "--db", db_url)
    assert (code, err.strip()) == (2, "chargedesk: The user name or the password is wrong.")
    monkeypatch.setenv("CHARGEDESK_PASSWORD", PASSWORD)
    assert run_cli(capsys, "tags", "add", "TAG-1", "--db", db_url)[0] == 0
    code, out, _ = run_cli(capsys, "operators", "add", "kim", "--role", "attendant", "--db", db_url)
    assert code == 0

    monkeypatch.setenv("CHARGEDESK_USER", "kim")
    code, _, err = run_cli(capsys, "tags", "block", "TAG-1", "--db", db_url)
    assert code == 2
    assert "kim is signed in as attendant" in err
    code, _, err = run_cli(capsys, "audit", "list", "--db", db_url)
    assert code == 2
    assert "needs the admin role" in err

    monkeypatch.setenv("CHARGEDESK_USER", "ada")
    code, out, _ = run_cli(capsys, "operators", "list", "--json", "--db", db_url)
    listed = {o["username"]: (o["role"], o["state"]) for o in json.loads(out)}
    assert listed == {"ada": ("admin", "active"), "kim": ("attendant", "active")}
    code, out, _ = run_cli(capsys, "audit", "list", "--json", "--db", db_url)
    entries = [(e["actor"], e["action"], e["outcome"]) for e in reversed(json.loads(out))]
    assert ("ada", "operator.sign_in", "failed") in entries
    assert ("ada", "tag.create", "ok") in entries
    assert ("kim", "tag.block", "denied") in entries
    assert ("kim", "AuditTrail.entries", "denied") in entries
    assert entries[0][1] == "operator.create", "the local administrator made the first account"
    assert entries[0][0].startswith("local:")


@pytest.mark.usefixtures("new_password")
def test_audit_export_writes_csv_with_local_filters(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli(capsys, "operators", "add", "ada", "--role", "admin", "--db", db_url)
    monkeypatch.setenv("CHARGEDESK_USER", "ada")
    monkeypatch.setenv("CHARGEDESK_PASSWORD", PASSWORD)
    code, out, _ = run_cli(capsys, "audit", "export", "-", "--action", "operator.", "--db", db_url)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["action"], r["target"], r["outcome"]) for r in rows] == [
        ("operator.sign_in", "ada", "ok"),
        ("operator.create", "ada", "ok"),
    ], "newest first"
    code, _, err = run_cli(capsys, "audit", "list", "--since", "26/11", "--db", db_url)
    assert code == 2
    assert "is not a date" in err
