"""The demo site: simulated chargers that a newcomer sees come alive."""

from __future__ import annotations

import asyncio
import logging
import threading

from app.domain.model import Admission, IdTag, IdTagStatus
from app.services.container import Services

log = logging.getLogger(__name__)

DEMO_TAGS = ("DEMO0001", "DEMO0002", "DEMO0003", "DEMO0004", "DEMO0005", "DEMO0006")
DEMO_PREFIX = "SIM-"
DEMO_SPEED = 60.0
DEMO_METER_INTERVAL = 10


def demo_station_ids(count: int) -> list[str]:
    return [f"{DEMO_PREFIX}{n:03d}" for n in range(1, count + 1)]


async def prepare_demo(services: Services, count: int) -> None:
    """Make the demo stations known and Accepted, and give drivers cards that work."""
    existing = {s.id for s in await services.stations.all()}
    for station_id in demo_station_ids(count):
        if station_id not in existing:
            await services.stations.add(station_id)
        else:
            await services.stations.set_admission(station_id, Admission.ACCEPTED)
    for tag in DEMO_TAGS:
        await services.authorization.add_tag(IdTag(tag, IdTagStatus.ACCEPTED, note="demo"))


async def run_demo_fleet(url: str, count: int, connectors: int, stop: asyncio.Event) -> None:
    from app.sim.fleet import FleetConfig, run_fleet

    # An hour of depot life per minute, so a newcomer sees sessions within seconds.
    config = FleetConfig(
        url=url,
        stations=count,
        connectors=connectors,
        tags=DEMO_TAGS,
        speed=DEMO_SPEED,
        meter_interval=DEMO_METER_INTERVAL,
        seed=7,
    )
    await run_fleet(config, stop)


class DemoFleetThread:
    """The simulated fleet on a thread and loop of its own, like chargers on the network."""

    def __init__(self, url: str, count: int, connectors: int = 2) -> None:
        self.url = url
        self.count = count
        self.connectors = connectors
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._ready.clear()
        self._thread = threading.Thread(target=self._main, name="chargedesk-demo-fleet")
        self._thread.start()
        self._ready.wait(10)

    def _main(self) -> None:
        async def body() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            try:
                await run_demo_fleet(self.url, self.count, self.connectors, self._stop)
            except Exception:
                log.exception("the demo fleet stopped with an error")

        asyncio.run(body())

    def stop(self, timeout: float = 15.0) -> None:
        if self._loop is not None and self._stop is not None and self.running:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
