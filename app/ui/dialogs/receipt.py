"""A receipt on screen as the receipt printer prints it, with Print…, Save PDF… and
an e-mail address kept with the receipt for sending later.

The print dialog and the file dialog are asked through module functions, so tests
and the screenshot script replace them and nothing modal blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase, QFontMetricsF
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain.receipts import RECEIPT_WIDTH, Receipt, render_text
from app.services.container import Services
from app.ui.dialogs.field_checks import email_problem
from app.ui.dialogs.statement_export import ask_pdf_path
from app.ui.dialogs.validated_form import say
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.operations import EngineOp
from app.ui.reports.receipt_print import (
    fit_page,
    print_receipt,
    receipt_rows,
    write_receipt_pdf,
)

MAX_LINES_SHOWN = 44


def _tr(text: str) -> str:
    return QCoreApplication.translate("Receipt", text)


def ask_printer(parent: QWidget | None, prepare: Callable[[QPrinter], None]) -> QPrinter | None:
    """The printer the operator chooses (its paper first set by `prepare`); None if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare(printer)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


class ReceiptDialog(QDialog):
    def __init__(
        self,
        host: EngineHost,
        receipt: Receipt,
        zone: tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.receipt = receipt
        self.zone = zone if zone is not None else site_zone(host.settings)
        self.written: Path | None = None  # the last PDF saved, for whoever waits for it
        self.printed = 0
        self._email_problem_shown = False
        self.setWindowTitle(_tr("Receipt {number}").format(number=receipt.number))

        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text.setFont(font)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        shown = render_text(receipt, self.zone)
        self.text.setPlainText(shown)
        # The whole receipt at once where the screen allows: 42 characters by its lines.
        metrics = QFontMetricsF(font)
        scroll = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        wide = metrics.horizontalAdvance("M" * (RECEIPT_WIDTH + 2)) + scroll + 24
        tall = metrics.lineSpacing() * min(shown.count("\n") + 4, MAX_LINES_SHOWN) + 24
        self.text.setMinimumSize(int(wide), int(tall))

        self.email = QLineEdit(receipt.email or "", self)
        self.email.setPlaceholderText(_tr("name@example.com"))
        self.email.textChanged.connect(lambda _t: self._check_email())
        self.email_button = QPushButton(_tr("Keep &address"), self)
        self.email_button.setToolTip(_tr("Keep the address with the receipt, to send it later"))
        self.email_button.clicked.connect(self.save_email)
        email_row = QHBoxLayout()
        email_row.addWidget(QLabel(_tr("E-mail to:"), self))
        email_row.addWidget(self.email, 1)
        email_row.addWidget(self.email_button)

        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton(_tr("&Print…"), self)
        self.pdf_button = QPushButton(_tr("Save &PDF…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_)
        self.pdf_button.clicked.connect(self.save_pdf)

        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(email_row)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self._check_email()

    # ---- paper and file --------------------------------------------------------

    def print_(self) -> None:
        receipt, zone = self.receipt, self.zone

        def roll(printer: QPrinter) -> None:
            fit_page(printer, receipt_rows(receipt, zone), printer.resolution())

        printer = ask_printer(self, roll)
        if printer is None:
            return
        if print_receipt(receipt, zone, printer, fit=False):
            self.printed += 1
            say(self.result_label, _tr("Receipt {n} sent to the printer.").format(n=receipt.number))
        else:
            say(self.result_label, _tr("The printer could not be opened."), error=True)

    def save_pdf(self) -> None:
        name = _tr("receipt-{number}.pdf").format(number=self.receipt.number)
        path = ask_pdf_path(self, _tr("Save receipt as PDF"), name)
        if path is None:
            return
        if not write_receipt_pdf(self.receipt, self.zone, path) or not path.is_file():
            say(
                self.result_label,
                _tr("The file could not be written: {path}").format(path=path),
                error=True,
            )
            return
        self.written = path
        say(self.result_label, _tr("Saved the receipt to {path}.").format(path=path))

    # ---- e-mail address ----------------------------------------------------------

    def _check_email(self) -> str | None:
        typed = self.email.text().strip()
        problem = email_problem(typed) if typed else None
        unchanged = typed == (self.receipt.email or "")
        self.email_button.setEnabled(problem is None and not unchanged)
        if problem is not None:
            say(self.result_label, problem, error=True)
        elif self._email_problem_shown:
            say(self.result_label, "")
        self._email_problem_shown = problem is not None
        return problem

    def save_email(self) -> None:
        if self._check_email() is not None:
            return
        number = self.receipt.number
        email = self.email.text().strip() or None
        self.email_button.setEnabled(False)

        async def keep(s: Services) -> Receipt:
            return await s.payments.set_receipt_email(number, email)

        def kept(receipt: Receipt) -> None:
            if not shiboken6.isValid(self):
                return
            self.receipt = receipt
            self._check_email()
            if receipt.email:
                text = _tr("The receipt will be sent to {email}.").format(email=receipt.email)
            else:
                text = _tr("No e-mail address is kept for this receipt.")
            say(self.result_label, text)

        def refused(message: str, _exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._check_email()
                say(self.result_label, sentence(message), error=True)

        EngineOp(self._host, keep).success(kept).failure(refused).run()


def show_receipt(
    parent: QWidget | None, host: EngineHost, receipt: Receipt, zone: tzinfo | None = None
) -> ReceiptDialog:
    """Open window-modal without blocking the caller; deleted when closed."""
    dialog = ReceiptDialog(host, receipt, zone, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_receipt_for_payment(
    parent: QWidget,
    host: EngineHost,
    payment_id: int,
    failed: Callable[[str], None],
    opened: Callable[[ReceiptDialog], None] | None = None,
) -> None:
    """Read the payment's receipt on the engine, then show it; `failed` gets why not."""

    async def read(s: Services) -> tuple[Receipt, tzinfo]:
        return await s.payments.receipt_for(payment_id), s.payments.zone

    def loaded(found: tuple[Receipt, tzinfo]) -> None:
        if shiboken6.isValid(parent):
            dialog = show_receipt(parent, host, *found)
            if opened is not None:
                opened(dialog)

    EngineOp(host, read).success(loaded).failure(
        lambda message, _exc: failed(sentence(message))
    ).run()
