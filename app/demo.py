"""The demo site: simulated chargers that a newcomer sees come alive."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace
from datetime import time

from app.domain.model import Admission, IdTag, IdTagStatus
from app.domain.tariffs import Tariff, TariffBand
from app.services.container import Services

log = logging.getLogger(__name__)

DEMO_TAGS = ("DEMO0001", "DEMO0002", "DEMO0003", "DEMO0004", "DEMO0005", "DEMO0006")
DEMO_DRIVERS = ("Anna Berg", "Bo Ek", "Cecilia Holm", "David Lind", "Erik Sand", "Fatima Nur")
DEMO_FLEET = "Demo vans"
# A depot price with an evening peak and an idle fee, so costs show from the start.
DEMO_TARIFF = Tariff(
    "Demo depot",
    energy_per_kwh_minor=345,
    idle_per_minute_minor=200,
    idle_grace_minutes=30,
    idle_cap_minor=30_000,
    bands=(
        TariffBand(
            "Evening peak", frozenset(range(5)), time(16), time(20), energy_per_kwh_minor=495
        ),
    ),
)
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
    await _demo_drivers(services)
    await _demo_tariff(services)


async def _demo_drivers(services: Services) -> None:
    """The demo cards belong to drivers of a demo fleet (unless someone already owns them)."""
    tags = [await services.tags.get(tag) for tag in DEMO_TAGS]
    if any(tag.driver_id is not None for tag in tags):
        return
    fleets = {f.name: f for f in await services.access.fleets()}
    fleet = fleets.get(DEMO_FLEET) or await services.access.create_fleet(DEMO_FLEET, "demo")
    for name, tag in zip(DEMO_DRIVERS, tags, strict=True):
        card = await services.access.create_driver(name, fleet_id=fleet.id, notes="demo")
        await services.tags.update(replace(tag, driver_id=card.driver.id))


async def _demo_tariff(services: Services) -> None:
    """A price everywhere, but only on a site that has no tariffs of its own yet."""
    if await services.tariffs.list(include_archived=True):
        return
    tariff = await services.tariffs.create(DEMO_TARIFF)
    await services.tariffs.assign(tariff.id)


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
