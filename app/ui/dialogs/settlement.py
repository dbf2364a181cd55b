"""The end-of-day settlement (Z-report) of a chosen day: totals per payment method,
refunds, voided cash, card holds still open and the cash expected in the drawer;
Print…, Save PDF… and Save CSV….

The report is read from the ledger on the engine thread when the dialog opens and
when the day changes; what is printed or saved is what the dialog shows.
The print and file dialogs are asked through module functions that tests replace.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain.price_format import format_money
from app.domain.settlement import Settlement, settlement_csv
from app.domain.statements import CsvStyle
from app.services.container import Services
from app.ui.dialogs import receipt as receipt_dialog
from app.ui.dialogs.statement_export import ask_pdf_path, write_text
from app.ui.dialogs.validated_form import say
from app.ui.engine_host import EngineHost
from app.ui.operations import Reloader
from app.ui.reports.pages import prepare_a4
from app.ui.reports.settlement_print import (
    print_settlement,
    settlement_html,
    write_settlement_pdf,
)

DATE_FORMAT = "yyyy-MM-dd"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Settlement", text)


def ask_csv_path(parent: QWidget | None, caption: str, name: str) -> tuple[Path, CsvStyle] | None:
    """Where to save the CSV and in which style; semicolons (Swedish spreadsheets) first."""
    semicolon = _tr("CSV for spreadsheets in Swedish, semicolon-separated (*.csv)")
    comma = _tr("CSV, comma-separated (*.csv)")
    path, chosen = QFileDialog.getSaveFileName(
        parent, caption, name, f"{semicolon};;{comma}", semicolon
    )
    if not path:
        return None
    return Path(path), CsvStyle.COMMA if chosen == comma else CsvStyle.SEMICOLON


class SettlementDialog(QDialog):
    def __init__(
        self, host: EngineHost, day: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.zone = site_zone(host.settings)
        self.report: Settlement | None = None
        self.loads = 0  # reports read, for whoever waits for one
        self.written: Path | None = None
        self.printed = 0
        self.made_at = datetime.now(UTC)
        self._reload: Reloader[Settlement] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )
        self.setWindowTitle(_tr("End-of-day settlement"))
        self.setMinimumSize(620, 640)

        today = datetime.now(UTC).astimezone(self.zone).date()
        shown = day or today
        self.day = QDateEdit(QDate(shown.year, shown.month, shown.day), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(DATE_FORMAT)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.expected = QLabel(self)
        self.expected.setTextFormat(Qt.TextFormat.RichText)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Business day:"), self))
        bar.addWidget(self.day)
        bar.addStretch(1)
        bar.addWidget(self.expected)

        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton(_tr("&Print…"), self)
        self.pdf_button = QPushButton(_tr("Save &PDF…"), self)
        self.csv_button = QPushButton(_tr("Save &CSV…"), self)
        for button in (self.print_button, self.pdf_button, self.csv_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.csv_button.clicked.connect(self.save_csv)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.refresh()

    # ---- reading ---------------------------------------------------------------------

    def chosen_day(self) -> date:
        picked = self.day.date()
        return date(picked.year(), picked.month(), picked.day())

    def refresh(self) -> None:
        day = self.chosen_day()

        async def read(s: Services) -> Settlement:
            return await s.payments.settlement(day)

        self._reload.start(read)

    def _loaded(self, report: Settlement) -> None:
        self.report = report
        self.loads += 1
        self.made_at = datetime.now(UTC)
        self.view.setHtml(self._html(report, 10.0))
        expected = format_money(report.cash_expected_minor, report.currency)
        self.expected.setText(
            "<span style='font-size: 12pt'>"
            + _tr("Cash expected in the drawer: <b>{amount}</b>").format(amount=expected)
            + "</span>"
        )
        for button in (self.print_button, self.pdf_button, self.csv_button):
            button.setEnabled(True)

    def _load_failed(self, message: str) -> None:
        if shiboken6.isValid(self):
            say(
                self.notice, _tr("Could not read the report: {why}").format(why=message), error=True
            )

    def _html(self, report: Settlement, font_pt: float = 9.0) -> str:
        return settlement_html(report, self._seller, self.zone, self.made_at, font_pt)

    @property
    def _seller(self) -> str:
        return self._host.settings.seller_name

    # ---- paper and files ---------------------------------------------------------------

    def _name(self, suffix: str) -> str:
        assert self.report is not None
        return f"z-report-{self.report.day.isoformat()}.{suffix}"

    def print_(self) -> None:
        report = self.report
        if report is None:
            return
        printer = receipt_dialog.ask_printer(self, prepare_a4)
        if printer is None:
            return
        print_settlement(report, self._seller, self.zone, self.made_at, printer)
        self.printed += 1
        say(
            self.notice, _tr("The report for {day} was sent to the printer.").format(day=report.day)
        )

    def save_pdf(self) -> None:
        report = self.report
        if report is None:
            return
        path = ask_pdf_path(self, _tr("Save the Z-report as PDF"), self._name("pdf"))
        if path is None:
            return
        write_settlement_pdf(report, self._seller, self.zone, self.made_at, path)
        if not path.is_file() or not path.stat().st_size:
            say(
                self.notice,
                _tr("The file could not be written: {path}").format(path=path),
                error=True,
            )
            return
        self._saved(path)

    def save_csv(self) -> None:
        report = self.report
        if report is None:
            return
        choice = ask_csv_path(self, _tr("Save the Z-report as CSV"), self._name("csv"))
        if choice is None:
            return
        path, style = choice
        problem = write_text(path, settlement_csv(report, style))
        if problem is not None:
            say(self.notice, problem, error=True)
            return
        self._saved(path)

    def _saved(self, path: Path) -> None:
        self.written = path
        say(self.notice, _tr("Saved to {path}.").format(path=path))


def open_settlement(parent: QWidget | None, host: EngineHost) -> SettlementDialog:
    """Open window-modal without blocking the caller; deleted when closed."""
    dialog = SettlementDialog(host, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
