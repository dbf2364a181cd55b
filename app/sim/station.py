"""The station's state without any I/O: connectors, transactions, reservations, metering.

The charger (the I/O shell in `charger.py`) asks this model what to send and
tells it what the CSMS answered; the model never awaits anything.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.sim.configuration import Configuration
from app.sim.ev import Vehicle, charge, is_full
from app.sim.local_auth import AuthorizationCache, LocalAuthList
from app.sim.metering import MeterReading
from app.sim.smart_charging import ActiveTransaction, ProfileStore

NO_ERROR = "NoError"
DEFAULT_MAX_POWER_W = 22_080.0  # 3 x 32 A x 230 V


class ConnectorStatus(StrEnum):
    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EVSE = "SuspendedEVSE"
    SUSPENDED_EV = "SuspendedEV"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


class SimulatorError(Exception):
    """An action the simulated station cannot perform in its current state."""


class UnknownConnector(SimulatorError):
    pass


class ConnectorBusy(SimulatorError):
    pass


@dataclass
class Transaction:
    local_id: int
    """Negative placeholder id, used until the CSMS assigns the real one."""
    id_tag: str
    started_at: datetime
    meter_start: int
    reservation_id: int | None = None
    transaction_id: int | None = None

    @property
    def wire_id(self) -> int:
        return self.transaction_id if self.transaction_id is not None else self.local_id


@dataclass(frozen=True)
class Reservation:
    reservation_id: int
    id_tag: str
    expiry: datetime
    parent_id_tag: str | None = None


@dataclass
class Connector:
    connector_id: int
    energy_wh: float = 0.0
    vehicle: Vehicle | None = None
    soc: float = 0.0
    power_w: float = 0.0
    last_tick: datetime | None = None
    transaction: Transaction | None = None
    finishing: bool = False
    reservation: Reservation | None = None
    inoperative: bool = False
    pending_inoperative: bool | None = None
    fault: str | None = None
    station_limited: bool = False

    @property
    def status(self) -> ConnectorStatus:
        if self.fault is not None:
            return ConnectorStatus.FAULTED
        if self.transaction is not None:
            if self.vehicle is not None and is_full(self.soc):
                return ConnectorStatus.SUSPENDED_EV
            if self.station_limited:
                return ConnectorStatus.SUSPENDED_EVSE
            return ConnectorStatus.CHARGING
        if self.inoperative:
            return ConnectorStatus.UNAVAILABLE
        if self.vehicle is not None:
            return ConnectorStatus.FINISHING if self.finishing else ConnectorStatus.PREPARING
        if self.reservation is not None:
            return ConnectorStatus.RESERVED
        return ConnectorStatus.AVAILABLE

    @property
    def error_code(self) -> str:
        return self.fault or NO_ERROR


@dataclass(frozen=True)
class StatusReport:
    connector_id: int
    status: str
    error_code: str


class StationModel:
    def __init__(
        self,
        connectors: int,
        configuration: Configuration,
        *,
        firmware_version: str = "1.0.0",
        max_power_w: float = DEFAULT_MAX_POWER_W,
        time_scale: float = 1.0,
        initial_meter_wh: float = 0.0,
    ) -> None:
        if connectors < 1:
            raise ValueError("a station has at least one connector")
        self.connectors = {
            n: Connector(n, energy_wh=initial_meter_wh) for n in range(1, connectors + 1)
        }
        self.configuration = configuration
        self.profiles = ProfileStore()
        self.local_list = LocalAuthList(max_length=configuration.integer("LocalAuthListMaxLength"))
        self.auth_cache = AuthorizationCache()
        self.firmware_version = firmware_version
        self.firmware_status = "Idle"
        self.diagnostics_status = "Idle"
        self.max_power_w = max_power_w
        self.time_scale = time_scale
        self.station_inoperative = False
        self._reported: dict[int, tuple[str, str]] = {}
        self._local_ids = itertools.count(-1, -1)

    # -- connectors and status -------------------------------------------------

    def connector(self, connector_id: int) -> Connector:
        try:
            return self.connectors[connector_id]
        except KeyError:
            raise UnknownConnector(f"no connector {connector_id}") from None

    def station_status(self) -> str:
        return "Unavailable" if self.station_inoperative else "Available"

    def current_reports(self) -> list[StatusReport]:
        reports = [StatusReport(0, self.station_status(), NO_ERROR)]
        reports += [
            StatusReport(c.connector_id, c.status, c.error_code) for c in self.connectors.values()
        ]
        return reports

    def status_changes(self) -> list[StatusReport]:
        """Statuses that differ from what was last reported, marking them reported."""
        changed = [
            r
            for r in self.current_reports()
            if self._reported.get(r.connector_id) != (r.status, r.error_code)
        ]
        self.mark_reported(changed)
        return changed

    def mark_reported(self, reports: list[StatusReport]) -> None:
        for report in reports:
            self._reported[report.connector_id] = (report.status, report.error_code)

    # -- metering --------------------------------------------------------------

    def active_transactions(self) -> int:
        return sum(1 for c in self.connectors.values() if c.transaction is not None)

    def limit_w(self, connector_id: int, now: datetime) -> float:
        connector = self.connector(connector_id)
        tx = connector.transaction
        active = ActiveTransaction(tx.wire_id, tx.started_at) if tx else None
        profile_limit = self.profiles.limit_w(
            connector_id, now, active, sharing_connectors=self.active_transactions()
        )
        return self.max_power_w if profile_limit is None else min(self.max_power_w, profile_limit)

    def advance(self, connector_id: int, now: datetime) -> None:
        """Let the plugged-in car charge up to `now`, within the station's limit."""
        connector = self.connector(connector_id)
        last, connector.last_tick = connector.last_tick, now
        if connector.transaction is None or connector.vehicle is None or last is None:
            connector.power_w = 0.0
            return
        seconds = max(0.0, (now - last).total_seconds()) * self.time_scale
        limit = self.limit_w(connector_id, now)
        connector.station_limited = limit <= 0
        if connector.fault is not None or seconds <= 0:
            return
        step = charge(connector.vehicle, connector.soc, seconds, limit)
        connector.soc = step.soc
        connector.energy_wh += step.energy_wh
        connector.power_w = step.average_power_w

    def reading(self, connector_id: int, now: datetime) -> MeterReading:
        self.advance(connector_id, now)
        connector = self.connector(connector_id)
        vehicle = connector.vehicle
        return MeterReading(
            timestamp=now,
            energy_wh=connector.energy_wh,
            power_w=connector.power_w if connector.transaction else 0.0,
            phases=vehicle.phases if vehicle else 3,
            soc_percent=connector.soc * 100.0 if vehicle else None,
        )

    # -- plugging and transactions ---------------------------------------------

    def plug_in(self, connector_id: int, vehicle: Vehicle, soc: float) -> None:
        connector = self.connector(connector_id)
        if connector.vehicle is not None:
            raise ConnectorBusy(f"connector {connector_id} already has a car plugged in")
        connector.vehicle, connector.soc, connector.finishing = vehicle, soc, False

    def unplug(self, connector_id: int) -> None:
        connector = self.connector(connector_id)
        connector.vehicle, connector.finishing, connector.power_w = None, False, 0.0

    def begin_transaction(
        self, connector_id: int, id_tag: str, now: datetime, reservation_id: int | None = None
    ) -> Transaction:
        connector = self.connector(connector_id)
        if connector.transaction is not None:
            raise ConnectorBusy(f"connector {connector_id} already has a transaction")
        if connector.fault is not None or connector.inoperative:
            raise ConnectorBusy(f"connector {connector_id} is {connector.status}")
        reservation = connector.reservation
        if reservation is not None:
            if id_tag not in (reservation.id_tag, reservation.parent_id_tag):
                raise ConnectorBusy(f"connector {connector_id} is reserved for another tag")
            reservation_id = reservation.reservation_id
            connector.reservation = None
        transaction = Transaction(
            local_id=next(self._local_ids),
            id_tag=id_tag,
            started_at=now,
            meter_start=int(connector.energy_wh),
            reservation_id=reservation_id,
        )
        connector.transaction, connector.finishing = transaction, False
        connector.last_tick, connector.station_limited = now, False
        return transaction

    def end_transaction(self, connector_id: int) -> Transaction:
        connector = self.connector(connector_id)
        transaction = connector.transaction
        if transaction is None:
            raise SimulatorError(f"no transaction on connector {connector_id}")
        connector.transaction, connector.power_w = None, 0.0
        connector.finishing = connector.vehicle is not None
        connector.station_limited = False
        self.profiles.end_transaction(connector_id)
        if connector.pending_inoperative is not None:
            connector.inoperative, connector.pending_inoperative = (
                connector.pending_inoperative,
                None,
            )
        return transaction

    def confirm_transaction(self, local_id: int, transaction_id: int) -> None:
        for connector in self.connectors.values():
            tx = connector.transaction
            if tx is not None and tx.local_id == local_id:
                tx.transaction_id = transaction_id

    def find_transaction(self, transaction_id: int) -> int | None:
        """The connector running the transaction with this id, if any."""
        for connector in self.connectors.values():
            if (
                connector.transaction is not None
                and connector.transaction.wire_id == transaction_id
            ):
                return connector.connector_id
        return None

    def authorize_locally(self, id_tag: str, now: datetime) -> str | None:
        if self.configuration.flag("LocalAuthListEnabled"):
            status = self.local_list.lookup(id_tag, now)
            if status is not None:
                return status
        if self.configuration.flag("AuthorizationCacheEnabled"):
            return self.auth_cache.lookup(id_tag, now)
        return None

    # -- availability, faults and reservations ---------------------------------

    def change_availability(self, connector_id: int, operative: bool) -> str:
        if connector_id != 0 and connector_id not in self.connectors:
            return "Rejected"
        targets = (
            list(self.connectors.values()) if connector_id == 0 else [self.connector(connector_id)]
        )
        if connector_id == 0:
            self.station_inoperative = not operative
        scheduled = False
        for connector in targets:
            if connector.transaction is not None and not operative:
                connector.pending_inoperative = True
                scheduled = True
            else:
                connector.inoperative, connector.pending_inoperative = not operative, None
        return "Scheduled" if scheduled else "Accepted"

    def set_fault(self, connector_id: int, error_code: str) -> None:
        if error_code == NO_ERROR:
            raise ValueError("a fault needs an error code other than NoError")
        self.connector(connector_id).fault = error_code

    def clear_fault(self, connector_id: int) -> None:
        self.connector(connector_id).fault = None

    def reserve(
        self,
        connector_id: int,
        reservation_id: int,
        id_tag: str,
        expiry: datetime,
        parent_id_tag: str | None,
    ) -> str:
        if connector_id not in self.connectors:
            return "Rejected"
        connector = self.connectors[connector_id]
        status = connector.status
        existing = connector.reservation
        if existing is not None and existing.reservation_id == reservation_id:
            status = ConnectorStatus.AVAILABLE
        if status == ConnectorStatus.FAULTED:
            return "Faulted"
        if status == ConnectorStatus.UNAVAILABLE:
            return "Unavailable"
        if status == ConnectorStatus.RESERVED:
            return "Rejected"
        if status != ConnectorStatus.AVAILABLE:
            return "Occupied"
        for other in self.connectors.values():
            if other.reservation is not None and other.reservation.reservation_id == reservation_id:
                other.reservation = None
        connector.reservation = Reservation(reservation_id, id_tag, expiry, parent_id_tag)
        return "Accepted"

    def cancel_reservation(self, reservation_id: int) -> bool:
        for connector in self.connectors.values():
            if (
                connector.reservation is not None
                and connector.reservation.reservation_id == reservation_id
            ):
                connector.reservation = None
                return True
        return False

    def expire_reservations(self, now: datetime) -> bool:
        expired = False
        for connector in self.connectors.values():
            if connector.reservation is not None and connector.reservation.expiry <= now:
                connector.reservation = None
                expired = True
        return expired

    def next_reservation_expiry(self) -> datetime | None:
        expiries = [c.reservation.expiry for c in self.connectors.values() if c.reservation]
        return min(expiries, default=None)
