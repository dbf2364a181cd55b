"""The control room window: views in tabs, a status bar, and a clean shutdown."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from app.demo import DemoFleetThread
from app.domain.events import DomainEvent
from app.domain.overview import SiteOverview
from app.ui.bridge import EventBridge
from app.ui.engine_host import EngineHost
from app.ui.formatting import kilo
from app.ui.icons import app_icon, icon
from app.ui.main_menus import DEMO_STATIONS, MainMenus
from app.ui.views.alarms import AlarmsView
from app.ui.views.deferred import DeferredView
from app.ui.views.pending import PendingStationsView
from app.ui.views.site_map import SiteMapView
from app.ui.views.station_detail import open_station
from app.ui.views.status_grid import StatusGridView
from app.ui.views.welcome import WelcomePanel

if TYPE_CHECKING:
    from app.ui.views.driver_history import DriverHistoryView
    from app.ui.views.drivers import DriversView
    from app.ui.views.graphs import GraphsView
    from app.ui.views.payment_desk import PaymentDeskView
    from app.ui.views.payments_log import PaymentsLogView
    from app.ui.views.reports import ReportsView
    from app.ui.views.subscriptions import SubscriptionsView
    from app.ui.views.tariffs import TariffsView

log = logging.getLogger(__name__)

VIEW_ICONS = {
    "welcome": "welcome",
    "site_map": "site-map",
    "grid": "status-grid",
    "graphs": "graphs",
    "alarms": "alarms",
    "pending": "pending",
    "tariffs": "tariffs",
    "drivers": "drivers",
    "subscriptions": "subscriptions",
    "driver_history": "driver-history",
    "payment_desk": "payment-desk",
    "payments": "payments-log",
    "reports": "reports",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(MainMenus):
    def __init__(
        self,
        host: EngineHost,
        bridge: EventBridge,
        overview: SiteOverview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.overview = overview
        self.bridge = bridge
        self.demo: DemoFleetThread | None = None
        self.closed = asyncio.Event()
        self.setWindowTitle(_tr("ChargeDesk — control room"))
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.views: dict[str, QWidget] = {}
        self._titles: dict[str, str] = {}
        self.welcome: WelcomePanel | None = None
        if WelcomePanel.is_first_run(overview):
            self.welcome = WelcomePanel(host, overview, self)
            self.add_view("welcome", self.welcome, _tr("Welcome"))
            self.welcome.demo_requested.connect(lambda: self.start_demo(DEMO_STATIONS))
            self.welcome.dismissed.connect(self._dismiss_welcome)
        # The sample depot plan is for the demo; a real site imports its own.
        self.site_map = SiteMapView(host, overview, self, create_sample_site=False)
        self.add_view("site_map", self.site_map, _tr("Site map"))
        self.site_map.station_activated.connect(lambda sid: open_station(self, sid))
        self.grid = StatusGridView(overview, self, host=host)
        self.add_view("grid", self.grid, _tr("Status grid"))
        self.grid.station_activated.connect(lambda station_id: open_station(self, station_id))
        # Graphs load pyqtgraph (≈0.5 s); the window opens first and they follow.
        self.graphs_tab = DeferredView(self._make_graphs, self)
        self.add_view("graphs", self.graphs_tab, _tr("Graphs"))
        self.alarms = AlarmsView(host, overview, self)
        self.add_view("alarms", self.alarms, _tr("Alarms"))
        self.pending = PendingStationsView(host, overview, self)
        self.add_view("pending", self.pending, _tr("Pending stations"))
        # Built when first opened: nothing of it is needed to watch the chargers.
        self.tariffs_tab = DeferredView(self._make_tariffs, self, preload_after_ms=None)
        self.add_view("tariffs", self.tariffs_tab, _tr("Tariffs"))
        self.drivers_tab = DeferredView(self._make_drivers, self, preload_after_ms=None)
        # "&&": a lone "&" would make the next letter a keyboard mnemonic.
        self.add_view("drivers", self.drivers_tab, _tr("Drivers && tags"))
        self.subscriptions_tab = DeferredView(self._make_subscriptions, self, preload_after_ms=None)
        self.add_view("subscriptions", self.subscriptions_tab, _tr("Subscriptions"))
        self.driver_history_tab = DeferredView(
            self._make_driver_history, self, preload_after_ms=None
        )
        self.add_view("driver_history", self.driver_history_tab, _tr("Driver history"))
        self.payment_desk_tab = DeferredView(self._make_payment_desk, self, preload_after_ms=None)
        self.add_view("payment_desk", self.payment_desk_tab, _tr("Payment desk"))
        self.payments_tab = DeferredView(self._make_payments, self, preload_after_ms=None)
        self.add_view("payments", self.payments_tab, _tr("Payments"))
        self.reports_tab = DeferredView(self._make_reports, self, preload_after_ms=None)
        self.add_view("reports", self.reports_tab, _tr("Reports"))

        self._server_label = QLabel(self)
        self._stations_label = QLabel(self)
        self._power_label = QLabel(self)
        self._alarms_label = QLabel(self)
        for label in (
            self._server_label,
            self._stations_label,
            self._power_label,
            self._alarms_label,
        ):
            self.statusBar().addPermanentWidget(label)
        self.alarms.unacknowledged_changed.connect(self._show_alarm_count)
        self.pending.pending_changed.connect(lambda n: self._count_in_title("pending", n))
        self._show_alarm_count(self.alarms.unacknowledged)
        self._build_menus(self.open_customer_display)
        bridge.events.connect(self.on_events)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.grid.tick)
        self._tick.timeout.connect(self._update_status_bar)
        self._tick.start()
        self._update_status_bar()
        self._restore()

    # ---- views ----------------------------------------------------------------

    def _make_graphs(self, parent: QWidget) -> QWidget:
        from app.ui.views.graphs import GraphsView

        return GraphsView(self.host, self.overview, parent)

    @property
    def graphs(self) -> GraphsView:
        from app.ui.views.graphs import GraphsView

        view = self.graphs_tab.build()
        assert isinstance(view, GraphsView)
        return view

    def _make_tariffs(self, parent: QWidget) -> QWidget:
        from app.ui.views.tariffs import TariffsView

        return TariffsView(self.host, parent)

    @property
    def tariffs(self) -> TariffsView:
        from app.ui.views.tariffs import TariffsView

        view = self.tariffs_tab.build()
        assert isinstance(view, TariffsView)
        return view

    def _make_drivers(self, parent: QWidget) -> QWidget:
        from app.ui.views.drivers import DriversView

        view = DriversView(
            self.host, parent, history_available=lambda: "driver_history" in self.views
        )
        view.history_requested.connect(self.show_driver_history)
        return view

    @property
    def drivers(self) -> DriversView:
        from app.ui.views.drivers import DriversView

        view = self.drivers_tab.build()
        assert isinstance(view, DriversView)
        return view

    def _make_subscriptions(self, parent: QWidget) -> QWidget:
        from app.ui.views.subscriptions import SubscriptionsView

        return SubscriptionsView(self.host, parent)

    @property
    def subscriptions(self) -> SubscriptionsView:
        from app.ui.views.subscriptions import SubscriptionsView

        view = self.subscriptions_tab.build()
        assert isinstance(view, SubscriptionsView)
        return view

    def _make_driver_history(self, parent: QWidget) -> QWidget:
        from app.ui.views.driver_history import DriverHistoryView

        return DriverHistoryView(self.host, parent)

    @property
    def driver_history(self) -> DriverHistoryView:
        from app.ui.views.driver_history import DriverHistoryView

        view = self.driver_history_tab.build()
        assert isinstance(view, DriverHistoryView)
        return view

    def _make_payment_desk(self, parent: QWidget) -> QWidget:
        from app.ui.views.payment_desk import PaymentDeskView

        return PaymentDeskView(self.host, self.overview, parent)

    @property
    def payment_desk(self) -> PaymentDeskView:
        from app.ui.views.payment_desk import PaymentDeskView

        view = self.payment_desk_tab.build()
        assert isinstance(view, PaymentDeskView)
        return view

    def _make_payments(self, parent: QWidget) -> QWidget:
        from app.ui.views.payments_log import PaymentsLogView

        return PaymentsLogView(self.host, parent=parent)

    @property
    def payments(self) -> PaymentsLogView:
        from app.ui.views.payments_log import PaymentsLogView

        view = self.payments_tab.build()
        assert isinstance(view, PaymentsLogView)
        return view

    def _make_reports(self, parent: QWidget) -> QWidget:
        from app.ui.views.reports import ReportsView

        return ReportsView(self.host, self.overview, parent)

    @property
    def reports(self) -> ReportsView:
        from app.ui.views.reports import ReportsView

        view = self.reports_tab.build()
        assert isinstance(view, ReportsView)
        return view

    def open_customer_display(self) -> QWidget:
        """Terminal mode: the desk's amount, QR code and result on the customer's screen."""
        from app.ui.views.customer_display import show_customer_display

        return show_customer_display(self, self.payment_desk.feed)

    def show_driver_history(self, driver_id: int) -> None:
        """The "driver_history" view on this driver's sessions, if one is registered
        (it is asked with `show_driver(driver_id)`); else nothing."""
        view = self.views.get("driver_history")
        if view is None:
            return
        target = view.build() if isinstance(view, DeferredView) else view
        show_driver = getattr(target, "show_driver", None)
        if callable(show_driver):
            show_driver(driver_id)
        self.tabs.setCurrentWidget(view)

    def add_view(self, name: str, view: QWidget, title: str) -> None:
        self.views[name] = view
        self._titles[name] = title
        index = self.tabs.addTab(view, icon(VIEW_ICONS.get(name, "station")), title)
        if index < 9:
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, v=view: self.tabs.setCurrentWidget(v))
            self.addAction(action)

    def _count_in_title(self, name: str, count: int) -> None:
        view = self.views.get(name)
        if view is None:
            return
        title = self._titles[name]
        self.tabs.setTabText(self.tabs.indexOf(view), f"{title} ({count})" if count else title)

    def _show_alarm_count(self, count: int) -> None:
        self._count_in_title("alarms", count)
        self._alarms_label.setText(_tr("Unacknowledged alarms: {n}").format(n=count))
        self._alarms_label.setStyleSheet("color: #d0342c; font-weight: bold;" if count else "")

    def _dismiss_welcome(self) -> None:
        if self.welcome is None:
            return
        was_current = self.tabs.currentWidget() is self.welcome
        self.tabs.removeTab(self.tabs.indexOf(self.welcome))
        self.views.pop("welcome", None)
        self.welcome.deleteLater()
        self.welcome = None
        if was_current:
            self.tabs.setCurrentWidget(self.grid)

    def on_events(self, batch: list[DomainEvent]) -> None:
        changed: set[tuple[str, int]] = set()
        for event in batch:
            changed |= self.overview.apply(event)
        if changed:
            self.grid.changed(changed)
        for view in list(self.views.values()):
            hook = getattr(view, "on_events", None)
            if hook is not None and view is not self.grid:
                hook(batch, changed)

    def _update_status_bar(self) -> None:
        """Once a second (a status bar read by people needs no more)."""
        stations = self.overview.stations()
        online = {r.station_id for r in self.overview.rows.values() if r.connected}
        self._server_label.setText(
            _tr("Server: listening on port {port}").format(port=self.host.port)
        )
        self._stations_label.setText(
            _tr("Stations online: {online} of {total}").format(
                online=len(online), total=len(stations)
            )
        )
        self._power_label.setText(
            _tr("Site power: {kw} kW").format(kw=kilo(self.overview.site_power_w()))
        )

    # ---- menus and actions ------------------------------------------------------

    # ---- lifecycle ----------------------------------------------------------------

    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        tab = settings.value("window/tab")
        if self.welcome is None and isinstance(tab, str) and tab in self.views:
            self.tabs.setCurrentWidget(self.views[tab])
        stations = settings.value("window/open_stations")
        if isinstance(stations, str):
            stations = [stations]
        if isinstance(stations, list):
            current = self.tabs.currentWidget()
            known = self.overview.stations()
            for station_id in stations:
                if str(station_id) in known:
                    open_station(self, str(station_id))
            self.tabs.setCurrentWidget(current)
        hidden = settings.value("grid/hidden_columns")
        if isinstance(hidden, list):
            self.grid.set_hidden_columns([str(h) for h in hidden])
        elif isinstance(hidden, str):
            self.grid.set_hidden_columns([hidden])

    def _save(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        current = self.tabs.currentWidget()
        names = [name for name, view in self.views.items() if view is current]
        if names:
            settings.setValue("window/tab", names[0])
        settings.setValue("grid/hidden_columns", self.grid.hidden_columns())
        settings.setValue(
            "window/open_stations",
            [name.split(":", 1)[1] for name in self.views if name.startswith("station:")],
        )

    def shutdown(self) -> None:
        """Stop the demo, then the engine (server closes, writes commit)."""
        self._tick.stop()
        self.graphs_tab.cancel()
        self.bridge.stop()
        if self.demo is not None:
            self.demo.stop()
            self.demo = None
        self.host.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save()
        self.statusBar().showMessage(_tr("Shutting down…"))
        self.shutdown()
        event.accept()
        self.closed.set()
