"""Meter readings and their OCPP MeterValue form (snake_case dicts for the ocpp library)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.sim.ev import current_per_phase
from app.sim.timeutil import format_timestamp

PERIODIC = "Sample.Periodic"
TRIGGER = "Trigger"
TRANSACTION_BEGIN = "Transaction.Begin"
TRANSACTION_END = "Transaction.End"
_PHASE_NAMES = ("L1", "L2", "L3")


@dataclass(frozen=True)
class MeterReading:
    timestamp: datetime
    energy_wh: float
    power_w: float
    phases: int
    soc_percent: float | None

    @property
    def energy_register_wh(self) -> int:
        return int(self.energy_wh)


def sampled_values(
    reading: MeterReading, measurands: Sequence[str], context: str
) -> list[dict[str, object]]:
    values: list[dict[str, object]] = []
    for measurand in measurands:
        if measurand == "Energy.Active.Import.Register":
            values.append(
                {
                    "value": str(reading.energy_register_wh),
                    "context": context,
                    "measurand": measurand,
                    "location": "Outlet",
                    "unit": "Wh",
                }
            )
        elif measurand == "Power.Active.Import":
            values.append(
                {
                    "value": f"{reading.power_w:.1f}",
                    "context": context,
                    "measurand": measurand,
                    "location": "Outlet",
                    "unit": "W",
                }
            )
        elif measurand == "Current.Import":
            amps = current_per_phase(reading.power_w, reading.phases)
            values.extend(
                {
                    "value": f"{amps:.1f}",
                    "context": context,
                    "measurand": measurand,
                    "phase": phase,
                    "location": "Outlet",
                    "unit": "A",
                }
                for phase in _PHASE_NAMES[: reading.phases]
            )
        elif measurand == "SoC" and reading.soc_percent is not None:
            values.append(
                {
                    "value": str(round(reading.soc_percent)),
                    "context": context,
                    "measurand": measurand,
                    "location": "EV",
                    "unit": "Percent",
                }
            )
    return values


def meter_value(
    reading: MeterReading, measurands: Sequence[str], context: str
) -> dict[str, object]:
    """One MeterValue element: all samples taken at the same moment."""
    return {
        "timestamp": format_timestamp(reading.timestamp),
        "sampled_value": sampled_values(reading, measurands, context),
    }


def parse_measurands(config_value: str) -> list[str]:
    return [item.strip() for item in config_value.split(",") if item.strip()]
