"""Attacks on the handshake: a flood of sockets from one address, and slow-loris clients.

Used by bench/hostile_frames.py against a server whose per-address limit and
handshake timeout apply to 127.0.0.1 (CHARGEDESK_OCPP_CONNECTION_LIMIT_EXEMPT empty).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> float | None:
    """Seconds until the server closed the socket, or None if it stayed open that long."""
    began = time.monotonic()
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(1024):
                pass
    except TimeoutError:
        return None
    except ConnectionError:
        pass
    return time.monotonic() - began


async def flood(host: str, port: int, sockets: int) -> dict[str, Any]:
    """Open `sockets` TCP connections at once and hold them; count those cut off at once."""
    opened = await asyncio.gather(
        *(asyncio.open_connection(host, port) for _ in range(sockets)), return_exceptions=True
    )
    pairs = [p for p in opened if isinstance(p, tuple)]
    closed = await asyncio.gather(*(_closed_within(r, 2.0) for r, _ in pairs))
    for _, writer in pairs:
        writer.close()
    return {
        "opened": sockets,
        "refused_at_connect": sockets - len(pairs),
        "cut_off_within_2s": sum(1 for c in closed if c is not None),
    }


async def slow_loris(host: str, port: int, clients: int, give_up: float) -> dict[str, Any]:
    """Clients that dribble an upgrade request, a byte every 0.5 s; time until each is cut."""

    async def one(n: int) -> float | None:
        reader, writer = await asyncio.open_connection(host, port)
        request = f"GET /ocpp/LORIS-{n} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"

        async def dribble() -> None:
            for ch in request * 10:
                writer.write(ch.encode())
                await writer.drain()
                await asyncio.sleep(0.5)

        sender = asyncio.create_task(dribble())
        try:
            return await _closed_within(reader, give_up)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await sender
            writer.close()

    times = await asyncio.gather(*(one(n) for n in range(clients)))
    cut = [t for t in times if t is not None]
    return {
        "clients": clients,
        "cut_off": len(cut),
        "max_seconds_to_cut": max(cut, default=0.0),
    }


async def handshake_attacks(host: str, port: int, limit: int, slow_clients: int) -> dict[str, Any]:
    flooded = await flood(host, port, limit + 100)
    # Let the held flood sockets' slots go (closed above) before the slow clients come.
    await asyncio.sleep(0.5)
    loris = await slow_loris(host, port, slow_clients, give_up=30.0)
    ok = flooded["cut_off_within_2s"] + flooded["refused_at_connect"] >= 100 and (
        loris["cut_off"] == slow_clients
    )
    return {"flood": flooded, "slow_loris": loris, "ok": ok}
