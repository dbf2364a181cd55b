"""The desk's "pay before charging" corner: start a walk-in on a held card, and the
pre-authorisations still open (waiting for a card, held, charging)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.domain import events as ev
from app.domain.overview import SiteOverview
from app.domain.preauth import PreAuth, PreAuthPhase
from app.services.payment_desk import DeskAvailability
from app.ui.dialogs.preauth_start import PreAuthStartDialog, phase_name
from app.ui.engine_host import EngineHost
from app.ui.views.payment_desk_display import CustomerFeed, Shown
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import money

PROGRESS = (
    ev.PaymentChanged,
    ev.TransactionStarted,
    ev.TransactionStopped,
    ev.MeterValuesReceived,
    ev.SessionPriced,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


class WalkInDesk(Protocol):
    host: EngineHost
    overview: SiteOverview
    feed: CustomerFeed

    def availability(self) -> DeskAvailability: ...

    def open_receipt(self, number: int, to_print: bool) -> None: ...


class PreAuthBox(QGroupBox):
    def __init__(self, desk: WalkInDesk, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Pay before charging"), parent)
        self._desk = desk
        self.dialog: PreAuthStartDialog | None = None
        self.start_button = QPushButton(_tr("Walk-in: hold card and start…"), self)
        self.start_button.clicked.connect(self.start)
        self.active = QListWidget(self)
        self.active.setMaximumHeight(110)
        self.none = QLabel(_tr("No card is held."), self)
        self.none.setStyleSheet(f"color: {MUTED};")
        layout = QVBoxLayout(self)
        layout.addWidget(self.start_button)
        layout.addWidget(self.active)
        layout.addWidget(self.none)
        self.show_active([])

    def update_state(self) -> None:
        available = self._desk.availability()
        self.start_button.setEnabled(available.card)
        self.start_button.setToolTip("" if available.card else (available.message or ""))

    def show_active(self, preauths: list[PreAuth]) -> None:
        currency = self._desk.host.settings.currency
        self.active.clear()
        for preauth in preauths:
            amount = (
                money(preauth.live_price_minor, currency)
                if preauth.live_price_minor is not None
                else money(preauth.hold_minor, currency)
            )
            self.active.addItem(
                _tr("{station}, bay {bay} — {phase} — {amount}").format(
                    station=preauth.station_id,
                    bay=preauth.connector_id,
                    phase=phase_name(preauth.phase),
                    amount=amount,
                )
            )
        self.active.setVisible(bool(preauths))
        self.none.setVisible(not preauths)
        self.update_state()

    def start(self) -> PreAuthStartDialog:
        available = self._desk.availability()
        dialog = PreAuthStartDialog(
            self._desk.host,
            self._desk.overview.bays(),
            test_mode=available.test_mode,
            reader_id=available.reader_id,
            open_receipt=self._desk.open_receipt,
            parent=self.window(),
        )
        dialog.progressed.connect(self._progressed)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def events_arrived(self, batch: list[ev.DomainEvent]) -> None:
        """A payment, a session or its meter moved: the open walk-in reads its phase again."""
        if self.dialog is not None and any(isinstance(e, PROGRESS) for e in batch):
            self.dialog.refresh()

    def _closed(self, dialog: PreAuthStartDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _progressed(self, preauth: PreAuth) -> None:
        """The customer display follows the walk-in while its dialog is open."""
        currency = self._desk.host.settings.currency
        feed, hold = self._desk.feed, money(preauth.hold_minor, currency)
        phase = preauth.phase
        if phase is PreAuthPhase.WAITING_CARD:
            feed.show(Shown.HOLD, hold, detail=preauth.message)
        elif phase in (PreAuthPhase.HELD, PreAuthPhase.STARTING, PreAuthPhase.CHARGING):
            price = preauth.live_price_minor
            feed.show(
                Shown.CHARGING,
                money(price, currency) if price is not None else hold,
                detail=preauth.message,
            )
        elif phase is PreAuthPhase.CAPTURED:
            taken = preauth.captured_minor
            feed.show(Shown.PAID, money(taken, currency) if taken is not None else "")
        else:
            feed.show(
                Shown.DECLINED if phase is PreAuthPhase.FAILED else Shown.CANCELLED,
                hold,
                detail=preauth.message,
            )
