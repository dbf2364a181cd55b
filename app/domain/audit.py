"""The audit log: every operator action and security event, kept for good.

Who (the actor and their role), when (UTC), what (an action name and its
target), from which part (UI, API, CLI, the engine itself) and how it ended.
The application only ever appends to it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.domain.operators import Actor, Role, Source

DETAIL_MAX = 500


class Outcome(StrEnum):
    OK = "ok"
    # The role did not allow it: nothing was done.
    DENIED = "denied"
    # Allowed, tried, and it did not work (the station refused, bad input, …).
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    role: Role
    source: Source
    action: str
    target: str
    outcome: Outcome
    detail: str = ""
    id: int | None = None

    @classmethod
    def of(
        cls,
        actor: Actor,
        action: str,
        target: str,
        outcome: Outcome,
        at: datetime,
        detail: str = "",
    ) -> AuditEntry:
        text = " ".join(detail.split())
        if len(text) > DETAIL_MAX:
            text = text[: DETAIL_MAX - 1] + "…"
        return cls(at, actor.name, actor.role, actor.source, action, target, outcome, text)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters for reading the log; every one optional."""

    since: datetime | None = None
    until: datetime | None = None
    actor: str | None = None
    action_prefix: str | None = None
    outcome: Outcome | None = None
    limit: int = 500
    sources: frozenset[Source] = field(default_factory=frozenset)


CSV_HEADER = ("id", "at_utc", "actor", "role", "source", "action", "target", "outcome", "detail")


def to_csv(entries: Iterable[AuditEntry]) -> str:
    """The entries as CSV (UTC ISO times), the same columns the screen shows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in entries:
        writer.writerow(
            (
                "" if e.id is None else e.id,
                e.at.isoformat(),
                _safe_cell(e.actor),
                e.role.value,
                e.source.value,
                e.action,
                _safe_cell(e.target),
                e.outcome.value,
                _safe_cell(e.detail),
            )
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
