"""Pay before charging: a hold on a walk-in driver's card starts the session and pays it.

    begin       ledger row + PaymentIntent (manual capture); the amount shows on the reader
    await_card  the customer taps: the hold is placed, then RemoteStartTransaction with a
                one-off tag (app.domain.preauth) on the chosen connector
    (bus)       the StartTransaction with that tag there joins the payment (attach_session);
                while it charges, a live price heading for the hold asks the card for more,
                or stops the session before it passes the hold; at its stop the final price
                (SessionPriced) is captured, or the hold released when it delivered nothing
    (timer)     nobody plugged in in time: the hold is released

Every step is stored before it is acted on, so `start()` picks up, after a restart,
the holds left waiting, held or paying a session. The parts: the desk's calls here;
following the session in app/services/preauth_sessions.py; the money side, which
retries until Stripe answers, in app/services/preauth_settling.py; what is kept in
memory for the tag lookup and the bus in app/services/preauth_book.py.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from datetime import timedelta

from app.domain import preauth as rules
from app.domain.commands import RemoteStartTransaction
from app.domain.errors import ChargeDeskError, InvalidInput
from app.domain.events import (
    MeterValuesReceived,
    SessionPriced,
    TransactionStarted,
    TransactionStopped,
)
from app.domain.operators import Role
from app.domain.payments import PaymentAttempt, PaymentMethod, PaymentState
from app.domain.ports import Clock, EventLog
from app.domain.preauth import PreAuth, PreAuthPhase
from app.services.acting import requires
from app.services.authorization import AuthorizationService
from app.services.commands import CommandService
from app.services.events import EventBus
from app.services.payments import PaymentLedger
from app.services.preauth_book import HoldBook
from app.services.preauth_ports import CardHolds, PreAuthRepository
from app.services.preauth_sessions import SessionFollower
from app.services.preauth_settling import BY, HoldKeeper, safe_text
from app.services.session_pricing import SessionPricingService
from app.services.transactions import TransactionService

__all__ = ["PreAuth", "PreAuthPhase", "PreAuthorisations"]

log = logging.getLogger(__name__)


class PreAuthorisations:
    def __init__(
        self,
        repository: PreAuthRepository,
        card: CardHolds,
        ledger: PaymentLedger,
        commands: CommandService,
        pricing: SessionPricingService,
        transactions: TransactionService,
        authorization: AuthorizationService,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        *,
        hold_minor: int,
        plug_in_seconds: float,
        reader_id: str | None = None,
        card_wait_seconds: float = 90.0,
        retry_every: float = 5.0,
        price_wait_seconds: float = 60.0,
        check_every: float = 30.0,
    ) -> None:
        """hold_minor, plug_in_seconds, reader_id, card_wait_seconds: the settings
        preauth_hold_minor, preauth_plug_in_seconds, desk_reader_id, card_wait_seconds.
        retry_every: the first pause before Stripe is asked again (doubling to a minute).
        price_wait_seconds: how long a stopped session's final price is waited for.
        check_every: how often live prices are checked besides at each meter reading."""
        self._repo = repository
        self._card = card
        self._ledger = ledger
        self._commands = commands
        self._pricing = pricing
        self._transactions = transactions
        self._authorization = authorization
        self._bus = bus
        self._clock = clock
        self.hold_minor = hold_minor
        self.plug_in_seconds = plug_in_seconds
        self.reader_id = reader_id or None
        self.card_wait_seconds = card_wait_seconds
        self._price_wait = price_wait_seconds
        self._keeper = HoldKeeper(
            repository, card, ledger, events, bus, clock, self._stored, retry_every=retry_every
        )
        self._book = HoldBook()
        self._follower = SessionFollower(
            self._book,
            self._keeper,
            ledger,
            commands,
            pricing,
            transactions,
            clock,
            self._stored,
            plug_in_seconds=plug_in_seconds,
            price_wait_seconds=price_wait_seconds,
            check_every=check_every,
        )
        self._tokens: list[int] = []

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Answer for one-off tags, follow sessions, and pick up the holds a restart left.

        Call after SessionPricingService.start() (stopped sessions are priced by then)
        and before chargers are served, so no start or stop goes unseen.
        """
        if self._tokens:
            return
        self._authorization.use_prepaid_tags(self._book.tag_answer)
        self._tokens = [
            self._bus.subscribe(self._follower.on_event, kind)
            for kind in (TransactionStarted, MeterValuesReceived, TransactionStopped, SessionPriced)
        ]
        self._book.run_ticker(self._follower.check_prices_now_and_then())
        for pre in await self._repo.unfinished():
            self._book.remember(pre)
        for pre in list(self._book.holds.values()):
            try:
                await self._follower.pick_up(pre)
            except Exception:
                log.exception("pre-authorisation %d could not be picked up", pre.payment_id)

    async def stop(self) -> None:
        """Stop following; retries and timers end here and resume at the next start()."""
        for token in self._tokens:
            self._bus.unsubscribe(token)
        self._tokens = []
        self._authorization.use_prepaid_tags(None)
        await self._book.close()

    async def settled(self) -> None:
        """Wait until every step under way (a price check, an attach, a capture) is done."""
        await self._book.settled()

    def use_reader(self, reader_id: str | None) -> None:
        self.reader_id = reader_id or None

    @property
    def currency(self) -> str:
        return self._ledger.currency

    # ---- what the desk asks ----------------------------------------------------------

    @requires(Role.ATTENDANT, "payment.preauth", target="station_id")
    async def begin(
        self,
        station_id: str,
        connector_id: int,
        by: str,
        *,
        reader_id: str | None = None,
        hold_minor: int | None = None,
    ) -> PreAuth:
        """Show the hold on the reader for a session on this connector (nothing starts yet)."""
        who = by.strip()
        if not who or len(who) > 100:
            raise InvalidInput("who takes the payment: 1 to 100 characters")
        reader = reader_id or self.reader_id
        if reader is None:
            raise InvalidInput("no card reader is chosen: pick the desk's reader in Settings")
        amount = self.hold_minor if hold_minor is None else hold_minor
        if amount <= 0:
            raise InvalidInput("a hold is for more than nothing")
        await self._check_connector_free(station_id, connector_id)
        attempt = PaymentAttempt(PaymentMethod.CARD, amount, self._ledger.currency, None, by=who)
        payment = await self._card.open(attempt, hold=True, by=who)
        pre = PreAuth(
            payment_id=payment.id,
            station_id=station_id,
            connector_id=connector_id,
            id_tag=rules.prepaid_tag(payment.id, secrets.token_hex(4)),
            hold_minor=amount,
            phase=PreAuthPhase.WAITING_CARD,
            transaction_id=None,
            live_price_minor=None,
            captured_minor=None,
            receipt_number=None,
            message=rules.waiting_message(amount, self._ledger.currency),
            initial_hold_minor=amount,
            reader_id=reader,
            by=who,
        )
        await self._repo.add(pre, self._clock())
        self._book.remember(pre)
        try:
            await self._card.present(payment.id, reader, by=who)
        except Exception as problem:
            await self._stored(
                replace(
                    pre,
                    phase=PreAuthPhase.FAILED,
                    message=f"The reader could not show it: {safe_text(problem)}",
                )
            )
            raise
        await self._keeper.announce(pre)
        return pre

    async def await_card(self, payment_id: int, timeout: float | None = None) -> PreAuth:
        """Wait for the customer's card; once the hold is placed the charger is told to start."""
        pre = self._book.unfinished(payment_id)
        if pre.phase is not PreAuthPhase.WAITING_CARD:
            raise InvalidInput(f"pre-authorisation {payment_id} is {pre.phase.value}, not waiting")
        assert pre.reader_id is not None
        wait = self.card_wait_seconds if timeout is None else timeout
        result = await self._card.outcome(payment_id, pre.reader_id, wait, by=pre.by)
        async with self._book.lock(payment_id):
            current = self._book.holds.get(payment_id)
            if current is None:
                return await self._repo.get(payment_id)  # withdrawn while waiting
            pre = current
            if result.outcome != "approved" or result.payment.state is not PaymentState.AUTHORISED:
                return await self._stored(
                    replace(pre, phase=PreAuthPhase.FAILED, message=result.message)
                )
            pre = await self._stored(
                replace(
                    pre,
                    phase=PreAuthPhase.HELD,
                    hold_minor=result.payment.amount_minor,
                    plug_in_by=self._clock() + timedelta(seconds=self.plug_in_seconds),
                    message=rules.held_message(result.payment.amount_minor, self.currency),
                )
            )
        return await self._remote_start(pre)

    async def withdraw(self, payment_id: int, reason: str, by: str) -> PreAuth:
        """The attendant gives up before the session started: nothing is charged."""
        why = reason.strip()
        if not why:
            raise InvalidInput("a reason: 1 to 500 characters")
        async with self._book.lock(payment_id):
            pre = self._book.unfinished(payment_id)
            if pre.phase is PreAuthPhase.CHARGING:
                raise InvalidInput(
                    "the session is charging: stop it at the charger or remotely; "
                    "its price is taken from the hold when it stops"
                )
            self._book.cancel_timer(payment_id)
            return await self._follower.give_back(pre, f"Withdrawn: {why}", by=by.strip() or BY)

    async def get(self, payment_id: int) -> PreAuth:
        pre = self._book.holds.get(payment_id)
        if pre is None:
            return await self._repo.get(payment_id)
        return await self._with_live_price(pre)

    async def active(self) -> list[PreAuth]:
        """Unfinished pre-authorisations, oldest first, with the live price of their session."""
        return [await self._with_live_price(p) for p in sorted(self._book.holds.values(), key=_id)]

    # ---- steps ------------------------------------------------------------------------------

    async def _remote_start(self, pre: PreAuth) -> PreAuth:
        command = RemoteStartTransaction(pre.id_tag, pre.connector_id)
        try:
            await self._commands.send(
                pre.station_id, command, requested_by=f"{BY} {pre.payment_id}"
            )
        except ChargeDeskError as refused:
            async with self._book.lock(pre.payment_id):
                current = self._book.unfinished(pre.payment_id)
                if current.transaction_id is not None:
                    return current  # it started all the same
                return await self._follower.give_back(
                    current, f"The charger did not start: {refused}", by=BY
                )
        async with self._book.lock(pre.payment_id):
            found = self._book.holds.get(pre.payment_id)
            if found is None or found.phase is not PreAuthPhase.HELD:
                # Started already, or given back meanwhile.
                return found or await self._repo.get(pre.payment_id)
            current = found
            by_when = current.plug_in_by or self._clock()
            current = await self._stored(
                replace(
                    current,
                    phase=PreAuthPhase.STARTING,
                    message=rules.starting_message(
                        current.connector_id,
                        by_when.astimezone(self._ledger.zone).strftime("%H:%M"),
                    ),
                )
            )
            self._follower.arm_timer(current)
            return current

    # ---- helpers -------------------------------------------------------------------------

    async def _check_connector_free(self, station_id: str, connector_id: int) -> None:
        if connector_id < 1:
            raise InvalidInput("choose a connector (1 or more)")
        for pre in self._book.holds.values():
            if (pre.station_id, pre.connector_id) == (station_id, connector_id):
                raise InvalidInput(
                    f"connector {connector_id} of {station_id} already has a hold "
                    f"({pre.phase.value}): finish or withdraw that one first"
                )
        running = await self._transactions.find(station_id=station_id, open_only=True, limit=50)
        if any(t.connector_id == connector_id for t in running):
            raise InvalidInput(f"connector {connector_id} of {station_id} is charging already")

    async def _stored(self, pre: PreAuth) -> PreAuth:
        """Save a change, keep it in memory (or forget a finished one), say so on the bus."""
        await self._repo.save(pre, self._clock())
        self._book.remember(pre)
        await self._keeper.announce(pre)
        return pre

    async def _with_live_price(self, pre: PreAuth) -> PreAuth:
        if pre.transaction_id is None or pre.session_ended_at is not None:
            return pre
        prices = await self._pricing.live_prices([pre.transaction_id])
        price = prices.get(pre.transaction_id)
        live = self._book.last_price.get(pre.payment_id) if price is None else price.total_minor
        return replace(pre, live_price_minor=live)


def _id(pre: PreAuth) -> int:
    return pre.payment_id
