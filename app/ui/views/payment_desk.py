"""The payment desk: sessions awaiting payment on the left, the ways to pay on the right.

The attendant picks an ended walk-in session (or looks it up by station, bay, tag or
time), reads its price breakdown and takes payment by card on the reader, QR code,
cash, on account or against the driver's subscription. Card and QR need Stripe; when
it is not set up or not reachable they are disabled with the reason shown, and cash
and account keep working. A walk-in who pays before charging starts from the
"Walk-in: hold card and start…" button. The list is read again when a payment
changes or a session stops or is priced; the customer display follows `feed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import events as ev
from app.domain.access import Fleet
from app.domain.overview import SiteOverview
from app.domain.preauth import PreAuth
from app.domain.receipts import Receipt
from app.services.container import Services
from app.services.payment_desk import AwaitingSession, DeskAvailability
from app.ui.dialogs.receipt import ReceiptDialog, show_receipt
from app.ui.dialogs.validated_form import say
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, Reloader
from app.ui.views.payment_desk_card import CardPage, QrPage
from app.ui.views.payment_desk_context import amount_of, problem_text
from app.ui.views.payment_desk_display import CustomerFeed, Shown
from app.ui.views.payment_desk_other import AccountPage, CashPage, SubscriptionPage
from app.ui.views.payment_desk_panel import Breakdown, ResultBox
from app.ui.views.payment_desk_preauth import PreAuthBox
from app.ui.views.payment_desk_table import AwaitingTableModel, matches
from app.ui.views.tariff_tables import MUTED, make_table

TRIGGERS = (ev.PaymentChanged, ev.TransactionStopped, ev.SessionPriced)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


def checking() -> DeskAvailability:
    """Before the first read: card and QR wait for Stripe's answer."""
    message = _tr("Checking Stripe and the card reader…")
    return DeskAvailability(card=False, qr=False, test_mode=False, message=message, reader_id=None)


@dataclass(frozen=True, slots=True)
class DeskState:
    sessions: list[AwaitingSession] = field(default_factory=list)
    availability: DeskAvailability = field(default_factory=checking)
    fleets: list[Fleet] = field(default_factory=list)
    preauths: list[PreAuth] = field(default_factory=list)


async def load_state(services: Services, *, check_stripe: bool = False) -> DeskState:
    """What the desk shows; with check_stripe, the key is read again and Stripe asked."""
    desk = services.desk
    available = await desk.reload() if check_stripe else desk.availability()
    return DeskState(
        await desk.awaiting(),
        available,
        await services.access.fleets(),
        await services.preauth.active(),
    )


