"""The payment desk: what an attendant does to take payment for a charging session.

It ties the ledger (the source of truth, app/services/payments.py) to the payment
provider (Stripe, through app/payments/) and the sessions awaiting payment. Card and
QR need Stripe; cash, on-account and subscription payments never do, so they keep
working when Stripe is not set up or cannot be reached, and nothing is queued
silently: a provider failure is raised to the attendant in plain words.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.config import Settings
from app.domain.errors import InvalidInput, NotFound
from app.domain.operators import Role
from app.domain.payment_errors import (
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentRefused,
    PaymentsNotConfigured,
)
from app.domain.payment_outcomes import CardReader, CheckoutState, PaymentsUnavailable
from app.domain.payments import (
    AwaitingPayment,
    Payment,
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    Refund,
    StepOutcome,
)
from app.domain.receipts import Receipt
from app.domain.session_price import PriceLine
from app.services.access import AccessService
from app.services.acting import requires
from app.services.card_payments import CardPayments, CardResult
from app.services.payment_gateway import GatewayFactory, PaymentGateway
from app.services.payment_reconciliation import ReconciliationReport, reconcile
from app.services.payments import CashTaken, PaymentLedger, Recorded
from app.services.session_pricing import SessionPricingService
from app.services.subscriptions import SubscriptionService
from app.services.tags import TagService
from app.services.transactions import TransactionService

log = logging.getLogger(__name__)

NO_READER = "Choose the desk's card reader in Settings first."
UNREACHABLE = "Stripe could not be reached: card and QR payments are off until it answers."
QR_LOOKBACK = timedelta(hours=25)  # a QR link lasts 24 hours at most


@dataclass(frozen=True, slots=True)
class DeskAvailability:
    card: bool
    qr: bool
    test_mode: bool
    message: str | None  # why card and QR are off, in plain words
    reader_id: str | None


@dataclass(frozen=True, slots=True)
class AwaitingSession:
    """An ended walk-in session with its final price, not paid yet."""

    transaction_id: int
    station_id: str
    connector_id: int
    id_tag: str
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: int
    total_minor: int
    vat_rate_bp: int
    currency: str
    lines: tuple[PriceLine, ...]
    driver_name: str | None
    fleet_id: int | None
    fleet_name: str | None
    subscription_id: int | None


@dataclass(frozen=True, slots=True)
class QrPayment:
    payment: Payment
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class QrResult:
    payment: Payment
    receipt: Receipt | None
    state: CheckoutState


@dataclass(frozen=True, slots=True)
class DeskParts:
    """The services the desk reads sessions, drivers and prices from."""

    transactions: TransactionService
    pricing: SessionPricingService
    tags: TagService
    access: AccessService
    subscriptions: SubscriptionService


class PaymentDesk:
    def __init__(
        self,
        ledger: PaymentLedger,
        parts: DeskParts,
        settings: Settings,
        make_gateway: GatewayFactory,
    ) -> None:
        self.ledger = ledger
        self._parts = parts
        self._settings = settings
        self._make_gateway = make_gateway
        self._gateway: PaymentGateway | PaymentsUnavailable = PaymentsUnavailable(
            "Card payments are starting up."
        )
        self._unreachable = False
        # The card steps always try Stripe (a hold's capture retries on its own); the
        # screen's availability says "unreachable" until a call gets through again.
        self.card = CardPayments(ledger, lambda: self._gateway)

    # ---- Stripe's availability ----

    def _current_gateway(self) -> PaymentGateway | PaymentsUnavailable:
        if self._unreachable and not isinstance(self._gateway, PaymentsUnavailable):
            return PaymentsUnavailable(UNREACHABLE)
        return self._gateway

    def availability(self) -> DeskAvailability:
        gateway = self._current_gateway()
        reader = self._settings.desk_reader_id or None
        if isinstance(gateway, PaymentsUnavailable):
            return DeskAvailability(False, False, False, gateway.message, reader)
        message = None if reader else NO_READER
        return DeskAvailability(reader is not None, True, gateway.test_mode, message, reader)

    async def reload(self, settings: Settings | None = None) -> DeskAvailability:
        """Read the key from the keyring again (and newer settings) and check Stripe answers."""
        if settings is not None:
            self._settings = settings
        current = self._settings
        self._gateway = await asyncio.to_thread(self._make_gateway, current)
        self._unreachable = False
        if not isinstance(self._gateway, PaymentsUnavailable):
            try:
                await self._gateway.readers()
            except PaymentProviderUnavailable:
                self._unreachable = True
            except PaymentRefused as refused:
                self._gateway = PaymentsUnavailable(f"Stripe refused the key: {refused}")
        return self.availability()

    def use_reader(self, reader_id: str | None) -> None:
        self._settings = replace(self._settings, desk_reader_id=reader_id or "")

    def _require_available(self) -> None:
        """New card and QR payments start only while Stripe is set up and answering."""
        gateway = self._current_gateway()
        if isinstance(gateway, PaymentsUnavailable):
            raise PaymentsNotConfigured(gateway.message)

    def _answered(self) -> None:
        self._unreachable = False

    def _noted(self, problem: PaymentProviderError) -> None:
        """Stripe unreachable: card and QR go off (and say so) until reload()."""
        if isinstance(problem, PaymentProviderUnavailable):
            self._unreachable = True

    # ---- readers ----

    async def readers(self) -> list[CardReader]:
        try:
            found = await self.card.gateway().readers()
        except PaymentProviderError as problem:
            self._noted(problem)
            raise
        self._answered()
        return found

    @requires(Role.MANAGER, "reader.register")
    async def register_reader(self, registration_code: str, label: str) -> CardReader:
        code, name = registration_code.strip(), label.strip()
        if not code or not name:
            raise InvalidInput("a reader needs its registration code and a label")
        return await self.card.gateway().register_reader(code, name)

    @requires(Role.MANAGER, "reader.register_simulated")
    async def register_simulated_reader(self, label: str) -> CardReader:
        return await self.card.gateway().register_simulated_reader(label.strip() or "Desk")

    # ---- what awaits payment ----

    async def awaiting(self) -> list[AwaitingSession]:
        found = await self.ledger.awaiting_payment()
        sessions = [await self._awaiting(item) for item in found]
        return sorted(sessions, key=lambda s: s.stopped_at or s.started_at, reverse=True)

    async def _awaiting(self, item: AwaitingPayment) -> AwaitingSession:
        parts = self._parts
        tx = await parts.transactions.get(item.transaction_id)
        if tx is None:
            raise NotFound(f"there is no session {item.transaction_id}")
        charge = await parts.pricing.price_of(item.transaction_id)
        lines = () if charge is None or charge.price is None else charge.price.lines
        driver_name = fleet_name = None
        fleet_id = subscription_id = None
        tag = await parts.tags.get_or_none(tx.id_tag)
        if tag is not None and tag.driver_id is not None:
            card = await parts.access.driver(tag.driver_id)
            driver_name, fleet_id, fleet_name = (
                card.driver.name,
                card.driver.fleet_id,
                card.fleet_name,
            )
            current = await parts.subscriptions.current(tag.driver_id)
            subscription_id = None if current is None else current.id
        return AwaitingSession(
            item.transaction_id,
            tx.station_id,
            tx.connector_id,
            tx.id_tag,
            tx.started_at,
            item.stopped_at,
            tx.energy_wh or 0,
            item.total_minor,
            item.vat_rate_bp,
            item.currency,
            lines,
            driver_name,
            fleet_id,
            fleet_name,
            subscription_id,
        )

    async def _awaiting_item(self, transaction_id: int) -> AwaitingPayment:
        for item in await self.ledger.awaiting_payment():
            if item.transaction_id == transaction_id:
                return item
        raise InvalidInput(f"session {transaction_id} is not awaiting payment")

    async def _attempt(
        self,
        transaction_id: int,
        method: PaymentMethod,
        by: str,
        fleet_id: int | None = None,
        item: AwaitingPayment | None = None,
    ) -> PaymentAttempt:
        found = item or await self._awaiting_item(transaction_id)
        return PaymentAttempt(
            method,
            found.total_minor,
            found.currency,
            transaction_id,
            found.vat_rate_bp,
            fleet_id,
            by,
        )

    # ---- card ----

    def _reader(self, reader_id: str | None) -> str:
        chosen = reader_id or self._settings.desk_reader_id
        if not chosen:
            raise InvalidInput(NO_READER)
        return chosen

    @requires(Role.ATTENDANT, "payment.card")
    async def start_card(
        self, transaction_id: int, by: str, reader_id: str | None = None
    ) -> Payment:
        """The session's price shows on the reader; finish_card waits for the card."""
        self._require_available()
        reader = self._reader(reader_id)
        attempt = await self._attempt(transaction_id, PaymentMethod.CARD, by)
        try:
            payment = await self.card.open(attempt, hold=False, by=by)
            await self.card.present(payment.id, reader, by)
        except PaymentProviderError as problem:
            self._noted(problem)
            raise
        self._answered()
        return await self.ledger.get(payment.id)

    async def finish_card(
        self, payment_id: int, reader_id: str | None = None, timeout: float | None = None
    ) -> CardResult:
        wait = self._settings.card_wait_seconds if timeout is None else timeout
        try:
            result = await self.card.outcome(payment_id, self._reader(reader_id), wait)
        except PaymentProviderError as problem:
            self._noted(problem)
            raise
        self._answered()
        return result

    # ---- QR (Stripe Checkout) ----

    @requires(Role.ATTENDANT, "payment.qr")
    async def start_qr(self, transaction_id: int, by: str) -> QrPayment:
        self._require_available()
        gateway = self.card.gateway()
        attempt = await self._attempt(transaction_id, PaymentMethod.QR, by)
        call = await self.ledger.begin(attempt, ProviderStep.CREATE)
        payment = call.payment
        try:
            link = await gateway.checkout_for(
                payment.amount_minor,
                f"Charging session {transaction_id}",
                call.idempotency_key,
                expires_in=timedelta(minutes=self._settings.qr_expiry_minutes),
                metadata={
                    "chargedesk_payment": str(payment.id),
                    "chargedesk_session": str(transaction_id),
                },
            )
        except PaymentProviderError as problem:
            self._noted(problem)
            await self.ledger.record(
                StepOutcome(payment.id, ProviderStep.CREATE, PaymentState.FAILED, str(problem)),
                by=by,
            )
            raise
        self._answered()
        recorded = await self.ledger.record(
            StepOutcome(
                payment.id,
                ProviderStep.CREATE,
                PaymentState.CREATED,
                checkout_session_id=link.session_id,
            ),
            by=by,
        )
        return QrPayment(recorded.payment, link.url, link.expires_at)

    async def check_qr(self, payment_id: int, by: str = "") -> QrResult:
        """Has the customer paid? Paid or expired is recorded; open stays open."""
        payment = await self.ledger.get(payment_id)
        if payment.method is not PaymentMethod.QR or payment.checkout_session_id is None:
            raise InvalidInput(f"payment {payment_id} is not a QR payment")
        if payment.state is not PaymentState.CREATED:
            return await self._qr_result(payment)
        try:
            status = await self.card.gateway().checkout_status(payment.checkout_session_id)
        except PaymentProviderError as problem:
            self._noted(problem)
            raise
        self._answered()
        if status.state is CheckoutState.OPEN:
            return QrResult(payment, None, CheckoutState.OPEN)
        step = ProviderStep.CAPTURE if status.state is CheckoutState.PAID else ProviderStep.CANCEL
        await self.ledger.begin_step(payment_id, step, by)
        if status.state is CheckoutState.PAID:
            outcome = StepOutcome(
                payment_id,
                step,
                PaymentState.CAPTURED,
                payment_intent_id=status.intent_id,
                captured_minor=status.amount_minor or payment.amount_minor,
            )
        else:
            outcome = StepOutcome(payment_id, step, PaymentState.CANCELLED, "the QR code expired")
        done = await self.ledger.record(outcome, by=by)
        return await self._qr_result(done.payment)

    async def withdraw_qr(self, payment_id: int, by: str) -> Payment:
        """The customer pays another way: expire the link (a paid link stays paid)."""
        payment = await self.ledger.get(payment_id)
        if payment.method is not PaymentMethod.QR or payment.checkout_session_id is None:
            raise InvalidInput(f"payment {payment_id} is not a QR payment")
        if payment.state is not PaymentState.CREATED:
            return payment
        key = payment.key(ProviderStep.CANCEL)
        try:
            status = await self.card.gateway().expire_checkout(payment.checkout_session_id, key)
        except PaymentProviderError as problem:
            self._noted(problem)
            raise
        if status.state is CheckoutState.OPEN:
            raise PaymentRefused("Stripe kept the QR payment open; try again.")
        return (await self.check_qr(payment_id, by)).payment

    async def _qr_result(self, payment: Payment) -> QrResult:
        if payment.state is PaymentState.CAPTURED:
            receipt = await self.ledger.receipt_for(payment.id)
            return QrResult(payment, receipt, CheckoutState.PAID)
        return QrResult(payment, None, CheckoutState.EXPIRED)

    # ---- without a provider ----

    @requires(Role.ATTENDANT, "payment.cash")
    async def pay_cash(
        self, transaction_id: int, tendered_minor: int, by: str, email: str | None = None
    ) -> CashTaken:
        attempt = await self._attempt(transaction_id, PaymentMethod.CASH, by)
        return await self.ledger.pay_cash(attempt, tendered_minor, email)

    @requires(Role.ATTENDANT, "payment.account")
    async def put_on_account(
        self, transaction_id: int, fleet_id: int, by: str, email: str | None = None
    ) -> Recorded:
        await self._parts.access.fleet(fleet_id)  # NotFound for a fleet that is gone
        attempt = await self._attempt(transaction_id, PaymentMethod.ACCOUNT, by, fleet_id)
        return await self.ledger.put_on_account(attempt, email)

    @requires(Role.ATTENDANT, "payment.subscription")
    async def charge_subscription(self, transaction_id: int, by: str) -> Recorded:
        # One read of the session (not every awaiting session with its driver).
        item = await self._awaiting_item(transaction_id)
        session = await self._awaiting(item)
        if session.subscription_id is None:
            raise InvalidInput(f"the driver of tag {session.id_tag} has no current subscription")
        attempt = await self._attempt(transaction_id, PaymentMethod.SUBSCRIPTION, by, item=item)
        return await self.ledger.charge_subscription(attempt)

    # ---- after the fact ----

    @requires(Role.MANAGER, "payment.refund")
    async def refund(self, payment_id: int, amount_minor: int, reason: str, by: str) -> Refund:
        """Cash is handed back at once; a card or QR refund goes through Stripe."""
        payment = await self.ledger.get(payment_id)
        gateway = None
        if payment.method in (PaymentMethod.CARD, PaymentMethod.QR):
            gateway = self.card.gateway()  # refuse before writing anything
            if payment.payment_intent_id is None:
                raise InvalidInput(f"payment {payment_id} has no payment at Stripe to refund")
        refund = await self.ledger.refund(payment_id, amount_minor, reason, by)
        if gateway is None or payment.payment_intent_id is None:
            return refund
        try:
            result = await gateway.refund(
                payment.payment_intent_id,
                amount_minor,
                "requested_by_customer",
                refund.key,
                ledger_refund_id=refund.id,
            )
        except PaymentProviderUnavailable as problem:
            self._noted(problem)
            raise  # left in flight; start-up reconciliation reads it back from Stripe
        except PaymentProviderError as problem:
            return await self.ledger.record_refund(refund.id, failure=str(problem), by=by)
        return await self.ledger.record_refund(refund.id, provider_refund_id=result.id, by=by)

    @requires(Role.MANAGER, "payment.void_cash")
    async def void_cash(self, payment_id: int, reason: str, by: str) -> Payment:
        return await self.ledger.void_cash(payment_id, reason, by)

    # ---- start-up ----

    async def reconcile(self, now: datetime) -> ReconciliationReport:
        """Settle what a crash left in flight and record QR codes paid while we were down."""
        gateway = self._current_gateway()
        if isinstance(gateway, PaymentsUnavailable):
            report = ReconciliationReport()
            left = await self.ledger.in_flight()
            report.left_in_flight.extend(p.id for p in left)
            if left:
                report.notes.append(f"{gateway.message} {len(left)} payment(s) left in flight.")
            return report
        report = await reconcile(self.ledger, gateway, unreachable=PaymentProviderUnavailable)
        if report.stripe_unreachable:
            self._unreachable = True
            return report
        for payment in await self.ledger.payments_between(now - QR_LOOKBACK, now):
            if _open_qr(payment):
                try:
                    await self.check_qr(payment.id, "reconciliation")
                except PaymentProviderError as problem:
                    report.notes.append(f"QR payment {payment.id}: {problem}")
        return report


def _open_qr(payment: Payment) -> bool:
    return (
        payment.method is PaymentMethod.QR
        and payment.state is PaymentState.CREATED
        and payment.in_flight is None
        and payment.checkout_session_id is not None
    )
