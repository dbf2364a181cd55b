"""Live station commands through a running engine's local API.

`chargedesk stations reset CP-1 --type Soft` posts {"type": "Soft"} to
/api/v1/stations/CP-1/commands/reset and prints the station's answer. The
engine is found from the settings (api_host, api_port) unless --api is given;
the token comes from --token or CHARGEDESK_API_TOKEN.

Exit status: 0 the station complied, 1 it answered but refused, 2 the
request could not be made or was refused (the problem's detail is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from app.config import Settings

TOKEN_ENV = "CHARGEDESK_API_TOKEN"


@dataclass(frozen=True)
class Option:
    """One command-line option and the OCPP field it fills."""

    flag: str
    field: str
    kind: type = str
    required: bool = False
    choices: tuple[str, ...] | None = None
    many: bool = False
    help: str = ""


@dataclass(frozen=True)
class Operation:
    name: str  # the CLI action, e.g. remote-start
    route: str  # the API's kebab-case operation, e.g. remote-start-transaction
    help: str
    options: tuple[Option, ...] = ()


CONNECTOR = Option("--connector", "connectorId", int, help="connector id")
OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "reset",
        "reset",
        "restart the station (Soft waits for sessions to stop)",
        (Option("--type", "type", choices=("Soft", "Hard"), required=True),),
    ),
    Operation(
        "remote-start",
        "remote-start-transaction",
        "start charging for an id tag",
        (Option("--tag", "idTag", required=True, help="id tag to charge for"), CONNECTOR),
    ),
    Operation(
        "remote-stop",
        "remote-stop-transaction",
        "stop a transaction",
        (Option("--transaction", "transactionId", int, required=True),),
    ),
    Operation(
        "unlock",
        "unlock-connector",
        "unlock a connector's cable",
        (Option("--connector", "connectorId", int, required=True),),
    ),
    Operation(
        "change-availability",
        "change-availability",
        "make the station (connector 0) or a connector available or not",
        (
            Option("--connector", "connectorId", int, required=True),
            Option("--type", "type", choices=("Operative", "Inoperative"), required=True),
        ),
    ),
    Operation(
        "get-configuration",
        "get-configuration",
        "read configuration keys (all without --key)",
        (Option("--key", "key", many=True, help="a key to read (repeatable)"),),
    ),
    Operation(
        "change-configuration",
        "change-configuration",
        "set one configuration key",
        (Option("--key", "key", required=True), Option("--value", "value", required=True)),
    ),
    Operation("clear-cache", "clear-cache", "clear the station's authorization cache"),
    Operation(
        "trigger-message",
        "trigger-message",
        "ask the station to send a message now",
        (
            Option(
                "--message",
                "requestedMessage",
                required=True,
                choices=(
                    "BootNotification",
                    "DiagnosticsStatusNotification",
                    "FirmwareStatusNotification",
                    "Heartbeat",
                    "MeterValues",
                    "StatusNotification",
                ),
            ),
            CONNECTOR,
        ),
    ),
    Operation(
        "data-transfer",
        "data-transfer",
        "send vendor-specific data",
        (
            Option("--vendor", "vendorId", required=True),
            Option("--message-id", "messageId"),
            Option("--data", "data"),
        ),
    ),
    Operation(
        "get-diagnostics",
        "get-diagnostics",
        "have the station upload its diagnostics",
        (
            Option("--location", "location", required=True, help="upload URL"),
            Option("--retries", "retries", int),
            Option("--retry-interval", "retryInterval", int),
            Option("--start-time", "startTime"),
            Option("--stop-time", "stopTime"),
        ),
    ),
    Operation(
        "update-firmware",
        "update-firmware",
        "have the station download and install firmware",
        (
            Option("--location", "location", required=True, help="firmware URL"),
            Option("--retrieve-date", "retrieveDate", required=True, help="ISO 8601 time"),
            Option("--retries", "retries", int),
            Option("--retry-interval", "retryInterval", int),
        ),
    ),
    Operation(
        "reserve",
        "reserve-now",
        "reserve a connector for an id tag",
        (
            Option("--connector", "connectorId", int, required=True),
            Option("--tag", "idTag", required=True),
            Option("--expiry", "expiryDate", required=True, help="ISO 8601 time"),
            Option("--reservation", "reservationId", int, required=True),
            Option("--parent-tag", "parentIdTag"),
        ),
    ),
    Operation(
        "cancel-reservation",
        "cancel-reservation",
        "cancel a reservation",
        (Option("--reservation", "reservationId", int, required=True),),
    ),
    Operation(
        "send-local-list",
        "send-local-list",
        "send the local authorization list (give the payload with --payload)",
    ),
    Operation("get-local-list-version", "get-local-list-version", "read the local list's version"),
    Operation(
        "set-charging-profile",
        "set-charging-profile",
        "install a charging profile (give the payload with --payload)",
    ),
    Operation(
        "clear-charging-profile",
        "clear-charging-profile",
        "remove charging profiles (all without options)",
        (
            Option("--id", "id", int),
            CONNECTOR,
            Option(
                "--purpose",
                "chargingProfilePurpose",
                choices=("ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"),
            ),
            Option("--stack-level", "stackLevel", int),
        ),
    ),
    Operation(
        "get-composite-schedule",
        "get-composite-schedule",
        "read the schedule a connector will follow",
        (
            Option("--connector", "connectorId", int, required=True),
            Option("--duration", "duration", int, required=True, help="seconds"),
            Option("--unit", "chargingRateUnit", choices=("W", "A")),
        ),
    ),
)
BY_NAME = {op.name: op for op in OPERATIONS}


class LiveError(Exception):
    """The command could not be sent or was refused before reaching the station."""


def add_live_commands(stations: Any) -> None:
    """Add one action per operation to the `stations` sub-parsers."""
    for op in OPERATIONS:
        p = stations.add_parser(op.name, help=f"{op.help} (live, through the API)")
        p.add_argument("id", help="station id")
        payload_only = not op.options and op.name in ("send-local-list", "set-charging-profile")
        for o in op.options:
            p.add_argument(
                o.flag,
                dest=f"ocpp_{o.field}",
                type=o.kind,
                required=o.required,
                choices=o.choices,
                action="append" if o.many else "store",
                help=o.help or None,
            )
        p.add_argument(
            "--payload",
            required=payload_only,
            help="the whole OCPP payload as JSON (or @file.json); overrides the options",
        )
        p.add_argument("--api", help="API base URL (default: from the settings)")
        p.add_argument("--token", help=f"API token (default: ${TOKEN_ENV})")


def payload_for(op: Operation, args: argparse.Namespace) -> dict[str, Any]:
    if args.payload:
        text = args.payload
        if text.startswith("@"):
            with open(text[1:], encoding="utf-8") as handle:
                text = handle.read()
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise LiveError(f"--payload is not JSON: {exc}") from exc
        if not isinstance(payload, dict):
            raise LiveError("--payload must be a JSON object")
        return payload
    payload = {}
    for o in op.options:
        value = getattr(args, f"ocpp_{o.field}", None)
        if value is not None:
            payload[o.field] = value
    return payload


def api_url(settings: Settings, given: str | None) -> str:
    if given:
        return given.rstrip("/")
    host = settings.api_host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    scheme = "https" if settings.api_tls_cert else "http"
    return f"{scheme}://{host}:{settings.api_port}"


def run(settings: Settings, args: argparse.Namespace) -> int:
    op = BY_NAME[args.stations_command]
    token = args.token or os.environ.get(TOKEN_ENV)
    if not token:
        raise LiveError(
            f"an API token is needed: --token or ${TOKEN_ENV} "
            "(create one with `chargedesk tokens create NAME --scope control`)"
        )
    base = api_url(settings, args.api)
    station = urllib.parse.quote(args.id, safe="")
    url = f"{base}/api/v1/stations/{station}/commands/{op.route}"
    answer = request(url, token, payload_for(op, args))
    response = answer.get("response", {})
    status = response.get("status", "answered")
    print(f"{answer.get('operation', op.route)} on {args.id}: {status}")
    extra = {k: v for k, v in response.items() if k != "status"}
    if extra:
        print(json.dumps(extra, indent=2, ensure_ascii=False))
    return 0 if answer.get("accepted") else 1


def request(url: str, token: str, payload: Any = None, method: str = "POST") -> dict[str, Any]:
    """One call to the running engine's API; what it refuses or cannot reach is a LiveError."""
    call = urllib.request.Request(
        url,
        data=None if payload is None else json.dumps(payload).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(call, timeout=120) as reply:
            body: dict[str, Any] = json.loads(reply.read())
            return body
    except urllib.error.HTTPError as exc:
        raise LiveError(_problem(exc)) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise LiveError(
            f"cannot reach the ChargeDesk API at {url.split('/api/')[0]} "
            f"(is `chargedesk serve` or the control room running?): {exc}"
        ) from exc


def _problem(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read())
        return f"{body.get('title', exc.reason)}: {body.get('detail', '')}".rstrip(": ")
    except ValueError:
        return f"HTTP {exc.code} {exc.reason}"


def report(exc: LiveError) -> int:
    print(f"chargedesk: {exc}", file=sys.stderr)
    return 2
