"""Pay before charging while the session runs: the start with the hold's tag joins the
payment, the live price is watched against the hold, the final price is taken at the
stop; a hold nobody plugged in for is given back. Used by app/services/preauth.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from app.domain import preauth as rules
from app.domain.errors import ChargeDeskError
from app.domain.events import (
    DomainEvent,
    MeterValuesReceived,
    SessionPriced,
    TransactionStarted,
    TransactionStopped,
)
from app.domain.model import TransactionState
from app.domain.ports import Clock
from app.domain.preauth import PreAuth, PreAuthPhase
from app.services.commands import CommandService
from app.services.payments import PaymentLedger
from app.services.preauth_book import HoldBook
from app.services.preauth_settling import BY, HoldKeeper
from app.services.session_pricing import SessionPricingService
from app.services.transactions import TransactionService

log = logging.getLogger(__name__)


class SessionFollower:
    def __init__(
        self,
        book: HoldBook,
        keeper: HoldKeeper,
        ledger: PaymentLedger,
        commands: CommandService,
        pricing: SessionPricingService,
        transactions: TransactionService,
        clock: Clock,
        stored: Callable[[PreAuth], Awaitable[PreAuth]],
        *,
        plug_in_seconds: float,
        price_wait_seconds: float,
        check_every: float,
    ) -> None:
        self.book = book
        self.keeper = keeper
        self._ledger = ledger
        self._commands = commands
        self._pricing = pricing
        self._transactions = transactions
        self._clock = clock
        self._stored = stored
        self.plug_in_seconds = plug_in_seconds
        self._price_wait = price_wait_seconds
        self._check_every = check_every

    @property
    def currency(self) -> str:
        return self._ledger.currency

    # ---- the bus (engine loop; quick, never blocking) ----------------------------------------

    def on_event(self, event: DomainEvent) -> None:
        if isinstance(event, TransactionStarted):
            self._started(event)
            return
        transaction_id = getattr(event, "transaction_id", None)
        held = None if transaction_id is None else self.book.by_session(transaction_id)
        if held is None or transaction_id is None:
            return
        if isinstance(event, MeterValuesReceived):
            self.book.spawn(self._check_price(held.payment_id, reading=True), "price")
        elif isinstance(event, TransactionStopped):
            self._ended(held, transaction_id, event.stopped_at)
        elif isinstance(event, SessionPriced):
            self.book.priced.setdefault(transaction_id, asyncio.Event()).set()

    def _started(self, event: TransactionStarted) -> None:
        place = (event.station_id, event.connector_id)
        for other in list(self.book.holds.values()):
            # A charger that never sent the stop: the new session closed the paid one
            # (superseded), and session pricing prices it as it would a stopped one.
            older = other.transaction_id
            if (other.station_id, other.connector_id) == place and older not in (
                None,
                event.transaction_id,
            ):
                assert older is not None
                self._ended(other, older, event.started_at)
        pre = self.book.by_tag(event.id_tag)
        if pre is None or (pre.station_id, pre.connector_id) != place:
            return
        if (
            pre.transaction_id is None
            and pre.phase in rules.TAG_LIVE
            and pre.payment_id not in self.book.giving_back
        ):
            self.book.join_session(pre.payment_id, event.transaction_id)
            self.book.spawn(self._attach(pre.payment_id, event.transaction_id), "attach")

    def _ended(self, held: PreAuth, transaction_id: int, at: datetime) -> None:
        if held.session_ended_at is not None:
            return  # settling already
        self.book.priced.setdefault(transaction_id, asyncio.Event())
        # At once: the StopTransaction's own answer already refuses the tag.
        self.book.remember(replace(held, session_ended_at=at))
        self.book.spawn(
            self._settle(held.payment_id, transaction_id, wait_for_price=True), "settle"
        )

    async def check_prices_now_and_then(self) -> None:
        """A price can grow with time alone (time and idle fees) while no reading arrives."""
        while True:
            await asyncio.sleep(self._check_every)
            for pre in list(self.book.holds.values()):
                if pre.phase is PreAuthPhase.CHARGING and pre.session_ended_at is None:
                    self.book.spawn(self._check_price(pre.payment_id, reading=False), "price")

    async def _attach(self, payment_id: int, transaction_id: int) -> None:
        async with self.book.lock(payment_id):
            pre = self.book.holds.get(payment_id)
            if pre is None or pre.finished or payment_id in self.book.giving_back:
                await self.keeper.attention(
                    payment_id,
                    f"Transaction {transaction_id} started with the one-off tag of pre-"
                    f"authorisation {payment_id} after its hold was given back; it is an "
                    "ordinary walk-in session now and awaits payment at the desk",
                )
                return
            self.book.cancel_timer(payment_id)
            try:
                await self._ledger.attach_session(payment_id, transaction_id, by=BY)
            except ChargeDeskError as refused:
                # The hold cannot pay this session: give it back rather than leave it
                # hanging; the session awaits payment at the desk like any walk-in.
                await self.keeper.attention(
                    payment_id,
                    f"Transaction {transaction_id} could not be joined to pre-authorisation "
                    f"{payment_id} ({refused}); its hold is released and the session awaits "
                    "payment at the desk",
                    pre.station_id,
                )
                await self.give_back(pre, f"The session could not be joined: {refused}", BY)
                return
            await self._stored(
                replace(
                    pre,
                    phase=PreAuthPhase.CHARGING,
                    transaction_id=transaction_id,
                    plug_in_by=None,
                    message=rules.charging_message(pre.hold_minor, self.currency),
                )
            )

    async def _check_price(self, payment_id: int, *, reading: bool) -> None:
        """At a reading, the price may grow by what the last reading added; between
        readings, by what time alone adds (it is the step between readings that says
        how much the next interval may cost, so only readings keep the last price)."""
        async with self.book.lock(payment_id):
            pre = self.book.holds.get(payment_id)
            if (
                pre is None
                or pre.phase is not PreAuthPhase.CHARGING
                or pre.transaction_id is None
                or pre.session_ended_at is not None
                or payment_id in self.book.stopping
            ):
                return
            prices = await self._pricing.live_prices([pre.transaction_id])
            price = prices.get(pre.transaction_id)
            if price is None:
                return
            now_minor = price.total_minor
            last = self.book.last_price.get(payment_id)
            if reading:
                self.book.last_price[payment_id] = now_minor
                self.book.last_step[payment_id] = 0 if last is None else now_minor - last
            step = self.book.last_step.get(payment_id, 0)
            check = rules.check_price(
                now_minor,
                pre.hold_minor,
                pre.initial_hold_minor,
                step,
                may_raise=not pre.increase_refused,
            )
            if check.action == "raise" and check.new_hold_minor is not None:
                raised = await self.keeper.raise_hold(pre, check.new_hold_minor)
                if raised is not None:
                    return
                pre = self.book.holds.get(payment_id, pre)
            if check.action != "continue":
                self.book.stopping.add(payment_id)
                if not await self.keeper.stop_at_limit(self._commands, pre):
                    self.book.stopping.discard(payment_id)  # asked again at the next reading

    async def _settle(self, payment_id: int, transaction_id: int, *, wait_for_price: bool) -> None:
        if wait_for_price:
            priced = self.book.priced.setdefault(transaction_id, asyncio.Event())
            try:
                await asyncio.wait_for(priced.wait(), self._price_wait)
            except TimeoutError:
                log.warning("no final price for transaction %d in time", transaction_id)
        charge = await self._pricing.price_of(transaction_id)
        tx = await self._transactions.get(transaction_id)
        total = None if charge is None or charge.price is None else charge.price.total_minor
        energy = 0 if tx is None else tx.energy_wh or 0
        async with self.book.lock(payment_id):
            pre = self.book.holds.get(payment_id)
            if pre is None or pre.transaction_id != transaction_id:
                return  # settled already, or the session was never joined (see _attach)
            if tx is not None and pre.session_ended_at is None:
                pre = replace(pre, session_ended_at=tx.stopped_at or self._clock())
            pre = await self._stored(replace(pre, message=rules.ended_message()))
        outcome = rules.settle(total, energy, pre.hold_minor, self.currency)
        await self.keeper.finish(pre, outcome, lock=self.book.lock(payment_id))
        self.book.priced.pop(transaction_id, None)

    # ---- restart ---------------------------------------------------------------------------

    async def pick_up(self, pre: PreAuth) -> None:
        if pre.phase is PreAuthPhase.WAITING_CARD:
            # The reader's wait died with the process: nobody is watching it now.
            self.book.giving_back.add(pre.payment_id)
            self.book.spawn(
                self.keeper.give_back_until_done(
                    pre, "ChargeDesk restarted while the reader waited for the card"
                ),
                "give-back",
            )
            return
        if pre.transaction_id is None:
            found = await self._transactions.find(
                station_id=pre.station_id, id_tag=pre.id_tag, limit=10
            )
            started = [t for t in found if t.connector_id == pre.connector_id]
            if started:
                tx = min(started, key=lambda t: t.id)
                self.book.join_session(pre.payment_id, tx.id)
                await self._attach(pre.payment_id, tx.id)
                pre = self.book.unfinished(pre.payment_id)
            else:
                self.arm_timer(pre)
                return
        assert pre.transaction_id is not None
        session = await self._transactions.get(pre.transaction_id)
        if session is None or session.state is TransactionState.CLOSED:
            self.book.spawn(
                self._settle(pre.payment_id, pre.transaction_id, wait_for_price=False), "settle"
            )

    async def give_back(self, pre: PreAuth, reason: str, by: str) -> PreAuth:
        """Give the hold back now; while Stripe cannot be reached, keep trying in the background."""
        self.book.giving_back.add(pre.payment_id)
        done = await self.keeper.give_back(pre, reason, by)
        if not done.finished:
            self.book.spawn(self.keeper.give_back_until_done(done, reason), "give-back")
        return done

    def arm_timer(self, pre: PreAuth) -> None:
        deadline = pre.plug_in_by or self._clock()
        self.book.arm_timer(pre.payment_id, self._plug_in_deadline(pre.payment_id, deadline))

    async def _plug_in_deadline(self, payment_id: int, deadline: datetime) -> None:
        await asyncio.sleep(max(0.0, (deadline - self._clock()).total_seconds()))
        async with self.book.lock(payment_id):
            self.book.timer_done(payment_id)
            pre = self.book.holds.get(payment_id)
            if pre is None or pre.transaction_id is not None or pre.finished:
                return
            seconds = round(self.plug_in_seconds)
            await self.give_back(
                pre, f"Nobody plugged in within {seconds} s: the hold was released.", by=BY
            )
