"""Reports: usage and demand of a site (or every station) over a range of local days.

The pickers choose the range, site and grouping; the report is computed on the
engine thread (`analytics.report`, a year can take seconds) while a progress bar
runs, and a newer request supersedes one still running (its answer is dropped).
Tables and charts draw from the same report: the usage table and utilisation bars,
the weekday × hour heat map, demand and the connection limit, the capacity summary
with its method, and the station league. A click on a bar, a table row or a heat-map
cell lists the sessions behind it. Every table exports as CSV, the whole report as PDF.

Wiring (main window): a lazy `DeferredView(lambda p: ReportsView(host, overview, p))`
tab "Reports" with icon "reports".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain.overview import SiteOverview
from app.domain.sites import Site
from app.services.analytics import SessionRow, SiteReport
from app.services.container import Services
from app.ui.dialogs.report_sessions import ReportSessionsDialog
from app.ui.dialogs.statement_export import ask_pdf_path
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.reports.report_pdf import write_report_pdf
from app.ui.views.reports_charts import HeatMapView, UtilisationChart, weekday_names
from app.ui.views.reports_picker import ReportPicker
from app.ui.views.reports_sections import LimitEditor, Section, SummarySection, TableSection
from app.ui.views.reports_tables import (
    DrillKey,
    ReportTable,
    demand_table,
    league_table,
    usage_table,
)

AskPdfPath = Callable[[QWidget | None, str, str], Path | None]
Query = tuple[int | None, date, date]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


class ReportsView(QWidget):
    def __init__(
        self,
        host: EngineHost,
        overview: SiteOverview,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.overview = overview
        self.zone = site_zone(host.settings)
        self.currency = host.settings.currency
        self.ask_pdf_path: AskPdfPath = ask_pdf_path
        self.report: SiteReport | None = None
        self.query: Query | None = None
        self.requested = 0  # asks so far
        self.loading = False
        self.pending = False  # asked again while a read ran
        self.error: str | None = None
        self.drill_dialog: ReportSessionsDialog | None = None

        self.picker = ReportPicker(
            (lambda: today) if today is not None else lambda: datetime.now(self.zone).date(), self
        )
        self.picker.changed.connect(self.load)
        self.refresh_button = QPushButton(_tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.load)
        self.pdf_button = QPushButton(_tr("Export PDF…"), self)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: how long a report takes is not known
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.progress)
        top.addWidget(self.refresh_button)
        top.addWidget(self.pdf_button)

        content = QWidget(self)
        self.summary = SummarySection(content)
        self.demand = TableSection(_tr("Demand"), content)
        self.limit = LimitEditor(self.demand)
        self.limit.submitted.connect(self.set_limit)
        self.demand.body.addWidget(self.limit)
        self.usage = TableSection(_tr("Usage"), content)
        self.usage.picked.connect(self.drill)
        self.chart = UtilisationChart(self.usage)
        self.chart.picked.connect(self.drill)
        self.usage.body.insertWidget(1, self.chart)
        self.heat_section = Section(_tr("Occupancy by hour and weekday"), content)
        self.heat = HeatMapView(self.heat_section)
        self.heat.picked.connect(self.drill_cell)
        self.heat_section.body.addWidget(self.heat)
        self.league = TableSection(_tr("Station league"), content)
        self.league.picked.connect(self.drill)
        body = QVBoxLayout(content)
        for section in (self.summary, self.usage, self.heat_section, self.demand, self.league):
            body.addWidget(section)
        body.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self.status.hide()
        self.reload_sites()
        self.load()

    # ---- reading ------------------------------------------------------------------

    def reload_sites(self) -> None:
        async def call(services: Services) -> list[Site]:
            return await services.sites.sites()

        EngineOp(self.host, call).success(self._sites_loaded).run()

    def _sites_loaded(self, sites: list[Site]) -> None:
        self.picker.set_sites(sites)

    def current_query(self) -> Query:
        first, last = self.picker.range
        return self.picker.site_id, first, last

    def load(self) -> None:
        """Read the report the pickers describe. One read runs at a time: asks made
        meanwhile supersede it (its answer is dropped unless it is still what the
        pickers say) and fold into one read after it, so the engine never works
        through a queue of reports nobody will look at."""
        if not self.host.running:
            return
        self.requested += 1
        if self.loading:
            self.pending = True
            return
        query = self.current_query()
        self.loading = True
        self.pending = False
        self.progress.show()

        async def call(services: Services) -> tuple[Query, SiteReport, int | None]:
            site_id = query[0]
            report = await services.analytics.report(*query)
            limit = None if site_id is None else await services.analytics.connection_limit(site_id)
            return query, report, limit

        EngineOp(self.host, call).success(self._loaded).failure(self._failed).run()

    def _loaded(self, answer: tuple[Query, SiteReport, int | None]) -> None:
        query, report, limit = answer
        self.loading = False
        if self.pending and query != self.current_query():
            self.load()  # superseded: read what the pickers say now
            return
        self.pending = False
        self.progress.hide()
        self.error = None
        self.status.hide()
        self.query, self.report = query, report
        self.show_report(report, limit)

    def _failed(self, message: str, _exc: BaseException) -> None:
        self.loading = False
        if self.pending:
            self.load()
            return
        self.progress.hide()
        self.error = message
        self.status.setText(message)
        self.status.show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.report is not None:
            self.reload_sites()  # sites may have been added or renamed meanwhile

    # ---- showing ------------------------------------------------------------------

    def tables(self) -> list[ReportTable]:
        """The tables as shown (and as exported)."""
        if self.report is None:
            return []
        return [
            usage_table(self.report, self.picker.per_connector, self.currency),
            demand_table(self.report),
            league_table(self.report),
        ]

    def show_report(self, report: SiteReport, limit_w: int | None) -> None:
        usage, demand, league = self.tables()
        self.usage.show_table(usage)
        self.demand.show_table(demand)
        self.league.show_table(league)
        self.summary.show_summary(report.summary)
        self.heat.show_heat(report.demand.heat_map)
        self.limit.show_limit(report.usage.site_id, limit_w)
        per_connector = self.picker.per_connector
        units = (
            [(f"{c.station_id}/{c.connector_id}", c.utilisation) for c in report.usage.connectors]
            if per_connector
            else [(s.station_id, s.utilisation) for s in report.usage.stations]
        )
        self.chart.show_bars(
            [label for label, _ in units], [share for _, share in units], list(usage.keys)
        )

    # ---- drill-down ---------------------------------------------------------------

    def drill(self, key: DrillKey) -> None:
        if key is None:
            return
        station_id, connector_id = key
        title = station_id if connector_id is None else f"{station_id} / {connector_id}"
        self._drill(title, station_id=station_id, connector_id=connector_id)

    def drill_cell(self, weekday: int, hour: int) -> None:
        title = f"{weekday_names()[weekday]} {hour:02d}–{(hour + 1) % 24:02d}"
        self._drill(title, weekday=weekday, hour=hour)

    def _drill(
        self,
        title: str,
        *,
        station_id: str | None = None,
        connector_id: int | None = None,
        weekday: int | None = None,
        hour: int | None = None,
    ) -> None:
        if self.query is None:
            return
        site_id, first, last = self.query

        async def call(services: Services) -> tuple[str, tuple[SessionRow, ...]]:
            rows = await services.analytics.sessions_behind(
                site_id,
                first,
                last,
                station_id=station_id,
                connector_id=connector_id,
                weekday=weekday,
                hour=hour,
            )
            return title, rows

        EngineOp(self.host, call).success(self._show_sessions).failure(self._failed).run()

    def _show_sessions(self, answer: tuple[str, tuple[SessionRow, ...]]) -> None:
        title, rows = answer
        if self.drill_dialog is not None:
            self.drill_dialog.close()
        self.drill_dialog = ReportSessionsDialog(title, rows, self.currency, self.zone, self)
        self.drill_dialog.show()

    # ---- connection limit ---------------------------------------------------------

    def set_limit(self, watts: int | None) -> None:
        site_id = self.picker.site_id
        if site_id is None:
            return

        async def call(services: Services) -> None:
            await services.analytics.set_connection_limit(site_id, watts)

        EngineOp(self.host, call).success(lambda _none: self.load()).failure(self._failed).run()

    # ---- PDF ----------------------------------------------------------------------

    def title_text(self) -> str:
        return _tr("Usage and demand report")

    def export_pdf(self) -> Path | None:
        if self.report is None:
            return None
        period = self.report.usage.period
        name = f"chargedesk-report-{period.first.isoformat()}-{period.last.isoformat()}.pdf"
        path = self.ask_pdf_path(self, _tr("Export report as PDF"), name)
        if path is None:
            return None
        charts = [
            ("usage", _tr("Utilisation"), self.chart.grab().toImage()),
            ("usage", _tr("Occupancy by hour and weekday"), self.heat.grab().toImage()),
        ]
        try:
            write_report_pdf(self.report, path, self.title_text(), self.tables(), charts)
        except OSError as exc:
            self.status.setText(str(exc))
            self.status.show()
            return None
        return path
