"""Driver history: every charging session of one driver with station, time, energy,
duration and cost, totals per month, the budget this month, and files to take away.

Pick a driver (type part of the name) and a period. Sessions still charging show
their live price, marked live. The screen re-reads when a session starts, stops or
is priced, and when subscriptions or drivers change; while one of the shown
sessions charges, its price is refreshed at most every few seconds as readings
arrive. Export saves the sessions shown as CSV; Statement… saves a month's
statement (sessions, fees, VAT) as PDF or CSV.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain import events as ev
from app.domain.access import DriverCard
from app.domain.driver_history import PeriodKind, history_csv, previous_month, priced
from app.ui.dialogs import statement_export
from app.ui.dialogs.member_form import picked
from app.ui.dialogs.statement_export import StatementDialog, file_stem
from app.ui.dialogs.validated_form import say
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.operations import EngineOp, Reloader
from app.ui.views.budget import BudgetPanel
from app.ui.views.driver_picker import DriverPicker
from app.ui.views.history_tables import (
    HISTORY_LIMIT,
    DriverHistory,
    HistoryQuery,
    MonthTotalTableModel,
    SessionTableModel,
    costs_text,
    kwh_text,
    load_history,
)
from app.ui.views.subscription_tables import DRIVERS_LIMIT
from app.ui.views.tariff_tables import MUTED, make_table

TRIGGERS = (
    ev.TransactionStarted,
    ev.TransactionStopped,
    ev.SessionPriced,
    ev.SubscriptionChanged,
    ev.PlanChanged,
    ev.AccessChanged,
)
LIVE_REFRESH_MS = 5000
DATE_FORMAT = "yyyy-MM-dd"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverHistory", text)


class DriverHistoryView(QWidget):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._reload: Reloader[DriverHistory] = Reloader(
            self, host, self._loaded, self._say_failed, self.refresh
        )
        self._wanted: int | None = None  # asked for before the drivers were loaded
        self.loads = 0  # finished loads of a driver's history, for whoever waits
        self.drivers_loaded = False
        self.history: DriverHistory | None = None
        self.statement_dialog: StatementDialog | None = None

        self.driver = DriverPicker(self)
        self.driver.driver_chosen.connect(lambda _id: self.refresh())
        self.period = QComboBox(self)
        for text, kind in (
            (_tr("This month"), PeriodKind.THIS_MONTH),
            (_tr("Last month"), PeriodKind.LAST_MONTH),
            (_tr("Custom range"), PeriodKind.CUSTOM),
            (_tr("All sessions"), PeriodKind.ALL),
        ):
            self.period.addItem(text, kind)
        self.period.currentIndexChanged.connect(lambda _i: self._period_changed())
        today = QDate.currentDate()
        self.first_day = QDateEdit(QDate(today.year(), today.month(), 1), self)
        self.last_day = QDateEdit(today, self)
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.dateChanged.connect(lambda _d: self._range_changed())
        self.range_to = QLabel(_tr("to"), self)
        self.export_button = QPushButton(_tr("E&xport CSV…"), self)
        self.export_button.setToolTip(_tr("Save the sessions shown to a CSV file"))
        self.export_button.clicked.connect(self.export_csv)
        self.statement_button = QPushButton(_tr("&Statement…"), self)
        self.statement_button.setToolTip(
            _tr("Save a month's statement (sessions, fees, VAT) as PDF or CSV")
        )
        self.statement_button.clicked.connect(self.open_statement)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Driver:"), self))
        bar.addWidget(self.driver, 2)
        bar.addSpacing(12)
        bar.addWidget(QLabel(_tr("Period:"), self))
        bar.addWidget(self.period)
        bar.addWidget(self.first_day)
        bar.addWidget(self.range_to)
        bar.addWidget(self.last_day)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.statement_button)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.sessions = SessionTableModel(self)
        self.session_table = make_table(self.sessions, self)
        header = self.session_table.horizontalHeader()
        for column, width in enumerate((125, 105, 78, 92, 100, 108, 130, 95)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.session_table, 1)

        self.budget = BudgetPanel(self)
        totals_box = QGroupBox(_tr("The last 12 months"), self)
        self.totals = MonthTotalTableModel(totals_box)
        self.totals_table = make_table(self.totals, totals_box)
        self.totals_table.setSelectionMode(self.totals_table.SelectionMode.NoSelection)
        totals_header = self.totals_table.horizontalHeader()
        totals_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            totals_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        totals_header.setStretchLastSection(False)
        totals_layout = QVBoxLayout(totals_box)
        totals_layout.addWidget(self.totals_table)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.budget)
        right_layout.addWidget(totals_box, 1)
        right.setMinimumWidth(340)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.notice)

        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self.refresh)
        self._period_changed()
        self.load_drivers()

    # ---- what to show --------------------------------------------------------------

    def show_driver(self, driver_id: int) -> None:
        """Show this driver's sessions (asked by the Drivers & tags tab)."""
        if not self.drivers_loaded or not self.driver.choose(driver_id):
            self._wanted = driver_id
            self.load_drivers()

    def query(self) -> HistoryQuery | None:
        driver_id = self.driver.driver_id()
        if driver_id is None:
            return None
        kind = self.period_kind()
        if kind is not PeriodKind.CUSTOM:
            return HistoryQuery(driver_id, kind)
        return HistoryQuery(driver_id, kind, picked(self.first_day), picked(self.last_day))

    def period_kind(self) -> PeriodKind:
        # Qt hands the enum back as its plain string value.
        return PeriodKind(self.period.currentData())

    def set_period(self, kind: PeriodKind) -> None:
        self.period.setCurrentIndex(self.period.findData(kind))

    def _period_changed(self) -> None:
        custom = self.period_kind() is PeriodKind.CUSTOM
        for widget in (self.first_day, self.range_to, self.last_day):
            widget.setVisible(custom)
        self.refresh()

    def _range_changed(self) -> None:
        if self.period_kind() is PeriodKind.CUSTOM:
            self.refresh()

    # ---- loading -------------------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(isinstance(event, ev.AccessChanged) for event in batch):
            self.load_drivers()
        if any(isinstance(event, TRIGGERS) for event in batch):
            self.refresh()
            return
        live = self._live_ids()
        if live and not self._live_timer.isActive():
            readings = (e for e in batch if isinstance(e, ev.MeterValuesReceived))
            if any(e.transaction_id in live for e in readings):
                self._live_timer.start()

    def _live_ids(self) -> set[int]:
        if self.history is None:
            return set()
        return {r.transaction_id for r in self.history.records if r.stopped_at is None}

    def load_drivers(self) -> None:
        if not self._host.running:
            return

        def loaded(cards: list[DriverCard]) -> None:
            if not shiboken6.isValid(self):
                return
            self.drivers_loaded = True
            self.driver.set_drivers(cards)
            wanted, self._wanted = self._wanted, None
            if wanted is not None and not self.driver.choose(wanted):
                say(self.notice, _tr("That driver is no longer registered."), error=True)

        EngineOp(self._host, lambda s: s.access.drivers(limit=DRIVERS_LIMIT)).success(
            loaded
        ).failure(self._load_failed).run()

    def refresh(self) -> None:
        query = self.query()
        if query is None:
            self._show(None)
            return
        if query.first is not None and query.last is not None and query.last < query.first:
            say(self.notice, _tr("The period cannot end before it starts."), error=True)
            return
        if self._reload.start(lambda s: load_history(s, query)):
            self._live_timer.stop()

    def _loaded(self, history: DriverHistory) -> None:
        if history.query == self.query():
            self.notice.hide()
            self._show(history)
            self.loads += 1
        else:
            self._reload.stale()  # the driver or period changed while this was read

    def _load_failed(self, message: str, _exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._say_failed(message)

    def _say_failed(self, message: str) -> None:
        say(self.notice, sentence(message), error=True)

    def _show(self, history: DriverHistory | None) -> None:
        self.history = history
        self.export_button.setEnabled(history is not None and bool(history.records))
        self.statement_button.setEnabled(history is not None)
        if history is None:
            self.sessions.set_rows([])
            self.totals.set_rows([])
            self.budget.show_status(None, driver_chosen=False)
            self.summary.setStyleSheet(f"color: {MUTED};")
            self.summary.setText(_tr("Choose a driver to see their charging sessions."))
            return
        self.sessions.set_history(history)
        self.totals.set_rows(history.totals)
        self.budget.show_status(history.budget)
        self.summary.setStyleSheet("")
        self.summary.setText(self._summary_text(history))

    def _summary_text(self, history: DriverHistory) -> str:
        records = history.records
        if not records:
            return _tr("No sessions in this period.")
        costs: dict[str, int] = {}
        for record in records:
            if record.currency is not None and record.total_minor is not None:
                costs[record.currency] = costs.get(record.currency, 0) + record.total_minor
        text = _tr("Sessions: {n} · {kwh} kWh · {cost}").format(
            n=len(records),
            kwh=kwh_text(sum(r.energy_wh or 0 for r in records)),
            cost=costs_text(tuple(sorted(costs.items()))) or _tr("no price"),
        )
        live = sum(1 for r in records if r.stopped_at is None and priced(r))
        if live:
            text += " · " + _tr("{n} charging now, at the price so far").format(n=live)
        if history.truncated:
            text += " · " + _tr("only the newest {n} are shown").format(n=HISTORY_LIMIT)
        return text

    # ---- files ---------------------------------------------------------------------

    def export_csv(self) -> None:
        history = self.history
        if history is None or not history.records:
            return
        kind = history.query.period
        label = {
            PeriodKind.THIS_MONTH: str(history.month),
            PeriodKind.LAST_MONTH: str(previous_month(history.month)),
            PeriodKind.ALL: _tr("all"),
        }.get(kind, f"{history.query.first}-{history.query.last}")
        name = f"{file_stem(_tr('sessions'), history.card.driver.name, label)}.csv"
        choice = statement_export.ask_csv_path(self, _tr("Export sessions"), name)
        if choice is None:
            return
        path, style = choice
        problem = statement_export.write_text(
            path, history_csv(history.records, history.zone, style)
        )
        if problem is not None:
            say(self.notice, problem, error=True)
            return
        say(
            self.notice,
            _tr("Sessions saved to {path}: {n}.").format(n=len(history.records), path=path),
        )

    def open_statement(self) -> StatementDialog | None:
        history = self.history
        if history is None:
            return None
        chosen = (
            history.month
            if history.query.period is PeriodKind.THIS_MONTH
            else previous_month(history.month)
        )
        dialog = StatementDialog(
            self._host,
            history.card.driver.id,
            history.card.driver.name,
            history.month,
            chosen,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "statement_dialog", None))
        self.statement_dialog = dialog
        dialog.open()
        return dialog
