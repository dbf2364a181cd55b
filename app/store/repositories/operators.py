"""Operator accounts: the entity and its password hash, never the password."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from app.domain.operators import Operator, Role
from app.store.database import Database
from app.store.schema_accounts import operators

_PUBLIC = (
    operators.c.id,
    operators.c.username,
    operators.c.display_name,
    operators.c.role,
    operators.c.created_at,
    operators.c.failed_logins,
    operators.c.locked_until,
    operators.c.last_login_at,
    operators.c.disabled_at,
)


def _operator(row: Row[*tuple[Any, ...]]) -> Operator:
    return Operator(
        row.id,
        row.username,
        row.display_name,
        Role(row.role),
        row.created_at,
        row.failed_logins,
        row.locked_until,
        row.last_login_at,
        row.disabled_at,
    )


def _one(conn: Connection, operator_id: int) -> Operator | None:
    row = conn.execute(select(*_PUBLIC).where(operators.c.id == operator_id)).first()
    return None if row is None else _operator(row)


class SqlOperatorRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, username: str, display_name: str, role: Role, password_hash: str, now: datetime
    ) -> Operator | None:
        def op(conn: Connection) -> Operator | None:
            # Checked inside the write, which holds the lock: no other process can
            # take the name in between.
            taken = conn.execute(
                select(operators.c.id).where(operators.c.username == username)
            ).first()
            if taken is not None:
                return None
            new_id = conn.execute(
                insert(operators).values(
                    username=username,
                    display_name=display_name,
                    role=role.value,
                    password_hash=password_hash,
                    failed_logins=0,
                    created_at=now,
                )
            ).inserted_primary_key
            assert new_id is not None
            return _one(conn, int(new_id[0]))

        return await self._db.write(op)

    async def all(self) -> list[Operator]:
        def op(conn: Connection) -> list[Operator]:
            rows = conn.execute(select(*_PUBLIC).order_by(operators.c.username))
            return [_operator(r) for r in rows]

        return await self._db.read(op)

    async def count_active(self, role: Role | None = None) -> int:
        def op(conn: Connection) -> int:
            query = select(func.count()).where(operators.c.disabled_at.is_(None))
            if role is not None:
                query = query.where(operators.c.role == role.value)
            return int(conn.execute(query).scalar_one())

        return await self._db.read(op)

    async def get(self, operator_id: int) -> Operator | None:
        return await self._db.read(lambda conn: _one(conn, operator_id))

    async def with_password_hash(self, username: str) -> tuple[Operator, str] | None:
        def op(conn: Connection) -> tuple[Operator, str] | None:
            row = conn.execute(
                select(*_PUBLIC, operators.c.password_hash).where(operators.c.username == username)
            ).first()
            return None if row is None else (_operator(row), row.password_hash)

        return await self._db.read(op)

    async def update(
        self,
        operator_id: int,
        *,
        display_name: str | None = None,
        role: Role | None = None,
        password_hash: str | None = None,
    ) -> Operator | None:
        values: dict[str, object] = {}
        if display_name is not None:
            values["display_name"] = display_name
        if role is not None:
            values["role"] = role.value
        if password_hash is not None:
            values["password_hash"] = password_hash
        return await self._changed(operator_id, values)

    async def set_disabled(self, operator_id: int, at: datetime | None) -> Operator | None:
        return await self._changed(operator_id, {"disabled_at": at})

    async def unlock(self, operator_id: int) -> Operator | None:
        return await self._changed(operator_id, {"failed_logins": 0, "locked_until": None})

    async def record_failure(
        self, operator_id: int, failures_before_lock: int, locked_until: datetime
    ) -> Operator | None:
        def op(conn: Connection) -> Operator | None:
            # One statement, so two wrong guesses at once both count.
            conn.execute(
                update(operators)
                .where(operators.c.id == operator_id)
                .values(failed_logins=operators.c.failed_logins + 1)
            )
            conn.execute(
                update(operators)
                .where(
                    operators.c.id == operator_id,
                    operators.c.failed_logins >= failures_before_lock,
                )
                .values(failed_logins=0, locked_until=locked_until)
            )
            return _one(conn, operator_id)

        return await self._db.write(op)

    async def record_success(self, operator_id: int, now: datetime) -> Operator | None:
        return await self._changed(
            operator_id, {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        )

    async def _changed(self, operator_id: int, values: dict[str, object]) -> Operator | None:
        def op(conn: Connection) -> Operator | None:
            if values:
                conn.execute(update(operators).where(operators.c.id == operator_id).values(values))
            return _one(conn, operator_id)

        return await self._db.write(op)
