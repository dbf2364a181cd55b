"""Writes that may be refused by what the database holds (a taken name, a missing fleet)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection

from app.domain.errors import InvalidInput, NotFound
from app.store.database import Database

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Refused:
    error: InvalidInput | NotFound


async def write_checked(db: Database, op: Callable[[Connection], T]) -> T:
    """Run a write whose checks all come before its first change.

    A refusal is handed back from the writer as a value and raised here: a
    raised one would make the group commit replay its batch and log an error
    for what is only a form the desk has to correct.
    """

    def guarded(conn: Connection) -> T | _Refused:
        try:
            return op(conn)
        except (InvalidInput, NotFound) as error:
            return _Refused(error)

    result = await db.write(guarded)
    if isinstance(result, _Refused):
        raise result.error
    return result
