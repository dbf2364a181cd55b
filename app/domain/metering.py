"""Normalising sampled values to base units (Wh, W, varh, var, A, V, %, Celsius, Hz)."""

from __future__ import annotations

_SCALE = {
    "kWh": ("Wh", 1000.0),
    "kW": ("W", 1000.0),
    "kvarh": ("varh", 1000.0),
    "kvar": ("var", 1000.0),
    "kVA": ("VA", 1000.0),
    "K": ("Celsius", 1.0),
}

DEFAULT_MEASURAND = "Energy.Active.Import.Register"
ENERGY_REGISTER = DEFAULT_MEASURAND


def default_unit(measurand: str) -> str:
    if measurand.startswith("Energy.Reactive"):
        return "varh"
    if measurand.startswith("Energy"):
        return "Wh"
    if measurand.startswith("Power.Reactive"):
        return "var"
    if measurand.startswith("Power.Factor"):
        return ""
    if measurand.startswith("Power"):
        return "W"
    if measurand.startswith("Current"):
        return "A"
    if measurand == "Voltage":
        return "V"
    if measurand == "SoC":
        return "Percent"
    if measurand == "Temperature":
        return "Celsius"
    if measurand == "Frequency":
        return ""
    if measurand == "RPM":
        return ""
    return ""


def normalise(value: float, unit: str | None, measurand: str) -> tuple[float, str]:
    """Convert to the base unit; Kelvin becomes Celsius."""
    unit = unit or default_unit(measurand)
    if unit == "K":
        return value - 273.15, "Celsius"
    target = _SCALE.get(unit)
    if target is None:
        return value, unit
    base, factor = target
    return value * factor, base
