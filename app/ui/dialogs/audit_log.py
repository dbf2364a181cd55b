"""The audit log, for an admin: who did what, when, through which part, and how it ended.

Read only: the log is append-only in the store and nothing here edits or removes
an entry. Filters (local days, actor, action prefix, outcome, source) are read by
the service; denied and failed entries stand out. Export CSV… writes what the
filters select, in UTC as stored, and the service audits the export itself.
A role that may not read the log sees the service's refusal instead of entries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain.audit import AuditEntry, AuditQuery, Outcome
from app.domain.operators import Source
from app.domain.settlement import day_bounds
from app.services.audit import MAX_PAGE
from app.services.container import Services
from app.ui.dialogs.operator_form import role_name
from app.ui.dialogs.statement_export import write_text
from app.ui.dialogs.validated_form import say
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, Reloader
from app.ui.table_model import Index, RowsTableModel, rows_table

COLUMNS = ("time", "actor", "role", "source", "action", "target", "outcome", "detail")
DATE_FORMAT = "yyyy-MM-dd"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
PAGE = 500
DAYS_SHOWN = 30
# Denied (the role did not allow it) and failed (tried, did not work) stand out.
OUTCOME_TEXT = {Outcome.DENIED: QColor("#b3261e"), Outcome.FAILED: QColor("#9a5b00")}
OUTCOME_BACKGROUND = {Outcome.DENIED: QColor("#fde7e5"), Outcome.FAILED: QColor("#fff3d6")}


def tr(text: str) -> str:
    return QCoreApplication.translate("AuditLogDialog", text)


def outcome_name(outcome: Outcome) -> str:
    names = {Outcome.OK: tr("Done"), Outcome.DENIED: tr("Denied"), Outcome.FAILED: tr("Failed")}
    return names[outcome]


def source_name(source: Source) -> str:
    names = {
        Source.UI: tr("Control room"),
        Source.API: tr("HTTP API"),
        Source.CLI: tr("Command line"),
        Source.SYSTEM: tr("ChargeDesk itself"),
    }
    return names[source]


def ask_csv_path(parent: QWidget | None, name: str) -> Path | None:
    """Where to save the export; None when cancelled. Tests replace this."""
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("Export the audit log as CSV"), name, tr("CSV, comma-separated (*.csv)")
    )
    return Path(path) if path else None


class AuditTableModel(RowsTableModel[AuditEntry]):
    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "time": tr("Time"),
                "actor": tr("Who"),
                "role": tr("Role"),
                "source": tr("Through"),
                "action": tr("Action"),
                "target": tr("Target"),
                "outcome": tr("Outcome"),
                "detail": tr("Detail"),
            },
            parent,
        )
        self._zone = zone

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return OUTCOME_BACKGROUND.get(entry.outcome)
        if role == Qt.ItemDataRole.ForegroundRole and column == "outcome":
            return OUTCOME_TEXT.get(entry.outcome)
        if (
            role == Qt.ItemDataRole.FontRole
            and column == "outcome"
            and entry.outcome is not Outcome.OK
        ):
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "time":
                return tr("{time} UTC").format(time=entry.at.astimezone(UTC).strftime(TIME_FORMAT))
            if column == "detail" and entry.detail:
                return entry.detail
        return None

    def _display(self, entry: AuditEntry, column: str) -> str:
        if column == "time":
            return entry.at.astimezone(self._zone).strftime(TIME_FORMAT)
        if column == "role":
            return role_name(entry.role)
        if column == "source":
            return source_name(entry.source)
        if column == "outcome":
            return outcome_name(entry.outcome)
        value = getattr(entry, column)
        assert isinstance(value, str)
        return value


class AuditLogDialog(QDialog):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.zone = site_zone(host.settings)
        self.loads = 0  # reads finished (or refused), for whoever waits for one
        self.exports = 0
        self.written: Path | None = None
        self.refused: str | None = None
        self._reload: Reloader[list[AuditEntry]] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )
        self.setWindowTitle(tr("Audit log"))
        self.setMinimumSize(960, 520)

        today = datetime.now(UTC).astimezone(self.zone).date()
        self.since = self._date_edit(today - timedelta(days=DAYS_SHOWN - 1), today)
        self.until = self._date_edit(today, today)
        self.actor = QLineEdit(self)
        self.actor.setPlaceholderText(tr("anyone (exact user name)"))
        self.action = QLineEdit(self)
        self.action.setPlaceholderText(tr("any (e.g. operator. or tariff.)"))
        self.outcome = QComboBox(self)
        self.outcome.addItem(tr("Any outcome"))
        for outcome in Outcome:
            self.outcome.addItem(outcome_name(outcome))
        self.source = QComboBox(self)
        self.source.addItem(tr("Any part"))
        for source in Source:
            self.source.addItem(source_name(source))
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.refresh())
        for line in (self.actor, self.action):
            line.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.outcome, self.source):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QGridLayout()
        filters.addWidget(QLabel(tr("From:"), self), 0, 0)
        filters.addWidget(self.since, 0, 1)
        filters.addWidget(QLabel(tr("To:"), self), 0, 2)
        filters.addWidget(self.until, 0, 3)
        filters.addWidget(QLabel(tr("Outcome:"), self), 0, 4)
        filters.addWidget(self.outcome, 0, 5)
        filters.addWidget(QLabel(tr("Who:"), self), 1, 0)
        filters.addWidget(self.actor, 1, 1)
        filters.addWidget(QLabel(tr("Action:"), self), 1, 2)
        filters.addWidget(self.action, 1, 3)
        filters.addWidget(QLabel(tr("Through:"), self), 1, 4)
        filters.addWidget(self.source, 1, 5)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        filters.setColumnStretch(5, 1)

        self.model = AuditTableModel(self.zone, self)
        self.table = rows_table(self.model, self, single=False, stripes=False)
        self.count = QLabel(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton(tr("&Export CSV…"), self)
        self.export_button.setToolTip(
            tr(
                "Every entry the filters select (up to {n}), times in UTC; the export is logged"
            ).format(n=f"{MAX_PAGE:,}")
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_csv)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.refresh()

    def _date_edit(self, shown: date, today: date) -> QDateEdit:
        edit = QDateEdit(QDate(shown.year, shown.month, shown.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setMaximumDate(QDate(today.year, today.month, today.day))
        return edit

    # ---- the query -----------------------------------------------------------------

    def query(self, limit: int = PAGE) -> AuditQuery:
        """What the filters say: local days from the start of From to the end of To."""
        since = day_bounds(_day(self.since), self.zone)[0]
        until = day_bounds(_day(self.until), self.zone)[1]
        # By position: Qt hands a StrEnum back as a plain str. 0 is "any".
        n, m = self.outcome.currentIndex(), self.source.currentIndex()
        outcome = list(Outcome)[n - 1] if n > 0 else None
        source = list(Source)[m - 1] if m > 0 else None
        return AuditQuery(
            since=since,
            until=until,
            actor=self.actor.text().strip().lower() or None,
            action_prefix=self.action.text().strip() or None,
            outcome=outcome,
            limit=limit,
            sources=frozenset() if source is None else frozenset({source}),
        )

    # ---- reading -------------------------------------------------------------------

    def refresh(self) -> None:
        query = self.query()

        async def read(s: Services) -> list[AuditEntry]:
            return await s.audit.entries(query)

        self._reload.start(read)

    def _loaded(self, entries: list[AuditEntry]) -> None:
        self.refused = None
        self.model.set_rows(entries)
        self.loads += 1
        self.table.show()
        self.notice.hide()
        self.export_button.setEnabled(bool(entries))
        if not entries:
            text = tr("No entries match these filters.")
        elif len(entries) >= PAGE:
            text = tr("{n} entries, newest first; showing the first {page}.").format(
                n=f"{len(entries):,}", page=f"{PAGE:,}"
            )
            text += " " + tr("Narrow the filters to see older ones.")
        else:
            text = tr("{n} entries, newest first.").format(n=f"{len(entries):,}")
        self.count.setText(text)

    def _load_failed(self, message: str) -> None:
        """A refusal (or any error) shows instead of the entries, never beside old ones."""
        self.refused = message
        self.model.set_rows([])
        self.loads += 1
        self.table.hide()
        self.count.setText("")
        self.export_button.setEnabled(False)
        say(self.notice, message, error=True)

    # ---- export --------------------------------------------------------------------

    def export_csv(self) -> None:
        query = self.query(MAX_PAGE)
        name = f"audit-log-{_day(self.since).isoformat()}-{_day(self.until).isoformat()}.csv"
        path = ask_csv_path(self, name)
        if path is None:
            return

        async def export(s: Services) -> str:
            return await s.audit.export_csv(query)

        def exported(text: str) -> None:
            if not shiboken6.isValid(self):
                return
            problem = write_text(path, text)
            if problem is not None:
                say(self.notice, problem, error=True)
                return
            self.written = path
            self.exports += 1
            say(self.notice, tr("Saved to {path}.").format(path=path))
            self.refresh()  # the export is in the log now

        def failed(message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.exports += 1
                say(self.notice, tr("Not exported: {why}").format(why=message), error=True)

        EngineOp(self._host, export).success(exported).failure(failed).run()


def _day(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


def open_audit_log(parent: QWidget | None, host: EngineHost) -> AuditLogDialog:
    """Open window-modal without blocking the caller; deleted when closed."""
    dialog = AuditLogDialog(host, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
