"""The audit log in the database: append and read, nothing else (triggers refuse the rest)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, insert, select

from app.domain.audit import AuditEntry, AuditQuery, Outcome
from app.domain.operators import Role, Source
from app.store.database import Database
from app.store.schema_accounts import audit_log


def _entry(row: Row[*tuple[Any, ...]]) -> AuditEntry:
    return AuditEntry(
        row.at,
        row.actor,
        Role(row.role),
        Source(row.source),
        row.action,
        row.target,
        Outcome(row.outcome),
        row.detail,
        row.id,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlAuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def append(self, entry: AuditEntry) -> AuditEntry:
        def op(conn: Connection) -> AuditEntry:
            result = conn.execute(
                insert(audit_log).values(
                    at=entry.at,
                    actor=entry.actor[:64],
                    role=entry.role.value,
                    source=entry.source.value,
                    action=entry.action[:64],
                    target=entry.target[:255],
                    outcome=entry.outcome.value,
                    detail=entry.detail,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return AuditEntry(
                entry.at,
                entry.actor[:64],
                entry.role,
                entry.source,
                entry.action[:64],
                entry.target[:255],
                entry.outcome,
                entry.detail,
                int(key[0]),
            )

        return await self._db.write(op)

    async def find(self, query: AuditQuery) -> list[AuditEntry]:
        def op(conn: Connection) -> list[AuditEntry]:
            c = audit_log.c
            stmt = select(audit_log)
            if query.since is not None:
                stmt = stmt.where(c.at >= query.since)
            if query.until is not None:
                stmt = stmt.where(c.at < query.until)
            if query.actor:
                stmt = stmt.where(c.actor == query.actor)
            if query.action_prefix:
                stmt = stmt.where(c.action.like(_escape_like(query.action_prefix) + "%", "\\"))
            if query.outcome is not None:
                stmt = stmt.where(c.outcome == query.outcome.value)
            if query.sources:
                stmt = stmt.where(c.source.in_(sorted(s.value for s in query.sources)))
            stmt = stmt.order_by(c.at.desc(), c.id.desc()).limit(query.limit)
            return [_entry(r) for r in conn.execute(stmt)]

        return await self._db.read(op)
