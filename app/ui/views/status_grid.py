"""Status grid: one row per connector, live, sortable, filterable."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QShowEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.model import ConnectorStatus
from app.domain.overview import SiteOverview
from app.domain.session_price import SessionPrice
from app.domain.sites import Site, StationPosition
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.status_style import shown_status_label
from app.ui.views.status_grid_model import (
    COLUMN_WIDTHS,
    COLUMNS,
    ROW_KEY_ROLE,
    SORT_ROLE,
    STATION_ROLE,
    STATUS_ROLE,
    ConnectorTableModel,
    column_titles,
    key_of,
)

# The price so far of the sessions on screen is asked for every this many ticks (s).
COST_EVERY_TICKS = 5


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatusGrid", text)


def _exact(value: str) -> str:
    return f"^{re.escape(value)}$"


class ConnectorFilter:
    """Status, site and free-text filters plus sorting, as a chain of plain C++ proxies."""

    def __init__(self, source: QStandardItemModel, parent: QWidget | None = None) -> None:
        self.status: ConnectorStatus | None = None
        self.stations: set[str] | None = None  # None: every site
        self.text = ""
        self._by_status = QSortFilterProxyModel(parent)
        self._by_status.setSourceModel(source)
        self._by_status.setFilterKeyColumn(COLUMNS.index("status"))
        self._by_status.setFilterRole(STATUS_ROLE)
        self._by_site = QSortFilterProxyModel(parent)
        self._by_site.setSourceModel(self._by_status)
        self._by_site.setFilterKeyColumn(0)
        self._by_site.setFilterRole(STATION_ROLE)
        self.view_model = QSortFilterProxyModel(parent)
        self.view_model.setSourceModel(self._by_site)
        self.view_model.setFilterKeyColumn(-1)
        self.view_model.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view_model.setSortRole(SORT_ROLE)
        # Re-sorting and re-filtering on every change would cost more than all the
        # rest at a thousand stations; StatusGridView.tick() does it once a second.
        for proxy in (self._by_status, self._by_site, self.view_model):
            proxy.setDynamicSortFilter(False)

    def set_status(self, status: ConnectorStatus | None) -> None:
        self.status = status
        self._by_status.setFilterRegularExpression(_exact(status.value) if status else "")

    def set_stations(self, stations: set[str] | None) -> None:
        self.stations = stations
        if stations is None:
            self._by_site.setFilterRegularExpression("")
        elif not stations:
            self._by_site.setFilterRegularExpression("(?!)")  # matches nothing
        else:
            alternatives = "|".join(re.escape(s) for s in sorted(stations))
            self._by_site.setFilterRegularExpression(f"^(?:{alternatives})$")

    def set_text(self, text: str) -> None:
        self.text = text.strip().lower()
        self.view_model.setFilterFixedString(self.text)

    def invalidate(self) -> None:
        for proxy in (self._by_status, self._by_site, self.view_model):
            proxy.invalidate()

    def source_row(self, row: int) -> int:
        """The model row behind a row of the (sorted, filtered) view."""
        index = self.view_model.index(row, 0)
        for proxy in (self.view_model, self._by_site, self._by_status):
            index = proxy.mapToSource(index)
        return index.row()

    def rowCount(self) -> int:
        return self.view_model.rowCount()

    def index(self, row: int, column: int) -> QModelIndex:
        return self.view_model.index(row, column)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.view_model.data(index, role)


class StatusGridView(QWidget):
    station_activated = Signal(str)

    def __init__(
        self,
        overview: SiteOverview,
        parent: QWidget | None = None,
        *,
        host: EngineHost | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._dirty = False
        self._added = False
        self._costs_asked = False  # a price request is on its way
        self._ticks = 0
        self.model = ConnectorTableModel(overview, self)
        self._today = self.model.now().astimezone().date()
        self.proxy = ConnectorFilter(self.model.items, self)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_tr("Search station, tag, status…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(_tr("All statuses"), None)
        for status in ConnectorStatus:
            if status is not ConnectorStatus.UNKNOWN:
                self.status_filter.addItem(shown_status_label_for(status), status)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )

        self.table = QTableView(self)
        self.table.setModel(self.proxy.view_model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        titles = column_titles()
        metrics = header.fontMetrics()
        for i, name in enumerate(COLUMNS):
            # Wide enough for the title in the chosen language (Swedish runs long).
            fits = metrics.horizontalAdvance(titles[name]) + 28
            header.resizeSection(i, max(COLUMN_WIDTHS.get(name, 110), fits))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.table.doubleClicked.connect(self._activated)
        self.table.verticalScrollBar().valueChanged.connect(
            lambda _v: self.refresh_visible_durations()
        )

        self.site_filter = QComboBox(self)
        self.site_filter.addItem(_tr("All sites"), None)
        self.site_filter.setToolTip(_tr("Show the stations placed on one site's map"))
        self.site_filter.currentIndexChanged.connect(lambda _i: self._site_chosen())
        self.site_filter.setVisible(host is not None)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.site_filter, 1)
        bar.addWidget(self.status_filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def tick(self) -> None:
        """Once a second: durations move on, and sorting/filtering catch up with changes."""
        if not self.isVisible():
            self._dirty = True
            return
        header = self.table.horizontalHeader()
        sorted_by = (
            COLUMNS[header.sortIndicatorSection()] if header.isSortIndicatorShown() else None
        )
        filtering = bool(self.proxy.text or self.proxy.status or self.proxy.stations is not None)
        live_sort = sorted_by not in (None, "station", "connector")
        if self._added or sorted_by == "duration" or (self._dirty and (filtering or live_sort)):
            self.proxy.invalidate()
        self._dirty = self._added = False
        today = self.model.now().astimezone().date()
        if today != self._today:
            self._today = today
            self.model.refill()  # times of yesterday now need their date
        self.refresh_visible_durations()
        self._ticks += 1
        if self._ticks % COST_EVERY_TICKS == 0:
            self.refresh_visible_costs()

    def _visible_rows(self) -> list[int]:
        """Source positions of the rows on screen."""
        view = self.table
        shown = self.proxy.rowCount()
        first = view.rowAt(0)
        if first < 0:
            return []
        last = view.rowAt(view.viewport().height() - 1)
        last = shown - 1 if last < 0 else last
        return [self.proxy.source_row(r) for r in range(first, last + 1)]

    def refresh_visible_durations(self) -> None:
        self.model.refresh_durations(self._visible_rows())

    def refresh_visible_costs(self) -> None:
        """Ask the pricing service for the price so far of the open sessions on screen
        (only those: a thousand open sessions must not cost a thousand prices a tick)."""
        if self._host is None or self._costs_asked:
            return
        shown = self.model.open_transactions(self._visible_rows())
        if not shown:
            return
        ids = list(shown)
        self._costs_asked = True

        def priced(prices: dict[int, SessionPrice]) -> None:
            self._costs_asked = False
            if isValid(self):
                costs = {tx: (p.total_minor, p.currency) for tx, p in prices.items()}
                self.model.set_costs(shown, costs)

        def failed(_message: str, _exc: BaseException | None) -> None:
            self._costs_asked = False  # the next tick asks again

        EngineOp(self._host, lambda s: s.session_pricing.live_prices(ids)).success(priced).failure(
            failed
        ).run()

    def changed(self, keys: set[tuple[str, int]]) -> None:
        self._added = self.model.apply_changes(keys) or self._added
        self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_visible_durations()
        self.reload_sites()

    def reload_sites(self) -> None:
        """Sites change on the map; refresh the choice whenever the grid is shown."""
        if self._host is None:
            return

        def loaded(sites: list[Site]) -> None:
            if not isValid(self):
                return
            chosen = self.site_filter.currentData()
            self.site_filter.blockSignals(True)
            self.site_filter.clear()
            self.site_filter.addItem(_tr("All sites"), None)
            for site in sites:
                label = f"{site.name} – {site.level}" if site.level else site.name
                self.site_filter.addItem(label, site.id)
            index = self.site_filter.findData(chosen)
            self.site_filter.setCurrentIndex(max(0, index))
            self.site_filter.blockSignals(False)
            self._site_chosen()

        EngineOp(self._host, lambda s: s.sites.sites()).success(loaded).run()

    def _site_chosen(self) -> None:
        site_id = self.site_filter.currentData()
        if site_id is None or self._host is None:
            self.proxy.set_stations(None)
            return

        def loaded(positions: list[StationPosition]) -> None:
            if isValid(self) and self.site_filter.currentData() == site_id:
                self.proxy.set_stations({p.station_id for p in positions})

        EngineOp(self._host, lambda s: s.sites.positions(site_id)).success(loaded).run()

    def _activated(self, index: QModelIndex) -> None:
        key = key_of(self.proxy.data(self.proxy.index(index.row(), 0), ROW_KEY_ROLE))
        if key:
            self.station_activated.emit(key[0])

    def _column_menu(self, _pos: object) -> None:
        menu = QMenu(self)
        titles = column_titles()
        for i, name in enumerate(COLUMNS):
            action = QAction(titles[name], menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.toggled.connect(lambda on, col=i: self.table.setColumnHidden(col, not on))
            menu.addAction(action)
        menu.exec(self.table.horizontalHeader().mapToGlobal(self.table.horizontalHeader().pos()))

    def hidden_columns(self) -> list[str]:
        return [name for i, name in enumerate(COLUMNS) if self.table.isColumnHidden(i)]

    def set_hidden_columns(self, names: list[str]) -> None:
        for i, name in enumerate(COLUMNS):
            self.table.setColumnHidden(i, name in names)


def shown_status_label_for(status: ConnectorStatus) -> str:
    from app.domain.model import Admission

    return shown_status_label(status, Admission.ACCEPTED)
