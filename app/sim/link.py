"""The ocpp library's client-side ChargePoint, answering CSMS requests.

This is the edge where ocpp's untyped dataclasses and snake_case keyword
arguments are translated into typed calls on a `CsmsRequestHandler`, and typed
answers back into `call_result` objects.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Protocol, TypeVar, cast

from ocpp.charge_point import remove_nones, serialize_as_dict, snake_to_camel_case
from ocpp.routing import on as _untyped_on
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import Action

from app.sim.configuration import KeyValue
from app.sim.records import ReceivedCall
from app.sim.smart_charging import CompositeSchedule
from app.sim.timeutil import Clock, format_timestamp

LOGGER = logging.getLogger(__name__)
_SECRET_VALUE = re.compile(r'("AuthorizationKey"\s*,\s*"value"\s*:\s*)"[^"]*"')


class _RedactAuthorizationKey(logging.Filter):
    """The ocpp library logs every frame; a new station password must not reach the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_VALUE.sub(r'\1"***"', arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


WIRE_LOGGER = logging.getLogger("app.sim.wire")
"""Frame-level logging of the ocpp library for simulated stations."""
WIRE_LOGGER.addFilter(_RedactAuthorizationKey())

FollowUp = Callable[[], Coroutine[None, None, None]]
Defer = Callable[[FollowUp], None]
"""Registers work to run after the reply has been sent (e.g. a triggered message)."""

_Handler = TypeVar("_Handler", bound=Callable[..., object])


def on(action: str) -> Callable[[_Handler], _Handler]:
    """Typed wrapper around `ocpp.routing.on`."""
    return cast(Callable[[_Handler], _Handler], _untyped_on(action))


def build_request(action: str, payload: Mapping[str, object]) -> object:
    """The ocpp.v16.call dataclass for an action, from snake_case fields."""
    request_type = cast(Callable[..., object], getattr(call, action))
    return request_type(**payload)


def to_wire(message: object) -> dict[str, object]:
    """camelCase dict of an ocpp dataclass, exactly as it travels on the wire."""
    return cast(dict[str, object], snake_to_camel_case(remove_nones(serialize_as_dict(message))))


class CsmsRequestHandler(Protocol):
    def remote_start_transaction(
        self,
        id_tag: str,
        connector_id: int | None,
        profile: Mapping[str, object] | None,
        defer: Defer,
    ) -> str: ...
    def remote_stop_transaction(self, transaction_id: int, defer: Defer) -> str: ...
    def reset(self, reset_type: str, defer: Defer) -> str: ...
    def unlock_connector(self, connector_id: int, defer: Defer) -> str: ...
    def change_availability(self, connector_id: int, availability: str, defer: Defer) -> str: ...
    def get_configuration(self, keys: Sequence[str] | None) -> tuple[list[KeyValue], list[str]]: ...
    def change_configuration(self, key: str, value: str) -> str: ...
    def clear_cache(self) -> str: ...
    def trigger_message(self, requested: str, connector_id: int | None, defer: Defer) -> str: ...
    def get_diagnostics(self, location: str, defer: Defer) -> str | None: ...
    def update_firmware(self, location: str, retrieve_date: str, defer: Defer) -> None: ...
    def reserve_now(
        self,
        connector_id: int,
        expiry_date: str,
        id_tag: str,
        reservation_id: int,
        parent_id_tag: str | None,
        defer: Defer,
    ) -> str: ...
    def cancel_reservation(self, reservation_id: int, defer: Defer) -> str: ...
    def send_local_list(
        self, list_version: int, update_type: str, entries: Sequence[Mapping[str, object]]
    ) -> str: ...
    def get_local_list_version(self) -> int: ...
    def set_charging_profile(self, connector_id: int, profile: Mapping[str, object]) -> str: ...
    def clear_charging_profile(
        self,
        profile_id: int | None,
        connector_id: int | None,
        purpose: str | None,
        stack_level: int | None,
    ) -> str: ...
    def get_composite_schedule(
        self, connector_id: int, duration: int, rate_unit: str | None
    ) -> CompositeSchedule | None: ...


class OcppLink(ChargePoint):  # type: ignore[misc]  # ocpp ships no type information
    """One websocket session's OCPP endpoint on the station side."""

    def __init__(
        self,
        station_id: str,
        connection: object,
        handler: CsmsRequestHandler,
        *,
        spawn: Callable[[Coroutine[None, None, None]], object],
        received: list[ReceivedCall],
        clock: Clock,
        response_timeout: float,
    ) -> None:
        super().__init__(
            station_id, connection, response_timeout=response_timeout, logger=WIRE_LOGGER
        )
        self._handler = handler
        self._spawn = spawn
        self._received = received
        self._clock = clock
        self._deferred: list[FollowUp] = []

    def defer(self, follow_up: FollowUp) -> None:
        self._deferred.append(follow_up)

    async def route_message(self, raw_msg: str) -> None:
        self._record(raw_msg)
        self._deferred = []
        await super().route_message(raw_msg)
        # The reply has been sent by now, so follow-up requests come after it.
        deferred, self._deferred = self._deferred, []
        for follow_up in deferred:
            self._spawn(follow_up())

    def _record(self, raw_msg: str) -> None:
        try:
            message = json.loads(raw_msg)
        except ValueError:
            return
        if (
            isinstance(message, list)
            and len(message) == 4
            and message[0] == 2
            and isinstance(message[2], str)
            and isinstance(message[3], dict)
        ):
            self._received.append(
                ReceivedCall(message[2], message[3], str(message[1]), self._clock())
            )

    @on(Action.remote_start_transaction)
    def on_remote_start_transaction(
        self,
        id_tag: str,
        connector_id: int | None = None,
        charging_profile: dict[str, object] | None = None,
        **_: object,
    ) -> object:
        status = self._handler.remote_start_transaction(
            id_tag, connector_id, charging_profile, self.defer
        )
        return call_result.RemoteStartTransaction(status=status)

    @on(Action.remote_stop_transaction)
    def on_remote_stop_transaction(self, transaction_id: int, **_: object) -> object:
        status = self._handler.remote_stop_transaction(transaction_id, self.defer)
        return call_result.RemoteStopTransaction(status=status)

    @on(Action.reset)
    def on_reset(self, type: str, **_: object) -> object:
        return call_result.Reset(status=self._handler.reset(type, self.defer))

    @on(Action.unlock_connector)
    def on_unlock_connector(self, connector_id: int, **_: object) -> object:
        status = self._handler.unlock_connector(connector_id, self.defer)
        return call_result.UnlockConnector(status=status)

    @on(Action.change_availability)
    def on_change_availability(self, connector_id: int, type: str, **_: object) -> object:
        status = self._handler.change_availability(connector_id, type, self.defer)
        return call_result.ChangeAvailability(status=status)

    @on(Action.get_configuration)
    def on_get_configuration(self, key: list[str] | None = None, **_: object) -> object:
        known, unknown = self._handler.get_configuration(key)
        return call_result.GetConfiguration(
            configuration_key=[
                {"key": kv.key, "readonly": kv.readonly, "value": kv.value} for kv in known
            ],
            unknown_key=unknown or None,
        )

    @on(Action.change_configuration)
    def on_change_configuration(self, key: str, value: str, **_: object) -> object:
        status = self._handler.change_configuration(key, value)
        return call_result.ChangeConfiguration(status=status)

    @on(Action.clear_cache)
    def on_clear_cache(self, **_: object) -> object:
        return call_result.ClearCache(status=self._handler.clear_cache())

    @on(Action.trigger_message)
    def on_trigger_message(
        self, requested_message: str, connector_id: int | None = None, **_: object
    ) -> object:
        status = self._handler.trigger_message(requested_message, connector_id, self.defer)
        return call_result.TriggerMessage(status=status)

    @on(Action.data_transfer)
    def on_data_transfer(self, vendor_id: str, **_: object) -> object:
        LOGGER.info("%s: DataTransfer from unknown vendor %s", self.id, vendor_id)
        return call_result.DataTransfer(status="UnknownVendorId")

    @on(Action.get_diagnostics)
    def on_get_diagnostics(self, location: str, **_: object) -> object:
        file_name = self._handler.get_diagnostics(location, self.defer)
        return call_result.GetDiagnostics(file_name=file_name)

    @on(Action.update_firmware)
    def on_update_firmware(self, location: str, retrieve_date: str, **_: object) -> object:
        self._handler.update_firmware(location, retrieve_date, self.defer)
        return call_result.UpdateFirmware()

    @on(Action.reserve_now)
    def on_reserve_now(
        self,
        connector_id: int,
        expiry_date: str,
        id_tag: str,
        reservation_id: int,
        parent_id_tag: str | None = None,
        **_: object,
    ) -> object:
        status = self._handler.reserve_now(
            connector_id, expiry_date, id_tag, reservation_id, parent_id_tag, self.defer
        )
        return call_result.ReserveNow(status=status)

    @on(Action.cancel_reservation)
    def on_cancel_reservation(self, reservation_id: int, **_: object) -> object:
        status = self._handler.cancel_reservation(reservation_id, self.defer)
        return call_result.CancelReservation(status=status)

    @on(Action.send_local_list)
    def on_send_local_list(
        self,
        list_version: int,
        update_type: str,
        local_authorization_list: list[dict[str, object]] | None = None,
        **_: object,
    ) -> object:
        status = self._handler.send_local_list(
            list_version, update_type, local_authorization_list or []
        )
        return call_result.SendLocalList(status=status)

    @on(Action.get_local_list_version)
    def on_get_local_list_version(self, **_: object) -> object:
        return call_result.GetLocalListVersion(list_version=self._handler.get_local_list_version())

    @on(Action.set_charging_profile)
    def on_set_charging_profile(
        self, connector_id: int, cs_charging_profiles: dict[str, object], **_: object
    ) -> object:
        status = self._handler.set_charging_profile(connector_id, cs_charging_profiles)
        return call_result.SetChargingProfile(status=status)

    @on(Action.clear_charging_profile)
    def on_clear_charging_profile(
        self,
        id: int | None = None,
        connector_id: int | None = None,
        charging_profile_purpose: str | None = None,
        stack_level: int | None = None,
        **_: object,
    ) -> object:
        status = self._handler.clear_charging_profile(
            id, connector_id, charging_profile_purpose, stack_level
        )
        return call_result.ClearChargingProfile(status=status)

    @on(Action.get_composite_schedule)
    def on_get_composite_schedule(
        self, connector_id: int, duration: int, charging_rate_unit: str | None = None, **_: object
    ) -> object:
        schedule = self._handler.get_composite_schedule(connector_id, duration, charging_rate_unit)
        if schedule is None:
            return call_result.GetCompositeSchedule(status="Rejected")
        return call_result.GetCompositeSchedule(
            status="Accepted",
            connector_id=connector_id,
            schedule_start=format_timestamp(schedule.start),
            charging_schedule=_schedule_fields(schedule),
        )


def _schedule_fields(schedule: CompositeSchedule) -> dict[str, object]:
    return {
        "duration": schedule.duration,
        "start_schedule": format_timestamp(schedule.start),
        "charging_rate_unit": schedule.rate_unit,
        "charging_schedule_period": [
            {"start_period": p.start_period, "limit": p.limit} for p in schedule.periods
        ],
    }
