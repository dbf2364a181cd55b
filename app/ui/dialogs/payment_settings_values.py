"""What the payment settings dialog saves and shows, apart from its widgets: the choices
in the settings' own units, and the key's and the desk's state in plain words."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.config import Settings
from app.domain.errors import ChargeDeskError
from app.domain.payment_errors import PaymentProviderError
from app.payments.secrets import StripeMode
from app.services.payment_desk import NO_READER, DeskAvailability
from app.settings_file import Scalar
from app.ui.formatting import sentence


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentSettings", text)


@dataclass(frozen=True, slots=True)
class PaymentChoices:
    """What the fields say, in the settings' own units."""

    desk_reader_id: str
    preauth_hold_minor: int
    card_wait_seconds: int
    qr_expiry_minutes: int
    seller_name: str
    seller_org_number: str
    seller_address: str
    currency: str

    def changes(self) -> dict[str, Scalar]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def applied_to(self, settings: Settings) -> Settings:
        return dataclasses.replace(
            settings,
            desk_reader_id=self.desk_reader_id,
            preauth_hold_minor=self.preauth_hold_minor,
            card_wait_seconds=float(self.card_wait_seconds),
            qr_expiry_minutes=self.qr_expiry_minutes,
            seller_name=self.seller_name,
            seller_org_number=self.seller_org_number,
            seller_address=self.seller_address,
            currency=self.currency,
        )


@dataclass(frozen=True, slots=True)
class Saved:
    choices: PaymentChoices
    key_mode: StripeMode | None
    availability: DeskAvailability


def key_status(mode: StripeMode | None) -> str:
    if mode is StripeMode.TEST:
        return _tr("A test-mode key is set: no real card is charged.")
    if mode is StripeMode.LIVE:
        return _tr("A live-mode key is set: real cards are charged.")
    return _tr("No key is set: card and QR payments are off.")


def availability_text(available: DeskAvailability) -> str:
    if available.card and available.qr:
        text = _tr("Card and QR payments are on.")
    elif available.qr:
        text = _tr("QR payments are on; card payments are off.")
    else:
        text = _tr("Card and QR payments are off.")
    if available.message == NO_READER:  # the desk's words point here; say where
        return text + " " + _tr("Choose the desk's card reader below, then save.")
    return f"{text} {sentence(available.message)}" if available.message else text


def blocking_problem(exc: BaseException) -> ChargeDeskError:
    if isinstance(exc, PaymentProviderError):
        return ChargeDeskError(str(exc))  # worded to be shown, never quoting the key
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return ChargeDeskError(
        _tr("The settings file could not be written ({reason}).").format(reason=reason)
    )
