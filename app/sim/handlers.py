"""How the simulated station answers CSMS-initiated OCPP 1.6 requests.

Each method decides the reply from the station's state right away; anything
that involves sending further requests is registered with `defer` so it runs
after the reply has gone out (never inside the library's read loop).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from app.sim.configuration import KeyValue
from app.sim.link import Defer
from app.sim.metering import TRIGGER
from app.sim.smart_charging import (
    CHARGE_POINT_MAX,
    TX_PROFILE,
    ActiveTransaction,
    CompositeSchedule,
    ProfileError,
    parse_profile,
)
from app.sim.station import ConnectorStatus, SimulatorError
from app.sim.timeutil import parse_timestamp

if TYPE_CHECKING:
    from app.sim.charger import SimulatedCharger

LOGGER = logging.getLogger(__name__)
MAX_FIRMWARE_WAIT = timedelta(hours=24)
_RATE_UNIT_NAMES = {"A": "Current", "W": "Power"}


def next_firmware_version(current: str) -> str:
    """Bump the last number of a version string: 1.0.9 -> 1.0.10."""
    match = re.search(r"(\d+)(?!.*\d)", current)
    if match is None:
        return f"{current}.1"
    return f"{current[: match.start()]}{int(match.group(1)) + 1}{current[match.end() :]}"


class CsmsOperations:
    """Implements `CsmsRequestHandler` for a `SimulatedCharger`."""

    def __init__(self, charger: SimulatedCharger) -> None:
        self._charger = charger
        self._model = charger.model
        self._config = charger.model.configuration

    # -- transactions ------------------------------------------------------------

    def _free_for(self, connector_id: int, id_tag: str) -> bool:
        connector = self._model.connectors.get(connector_id)
        if connector is None or connector.transaction is not None:
            return False
        if connector.status == ConnectorStatus.RESERVED:
            reservation = connector.reservation
            return reservation is not None and id_tag in (
                reservation.id_tag,
                reservation.parent_id_tag,
            )
        return connector.status in (ConnectorStatus.AVAILABLE, ConnectorStatus.PREPARING)

    def remote_start_transaction(
        self,
        id_tag: str,
        connector_id: int | None,
        profile: Mapping[str, object] | None,
        defer: Defer,
    ) -> str:
        if connector_id is None:
            free = [c for c in self._model.connectors if self._free_for(c, id_tag)]
            if not free:
                return "Rejected"
            connector_id = free[0]
        if not self._free_for(connector_id, id_tag):
            return "Rejected"
        if profile is not None:
            try:
                parsed = parse_profile(connector_id, profile, self._charger.clock())
            except ProfileError:
                return "Rejected"
            if parsed.purpose != TX_PROFILE:
                return "Rejected"
        chosen = connector_id

        async def start() -> None:
            await self._remote_start(chosen, id_tag, profile)

        defer(start)
        return "Accepted"

    async def _remote_start(
        self, connector_id: int, id_tag: str, profile: Mapping[str, object] | None
    ) -> None:
        charger = self._charger
        if self._config.flag("AuthorizeRemoteTxRequests"):
            status = await charger.present_tag(connector_id, id_tag)
            if status != "Accepted":
                LOGGER.info(
                    "%s: remote start for %s not authorized: %s", charger.station_id, id_tag, status
                )
                return
        tx_profile = (
            None if profile is None else parse_profile(connector_id, profile, charger.clock())
        )
        try:
            await charger.start_transaction(connector_id, id_tag, tx_profile=tx_profile)
        except SimulatorError as exc:
            LOGGER.info("%s: remote start no longer possible: %s", charger.station_id, exc)

    def remote_stop_transaction(self, transaction_id: int, defer: Defer) -> str:
        connector_id = self._model.find_transaction(transaction_id)
        if connector_id is None:
            return "Rejected"

        async def stop() -> None:
            await self._stop_if_running(connector_id, "Remote", transaction_id)

        defer(stop)
        return "Accepted"

    async def _stop_if_running(
        self, connector_id: int, reason: str, transaction_id: int | None = None
    ) -> None:
        transaction = self._model.connector(connector_id).transaction
        if transaction is None or transaction_id not in (None, transaction.wire_id):
            return
        await self._charger.stop_transaction(connector_id, reason)

    def reset(self, reset_type: str, defer: Defer) -> str:
        async def restart() -> None:
            await self._reset(reset_type)

        defer(restart)
        return "Accepted"

    async def _reset(self, reset_type: str) -> None:
        reason = "HardReset" if reset_type == "Hard" else "SoftReset"
        for connector_id in self._model.connectors:
            await self._stop_if_running(connector_id, reason)
        if reset_type != "Hard":
            # A soft reset lets the station finish telling the CSMS before it restarts.
            try:
                await self._charger.wait_outbox_empty(timeout=5.0)
            except TimeoutError:
                LOGGER.info("%s: resetting with messages still queued", self._charger.station_id)
        await self._charger.reboot()

    def unlock_connector(self, connector_id: int, defer: Defer) -> str:
        if connector_id not in self._model.connectors:
            return "NotSupported"

        async def unlock() -> None:
            await self._stop_if_running(connector_id, "UnlockCommand")
            await self._charger.unplug(connector_id)

        defer(unlock)
        return "Unlocked"

    # -- availability and reservations ------------------------------------------

    async def _report_status(self) -> None:
        await self._charger.settle(self._charger.report_status())

    def change_availability(self, connector_id: int, availability: str, defer: Defer) -> str:
        status = self._model.change_availability(connector_id, availability == "Operative")
        if status != "Rejected":
            defer(self._report_status)
        return status

    def reserve_now(
        self,
        connector_id: int,
        expiry_date: str,
        id_tag: str,
        reservation_id: int,
        parent_id_tag: str | None,
        defer: Defer,
    ) -> str:
        expiry = parse_timestamp(expiry_date)
        if expiry <= self._charger.clock():
            return "Rejected"
        status = self._model.reserve(connector_id, reservation_id, id_tag, expiry, parent_id_tag)
        if status == "Accepted":
            self._charger.reservations_changed.pulse()
            defer(self._report_status)
        return status

    def cancel_reservation(self, reservation_id: int, defer: Defer) -> str:
        if not self._model.cancel_reservation(reservation_id):
            return "Rejected"
        defer(self._report_status)
        return "Accepted"

    # -- configuration and local authorization -----------------------------------

    def get_configuration(self, keys: Sequence[str] | None) -> tuple[list[KeyValue], list[str]]:
        return self._config.report(keys)

    def change_configuration(self, key: str, value: str) -> str:
        return self._config.change(key, value)

    def clear_cache(self) -> str:
        self._model.auth_cache.clear()
        return "Accepted"

    def send_local_list(
        self, list_version: int, update_type: str, entries: Sequence[Mapping[str, object]]
    ) -> str:
        if not self._config.flag("LocalAuthListEnabled"):
            return "NotSupported"
        if len(entries) > self._config.integer("SendLocalListMaxLength"):
            return "Failed"
        return self._model.local_list.apply(list_version, update_type, entries)

    def get_local_list_version(self) -> int:
        return self._model.local_list.version

    # -- remote trigger, diagnostics, firmware -----------------------------------

    def trigger_message(self, requested: str, connector_id: int | None, defer: Defer) -> str:
        charger = self._charger
        if connector_id not in (None, 0) and connector_id not in self._model.connectors:
            return "Rejected"
        targets = [connector_id] if connector_id else list(self._model.connectors)

        async def boot() -> None:
            if charger.is_online:
                await charger.send_boot_notification()
            else:
                charger.request_boot()

        async def heartbeat() -> None:
            await charger.call_quietly("Heartbeat", {})

        async def status() -> None:
            await charger.send_status_notifications(connector_id)

        async def meter_values() -> None:
            for target in targets:
                await charger.send_meter_values(target, TRIGGER)

        async def diagnostics() -> None:
            await charger.send_diagnostics_status()

        async def firmware() -> None:
            await charger.send_firmware_status()

        actions = {
            "BootNotification": boot,
            "Heartbeat": heartbeat,
            "StatusNotification": status,
            "MeterValues": meter_values,
            "DiagnosticsStatusNotification": diagnostics,
            "FirmwareStatusNotification": firmware,
        }
        action = actions.get(requested)
        if action is None:
            return "NotImplemented"
        defer(action)
        return "Accepted"

    def get_diagnostics(self, location: str, defer: Defer) -> str | None:
        stamp = self._charger.clock().strftime("%Y%m%dT%H%M%SZ")
        file_name = f"{self._charger.station_id}-diagnostics-{stamp}.log"
        defer(self._upload_diagnostics)
        LOGGER.info(
            "%s: pretending to upload %s to %s", self._charger.station_id, file_name, location
        )
        return file_name

    async def _upload_diagnostics(self) -> None:
        charger = self._charger
        await charger.send_diagnostics_status("Uploading")
        await asyncio.sleep(charger.operation_delay)
        await charger.send_diagnostics_status("Uploaded")
        self._model.diagnostics_status = "Idle"

    def update_firmware(self, location: str, retrieve_date: str, defer: Defer) -> None:
        retrieve_at = parse_timestamp(retrieve_date)

        async def update() -> None:
            await self._update_firmware(location, retrieve_at.timestamp())

        defer(update)

    async def _update_firmware(self, location: str, retrieve_at: float) -> None:
        charger = self._charger
        wait = retrieve_at - charger.clock().timestamp()
        await asyncio.sleep(min(max(0.0, wait), MAX_FIRMWARE_WAIT.total_seconds()))
        LOGGER.info("%s: pretending to download firmware from %s", charger.station_id, location)
        await charger.send_firmware_status("Downloading")
        await asyncio.sleep(charger.operation_delay)
        await charger.send_firmware_status("Downloaded")
        # Installation waits until no car is charging, but not forever.
        for _ in range(int(MAX_FIRMWARE_WAIT.total_seconds() / max(charger.operation_delay, 1.0))):
            if self._model.active_transactions() == 0:
                break
            await asyncio.sleep(max(charger.operation_delay, 1.0))
        await charger.send_firmware_status("Installing")
        await asyncio.sleep(charger.operation_delay)
        self._model.firmware_version = next_firmware_version(self._model.firmware_version)
        await charger.reboot()
        await charger.wait_booted(timeout=MAX_FIRMWARE_WAIT.total_seconds())
        await charger.send_firmware_status("Installed")
        self._model.firmware_status = "Idle"

    # -- smart charging ----------------------------------------------------------

    def set_charging_profile(self, connector_id: int, profile: Mapping[str, object]) -> str:
        if connector_id != 0 and connector_id not in self._model.connectors:
            return "Rejected"
        try:
            parsed = parse_profile(connector_id, profile, self._charger.clock())
        except ProfileError:
            return "Rejected"
        if parsed.purpose == CHARGE_POINT_MAX and connector_id != 0:
            return "Rejected"
        if parsed.purpose == TX_PROFILE:
            if connector_id == 0:
                return "Rejected"
            transaction = self._model.connector(connector_id).transaction
            if transaction is None or parsed.transaction_id not in (None, transaction.wire_id):
                return "Rejected"
        allowed_units = self._config["ChargingScheduleAllowedChargingRateUnit"]
        if _RATE_UNIT_NAMES[parsed.rate_unit] not in allowed_units:
            return "Rejected"
        if not 0 <= parsed.stack_level <= self._config.integer("ChargeProfileMaxStackLevel"):
            return "Rejected"
        if len(parsed.periods) > self._config.integer("ChargingScheduleMaxPeriods"):
            return "Rejected"
        others = [
            p
            for p in self._model.profiles.profiles
            if p.profile_id != parsed.profile_id
            and (p.connector_id, p.purpose, p.stack_level)
            != (parsed.connector_id, parsed.purpose, parsed.stack_level)
        ]
        if len(others) >= self._config.integer("MaxChargingProfilesInstalled"):
            return "Rejected"
        self._model.profiles.install(parsed)
        return "Accepted"

    def clear_charging_profile(
        self,
        profile_id: int | None,
        connector_id: int | None,
        purpose: str | None,
        stack_level: int | None,
    ) -> str:
        removed = self._model.profiles.clear(profile_id, connector_id, purpose, stack_level)
        return "Accepted" if removed else "Unknown"

    def get_composite_schedule(
        self, connector_id: int, duration: int, rate_unit: str | None
    ) -> CompositeSchedule | None:
        model = self._model
        if connector_id != 0 and connector_id not in model.connectors:
            return None
        unit = rate_unit or "W"
        allowed_units = self._config["ChargingScheduleAllowedChargingRateUnit"]
        if duration <= 0 or _RATE_UNIT_NAMES.get(unit, "?") not in allowed_units:
            return None
        transaction = model.connectors[connector_id].transaction if connector_id else None
        active = (
            ActiveTransaction(transaction.wire_id, transaction.started_at) if transaction else None
        )
        unlimited = model.max_power_w * (len(model.connectors) if connector_id == 0 else 1)
        return model.profiles.composite_schedule(
            connector_id,
            self._charger.clock(),
            duration,
            unit,
            unlimited_w=unlimited,
            transaction=active,
        )
