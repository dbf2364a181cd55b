"""A charger at the level of raw OCPP-J frames, for exact protocol tests.

Unlike the simulator it does nothing on its own: a test says every frame.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


class RawCharger:
    def __init__(self, websocket: ClientConnection) -> None:
        self.ws = websocket
        self._ids = itertools.count(1)
        self._answers: dict[str, asyncio.Future[list[Any]]] = {}
        self.incoming_calls: asyncio.Queue[list[Any]] = asyncio.Queue()
        self.unparsed: list[str] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def connect(
        cls,
        base_url: str,
        station_id: str,
        *,
        password: str | None = None,
        username: str | None = None,
        subprotocols: list[str] | None = None,
    ) -> RawCharger:
        headers = {}
        if password is not None:
            token = base64.b64encode(f"{username or station_id}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        protocols = ["ocpp1.6"] if subprotocols is None else subprotocols
        ws = await connect(
            f"{base_url}/{station_id}",
            subprotocols=protocols or None,  # type: ignore[arg-type]
            additional_headers=headers,
            open_timeout=5,
        )
        return cls(ws)

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for frame in self.ws:
                try:
                    msg = json.loads(frame)
                except ValueError:
                    self.unparsed.append(str(frame))
                    continue
                if isinstance(msg, list) and msg and msg[0] == 2:
                    await self.incoming_calls.put(msg)
                elif isinstance(msg, list) and len(msg) > 1 and msg[1] in self._answers:
                    self._answers.pop(msg[1]).set_result(msg)
                else:
                    self.unparsed.append(str(frame))

    async def send_raw(self, frame: str, unique_id: str | None = None) -> list[Any] | None:
        """Send any text; if unique_id is given, wait for the answer to it."""
        future: asyncio.Future[list[Any]] | None = None
        if unique_id is not None:
            future = asyncio.get_running_loop().create_future()
            self._answers[unique_id] = future
        await self.ws.send(frame)
        if future is None:
            return None
        async with asyncio.timeout(10):
            return await future

    async def call(self, action: str, payload: dict[str, Any]) -> list[Any]:
        """Send a CALL and return the whole answer frame ([3, id, {...}] or [4, id, …])."""
        unique_id = str(next(self._ids))
        answer = await self.send_raw(json.dumps([2, unique_id, action, payload]), unique_id)
        assert answer is not None
        return answer

    async def ok(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL that must succeed; return its payload."""
        answer = await self.call(action, payload)
        assert answer[0] == 3, f"{action} failed: {answer}"
        result: dict[str, Any] = answer[2]
        return result

    async def next_call(self, timeout: float = 10) -> list[Any]:
        async with asyncio.timeout(timeout):
            return await self.incoming_calls.get()

    async def reply(self, call: list[Any], payload: dict[str, Any]) -> None:
        await self.ws.send(json.dumps([3, call[1], payload]))

    async def reply_error(self, call: list[Any], code: str, description: str = "") -> None:
        await self.ws.send(json.dumps([4, call[1], code, description, {}]))

    async def boot(self) -> dict[str, Any]:
        return await self.ok(
            "BootNotification",
            {
                "chargePointVendor": "TestVendor",
                "chargePointModel": "TestModel",
                "firmwareVersion": "1.0.0",
            },
        )

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
