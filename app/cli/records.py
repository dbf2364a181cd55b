"""Offline CLI commands: they work on the database, also while a server runs on it."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.cli.output import emit, plain
from app.cli.signin import PASSWORD_VARIABLE, USER_VARIABLE, SignInNeeded, cli_actor
from app.composition import build_services
from app.config import Settings
from app.domain.errors import ChargeDeskError, NotSignedIn
from app.domain.model import Admission
from app.ocpp.registry import ConnectionRegistry
from app.services.container import Services
from app.store import migrate
from app.store.database import Database
from app.store.repositories import SqlCommandLog, SqlEventLog, SqlFrameLog

T = TypeVar("T")


class CliError(Exception):
    """A user mistake: printed as one line, exit status 2."""


async def _with_services(
    settings: Settings, work: Callable[[Services, Database], Awaitable[T]]
) -> T:
    await asyncio.to_thread(migrate.upgrade, settings.db_url)
    db = Database(settings.db_url)
    await db.start()
    try:
        services = build_services(db, ConnectionRegistry(), settings)
        try:
            actor = await cli_actor(services)
        except SignInNeeded as exc:
            raise CliError(str(exc)) from exc
        with services.acting(actor):
            return await work(services, db)
    finally:
        await db.close()


def run(settings: Settings, work: Callable[[Services, Database], Awaitable[T]]) -> T:
    try:
        return asyncio.run(_with_services(settings, work))
    except NotSignedIn as exc:
        raise CliError(
            f"{exc} Set {USER_VARIABLE} (and {PASSWORD_VARIABLE}) to act as an operator."
        ) from exc
    except ChargeDeskError as exc:
        raise CliError(str(exc)) from exc


def stations_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[dict[str, Any]]:
        rows = []
        connectors = await s.stations.connectors()
        for st in await s.stations.all():
            row = plain(st)
            row["vendor"] = st.boot.vendor if st.boot else None
            row["model"] = st.boot.model if st.boot else None
            row["firmware"] = st.boot.firmware_version if st.boot else None
            row["connectors"] = [
                {
                    "connector_id": c.connector_id,
                    "status": c.status.value,
                    "error_code": c.error_code,
                }
                for c in connectors
                if c.station_id == st.id
            ]
            row["last_seen_at"] = st.last_seen_at
            rows.append(row)
        return rows

    rows = run(settings, work)
    emit(
        rows,
        ["id", "admission", "connected", "vendor", "model", "firmware", "last_seen_at"],
        as_json=args.json,
    )


def stations_add(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> None:
        await s.stations.add(args.id, args.password)

    run(settings, work)
    print(f"Added station {args.id}" + (" with a password" if args.password else ""))


def stations_admission(settings: Settings, args: argparse.Namespace, admission: Admission) -> None:
    async def work(s: Services, _db: Database) -> None:
        await s.stations.set_admission(args.id, admission)

    run(settings, work)
    print(f"Station {args.id} is now {admission.value}")


def stations_configure(settings: Settings, args: argparse.Namespace) -> None:
    enabled = args.fetch_configuration_on_boot == "on"

    async def work(s: Services, _db: Database) -> None:
        await s.stations.set_auto_fetch_configuration(args.id, enabled)

    run(settings, work)
    print(f"{args.id}: read configuration after boot " + ("on" if enabled else "off"))


def stations_password(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> None:
        await s.stations.set_password(args.id, args.password or None)

    run(settings, work)
    print(f"Password of {args.id} " + ("set" if args.password else "removed"))


def transactions_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[dict[str, Any]]:
        txs = await s.transactions.find(
            station_id=args.station, open_only=args.open, limit=args.limit
        )
        rows = []
        for tx in txs:
            row = plain(tx)
            row["energy_wh"] = tx.energy_wh
            rows.append(row)
        return rows

    emit(
        run(settings, work),
        [
            "id",
            "station_id",
            "connector_id",
            "id_tag",
            "started_at",
            "stopped_at",
            "meter_start",
            "meter_stop",
            "energy_wh",
            "state",
            "stop_reason",
        ],
        as_json=args.json,
    )


def events_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(_s: Services, db: Database) -> list[dict[str, Any]]:
        return [
            plain(e)
            for e in await SqlEventLog(db).recent(station_id=args.station, limit=args.limit)
        ]

    emit(
        run(settings, work),
        ["timestamp", "severity", "station_id", "kind", "message"],
        as_json=args.json,
    )


def commands_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(_s: Services, db: Database) -> list[dict[str, Any]]:
        records = await SqlCommandLog(db).recent(station_id=args.station, limit=args.limit)
        return [plain(c) for c in records]

    emit(
        run(settings, work),
        ["id", "requested_at", "station_id", "action", "requested_by", "outcome", "error"],
        as_json=args.json,
    )


def messages_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(_s: Services, db: Database) -> list[dict[str, Any]]:
        frames = await SqlFrameLog(db).recent(station_id=args.station, limit=args.limit)
        return [plain(f) for f in reversed(frames)]

    emit(
        run(settings, work),
        ["timestamp", "station_id", "direction", "size", "frame"],
        as_json=args.json,
    )