class PaymentDeskView(QWidget):
    def __init__(
        self, host: EngineHost, overview: SiteOverview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.overview = overview
        self.feed = CustomerFeed(self)
        self.state = DeskState()
        self.loads = 0  # finished loads, for whoever waits for one
        self._busy = False
        self._restoring = False
        self._chosen_tx: int | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self._reload: Reloader[DeskState] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )

        left = QGroupBox(_tr("Awaiting payment"), self)
        self.lookup = QLineEdit(left)
        self.lookup.setPlaceholderText(_tr("Look up by station, bay, tag or time…"))
        self.lookup.setClearButtonEnabled(True)
        self.lookup.textChanged.connect(lambda _t: self._show_sessions())
        self.sessions = AwaitingTableModel(left)
        self.table = make_table(self.sessions, left)
        header = self.table.horizontalHeader()
        for column, width in enumerate((90, 45, 100, 150, 110, 85, 70, 110)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.empty = QLabel(left)
        self.empty.setStyleSheet(f"color: {MUTED};")
        self.preauth_box = PreAuthBox(self, left)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.lookup)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty)

        right = QGroupBox(_tr("Take payment"), self)
        self.banner = QFrame(right)
        self.banner.setObjectName("stripeBanner")
        self.banner.setStyleSheet(
            "#stripeBanner { background: #fff4e5; border-radius: 4px; } "
            "#stripeBanner QLabel { color: #7a4b00; }"
        )
        self.unavailable = QLabel(self.banner)
        self.unavailable.setWordWrap(True)
        self.check_button = QPushButton(_tr("Check again"), self.banner)
        self.check_button.clicked.connect(self.check_stripe)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(8, 6, 8, 6)
        banner_layout.addWidget(self.unavailable, 1)
        banner_layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()
        self.breakdown = Breakdown(right)
        self.methods = QTabWidget(right)
        self.card = CardPage(self, self.methods)
        self.qr = QrPage(self, self.methods)
        self.cash = CashPage(self, self.methods)
        self.account = AccountPage(self, self.methods)
        self.subscription = SubscriptionPage(self, self.methods)
        for page, title in (
            (self.card, _tr("Card")),
            (self.qr, _tr("QR")),
            (self.cash, _tr("Cash")),
            (self.account, _tr("On account")),
            (self.subscription, _tr("Subscription")),
        ):
            self.methods.addTab(page, title)
        self.result = ResultBox(self.open_receipt, right)
        self.notice = QLabel(right)
        self.notice.setWordWrap(True)
        self.notice.hide()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.breakdown)
        right_layout.addWidget(self.methods, 1)
        right_layout.addWidget(self.result)
        right_layout.addWidget(self.notice)

        left_side = QWidget(self)
        left_side_layout = QVBoxLayout(left_side)
        left_side_layout.setContentsMargins(0, 0, 0, 0)
        left_side_layout.addWidget(left, 1)
        left_side_layout.addWidget(self.preauth_box)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left_side)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._update_pages()
        self._check_stripe = True  # the first read asks Stripe; later ones what is known
        self.refresh()

    # ---- DeskContext ------------------------------------------------------------------

    def session(self) -> AwaitingSession | None:
        rows = self.table.selectionModel().selectedRows()
        return self.sessions.row_at(rows[0].row()) if rows else None

    def availability(self) -> DeskAvailability:
        return self.state.availability

    def tell(self, text: str, error: bool = False) -> None:
        say(self.notice, text, error=error)

    def busy(self, on: bool) -> None:
        self._busy = on
        self.table.setEnabled(not on)
        self.lookup.setEnabled(not on)
        for index in range(self.methods.count()):
            page = self.methods.widget(index)
            self.methods.setTabEnabled(index, not on or page is self.methods.currentWidget())
        if on:
            self.result.clear()
            self.tell("")

    def taken(self, receipt_number: int | None, text: str) -> None:
        self.result.paid(receipt_number, text)
        self.tell("")
        self.refresh()

    # ---- loading ------------------------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(isinstance(event, TRIGGERS) for event in batch):
            self.refresh()
        self.preauth_box.events_arrived(batch)

    def refresh(self) -> None:
        check, self._check_stripe = self._check_stripe, False
        if not self._reload.start(lambda s: load_state(s, check_stripe=check)):
            self._check_stripe = self._check_stripe or check

    def check_stripe(self) -> None:
        """Read the Stripe key again and ask Stripe (after Settings, or a network hiccup)."""
        self._check_stripe = True
        self.refresh()

    def _loaded(self, state: DeskState) -> None:
        self.state = state
        message = state.availability.message
        self.unavailable.setText(message or "")
        self.banner.setVisible(bool(message))
        self._update_pages()
        self.account.set_fleets(state.fleets)
        self.preauth_box.show_active(state.preauths)
        self._show_sessions()
        self.loads += 1

    def _load_failed(self, message: str) -> None:
        self.tell(message, True)

    def _show_sessions(self) -> None:
        chosen = self.session()
        wanted = None if chosen is None else chosen.transaction_id
        lookup = self.lookup.text()
        shown = [s for s in self.state.sessions if matches(s, lookup)]
        self._restoring = True  # the same choice, re-read: not a new one
        try:
            self.sessions.set_rows(shown)
            row = None if wanted is None else self.sessions.row_of(wanted)
            if row is not None:
                self.table.selectRow(row)
        finally:
            self._restoring = False
        if not self.state.sessions:
            self.empty.setText(_tr("No session is waiting for payment."))
        elif not shown:
            self.empty.setText(_tr("No session matches the lookup."))
        else:
            self.empty.setText(
                _tr("{n} of {total} sessions shown.").format(
                    n=len(shown), total=len(self.state.sessions)
                )
            )
        self._chosen()

    def select(self, transaction_id: int) -> bool:
        row = self.sessions.row_of(transaction_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _chosen(self) -> None:
        if self._restoring:
            return
        session = self.session()
        transaction_id = None if session is None else session.transaction_id
        changed, self._chosen_tx = transaction_id != self._chosen_tx, transaction_id
        self.breakdown.show_session(session)
        self._update_pages()
        if not changed or self._busy:
            return  # a re-read keeps what the desk and the customer were told
        if session is not None:
            self.result.clear()
            self.tell("")
            self.feed.show(Shown.AMOUNT, amount_of(session))
        elif self.feed.current.shown in (Shown.AMOUNT, Shown.CASH):
            self.feed.show(Shown.IDLE)

    def _update_pages(self) -> None:
        self.card.update_state()
        self.qr.update_state()
        self.cash.update_state()
        self.account.session_changed()
        self.subscription.update_state()

    # ---- receipts -----------------------------------------------------------------------

    def open_receipt(self, number: int, to_print: bool) -> None:
        """The receipt as the printer prints it; with to_print, the print dialog at once."""

        async def read(s: Services) -> tuple[Receipt, tzinfo]:
            return await s.payments.receipt(number), s.payments.zone

        def loaded(found: tuple[Receipt, tzinfo]) -> None:
            if not shiboken6.isValid(self):
                return
            self.receipt_dialog = show_receipt(self, self.host, *found)
            if to_print:
                self.receipt_dialog.print_()

        EngineOp(self.host, read).success(loaded).failure(
            lambda message, exc: self.tell(problem_text(message, exc), True)
        ).run()
