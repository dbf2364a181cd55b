"""API tokens: the entity and a hash of its secret, never the secret itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select, update

from app.domain.api_tokens import ApiToken, TokenScope
from app.domain.operators import Role
from app.store.database import Database
from app.store.schema import api_tokens

_PUBLIC = (
    api_tokens.c.id,
    api_tokens.c.name,
    api_tokens.c.scope,
    api_tokens.c.created_at,
    api_tokens.c.last_used_at,
    api_tokens.c.revoked_at,
    api_tokens.c.role,
)


def _token(row: Row[*tuple[Any, ...]]) -> ApiToken:
    return ApiToken(
        row.id,
        row.name,
        TokenScope(row.scope),
        row.created_at,
        row.last_used_at,
        row.revoked_at,
        Role(row.role),
    )


class SqlApiTokenRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, token: ApiToken, secret_hash: str) -> bool:
        def op(conn: Connection) -> bool:
            # Checked inside the write: the writer holds the lock, so no other
            # process can take the name between the check and the insert.
            taken = conn.execute(
                select(api_tokens.c.id).where(
                    or_(api_tokens.c.id == token.id, api_tokens.c.name == token.name)
                )
            ).first()
            if taken is not None:
                return False
            conn.execute(
                insert(api_tokens).values(
                    id=token.id,
                    name=token.name,
                    scope=token.scope.value,
                    role=token.role.value,
                    secret_hash=secret_hash,
                    created_at=token.created_at,
                    last_used_at=token.last_used_at,
                    revoked_at=token.revoked_at,
                )
            )
            return True

        return await self._db.write(op)

    async def all(self) -> list[ApiToken]:
        def op(conn: Connection) -> list[ApiToken]:
            rows = conn.execute(select(*_PUBLIC).order_by(api_tokens.c.created_at, api_tokens.c.id))
            return [_token(r) for r in rows]

        return await self._db.read(op)

    async def get(self, token_id: str) -> ApiToken | None:
        def op(conn: Connection) -> ApiToken | None:
            row = conn.execute(select(*_PUBLIC).where(api_tokens.c.id == token_id)).first()
            return None if row is None else _token(row)

        return await self._db.read(op)

    async def find_by_name(self, name: str) -> ApiToken | None:
        def op(conn: Connection) -> ApiToken | None:
            row = conn.execute(select(*_PUBLIC).where(api_tokens.c.name == name)).first()
            return None if row is None else _token(row)

        return await self._db.read(op)

    async def with_secret_hash(self, token_id: str) -> tuple[ApiToken, str] | None:
        def op(conn: Connection) -> tuple[ApiToken, str] | None:
            row = conn.execute(
                select(*_PUBLIC, api_tokens.c.secret_hash).where(api_tokens.c.id == token_id)
            ).first()
            return None if row is None else (_token(row), row.secret_hash)

        return await self._db.read(op)

    async def revoke(self, token_id: str, now: datetime) -> ApiToken | None:
        def op(conn: Connection) -> ApiToken | None:
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            row = conn.execute(select(*_PUBLIC).where(api_tokens.c.id == token_id)).first()
            return None if row is None else _token(row)

        return await self._db.write(op)

    async def touch(self, token_id: str, now: datetime) -> None:
        def op(conn: Connection) -> None:
            conn.execute(
                update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now)
            )

        await self._db.write(op)
