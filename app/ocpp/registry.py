"""Live connections by station id; the StationGateway the command service uses."""

from __future__ import annotations

import logging
from typing import Any

from app.domain import commands as c
from app.domain.errors import InvalidResponse, StationOffline
from app.ocpp.connection import StationConnection

log = logging.getLogger(__name__)


class ConnectionRegistry:
    def __init__(self) -> None:
        self._live: dict[str, StationConnection] = {}

    def __len__(self) -> int:
        return len(self._live)

    def get(self, station_id: str) -> StationConnection | None:
        return self._live.get(station_id)

    def add(self, connection: StationConnection) -> StationConnection | None:
        """Register; return the connection this one replaces, if any."""
        previous = self._live.get(connection.station_id)
        self._live[connection.station_id] = connection
        return previous

    def remove(self, connection: StationConnection) -> bool:
        """Unregister if still current (a replaced connection must not remove its successor)."""
        if self._live.get(connection.station_id) is connection:
            del self._live[connection.station_id]
            return True
        return False

    def all(self) -> list[StationConnection]:
        return list(self._live.values())

    # ---- StationGateway -----------------------------------------------------------

    def is_connected(self, station_id: str) -> bool:
        return station_id in self._live

    async def send(
        self, station_id: str, command: c.StationCommand, timeout: float
    ) -> tuple[c.CommandResult, dict[str, object], dict[str, object]]:
        connection = self._live.get(station_id)
        action = c.command_name(command)
        if connection is None:
            raise StationOffline(station_id, action)
        adapter = connection.adapter
        action, payload = adapter.encode(command)
        answer: dict[str, Any] = await connection.call(action, payload, timeout)
        try:
            result = adapter.decode(command, answer)
        except InvalidResponse as exc:
            raise InvalidResponse(station_id, action, str(exc).split(": ", 1)[-1]) from exc
        return result, payload, answer

    async def disconnect(self, station_id: str, reason: str) -> None:
        connection = self._live.get(station_id)
        if connection is not None:
            await connection.close(1001, reason[:120])
