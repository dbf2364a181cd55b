"""Ports: what the services need from the outside world, as Protocols.

The store and the OCPP adapter implement these; tests may use fakes that do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from app.domain.access import AccessFacts, AccessRule, AccessSnapshot, Driver, DriverCard, Fleet
from app.domain.api_tokens import ApiToken
from app.domain.audit import AuditEntry, AuditQuery
from app.domain.commands import CommandResult, StationCommand
from app.domain.local_list import ListEntry
from app.domain.model import (
    Admission,
    BootInfo,
    CommandRecord,
    ConfigurationKey,
    ConnectorState,
    EventRecord,
    IdTag,
    IdTagInfo,
    IdTagStatus,
    MeterSample,
    RawFrame,
    Reservation,
    ReservationState,
    Severity,
    Station,
    StatusReport,
    Transaction,
)
from app.domain.operators import Operator, Role


class StationRepository(Protocol):
    async def get(self, station_id: str) -> Station | None: ...
    async def password_hash(self, station_id: str) -> str | None: ...
    async def all(self) -> list[Station]: ...
    async def create(
        self, station_id: str, admission: Admission, password_hash: str | None, now: datetime
    ) -> Station: ...
    async def set_admission(self, station_id: str, admission: Admission) -> bool: ...
    async def set_password_hash(self, station_id: str, password_hash: str | None) -> bool: ...
    async def set_auto_fetch_configuration(self, station_id: str, enabled: bool) -> bool: ...
    async def record_connection(
        self, station_id: str, connected: bool, protocol: str | None, now: datetime
    ) -> None: ...
    async def record_boot(
        self, station_id: str, boot: BootInfo, heartbeat_interval: int, now: datetime
    ) -> None: ...
    async def touch(self, seen: dict[str, datetime]) -> None: ...
    async def record_status(
        self, station_id: str, report: StatusReport, now: datetime
    ) -> ConnectorState | None:
        """Store the report in the history; return the previous state of that connector."""
        ...

    async def connectors(self, station_id: str | None = None) -> list[ConnectorState]: ...
    async def set_firmware_status(self, station_id: str, status: str, now: datetime) -> None: ...
    async def set_diagnostics_status(self, station_id: str, status: str, now: datetime) -> None: ...
    async def store_configuration(
        self, station_id: str, keys: Sequence[ConfigurationKey], now: datetime
    ) -> None: ...
    async def configuration(self, station_id: str) -> list[ConfigurationKey]: ...
    async def set_local_list_version(self, station_id: str, version: int) -> None: ...
    async def store_data_transfer(
        self,
        station_id: str,
        vendor_id: str,
        message_id: str | None,
        data: str | None,
        status: str,
        now: datetime,
    ) -> None: ...
    async def running_transactions(self, station_id: str) -> dict[int, int]:
        """Connector id → id of the transaction open on it."""
        ...

    async def reservation(self, reservation_id: int) -> Reservation | None: ...
    async def reservations(self, station_id: str) -> list[Reservation]: ...
    async def save_reservation(self, reservation: Reservation) -> None: ...
    async def end_reservations(
        self,
        station_id: str,
        state: ReservationState,
        now: datetime,
        *,
        reservation_id: int | None = None,
        connector_id: int | None = None,
        expired_by: datetime | None = None,
    ) -> list[Reservation]:
        """Move matching active reservations to `state`; return the ones that changed."""
        ...


class TagRepository(Protocol):
    async def get(self, id_tag: str) -> IdTag | None: ...
    async def upsert(self, tag: IdTag) -> None:
        """Create or replace; InvalidInput if its driver does not exist."""
        ...

    async def create(self, tag: IdTag) -> None:
        """InvalidInput if the tag exists already or its driver does not."""
        ...

    async def delete(self, id_tag: str) -> bool: ...
    async def all(self) -> list[IdTag]: ...
    async def search(self, text: str, limit: int) -> list[IdTag]: ...


class AccessRepository(Protocol):
    """Fleets, drivers and access rules (implemented in app/store/repositories/access.py).

    Checks that need the data itself (a name taken, a fleet that does not exist)
    run inside the writing transaction and raise InvalidInput: nothing is half-saved.
    """

    async def fleets(self) -> list[Fleet]: ...
    async def fleet(self, fleet_id: int) -> Fleet | None: ...
    async def create_fleet(self, fleet: Fleet, now: datetime) -> Fleet: ...
    async def update_fleet(self, fleet: Fleet) -> Fleet | None: ...
    async def remove_fleet(self, fleet_id: int) -> bool: ...
    async def drivers(
        self, search: str, fleet_id: int | None, include_inactive: bool, limit: int
    ) -> list[DriverCard]: ...
    async def driver(self, driver_id: int) -> DriverCard | None: ...
    async def create_driver(
        self, driver: Driver, tags: Sequence[IdTag], now: datetime
    ) -> DriverCard: ...
    async def update_driver(self, driver: Driver, now: datetime) -> DriverCard | None: ...
    async def remove_driver(self, driver_id: int) -> DriverCard | None:
        """Delete the driver and their tags; return what was deleted."""
        ...

    async def rules(self) -> list[AccessRule]: ...
    async def add_rule(self, rule: AccessRule, now: datetime) -> AccessRule: ...
    async def update_rule(self, rule: AccessRule) -> AccessRule | None: ...
    async def remove_rule(self, rule_id: int) -> AccessRule | None: ...
    async def facts(
        self, id_tag: str, station_id: str | None, connector_id: int | None
    ) -> AccessFacts: ...
    async def snapshot(self) -> AccessSnapshot: ...
    async def site_of(self, station_id: str) -> int | None: ...


class LocalListRepository(Protocol):
    """What each station's local authorization list holds, as it last confirmed."""

    async def held(self, station_id: str) -> dict[str, ListEntry]: ...
    async def confirm(
        self, station_id: str, version: int, entries: Mapping[str, ListEntry]
    ) -> None:
        """Store the whole list and its version in one transaction."""
        ...


