"""Domain events: facts the engine publishes after they are stored.

Subscribers (the control room, the API stream, alarms) get these instead of
polling the database. All events are immutable and carry the UTC time at
which the central system learned the fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.model import Admission, BootInfo, ConnectorStatus, EventRecord, MeterSample


@dataclass(frozen=True, slots=True)
class DomainEvent:
    at: datetime
    station_id: str


@dataclass(frozen=True, slots=True)
class StationConnected(DomainEvent):
    protocol: str
    remote_address: str


@dataclass(frozen=True, slots=True)
class StationDisconnected(DomainEvent):
    reason: str


@dataclass(frozen=True, slots=True)
class StationWentOffline(DomainEvent):
    """Nothing arrived within twice the heartbeat interval, or the link closed."""

    reason: str


@dataclass(frozen=True, slots=True)
class StationBooted(DomainEvent):
    boot: BootInfo
    admission: Admission


@dataclass(frozen=True, slots=True)
class StationAwaitingApproval(DomainEvent):
    remote_address: str


@dataclass(frozen=True, slots=True)
class StationAdmissionChanged(DomainEvent):
    admission: Admission


@dataclass(frozen=True, slots=True)
class ConnectionRefused(DomainEvent):
    remote_address: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConnectorStatusChanged(DomainEvent):
    connector_id: int
    status: ConnectorStatus
    previous: ConnectorStatus | None
    error_code: str
    info: str | None


@dataclass(frozen=True, slots=True)
class FaultRaised(DomainEvent):
    connector_id: int
    error_code: str
    info: str | None
    vendor_error_code: str | None


@dataclass(frozen=True, slots=True)
class FaultCleared(DomainEvent):
    connector_id: int


@dataclass(frozen=True, slots=True)
class TransactionStarted(DomainEvent):
    transaction_id: int
    connector_id: int
    id_tag: str
    meter_start: int
    started_at: datetime


@dataclass(frozen=True, slots=True)
class TransactionStopped(DomainEvent):
    transaction_id: int
    connector_id: int
    meter_stop: int
    stopped_at: datetime
    reason: str | None
    energy_wh: int


@dataclass(frozen=True, slots=True)
class MeterValuesReceived(DomainEvent):
    connector_id: int
    transaction_id: int | None
    samples: tuple[MeterSample, ...]


@dataclass(frozen=True, slots=True)
class FirmwareStatusChanged(DomainEvent):
    status: str


@dataclass(frozen=True, slots=True)
class DiagnosticsStatusChanged(DomainEvent):
    status: str


@dataclass(frozen=True, slots=True)
class CommandCompleted(DomainEvent):
    command_id: int
    action: str
    outcome: str


@dataclass(frozen=True, slots=True)
class OperatorAttentionNeeded(DomainEvent):
    """Something a person should look at: an orphaned stop, a suspect transaction, …"""

    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class EventLogged(DomainEvent):
    """An entry reached the event log (committed, with its id): what API streams follow."""

    record: EventRecord


@dataclass(frozen=True, slots=True)
class AccessChanged(DomainEvent):
    """Drivers, fleets, tags or access rules changed (station_id is empty).

    `revoked`: someone may have lost access (stations clear their authorization
    caches); `blocked_tags`: tags now blocked, whose open sessions are stopped
    or allowed to finish by setting.
    """

    subject: str  # "tag", "driver", "fleet" or "rule"
    key: str  # the tag, or the id of the driver, fleet or rule
    action: str  # "created", "changed" or "removed"
    revoked: bool = False
    blocked_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LocalListUpdated(DomainEvent):
    """A station confirmed its local authorization list (SendLocalList Accepted)."""

    version: int
    update_type: str  # "Full" or "Differential"
    entries: int  # tags the station now holds


@dataclass(frozen=True, slots=True)
class PlanChanged(DomainEvent):
    """A subscription plan was created, edited, archived or restored (station_id "")."""

    plan_id: int
    name: str
    change: str  # "created", "updated", "archived" or "restored"


@dataclass(frozen=True, slots=True)
class SubscriptionChanged(DomainEvent):
    """A driver subscribed, or a subscription was paused, resumed or ended (station_id "")."""

    subscription_id: int
    driver_id: int
    plan_id: int
    change: str  # "subscribed", "paused", "resumed" or "ended"


@dataclass(frozen=True, slots=True)
class TariffChanged(DomainEvent):
    """A tariff was created, edited (a new version), archived or restored (station_id "")."""

    tariff_id: int
    name: str
    change: str  # "created", "updated", "archived" or "restored"


@dataclass(frozen=True, slots=True)
class TariffAssignmentChanged(DomainEvent):
    """The tariff of a place and group was set (tariff_id) or cleared (None).

    station_id names the station for a station's assignment, else it is "".
    """

    tariff_id: int | None
    site_id: int | None
    fleet_id: int | None
    plan_id: int | None


@dataclass(frozen=True, slots=True)
class SessionPriced(DomainEvent):
    """A stopped session's final price is stored; total_minor None: it has no tariff."""

    transaction_id: int
    total_minor: int | None
    currency: str | None


@dataclass(frozen=True, slots=True)
class PaymentChanged(DomainEvent):
    """A payment was begun, taken, refunded, voided or failed (station_id "").

    `receipt_number` is set when this change issued a receipt.
    """

    payment_id: int
    transaction_id: int | None
    state: str
    change: str
    receipt_number: int | None = None
