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
the holds left waiting, held or paying a session. The money side, which retries
until Stripe answers, is app/services/preauth_settling.py.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Coroutine
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from app.domain import preauth as rules
from app.domain.commands import RemoteStartTransaction
from app.domain.errors import CommandError, InvalidInput, NotFound
from app.domain.events import (
    DomainEvent,
    MeterValuesReceived,
    SessionPriced,
    TransactionStarted,
    TransactionStopped,
)
from app.domain.model import IdTagInfo, TransactionState
from app.domain.payments import PaymentAttempt, PaymentMethod, PaymentState
from app.domain.ports import Clock, EventLog
from app.domain.preauth import PreAuth, PreAuthPhase
from app.services.authorization import AuthorizationService
from app.services.commands import CommandService
from app.services.events import EventBus
from app.services.payments import PaymentLedger
from app.services.preauth_ports import CardHolds, PreAuthRepository
from app.services.preauth_settling import HoldKeeper, safe_text
from app.services.session_pricing import SessionPricingService
from app.services.transactions import TransactionService

__all__ = ["PreAuth", "PreAuthPhase", "PreAuthorisations"]

log = logging.getLogger(__name__)
BY = "pre-authorisation"


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
    ) -> None:
        """hold_minor, plug_in_seconds, reader_id, card_wait_seconds: the settings
        preauth_hold_minor, preauth_plug_in_seconds, desk_reader_id, card_wait_seconds.
        retry_every: the first pause before Stripe is asked again (doubling to a minute).
        price_wait_seconds: how long a stopped session's final price is waited for."""
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
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timers: dict[int, asyncio.Task[None]] = {}
        self._tokens: list[int] = []
        # Unfinished holds, by payment id; the tag and session they are known by.
        self._holds: dict[int, PreAuth] = {}
        self._by_tag: dict[str, int] = {}
        self._by_session: dict[int, int] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._priced: dict[int, asyncio.Event] = {}
        self._last_price: dict[int, int] = {}
        self._live_price: dict[int, int] = {}
        self._stopping: set[int] = set()

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Answer for one-off tags, follow sessions, and pick up the holds a restart left.

        Call after SessionPricingService.start() (stopped sessions are priced by then)
        and before chargers are served, so no start or stop goes unseen.
        """
        if self._tokens:
            return
        self._authorization.use_prepaid_tags(self._tag_answer)
        self._tokens = [
            self._bus.subscribe(self._on_event, kind)
            for kind in (TransactionStarted, MeterValuesReceived, TransactionStopped, SessionPriced)
        ]
        for pre in await self._repo.unfinished():
            self._remember(pre)
        for pre in list(self._holds.values()):
            try:
                await self._pick_up(pre)
            except Exception:
                log.exception("pre-authorisation %d could not be picked up", pre.payment_id)

    async def stop(self) -> None:
        """Stop following; retries and timers end here and resume at the next start()."""
        for token in self._tokens:
            self._bus.unsubscribe(token)
        self._tokens = []
        self._authorization.use_prepaid_tags(None)
        tasks = [*self._tasks, *self._timers.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        self._timers.clear()

    async def settled(self) -> None:
        """Wait until every step under way (a price check, an attach, a capture) is done."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    def use_reader(self, reader_id: str | None) -> None:
        self.reader_id = reader_id or None

    @property
    def currency(self) -> str:
        return self._ledger.currency

    # ---- what the desk asks ----------------------------------------------------------

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
        self._remember(pre)
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
        pre = self._unfinished(payment_id)
        if pre.phase is not PreAuthPhase.WAITING_CARD:
            raise InvalidInput(f"pre-authorisation {payment_id} is {pre.phase.value}, not waiting")
        assert pre.reader_id is not None
        wait = self.card_wait_seconds if timeout is None else timeout
        result = await self._card.outcome(payment_id, pre.reader_id, wait, by=pre.by)
        async with self._lock(payment_id):
            pre = self._unfinished(payment_id)
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
        async with self._lock(payment_id):
            pre = self._unfinished(payment_id)
            if pre.phase is PreAuthPhase.CHARGING:
                raise InvalidInput(
                    "the session is charging: stop it at the charger or remotely; "
                    "its price is taken from the hold when it stops"
                )
            self._cancel_timer(payment_id)
            return await self._give_back(pre, f"Withdrawn: {why}", by=by.strip() or BY)

    async def get(self, payment_id: int) -> PreAuth:
        pre = self._holds.get(payment_id)
        if pre is None:
            return await self._repo.get(payment_id)
        return await self._with_live_price(pre)

    async def active(self) -> list[PreAuth]:
        """Unfinished pre-authorisations, oldest first, with the live price of their session."""
        return [await self._with_live_price(p) for p in sorted(self._holds.values(), key=_id)]

    # ---- the one-off tag (AuthorizationService asks, on the engine loop) --------------------

    def _tag_answer(
        self, id_tag: str, station_id: str | None, connector_id: int | None
    ) -> IdTagInfo | None:
        payment_id = self._by_tag.get(id_tag)
        holder = None if payment_id is None else self._holds.get(payment_id)
        return rules.tag_answer(id_tag, holder, station_id, connector_id)

    # ---- the bus (engine loop; quick, never blocking) ----------------------------------------

    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, TransactionStarted):
            payment_id = self._by_tag.get(event.id_tag)
            pre = None if payment_id is None else self._holds.get(payment_id)
            if pre is None or (pre.station_id, pre.connector_id) != (
                event.station_id,
                event.connector_id,
            ):
                return
            if pre.transaction_id is None and pre.phase in rules.TAG_LIVE:
                self._by_session[event.transaction_id] = pre.payment_id
                self._spawn(self._attach(pre.payment_id, event.transaction_id), "attach")
            return
        transaction_id = getattr(event, "transaction_id", None)
        payment_id = None if transaction_id is None else self._by_session.get(transaction_id)
        if payment_id is None or transaction_id is None:
            return
        if isinstance(event, MeterValuesReceived):
            self._spawn(self._check_price(payment_id), "price")
        elif isinstance(event, TransactionStopped):
            self._priced.setdefault(transaction_id, asyncio.Event())
            pre = self._holds.get(payment_id)
            if pre is not None and pre.session_ended_at is None:
                # At once: the StopTransaction's own answer already refuses the tag.
                self._holds[payment_id] = replace(pre, session_ended_at=event.stopped_at)
            self._spawn(self._settle(payment_id, wait_for_price=True), "settle")
        elif isinstance(event, SessionPriced):
            self._priced.setdefault(transaction_id, asyncio.Event()).set()

    # ---- steps ------------------------------------------------------------------------------

    async def _remote_start(self, pre: PreAuth) -> PreAuth:
        command = RemoteStartTransaction(pre.id_tag, pre.connector_id)
        try:
            await self._commands.send(
                pre.station_id, command, requested_by=f"{BY} {pre.payment_id}"
            )
        except (CommandError, InvalidInput) as refused:
            async with self._lock(pre.payment_id):
                current = self._unfinished(pre.payment_id)
                if current.transaction_id is not None:
                    return current  # it started all the same
                return await self._give_back(
                    current, f"The charger did not start: {refused}", by=BY
                )
        async with self._lock(pre.payment_id):
            current = self._holds.get(pre.payment_id, pre)
            if current.phase is not PreAuthPhase.HELD:
                return current  # started already, or given back meanwhile
            by_when = current.plug_in_by or self._clock()
            current = await self._stored(
                replace(
                    current,
                    phase=PreAuthPhase.STARTING,
                    message=rules.starting_message(
                        current.connector_id,
                        by_when,
                        by_when.astimezone(self._ledger.zone).strftime("%H:%M"),
                    ),
                )
            )
            self._arm_timer(current)
            return current

    async def _attach(self, payment_id: int, transaction_id: int) -> None:
        async with self._lock(payment_id):
            pre = self._holds.get(payment_id)
            if pre is None or pre.finished:
                await self._keeper.attention(
                    payment_id,
                    f"Transaction {transaction_id} started with the one-off tag of pre-"
                    f"authorisation {payment_id} after its hold was given back; it is an "
                    "ordinary walk-in session now and awaits payment at the desk",
                )
                return
            self._cancel_timer(payment_id)
            await self._ledger.attach_session(payment_id, transaction_id, by=BY)
            await self._stored(
                replace(
                    pre,
                    phase=PreAuthPhase.CHARGING,
                    transaction_id=transaction_id,
                    plug_in_by=None,
                    message=rules.charging_message(pre.hold_minor, self.currency),
                )
            )

    async def _check_price(self, payment_id: int) -> None:
        async with self._lock(payment_id):
            pre = self._holds.get(payment_id)
            if (
                pre is None
                or pre.phase is not PreAuthPhase.CHARGING
                or pre.transaction_id is None
                or pre.session_ended_at is not None
                or payment_id in self._stopping
            ):
                return
            prices = await self._pricing.live_prices([pre.transaction_id])
            price = prices.get(pre.transaction_id)
            if price is None:
                return
            now_minor = price.total_minor
            last = self._last_price.get(payment_id)
            self._last_price[payment_id] = self._live_price[payment_id] = now_minor
            step = 0 if last is None else now_minor - last
            check = rules.check_price(
                now_minor,
                pre.hold_minor,
                pre.initial_hold_minor,
                step,
                may_raise=not pre.increase_refused,
            )
            if check.action == "raise" and check.new_hold_minor is not None:
                raised = await self._keeper.raise_hold(pre, check.new_hold_minor)
                if raised is not None:
                    return
                pre = self._holds.get(payment_id, pre)
            if check.action != "continue":
                self._stopping.add(payment_id)
                if not await self._keeper.stop_at_limit(self._commands, pre):
                    self._stopping.discard(payment_id)  # asked again at the next reading

    async def _settle(self, payment_id: int, *, wait_for_price: bool) -> None:
        pre = self._holds.get(payment_id)
        if pre is None or pre.transaction_id is None:
            return
        transaction_id = pre.transaction_id
        if wait_for_price:
            priced = self._priced.setdefault(transaction_id, asyncio.Event())
            try:
                await asyncio.wait_for(priced.wait(), self._price_wait)
            except TimeoutError:
                log.warning("no final price for transaction %d in time", transaction_id)
        charge = await self._pricing.price_of(transaction_id)
        tx = await self._transactions.get(transaction_id)
        total = None if charge is None or charge.price is None else charge.price.total_minor
        energy = 0 if tx is None else tx.energy_wh or 0
        async with self._lock(payment_id):
            pre = self._holds.get(payment_id)
            if pre is None:
                return
            if tx is not None and pre.session_ended_at is None:
                pre = replace(pre, session_ended_at=tx.stopped_at or self._clock())
            pre = await self._stored(replace(pre, message=rules.ended_message()))
        outcome = rules.settle(total, energy, pre.hold_minor, self.currency)
        await self._keeper.finish(pre, outcome, lock=self._lock(payment_id))
        self._priced.pop(transaction_id, None)

    # ---- restart ---------------------------------------------------------------------------

    async def _pick_up(self, pre: PreAuth) -> None:
        if pre.phase is PreAuthPhase.WAITING_CARD:
            # The reader's wait died with the process: nobody is watching it now.
            self._spawn(
                self._keeper.give_back_until_done(pre, "ChargeDesk restarted while waiting"),
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
                self._by_session[tx.id] = pre.payment_id
                await self._attach(pre.payment_id, tx.id)
                pre = self._holds[pre.payment_id]
            else:
                self._arm_timer(pre)
                return
        assert pre.transaction_id is not None
        session = await self._transactions.get(pre.transaction_id)
        if session is None or session.state is TransactionState.CLOSED:
            self._spawn(self._settle(pre.payment_id, wait_for_price=False), "settle")

    # ---- helpers -------------------------------------------------------------------------

    async def _check_connector_free(self, station_id: str, connector_id: int) -> None:
        if connector_id < 1:
            raise InvalidInput("choose a connector (1 or more)")
        for pre in self._holds.values():
            if (pre.station_id, pre.connector_id) == (station_id, connector_id):
                raise InvalidInput(
                    f"connector {connector_id} of {station_id} already has a hold "
                    f"({pre.phase.value}): finish or withdraw that one first"
                )
        running = await self._transactions.find(station_id=station_id, open_only=True, limit=50)
        if any(t.connector_id == connector_id for t in running):
            raise InvalidInput(f"connector {connector_id} of {station_id} is charging already")

    async def _give_back(self, pre: PreAuth, reason: str, by: str) -> PreAuth:
        """Give the hold back now; while Stripe cannot be reached, keep trying in the background."""
        done = await self._keeper.give_back(pre, reason, by)
        if not done.finished:
            self._spawn(self._keeper.give_back_until_done(done, reason), "give-back")
        return done

    def _arm_timer(self, pre: PreAuth) -> None:
        self._cancel_timer(pre.payment_id)
        deadline = pre.plug_in_by or self._clock()
        task = asyncio.get_running_loop().create_task(
            self._plug_in_deadline(pre.payment_id, deadline),
            name=f"preauth-plug-in-{pre.payment_id}",
        )
        self._timers[pre.payment_id] = task

    def _cancel_timer(self, payment_id: int) -> None:
        task = self._timers.pop(payment_id, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def _plug_in_deadline(self, payment_id: int, deadline: datetime) -> None:
        await asyncio.sleep(max(0.0, (deadline - self._clock()).total_seconds()))
        async with self._lock(payment_id):
            self._timers.pop(payment_id, None)
            pre = self._holds.get(payment_id)
            if pre is None or pre.transaction_id is not None or pre.finished:
                return
            seconds = round(self.plug_in_seconds)
            await self._give_back(
                pre, f"Nobody plugged in within {seconds} s: the hold was released.", by=BY
            )

    async def _stored(self, pre: PreAuth) -> PreAuth:
        """Save a change, keep it in memory (or forget a finished one), say so on the bus."""
        await self._repo.save(pre, self._clock())
        self._remember(pre)
        if pre.finished:
            self._forget(pre)
        await self._keeper.announce(pre)
        return pre

    def _remember(self, pre: PreAuth) -> None:
        if pre.finished:
            return
        self._holds[pre.payment_id] = pre
        self._by_tag[pre.id_tag] = pre.payment_id
        if pre.transaction_id is not None:
            self._by_session[pre.transaction_id] = pre.payment_id

    def _forget(self, pre: PreAuth) -> None:
        self._holds.pop(pre.payment_id, None)
        self._by_tag.pop(pre.id_tag, None)
        self._last_price.pop(pre.payment_id, None)
        self._live_price.pop(pre.payment_id, None)
        self._stopping.discard(pre.payment_id)
        self._cancel_timer(pre.payment_id)
        if pre.transaction_id is not None:
            self._by_session.pop(pre.transaction_id, None)

    def _unfinished(self, payment_id: int) -> PreAuth:
        pre = self._holds.get(payment_id)
        if pre is None:
            raise NotFound(f"there is no unfinished pre-authorisation {payment_id}")
        return pre

    def _lock(self, payment_id: int) -> asyncio.Lock:
        return self._locks.setdefault(payment_id, asyncio.Lock())

    async def _with_live_price(self, pre: PreAuth) -> PreAuth:
        if pre.transaction_id is None or pre.session_ended_at is not None:
            return pre
        prices = await self._pricing.live_prices([pre.transaction_id])
        price = prices.get(pre.transaction_id)
        live = self._live_price.get(pre.payment_id) if price is None else price.total_minor
        return replace(pre, live_price_minor=live)

    def _spawn(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=f"preauth-{what}")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", task.get_name(), exc_info=task.exception())


def _id(pre: PreAuth) -> int:
    return pre.payment_id
