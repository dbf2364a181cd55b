"""Ordered outgoing messages, kept across disconnects when the protocol requires it.

OCPP 1.6 wants StartTransaction, StopTransaction and MeterValues delivered in
order even when the station was offline; everything else is only worth sending
while connected. A transaction started offline is known only by a negative
placeholder id until the CSMS answers its StartTransaction; later messages for
it are rewritten with the real id just before they are sent.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

QUEUED_OFFLINE = frozenset({"StartTransaction", "StopTransaction", "MeterValues"})


@dataclass
class OutgoingMessage:
    action: str
    payload: dict[str, object]
    """snake_case fields of the ocpp request dataclass."""
    created_at: datetime
    local_transaction_id: int | None = None
    """Placeholder id of the transaction this StartTransaction opens."""
    attempts: int = 0
    result: asyncio.Future[dict[str, object] | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def keep_offline(self) -> bool:
        return self.action in QUEUED_OFFLINE

    def settle(self, response: dict[str, object] | None) -> None:
        if not self.result.done():
            self.result.set_result(response)


def resolve_transaction_id(
    payload: Mapping[str, object], real_ids: Mapping[int, int]
) -> dict[str, object] | None:
    """The payload with a placeholder transaction id replaced by the real one.

    None when the placeholder's StartTransaction never got an id (it was refused),
    so the message cannot be delivered.
    """
    resolved = dict(payload)
    tx_id = resolved.get("transaction_id")
    if isinstance(tx_id, int) and tx_id < 0:
        if tx_id not in real_ids:
            return None
        resolved["transaction_id"] = real_ids[tx_id]
    return resolved


class Outbox:
    def __init__(self) -> None:
        self._messages: deque[OutgoingMessage] = deque()
        self._changed = asyncio.Event()
        self.real_ids: dict[int, int] = {}
        self.refused_ids: set[int] = set()

    def __len__(self) -> int:
        return len(self._messages)

    def messages(self) -> list[OutgoingMessage]:
        return list(self._messages)

    def put(self, message: OutgoingMessage, *, online: bool) -> None:
        """Queue a message; while offline only transaction messages are kept."""
        if not online and not message.keep_offline:
            message.settle(None)
            return
        self._messages.append(message)
        self._changed.set()

    def put_first(self, messages: list[OutgoingMessage]) -> None:
        self._messages.extendleft(reversed(messages))
        self._changed.set()

    async def head(self) -> OutgoingMessage:
        while not self._messages:
            self._changed.clear()
            await self._changed.wait()
        return self._messages[0]

    def done(self, message: OutgoingMessage, response: dict[str, object] | None) -> None:
        """Remove a delivered (or undeliverable) message from the front."""
        if self._messages and self._messages[0] is message:
            self._messages.popleft()
        if not self._messages:
            self._changed.set()
        message.settle(response)

    def record_transaction_id(self, local_id: int, transaction_id: int | None) -> None:
        if transaction_id is None:
            self.refused_ids.add(local_id)
        else:
            self.real_ids[local_id] = transaction_id

    def drop_transient(self) -> None:
        """Forget messages that only make sense on a live connection."""
        kept = [m for m in self._messages if m.keep_offline]
        for message in self._messages:
            if not message.keep_offline:
                message.settle(None)
        self._messages = deque(kept)

    def cancel_all(self) -> None:
        for message in self._messages:
            if not message.result.done():
                message.result.cancel()
        self._messages.clear()
        self._changed.set()

    async def wait_empty(self) -> None:
        while self._messages:
            self._changed.clear()
            await self._changed.wait()
