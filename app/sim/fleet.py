"""Run many simulated stations against a CSMS: the `chargedesk simulate` entry point."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from app.sim.behaviour import DEFAULT_TAGS, DriverSettings
from app.sim.charger import SimulatedCharger

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class FleetConfig:
    url: str
    """Base websocket URL; each station connects to {url}/{station_id}."""
    stations: int = 1
    connectors: int = 2
    password: str | None = None
    station_prefix: str = "SIM-"
    heartbeat_interval: int | None = None
    """None: use the interval from the server's BootNotification reply."""
    meter_interval: int = 60
    seed: int = 0
    speed: float = 1.0
    """Behaviour speed factor: 60 makes an hour of driving and charging pass in a minute."""
    fault_probability: float = 0.02
    drop_probability: float = 0.01
    tags: tuple[str, ...] = DEFAULT_TAGS

    def __post_init__(self) -> None:
        if self.stations < 1 or self.connectors < 1:
            raise ValueError("need at least one station with at least one connector")
        if self.meter_interval < 0:
            raise ValueError("meter interval cannot be negative")
        if self.heartbeat_interval is not None and self.heartbeat_interval < 0:
            raise ValueError("heartbeat interval cannot be negative")
        self.driver_settings()  # validates speed, probabilities and tags

    def station_ids(self) -> list[str]:
        return [f"{self.station_prefix}{n:03d}" for n in range(1, self.stations + 1)]

    def driver_settings(self) -> DriverSettings:
        return DriverSettings(
            speed=self.speed,
            tags=self.tags,
            fault_probability=self.fault_probability,
            drop_probability=self.drop_probability,
        )


def build_fleet(config: FleetConfig) -> list[SimulatedCharger]:
    """The stations of a fleet, each with its own seeded random stream."""
    settings = config.driver_settings()
    return [
        SimulatedCharger(
            station_id,
            config.url,
            connectors=config.connectors,
            password=config.password,
            auto_behaviour=True,
            behaviour=settings,
            meter_interval=config.meter_interval,
            heartbeat_interval=config.heartbeat_interval,
            seed=config.seed * 100_003 + index,
            time_scale=config.speed,
            initial_meter_wh=float((config.seed * 7_919 + index * 104_729) % 5_000_000),
        )
        for index, station_id in enumerate(config.station_ids())
    ]


async def run_fleet(config: FleetConfig, stop: asyncio.Event) -> None:
    """Run the fleet until `stop` is set, then close every station cleanly."""
    chargers = build_fleet(config)
    LOGGER.info("simulating %d stations against %s", len(chargers), config.url)
    try:
        for charger in chargers:
            await charger.connect()
        await stop.wait()
    finally:
        await asyncio.gather(*(charger.close() for charger in chargers), return_exceptions=True)
