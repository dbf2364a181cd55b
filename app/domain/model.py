"""Entities and read models of the charging site, independent of any protocol version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Admission(StrEnum):
    """Whether a station is allowed to operate against this central system."""

    PENDING = "Pending"
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class ConnectorStatus(StrEnum):
    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EV = "SuspendedEV"
    SUSPENDED_EVSE = "SuspendedEVSE"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"
    # Not reported by chargers: derived by the central system.
    OFFLINE = "Offline"
    UNKNOWN = "Unknown"


OCCUPIED_STATUSES = frozenset(
    {
        ConnectorStatus.PREPARING,
        ConnectorStatus.CHARGING,
        ConnectorStatus.SUSPENDED_EV,
        ConnectorStatus.SUSPENDED_EVSE,
        ConnectorStatus.FINISHING,
    }
)


class IdTagStatus(StrEnum):
    ACCEPTED = "Accepted"
    BLOCKED = "Blocked"
    EXPIRED = "Expired"
    INVALID = "Invalid"
    CONCURRENT_TX = "ConcurrentTx"


class TransactionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    # Open, but the charger has been silent long enough that the operator should look.
    SUSPECT = "suspect"


class ReservationState(StrEnum):
    ACTIVE = "active"
    # A transaction started with its reservation id (by the tag or its group).
    USED = "used"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    # The station dropped it: the connector went Faulted or Unavailable, or the
    # station no longer knew it when asked to cancel.
    ENDED = "ended"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ALARM = "alarm"


@dataclass(frozen=True, slots=True)
class IdTagInfo:
    status: IdTagStatus
    expiry_date: datetime | None = None
    parent_id_tag: str | None = None


@dataclass(frozen=True, slots=True)
class IdTag:
    id_tag: str
    status: IdTagStatus
    expiry_date: datetime | None = None
    parent_id_tag: str | None = None
    note: str = ""
    driver_id: int | None = None
    # How many sessions this tag may have open at once (ConcurrentTx beyond it).
    max_concurrent: int = 1


@dataclass(frozen=True, slots=True)
class BootInfo:
    """What a station says about itself when it boots."""

    vendor: str
    model: str
    serial_number: str | None = None
    charge_box_serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    meter_type: str | None = None
    meter_serial_number: str | None = None


@dataclass(frozen=True, slots=True)
class Station:
    id: str
    admission: Admission
    has_password: bool = False
    boot: BootInfo | None = None
    protocol: str | None = None
    connected: bool = False
    last_seen_at: datetime | None = None
    last_boot_at: datetime | None = None
    created_at: datetime | None = None
    heartbeat_interval: int | None = None
    auto_fetch_configuration: bool = False
    firmware_status: str | None = None
    diagnostics_status: str | None = None
    local_list_version: int = 0


@dataclass(frozen=True, slots=True)
class ConnectorState:
    station_id: str
    connector_id: int
    status: ConnectorStatus
    error_code: str = "NoError"
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None
    since: datetime | None = None
    # The station's timestamp of this state, when it sent one.
    station_timestamp: datetime | None = None

    def is_newer_than(self, report: StatusReport) -> bool:
        """Whether this state is more recent than a report (one queued while offline).

        Only station times are compared with station times: a station clock a
        second behind the server must not make its live reports look old.
        """
        return (
            self.station_timestamp is not None
            and report.station_timestamp is not None
            and report.station_timestamp < self.station_timestamp
        )


@dataclass(frozen=True, slots=True)
class StatusReport:
    """One StatusNotification as the charger sent it."""

    connector_id: int
    status: ConnectorStatus
    error_code: str
    station_timestamp: datetime | None
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None


@dataclass(frozen=True, slots=True)
class MeterSample:
    """One sampled value, normalised to base units (Wh, W, A, V, %, …)."""

    timestamp: datetime
    value: float
    measurand: str = "Energy.Active.Import.Register"
    unit: str = "Wh"
    phase: str | None = None
    location: str | None = None
    context: str | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    id: int
    station_id: str
    connector_id: int
    id_tag: str
    id_tag_status: IdTagStatus
    meter_start: int
    started_at: datetime
    state: TransactionState
    reservation_id: int | None = None
    meter_stop: int | None = None
    stopped_at: datetime | None = None
    stop_reason: str | None = None
    stop_id_tag: str | None = None
    last_meter_wh: float | None = None
    last_meter_at: datetime | None = None
    closed_by: str | None = None

    @property
    def energy_wh(self) -> int | None:
        """Energy delivered so far (closed: final; open: up to the last reading)."""
        end = self.meter_stop if self.meter_stop is not None else self.last_meter_wh
        if end is None:
            return None
        return max(0, round(end) - self.meter_start)


@dataclass(frozen=True, slots=True)
class Reservation:
    """A connector (or, with connector 0, any connector) held for an id tag or its group."""

    id: int
    station_id: str
    connector_id: int
    id_tag: str
    expiry_date: datetime
    state: ReservationState
    parent_id_tag: str | None = None
    transaction_id: int | None = None
    created_at: datetime | None = None
    ended_at: datetime | None = None

    def state_at(self, now: datetime) -> ReservationState:
        """The state at `now`: an active reservation past its expiry has expired,
        even before the station's status report lets us record it."""
        if self.state is ReservationState.ACTIVE and self.expiry_date <= now:
            return ReservationState.EXPIRED
        return self.state


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    timestamp: datetime
    kind: str
    severity: Severity
    message: str
    station_id: str | None = None
    data: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CommandRecord:
    id: int
    station_id: str
    action: str
    requested_by: str
    requested_at: datetime
    request: dict[str, object]
    outcome: str | None = None
    response: dict[str, object] | None = None
    error: str | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RawFrame:
    id: int
    station_id: str
    timestamp: datetime
    direction: str
    size: int
    frame: str


@dataclass(frozen=True, slots=True)
class ConfigurationKey:
    key: str
    value: str | None
    readonly: bool
