"""Files from the Driver history: the sessions shown as CSV, and a monthly statement as
PDF or CSV (built by SubscriptionService.statement, laid out by app/ui/reports).

Where to save is asked through module functions, so tests and the screenshot script
replace them and nothing modal blocks.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.statements import CsvStyle, Statement, statement_csv
from app.domain.subscriptions import Month
from app.ui.dialogs.validated_form import ERROR_COLOUR
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.views.history_tables import month_text

log = logging.getLogger(__name__)
MONTHS_BACK = 24


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverHistory", text)


def file_stem(*parts: str) -> str:
    """ "statement", "Åsa Öberg", "2026-11" → "statement-asa-oberg-2026-11"."""
    text = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


def ask_csv_path(parent: QWidget | None, caption: str, name: str) -> tuple[Path, CsvStyle] | None:
    """Where to save a CSV file and in which style; None when cancelled."""
    comma = _tr("CSV, comma-separated (*.csv)")
    semicolon = _tr("CSV for spreadsheets in Swedish, semicolon-separated (*.csv)")
    path, chosen = QFileDialog.getSaveFileName(parent, caption, name, f"{comma};;{semicolon}")
    if not path:
        return None
    return Path(path), CsvStyle.SEMICOLON if chosen == semicolon else CsvStyle.COMMA


def ask_pdf_path(parent: QWidget | None, caption: str, name: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, caption, name, _tr("PDF documents (*.pdf)"))
    return Path(path) if path else None


def write_text(path: Path, text: str) -> str | None:
    """Write the file; None when done, else why not (in the operator's words)."""
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        log.warning("cannot write %s: %s", path, exc)
        return _tr("The file could not be written: {reason}").format(reason=exc.strerror)
    return None


def recent_months(this_month: Month, count: int = MONTHS_BACK) -> list[Month]:
    months = [this_month]
    while len(months) < count:
        first = months[-1].first_day
        months.append(
            Month(first.year - 1, 12) if first.month == 1 else Month(first.year, first.month - 1)
        )
    return months


class StatementDialog(QDialog):
    """Pick a month; save that month's statement for the driver as PDF or CSV."""

    def __init__(
        self,
        host: EngineHost,
        driver_id: int,
        driver_name: str,
        this_month: Month,
        chosen: Month,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.driver_id = driver_id
        self.driver_name = driver_name
        self.busy = False
        self.written: Path | None = None  # the last file saved, for whoever waits for it
        self.setWindowTitle(_tr("Statement for {driver}").format(driver=driver_name))
        self.setMinimumWidth(460)
        intro = QLabel(
            _tr(
                "The month's sessions with their prices, the subscription fees and the VAT, "
                "as the driver would receive it. A month still under way is marked "
                "provisional."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.month = QComboBox(self)
        for month in recent_months(this_month):
            self.month.addItem(month_text(month), month)
        index = self.month.findData(chosen)
        self.month.setCurrentIndex(max(0, index))
        form = QFormLayout()
        form.addRow(_tr("Month:"), self.month)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.pdf_button = QPushButton(_tr("Save &PDF…"), self)
        self.csv_button = QPushButton(_tr("Save &CSV…"), self)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.csv_button.clicked.connect(self.save_csv)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

    def chosen_month(self) -> Month:
        month = self.month.currentData()
        assert isinstance(month, Month)
        return month

    def _name(self, suffix: str) -> str:
        return f"{file_stem(_tr('statement'), self.driver_name, str(self.chosen_month()))}.{suffix}"

    def save_pdf(self) -> None:
        path = ask_pdf_path(self, _tr("Save statement as PDF"), self._name("pdf"))
        if path is not None:
            self._fetch(lambda statement: self._write_pdf(statement, path))

    def save_csv(self) -> None:
        choice = ask_csv_path(self, _tr("Save statement as CSV"), self._name("csv"))
        if choice is not None:
            path, style = choice
            self._fetch(lambda statement: self._write_csv(statement, path, style))

    def _fetch(self, write: Callable[[Statement], None]) -> None:
        if self.busy:
            return
        self.busy = True
        self._enable(False)
        month, driver_id = self.chosen_month(), self.driver_id

        def done(statement: Statement) -> None:
            if not shiboken6.isValid(self):
                return
            self.busy = False
            self._enable(True)
            write(statement)

        def failed(message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.busy = False
                self._enable(True)
                self._say(message, error=True)

        EngineOp(
            self._host, lambda s: s.subscriptions.statement(driver_id, month.year, month.month)
        ).success(done).failure(failed).run()

    def _write_pdf(self, statement: Statement, path: Path) -> None:
        from app.ui.reports.statement_pdf import write_statement_pdf

        write_statement_pdf(statement, path)
        if not path.is_file() or not path.stat().st_size:
            self._say(
                _tr("The file could not be written: {reason}").format(reason=path), error=True
            )
            return
        self._saved(statement, path)

    def _write_csv(self, statement: Statement, path: Path, style: CsvStyle) -> None:
        problem = write_text(path, statement_csv(statement, style))
        if problem is not None:
            self._say(problem, error=True)
            return
        self._saved(statement, path)

    def _saved(self, statement: Statement, path: Path) -> None:
        self.written = path
        text = _tr("Saved the statement for {month} to {path}.").format(
            month=month_text(statement.month), path=path
        )
        if statement.provisional:
            text += " " + _tr("It is provisional: a session was still charging.")
        self._say(text)

    def _enable(self, enabled: bool) -> None:
        for widget in (self.pdf_button, self.csv_button, self.month):
            widget.setEnabled(enabled)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setStyleSheet(f"color: {ERROR_COLOUR if error else '#2e9d57'};")
        self.result_label.setText(text)
        self.result_label.show()
