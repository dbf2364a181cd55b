"""Bulk inserts on the hot path (meter samples, raw frames).

On SQLite, SQLAlchemy's per-row parameter processing costs more than the
insert itself, so rows go straight to the driver's executemany with the only
conversion these tables need (aware UTC datetimes to SQLite's text form, the
same text SQLAlchemy writes). Other databases use the Core insert unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert

from app.store.schema import UtcDateTime


def sqlite_timestamp(value: datetime | None) -> str | None:
    """What SQLAlchemy's SQLite DATETIME stores: naive UTC, microseconds."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store; use aware UTC")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _same(value: Any) -> Any:
    return value


@functools.cache
def _plan(table: Table, columns: tuple[str, ...]) -> tuple[str, tuple[Callable[[Any], Any], ...]]:
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    converters = tuple(
        sqlite_timestamp if isinstance(table.c[c].type, UtcDateTime) else _same for c in columns
    )
    return sql, converters


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    columns = tuple(rows[0])
    sql, converters = _plan(table, columns)
    pairs = tuple(zip(columns, converters, strict=True))
    conn.exec_driver_sql(sql, [tuple(conv(row[c]) for c, conv in pairs) for row in rows])
