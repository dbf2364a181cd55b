"""`chargedesk tokens`: issuing, listing and revoking API tokens from the command line."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.bootstrap import Engine
from app.cli.main import main
from app.domain.api_tokens import TokenScope, parse_token
from app.domain.errors import InvalidApiToken


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def token_from(out: str) -> tuple[str, str, str]:
    """The one line of output that is a token: (token, its id, its secret)."""
    found = [(line, parse_token(line)) for line in out.splitlines()]
    tokens = [(line, parsed) for line, parsed in found if parsed is not None]
    assert len(tokens) == 1, out
    line, (token_id, secret) = tokens[0]
    return line, token_id, secret


def test_create_shows_the_token_once_list_never_and_revoke_marks_it(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "tokens", "create", "grafana", "--db", db_url)
    assert code == 0
    _, token_id, secret = token_from(out)
    assert "will not be shown again" in out
    assert "(read, operator)" in out, "read is the default scope, operator the default role"

    code, out, _ = run_cli(capsys, "tokens", "list", "--json", "--db", db_url)
    assert code == 0
    (listed,) = json.loads(out)
    assert set(listed) == {
        "id",
        "name",
        "scope",
        "role",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    assert (listed["id"], listed["name"], listed["scope"]) == (token_id, "grafana", "read")
    assert listed["revoked_at"] is None
    code, table, _ = run_cli(capsys, "tokens", "list", "--db", db_url)
    assert table.splitlines()[0].split()[:3] == ["ID", "NAME", "SCOPE"]
    assert secret not in out + table

    code, out, _ = run_cli(capsys, "tokens", "revoke", "grafana", "--db", db_url)
    assert code == 0
    assert f"API token {token_id} 'grafana' revoked" in out
    assert run_cli(capsys, "tokens", "revoke", token_id, "--db", db_url)[0] == 0, "again: harmless"
    code, out, _ = run_cli(capsys, "tokens", "list", "--json", "--db", db_url)
    assert json.loads(out)[0]["revoked_at"] is not None


def test_create_with_json_gives_the_token_to_a_script(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        capsys, "tokens", "create", "ci", "--scope", "control", "--json", "--db", db_url
    )
    assert code == 0
    created = json.loads(out)
    assert (created["name"], created["scope"]) == ("ci", "control")
    parsed = parse_token(created["token"])
    assert parsed is not None
    assert parsed[0] == created["id"]


def test_mistakes_get_one_clear_line_and_change_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "tokens", "create", "grafana", "--db", db_url)
    for argv, message in (
        (("create", "grafana"), "already an API token named 'grafana'"),
        (("create", "x" * 65), "at most 64 characters"),
        (("create", "   "), "needs a name"),
        (("revoke", "nope"), "No API token with id or name 'nope'"),
    ):
        code, out, err = run_cli(capsys, "tokens", *argv, "--db", db_url)
        assert code == 2
        assert err.startswith("chargedesk: ")
        assert message in err
        assert len(err.splitlines()) == 1, "no traceback"
        assert parse_token(out.strip()) is None
    with pytest.raises(SystemExit) as refused:
        main(["tokens", "create", "x", "--scope", "admin", "--db", db_url])
    assert refused.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    code, out, _ = run_cli(capsys, "tokens", "list", "--json", "--db", db_url)
    assert [(t["name"], t["revoked_at"]) for t in json.loads(out)] == [("grafana", None)]


async def test_a_token_revoked_from_the_cli_stops_working_at_once_on_a_running_server(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = engine.services.api_tokens
    code = await asyncio.to_thread(
        main, ["tokens", "create", "home assistant", "--scope", "control", "--db", db_url]
    )
    assert code == 0
    plaintext, _, _ = token_from(capsys.readouterr().out)
    verified = await tokens.verify(plaintext, TokenScope.CONTROL)
    assert verified.name == "home assistant"

    code = await asyncio.to_thread(main, ["tokens", "revoke", "home assistant", "--db", db_url])
    assert code == 0
    with pytest.raises(InvalidApiToken, match="revoked"):
        await tokens.verify(plaintext, TokenScope.READ)
    capsys.readouterr()
    await asyncio.to_thread(main, ["tokens", "list", "--json", "--db", db_url])
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["last_used_at"] is not None, "the server recorded the use the CLI now shows"
