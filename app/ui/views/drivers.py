"""Drivers & tags: who may charge, with which cards, in which fleet, where and when.

Three pages: drivers (searchable list and the chosen driver's details and tags),
fleets, and access rules. Everything is re-read from the services when access
changes (AccessChanged, from this window, another one, the API or an import),
so what is shown is what chargers are answered from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain import events as ev
from app.domain.access import DriverCard
from app.ui.dialogs.driver_form import DriverDialog
from app.ui.dialogs.validated_form import say, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.icons import icon
from app.ui.operations import Reloader
from app.ui.views.access_rules import AccessRulesPanel
from app.ui.views.access_state import AccessState, DriverQuery, load_access_state
from app.ui.views.driver_detail import DriverDetailPanel
from app.ui.views.driver_tables import DriverTableModel, make_table
from app.ui.views.fleets import FleetsPanel

if TYPE_CHECKING:
    from app.ui.dialogs.access_settings import AccessSettingsDialog
    from app.ui.dialogs.tag_import import TagImportDialog

SEARCH_AFTER_MS = 200
ALL_FLEETS = -1  # the fleet filter's "all fleets" (None is "no fleet" in a driver)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Drivers", text)


class DriversView(QWidget):
    history_requested = Signal(int)

    def __init__(
        self,
        host: EngineHost,
        parent: QWidget | None = None,
        *,
        history_available: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._reload: Reloader[AccessState] = Reloader(
            self, host, self._loaded, self._failed, self.refresh
        )
        self._select_after_load: int | None = None
        self.state = AccessState()
        self.loads = 0  # finished loads, for whoever waits for one

        self.pages = QTabWidget(self)
        self.drivers_page = QWidget(self)
        self.detail = DriverDetailPanel(host, site_zone(host.settings), history_available, self)
        self.detail.history_requested.connect(self.history_requested)
        self.fleets = FleetsPanel(host, self)
        self.fleets.drivers_requested.connect(self.show_fleet)
        self.rules = AccessRulesPanel(host, self)
        self.pages.addTab(self.drivers_page, _tr("Drivers"))
        self.pages.addTab(self.fleets, _tr("Fleets"))
        self.pages.addTab(self.rules, _tr("Access rules"))
        self._build_drivers_page()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_AFTER_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.refresh()

    def _build_drivers_page(self) -> None:
        page = self.drivers_page
        self.search = QLineEdit(page)
        self.search.setPlaceholderText(_tr("Search name, email, phone, fleet or tag UID"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.fleet_filter = QComboBox(page)
        self.fleet_filter.setMinimumContentsLength(14)
        self.fleet_filter.addItem(_tr("All fleets"), ALL_FLEETS)
        self.fleet_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.show_inactive = QCheckBox(_tr("Show inactive"), page)
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        # A driver just deactivated here stays in sight, to be checked or activated again.
        self.detail.deactivated.connect(lambda _id: self.show_inactive.setChecked(True))
        self.add_button = QPushButton(icon("add"), _tr("Add &driver…"), page)
        self.add_button.clicked.connect(self.add_driver)
        self.import_button = QPushButton(_tr("&Import…"), page)
        self.import_button.setToolTip(_tr("Import tags and drivers from a CSV file"))
        self.import_button.clicked.connect(self.import_tags)
        self.export_button = QPushButton(_tr("E&xport…"), page)
        self.export_button.setToolTip(_tr("Save every tag with its driver to a CSV file"))
        self.export_button.clicked.connect(self.export_tags)
        self.settings_button = QPushButton(_tr("Access &settings…"), page)
        self.settings_button.setToolTip(
            _tr("What chargers are told about unknown and blocked tags, and the sites' time zone")
        )
        self.settings_button.clicked.connect(self.open_access_settings)

        self.model = DriverTableModel(page)
        self.table = make_table(self.model, page)
        for column, width in enumerate((170, 110, 140, 64)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.table.doubleClicked.connect(lambda _i: self.detail.edit_driver())
        self.count = QLabel(page)
        self.count.setStyleSheet("color: #8a8f98;")
        self.notice = QLabel(page)
        self.notice.setWordWrap(True)
        self.notice.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel(_tr("Fleet:"), page))
        filters.addWidget(self.fleet_filter, 1)
        filters.addWidget(self.show_inactive)
        filters.addStretch(1)
        filters.addWidget(self.import_button)
        filters.addWidget(self.export_button)
        filters.addWidget(self.settings_button)
        filters.addWidget(self.add_button)
        left = QWidget(page)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.notice)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, page)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([540, 860])
        layout = QVBoxLayout(page)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

    # ---- loading ------------------------------------------------------------------------

    def query(self) -> DriverQuery:
        fleet = self.fleet_filter.currentData()
        return DriverQuery(
            self.search.text(),
            None if fleet in (None, ALL_FLEETS) else int(fleet),
            self.show_inactive.isChecked(),
        )

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(isinstance(e, ev.AccessChanged) for e in batch):
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # sites and stations have no events of their own here

    def refresh(self) -> None:
        query = self.query()
        self._reload.start(lambda s: load_access_state(s, query))

    def _loaded(self, state: AccessState) -> None:
        self.state = state
        self._show_fleet_choices()
        chosen = self._select_after_load or self.selected_id()
        self._select_after_load = None
        self.model.set_rows(state.drivers)
        ids = self.model.driver_ids()
        if chosen is not None and chosen in ids:
            self.select(chosen)
        elif ids:
            self.select(ids[0])
        self._show_selected()
        self._show_count()
        self.fleets.show_state(state)
        self.rules.show_state(state)
        self.loads += 1

    def _failed(self, message: str) -> None:
        say(self.notice, message, error=True)

    def _show_fleet_choices(self) -> None:
        current = self.fleet_filter.currentData()
        self.fleet_filter.blockSignals(True)
        self.fleet_filter.clear()
        self.fleet_filter.addItem(_tr("All fleets"), ALL_FLEETS)
        for fleet in self.state.fleets:
            self.fleet_filter.addItem(fleet.name, fleet.id)
        index = self.fleet_filter.findData(current)
        self.fleet_filter.setCurrentIndex(max(index, 0))
        self.fleet_filter.blockSignals(False)
        if index < 0:
            self.refresh()  # the fleet chosen is gone: show all

    def _show_count(self) -> None:
        shown = len(self.state.drivers)
        query = self.state.query
        if query.search.strip() or query.fleet_id is not None:
            text = _tr("Matching drivers: {n}.").format(n=shown)
        else:
            text = _tr("Drivers: {n}.").format(n=shown)
        if not query.include_inactive:
            text += " " + _tr("Inactive drivers are hidden.")
        self.count.setText(text)

    # ---- selection -----------------------------------------------------------------------

    def selected_id(self) -> int | None:
        card = self.selected()
        return card.driver.id if card else None

    def selected(self) -> DriverCard | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row())

    def select(self, driver_id: int) -> None:
        ids = self.model.driver_ids()
        if driver_id in ids:
            self.table.selectRow(ids.index(driver_id))
            self.table.scrollTo(self.model.index(ids.index(driver_id), 0, QModelIndex()))

    def _show_selected(self) -> None:
        self.detail.show_card(self.selected(), self.state)

    def show_fleet(self, fleet_id: int) -> None:
        """The drivers page, filtered to one fleet."""
        self.pages.setCurrentWidget(self.drivers_page)
        self.search.clear()
        self.fleet_filter.setCurrentIndex(max(0, self.fleet_filter.findData(fleet_id)))

    # ---- actions ---------------------------------------------------------------------------

    def add_driver(self) -> DriverDialog:
        fleet = self.fleet_filter.currentData()
        dialog = DriverDialog(
            self._host,
            self.state.fleets,
            None,
            self,
            fleet_id=None if fleet in (None, ALL_FLEETS) else int(fleet),
        )
        dialog.saved.connect(self._driver_added)
        show_dialog(dialog)
        return dialog

    def _driver_added(self, card: DriverCard) -> None:
        if not shiboken6.isValid(self):
            return
        say(self.notice, _tr("{name} added.").format(name=card.driver.name))
        self._select_after_load = card.driver.id
        query = self.query()
        if query.search.strip() or query.fleet_id not in (None, card.driver.fleet_id):
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.fleet_filter.setCurrentIndex(0)
        self.refresh()

    # The import module (CSV preview and writing) loads when first asked for.

    def import_tags(self) -> TagImportDialog | None:
        from app.ui.dialogs import tag_import

        return tag_import.open_import_dialog(self, self._host)

    def export_tags(self) -> None:
        from app.ui.dialogs import tag_import

        tag_import.export_tags(self, self._host)

    def open_access_settings(self) -> AccessSettingsDialog:
        from app.ui.dialogs import access_settings

        return access_settings.open_access_settings(self, self._host)