class ApiTokenRepository(Protocol):
    async def add(self, token: ApiToken, secret_hash: str) -> bool:
        """Store a new token; False (nothing stored) if its id or name is taken."""
        ...

    async def all(self) -> list[ApiToken]: ...
    async def get(self, token_id: str) -> ApiToken | None: ...
    async def find_by_name(self, name: str) -> ApiToken | None: ...
    async def with_secret_hash(self, token_id: str) -> tuple[ApiToken, str] | None:
        """The token and its stored hash in one read (this runs on every API request)."""
        ...

    async def revoke(self, token_id: str, now: datetime) -> ApiToken | None:
        """Mark the token revoked (an earlier revocation time stands); None if unknown."""
        ...

    async def touch(self, token_id: str, now: datetime) -> None: ...


class OperatorRepository(Protocol):
    async def add(
        self, username: str, display_name: str, role: Role, password_hash: str, now: datetime
    ) -> Operator | None:
        """Store a new account; None (nothing stored) if the user name is taken."""
        ...

    async def all(self) -> list[Operator]: ...
    async def count_active(self, role: Role | None = None) -> int: ...
    async def get(self, operator_id: int) -> Operator | None: ...
    async def with_password_hash(self, username: str) -> tuple[Operator, str] | None: ...
    async def update(
        self,
        operator_id: int,
        *,
        display_name: str | None = None,
        role: Role | None = None,
        password_hash: str | None = None,
    ) -> Operator | None:
        """Change the fields given (not None); None if there is no such operator."""
        ...

    async def set_disabled(self, operator_id: int, at: datetime | None) -> Operator | None: ...
    async def unlock(self, operator_id: int) -> Operator | None:
        """Clear the failure count and any lock."""
        ...

    async def record_failure(
        self, operator_id: int, failures_before_lock: int, locked_until: datetime
    ) -> Operator | None:
        """Count a wrong password; lock until `locked_until` at `failures_before_lock`."""
        ...

    async def record_success(self, operator_id: int, now: datetime) -> Operator | None: ...


