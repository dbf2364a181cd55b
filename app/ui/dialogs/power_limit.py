"""Set or clear a power limit (SetChargingProfile / ClearChargingProfile)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QWidget

from app.ui.dialogs.base import FormDialog
from app.ui.dialogs.requests import (
    EVERY_NEW_SESSION,
    WHOLE_STATION,
    LimitScope,
    LimitUnit,
    PowerLimit,
    sessions_on,
)

MAX_KW = 1000.0
MAX_A = 1000.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("PowerLimitDialog", text)


def scope_choices(connectors: Sequence[int]) -> list[tuple[str, LimitScope]]:
    choices = [
        (_tr("Whole station (all connectors together)"), WHOLE_STATION),
        (_tr("Every new session, each connector"), EVERY_NEW_SESSION),
    ]
    for connector_id in connectors:
        choices.append(
            (_tr("New sessions on connector {n}").format(n=connector_id), sessions_on(connector_id))
        )
    return choices


class _ScopeDialog(FormDialog):
    def __init__(
        self,
        title: str,
        intro: str,
        ok_text: str,
        connectors: Sequence[int],
        parent: QWidget | None,
    ) -> None:
        super().__init__(title, intro, ok_text, parent)
        self.scope = QComboBox(self)
        for label, scope in scope_choices(connectors):
            self.scope.addItem(label, scope)
        self.form.addRow(_tr("Applies to"), self.scope)

    def chosen_scope(self) -> LimitScope:
        scope = self.scope.currentData()
        assert isinstance(scope, LimitScope)
        return scope


class PowerLimitDialog(_ScopeDialog):
    def __init__(
        self, station_id: str, connectors: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            _tr("Power limit for {station}").format(station=station_id),
            _tr(
                "The station keeps to this limit until it is cleared. A whole-station "
                "limit is shared by all connectors; a session default applies to each "
                "session on its own."
            ),
            _tr("Set limit"),
            connectors,
            parent,
        )
        self.value = QDoubleSpinBox(self)
        self.value.setDecimals(1)
        self.value.setRange(0.0, MAX_KW)
        self.value.setValue(11.0)
        self.value.setSingleStep(1.0)
        self.unit = QComboBox(self)
        self.unit.addItem(_tr("kW"), LimitUnit.KILOWATT)
        self.unit.addItem(_tr("A (per phase)"), LimitUnit.AMPERE)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        row = QHBoxLayout()
        row.addWidget(self.value, 1)
        row.addWidget(self.unit)
        self.form.addRow(_tr("Limit"), row)
        self.revalidate()

    def _unit_changed(self, _index: int) -> None:
        if self.unit.currentData() == LimitUnit.AMPERE:
            self.value.setRange(0.0, MAX_A)
            self.value.setValue(16.0)
        else:
            self.value.setRange(0.0, MAX_KW)
            self.value.setValue(11.0)

    def request(self) -> PowerLimit:
        # Qt hands enum item data back as plain str.
        unit = LimitUnit(self.unit.currentData())
        return PowerLimit(self.chosen_scope(), self.value.value(), unit)


class ClearLimitDialog(_ScopeDialog):
    def __init__(
        self, station_id: str, connectors: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            _tr("Clear power limit on {station}").format(station=station_id),
            _tr("Remove the limits of this kind; the station may then charge at full power."),
            _tr("Clear limit"),
            connectors,
            parent,
        )
        self.revalidate()

    def request(self) -> LimitScope:
        return self.chosen_scope()
