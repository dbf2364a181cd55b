"""The I/O shell of a simulated charge point: connection lifecycle, boot, heartbeat, outbox.

What drivers do at the station (plug in, badge, charge, leave) is added by
`SimulatedCharger` in `charger.py`; the answers to CSMS requests live in
`handlers.py`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping

from websockets.exceptions import ConnectionClosed, InvalidHandshake

from app.sim.asyncutil import Signal, TaskSet, wait_first
from app.sim.behaviour import DriverSettings
from app.sim.configuration import Configuration
from app.sim.connection import (
    ChargerOffline,
    CsmsCallError,
    StationConnection,
    open_connection,
    reconnect_delay,
)
from app.sim.delivery import deliver_in_order
from app.sim.link import CsmsRequestHandler, build_request, to_wire
from app.sim.local_auth import parse_id_tag_info
from app.sim.outbox import Outbox, OutgoingMessage
from app.sim.records import Acknowledged, ReceivedCall
from app.sim.station import DEFAULT_MAX_POWER_W, StationModel, StatusReport
from app.sim.timeutil import Clock, format_timestamp, utc_now

LOGGER = logging.getLogger(__name__)
VENDOR = "ChargeDesk"
MODEL = "SimCharger"
METER_TYPE = "SimMeter AC-3"
BOOT_RETRY_FALLBACK_SECONDS = 30


class ChargerCore:
    """Connection, boot, heartbeat and ordered delivery for one station."""

    def __init__(
        self,
        station_id: str,
        url: str,
        *,
        connectors: int = 2,
        password: str | None = None,
        auto_behaviour: bool = False,
        behaviour: DriverSettings | None = None,
        meter_interval: int = 0,
        heartbeat_interval: int | None = None,
        clock: Clock = utc_now,
        seed: int | None = None,
        time_scale: float = 1.0,
        firmware_version: str = "1.0.0",
        max_power_w: float = DEFAULT_MAX_POWER_W,
        initial_meter_wh: float = 0.0,
        reconnect_base: float = 1.0,
        reconnect_cap: float = 60.0,
        reset_pause: float = 1.0,
        operation_delay: float = 1.0,
        response_timeout: float = 30.0,
    ) -> None:
        self.station_id = station_id
        self.auto_behaviour = auto_behaviour
        self.behaviour_settings = behaviour or DriverSettings()
        self.url = f"{url.rstrip('/')}/{station_id}"
        self.clock = clock
        self.rng = random.Random(seed)
        self.serial_number = f"{station_id}-{self.rng.randrange(10**6):06d}"
        overrides = {
            "MeterValueSampleInterval": str(meter_interval),
            "AuthorizationKey": password or "",
        }
        configuration = Configuration(connectors, overrides)
        configuration.listeners.append(lambda _key, _value: self.config_changed.pulse())
        self.model = StationModel(
            connectors,
            configuration,
            firmware_version=firmware_version,
            max_power_w=max_power_w,
            time_scale=time_scale,
            initial_meter_wh=initial_meter_wh,
        )
        self.received_calls: list[ReceivedCall] = []
        self.acknowledged: list[Acknowledged] = []
        self.boot_status: str | None = None
        self.reset_pause = reset_pause
        self.operation_delay = operation_delay
        self.config_changed = Signal()
        self.tasks = TaskSet(station_id)
        self.reservations_changed = Signal()
        self.state_changed = Signal()
        """Pulsed whenever a connector's status changes."""
        self.handlers = self._create_handlers()
        self._heartbeat_override = heartbeat_interval
        self._reconnect_base = reconnect_base
        self._reconnect_cap = reconnect_cap
        self._response_timeout = response_timeout
        self._outbox = Outbox()
        self._session_tasks = TaskSet(f"{station_id}-session")
        self._connection: StationConnection | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._booted = asyncio.Event()
        self._offline = asyncio.Event()
        self._offline.set()
        self._online_allowed = asyncio.Event()
        self._online_allowed.set()
        self._boot_requested = asyncio.Event()
        self._wake = Signal()
        self._closing = False
        self._reboot_pause: float | None = None
        self._meter_tasks: dict[int, asyncio.Task[None]] = {}

    def _create_handlers(self) -> CsmsRequestHandler:
        raise NotImplementedError

    # -- read-only state -------------------------------------------------------

    @property
    def configuration(self) -> Configuration:
        return self.model.configuration

    @property
    def firmware_version(self) -> str:
        return self.model.firmware_version

    @property
    def is_online(self) -> bool:
        """Connected and accepted by the CSMS."""
        return self._booted.is_set()

    @property
    def queued_messages(self) -> list[tuple[str, dict[str, object]]]:
        return [(m.action, dict(m.payload)) for m in self._outbox.messages()]

    def _password(self) -> str | None:
        return self.configuration.secret("AuthorizationKey") or None

    # -- lifecycle -------------------------------------------------------------

    async def connect(self) -> None:
        """Start connecting (and reconnecting) in the background; see `wait_booted`."""
        if self._supervisor is None or self._supervisor.done():
            self._closing = False
            self._supervisor = self.tasks.spawn(self._supervise(), f"{self.station_id}-supervisor")

    async def close(self) -> None:
        self._closing = True
        self._online_allowed.set()
        self._wake.pulse()
        await self._disconnect()
        await self._session_tasks.cancel_all()
        await self.tasks.cancel_all()
        self._outbox.cancel_all()
        self._supervisor = None

    async def wait_booted(self, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            await self._booted.wait()

    async def wait_outbox_empty(self, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            await self._outbox.wait_empty()

    async def go_offline(self) -> None:
        """Disconnect and stay offline (queueing transaction messages) until `come_back_online`."""
        self._online_allowed.clear()
        await self._disconnect()

    async def come_back_online(self) -> None:
        self._online_allowed.set()
        self._wake.pulse()

    async def drop_connection(self) -> None:
        """Lose the connection as a network fault would; reconnects with back-off."""
        await self._disconnect()

    async def reboot(self, pause: float | None = None) -> None:
        """Close the websocket and connect + boot again after a short pause."""
        self._reboot_pause = self.reset_pause if pause is None else pause
        await self._disconnect()

    async def _disconnect(self) -> None:
        self._set_online(False)
        connection = self._connection
        if connection is not None:
            await connection.close()

    def _set_online(self, online: bool) -> None:
        if online:
            self._offline.clear()
            self._booted.set()
        else:
            self._booted.clear()
            self._offline.set()

    async def _supervise(self) -> None:
        failures = 0
        while not self._closing:
            if not self._online_allowed.is_set():
                await self._online_allowed.wait()
                continue
            try:
                connection = await open_connection(
                    self.url,
                    self.station_id,
                    self._password(),
                    self.handlers,
                    spawn=self.tasks.spawn,
                    received=self.received_calls,
                    clock=self.clock,
                    response_timeout=self._response_timeout,
                )
            except (
                OSError,
                TimeoutError,
                InvalidHandshake,
                ConnectionClosed,
                ChargerOffline,
            ) as exc:
                failures += 1
                delay = self._backoff(failures)
                LOGGER.warning(
                    "%s: cannot connect (%s), retry in %.1fs", self.station_id, exc, delay
                )
                await self._wake.wait(delay)
                continue
            self._connection = connection
            try:
                if await self._run_session(connection):
                    failures = 0
            finally:
                self._connection = None
                self._set_online(False)
                await self._session_tasks.cancel_all()
                await connection.close()
                self._outbox.drop_transient()
            pause, self._reboot_pause = self._reboot_pause, None
            if pause is None:
                failures += 1
                pause = self._backoff(failures)
            if not self._closing:
                LOGGER.info("%s: reconnecting in %.1fs", self.station_id, pause)
                await self._wake.wait(pause)

    def _backoff(self, failures: int) -> float:
        return reconnect_delay(
            failures, self.rng, base=self._reconnect_base, cap=self._reconnect_cap
        )

    async def _run_session(self, connection: StationConnection) -> bool:
        if not await self._boot(connection):
            return False
        self._set_online(True)
        reports = self.model.current_reports()
        self.model.mark_reported(reports)
        self._outbox.put_first([self._status_message(r) for r in reports])
        self._session_tasks.spawn(self._pump(connection), f"{self.station_id}-outbox")
        self._session_tasks.spawn(self._heartbeat(), f"{self.station_id}-heartbeat")
        await connection.lost.wait()
        return True

    # -- boot and heartbeat ----------------------------------------------------

    def _boot_payload(self) -> dict[str, object]:
        return {
            "charge_point_vendor": VENDOR,
            "charge_point_model": MODEL,
            "charge_point_serial_number": self.serial_number,
            "charge_box_serial_number": self.serial_number,
            "firmware_version": self.model.firmware_version,
            "meter_type": METER_TYPE,
            "meter_serial_number": f"M-{self.serial_number}",
        }

    async def send_boot_notification(
        self, connection: StationConnection | None = None
    ) -> str | None:
        """Send BootNotification; returns the registration status, or None without an answer."""
        response = await self.call_quietly("BootNotification", self._boot_payload(), connection)
        if response is None:
            return None
        status = str(response.get("status"))
        self.boot_status = status
        interval = response.get("interval")
        if status == "Accepted" and isinstance(interval, int):
            heartbeat = (
                self._heartbeat_override if self._heartbeat_override is not None else interval
            )
            self.configuration.set_internal("HeartbeatInterval", str(heartbeat))
        return status

    async def _boot(self, connection: StationConnection) -> bool:
        """BootNotification until Accepted; while Pending/Rejected the station only answers."""
        while not connection.lost.is_set() and not self._closing:
            self._boot_requested.clear()
            status = await self.send_boot_notification(connection)
            if status == "Accepted":
                return True
            retry = BOOT_RETRY_FALLBACK_SECONDS
            last = self.acknowledged[-1] if self.acknowledged else None
            if last is not None and last.action == "BootNotification":
                interval = last.response.get("interval")
                if isinstance(interval, int) and interval > 0:
                    retry = interval
            LOGGER.info("%s: boot %s, retrying in %ss", self.station_id, status, retry)
            await wait_first(connection.lost, self._boot_requested, timeout=retry)
        return False

    def request_boot(self) -> None:
        """Boot again now (TriggerMessage BootNotification while Pending)."""
        self._boot_requested.set()

    async def _heartbeat(self) -> None:
        while True:
            interval = self.configuration.integer("HeartbeatInterval")
            if await self.config_changed.wait(interval if interval > 0 else None):
                continue
            await self.call_quietly("Heartbeat", {})

    # -- sending ---------------------------------------------------------------

    async def call(
        self,
        action: str,
        payload: Mapping[str, object],
        connection: StationConnection | None = None,
    ) -> dict[str, object]:
        """Send one request and return the CSMS's camelCase reply; records it as acknowledged."""
        connection = connection or self._connection
        if connection is None:
            raise ChargerOffline("not connected")
        request = build_request(action, payload)
        response = to_wire(await connection.call(request))
        self.acknowledged.append(Acknowledged(action, to_wire(request), response, self.clock()))
        return response

    async def call_quietly(
        self,
        action: str,
        payload: Mapping[str, object],
        connection: StationConnection | None = None,
    ) -> dict[str, object] | None:
        """Like `call`, but a missing answer is logged and returned as None."""
        try:
            return await self.call(action, payload, connection)
        except (ChargerOffline, CsmsCallError, TimeoutError) as exc:
            LOGGER.warning("%s: %s not answered: %s", self.station_id, action, exc)
            return None

    def enqueue(
        self, action: str, payload: dict[str, object], local_transaction_id: int | None = None
    ) -> OutgoingMessage:
        message = OutgoingMessage(action, payload, self.clock(), local_transaction_id)
        self._outbox.put(message, online=self.is_online)
        return message

    def _status_message(self, report: StatusReport) -> OutgoingMessage:
        payload: dict[str, object] = {
            "connector_id": report.connector_id,
            "error_code": report.error_code,
            "status": report.status,
            "timestamp": format_timestamp(self.clock()),
        }
        return OutgoingMessage("StatusNotification", payload, self.clock())

    def report_status(self) -> list[OutgoingMessage]:
        """Queue a StatusNotification for every connector whose status changed."""
        messages = [self._status_message(r) for r in self.model.status_changes()]
        if messages:
            self.state_changed.pulse()
        for message in messages:
            self._outbox.put(message, online=self.is_online)
        return messages

    async def settle(self, messages: list[OutgoingMessage]) -> None:
        """Wait until these messages are delivered, or the station goes offline."""
        pending: set[asyncio.Future[dict[str, object] | None]] = {
            m.result for m in messages if not m.result.done()
        }
        if not pending or not self.is_online:
            return
        offline = asyncio.ensure_future(self._went_offline())
        try:
            while pending and not offline.done():
                done, _ = await asyncio.wait(
                    {*pending, offline}, return_when=asyncio.FIRST_COMPLETED
                )
                pending -= done
        finally:
            offline.cancel()

    async def _went_offline(self) -> dict[str, object] | None:
        await self._offline.wait()
        return None

    async def _pump(self, connection: StationConnection) -> None:
        async def send(action: str, payload: dict[str, object]) -> dict[str, object]:
            return await self.call(action, payload, connection)

        await deliver_in_order(
            self.station_id, self._outbox, send, self._delivered, self.configuration
        )

    def _delivered(self, message: OutgoingMessage, response: dict[str, object] | None) -> None:
        if message.local_transaction_id is not None:
            tx_id = response.get("transactionId") if response else None
            real_id = tx_id if isinstance(tx_id, int) else None
            self._outbox.record_transaction_id(message.local_transaction_id, real_id)
            if real_id is not None:
                self.model.confirm_transaction(message.local_transaction_id, real_id)
        if response is not None:
            info = parse_id_tag_info(response.get("idTagInfo"))
            tag = message.payload.get("id_tag")
            if info is not None and isinstance(tag, str):
                if self.configuration.flag("AuthorizationCacheEnabled"):
                    self.model.auth_cache.remember(tag, info)
                if message.action == "StartTransaction" and info.status != "Accepted":
                    self._transaction_refused(message)
        self._outbox.done(message, response)

    def _transaction_refused(self, message: OutgoingMessage) -> None:
        """Hook: the CSMS did not accept the tag of a transaction this station started."""
