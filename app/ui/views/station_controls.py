"""The control buttons of one station: connector actions and station actions.

Each click asks the operator what is needed (through `StationPrompts`, so
tests script the answers), confirms anything that interrupts a charger or a
driver, and hands the command to the `ActionRunner`, which shows pending →
outcome without blocking the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QPushButton, QWidget
from shiboken6 import isValid

from app.domain import commands as c
from app.domain.model import IdTag
from app.ui.dialogs.prompts import StationPrompts
from app.ui.dialogs.requests import clear_limit_command, diagnostics_command
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.views.station_actions import ActionRunner
from app.ui.views.station_rules import (
    CONNECTOR_CONTROLS,
    STATION_CONTROLS,
    Control,
    Situation,
    blocked,
)

BUTTON_COLUMNS = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationControls", text)


def control_labels() -> dict[Control, str]:
    return {
        Control.REMOTE_START: _tr("Remote start…"),
        Control.REMOTE_STOP: _tr("Remote stop"),
        Control.UNLOCK: _tr("Unlock connector"),
        Control.CONNECTOR_AVAILABLE: _tr("Make available"),
        Control.CONNECTOR_UNAVAILABLE: _tr("Make unavailable"),
        Control.SOFT_RESET: _tr("Soft reset"),
        Control.HARD_RESET: _tr("Hard reset"),
        Control.STATION_AVAILABLE: _tr("Make available"),
        Control.STATION_UNAVAILABLE: _tr("Make unavailable"),
        Control.TRIGGER: _tr("Trigger message…"),
        Control.SET_LIMIT: _tr("Set power limit…"),
        Control.CLEAR_LIMIT: _tr("Clear power limit…"),
        Control.DIAGNOSTICS: _tr("Get diagnostics…"),
        Control.FIRMWARE: _tr("Update firmware…"),
        Control.PASSWORD: _tr("Password…"),
    }


def control_hints() -> dict[Control, str]:
    return {
        Control.REMOTE_START: _tr("Start a session for an id tag on a connector."),
        Control.REMOTE_STOP: _tr("Stop the session running on this connector."),
        Control.UNLOCK: _tr("Release the cable; a running session is stopped."),
        Control.CONNECTOR_AVAILABLE: _tr("Let drivers use this connector again."),
        Control.CONNECTOR_UNAVAILABLE: _tr("Take this connector out of use."),
        Control.SOFT_RESET: _tr("Restart the station's software gracefully."),
        Control.HARD_RESET: _tr("Restart the station like a power cycle."),
        Control.STATION_AVAILABLE: _tr("Let drivers use every connector of the station."),
        Control.STATION_UNAVAILABLE: _tr("Take the whole station out of use."),
        Control.TRIGGER: _tr("Ask the station to send a message now."),
        Control.SET_LIMIT: _tr("Limit the power of the station or of its sessions."),
        Control.CLEAR_LIMIT: _tr("Remove a power limit set earlier."),
        Control.DIAGNOSTICS: _tr("Have the station upload its diagnostics file."),
        Control.FIRMWARE: _tr("Have the station download and install new firmware."),
        Control.PASSWORD: _tr("Give the station a new strong password (security profile 1)."),
    }


class StationControls(QWidget):
    def __init__(
        self,
        host: EngineHost,
        station_id: str,
        runner: ActionRunner,
        prompts: Callable[[], StationPrompts],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.station_id = station_id
        self.runner = runner
        self._prompts = prompts
        self.situation = Situation(())
        self.reasons: dict[Control, str | None] = blocked(self.situation)
        labels, hints = control_labels(), control_hints()
        self.buttons: dict[Control, QPushButton] = {}
        self._hints = hints
        self.password_dialog: QWidget | None = None
        self.connector_box = QGroupBox(_tr("Connector"), self)
        self.station_box = QGroupBox(_tr("Whole station"), self)
        for box, controls in (
            (self.connector_box, CONNECTOR_CONTROLS),
            (self.station_box, STATION_CONTROLS),
        ):
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(6)
            for i, control in enumerate(controls):
                button = QPushButton(labels[control], box)
                button.setMinimumWidth(150)
                button.clicked.connect(lambda _=False, ctl=control: self.activate(ctl))
                self.buttons[control] = button
                grid.addWidget(button, i // BUTTON_COLUMNS, i % BUTTON_COLUMNS)
        self.buttons[Control.HARD_RESET].setStyleSheet("color: #b3261e;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.connector_box, 5)
        layout.addWidget(self.station_box, 9)
        runner.changed.connect(lambda _r: self.refresh())

    # ---- state -------------------------------------------------------------------

    def update_situation(self, situation: Situation) -> None:
        self.situation = situation
        self.refresh()

    def refresh(self) -> None:
        self.reasons = blocked(self.situation)
        selected = self.situation.selected
        self.connector_box.setTitle(
            _tr("Connector {n}").format(n=selected) if selected else _tr("Connector")
        )
        for control, button in self.buttons.items():
            reason = self.reasons[control]
            if reason is None and self.runner.pending(control.value):
                reason = _tr("Waiting for the station's answer…")
            button.setEnabled(reason is None)
            button.setToolTip(reason or self._hints[control])

    def activate(self, control: Control) -> None:
        """What a click does (also callable from shortcuts and tests)."""
        if self.reasons.get(control) is not None:
            return
        handlers: dict[Control, Callable[[], None]] = {
            Control.REMOTE_START: self.remote_start,
            Control.REMOTE_STOP: self.remote_stop,
            Control.UNLOCK: self.unlock,
            Control.CONNECTOR_AVAILABLE: lambda: self.availability(True, connector=True),
            Control.CONNECTOR_UNAVAILABLE: lambda: self.availability(False, connector=True),
            Control.SOFT_RESET: lambda: self.reset(c.ResetType.SOFT),
            Control.HARD_RESET: lambda: self.reset(c.ResetType.HARD),
            Control.STATION_AVAILABLE: lambda: self.availability(True, connector=False),
            Control.STATION_UNAVAILABLE: lambda: self.availability(False, connector=False),
            Control.TRIGGER: self.trigger,
            Control.SET_LIMIT: self.set_limit,
            Control.CLEAR_LIMIT: self.clear_limit,
            Control.DIAGNOSTICS: self.diagnostics,
            Control.FIRMWARE: self.firmware,
            Control.PASSWORD: self.password,
        }
        handlers[control]()

    def _send(self, control: Control, label: str, command: c.StationCommand) -> None:
        self.runner.send(control.value, label, command)

    def _confirm(self, title: str, question: str, action: str) -> bool:
        return self._prompts().confirm(self, title, question, action)

    def _connector_ids(self) -> list[int]:
        return [r.connector_id for r in self.situation.connectors]

    def password(self) -> None:
        """Rotate the station's password over OCPP, or issue one to type in at the charger."""
        from app.ui.dialogs.station_credentials import StationCredentialsDialog

        dialog = StationCredentialsDialog(
            self._host, self.station_id, self, online=self.situation.connected
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.password_dialog = dialog

    # ---- connector actions -----------------------------------------------------------

    def remote_start(self) -> None:
        free = self.situation.startable()
        preferred = self.situation.selected if self.situation.selected in free else None

        def ask(tags: list[IdTag]) -> None:
            if not isValid(self):
                return  # the tab was closed while the tags loaded
            request = self._prompts().remote_start(self, self.station_id, free, preferred, tags)
            if request is not None:
                label = _tr("Remote start on connector {n} for {tag}").format(
                    n=request.connector_id, tag=request.id_tag
                )
                self._send(Control.REMOTE_START, label, request.command())

        EngineOp(self._host, lambda s: s.authorization.list_tags()).success(ask).failure(
            lambda _m, _e: ask([])
        ).run()

    def remote_stop(self) -> None:
        row = self.situation.connector(self.situation.selected)
        if row is None or row.transaction_id is None:
            return
        question = _tr(
            "Stop session {tx} of tag {tag} on connector {n} of {station}? The driver "
            "stops being charged."
        ).format(
            tx=row.transaction_id,
            tag=row.id_tag or "?",
            n=row.connector_id,
            station=self.station_id,
        )
        if self._confirm(_tr("Remote stop"), question, _tr("Stop session")):
            label = _tr("Remote stop of session {tx}").format(tx=row.transaction_id)
            self._send(Control.REMOTE_STOP, label, c.RemoteStopTransaction(row.transaction_id))

    def unlock(self) -> None:
        n = self.situation.selected
        if n is None:
            return
        question = _tr(
            "Unlock connector {n} of {station}? A running session on it is stopped and "
            "the cable can be pulled out."
        ).format(n=n, station=self.station_id)
        if self._confirm(_tr("Unlock connector"), question, _tr("Unlock")):
            label = _tr("Unlock connector {n}").format(n=n)
            self._send(Control.UNLOCK, label, c.UnlockConnector(n))

    def availability(self, available: bool, *, connector: bool) -> None:
        kind = c.AvailabilityType.OPERATIVE if available else c.AvailabilityType.INOPERATIVE
        if connector:
            n = self.situation.selected
            if n is None:
                return
            control = Control.CONNECTOR_AVAILABLE if available else Control.CONNECTOR_UNAVAILABLE
            label = (
                _tr("Make connector {n} available")
                if available
                else _tr("Make connector {n} unavailable")
            ).format(n=n)
            self._send(control, label, c.ChangeAvailability(n, kind))
            return
        if available:
            self._send(
                Control.STATION_AVAILABLE,
                _tr("Make station available"),
                c.ChangeAvailability(0, kind),
            )
            return
        question = _tr(
            "Take all of {station} out of use? No new session can start; a running "
            "session finishes first."
        ).format(station=self.station_id)
        if self._confirm(_tr("Make station unavailable"), question, _tr("Make unavailable")):
            self._send(
                Control.STATION_UNAVAILABLE,
                _tr("Make station unavailable"),
                c.ChangeAvailability(0, kind),
            )

    # ---- station actions -------------------------------------------------------------

    def reset(self, kind: c.ResetType) -> None:
        if kind is c.ResetType.SOFT:
            control, title, action = Control.SOFT_RESET, _tr("Soft reset"), _tr("Soft reset")
            question = _tr(
                "Soft-reset {station}? Running sessions are stopped, then the station "
                "restarts and is offline for a short while."
            )
        else:
            control, title, action = Control.HARD_RESET, _tr("Hard reset"), _tr("Hard reset")
            question = _tr(
                "Hard-reset {station}? It restarts at once, like a power cycle; running "
                "sessions are cut off."
            )
        if self._confirm(title, question.format(station=self.station_id), action):
            self._send(control, title, c.Reset(kind))

    def trigger(self) -> None:
        request = self._prompts().trigger_message(
            self, self.station_id, self._connector_ids(), self.situation.selected
        )
        if request is not None:
            label = _tr("Trigger {message}").format(message=request.message.value)
            self._send(Control.TRIGGER, label, request.command())

    def set_limit(self) -> None:
        limit = self._prompts().power_limit(self, self.station_id, self._connector_ids())
        if limit is not None:
            label = _tr("Set power limit {value:g} {unit}").format(
                value=limit.value, unit=limit.unit.value
            )
            self._send(Control.SET_LIMIT, label, limit.command())

    def clear_limit(self) -> None:
        scope = self._prompts().clear_limit(self, self.station_id, self._connector_ids())
        if scope is not None:
            self._send(Control.CLEAR_LIMIT, _tr("Clear power limit"), clear_limit_command(scope))

    def diagnostics(self) -> None:
        location = self._prompts().diagnostics_location(self, self.station_id)
        if location is not None:
            self._send(Control.DIAGNOSTICS, _tr("Get diagnostics"), diagnostics_command(location))

    def firmware(self) -> None:
        request = self._prompts().firmware_update(self, self.station_id, self.situation.firmware)
        if request is not None:
            self._send(Control.FIRMWARE, _tr("Update firmware"), request.command())
