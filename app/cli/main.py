"""Argument parsing and the long-running commands (serve, run, simulate)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import __version__
from app.cli import accounts as accounts_cli
from app.cli import certs as certs_cli
from app.cli import db as db_cli
from app.cli import live, records, tags_drivers, tokens
from app.cli import payments as payment_cli
from app.cli import subscriptions as subscription_cli
from app.cli import tariffs as tariff_cli
from app.config import Settings, UnknownStationPolicy, load_settings
from app.demo import DEMO_TAGS, prepare_demo, run_demo_fleet
from app.domain.model import Admission
from app.domain.operators import Source, local_administrator
from app.store import migrate

log = logging.getLogger("app.cli")


def setup_logging(settings: Settings, *, to_file: bool, verbose: bool = False) -> None:
    fmt = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler(sys.stdout)
    console.setFormatter(fmt)
    root.addHandler(console)
    if to_file:
        log_dir = Path(settings.log_dir)
        log_dir.mkdir(parents=True, exist_ok=True)
        rotating = RotatingFileHandler(
            log_dir / "chargedesk.log", maxBytes=10_000_000, backupCount=5, encoding="utf-8"
        )
        rotating.setFormatter(fmt)
        root.addHandler(rotating)
    # websockets logs every failed handshake at INFO with a traceback; ours is enough.
    logging.getLogger("app.ocpp.websockets").setLevel(logging.WARNING)
    if not verbose:
        # The demo fleet's every frame is in the message log already.
        for noisy in ("app.sim.wire", "ocpp"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    overrides = {
        "db_url": getattr(args, "db", None),
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
    }
    if getattr(args, "accept_unknown", False):
        overrides["unknown_stations"] = UnknownStationPolicy.ACCEPT
    return settings.with_overrides(**overrides)


# ---- long-running commands ------------------------------------------------------------


async def serve(settings: Settings, demo: int = 0, demo_connectors: int = 2) -> None:
    from app.bootstrap import Engine, settle_heap

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Engine(settings) as engine:
        settle_heap()
        if engine.backup_path:
            log.info("database backed up to %s before the schema upgrade", engine.backup_path)
        if settings.ocpp_plain_ws:
            log.info(
                "ChargeDesk %s: chargers connect to ws://<this machine>:%d%s/<station id>",
                __version__,
                engine.port,
                settings.path_prefix,
            )
        if engine.server.tls_port is not None:
            log.info(
                "ChargeDesk %s: chargers connect over TLS to wss://<this machine>:%d%s/<id>",
                __version__,
                engine.server.tls_port,
                settings.path_prefix,
            )
        fleet: asyncio.Task[None] | None = None
        if demo:
            # Set up by whoever runs this command on the machine, as the local admin.
            with engine.services.acting(local_administrator(Source.CLI)):
                await prepare_demo(engine.services, demo)
            url = f"ws://127.0.0.1:{engine.port}{settings.path_prefix}"
            fleet = loop.create_task(run_demo_fleet(url, demo, demo_connectors, stop))
        await stop.wait()
        log.info("shutting down")
        if fleet is not None:
            await fleet
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)


async def simulate(args: argparse.Namespace) -> None:
    from app.sim.fleet import FleetConfig, run_fleet

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    config = FleetConfig(
        url=args.url.rstrip("/"),
        stations=args.stations,
        connectors=args.connectors,
        password=args.password,
        station_prefix=args.prefix,
        meter_interval=args.meter_interval,
        seed=args.seed,
        speed=args.speed,
        tags=tuple(args.tags.split(",")) if args.tags else DEMO_TAGS,
    )
    await run_fleet(config, stop)


# ---- parser ---------------------------------------------------------------------------


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: user data dir)")


def _list_args(p: argparse.ArgumentParser, *, station: bool = True) -> None:
    _db_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--limit", type=int, default=200, help="at most this many rows (newest first)")
    if station:
        p.add_argument("--station", metavar="ID", help="only this station")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chargedesk",
        description="ChargeDesk: control room and OCPP central system for EV charging sites.",
    )
    parser.add_argument("--version", action="version", version=f"chargedesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for name, helptext in (
        ("run", "start ChargeDesk (the engine; with --demo, a simulated fleet too)"),
        ("serve", "run the engine headless (OCPP server, store)"),
    ):
        p = sub.add_parser(name, help=helptext)
        _db_arg(p)
        p.add_argument("--host", help="interface to listen on (default 0.0.0.0)")
        p.add_argument("--port", type=int, help="OCPP port (default 9000)")
        p.add_argument(
            "--accept-unknown",
            action="store_true",
            help="admit unknown stations as Accepted (labs and demos)",
        )
        p.add_argument(
            "--demo",
            type=int,
            default=0 if name == "serve" else 6,
            metavar="N",
            help="also start N simulated chargers against this server",
        )
        if name == "run":
            p.add_argument("--language", help="user interface language: en or sv")

    p = sub.add_parser("simulate", help="run simulated OCPP 1.6J chargers against a server")
    p.add_argument(
        "--url", default="ws://127.0.0.1:9000/ocpp", help="server URL without station id"
    )
    p.add_argument("--stations", type=int, default=5)
    p.add_argument("--connectors", type=int, default=2)
    p.add_argument("--password", help="HTTP Basic password (security profile 1)")
    p.add_argument("--prefix", default="SIM-", help="station id prefix")
    p.add_argument("--meter-interval", type=float, default=30.0, help="seconds between samples")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--speed", type=float, default=1.0, help="driver behaviour speed factor")
    p.add_argument("--tags", help="comma-separated RFID tags drivers present")

    db_cli.add_parser(sub, _db_arg)

    p = sub.add_parser("stations", help="stations known to the central system")
    ssub = p.add_subparsers(dest="stations_command", metavar="ACTION", required=True)
    _list_args(ssub.add_parser("list", help="list stations"), station=False)
    q = ssub.add_parser("add", help="add (and accept) a station")
    _db_arg(q)
    q.add_argument("id")
    q.add_argument("--password", help="require this HTTP Basic password (8–40 characters)")
    for action in ("accept", "reject"):
        q = ssub.add_parser(action, help=f"{action} a station (e.g. one pending approval)")
        _db_arg(q)
        q.add_argument("id")
    q = ssub.add_parser("configure", help="per-station settings: what the engine may send unasked")
    _db_arg(q)
    q.add_argument("id")
    q.add_argument(
        "--fetch-configuration-on-boot",
        choices=["on", "off"],
        required=True,
        help="read the station's configuration (GetConfiguration) after each accepted boot",
    )
    q = ssub.add_parser("set-password", help="set or (with no --password) remove a password")
    _db_arg(q)
    q.add_argument("id")
    q.add_argument("--password")
    live.add_live_commands(ssub)
    certs_cli.add_station_commands(ssub, _db_arg)

    tags_drivers.add_parsers(sub, _db_arg)

    p = sub.add_parser("transactions", help="charging sessions")
    xsub = p.add_subparsers(dest="transactions_command", metavar="ACTION", required=True)
    q = xsub.add_parser("list", help="list transactions (newest first)")
    _list_args(q)
    q.add_argument("--open", action="store_true", help="only open transactions")

    for name, helptext in (
        ("events", "the event log (connections, faults, anomalies)"),
        ("commands", "the log of operations sent to stations"),
        ("messages", "the raw OCPP message log"),
    ):
        p = sub.add_parser(name, help=helptext)
        lsub = p.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
        _list_args(lsub.add_parser("list", help=f"list {name}"))
    tokens.add_parser(sub, _db_arg)
    subscription_cli.add_parsers(sub, _db_arg)
    tariff_cli.add_parsers(sub, _db_arg)
    certs_cli.add_parsers(sub, _db_arg)
    payment_cli.add_parsers(sub, _db_arg)
    accounts_cli.add_parsers(sub, _db_arg)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "run"])
    settings = _settings(args)
    try:
        return _dispatch(command, args, settings)
    except records.CliError as exc:
        print(f"chargedesk: {exc}", file=sys.stderr)
        return 2
    except migrate.DatabaseTooNew as exc:
        print(f"chargedesk: {exc}", file=sys.stderr)
        return 3


def _can_show_windows() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    # Windows and macOS always have a screen session for a desktop user.
    needs_x_or_wayland = sys.platform.startswith(("linux", "freebsd"))
    return not needs_x_or_wayland or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def _dispatch(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "run" and _can_show_windows():
        setup_logging(settings, to_file=True, verbose=args.verbose)
        from app.ui.app import run_gui

        return run_gui(settings, demo=args.demo, language=args.language or settings.language)
    if command in ("run", "serve"):
        setup_logging(settings, to_file=True, verbose=args.verbose)
        if command == "run":
            log.warning("no display found: running headless (use `chargedesk serve` on servers)")
        asyncio.run(serve(settings, demo=args.demo))
        return 0
    if command == "simulate":
        setup_logging(settings, to_file=False, verbose=args.verbose)
        asyncio.run(simulate(args))
        return 0
    if command == "db":
        return db_cli.dispatch(settings, args)
    if command == "stations":
        action = args.stations_command
        if action in live.BY_NAME:
            try:
                return live.run(settings, args)
            except live.LiveError as exc:
                return live.report(exc)
        if action in certs_cli.STATION_ACTIONS:
            return certs_cli.dispatch_station(settings, args)
        if action == "list":
            records.stations_list(settings, args)
        elif action == "add":
            records.stations_add(settings, args)
        elif action == "accept":
            records.stations_admission(settings, args, Admission.ACCEPTED)
        elif action == "reject":
            records.stations_admission(settings, args, Admission.REJECTED)
        elif action == "configure":
            records.stations_configure(settings, args)
        else:
            records.stations_password(settings, args)
        return 0
    if command == "tags":
        return tags_drivers.dispatch_tags(settings, args)
    if command == "drivers":
        return tags_drivers.dispatch_drivers(settings, args)
    if command in ("plans", "subscriptions", "statement"):
        subscription_cli.dispatch(command, settings, args)
        return 0
    if command == "tokens":
        tokens.dispatch(settings, args)
        return 0
    if command == "tariffs":
        tariff_cli.dispatch(settings, args)
        return 0
    if command == "certs":
        return certs_cli.dispatch(settings, args)
    if command == "payments":
        return payment_cli.dispatch(settings, args)
    if command == "operators":
        return accounts_cli.dispatch_operators(settings, args)
    if command == "audit":
        return accounts_cli.dispatch_audit(settings, args)
    listing = {
        "transactions": records.transactions_list,
        "events": records.events_list,
        "commands": records.commands_list,
        "messages": records.messages_list,
    }
    listing[command](settings, args)
    return 0