class AuditRepository(Protocol):
    async def append(self, entry: AuditEntry) -> AuditEntry: ...
    async def find(self, query: AuditQuery) -> list[AuditEntry]:
        """Newest first."""
        ...


class TransactionRepository(Protocol):
    async def start(
        self,
        station_id: str,
        connector_id: int,
        id_tag: str,
        id_tag_status: IdTagStatus,
        meter_start: int,
        started_at: datetime,
        reservation_id: int | None,
        now: datetime,
    ) -> tuple[Transaction, bool, list[Transaction]]:
        """Open a transaction once (idempotent on a retried request).

        Returns the transaction, whether it was created now, and any
        transactions still open on that connector that this one superseded.
        """
        ...

    async def add_samples(
        self,
        station_id: str,
        connector_id: int,
        transaction_id: int | None,
        samples: Sequence[MeterSample],
    ) -> Transaction | None:
        """Store samples; return the open transaction they belong to, if any."""
        ...

    async def stop(
        self,
        station_id: str,
        transaction_id: int,
        meter_stop: int,
        stopped_at: datetime,
        reason: str | None,
        id_tag: str | None,
        samples: Sequence[MeterSample],
        now: datetime,
    ) -> tuple[Transaction | None, str]:
        """Close a transaction. The string says what happened: 'closed',
        'duplicate', 'already-closed' or 'unknown'."""
        ...

    async def get(self, transaction_id: int) -> Transaction | None: ...
    async def open_for_connector(
        self, station_id: str, connector_id: int
    ) -> Transaction | None: ...
    async def find(
        self,
        *,
        station_id: str | None = None,
        open_only: bool = False,
        closed_only: bool = False,
        id_tag: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[Transaction]: ...
    async def mark_suspect(
        self, older_than: datetime, offline_stations: Sequence[str]
    ) -> list[Transaction]: ...
    async def close_from_last_reading(
        self, transaction_id: int, now: datetime, closed_by: str
    ) -> Transaction | None: ...
    async def samples(self, transaction_id: int) -> list[MeterSample]: ...


class EventLog(Protocol):
    async def append(
        self,
        kind: str,
        severity: Severity,
        message: str,
        station_id: str | None,
        data: dict[str, object],
        now: datetime,
    ) -> None: ...
    async def recent(
        self, *, station_id: str | None = None, limit: int = 200
    ) -> list[EventRecord]: ...


class CommandLog(Protocol):
    async def begin(
        self,
        station_id: str,
        action: str,
        requested_by: str,
        request: dict[str, object],
        now: datetime,
    ) -> int: ...
    async def finish(
        self,
        command_id: int,
        outcome: str,
        response: dict[str, object] | None,
        error: str | None,
        now: datetime,
    ) -> None: ...
    async def recent(
        self, *, station_id: str | None = None, limit: int = 200
    ) -> list[CommandRecord]: ...


class FrameLog(Protocol):
    def record(self, station_id: str, direction: str, frame: str, now: datetime) -> None:
        """Append without waiting: the frame log is support data, not a fact to acknowledge."""
        ...

    async def recent(
        self, *, station_id: str | None = None, limit: int = 200
    ) -> list[RawFrame]: ...
    async def prune(self, older_than: datetime) -> int: ...


class StationGateway(Protocol):
    """Sends operations to connected stations (implemented by the OCPP server)."""

    def is_connected(self, station_id: str) -> bool: ...
    async def send(
        self, station_id: str, command: StationCommand, timeout: float
    ) -> tuple[CommandResult, dict[str, object], dict[str, object]]:
        """Return the mapped result, the request as sent and the raw answer."""
        ...

    async def disconnect(self, station_id: str, reason: str) -> None: ...


class Clock(Protocol):
    def __call__(self) -> datetime: ...


__all__ = [
    "AccessRepository",
    "ApiTokenRepository",
    "Clock",
    "CommandLog",
    "EventLog",
    "FrameLog",
    "IdTagInfo",
    "LocalListRepository",
    "StationGateway",
    "StationRepository",
    "TagRepository",
    "TransactionRepository",
]
