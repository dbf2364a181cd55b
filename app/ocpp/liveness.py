"""A server connection that remembers when the peer last sent any frame.

OCPP 1.6 §4.6 counts every message as proof of life, and websocket pings and
pongs too: a charger that skips heartbeats but answers (or sends) pings is
online. websockets answers pings itself, so we note the time of every frame
here, below the OCPP layer.
"""

from __future__ import annotations

import time

from websockets.asyncio.server import ServerConnection
from websockets.frames import Frame
from websockets.protocol import Event


class LivenessConnection(ServerConnection):
    last_frame_at: float = 0.0

    def process_event(self, event: Event) -> None:
        if isinstance(event, Frame):
            self.last_frame_at = time.monotonic()
        super().process_event(event)


def seconds_since_last_frame(connection: ServerConnection) -> float | None:
    last = getattr(connection, "last_frame_at", 0.0)
    return time.monotonic() - last if last else None
