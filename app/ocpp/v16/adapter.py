"""OCPP 1.6J adapter: charger-initiated calls in, CSMS operations out."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from app.domain import commands as c
from app.domain.errors import InvalidInput, InvalidResponse
from app.domain.model import Admission
from app.ocpp import rpc
from app.ocpp.adapter import CallContext
from app.ocpp.v16 import PROTOCOL, VERSION, mapping
from app.services.container import Services

log = logging.getLogger(__name__)

Handler = Callable[[CallContext, dict[str, Any]], Awaitable[dict[str, Any]]]

# Every action a 1.6 charger may send; the ones without a handler get NotImplemented.
CHARGER_ACTIONS = frozenset(
    {
        "Authorize",
        "BootNotification",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "MeterValues",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
        # Security extension (needs certificate management; not handled yet).
        "LogStatusNotification",
        "SecurityEventNotification",
        "SignCertificate",
        "SignedFirmwareStatusNotification",
    }
)


class V16Adapter:
    protocol = PROTOCOL
    version = VERSION

    def __init__(self, services: Services) -> None:
        self._s = services
        self._handlers: dict[str, Handler] = {
            "BootNotification": self.on_boot_notification,
            "Heartbeat": self.on_heartbeat,
            "StatusNotification": self.on_status_notification,
            "Authorize": self.on_authorize,
            "StartTransaction": self.on_start_transaction,
            "MeterValues": self.on_meter_values,
            "StopTransaction": self.on_stop_transaction,
            "DataTransfer": self.on_data_transfer,
            "DiagnosticsStatusNotification": self.on_diagnostics_status_notification,
            "FirmwareStatusNotification": self.on_firmware_status_notification,
        }

    async def handle_call(
        self, ctx: CallContext, action: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        handler = self._handlers.get(action)
        if handler is None:
            # OCPP-J 1.6 §4.2.3: NotSupported = recognised but not supported,
            # NotImplemented = not known at all.
            if action in CHARGER_ACTIONS:
                raise rpc.RpcError("NotSupported", f"{action} is not supported by this system")
            raise rpc.RpcError("NotImplemented", f"{action} is not a known OCPP 1.6 action")
        rpc.validate(rpc.CALL, action, payload, VERSION)
        return await handler(ctx, payload)

    # ---- CSMS-initiated --------------------------------------------------------------

    def encode(self, command: c.StationCommand) -> tuple[str, dict[str, Any]]:
        action, payload = mapping.command_payload(command)
        try:
            rpc.validate(rpc.CALL, action, payload, VERSION)
        except rpc.RpcError as exc:
            raise InvalidInput(
                f"{action} request is not valid OCPP 1.6: {exc.description}"
            ) from exc
        return action, payload

    def decode(self, command: c.StationCommand, payload: dict[str, Any]) -> c.CommandResult:
        action = c.command_name(command)
        try:
            rpc.validate(rpc.CALLRESULT, action, payload, VERSION)
            return mapping.command_result(command, payload)
        except (rpc.RpcError, KeyError, ValueError) as exc:
            raise InvalidResponse("?", action, f"answer breaks the 1.6 schema: {exc}") from exc

    # ---- charger-initiated ------------------------------------------------------------

    async def on_boot_notification(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        admission, interval = await self._s.stations.on_boot(ctx.station_id, mapping.boot_info(p))
        if admission is Admission.ACCEPTED:
            station = await self._s.stations.get(ctx.station_id)
            if station.auto_fetch_configuration:
                ctx.schedule(lambda: self._fetch_configuration(ctx.station_id))
        return {
            "status": admission.value,
            "currentTime": mapping.format_time(self._s.clock()),
            "interval": interval,
        }

    async def _fetch_configuration(self, station_id: str) -> None:
        await self._s.commands.send(station_id, c.GetConfiguration(), requested_by="engine")

    async def on_heartbeat(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        return {"currentTime": mapping.format_time(self._s.clock())}

    async def on_status_notification(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        report = mapping.status_report(p)
        await self._s.stations.on_status(ctx.station_id, report)
        await self._s.transactions.on_status(ctx.station_id, report.connector_id, report.status)
        return {}

    async def on_authorize(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        info = await self._s.transactions.authorize(ctx.station_id, p["idTag"])
        return {
            "idTagInfo": mapping.id_tag_info(
                info.status.value, info.expiry_date, info.parent_id_tag
            )
        }

    async def on_start_transaction(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        if p["connectorId"] <= 0:
            raise rpc.RpcError(
                "PropertyConstraintViolation",
                "connectorId: a transaction runs on connector 1 or up",
            )
        tx_id, info = await self._s.transactions.start(
            ctx.station_id,
            p["connectorId"],
            p["idTag"],
            p["meterStart"],
            mapping.parse_time(p["timestamp"], "timestamp"),
            p.get("reservationId"),
        )
        return {
            "transactionId": tx_id,
            "idTagInfo": mapping.id_tag_info(
                info.status.value, info.expiry_date, info.parent_id_tag
            ),
        }

    async def on_meter_values(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        if p["connectorId"] < 0:
            raise rpc.RpcError("PropertyConstraintViolation", "connectorId: 0 or above")
        await self._s.transactions.meter_values(
            ctx.station_id,
            p["connectorId"],
            p.get("transactionId"),
            mapping.meter_samples(p["meterValue"]),
        )
        return {}

    async def on_stop_transaction(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        info = await self._s.transactions.stop(
            ctx.station_id,
            p["transactionId"],
            p["meterStop"],
            mapping.parse_time(p["timestamp"], "timestamp"),
            p.get("reason"),
            p.get("idTag"),
            mapping.meter_samples(p.get("transactionData", [])),
        )
        if info is None:
            return {}
        return {
            "idTagInfo": mapping.id_tag_info(
                info.status.value, info.expiry_date, info.parent_id_tag
            )
        }

    async def on_data_transfer(self, ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
        status = await self._s.stations.on_data_transfer(
            ctx.station_id, p["vendorId"], p.get("messageId"), p.get("data")
        )
        return {"status": status}

    async def on_diagnostics_status_notification(
        self, ctx: CallContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        await self._s.stations.on_diagnostics_status(ctx.station_id, p["status"])
        return {}

    async def on_firmware_status_notification(
        self, ctx: CallContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        await self._s.stations.on_firmware_status(ctx.station_id, p["status"])
        return {}
