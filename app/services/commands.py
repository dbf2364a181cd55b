"""Operations sent to stations: one entry point, one log, named outcomes."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import TypeVar

from app.domain import commands as c
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
from app.domain.model import Admission, ConfigurationKey
from app.domain.ports import Clock, CommandLog, StationGateway, StationRepository
from app.domain.validation import check_command
from app.services.events import EventBus

log = logging.getLogger(__name__)

R = TypeVar("R")


def _describe(command: c.StationCommand) -> dict[str, object]:
    """A JSON-safe summary of the request for the command log."""

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
    return cleaned


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
    ) -> None:
        self._gateway = gateway
        self._stations = stations
        self._log = command_log
        self._bus = bus
        self._clock = clock
        self.timeout = timeout

    async def send(
        self,
        station_id: str,
        command: c.StationCommand,
        *,
        requested_by: str = "operator",
        timeout: float | None = None,
    ) -> c.CommandResult:
        """Send one operation; return its result or raise a named CommandError."""
        action = c.command_name(command)
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
        command_id = await self._log.begin(
            station_id, action, requested_by, _describe(command), self._clock()
        )
        wait = self.timeout if timeout is None else timeout
        try:
            result, _request, response = await self._gateway.send(station_id, command, wait)
            status = getattr(result, "status", "Accepted")
            if status not in type(command).success:
                if status == "NotSupported":
                    raise NotSupportedByStation(station_id, action, status)
                raise CommandRejected(station_id, action, status)
        except InvalidInput as exc:
            await self._finish(command_id, station_id, action, "invalid", None, str(exc))
            raise
        except TimeoutError as exc:
            await self._finish(command_id, station_id, action, "timeout", None, str(exc))
            raise CommandTimeout(station_id, action, wait) from exc
        except CommandRejected as exc:
            await self._finish(command_id, station_id, action, "rejected", response, str(exc))
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

    async def _apply(
        self, station_id: str, command: c.StationCommand, result: c.CommandResult
    ) -> None:
        """Keep what the answer tells us about the station."""
        now = self._clock()
        if isinstance(result, c.ConfigurationResult):
            keys = [ConfigurationKey(e.key, e.value, e.readonly) for e in result.configuration_key]
            await self._stations.store_configuration(station_id, keys, now)
        elif isinstance(command, c.ChangeConfiguration):
            await self._stations.store_configuration(
                station_id, [ConfigurationKey(command.key, command.value, False)], now
            )
        elif isinstance(command, c.SendLocalList):
            await self._stations.set_local_list_version(station_id, command.list_version)
        elif isinstance(result, c.LocalListVersionResult):
            await self._stations.set_local_list_version(station_id, result.list_version)

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
        await self._log.finish(command_id, outcome, response, error, now)
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
