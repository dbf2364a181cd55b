"""Alarms: the entries of the event log that need a person, and who saw them when.

An alarm is not a separate fact: it is an event-log entry that matches the
rules below, plus (once someone has seen it) an acknowledgement. The rules
are data so the store can apply them in SQL and the tests can state them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.events import DomainEvent
from app.domain.model import EventRecord, Severity


class AlarmCategory(StrEnum):
    FAULT = "fault"
    OFFLINE = "offline"
    REFUSED = "refused"
    PENDING = "pending"
    TRANSACTION = "transaction"
    AUTHORIZATION = "authorization"
    FIRMWARE = "firmware"
    STATION = "station"


# Event kinds that always need a person, whatever their severity.
ALARM_KINDS: Mapping[str, AlarmCategory] = {
    "connector.fault": AlarmCategory.FAULT,
    "station.disconnected": AlarmCategory.OFFLINE,
    "station.refused": AlarmCategory.REFUSED,
    # Cut off before any station id was known: a failed TLS handshake, a flood.
    "security.tls_failed": AlarmCategory.REFUSED,
    "security.connection_limit": AlarmCategory.REFUSED,
    "station.pending": AlarmCategory.PENDING,
    "transaction.suspect": AlarmCategory.TRANSACTION,
    "transaction.unknown_stop": AlarmCategory.TRANSACTION,
    "transaction.stop_again": AlarmCategory.TRANSACTION,
    "transaction.superseded": AlarmCategory.TRANSACTION,
    "transaction.reconciled": AlarmCategory.TRANSACTION,
    "transaction.meter_backwards": AlarmCategory.TRANSACTION,
    "authorization.rejected": AlarmCategory.AUTHORIZATION,
}

# Any other entry logged at this severity is an alarm too (a failed firmware update, …).
ALARM_SEVERITIES: frozenset[Severity] = frozenset({Severity.ALARM})

# A disconnection we caused ourselves is not news: closing the control room
# would otherwise raise one alarm per station. These are the reasons the
# server logs when it stops (websocket close 1001 without a text) or is cancelled;
# a station dropped for silence has a text after the code and stays an alarm.
OWN_DISCONNECT_REASONS: frozenset[str] = frozenset(
    {"server shutting down", "closed by the central system with code 1001"}
)
DISCONNECTED = "station.disconnected"
PENDING = "station.pending"


def is_alarm(kind: str, severity: Severity, data: Mapping[str, object]) -> bool:
    """The rule, in Python; the store applies the same rule in SQL."""
    if kind == DISCONNECTED and data.get("reason") in OWN_DISCONNECT_REASONS:
        return False
    return kind in ALARM_KINDS or severity in ALARM_SEVERITIES


# Kinds that are alarms only at alarm severity, and what to call them then.
SEVERE_KINDS: Mapping[str, AlarmCategory] = {"station.firmware": AlarmCategory.FIRMWARE}


def category_of(kind: str) -> AlarmCategory:
    return ALARM_KINDS.get(kind) or SEVERE_KINDS.get(kind, AlarmCategory.STATION)


@dataclass(frozen=True, slots=True)
class Alarm:
    event_id: int
    timestamp: datetime
    kind: str
    severity: Severity
    message: str
    station_id: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def category(self) -> AlarmCategory:
        return category_of(self.kind)


@dataclass(frozen=True, slots=True)
class AlarmFilter:
    station_id: str | None = None
    severity: Severity | None = None
    include_acknowledged: bool = True
    limit: int = 500


@dataclass(frozen=True, slots=True)
class EventQuery:
    """A page of the full event log; text matches message or station, any case."""

    kind: str | None = None
    severity: Severity | None = None
    station_id: str | None = None
    text: str = ""
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True, slots=True)
class EventPage:
    records: tuple[EventRecord, ...]
    total: int
    offset: int
    limit: int

    @property
    def page(self) -> int:
        """1-based number of this page."""
        return self.offset // max(1, self.limit) + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // max(1, self.limit)))

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.records) < self.total


@dataclass(frozen=True, slots=True)
class AlarmAcknowledged(DomainEvent):
    """An operator saw these alarms; station_id is "" when they span stations."""

    event_ids: tuple[int, ...]
    acknowledged_by: str


@dataclass(frozen=True, slots=True)
class AlarmList:
    """What the alarms view shows: the alarms asked for and the unacknowledged count."""

    alarms: tuple[Alarm, ...]
    unacknowledged: int
    newest_unacknowledged_id: int | None = None
