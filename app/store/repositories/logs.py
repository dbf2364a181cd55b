"""Append-only logs: domain events, the command log and the raw frame log."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from app.domain.model import CommandRecord, EventRecord, RawFrame, Severity
from app.store.bulk import insert_rows
from app.store.database import Database
from app.store.schema import commands, events, frames

# Frames beyond this size are stored truncated (the size column keeps the truth).
FRAME_STORE_LIMIT = 8192


SECRET_KEY = "AuthorizationKey"
REDACTED = "********"


def redact_frame(frame: str) -> str:
    """The security profile password travels in ChangeConfiguration (and a careless
    station may echo it in GetConfiguration): never store it in the frame log."""
    if SECRET_KEY not in frame:
        return frame
    try:
        message: Any = json.loads(frame)
    except ValueError:
        return frame[: frame.index(SECRET_KEY)] + "[rest redacted]"
    if not isinstance(message, list) or not message:
        return frame
    payload = message[-1] if message[0] in (2, 3) else None
    if isinstance(payload, dict):
        if payload.get("key") == SECRET_KEY and "value" in payload:
            payload["value"] = REDACTED
        for entry in payload.get("configurationKey") or []:
            if isinstance(entry, dict) and entry.get("key") == SECRET_KEY and "value" in entry:
                entry["value"] = REDACTED
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _storable(text: str) -> str:
    """A peer may send a lone surrogate (e.g. as \\ud800 in JSON); the database takes
    only valid UTF-8, and one bad frame must not fail a whole group commit."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class SqlEventLog:
    def __init__(
        self, db: Database, on_logged: Callable[[EventRecord], None] | None = None
    ) -> None:
        self._db = db
        # Told of every entry once it is committed, with its id (for live streams).
        self._on_logged = on_logged

    async def append(
        self,
        kind: str,
        severity: Severity,
        message: str,
        station_id: str | None,
        data: dict[str, object],
        now: datetime,
    ) -> None:
        def op(conn: Connection) -> int:
            result = conn.execute(
                insert(events),
                {
                    "timestamp": now,
                    "station_id": station_id,
                    "kind": kind,
                    "severity": severity.value,
                    "message": message,
                    "data": data,
                },
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

        event_id = await self._db.write(op)
        if self._on_logged is not None:
            self._on_logged(EventRecord(event_id, now, kind, severity, message, station_id, data))

    async def recent(self, *, station_id: str | None = None, limit: int = 200) -> list[EventRecord]:
        def op(conn: Connection) -> list[EventRecord]:
            query = select(events).order_by(events.c.id.desc()).limit(limit)
            if station_id is not None:
                query = query.where(events.c.station_id == station_id)
            return [
                EventRecord(
                    id=r.id,
                    timestamp=r.timestamp,
                    kind=r.kind,
                    severity=Severity(r.severity),
                    message=r.message,
                    station_id=r.station_id,
                    data=dict(r.data or {}),
                )
                for r in conn.execute(query)
            ]

        return await self._db.read(op)


class SqlCommandLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def begin(
        self,
        station_id: str,
        action: str,
        requested_by: str,
        request: dict[str, object],
        now: datetime,
    ) -> int:
        def op(conn: Connection) -> int:
            result = conn.execute(
                insert(commands).values(
                    station_id=station_id,
                    action=action,
                    requested_by=requested_by,
                    requested_at=now,
                    request=request,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

        return await self._db.write(op)

    async def finish(
        self,
        command_id: int,
        outcome: str,
        response: dict[str, object] | None,
        error: str | None,
        now: datetime,
    ) -> None:
        def op(conn: Connection) -> None:
            conn.execute(
                update(commands)
                .where(commands.c.id == command_id)
                .values(outcome=outcome, response=response, error=error, completed_at=now)
            )

        await self._db.write(op)

    async def recent(
        self, *, station_id: str | None = None, limit: int = 200
    ) -> list[CommandRecord]:
        def op(conn: Connection) -> list[CommandRecord]:
            query = select(commands).order_by(commands.c.id.desc()).limit(limit)
            if station_id is not None:
                query = query.where(commands.c.station_id == station_id)
            return [
                CommandRecord(
                    id=r.id,
                    station_id=r.station_id,
                    action=r.action,
                    requested_by=r.requested_by,
                    requested_at=r.requested_at,
                    request=dict(r.request or {}),
                    outcome=r.outcome,
                    response=dict(r.response) if r.response is not None else None,
                    error=r.error,
                    completed_at=r.completed_at,
                )
                for r in conn.execute(query)
            ]

        return await self._db.read(op)


class SqlFrameLog:
    def __init__(self, db: Database, *, enabled: bool = True) -> None:
        self._db = db
        self._enabled = enabled
        self._buffer: list[dict[str, object]] = []
        self._scheduled = False
        # record() runs on the engine loop, _flush() on the writer thread.
        self._lock = threading.Lock()

    def record(self, station_id: str, direction: str, frame: str, now: datetime) -> None:
        if not self._enabled:
            return
        row = {
            "station_id": station_id,
            "timestamp": now,
            "direction": direction,
            "size": len(frame),
            "frame": _storable(redact_frame(frame)[:FRAME_STORE_LIMIT]),
        }
        with self._lock:
            self._buffer.append(row)
            if self._scheduled:
                return
            self._scheduled = True
        # One insert of many rows per group commit, not one per frame.
        self._db.write_nowait(self._flush)

    def _flush(self, conn: Connection) -> None:
        with self._lock:
            rows, self._buffer = self._buffer, []
            self._scheduled = False
        insert_rows(conn, frames, rows)

    async def recent(self, *, station_id: str | None = None, limit: int = 200) -> list[RawFrame]:
        def op(conn: Connection) -> list[RawFrame]:
            query = select(frames).order_by(frames.c.id.desc()).limit(limit)
            if station_id is not None:
                query = query.where(frames.c.station_id == station_id)
            return [
                RawFrame(r.id, r.station_id, r.timestamp, r.direction, r.size, r.frame)
                for r in conn.execute(query)
            ]

        return await self._db.read(op)

    async def prune(self, older_than: datetime) -> int:
        def op(conn: Connection) -> int:
            return int(conn.execute(delete(frames).where(frames.c.timestamp < older_than)).rowcount)

        return await self._db.write(op)
