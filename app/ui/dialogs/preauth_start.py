"""Pay before charging: a walk-in driver's card is held, and only then is the bay started.

The attendant picks a free bay and the amount to hold; the reader shows it; once the
hold succeeds the engine starts the session, and at its stop takes the real price
(never more than the hold) or releases it. Every phase is read back with
`preauth.get` when a PaymentChanged event says something moved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import ConnectorStatus
from app.domain.overview import ConnectorRow
from app.domain.preauth import PreAuth, PreAuthPhase
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.views.payment_desk_context import attendant, problem_text
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import AmountProblem, money, money_text, parse_money

FREE = frozenset({ConnectorStatus.AVAILABLE, ConnectorStatus.PREPARING})
STEPS = (
    PreAuthPhase.WAITING_CARD,
    PreAuthPhase.HELD,
    PreAuthPhase.STARTING,
    PreAuthPhase.CHARGING,
    PreAuthPhase.CAPTURED,
)
ENDED = frozenset({PreAuthPhase.CAPTURED, PreAuthPhase.RELEASED, PreAuthPhase.FAILED})


def _tr(text: str) -> str:
    return QCoreApplication.translate("PreAuthStart", text)


def phase_name(phase: PreAuthPhase) -> str:
    return {
        PreAuthPhase.WAITING_CARD: _tr("Waiting for the card"),
        PreAuthPhase.HELD: _tr("Amount held on the card"),
        PreAuthPhase.STARTING: _tr("Starting the charger"),
        PreAuthPhase.CHARGING: _tr("Charging"),
        PreAuthPhase.CAPTURED: _tr("Price taken from the card"),
        PreAuthPhase.RELEASED: _tr("Hold released"),
        PreAuthPhase.FAILED: _tr("Failed"),
    }[phase]


def free_bays(bays: list[ConnectorRow]) -> list[ConnectorRow]:
    """Bays of connected, accepted chargers with no session on them."""
    return [r for r in bays if r.connected and r.transaction_id is None and r.status in FREE]


class PreAuthStartDialog(QDialog):
    """Not modal-blocking: opened with `open()`; `progressed` carries each PreAuth read."""

    progressed = Signal(object)

    def __init__(
        self,
        host: EngineHost,
        bays: list[ConnectorRow],
        *,
        test_mode: bool,
        reader_id: str | None,
        open_receipt: Callable[[int, bool], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reading = self._read_again = False
        self._open_receipt = open_receipt
        self.setWindowTitle(_tr("Walk-in: hold card and start"))
        self.setMinimumWidth(460)
        self._host = host
        self._currency = host.settings.currency
        self._reader_id = reader_id
        self.preauth: PreAuth | None = None
        intro = QLabel(
            _tr(
                "The customer's card is held for the amount below; the bay starts only once "
                "the hold succeeds. At the end only the real price is taken."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.bay = QComboBox(self)
        for row in free_bays(bays):
            self.bay.addItem(
                _tr("{station}, bay {bay}").format(station=row.station_id, bay=row.connector_id),
                (row.station_id, row.connector_id),
            )
        self.hold = QLineEdit(money_text(host.settings.preauth_hold_minor, self._currency), self)
        self.hold.textChanged.connect(lambda _t: self._revalidate())
        form = QFormLayout()
        form.addRow(_tr("Free bay:"), self.bay)
        form.addRow(_tr("Hold ({currency}):").format(currency=self._currency), self.hold)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.start_button = QPushButton(_tr("Hold card and start"), self)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.begin)
        self.steps = QLabel(self)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.approve_button = QPushButton(_tr("Simulate tap: approve"), self)
        self.approve_button.clicked.connect(lambda: self.simulate(approve=True))
        self.decline_button = QPushButton(_tr("Simulate tap: decline"), self)
        self.decline_button.clicked.connect(lambda: self.simulate(approve=False))
        self.withdraw_button = QPushButton(_tr("Cancel hold"), self)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.receipt_button = QPushButton(_tr("Show receipt"), self)
        self.receipt_button.clicked.connect(self.show_receipt)
        self._test_mode = test_mode
        tap = QHBoxLayout()
        for button in (
            self.withdraw_button,
            self.approve_button,
            self.decline_button,
            self.receipt_button,
        ):
            tap.addWidget(button)
        tap.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.start_button)
        layout.addWidget(self.steps)
        layout.addWidget(self.message)
        layout.addLayout(tap)
        layout.addWidget(close)
        self._show_progress()
        self._revalidate()

    def hold_minor(self) -> int | None:
        try:
            value = parse_money(self.hold.text(), self._currency)
        except AmountProblem:
            return None
        return value if value > 0 else None

    def _revalidate(self) -> None:
        problem = None
        if self.bay.count() == 0:
            problem = _tr("No bay is free: every connected charger is busy or offline.")
        elif self.hold_minor() is None:
            problem = _tr("Type the amount to hold, more than nothing, e.g. 300.")
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        self.start_button.setEnabled(problem is None and self.preauth is None)

    def begin(self) -> None:
        bay, hold = self.bay.currentData(), self.hold_minor()
        if not isinstance(bay, tuple) or hold is None:
            return
        station_id, connector_id = bay
        by, reader = attendant(), self._reader_id
        self.start_button.setEnabled(False)
        self.bay.setEnabled(False)
        self.hold.setEnabled(False)
        self.message.setText(_tr("Sending the hold to the reader…"))

        def begun(preauth: PreAuth) -> None:
            self._progress(preauth)
            payment_id = preauth.payment_id
            EngineOp(self._host, lambda s: s.preauth.await_card(payment_id)).success(
                self._progress
            ).failure(self._failed).run()

        EngineOp(
            self._host,
            lambda s: s.preauth.begin(
                station_id, connector_id, by, reader_id=reader, hold_minor=hold
            ),
        ).success(begun).failure(self._failed_to_begin).run()

    def refresh(self) -> None:
        """Something about payments changed: read this pre-authorisation again."""
        if self.preauth is None or self.preauth.phase in ENDED:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        payment_id = self.preauth.payment_id

        def read(preauth: PreAuth) -> None:
            self._reading = False
            self._progress(preauth)
            if self._read_again:
                self._read_again = False
                self.refresh()

        def not_read(_message: str, _exc: BaseException) -> None:
            self._reading = self._read_again = False

        EngineOp(self._host, lambda s: s.preauth.get(payment_id)).success(read).failure(
            not_read
        ).run()

    def show_receipt(self) -> None:
        preauth, show = self.preauth, self._open_receipt
        if preauth is not None and preauth.receipt_number is not None and show is not None:
            show(preauth.receipt_number, False)

    def simulate(self, *, approve: bool) -> None:
        reader = self._reader_id
        if reader is None:
            return
        EngineOp(self._host, lambda s: s.desk.card.simulate_tap(reader, approve=approve)).failure(
            self._failed
        ).run()

    def withdraw(self) -> None:
        if self.preauth is None:
            return
        payment_id, by = self.preauth.payment_id, attendant()
        EngineOp(
            self._host, lambda s: s.preauth.withdraw(payment_id, "cancelled at the desk", by)
        ).success(self._progress).failure(self._failed).run()

    def _failed_to_begin(self, message: str, exc: BaseException) -> None:
        self.bay.setEnabled(True)
        self.hold.setEnabled(True)
        self._failed(message, exc)
        self._revalidate()

    def _failed(self, message: str, exc: BaseException) -> None:
        self.message.setStyleSheet("color: #b3261e; font-size: 15px;")
        self.message.setText(problem_text(message, exc))

    def _progress(self, preauth: PreAuth) -> None:
        if self.preauth is not None and preauth.payment_id != self.preauth.payment_id:
            return
        self.preauth = preauth
        self._show_progress()
        self.progressed.emit(preauth)

    def _show_progress(self) -> None:
        preauth = self.preauth
        phase = None if preauth is None else preauth.phase
        waiting = phase is PreAuthPhase.WAITING_CARD
        self.withdraw_button.setVisible(waiting or phase is PreAuthPhase.HELD)
        for button in (self.approve_button, self.decline_button):
            button.setVisible(waiting and self._test_mode and self._reader_id is not None)
        self.steps.setVisible(preauth is not None)
        self.receipt_button.setVisible(
            preauth is not None
            and preauth.receipt_number is not None
            and self._open_receipt is not None
        )
        if preauth is None:
            return
        self.message.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.message.setText(preauth.message or phase_name(preauth.phase))
        self.steps.setText(steps_html(preauth, self._currency))
        self.adjustSize()  # the checklist grows; the dialog follows at once


def steps_html(preauth: PreAuth, currency: str) -> str:
    """The phases as a checklist: done ones ticked, the current one bold."""
    phase = preauth.phase
    steps = list(STEPS)
    if phase in (PreAuthPhase.RELEASED, PreAuthPhase.FAILED):
        steps[-1] = phase
    reached = steps.index(phase) if phase in steps else -1
    lines = []
    for index, step in enumerate(steps):
        text = phase_name(step)
        if step is PreAuthPhase.WAITING_CARD:
            text += f" ({money(preauth.hold_minor, currency)})"
        if step is PreAuthPhase.CHARGING and preauth.live_price_minor is not None:
            text += " — " + _tr("{price} so far").format(
                price=money(preauth.live_price_minor, currency)
            )
        if step is PreAuthPhase.CAPTURED and preauth.captured_minor is not None:
            text += f" — {money(preauth.captured_minor, currency)}"
        if index < reached or (index == reached and phase in ENDED):
            lines.append(f"✔ {text}")
        elif index == reached:
            lines.append(f"<b>▶ {text}</b>")
        else:
            lines.append(f"<span style='color: {MUTED}'>○ {text}</span>")
    if preauth.receipt_number is not None:
        lines.append(_tr("Receipt no. {number}").format(number=preauth.receipt_number))
    return "<br>".join(lines)
