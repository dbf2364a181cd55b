"""What stations report about themselves, and what operators decide about them."""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import datetime

from app.config import Settings, UnknownStationPolicy
from app.domain import credentials
from app.domain.audit import Outcome
from app.domain.errors import InvalidInput, StationNotFound
from app.domain.events import (
    ConnectionRefused,
    ConnectorStatusChanged,
    DiagnosticsStatusChanged,
    FaultCleared,
    FaultRaised,
    FirmwareStatusChanged,
    StationAdmissionChanged,
    StationAwaitingApproval,
    StationBooted,
    StationConnected,
    StationDisconnected,
    StationWentOffline,
)
from app.domain.model import (
    Admission,
    BootInfo,
    ConfigurationKey,
    ConnectorState,
    ConnectorStatus,
    EventRecord,
    Reservation,
    ReservationState,
    Severity,
    Station,
    StatusReport,
)
from app.domain.operators import Role
from app.domain.ports import Clock, EventLog, StationRepository
from app.services import acting
from app.services.acting import requires
from app.services.admission import STATION_ID_MAX
from app.services.events import EventBus

log = logging.getLogger(__name__)

# The same refusal (station, address, reason) is logged as an event at most this often.
REFUSAL_LOG_EVERY = 60.0


class StationService:
    def __init__(
        self,
        stations: StationRepository,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        settings: Settings,
    ) -> None:
        self._stations = stations
        self._events = events
        self._bus = bus
        self._clock = clock
        self.settings = settings
        # Monotonic time of the last frame or pong from each connected station.
        self._last_activity: dict[str, float] = {}
        self._seen: set[str] = set()
        self._interval: dict[str, int] = {}
        self._offline_reported: set[str] = set()
        self._refusals: dict[tuple[str, str, str], float] = {}

    # ---- connection lifecycle ------------------------------------------------

    async def on_connected(
        self, station_id: str, protocol: str, remote_address: str, created: bool
    ) -> Station:
        now = self._clock()
        station = await self._stations.get(station_id)
        if station is None:
            admission = (
                Admission.ACCEPTED
                if self.settings.unknown_stations is UnknownStationPolicy.ACCEPT
                else Admission.PENDING
            )
            station = await self._stations.create(station_id, admission, None, now)
            created = True
        await self._stations.record_connection(station_id, True, protocol, now)
        self._last_activity[station_id] = time.monotonic()
        self._interval[station_id] = self._interval_for(station.admission)
        self._offline_reported.discard(station_id)
        await self._events.append(
            "station.connected",
            Severity.INFO,
            f"{station_id} connected from {remote_address} ({protocol})",
            station_id,
            {"protocol": protocol, "remote_address": remote_address},
            now,
        )
        self._bus.publish(StationConnected(now, station_id, protocol, remote_address))
        if created and station.admission is Admission.PENDING:
            await self._events.append(
                "station.pending",
                Severity.WARNING,
                f"Unknown station {station_id} is waiting for approval",
                station_id,
                {"remote_address": remote_address},
                now,
            )
            self._bus.publish(StationAwaitingApproval(now, station_id, remote_address))
        return station

    async def on_disconnected(self, station_id: str, reason: str) -> None:
        now = self._clock()
        self._last_activity.pop(station_id, None)
        self._interval.pop(station_id, None)
        await self._stations.record_connection(station_id, False, None, now)
        await self._events.append(
            "station.disconnected",
            Severity.WARNING,
            f"{station_id} disconnected: {reason}",
            station_id,
            {"reason": reason},
            now,
        )
        self._bus.publish(StationDisconnected(now, station_id, reason))
        if station_id not in self._offline_reported:
            self._bus.publish(StationWentOffline(now, station_id, reason))
        self._offline_reported.discard(station_id)

    async def on_refused(self, station_id: str, remote_address: str, reason: str) -> None:
        now = self._clock()
        log.warning("refused connection of %r from %s: %s", station_id, remote_address, reason)
        # A charger retrying every few seconds must not bury the event log.
        key = (station_id, remote_address, reason)
        moment = time.monotonic()
        last = self._refusals.get(key)
        if last is not None and moment - last < REFUSAL_LOG_EVERY:
            return
        if len(self._refusals) > 10_000:
            self._refusals = {
                k: t for k, t in self._refusals.items() if moment - t < REFUSAL_LOG_EVERY
            }
        self._refusals[key] = moment
        await self._events.append(
            "station.refused",
            Severity.WARNING,
            f"Refused connection of {station_id!r} from {remote_address}: {reason}",
            station_id[:STATION_ID_MAX] or None,
            {"remote_address": remote_address, "reason": reason},
            now,
        )
        self._bus.publish(ConnectionRefused(now, station_id, remote_address, reason))
        await acting.record(
            "station.refused",
            station_id[:STATION_ID_MAX],
            Outcome.DENIED,
            f"{remote_address}: {reason}",
        )

    def on_activity(self, station_id: str) -> None:
        """Any frame or pong from the station proves it is alive (OCPP 1.6 §4.6)."""
        self._last_activity[station_id] = time.monotonic()
        self._seen.add(station_id)

    def silent_stations(self) -> list[str]:
        """Connected stations that have been quiet for longer than allowed."""
        now = time.monotonic()
        factor = self.settings.offline_after_intervals
        silent = []
        for station_id, last in self._last_activity.items():
            limit = factor * self._interval.get(station_id, self.settings.heartbeat_interval)
            if now - last > limit and station_id not in self._offline_reported:
                silent.append(station_id)
        return silent

    def report_silent(self, station_id: str) -> None:
        now = self._clock()
        self._offline_reported.add(station_id)
        self._bus.publish(StationWentOffline(now, station_id, "no message within the deadline"))

    def connected_ids(self) -> list[str]:
        return list(self._last_activity)

    async def flush_last_seen(self) -> None:
        if not self._seen:
            return
        now = self._clock()
        seen = dict.fromkeys(self._seen, now)
        self._seen.clear()
        await self._stations.touch(seen)

    def _interval_for(self, admission: Admission) -> int:
        if admission is Admission.ACCEPTED:
            return self.settings.heartbeat_interval
        return self.settings.boot_retry_interval

    # ---- what stations report -------------------------------------------------

    async def on_boot(self, station_id: str, boot: BootInfo) -> tuple[Admission, int]:
        """Record a BootNotification; return the registration status and interval."""
        now = self._clock()
        station = await self._stations.get(station_id)
        admission = station.admission if station is not None else Admission.REJECTED
        interval = self._interval_for(admission)
        if station is not None:
            await self._stations.record_boot(station_id, boot, interval, now)
        self._interval[station_id] = interval
        await self._events.append(
            "station.boot",
            Severity.INFO,
            f"{station_id} booted ({boot.vendor} {boot.model}, firmware "
            f"{boot.firmware_version or 'unknown'}): {admission.value}",
            station_id,
            {"vendor": boot.vendor, "model": boot.model, "firmware": boot.firmware_version},
            now,
        )
        self._bus.publish(StationBooted(now, station_id, boot, admission))
        return admission, interval

    async def on_status(self, station_id: str, report: StatusReport) -> ConnectorState | None:
        now = self._clock()
        previous = await self._stations.record_status(station_id, report, now)
        if previous is not None and previous.is_newer_than(report):
            return previous  # a late, queued report: history only
        prev_status = previous.status if previous is not None else None
        await self._end_reservations(station_id, report, now)
        self._bus.publish(
            ConnectorStatusChanged(
                now,
                station_id,
                report.connector_id,
                report.status,
                prev_status,
                report.error_code,
                report.info,
            )
        )
        if report.status is ConnectorStatus.FAULTED:
            await self._events.append(
                "connector.fault",
                Severity.ALARM,
                f"{station_id} connector {report.connector_id} faulted: {report.error_code}"
                + (f" ({report.info})" if report.info else ""),
                station_id,
                {
                    "connector_id": report.connector_id,
                    "error_code": report.error_code,
                    "vendor_error_code": report.vendor_error_code,
                },
                now,
            )
            self._bus.publish(
                FaultRaised(
                    now,
                    station_id,
                    report.connector_id,
                    report.error_code,
                    report.info,
                    report.vendor_error_code,
                )
            )
        elif prev_status is ConnectorStatus.FAULTED:
            await self._events.append(
                "connector.fault_cleared",
                Severity.INFO,
                f"{station_id} connector {report.connector_id} recovered: {report.status.value}",
                station_id,
                {"connector_id": report.connector_id},
                now,
            )
            self._bus.publish(FaultCleared(now, station_id, report.connector_id))
        return previous

    async def _end_reservations(self, station_id: str, report: StatusReport, now: datetime) -> None:
        """OCPP 1.6 has no message for a reservation that ends at the station: read it
        from the connector (X16-16). Available after the expiry time means it expired;
        Faulted or Unavailable means the station dropped it."""
        if report.status is ConnectorStatus.AVAILABLE:
            state, expired_by = ReservationState.EXPIRED, now
        elif report.status in (ConnectorStatus.FAULTED, ConnectorStatus.UNAVAILABLE):
            state, expired_by = ReservationState.ENDED, None
        else:
            return
        ended = await self._stations.end_reservations(
            station_id, state, now, connector_id=report.connector_id, expired_by=expired_by
        )
        for reservation in ended:
            await self._events.append(
                f"reservation.{state.value}",
                Severity.INFO,
                f"Reservation {reservation.id} on {station_id} connector "
                f"{reservation.connector_id} for {reservation.id_tag} {state.value} "
                f"(connector {report.status.value})",
                station_id,
                {"reservation_id": reservation.id, "connector_id": reservation.connector_id},
                now,
            )

    async def on_firmware_status(self, station_id: str, status: str) -> None:
        now = self._clock()
        await self._stations.set_firmware_status(station_id, status, now)
        severity = Severity.ALARM if "Failed" in status else Severity.INFO
        await self._events.append(
            "station.firmware",
            severity,
            f"{station_id} firmware: {status}",
            station_id,
            {"status": status},
            now,
        )
        self._bus.publish(FirmwareStatusChanged(now, station_id, status))

    async def on_diagnostics_status(self, station_id: str, status: str) -> None:
        now = self._clock()
        await self._stations.set_diagnostics_status(station_id, status, now)
        severity = Severity.WARNING if "Failed" in status else Severity.INFO
        await self._events.append(
            "station.diagnostics",
            severity,
            f"{station_id} diagnostics: {status}",
            station_id,
            {"status": status},
            now,
        )
        self._bus.publish(DiagnosticsStatusChanged(now, station_id, status))

    async def on_data_transfer(
        self, station_id: str, vendor_id: str, message_id: str | None, data: str | None
    ) -> str:
        """Store it; no vendor extensions are understood yet, so say so."""
        status = "UnknownVendorId"
        await self._stations.store_data_transfer(
            station_id, vendor_id, message_id, data, status, self._clock()
        )
        return status

    # ---- what operators decide ------------------------------------------------

    @requires(Role.OPERATOR, "station.add", target="station_id")
    async def add(self, station_id: str, password: str | None = None) -> Station:
        station_id = station_id.strip()
        if not station_id or len(station_id) > STATION_ID_MAX or "/" in station_id:
            raise InvalidInput("a station id has 1 to 255 characters and no '/'")
        if await self._stations.get(station_id) is not None:
            raise InvalidInput(f"station {station_id!r} already exists")
        pw_hash = self._hash(password) if password else None
        return await self._stations.create(station_id, Admission.ACCEPTED, pw_hash, self._clock())

    @requires(Role.OPERATOR, "station.admission", target="station_id")
    async def set_admission(self, station_id: str, admission: Admission) -> None:
        if not await self._stations.set_admission(station_id, admission):
            raise StationNotFound(station_id)
        now = self._clock()
        if station_id in self._interval:
            self._interval[station_id] = self._interval_for(admission)
        await self._events.append(
            "station.admission",
            Severity.INFO,
            f"{station_id} set to {admission.value} by an operator",
            station_id,
            {"admission": admission.value},
            now,
        )
        self._bus.publish(StationAdmissionChanged(now, station_id, admission))

    @requires(Role.OPERATOR, "station.set_password", target="station_id")
    async def set_password(self, station_id: str, password: str | None) -> None:
        pw_hash = self._hash(password) if password else None
        if not await self._stations.set_password_hash(station_id, pw_hash):
            raise StationNotFound(station_id)

    @requires(Role.OPERATOR, "station.configure", target="station_id")
    async def set_auto_fetch_configuration(self, station_id: str, enabled: bool) -> None:
        if not await self._stations.set_auto_fetch_configuration(station_id, enabled):
            raise StationNotFound(station_id)

    async def get(self, station_id: str) -> Station:
        station = await self._stations.get(station_id)
        if station is None:
            raise StationNotFound(station_id)
        return station

    async def all(self) -> list[Station]:
        return await self._stations.all()

    async def connectors(self, station_id: str | None = None) -> list[ConnectorState]:
        return await self._stations.connectors(station_id)

    async def recent_events(self, station_id: str, limit: int = 50) -> list[EventRecord]:
        """The station's latest event-log entries, oldest first."""
        records = await self._events.recent(station_id=station_id, limit=limit)
        return list(reversed(records))

    async def configuration(self, station_id: str) -> list[ConfigurationKey]:
        return await self._stations.configuration(station_id)

    async def reservations(self, station_id: str) -> list[Reservation]:
        """Every reservation made on the station, with its state as of now."""
        now = self._clock()
        return [
            dataclasses.replace(r, state=r.state_at(now))
            for r in await self._stations.reservations(station_id)
        ]

    @staticmethod
    def _hash(password: str) -> str:
        if not 8 <= len(password) <= 40:
            raise InvalidInput("a station password has 8 to 40 characters")
        return credentials.hash_password(password)
