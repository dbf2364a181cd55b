"""Random (seeded) driver behaviour at one connector, and network trouble at a station."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.sim.station import ConnectorStatus, SimulatorError

if TYPE_CHECKING:
    from app.sim.charger import SimulatedCharger

LOGGER = logging.getLogger(__name__)
DEFAULT_TAGS = ("04A1B2C3D4", "04E5F6A7B8", "0499AABBCC", "04DDEEFF00", "0412345678")
FAULT_CODES = ("GroundFailure", "OverCurrentFailure", "HighTemperature", "PowerMeterFailure")
MIN_PAUSE_SECONDS = 0.05


@dataclass(frozen=True)
class DriverSettings:
    """How drivers behave. Durations are in simulated seconds; `speed` compresses them."""

    speed: float = 1.0
    tags: tuple[str, ...] = DEFAULT_TAGS
    mean_arrival_seconds: float = 1_800.0
    mean_stay_seconds: float = 5_400.0
    max_stay_seconds: float = 6 * 3_600.0
    fault_probability: float = 0.02
    fault_seconds: float = 300.0
    drop_probability: float = 0.01
    network_check_seconds: float = 600.0
    offline_seconds: float = 120.0

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        if not self.tags:
            raise ValueError("drivers need at least one RFID tag")
        for probability in (self.fault_probability, self.drop_probability):
            if not 0.0 <= probability <= 1.0:
                raise ValueError("probabilities must be between 0 and 1")


class DriverBehaviour:
    """Drivers arriving at one connector, charging, and leaving, forever (until cancelled)."""

    def __init__(
        self, charger: SimulatedCharger, connector_id: int, settings: DriverSettings
    ) -> None:
        self._charger = charger
        self._connector_id = connector_id
        self._settings = settings
        self._rng = charger.rng

    async def _pause(self, simulated_seconds: float) -> None:
        await asyncio.sleep(max(MIN_PAUSE_SECONDS, simulated_seconds / self._settings.speed))

    async def run(self) -> None:
        charger = self._charger
        while True:
            await self._pause(self._rng.expovariate(1.0 / self._settings.mean_arrival_seconds))
            try:
                await self._visit()
            except SimulatorError as exc:
                # The CSMS changed the connector under the driver's feet; try again later.
                LOGGER.info(
                    "%s/%s: driver gave up: %s", charger.station_id, self._connector_id, exc
                )

    async def _visit(self) -> None:
        charger, connector_id = self._charger, self._connector_id
        slot = charger.model.connector(connector_id)
        if slot.transaction is not None:
            await self._stay_and_leave()
            return
        if slot.status == ConnectorStatus.FINISHING:
            await charger.unplug(connector_id)
            return
        reservation = slot.reservation
        if slot.status not in (ConnectorStatus.AVAILABLE, ConnectorStatus.RESERVED):
            return
        if reservation is None and self._rng.random() < self._settings.fault_probability:
            await charger.set_fault(connector_id, self._rng.choice(FAULT_CODES))
            await self._pause(self._settings.fault_seconds)
            await charger.clear_fault(connector_id)
            return
        tag = reservation.id_tag if reservation else self._rng.choice(self._settings.tags)
        await charger.plug_in(connector_id)
        status = await charger.present_tag(connector_id, tag)
        if status != "Accepted":
            await self._pause(30.0)
            await charger.unplug(connector_id)
            return
        await charger.start_transaction(connector_id, tag)
        await self._stay_and_leave()

    async def _stay_and_leave(self) -> None:
        charger, connector_id = self._charger, self._connector_id
        settings = self._settings
        stay = min(
            settings.max_stay_seconds, self._rng.expovariate(1.0 / settings.mean_stay_seconds)
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + stay / settings.speed
        slot = charger.model.connector(connector_id)
        while slot.transaction is not None and loop.time() < deadline:
            await charger.state_changed.wait(deadline - loop.time())
        if charger.model.connector(connector_id).transaction is not None:
            if self._rng.random() < 0.5:
                await charger.stop_transaction(connector_id, "Local")
                await self._pause(60.0)
            await charger.unplug(connector_id)
        elif charger.model.connector(connector_id).vehicle is not None:
            await self._pause(60.0)
            await charger.unplug(connector_id)


async def network_trouble(charger: SimulatedCharger, settings: DriverSettings) -> None:
    """Now and then lose the connection, or stay offline for a while."""
    rng = charger.rng
    while True:
        await asyncio.sleep(max(MIN_PAUSE_SECONDS, settings.network_check_seconds / settings.speed))
        if rng.random() >= settings.drop_probability:
            continue
        if rng.random() < 0.5:
            LOGGER.info("%s: simulated connection drop", charger.station_id)
            await charger.drop_connection()
        else:
            LOGGER.info("%s: simulated outage", charger.station_id)
            await charger.go_offline()
            await asyncio.sleep(max(MIN_PAUSE_SECONDS, settings.offline_seconds / settings.speed))
            await charger.come_back_online()
