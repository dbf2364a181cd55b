"""The version-neutral face of a protocol adapter (one per OCPP version)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from app.domain import commands as c

AfterReply = Callable[[], Awaitable[None]]


class CallContext(Protocol):
    """What a handler knows about the connection a call came in on."""

    station_id: str

    def schedule(self, work: AfterReply) -> None:
        """Run work after the reply has been sent, as a tracked task."""
        ...


class ProtocolAdapter(Protocol):
    protocol: str
    version: str

    async def handle_call(
        self, ctx: CallContext, action: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """Answer a charger-initiated call; raise RpcError for a CALLERROR."""
        ...

    def encode(self, command: c.StationCommand) -> tuple[str, dict[str, Any]]:
        """Action and payload for a command, validated; raise InvalidInput."""
        ...

    def decode(self, command: c.StationCommand, payload: dict[str, Any]) -> c.CommandResult:
        """Result for an answer, validated; raise InvalidResponse."""
        ...
