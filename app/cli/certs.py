"""`chargedesk certs ...` (wss:// certificates) and the station password commands.

    certs create-ca [--name N] [--rsa] [--replace]   our own small CA (ten years)
    certs issue --host H [--host H ...]              the server certificate wss:// serves
    certs issue --station ID                         a profile 3 client certificate
    certs import CERT KEY --host H [...]             an operator's certificate, checked
    certs export-ca DEST                             the CA certificate for installers
    certs show [--json]                              what exists and what is configured
    stations issue-password ID                       a generated password, shown once
    stations rotate-password ID                      push a new one (live, through the API)

Files live in the per-user data dir (see app/security/files.py) unless --dir says
otherwise; `issue` and `import` also point the settings file at the new files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.cli import live
from app.cli.output import emit, local_time, plain
from app.cli.records import CliError, run
from app.config import Settings, settings_file
from app.domain import credentials
from app.domain.errors import ChargeDeskError
from app.domain.validation import AUTHORIZATION_KEY
from app.security import ca
from app.security.ca import CertificateInfo
from app.security.files import CertificateFiles, default_directory
from app.services.container import Services
from app.services.station_credentials import NewPassword, StationCredentials
from app.settings_file import update_settings_file
from app.store.database import Database

STATION_ACTIONS = ("issue-password", "rotate-password")
COLUMNS = ["role", "subject", "issuer", "not_after", "days_left", "hosts", "key"]

DbArg = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], db_arg: DbArg) -> None:
    """Add the `certs` command to the top-level subparsers."""
    p = sub.add_parser("certs", help="certificates for wss:// (OCPP security profiles 2 and 3)")
    csub = p.add_subparsers(dest="certs_command", metavar="ACTION", required=True)

    q = csub.add_parser("create-ca", help="create ChargeDesk's own small CA (ten years)")
    q.add_argument("--name", default=ca.DEFAULT_CA_NAME, help="the CA's common name")
    q.add_argument("--rsa", action="store_true", help="RSA 3072 instead of EC P-256")
    q.add_argument("--replace", action="store_true", help="replace an existing CA")
    _dir_arg(q)

    q = csub.add_parser("issue", help="issue the server certificate, or a station's (profile 3)")
    whom = q.add_mutually_exclusive_group(required=True)
    whom.add_argument(
        "--host",
        action="append",
        help="a host name or IP address chargers connect to (repeatable)",
    )
    whom.add_argument("--station", metavar="ID", help="a client certificate for this station")
    q.add_argument("--days", type=int, help="validity (server: at most 398; default 397)")
    q.add_argument("--rsa", action="store_true", help="RSA 3072 key instead of EC P-256")
    _settings_arg(q)
    _dir_arg(q)

    q = csub.add_parser("import", help="use an operator's certificate and key (PEM) for wss://")
    q.add_argument("cert", type=Path, help="certificate file (PEM; leaf first, then its chain)")
    q.add_argument("key", type=Path, help="private key file (PEM, without passphrase)")
    q.add_argument(
        "--host",
        action="append",
        required=True,
        help="a host name or IP address chargers connect to; the certificate must name it",
    )
    _settings_arg(q)
    _dir_arg(q)

    q = csub.add_parser("export-ca", help="write the CA certificate for installers (no key)")
    q.add_argument("destination", help="a file or folder; - for standard output")
    _dir_arg(q)

    q = csub.add_parser("show", help="the CA and server certificates and the TLS settings")
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _dir_arg(q)


def add_station_commands(
    stations: argparse._SubParsersAction[argparse.ArgumentParser], db_arg: DbArg
) -> None:
    """Add issue-password and rotate-password to the `stations` sub-parsers."""
    q = stations.add_parser(
        "issue-password",
        help="require a new generated password at once (shown once; type it into the charger)",
    )
    db_arg(q)
    q.add_argument("id")
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
    q = stations.add_parser(
        "rotate-password",
        help="push a new generated password to the charger (live, through the API)",
    )
    q.add_argument("id")
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
    q.add_argument("--api", help="API base URL (default: from the settings)")
    q.add_argument("--token", help=f"API token (default: ${live.TOKEN_ENV})")


def _dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dir", type=Path, help=f"where certificates are kept (default: {default_directory()})"
    )


def _settings_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-settings",
        action="store_true",
        help="do not point the settings file at the new certificate",
    )


# ---- certs ---------------------------------------------------------------------------------


def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    files = CertificateFiles(args.dir)
    actions: dict[str, Callable[[Settings, CertificateFiles, argparse.Namespace], int]] = {
        "create-ca": create_ca,
        "issue": issue,
        "import": import_server,
        "export-ca": export_ca,
        "show": show,
    }
    try:
        return actions[args.certs_command](settings, files, args)
    except ChargeDeskError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from exc


def create_ca(_settings: Settings, files: CertificateFiles, args: argparse.Namespace) -> int:
    info = files.create_ca(args.name, use_rsa=args.rsa, replace=args.replace)
    print(f"Created CA {info.subject!r} ({info.key}), valid until {local_time(info.not_after)}")
    print(f"  certificate: {files.ca_cert}")
    print(f"  key:         {files.ca_key} (readable by you only; never give it away)")
    print("Next: chargedesk certs issue --host <name or address chargers use>")
    return 0


def issue(settings: Settings, files: CertificateFiles, args: argparse.Namespace) -> int:
    if args.station:
        days = args.days or ca.STATION_DAYS
        info, cert, key = files.issue_station(args.station, days=days, use_rsa=args.rsa)
        print(f"Issued a client certificate for station {info.subject!r} (profile 3)")
        print(f"  certificate: {cert}")
        print(f"  key:         {key}")
        print("Load both into the charger, with the CA certificate (certs export-ca).")
        return 0
    info = files.issue_server(args.host, days=args.days or ca.SERVER_DAYS, use_rsa=args.rsa)
    print(f"Issued the server certificate for {', '.join(info.hosts)} ({info.key})")
    print(f"  valid until {local_time(info.not_after)}: issue a new one before then")
    _configure(settings, files, args)
    return 0


def import_server(settings: Settings, files: CertificateFiles, args: argparse.Namespace) -> int:
    info = files.import_server(args.cert.read_bytes(), args.key.read_bytes(), args.host)
    print(f"Imported the certificate for {', '.join(info.hosts)} issued by {info.issuer!r}")
    print(f"  valid until {local_time(info.not_after)}")
    _configure(settings, files, args)
    return 0


def _configure(settings: Settings, files: CertificateFiles, args: argparse.Namespace) -> None:
    changes = {"ocpp_tls_cert": str(files.server_cert), "ocpp_tls_key": str(files.server_key)}
    if args.no_settings:
        print("Settings unchanged; to serve it, set:")
        for key, value in changes.items():
            print(f"  {key} = {json.dumps(value)}")
        return
    path = settings_file()
    update_settings_file(path, changes)
    print(f"Settings ({path}) now point at it; restart ChargeDesk to serve")
    print(f"  wss://<host>:{settings.ocpp_tls_port}{settings.path_prefix}/<station id>")


def export_ca(_settings: Settings, files: CertificateFiles, args: argparse.Namespace) -> int:
    if args.destination == "-":
        sys.stdout.write(files.ca_pem().decode("ascii"))
        return 0
    destination = Path(args.destination)
    info = files.export_ca(destination)
    written = destination / "chargedesk-ca.pem" if destination.is_dir() else destination
    print(f"Wrote the CA certificate {info.subject!r} to {written}")
    print(f"  SHA-256 fingerprint: {info.sha256}")
    return 0


def show(settings: Settings, files: CertificateFiles, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    rows = [_row(role, info, now) for role, info in files.show()]
    if settings.ocpp_tls_cert and Path(settings.ocpp_tls_cert) != files.server_cert:
        # The settings may name a certificate kept elsewhere; that is the one served.
        path = Path(settings.ocpp_tls_cert)
        if path.exists():
            rows.append(_row("configured", ca.describe(path.read_bytes()), now))
    if args.json:
        print(
            json.dumps(
                {"certificates": [plain(r) for r in rows], "settings": _tls_settings(settings)},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    emit(rows, COLUMNS, as_json=False)
    for key, value in _tls_settings(settings).items():
        print(f"{key} = {value}")
    return 0


def _row(role: str, info: CertificateInfo, now: datetime) -> dict[str, Any]:
    row = asdict(info)
    row["role"] = role
    row["days_left"] = info.days_left(now)
    row["hosts"] = ", ".join(info.hosts)
    return row


def _tls_settings(settings: Settings) -> dict[str, Any]:
    return {
        "ocpp_tls_cert": settings.ocpp_tls_cert,
        "ocpp_tls_key": settings.ocpp_tls_key,
        "ocpp_tls_port": settings.ocpp_tls_port,
        "ocpp_plain_ws": settings.ocpp_plain_ws,
        "ocpp_tls_client_ca": settings.ocpp_tls_client_ca,
        "ocpp_tls_require_client_cert": settings.ocpp_tls_require_client_cert,
    }


# ---- station passwords ------------------------------------------------------------------


def dispatch_station(settings: Settings, args: argparse.Namespace) -> int:
    if args.stations_command == "issue-password":
        return issue_password(settings, args)
    try:
        return rotate_password(settings, args)
    except live.LiveError as exc:
        return live.report(exc)


def issue_password(settings: Settings, args: argparse.Namespace) -> int:
    async def work(s: Services, _db: Database) -> NewPassword:
        return await StationCredentials(s.stations, s.commands).issue(args.id)

    _print_password(run(settings, work), args.json)
    return 0


def rotate_password(settings: Settings, args: argparse.Namespace) -> int:
    """ChangeConfiguration(AuthorizationKey) through the running engine's API.

    The engine stores the new password (as a hash) only when the station accepts it,
    so a refusal leaves the old one in force: exit 1, and the new one is not shown.
    """
    token = args.token or os.environ.get(live.TOKEN_ENV)
    if not token:
        raise live.LiveError(
            f"an API token is needed: --token or ${live.TOKEN_ENV} "
            "(create one with `chargedesk tokens create NAME --scope control`)"
        )
    password = credentials.generate_password()
    station = urllib.parse.quote(args.id, safe="")
    url = f"{live.api_url(settings, args.api)}/api/v1/stations/{station}/commands/"
    answer = live.request(
        url + "change-configuration", token, {"key": AUTHORIZATION_KEY, "value": password}
    )
    status = str(answer.get("response", {}).get("status", "answered"))
    if not answer.get("accepted"):
        print(f"{args.id} answered {status}: its old password stays in force", file=sys.stderr)
        return 1
    result = NewPassword(args.id, password, status == "RebootRequired", pushed=True)
    _print_password(result, args.json)
    return 0


def _print_password(result: NewPassword, as_json: bool) -> None:
    if as_json:
        print(json.dumps({**plain(result), "password": result.password}, indent=2))
        return
    if result.pushed:
        when = "after its next restart" if result.after_restart else "from now on"
        print(f"{result.station_id} accepted its new password; it is required {when}:")
    else:
        print(
            f"{result.station_id} needs this password from now on (Basic auth / AuthorizationKey):"
        )
    print(result.password)
    print("Copy it now if you need it: only a hash is stored, it will not be shown again.")
