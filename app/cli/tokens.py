"""`chargedesk tokens ...`: API tokens for the HTTP API, issued and revoked offline."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from app.cli.output import emit, local_time, plain
from app.cli.records import run
from app.config import Settings
from app.domain.api_tokens import ApiToken, TokenScope
from app.domain.operators import Role
from app.services.container import Services
from app.store.database import Database

COLUMNS = ["id", "name", "scope", "role", "created_at", "last_used_at", "revoked_at"]


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add the `tokens` command to the top-level subparsers (`db_arg` adds --db)."""
    p = sub.add_parser("tokens", help="API tokens for the HTTP API")
    tsub = p.add_subparsers(dest="tokens_command", metavar="ACTION", required=True)
    q = tsub.add_parser("create", help="issue a token (shown once, never again)")
    db_arg(q)
    q.add_argument("name", help="what the token is for, e.g. the integration using it")
    q.add_argument(
        "--scope",
        default=TokenScope.READ.value,
        choices=[s.value for s in TokenScope],
        help="read: look only; control: also act on stations (default: read)",
    )
    q.add_argument(
        "--role",
        default=Role.OPERATOR.value,
        choices=[r.value for r in Role],
        help="what its holder may do, like an operator's role (default: operator)",
    )
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
    q = tsub.add_parser("list", help="list tokens (never their secrets)")
    db_arg(q)
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    q = tsub.add_parser("revoke", help="revoke a token: it stops working at once")
    db_arg(q)
    q.add_argument("token", metavar="ID_OR_NAME")


def dispatch(settings: Settings, args: argparse.Namespace) -> None:
    {"create": create, "list": list_tokens, "revoke": revoke}[args.tokens_command](settings, args)


def create(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> tuple[ApiToken, str]:
        return await s.api_tokens.create(args.name, TokenScope(args.scope), Role(args.role))

    token, plaintext = run(settings, work)
    if args.json:
        print(json.dumps({**plain(token), "token": plaintext}, indent=2, ensure_ascii=False))
        return
    print(f"API token {token.id} {token.name!r} ({token.scope.value}, {token.role.value}):")
    print(plaintext)
    print("Copy it now: it is not stored and will not be shown again.")


def list_tokens(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[dict[str, Any]]:
        # Datetimes as they are: local time in the table, ISO 8601 UTC in --json.
        return [dataclasses.asdict(t) for t in await s.api_tokens.list()]

    emit(run(settings, work), COLUMNS, as_json=args.json)


def revoke(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> ApiToken:
        return await s.api_tokens.revoke(args.token)

    token = run(settings, work)
    print(f"API token {token.id} {token.name!r} revoked at {local_time(token.revoked_at)}")
