"""Terminal mode: a window for a second monitor facing the customer.

It shows what the desk view says through its `CustomerFeed` (amount, QR code,
what to do, the result) and asks the engine nothing itself. Opened full screen on
the second screen when there is one, else as a normal window; Esc leaves full screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from app.ui.formatting import local_datetime
from app.ui.qr import qr_pixmap
from app.ui.views.payment_desk_display import CustomerFeed, CustomerView, Shown

QR_SIZE = 360
BACKGROUND = "#101418"
TEXT = "#f4f6f8"
MUTED = "#9aa4ae"
GOOD = "#4cc38a"
BAD = "#ff6b5e"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerDisplay", text)


def headline(view: CustomerView) -> tuple[str, str]:
    """The instruction or result in large type, and its colour."""
    return {
        Shown.IDLE: (_tr("Welcome"), TEXT),
        Shown.AMOUNT: (_tr("Amount to pay"), TEXT),
        Shown.CARD: (_tr("Tap your card on the reader"), TEXT),
        Shown.QR: (_tr("Scan to pay"), TEXT),
        Shown.CASH: (_tr("Paying cash at the desk"), TEXT),
        Shown.HOLD: (_tr("Tap your card to start charging"), TEXT),
        Shown.CHARGING: (_tr("Charging — price so far"), TEXT),
        Shown.PAID: (_tr("Paid — thank you"), GOOD),
        Shown.DECLINED: (_tr("Declined — try another card"), BAD),
        Shown.CANCELLED: (_tr("Payment cancelled"), MUTED),
        Shown.EXPIRED: (_tr("The QR code expired — ask at the desk"), BAD),
    }[view.shown]


def second_screen() -> QScreen | None:
    """A screen other than the primary one, if the desk has two."""
    primary = QGuiApplication.primaryScreen()
    others = [s for s in QGuiApplication.screens() if s is not primary]
    return others[0] if others else None


class CustomerDisplay(QWidget):
    def __init__(self, feed: CustomerFeed, parent: QWidget | None = None) -> None:
        # A top-level window of its own, even with a parent (it closes with the main window).
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_tr("ChargeDesk — customer display"))
        self.setObjectName("customerDisplay")
        self.setStyleSheet(f"#customerDisplay {{ background: {BACKGROUND}; }}")
        self.resize(900, 700)
        self.headline = QLabel(self)
        self.amount = QLabel(self)
        self.code = QLabel(self)
        self.detail = QLabel(self)
        for label, size in ((self.headline, 40), (self.amount, 88), (self.detail, 26)):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setProperty("points", size)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        # Never smaller than what it shows: a two-line headline is not cut in a window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(1)
        layout.addWidget(self.headline)
        layout.addWidget(self.amount)
        layout.addWidget(self.code)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        feed.changed.connect(self.show_view)
        self.show_view(feed.current)

    def show_view(self, view: CustomerView) -> None:
        text, colour = headline(view)
        self._set(self.headline, text, colour, bold=True)
        self._set(self.amount, view.amount, GOOD if view.shown is Shown.PAID else TEXT, bold=True)
        self.amount.setVisible(bool(view.amount))
        detail = view.detail
        if view.shown is Shown.QR and view.expires_at is not None:
            valid = _tr("Valid until {time}").format(
                time=local_datetime(view.expires_at, seconds=False)
            )
            detail = f"{detail}\n{valid}" if detail else valid
        self._set(self.detail, detail, MUTED)
        self.detail.setVisible(bool(detail))
        if view.shown is Shown.QR and view.qr_url:
            self.code.setPixmap(qr_pixmap(view.qr_url, QR_SIZE))
            self.code.show()
        else:
            self.code.clear()
            self.code.hide()

    @staticmethod
    def _set(label: QLabel, text: str, colour: str, *, bold: bool = False) -> None:
        points = label.property("points")
        weight = "bold" if bold else "normal"
        label.setStyleSheet(f"color: {colour}; font-size: {points}px; font-weight: {weight};")
        label.setText(text)
        label.updateGeometry()  # the new font size changes the height the text needs

    def open_on_customer_screen(self) -> None:
        """Full screen on the second monitor, or a normal window with only one."""
        screen = second_screen()
        if screen is None:
            self.showNormal()
        else:
            self.setScreen(screen)
            self.move(screen.geometry().topLeft())
            self.showFullScreen()
        self.raise_()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            return
        super().keyPressEvent(event)


def show_customer_display(parent: QWidget, feed: CustomerFeed) -> CustomerDisplay:
    """The one customer display of this window, opened (again) on the customer's screen."""
    display = parent.findChild(CustomerDisplay)
    if display is None:
        display = CustomerDisplay(feed, parent)
    display.open_on_customer_screen()
    return display
