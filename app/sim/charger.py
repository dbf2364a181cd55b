"""A simulated charge point with the actions drivers and tests perform at it."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

from app.sim.behaviour import DriverBehaviour, network_trouble
from app.sim.connection import ChargerOffline, CsmsCallError
from app.sim.core import ChargerCore
from app.sim.ev import Vehicle, random_start_soc, random_vehicle
from app.sim.handlers import CsmsOperations
from app.sim.link import CsmsRequestHandler
from app.sim.local_auth import parse_id_tag_info
from app.sim.metering import PERIODIC, TRANSACTION_END, meter_value, parse_measurands
from app.sim.outbox import OutgoingMessage
from app.sim.smart_charging import ChargingProfile
from app.sim.station import SimulatorError
from app.sim.timeutil import format_timestamp

LOGGER = logging.getLogger(__name__)


class SimulatedCharger(ChargerCore):
    """One OCPP 1.6J station. Drive it from tests, or let `auto_behaviour` bring drivers.

    See `ChargerCore` for the constructor's options (clock, seed, meter_interval, ...).
    """

    def _create_handlers(self) -> CsmsRequestHandler:
        return CsmsOperations(self)

    async def __aenter__(self) -> SimulatedCharger:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        already_running = self._supervisor is not None and not self._supervisor.done()
        await super().connect()
        if already_running:
            return
        self.tasks.spawn(self._expire_reservations(), f"{self.station_id}-reservations")
        if self.auto_behaviour:
            for connector_id in self.model.connectors:
                driver = DriverBehaviour(self, connector_id, self.behaviour_settings)
                self.tasks.spawn(driver.run(), f"{self.station_id}-driver-{connector_id}")
            self.tasks.spawn(
                network_trouble(self, self.behaviour_settings), f"{self.station_id}-network"
            )

    # -- read-only state -------------------------------------------------------

    def status(self, connector: int) -> str:
        if connector == 0:
            return self.model.station_status()
        return str(self.model.connector(connector).status)

    def error_code(self, connector: int) -> str:
        return self.model.connector(connector).error_code

    def transaction_id(self, connector: int) -> int | None:
        """Real id once the CSMS confirmed it, a negative placeholder before, None if idle."""
        transaction = self.model.connector(connector).transaction
        return None if transaction is None else transaction.wire_id

    def id_tag(self, connector: int) -> str | None:
        transaction = self.model.connector(connector).transaction
        return None if transaction is None else transaction.id_tag

    def meter_wh(self, connector: int) -> int:
        return int(self.model.connector(connector).energy_wh)

    # -- driver actions ----------------------------------------------------------

    async def plug_in(
        self, connector: int, vehicle: Vehicle | None = None, soc: float | None = None
    ) -> None:
        """A car is connected: status Preparing."""
        car = vehicle or random_vehicle(self.rng)
        self.model.plug_in(connector, car, random_start_soc(self.rng) if soc is None else soc)
        await self.settle(self.report_status())

    async def unplug(self, connector: int) -> None:
        """The car leaves; a running transaction stops with EVDisconnected first."""
        slot = self.model.connector(connector)
        stop_on_disconnect = self.configuration.flag("StopTransactionOnEVSideDisconnect")
        if slot.transaction is not None and stop_on_disconnect:
            await self.stop_transaction(connector, "EVDisconnected")
            return
        self.model.unplug(connector)
        await self.settle(self.report_status())

    async def present_tag(self, connector: int, id_tag: str) -> str:
        """Badge an RFID tag: Authorize when online, the local list or cache when offline."""
        self.model.connector(connector)
        now = self.clock()
        local = self.model.authorize_locally(id_tag, now)
        if local == "Accepted" and self.configuration.flag("LocalPreAuthorize"):
            return local
        if self.is_online:
            try:
                response = await self.call("Authorize", {"id_tag": id_tag})
            except (ChargerOffline, CsmsCallError, TimeoutError) as exc:
                LOGGER.info("%s: Authorize failed (%s), deciding locally", self.station_id, exc)
            else:
                info = parse_id_tag_info(response.get("idTagInfo"))
                if info is not None:
                    if self.configuration.flag("AuthorizationCacheEnabled"):
                        self.model.auth_cache.remember(id_tag, info)
                    return info.status
        if local is not None and self.configuration.flag("LocalAuthorizeOffline"):
            return local
        return "Accepted" if self.configuration.flag("AllowOfflineTxForUnknownId") else "Invalid"

    async def start_transaction(
        self,
        connector: int,
        id_tag: str,
        reservation_id: int | None = None,
        *,
        vehicle: Vehicle | None = None,
        tx_profile: ChargingProfile | None = None,
    ) -> int:
        """StartTransaction (plugging in a car first if none is); returns the transaction id.

        Offline, the message is queued and the negative placeholder id is returned.
        `tx_profile` (from RemoteStartTransaction) limits the power from the first moment.
        """
        slot = self.model.connector(connector)
        if slot.vehicle is None:
            self.model.plug_in(
                connector, vehicle or random_vehicle(self.rng), random_start_soc(self.rng)
            )
        now = self.clock()
        transaction = self.model.begin_transaction(connector, id_tag, now, reservation_id)
        if tx_profile is not None:
            self.model.profiles.install(tx_profile)
        payload: dict[str, object] = {
            "connector_id": connector,
            "id_tag": id_tag,
            "meter_start": transaction.meter_start,
            "timestamp": format_timestamp(now),
        }
        if transaction.reservation_id is not None:
            payload["reservation_id"] = transaction.reservation_id
        started = self.enqueue("StartTransaction", payload, transaction.local_id)
        statuses = self.report_status()
        self._start_metering(connector)
        self.reservations_changed.pulse()
        await self.settle([started, *statuses])
        return self._outbox.real_ids.get(transaction.local_id, transaction.wire_id)

    async def send_meter_values(self, connector: int, context: str = PERIODIC) -> None:
        """Sample the meter now and send MeterValues (queued while offline if transactional)."""
        reading = self.model.reading(connector, self.clock())
        measurands = parse_measurands(self.configuration["MeterValuesSampledData"])
        payload: dict[str, object] = {
            "connector_id": connector,
            "meter_value": [meter_value(reading, measurands, context)],
        }
        transaction = self.model.connector(connector).transaction
        if transaction is not None:
            payload["transaction_id"] = transaction.wire_id
        sent = self.enqueue("MeterValues", payload)
        await self.settle([sent, *self.report_status()])

    async def stop_transaction(
        self, connector: int, reason: str = "Local", id_tag: str | None = None
    ) -> None:
        """StopTransaction with the final sample; the connector goes to Finishing.

        With reason EVDisconnected the car is gone, so the connector becomes Available.
        """
        now = self.clock()
        reading = self.model.reading(connector, now)
        transaction = self.model.end_transaction(connector)
        self._stop_metering(connector)
        measurands = parse_measurands(self.configuration["MeterValuesSampledData"])
        payload: dict[str, object] = {
            "meter_stop": reading.energy_register_wh,
            "timestamp": format_timestamp(now),
            "transaction_id": transaction.wire_id,
            "reason": reason,
            "id_tag": id_tag or transaction.id_tag,
            "transaction_data": [meter_value(reading, measurands, TRANSACTION_END)],
        }
        messages: list[OutgoingMessage] = [self.enqueue("StopTransaction", payload)]
        if reason == "EVDisconnected":
            self.model.unplug(connector)
        messages += self.report_status()
        await self.settle(messages)

    async def set_fault(self, connector: int, error_code: str = "GroundFailure") -> None:
        """A hardware fault: a running transaction stops (reason Other), status Faulted."""
        if self.model.connector(connector).transaction is not None:
            await self.stop_transaction(connector, "Other")
        self.model.set_fault(connector, error_code)
        await self.settle(self.report_status())

    async def clear_fault(self, connector: int) -> None:
        self.model.clear_fault(connector)
        await self.settle(self.report_status())

    async def change_availability(self, connector: int, operative: bool) -> str:
        status = self.model.change_availability(connector, operative)
        await self.settle(self.report_status())
        return status

    # -- messages the CSMS can trigger ----------------------------------------

    async def send_status_notifications(self, connector: int | None = None) -> None:
        """Report current statuses now (all connectors and 0 when `connector` is None)."""
        reports = self.model.current_reports()
        if connector is not None:
            reports = [r for r in reports if r.connector_id == connector]
        self.model.mark_reported(reports)
        for report in reports:
            await self.call_quietly(
                "StatusNotification",
                {
                    "connector_id": report.connector_id,
                    "error_code": report.error_code,
                    "status": report.status,
                    "timestamp": format_timestamp(self.clock()),
                },
            )

    async def send_firmware_status(self, status: str | None = None) -> None:
        if status is not None:
            self.model.firmware_status = status
        await self.call_quietly(
            "FirmwareStatusNotification", {"status": self.model.firmware_status}
        )

    async def send_diagnostics_status(self, status: str | None = None) -> None:
        if status is not None:
            self.model.diagnostics_status = status
        await self.call_quietly(
            "DiagnosticsStatusNotification", {"status": self.model.diagnostics_status}
        )

    # -- internals ---------------------------------------------------------------

    def _start_metering(self, connector: int) -> None:
        self._stop_metering(connector)
        self._meter_tasks[connector] = self.tasks.spawn(
            self._meter_loop(connector), f"{self.station_id}-meter-{connector}"
        )

    def _stop_metering(self, connector: int) -> None:
        task = self._meter_tasks.pop(connector, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def _meter_loop(self, connector: int) -> None:
        while self.model.connector(connector).transaction is not None:
            interval = self.configuration.integer("MeterValueSampleInterval")
            if await self.config_changed.wait(interval if interval > 0 else None):
                continue
            await self.send_meter_values(connector)

    def _transaction_refused(self, message: OutgoingMessage) -> None:
        if not self.configuration.flag("StopTransactionOnInvalidId"):
            return
        connector = message.payload.get("connector_id")
        local_id = message.local_transaction_id
        if not isinstance(connector, int) or local_id is None:
            return
        transaction = self.model.connector(connector).transaction
        if transaction is not None and transaction.local_id == local_id:
            self.tasks.spawn(self._deauthorize(connector), f"{self.station_id}-deauthorize")

    async def _deauthorize(self, connector: int) -> None:
        try:
            await self.stop_transaction(connector, "DeAuthorized")
        except SimulatorError as exc:
            LOGGER.info("%s: nothing to deauthorize: %s", self.station_id, exc)

    async def _expire_reservations(self) -> None:
        while True:
            expiry = self.model.next_reservation_expiry()
            # Polling at least every second keeps expiry working with a fake clock too.
            timeout = 1.0
            if expiry is not None:
                timeout = min(timeout, max(0.0, (expiry - self.clock()).total_seconds()))
            await self.reservations_changed.wait(timeout)
            if self.model.expire_reservations(self.clock()):
                self.report_status()
