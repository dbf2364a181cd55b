"""Electric vehicle battery model: how much power a car accepts and how its charge grows.

Pure arithmetic, no I/O. The curve is the usual CC/CV shape: the car takes its
full power until the taper point (about 80 % state of charge), then the power
falls linearly towards a small trickle as the battery fills.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

NOMINAL_VOLTAGE = 230.0
TAPER_START_SOC = 0.8
TRICKLE_FRACTION = 0.05
FULL_SOC = 1.0 - 1e-9
MAX_INTEGRATION_STEPS = 2_000
INTEGRATION_STEP_SECONDS = 5.0

# (on-board charger power in W, phases) of common cars.
_ON_BOARD_CHARGERS: tuple[tuple[float, int], ...] = (
    (3_700.0, 1),
    (7_400.0, 1),
    (11_000.0, 3),
    (22_000.0, 3),
)


@dataclass(frozen=True)
class Vehicle:
    """A car's charging characteristics."""

    battery_wh: float
    max_ac_w: float
    max_dc_w: float
    phases: int = 3
    taper_start_soc: float = TAPER_START_SOC

    def __post_init__(self) -> None:
        if self.battery_wh <= 0 or self.max_ac_w <= 0 or self.max_dc_w <= 0:
            raise ValueError("battery size and power limits must be positive")
        if self.phases not in (1, 3):
            raise ValueError("a car charges on one or three phases")
        if not 0 < self.taper_start_soc < 1:
            raise ValueError("taper start must be a fraction between 0 and 1")

    def acceptance_w(self, soc: float, *, dc: bool = False) -> float:
        """Power the car accepts at the given state of charge (0..1)."""
        peak = self.max_dc_w if dc else self.max_ac_w
        if soc >= 1.0:
            return 0.0
        if soc <= self.taper_start_soc:
            return peak
        remaining = (1.0 - soc) / (1.0 - self.taper_start_soc)
        return peak * max(TRICKLE_FRACTION, remaining)


@dataclass(frozen=True)
class ChargeStep:
    """Result of charging a car for a while."""

    soc: float
    energy_wh: float
    average_power_w: float


def charge(
    vehicle: Vehicle, soc: float, seconds: float, limit_w: float, *, dc: bool = False
) -> ChargeStep:
    """Charge `vehicle` from `soc` for `seconds` with the station allowing at most `limit_w`."""
    if seconds <= 0 or limit_w <= 0 or soc >= 1.0:
        return ChargeStep(soc=min(soc, 1.0), energy_wh=0.0, average_power_w=0.0)
    steps = min(MAX_INTEGRATION_STEPS, max(1, math.ceil(seconds / INTEGRATION_STEP_SECONDS)))
    step_seconds = seconds / steps
    energy_wh = 0.0
    for _ in range(steps):
        power_w = min(vehicle.acceptance_w(soc, dc=dc), limit_w)
        step_wh = min(power_w * step_seconds / 3600.0, (1.0 - soc) * vehicle.battery_wh)
        if step_wh <= 0:
            break
        energy_wh += step_wh
        soc = min(1.0, soc + step_wh / vehicle.battery_wh)
    if is_full(soc):
        soc = 1.0
    return ChargeStep(soc=soc, energy_wh=energy_wh, average_power_w=energy_wh * 3600.0 / seconds)


def is_full(soc: float) -> bool:
    return soc >= FULL_SOC


def current_per_phase(power_w: float, phases: int, voltage: float = NOMINAL_VOLTAGE) -> float:
    """Current on each phase for a balanced load."""
    return power_w / (voltage * phases)


def watts_from_amps(amps: float, phases: int, voltage: float = NOMINAL_VOLTAGE) -> float:
    return amps * voltage * phases


def random_vehicle(rng: random.Random) -> Vehicle:
    """A car with realistic, randomised battery size and power limits."""
    max_ac_w, phases = rng.choice(_ON_BOARD_CHARGERS)
    return Vehicle(
        battery_wh=round(rng.uniform(20_000.0, 100_000.0), -2),
        max_ac_w=max_ac_w,
        max_dc_w=round(rng.uniform(50_000.0, 250_000.0), -3),
        phases=phases,
    )


def random_start_soc(rng: random.Random) -> float:
    """Cars usually arrive with between 5 % and 70 % charge."""
    return round(rng.uniform(0.05, 0.7), 3)
