"""Payment settings: the Stripe key, the desk's card reader, the pre-authorisation hold,
how long to wait for a card, how long a QR code lasts, and the seller on receipts.

The key goes to the OS keyring (app/payments/secrets.py), never to the settings file,
a log line or the database; once saved the dialog shows only whether a key is set and
its mode (test or live). Everything else is written to the settings file. Keyring and
file calls block, so they run off the GUI thread, on the engine's worker threads; then
the desk re-reads the key and settings (PaymentDesk.reload) and the dialog, which stays
open, shows what the desk can do now. The currency takes effect at the next start, so
a day's payments and its Z-report are never in two currencies.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tomllib
from collections.abc import Awaitable, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.operators import Role
from app.domain.payment_errors import PaymentProviderError
from app.domain.payment_outcomes import CardReader
from app.payments.secrets import SecretStore, StripeMode, mode_of
from app.services.container import Services
from app.services.payment_desk import DeskAvailability
from app.settings_file import update_settings_file
from app.ui.dialogs.payment_settings_values import (
    PaymentChoices,
    Saved,
    availability_text,
    blocking_problem,
    key_status,
)
from app.ui.dialogs.validated_form import (
    SaveCall,
    ValidatedFormDialog,
    confirm_action,
    say,
    show_dialog,
)
from app.ui.engine_host import EngineHost
from app.ui.formatting import sentence
from app.ui.operations import EngineOp
from app.ui.views.payments_log_text import plainly
from app.ui.views.tariff_text import AmountProblem, money_text, parse_money

CARD_WAIT_RANGE = (15, 600)  # seconds
QR_LIFETIME_RANGE = (30, 24 * 60)  # minutes: what Stripe Checkout allows
SELLER_MAX = 200


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentSettings", text)


class PaymentSettingsDialog(ValidatedFormDialog):
    def __init__(
        self, host: EngineHost, secrets: SecretStore | None = None, parent: QWidget | None = None
    ) -> None:
        intro = _tr("Saved in {path}; the Stripe key in this computer's keyring.").format(
            path=host.settings_path
        )
        super().__init__(host, _tr("Payment settings"), intro, _tr("Save"), parent)
        self.setMinimumWidth(640)
        self._secrets = secrets if secrets is not None else SecretStore()
        self.key_mode: StripeMode | None = None
        self.availability: DeskAvailability | None = None
        self.readers: list[CardReader] = []
        current = host.settings

        self.status = QLabel(_tr("Reading the keyring…"), self)
        self.status.setWordWrap(True)
        self.remove_key_button = QPushButton(_tr("Remove key…"), self)
        self.remove_key_button.setEnabled(False)
        self.remove_key_button.clicked.connect(self.remove_key)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.remove_key_button)
        self._heading(_tr("Card and QR payments through Stripe"))
        self.add_field("status", _tr("Stripe:"), status_row)
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(_tr("sk_test_… or sk_live_…; empty keeps the key"))
        self.key.textChanged.connect(self.revalidate)
        self.add_field("key", _tr("New secret key:"), self.key)

        self.reader = QComboBox(self)
        self.reader.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.refresh_readers_button = QPushButton(_tr("Refresh"), self)
        self.refresh_readers_button.clicked.connect(self.load_readers)
        reader_row = QHBoxLayout()
        reader_row.addWidget(self.reader, 1)
        reader_row.addWidget(self.refresh_readers_button)
        self.add_field("reader", _tr("Desk's card reader:"), reader_row)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(_tr("Code shown on the reader"))
        self.label = QLineEdit(self)
        self.label.setPlaceholderText(_tr("Label, e.g. Desk"))
        self.register_button = QPushButton(_tr("Register"), self)
        self.register_button.clicked.connect(self.register_reader)
        self.simulated_button = QPushButton(_tr("Add simulated reader"), self)
        self.simulated_button.setToolTip(_tr("Test mode: a reader Stripe simulates"))
        self.simulated_button.hide()
        self.simulated_button.clicked.connect(self.add_simulated_reader)
        typed_row, button_row = QHBoxLayout(), QHBoxLayout()
        typed_row.addWidget(self.code)
        typed_row.addWidget(self.label)
        button_row.addWidget(self.register_button)
        button_row.addWidget(self.simulated_button)
        button_row.addStretch(1)
        self.reader_note = QLabel(self)
        self.reader_note.setWordWrap(True)
        self.reader_note.hide()
        register_column = QVBoxLayout()
        register_column.addLayout(typed_row)
        register_column.addLayout(button_row)
        register_column.addWidget(self.reader_note)
        self.add_field("register", _tr("New reader:"), register_column)

        cur = current.currency
        self._heading(_tr("At the desk"))
        self.hold = QLineEdit(money_text(current.preauth_hold_minor, cur), self)
        self.hold.textChanged.connect(self.revalidate)
        self.add_field(
            "hold", _tr("Hold before charging ({currency}):").format(currency=cur), self.hold
        )
        self.card_wait = self._spin(CARD_WAIT_RANGE, int(current.card_wait_seconds), " s")
        self.add_field("card_wait", _tr("Wait for a card:"), self.card_wait)
        self.qr_minutes = self._spin(QR_LIFETIME_RANGE, current.qr_expiry_minutes, " min")
        self.add_field("qr", _tr("A QR code lasts:"), self.qr_minutes)

        self._heading(_tr("On every receipt"))
        self.seller_name = self._line(current.seller_name)
        self.add_field("seller_name", _tr("Seller on receipts:"), self.seller_name)
        self.org_number = self._line(current.seller_org_number)
        self.add_field("org_number", _tr("Organisation number:"), self.org_number)
        self.address = self._line(current.seller_address.replace("\n", ", "))
        self.add_field("address", _tr("Address:"), self.address)
        self.currency = self._line(cur)
        self.currency.setMaxLength(3)
        self.add_field("currency", _tr("Currency:"), self.currency)
        self._fill_readers([], current.desk_reader_id)
        self.start()
        self._read_key()

    def _heading(self, text: str) -> None:
        heading = QLabel(f"<b>{text}</b>", self)
        heading.setContentsMargins(0, 8, 0, 0)
        self.form.addRow(heading)

    def _spin(self, bounds: tuple[int, int], value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(*bounds)
        spin.setValue(min(max(value, bounds[0]), bounds[1]))
        spin.setSuffix(suffix)
        spin.valueChanged.connect(lambda _v: self.revalidate())
        return spin

    def _line(self, text: str) -> QLineEdit:
        line = QLineEdit(text, self)
        line.textChanged.connect(self.revalidate)
        return line

    # ---- the form ------------------------------------------------------------------

    def values(self) -> tuple[str, PaymentChoices | None]:
        try:
            return self.key.text(), self.choices()
        except AmountProblem:
            return self.key.text(), None

    def choices(self) -> PaymentChoices:
        """What the fields hold; raises AmountProblem for a hold that is not an amount."""
        return PaymentChoices(
            str(self.reader.currentData() or ""),
            parse_money(self.hold.text(), self.currency_code() or "SEK"),
            self.card_wait.value(),
            self.qr_minutes.value(),
            self.seller_name.text().strip(),
            self.org_number.text().strip(),
            self.address.text().strip(),
            self.currency_code(),
        )

    def currency_code(self) -> str:
        return self.currency.text().strip().upper()

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.key.text().strip():
            try:
                mode_of(self.key.text())
            except PaymentProviderError as refused:
                found["key"] = str(refused)
        try:
            if parse_money(self.hold.text(), self.currency_code() or "SEK") <= 0:
                found["hold"] = _tr("A hold is for more than nothing.")
        except AmountProblem as problem:
            found["hold"] = str(problem)
        if not self.seller_name.text().strip():
            found["seller_name"] = _tr("A seller's name is needed on every receipt.")
        for key, line in (
            ("seller_name", self.seller_name),
            ("org_number", self.org_number),
            ("address", self.address),
        ):
            if len(line.text()) > SELLER_MAX:
                found[key] = _tr("At most {n} characters.").format(n=SELLER_MAX)
        code = self.currency_code()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            found["currency"] = _tr("A three-letter code such as SEK or EUR.")
        return found

    def hints(self) -> dict[str, str]:
        hints = {}
        if self.key.text().strip() and "key" not in self.problems():
            if mode_of(self.key.text()) is StripeMode.LIVE:
                hints["key"] = _tr("A live-mode key: real cards will be charged.")
            else:
                hints["key"] = _tr("A test-mode key: no real card will be charged.")
        if self.currency_code() != self._host.settings.currency:
            hints["currency"] = _tr("Takes effect after ChargeDesk restarts.")
        if self.availability is not None:
            hints["status"] = availability_text(self.availability)
        return hints

    # ---- saving --------------------------------------------------------------------

    def save_call(self) -> SaveCall:
        key = self.key.text().strip() or None
        chosen = self.choices()
        path, secrets = self._host.settings_path, self._secrets
        wanted = chosen.applied_to(self._host.settings)

        async def save(services: Services) -> Saved:
            await services.permit(Role.MANAGER, "settings.payments")
            try:
                if key is not None:
                    await asyncio.to_thread(secrets.store, key)
                await asyncio.to_thread(update_settings_file, path, chosen.changes())
            except (OSError, tomllib.TOMLDecodeError, PaymentProviderError) as exc:
                raise blocking_problem(exc) from None
            # The running ledger keeps its currency until the next start.
            running = dataclasses.replace(wanted, currency=services.payments.currency)
            services.use_payment_settings(running)
            available = await services.desk.reload(running)
            stored = await asyncio.to_thread(secrets.read)
            return Saved(chosen, None if stored is None else stored.mode, available)

        return save

    def _saved(self, result: object) -> None:
        """Stays open (unlike other forms): the attendant reads what the desk can do now."""
        assert isinstance(result, Saved)
        self.busy = False
        self.result_value = result
        self._host.settings = result.choices.applied_to(self._host.settings)
        self.key.clear()
        self._show_key(result.key_mode)
        self.availability = result.availability
        self.saved.emit(result)
        self.start()
        if result.key_mode is not None:
            self.load_readers()

    # ---- the key -------------------------------------------------------------------

    def _read_key(self) -> None:
        secrets = self._secrets

        async def read(services: Services) -> tuple[StripeMode | None, DeskAvailability]:
            stored = await plainly(asyncio.to_thread(secrets.read))
            return (None if stored is None else stored.mode), services.desk.availability()

        def done(found: tuple[StripeMode | None, DeskAvailability]) -> None:
            if shiboken6.isValid(self):
                self._show_key(found[0])
                self.availability = found[1]
                self.revalidate()
                if found[0] is not None:
                    self.load_readers()

        EngineOp(self._host, read).success(done).failure(self._keyring_failed).run()

    def _keyring_failed(self, message: str, _exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.status.setText(sentence(message))

    def _show_key(self, mode: StripeMode | None) -> None:
        self.key_mode = mode
        self.status.setText(key_status(mode))
        self.remove_key_button.setEnabled(mode is not None)
        self.simulated_button.setVisible(mode is StripeMode.TEST)
        for widget in (self.refresh_readers_button, self.register_button, self.reader):
            widget.setEnabled(mode is not None)

    def remove_key(self) -> None:
        question = _tr(
            "Remove the Stripe key from this computer? Card and QR payments stop until a key "
            "is entered again; cash and account payments keep working."
        )
        if not confirm_action(self, _tr("Remove the Stripe key"), question, _tr("Remove key")):
            return
        secrets = self._secrets

        async def remove(services: Services) -> DeskAvailability:
            await plainly(asyncio.to_thread(secrets.delete))
            return await services.desk.reload()

        def removed(available: DeskAvailability) -> None:
            if shiboken6.isValid(self):
                self._show_key(None)
                self.availability = available
                self._fill_readers([], self._host.settings.desk_reader_id)
                self.revalidate()

        EngineOp(self._host, remove).success(removed).failure(self._keyring_failed).run()

    # ---- readers -------------------------------------------------------------------

    def load_readers(self) -> None:
        async def listed(services: Services) -> list[CardReader]:
            return await plainly(services.desk.readers())

        EngineOp(self._host, listed).success(self._readers_loaded).failure(
            self._reader_failed
        ).run()

    def _readers_loaded(self, readers: list[CardReader]) -> None:
        if shiboken6.isValid(self):
            self._fill_readers(readers, str(self.reader.currentData() or ""))

    def _fill_readers(self, readers: list[CardReader], chosen: str) -> None:
        self.readers = readers
        self.reader.blockSignals(True)
        self.reader.clear()
        self.reader.addItem(_tr("None (card payments off)"), "")
        for r in readers:
            kind = _tr("simulated") if r.simulated else r.device_type.replace("_", " ")
            state = "" if r.online else _tr(", offline")
            self.reader.addItem(f"{r.label} ({kind}{state}) · {r.id}", r.id)
        if chosen and self.reader.findData(chosen) < 0:
            self.reader.addItem(_tr("{id} (not listed by Stripe)").format(id=chosen), chosen)
        self.reader.setCurrentIndex(max(0, self.reader.findData(chosen)))
        self.reader.blockSignals(False)
        self.revalidate()

    def register_reader(self) -> None:
        code, label = self.code.text().strip(), self.label.text().strip()
        if not code or not label:
            say(self.reader_note, _tr("Type the code the reader shows, and a label."), error=True)
            return
        self._add_reader(lambda s: plainly(s.desk.register_reader(code, label)))

    def add_simulated_reader(self) -> None:
        label = self.label.text().strip() or _tr("Simulated desk reader")
        self._add_reader(lambda s: plainly(s.desk.register_simulated_reader(label)))

    def _add_reader(self, call: Callable[[Services], Awaitable[CardReader]]) -> None:
        self.register_button.setEnabled(False)

        def added(reader: CardReader) -> None:
            if not shiboken6.isValid(self):
                return
            self.register_button.setEnabled(True)
            self.code.clear()
            self._fill_readers([*self.readers, reader], reader.id)
            say(
                self.reader_note,
                _tr("Registered {label}; chosen for the desk.").format(label=reader.label),
            )

        def refused(message: str, exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.register_button.setEnabled(True)
                self._reader_failed(message, exc)

        EngineOp(self._host, call).success(added).failure(refused).run()

    def _reader_failed(self, message: str, _exc: BaseException) -> None:
        if shiboken6.isValid(self):
            say(self.reader_note, sentence(message), error=True)


def open_payment_settings(
    parent: QWidget | None, host: EngineHost, secrets: SecretStore | None = None
) -> PaymentSettingsDialog:
    dialog = PaymentSettingsDialog(host, secrets, parent)
    show_dialog(dialog)
    return dialog
