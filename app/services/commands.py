"""Operations sent to stations: one entry point, one log, named outcomes."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime
from typing import TypeVar

from app.domain import commands as c
from app.domain import credentials
from app.domain.authorization import normalise_id_tag
from app.domain.errors import (
    CallErrorReceived,
    CommandError,
    CommandRejected,
    CommandTimeout,
    InvalidInput,
    NotSupportedByStation,
    StationNotAccepted,
    StationNotFound,
    StationOffline,
)
from app.domain.events import CommandCompleted
from app.domain.model import (
    Admission,
    CommandRecord,
    ConfigurationKey,
    Reservation,
    ReservationState,
    Station,
)
from app.domain.operators import Role
from app.domain.ports import (
    Clock,
    CommandLog,
    StationGateway,
    StationRepository,
    TagRepository,
)
from app.domain.validation import (
    AUTHORIZATION_KEY,
    check_against_configuration,
    check_command,
)
from app.services.acting import authorise, settle
from app.services.events import EventBus

log = logging.getLogger(__name__)

R = TypeVar("R")

REDACTED = "********"
# Commands checked against the station's configuration and running transactions.
_STATION_CHECKED = (
    c.SetChargingProfile,
    c.RemoteStartTransaction,
    c.SendLocalList,
    c.ReserveNow,
)
# Answers that mean the station does not have the feature at all (TriggerMessage
# answers NotImplemented, most others NotSupported).
_UNSUPPORTED = frozenset({"NotSupported", "NotImplemented"})


def _redact_response(response: dict[str, object] | None) -> dict[str, object] | None:
    """A GetConfiguration answer may (against the whitepaper) reveal the AuthorizationKey."""
    keys = response.get("configurationKey") if response else None
    if response is None or not isinstance(keys, list):
        return response
    cleaned = [
        {**k, "value": REDACTED}
        if isinstance(k, dict) and k.get("key") == AUTHORIZATION_KEY and "value" in k
        else k
        for k in keys
    ]
    return {**response, "configurationKey": cleaned}


def _describe(command: c.StationCommand) -> dict[str, object]:
    """A JSON-safe summary of the request for the command log (secrets left out)."""

    def clean(value: object) -> object:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, datetime):
            return value.isoformat()
        return value

    raw: dict[str, object] = (
        dataclasses.asdict(command) if dataclasses.is_dataclass(command) else {}
    )
    cleaned = clean(raw)
    assert isinstance(cleaned, dict)
    if isinstance(command, c.ChangeConfiguration) and command.key == AUTHORIZATION_KEY:
        cleaned["value"] = REDACTED
    return cleaned


# What an attendant at the desk may send; every other command needs an operator.
_ATTENDANT_COMMANDS = (c.RemoteStartTransaction, c.RemoteStopTransaction, c.UnlockConnector)


def role_for(command: c.StationCommand) -> Role:
    """The least role that may send `command`."""
    return Role.ATTENDANT if isinstance(command, _ATTENDANT_COMMANDS) else Role.OPERATOR


class CommandService:
    def __init__(
        self,
        gateway: StationGateway,
        stations: StationRepository,
        command_log: CommandLog,
        bus: EventBus,
        clock: Clock,
        *,
        timeout: float,
        tags: TagRepository | None = None,
    ) -> None:
        self._gateway = gateway
        # To name a reserved tag's group in ReserveNow (TC_053); optional so a
        # composition without it still works, only without that convenience.
        self._tags = tags
        self._stations = stations
        self._log = command_log
        self._bus = bus
        self._clock = clock
        self.timeout = timeout

    async def history(
        self, *, station_id: str | None = None, limit: int = 200
    ) -> list[CommandRecord]:
        """The command log, newest first: what was sent, by whom, and how it ended."""
        if not 1 <= limit <= 1000:
            raise InvalidInput("a page holds 1 to 1,000 commands")
        return await self._log.recent(station_id=station_id, limit=limit)

    async def send(
        self,
        station_id: str,
        command: c.StationCommand,
        *,
        requested_by: str = "operator",
        timeout: float | None = None,
    ) -> c.CommandResult:
        """Send one operation; return its result or raise a named CommandError.

        The acting operator's role must cover the command (attendants: start, stop,
        unlock; operators: everything), and the attempt is audited either way."""
        action = c.command_name(command)
        acting = await authorise(role_for(command), f"command.{action}", station_id)
        if requested_by == "operator":
            requested_by = acting.actor.name
        try:
            result = await self._send(station_id, command, action, requested_by, timeout)
        except Exception as exc:
            await settle(acting, f"command.{action}", station_id, exc)
            raise
        await settle(acting, f"command.{action}", station_id)
        return result

    async def _send(
        self,
        station_id: str,
        command: c.StationCommand,
        action: str,
        requested_by: str,
        timeout: float | None,
    ) -> c.CommandResult:
        check_command(command)
        station = await self._stations.get(station_id)
        if station is None:
            raise StationNotFound(station_id)
        if not self._gateway.is_connected(station_id):
            await self._record_refusal(station_id, action, requested_by, command, "offline")
            raise StationOffline(station_id, action)
        if station.admission is not Admission.ACCEPTED and not (
            station.admission is Admission.PENDING and command.allowed_while_pending
        ):
            await self._record_refusal(station_id, action, requested_by, command, "refused")
            raise StationNotAccepted(station_id, action, station.admission.value)
        command = await self._prepare(station, command)
        command_id = await self._log.begin(
            station_id, action, requested_by, _describe(command), self._clock()
        )
        wait = self.timeout if timeout is None else timeout
        try:
            result, _request, response = await self._gateway.send(station_id, command, wait)
            status = getattr(result, "status", "Accepted")
            if status not in type(command).success:
                if status in _UNSUPPORTED:
                    raise NotSupportedByStation(station_id, action, status, result)
                raise CommandRejected(station_id, action, status, result)
        except InvalidInput as exc:
            await self._finish(command_id, station_id, action, "invalid", None, str(exc))
            raise
        except TimeoutError as exc:
            await self._finish(command_id, station_id, action, "timeout", None, str(exc))
            raise CommandTimeout(station_id, action, wait) from exc
        except CommandRejected as exc:
            await self._finish(command_id, station_id, action, "rejected", response, str(exc))
            await self._apply_refusal(station_id, command, exc.status)
            raise
        except CallErrorReceived as exc:
            await self._finish(
                command_id,
                station_id,
                action,
                "callerror",
                {"code": exc.code, "description": exc.description},
                str(exc),
            )
            raise
        except StationOffline as exc:
            await self._finish(command_id, station_id, action, "offline", None, str(exc))
            raise
        except CommandError as exc:
            await self._finish(command_id, station_id, action, "error", None, str(exc))
            raise
        await self._finish(command_id, station_id, action, "accepted", response, None)
        await self._apply(station_id, command, result)
        return result

    async def _prepare(self, station: Station, command: c.StationCommand) -> c.StationCommand:
        """Checks that need what we know of the station; fill in what the protocol wants.

        Raises InvalidInput before anything is logged or sent.
        """
        if not isinstance(command, _STATION_CHECKED):
            return command
        configuration = {
            k.key: k.value for k in await self._stations.configuration(station.id) if k.value
        }
        running = await self._stations.running_transactions(station.id)
        check_against_configuration(command, configuration, station.local_list_version, running)
        if isinstance(command, c.ReserveNow):
            if command.expiry_date <= self._clock():
                raise InvalidInput("a reservation's expiry time must be in the future")
            existing = await self._stations.reservation(command.reservation_id)
            if existing is not None and not (
                existing.station_id == station.id and existing.state is ReservationState.ACTIVE
            ):
                raise InvalidInput(
                    f"reservation id {command.reservation_id} was already used; choose a new one"
                )
            if command.parent_id_tag is None and self._tags is not None:
                tag = await self._tags.get(normalise_id_tag(command.id_tag))
                if tag is not None and tag.parent_id_tag:
                    command = dataclasses.replace(command, parent_id_tag=tag.parent_id_tag)
        return command

    async def _apply(
        self, station_id: str, command: c.StationCommand, result: c.CommandResult
    ) -> None:
        """Keep what the answer tells us about the station."""
        now = self._clock()
        if isinstance(result, c.ConfigurationResult):
            keys = [
                ConfigurationKey(e.key, None if e.key == AUTHORIZATION_KEY else e.value, e.readonly)
                for e in result.configuration_key
            ]
            await self._stations.store_configuration(station_id, keys, now)
        elif isinstance(command, c.ChangeConfiguration) and command.key == AUTHORIZATION_KEY:
            # The station now expects this password: only its hash is kept (X16-20).
            pw_hash = await asyncio.to_thread(credentials.hash_password, command.value)
            await self._stations.set_password_hash(station_id, pw_hash)
            await self._stations.store_configuration(
                station_id, [ConfigurationKey(command.key, None, False)], now
            )
        elif isinstance(command, c.ChangeConfiguration):
            await self._stations.store_configuration(
                station_id, [ConfigurationKey(command.key, command.value, False)], now
            )
        elif isinstance(command, c.ReserveNow):
            await self._stations.save_reservation(
                Reservation(
                    id=command.reservation_id,
                    station_id=station_id,
                    connector_id=command.connector_id,
                    id_tag=normalise_id_tag(command.id_tag),
                    expiry_date=command.expiry_date,
                    state=ReservationState.ACTIVE,
                    parent_id_tag=command.parent_id_tag,
                    created_at=now,
                )
            )
        elif isinstance(command, c.CancelReservation):
            await self._stations.end_reservations(
                station_id, ReservationState.CANCELLED, now, reservation_id=command.reservation_id
            )
        elif isinstance(command, c.SendLocalList):
            await self._stations.set_local_list_version(station_id, command.list_version)
        elif isinstance(result, c.LocalListVersionResult):
            await self._stations.set_local_list_version(station_id, result.list_version)

    async def _apply_refusal(self, station_id: str, command: c.StationCommand, status: str) -> None:
        """Keep what a refusal tells us about the station."""
        if isinstance(command, c.CancelReservation) and status == "Rejected":
            # Rejected = the station has no such reservation (any more): it is not
            # holding the connector, whatever we thought (TC_052).
            await self._stations.end_reservations(
                station_id,
                ReservationState.ENDED,
                self._clock(),
                reservation_id=command.reservation_id,
            )

    async def _finish(
        self,
        command_id: int,
        station_id: str,
        action: str,
        outcome: str,
        response: dict[str, object] | None,
        error: str | None,
    ) -> None:
        now = self._clock()
        await self._log.finish(command_id, outcome, _redact_response(response), error, now)
        self._bus.publish(CommandCompleted(now, station_id, command_id, action, outcome))

    async def _record_refusal(
        self,
        station_id: str,
        action: str,
        requested_by: str,
        command: c.StationCommand,
        outcome: str,
    ) -> None:
        now = self._clock()
        command_id = await self._log.begin(
            station_id, action, requested_by, _describe(command), now
        )
        await self._finish(command_id, station_id, action, outcome, None, f"station {outcome}")
