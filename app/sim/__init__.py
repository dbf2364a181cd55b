"""Simulated OCPP 1.6J charge points that talk to the CSMS only over the wire.

`SimulatedCharger` is one station, driven step by step from tests or by random
drivers; `run_fleet` runs many of them for `chargedesk simulate`.
"""

from app.sim.behaviour import DriverSettings
from app.sim.charger import SimulatedCharger
from app.sim.connection import ChargerOffline, CsmsCallError
from app.sim.ev import Vehicle
from app.sim.fleet import FleetConfig, run_fleet
from app.sim.records import Acknowledged, ReceivedCall
from app.sim.station import ConnectorBusy, ConnectorStatus, SimulatorError, UnknownConnector
from app.sim.timeutil import Clock

__all__ = [
    "Acknowledged",
    "ChargerOffline",
    "Clock",
    "ConnectorBusy",
    "ConnectorStatus",
    "CsmsCallError",
    "DriverSettings",
    "FleetConfig",
    "ReceivedCall",
    "SimulatedCharger",
    "SimulatorError",
    "UnknownConnector",
    "Vehicle",
    "run_fleet",
]
