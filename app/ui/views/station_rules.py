"""Which station controls make sense right now, and if not, why (the tooltip)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from app.domain.model import Admission, ConnectorStatus
from app.domain.overview import ConnectorRow


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationRules", text)


class Control(StrEnum):
    REMOTE_START = "remote_start"
    REMOTE_STOP = "remote_stop"
    UNLOCK = "unlock"
    CONNECTOR_AVAILABLE = "connector_available"
    CONNECTOR_UNAVAILABLE = "connector_unavailable"
    SOFT_RESET = "soft_reset"
    HARD_RESET = "hard_reset"
    STATION_AVAILABLE = "station_available"
    STATION_UNAVAILABLE = "station_unavailable"
    TRIGGER = "trigger_message"
    SET_LIMIT = "set_power_limit"
    CLEAR_LIMIT = "clear_power_limit"
    DIAGNOSTICS = "get_diagnostics"
    FIRMWARE = "update_firmware"
    READ_CONFIGURATION = "read_configuration"
    EDIT_CONFIGURATION = "change_configuration"
    PASSWORD = "station_password"


CONNECTOR_CONTROLS = (
    Control.REMOTE_START,
    Control.REMOTE_STOP,
    Control.UNLOCK,
    Control.CONNECTOR_AVAILABLE,
    Control.CONNECTOR_UNAVAILABLE,
)
STATION_CONTROLS = (
    Control.SOFT_RESET,
    Control.HARD_RESET,
    Control.STATION_AVAILABLE,
    Control.STATION_UNAVAILABLE,
    Control.TRIGGER,
    Control.SET_LIMIT,
    Control.CLEAR_LIMIT,
    Control.DIAGNOSTICS,
    Control.FIRMWARE,
    Control.PASSWORD,
)
# What a station waiting for approval may receive (OCPP 1.6 §4.2 allows little else).
ALLOWED_WHILE_PENDING = frozenset({Control.READ_CONFIGURATION, Control.EDIT_CONFIGURATION})
# A remote start needs a connector that could take a car.
_NOT_STARTABLE = frozenset(
    {ConnectorStatus.FAULTED, ConnectorStatus.UNAVAILABLE, ConnectorStatus.FINISHING}
)


@dataclass(frozen=True, slots=True)
class Situation:
    """What the controls depend on: the station's rows in the overview and the selection."""

    rows: tuple[ConnectorRow, ...]
    selected: int | None = None

    @property
    def known(self) -> bool:
        return bool(self.rows)

    @property
    def connected(self) -> bool:
        return any(r.connected for r in self.rows)

    @property
    def admission(self) -> Admission:
        return self.rows[0].admission if self.rows else Admission.ACCEPTED

    @property
    def connectors(self) -> list[ConnectorRow]:
        return [r for r in self.rows if r.connector_id > 0]

    @property
    def station_row(self) -> ConnectorRow | None:
        return next((r for r in self.rows if r.connector_id == 0), None)

    @property
    def firmware(self) -> str | None:
        return next((r.firmware for r in self.rows if r.firmware), None)

    def connector(self, connector_id: int | None) -> ConnectorRow | None:
        return next((r for r in self.connectors if r.connector_id == connector_id), None)

    def startable(self) -> list[int]:
        return [
            r.connector_id
            for r in self.connectors
            if r.transaction_id is None and r.status not in _NOT_STARTABLE
        ]


def blocked(situation: Situation) -> dict[Control, str | None]:
    """For every control: None when it can be used, else why not (plain words)."""
    reasons = _blocked(situation)
    # A password can be issued to a station offline (typed in at the charger) and
    # rotated over OCPP while it is connected: the dialog offers what works.
    if situation.known:
        reasons[Control.PASSWORD] = None
    return reasons


def _blocked(situation: Situation) -> dict[Control, str | None]:
    reasons: dict[Control, str | None] = dict.fromkeys(Control)
    whole: str | None = None
    if not situation.known:
        whole = _tr("This station is not known to the central system.")
    elif not situation.connected:
        whole = _tr("The station is offline. Stored data is shown; actions need a connection.")
    elif situation.admission is Admission.REJECTED:
        whole = _tr("The station is rejected. Accept it under Pending stations to control it.")
    if whole is not None:
        return dict.fromkeys(Control, whole)
    if situation.admission is Admission.PENDING:
        waiting = _tr(
            "The station is waiting for approval: only its configuration can be read or "
            "changed until it is accepted."
        )
        for control in Control:
            if control not in ALLOWED_WHILE_PENDING:
                reasons[control] = waiting
        return reasons

    selected = situation.connector(situation.selected)
    if selected is None:
        for control in CONNECTOR_CONTROLS:
            reasons[control] = _tr("Select a connector in the table first.")
    else:
        n = selected.connector_id
        if selected.transaction_id is None:
            reasons[Control.REMOTE_STOP] = _tr("No session is running on connector {n}.").format(
                n=n
            )
        if selected.status is ConnectorStatus.UNAVAILABLE:
            reasons[Control.CONNECTOR_UNAVAILABLE] = _tr(
                "Connector {n} is already unavailable."
            ).format(n=n)
        elif selected.status is not ConnectorStatus.UNKNOWN:
            reasons[Control.CONNECTOR_AVAILABLE] = _tr(
                "Connector {n} is already available for use."
            ).format(n=n)
    if not situation.startable():
        reasons[Control.REMOTE_START] = _tr(
            "No connector can start a session now (all busy, faulted or unavailable)."
        )
    station = situation.station_row
    if station is not None and station.status is ConnectorStatus.UNAVAILABLE:
        reasons[Control.STATION_UNAVAILABLE] = _tr("The station is already unavailable.")
    return reasons
