"""A bare OCPP 1.6 central system in the `ocpp` package's documented minimal pattern.

The baseline ChargeDesk is compared with: a `ocpp.v16.ChargePoint` subclass
whose `@on` handlers return call_result objects, served by
`websockets.asyncio.server.serve(..., subprotocols=["ocpp1.6"])`, as in the
package's tutorial `examples/tutorial/v16/csms.py`. Library defaults are left
as they are (`ocpp.messages.ASYNC_VALIDATION` stays True: every request and
every response is schema-validated in the default executor). It stores nothing.

The only departure from the example: logging at WARNING instead of INFO, since
the library logs every frame at INFO and printing 10,000 lines a second would
measure the terminal, not the server.

    python -m bench.bare_server --port 9100
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import signal
import sys
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as cp
from ocpp.v16 import call_result
from ocpp.v16.datatypes import IdTagInfo
from ocpp.v16.enums import Action, AuthorizationStatus, RegistrationStatus
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

log = logging.getLogger("bench.bare_server")

_transaction_ids = itertools.count(1)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class ChargePoint(cp):  # type: ignore[misc]
    @on(Action.boot_notification)  # type: ignore[untyped-decorator]
    def on_boot_notification(self, **kwargs: Any) -> Any:
        return call_result.BootNotification(
            current_time=_now(), interval=300, status=RegistrationStatus.accepted
        )

    @on(Action.heartbeat)  # type: ignore[untyped-decorator]
    def on_heartbeat(self, **kwargs: Any) -> Any:
        return call_result.Heartbeat(current_time=_now())

    @on(Action.status_notification)  # type: ignore[untyped-decorator]
    def on_status_notification(self, **kwargs: Any) -> Any:
        return call_result.StatusNotification()

    @on(Action.authorize)  # type: ignore[untyped-decorator]
    def on_authorize(self, id_tag: str, **kwargs: Any) -> Any:
        return call_result.Authorize(id_tag_info=IdTagInfo(status=AuthorizationStatus.accepted))

    @on(Action.start_transaction)  # type: ignore[untyped-decorator]
    def on_start_transaction(self, **kwargs: Any) -> Any:
        return call_result.StartTransaction(
            transaction_id=next(_transaction_ids),
            id_tag_info=IdTagInfo(status=AuthorizationStatus.accepted),
        )

    @on(Action.meter_values)  # type: ignore[untyped-decorator]
    def on_meter_values(self, **kwargs: Any) -> Any:
        return call_result.MeterValues()

    @on(Action.stop_transaction)  # type: ignore[untyped-decorator]
    def on_stop_transaction(self, **kwargs: Any) -> Any:
        return call_result.StopTransaction()


async def on_connect(connection: ServerConnection) -> None:
    assert connection.request is not None
    charge_point_id = connection.request.path.strip("/").rsplit("/", 1)[-1]
    charge_point = ChargePoint(charge_point_id, connection)
    try:
        await charge_point.start()
    except ConnectionClosed:
        log.debug("%s disconnected", charge_point_id)


async def run(host: str, port: int, max_seconds: float) -> None:
    async with serve(on_connect, host, port, subprotocols=["ocpp1.6"]) as server:  # type: ignore[list-item]
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, server.close)
        loop.add_signal_handler(signal.SIGTERM, server.close)
        # A benchmark process must end by itself even if nobody stops it.
        loop.call_later(max_seconds, server.close)
        log.warning("bare OCPP 1.6 server listening on ws://%s:%d/", host, port)
        await server.wait_closed()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args.host, args.port, args.max_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
