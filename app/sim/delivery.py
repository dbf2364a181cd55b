"""Delivering the outbox in order over one connection, with OCPP's retry rules."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from app.sim.configuration import Configuration
from app.sim.connection import ChargerOffline, CsmsCallError
from app.sim.outbox import Outbox, OutgoingMessage, resolve_transaction_id

LOGGER = logging.getLogger(__name__)

Send = Callable[[str, dict[str, object]], Awaitable[dict[str, object]]]
Delivered = Callable[[OutgoingMessage, "dict[str, object] | None"], None]


async def deliver_in_order(
    station_id: str,
    outbox: Outbox,
    send: Send,
    delivered: Delivered,
    configuration: Configuration,
) -> None:
    """Send the outbox head by head until the connection is lost.

    A CallError drops the message (resending would not help); a missing reply
    is retried TransactionMessageAttempts times for transaction messages.
    """
    while True:
        message = await outbox.head()
        payload = resolve_transaction_id(message.payload, outbox.real_ids)
        if payload is None:
            LOGGER.warning("%s: dropping %s of a refused transaction", station_id, message.action)
            outbox.done(message, None)
            continue
        try:
            response = await send(message.action, payload)
        except ChargerOffline:
            return
        except CsmsCallError as exc:
            LOGGER.warning("%s: CSMS refused %s: %s", station_id, message.action, exc)
            delivered(message, None)
            continue
        except TimeoutError:
            message.attempts += 1
            attempts = configuration.integer("TransactionMessageAttempts")
            if not message.keep_offline or message.attempts >= max(1, attempts):
                LOGGER.warning("%s: giving up on %s", station_id, message.action)
                delivered(message, None)
            else:
                retry = configuration.integer("TransactionMessageRetryInterval")
                await asyncio.sleep(retry * message.attempts)
            continue
        delivered(message, response)
