"""Fleets: the companies or groups drivers belong to, their monthly budgets; add, edit, remove."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.access import Fleet
from app.ui.dialogs import validated_form
from app.ui.dialogs.fleet_form import FleetDialog
from app.ui.dialogs.validated_form import say, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.icons import icon
from app.ui.operations import EngineOp
from app.ui.views.access_state import AccessState
from app.ui.views.driver_tables import FleetTableModel, make_table


def _tr(text: str) -> str:
    return QCoreApplication.translate("Drivers", text)


class FleetsPanel(QWidget):
    drivers_requested = Signal(int)  # show this fleet's drivers

    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.state = AccessState()
        intro = QLabel(
            _tr(
                "A fleet is a company or group of drivers. Access rules and tariffs can be "
                "made for a whole fleet. Double-click a fleet to see its drivers."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.model = FleetTableModel(self)
        self.table = make_table(self.model, self)
        for column, width in enumerate((220, 90, 170)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(self._show_drivers)
        self.empty = QLabel(_tr("No fleets yet. Drivers can be without a fleet."), self)
        self.empty.setStyleSheet("color: #8a8f98; padding: 12px;")
        self.add_button = QPushButton(icon("add"), _tr("Add &fleet…"), self)
        self.add_button.clicked.connect(self.add_fleet)
        self.edit_button = QPushButton(_tr("&Edit fleet…"), self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(icon("remove"), _tr("&Remove fleet…"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.notice, 1)
        buttons.addStretch(1)  # buttons keep their size while the notice is hidden
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_state(self, state: AccessState) -> None:
        chosen = self.selected()
        self.state = state
        self.model.set_fleets(state.fleets, state.members)
        ids = self.model.fleet_ids()
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        self.empty.setVisible(not state.fleets)
        self._update_buttons()

    def selected(self) -> Fleet | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row())

    def select(self, fleet_id: int) -> None:
        ids = self.model.fleet_ids()
        if fleet_id in ids:
            self.table.selectRow(ids.index(fleet_id))

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(chosen)
            button.setToolTip("" if chosen else _tr("Select a fleet first"))

    def _show_drivers(self) -> None:
        fleet = self.selected()
        if fleet is not None:
            self.drivers_requested.emit(fleet.id)

    # ---- actions --------------------------------------------------------------------

    def add_fleet(self) -> FleetDialog:
        dialog = FleetDialog(self._host, self.state.fleets, None, self)
        dialog.saved.connect(
            lambda fleet: say(self.notice, _tr("Fleet {name} added.").format(name=fleet.name))
        )
        show_dialog(dialog)
        return dialog

    def edit_selected(self) -> FleetDialog | None:
        fleet = self.selected()
        if fleet is None:
            return None
        dialog = FleetDialog(self._host, self.state.fleets, fleet, self)
        dialog.saved.connect(
            lambda f: say(self.notice, _tr("Fleet {name} saved.").format(name=f.name))
        )
        show_dialog(dialog)
        return dialog

    def remove_selected(self) -> None:
        fleet = self.selected()
        if fleet is None:
            return
        members = self.state.members.get(fleet.id, 0)
        rules = sum(1 for r in self.state.rules if r.fleet_id == fleet.id)
        if not validated_form.confirm_action(
            self,
            _tr("Remove fleet"),
            _tr(
                "Remove fleet {name}? Its drivers ({drivers}) stay, without a fleet; "
                "the rules for drivers without a fleet then apply to them. "
                "Access rules for this fleet that go with it: {rules}."
            ).format(name=fleet.name, drivers=members, rules=rules),
            _tr("Remove fleet"),
        ):
            return
        fleet_id = fleet.id

        def removed(_: None) -> None:
            if shiboken6.isValid(self):
                say(self.notice, _tr("Fleet {name} removed.").format(name=fleet.name))

        def failed(message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                say(self.notice, message, error=True)

        EngineOp(self._host, lambda s: s.access.remove_fleet(fleet_id)).success(removed).failure(
            failed
        ).run()
