"""Pending stations: unknown chargers that connected and wait for an operator's decision.

Accepting may give the station a password (typed, or generated and shown
exactly once); rejecting is confirmed. The list is re-read when a station
asks for approval or its admission changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.config import UnknownStationPolicy
from app.domain import credentials
from app.domain import events as ev
from app.domain.alarms import PENDING
from app.domain.commands import TriggerableMessage, TriggerMessage
from app.domain.errors import ChargeDeskError
from app.domain.model import Admission
from app.domain.overview import SiteOverview
from app.domain.sites import Site
from app.services.container import Services
from app.ui.dialogs.confirm import confirm as ask_to_confirm
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, Reloader
from app.ui.status_style import PENDING_COLOUR
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.alarm_style import local_time, operator_name

PASSWORD_MIN, PASSWORD_MAX = 8, 40

TRIGGERS: tuple[type[ev.DomainEvent], ...] = (
    ev.StationAwaitingApproval,
    ev.StationAdmissionChanged,
    ev.StationConnected,
    ev.StationDisconnected,
    ev.StationBooted,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PendingStations", text)


@dataclass(frozen=True, slots=True)
class PendingStation:
    station_id: str
    first_seen: datetime | None
    address: str | None
    connected: bool
    vendor_model: str
    firmware: str


@dataclass(frozen=True, slots=True)
class AcceptChoice:
    password: str | None
    generated: bool = False
    site_id: int | None = None


# ---- dialogs (module functions so tests replace them and nothing modal blocks) ----


def confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """Rejecting a charger cannot be undone from its side: ask as for any destructive act."""
    return ask_to_confirm(parent, title, question, action, destructive=True)


def choose_password(
    parent: QWidget | None, station_id: str, sites: Sequence[Site] = ()
) -> AcceptChoice | None:
    """Ask how the station should log in and where it stands; None when cancelled."""
    dialog = AcceptStationDialog(station_id, parent, sites)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice()


def show_password(parent: QWidget | None, station_id: str, password: str) -> None:
    PasswordOnceDialog(station_id, password, parent).exec()


class AcceptStationDialog(QDialog):
    def __init__(
        self, station_id: str, parent: QWidget | None = None, sites: Sequence[Site] = ()
    ) -> None:
        super().__init__(parent)
        self.site = QComboBox(self)
        self.site.addItem(_tr("No site yet"), None)
        for site in sites:
            self.site.addItem(f"{site.name} – {site.level}" if site.level else site.name, site.id)
        self.site.setVisible(bool(sites))
        self.setWindowTitle(_tr("Accept {station}").format(station=station_id))
        intro = QLabel(
            _tr(
                "<b>{station}</b> will be allowed to operate. Should it log in with a "
                "password (OCPP security profile 1)?"
            ).format(station=station_id),
            self,
        )
        intro.setWordWrap(True)
        self.generate = QRadioButton(_tr("Generate a strong password (recommended)"), self)
        self.typed = QRadioButton(_tr("Use this password:"), self)
        self.none = QRadioButton(_tr("No password: any device using this id may connect"), self)
        group = QButtonGroup(self)
        for button in (self.generate, self.typed, self.none):
            group.addButton(button)
        self.generate.setChecked(True)
        self.password = QLineEdit(self)
        self.password.setPlaceholderText(_tr("8 to 40 characters"))
        self.password.setMaxLength(PASSWORD_MAX)
        self.password.textChanged.connect(lambda _t: self._validate())
        group.buttonToggled.connect(lambda *_: self._validate())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_tr("Accept station"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed)
        typed_row.addWidget(self.password, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.generate)
        layout.addLayout(typed_row)
        layout.addWidget(self.none)
        if sites:
            site_row = QHBoxLayout()
            site_row.addWidget(QLabel(_tr("Site:"), self))
            site_row.addWidget(self.site, 1)
            layout.addLayout(site_row)
        layout.addWidget(self.buttons)
        self._validate()

    def _validate(self) -> None:
        self.password.setEnabled(self.typed.isChecked())
        valid = not self.typed.isChecked() or (
            PASSWORD_MIN <= len(self.password.text()) <= PASSWORD_MAX
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(valid)

    def choice(self) -> AcceptChoice:
        site_id = self.site.currentData()
        if self.generate.isChecked():
            return AcceptChoice(credentials.generate_password(), generated=True, site_id=site_id)
        if self.typed.isChecked():
            return AcceptChoice(self.password.text(), site_id=site_id)
        return AcceptChoice(None, site_id=site_id)


class PasswordOnceDialog(QDialog):
    """The clear password exists only here: the store keeps a salted hash."""

    def __init__(self, station_id: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Password for {station}").format(station=station_id))
        text = QLabel(
            _tr(
                "Enter this password in the charger's OCPP settings (Basic authentication "
                "password, AuthorizationKey). It is shown <b>only now</b>: ChargeDesk keeps "
                "only a hash and cannot show it again."
            ),
            self,
        )
        text.setWordWrap(True)
        self.field = QLineEdit(password, self)
        self.field.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.field.setFont(mono)
        self.copy = QPushButton(_tr("Copy"), self)
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.copy)
        done = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        done.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(done)
        self.resize(520, self.sizeHint().height())


# ---- the table -----------------------------------------------------------------------

COLUMNS = ("station", "first_seen", "address", "connected", "model", "firmware")


class PendingTableModel(RowsTableModel[PendingStation]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "station": _tr("Station id"),
                "first_seen": _tr("First seen"),
                "address": _tr("Address"),
                "connected": _tr("Connection"),
                "model": _tr("Vendor and model"),
                "firmware": _tr("Firmware"),
            },
            parent,
        )

    def station_ids(self) -> list[str]:
        return [s.station_id for s in self._rows]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        station = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "station": station.station_id,
                "first_seen": local_time(station.first_seen),
                "address": station.address or _tr("unknown"),
                "connected": _tr("Connected") if station.connected else _tr("Not connected"),
                "model": station.vendor_model,
                "firmware": station.firmware,
            }[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == "connected":
            return QColor(PENDING_COLOUR) if station.connected else QColor("#8a8f98")
        if role == Qt.ItemDataRole.FontRole and column == "station":
            font = QFont()
            font.setBold(True)
            return font
        return None


async def load_pending(s: Services) -> list[PendingStation]:
    waiting = [st for st in await s.stations.all() if st.admission is Admission.PENDING]
    addresses = await s.alarms.last_addresses([st.id for st in waiting])
    return [
        PendingStation(
            station_id=st.id,
            first_seen=st.created_at,
            address=addresses.get(st.id),
            connected=st.connected,
            vendor_model=f"{st.boot.vendor} {st.boot.model}" if st.boot else "",
            firmware=(st.boot.firmware_version or "") if st.boot else "",
        )
        for st in sorted(waiting, key=lambda st: (st.created_at is None, st.created_at, st.id))
    ]


class PendingStationsView(QWidget):
    pending_changed = Signal(int)

    def __init__(
        self, host: EngineHost, overview: SiteOverview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sites: list[Site] = []
        self._host = host
        self._overview = overview
        self._reload: Reloader[list[PendingStation]] = Reloader(
            self, host, self._loaded, self._failed, self.refresh
        )
        self.count = 0

        policy = host.settings.unknown_stations
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setText(
            _tr(
                "Chargers this system does not know yet. Until you accept one it may connect "
                "but not charge; a rejected one is refused when it next connects."
            )
            + " "
            + {
                UnknownStationPolicy.PENDING: _tr("New chargers are held here for approval."),
                UnknownStationPolicy.REJECT: _tr(
                    "New chargers are refused at once (setting: unknown stations = reject)."
                ),
                UnknownStationPolicy.ACCEPT: _tr(
                    "New chargers are accepted at once (setting: unknown stations = accept)."
                ),
            }[policy]
        )
        self.empty = QLabel(_tr("No chargers are waiting for approval."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #8a8f98; font-size: 12pt; padding: 24px;")
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.model = PendingTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for i, width in enumerate((170, 160, 140, 120, 200)):
            header.resizeSection(i, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.accept_button = QPushButton(_tr("&Accept…"), self)
        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button = QPushButton(_tr("&Reject…"), self)
        self.reject_button.clicked.connect(self.reject_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self._update_buttons()
        self.refresh()

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(isinstance(e, TRIGGERS) for e in batch):
            self.refresh()

    def refresh(self) -> None:
        if not self._reload.start(load_pending):
            return
        EngineOp(self._host, lambda s: s.sites.sites()).success(self._sites_loaded).run()

    def _sites_loaded(self, sites: list[Site]) -> None:
        self._sites = sites

    def _loaded(self, stations: list[PendingStation]) -> None:
        selected = self.selected()
        self.model.set_rows(stations)
        ids = self.model.station_ids()
        if selected is not None and selected in ids:
            self.select(selected)
        elif ids:
            self.select(ids[0])
        self.empty.setVisible(not stations)
        if len(stations) != self.count:
            self.count = len(stations)
            self.pending_changed.emit(self.count)
        self._update_buttons()

    def _failed(self, message: str) -> None:
        self._say(message, error=True)

    # ---- decisions --------------------------------------------------------------

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row()).station_id

    def select(self, station_id: str) -> None:
        ids = self.model.station_ids()
        if station_id in ids:
            self.table.selectRow(ids.index(station_id))

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.accept_button, self.reject_button):
            button.setEnabled(chosen)
            button.setToolTip("" if chosen else _tr("Select a station first"))

    def accept_selected(self) -> None:
        station_id = self.selected()
        if station_id is None:
            return
        choice = choose_password(self, station_id, self._sites)
        if choice is None:
            return
        by = operator_name()
        password = choice.password
        site_id = choice.site_id

        async def accept(s: Services) -> bool:
            if password is not None:
                await s.stations.set_password(station_id, password)
            if site_id is not None:
                await s.sites.assign_to_site(station_id, site_id)
            await s.stations.set_admission(station_id, Admission.ACCEPTED)
            await s.alarms.acknowledge_station(station_id, by, kinds={PENDING})
            try:  # boot now rather than after the station's retry interval
                await s.commands.send(
                    station_id,
                    TriggerMessage(TriggerableMessage.BOOT_NOTIFICATION),
                    requested_by=by,
                    timeout=5.0,
                )
            except ChargeDeskError:
                return False
            return True

        def accepted(booting: bool) -> None:
            if booting:
                self._say(_tr("{station} accepted.").format(station=station_id))
            else:
                self._say(
                    _tr("{station} accepted; it starts working when it next boots.").format(
                        station=station_id
                    )
                )
            if password is not None:
                show_password(self, station_id, password)
            self.refresh()

        self._run(accept, accepted)

    def reject_selected(self) -> None:
        station_id = self.selected()
        if station_id is None:
            return
        if not confirm(
            self,
            _tr("Reject station"),
            _tr(
                "Reject {station}? It will not be allowed to charge, and its connections "
                "will be refused from now on."
            ).format(station=station_id),
            _tr("Reject station"),
        ):
            return
        by = operator_name()

        async def reject(s: Services) -> None:
            await s.stations.set_admission(station_id, Admission.REJECTED)
            await s.alarms.acknowledge_station(station_id, by, kinds={PENDING})

        def rejected(_: None) -> None:
            self._say(_tr("{station} rejected.").format(station=station_id))
            self.refresh()

        self._run(reject, rejected)

    def _run(self, call: Any, done: Any) -> None:
        self.notice.hide()
        for button in (self.accept_button, self.reject_button):
            button.setEnabled(False)

        def failed(message: str, _exc: BaseException) -> None:
            self._say(message, error=True)
            self._update_buttons()

        EngineOp(self._host, call).success(done).failure(failed).run()

    def _say(self, message: str, *, error: bool = False) -> None:
        if not shiboken6.isValid(self):
            return
        self.notice.setStyleSheet(f"color: {'#d0342c' if error else '#2e9d57'};")
        self.notice.setText(message)
        self.notice.show()
