"""The right side of the desk: the chosen session's price, and what the last payment left.

`Breakdown` lists the price lines, the VAT included and the total. `ResultBox` keeps
the receipt number of the payment just taken, with Show and Print, after the session
itself has left the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.price_format import format_basis_points
from app.services.payment_desk import AwaitingSession
from app.ui.views.payment_desk_table import who
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import money

PAID_COLOUR = "#2e9d57"


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


def vat_included(total_minor: int, rate_bp: int) -> int:
    """The VAT inside a gross total, rounded half-up to a whole minor unit."""
    whole = 10_000 + rate_bp
    return (total_minor * rate_bp + whole // 2) // whole


class Breakdown(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setWordWrap(True)
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 4, 0, 4)
        self._grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self._grid_host)
        self._shown: tuple[AwaitingSession | None] | None = None
        self.show_session(None)

    def rows(self) -> list[tuple[str, str]]:
        """What the grid shows, label and amount per row (for tests and screen readers)."""
        found: list[tuple[str, str]] = []
        for row in range(self._grid.rowCount()):
            cells = [self._grid.itemAtPosition(row, c) for c in (0, 1)]
            texts = [
                w.text() for c in cells if c is not None and isinstance(w := c.widget(), QLabel)
            ]
            if len(texts) == 2:
                found.append((texts[0], texts[1]))
        return found

    def show_session(self, session: AwaitingSession | None) -> None:
        if self._shown is not None and session == self._shown[0]:
            return  # the same session re-read: nothing to redraw
        self._shown = (session,)
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone now, not when the event loop next deletes
                widget.deleteLater()
        if session is None:
            self.title.setText(_tr("Choose a session on the left to take payment."))
            self.title.setStyleSheet(f"color: {MUTED};")
            return
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setText(
            _tr("{station}, bay {bay} — {tag} ({who})").format(
                station=session.station_id,
                bay=session.connector_id,
                tag=session.id_tag,
                who=who(session),
            )
        )
        row = 0
        for line in session.lines:
            self._add(row, line.label, money(line.amount_minor, session.currency))
            row += 1
        vat = vat_included(session.total_minor, session.vat_rate_bp)
        self._add(
            row,
            _tr("of which VAT {rate}").format(rate=format_basis_points(session.vat_rate_bp)),
            money(vat, session.currency),
            muted=True,
        )
        self._add(row + 1, _tr("Total"), money(session.total_minor, session.currency), big=True)

    def _add(
        self, row: int, label: str, amount: str, *, muted: bool = False, big: bool = False
    ) -> None:
        left, right = QLabel(label, self._grid_host), QLabel(amount, self._grid_host)
        right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        style = (
            f"color: {MUTED};" if muted else ("font-size: 18px; font-weight: bold;" if big else "")
        )
        for label_widget in (left, right):
            label_widget.setStyleSheet(style)
        self._grid.addWidget(left, row, 0)
        self._grid.addWidget(right, row, 1)
        left.show()  # now, not on the layout's next turn of the event loop
        right.show()


class ResultBox(QWidget):
    """ "Paid — receipt 12" with Show and Print; hidden until a payment is taken."""

    def __init__(
        self, open_receipt: Callable[[int, bool], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.receipt_number: int | None = None
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setStyleSheet(f"color: {PAID_COLOUR}; font-size: 15px; font-weight: bold;")
        self.show_button = QPushButton(_tr("Show receipt"), self)
        self.show_button.clicked.connect(lambda: self._open(False))
        self.print_button = QPushButton(_tr("Print receipt…"), self)
        self.print_button.clicked.connect(lambda: self._open(True))
        self._open_receipt = open_receipt
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()

    def paid(self, receipt_number: int | None, text: str) -> None:
        self.receipt_number = receipt_number
        if receipt_number is None:
            self.text.setText(_tr("Paid — {what}").format(what=text))
        else:
            self.text.setText(
                _tr("Paid — receipt no. {number}. {what}").format(number=receipt_number, what=text)
            )
        self.show_button.setVisible(receipt_number is not None)
        self.print_button.setVisible(receipt_number is not None)
        self.show()

    def clear(self) -> None:
        self.receipt_number = None
        self.hide()

    def _open(self, to_print: bool) -> None:
        if self.receipt_number is not None:
            self._open_receipt(self.receipt_number, to_print)
