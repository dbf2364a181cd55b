"""The money side of pay-before-charging: raise a hold, stop at its limit, capture or
give it back, and keep asking Stripe until it answers.

A capture is retried with the same ledger step, so the same idempotency key: a
retry after a lost answer never takes the money twice. Before each attempt the
ledger is read again, so a payment that start-up reconciliation (or an earlier
attempt) already settled is only mirrored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from typing import Any

from app.domain import preauth as rules
from app.domain.commands import RemoteStopTransaction
from app.domain.errors import ChargeDeskError, InvalidInput
from app.domain.events import OperatorAttentionNeeded, PaymentChanged
from app.domain.model import Severity
from app.domain.payment_errors import PaymentProviderError
from app.domain.payments import Payment, PaymentState
from app.domain.ports import Clock, EventLog
from app.domain.preauth import PreAuth, PreAuthPhase
from app.services.commands import CommandService
from app.services.events import EventBus
from app.services.payments import PaymentLedger
from app.services.preauth_ports import CardHolds, PreAuthRepository

log = logging.getLogger(__name__)
BY = "pre-authorisation"
ATTENTION_KIND = "payment.preauth"
LONGEST_PAUSE = 60.0

Store = Callable[[PreAuth], Awaitable[PreAuth]]


def safe_text(problem: BaseException) -> str:
    """Our own errors and the payment provider's (whose str() hides keys) say what
    happened; anything else is a fault of ours, logged, and not shown."""
    if isinstance(problem, ChargeDeskError | PaymentProviderError):
        return str(problem)
    return "an unexpected error (see the log)"


class HoldKeeper:
    def __init__(
        self,
        repository: PreAuthRepository,
        card: CardHolds,
        ledger: PaymentLedger,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        stored: Store,
        *,
        retry_every: float,
    ) -> None:
        self._repo = repository
        self._card = card
        self._ledger = ledger
        self._events = events
        self._bus = bus
        self._clock = clock
        self._stored = stored
        self.retry_every = retry_every

    # ---- telling others -------------------------------------------------------------------

    async def announce(self, pre: PreAuth) -> None:
        """PaymentChanged for a phase change, with the payment's own state."""
        payment = await self._ledger.get(pre.payment_id)
        self._bus.publish(
            PaymentChanged(
                self._clock(),
                pre.station_id,
                pre.payment_id,
                pre.transaction_id,
                payment.state.value,
                f"pre-authorisation {pre.phase.value}",
            )
        )

    async def attention(self, payment_id: int, message: str, station_id: str | None = None) -> None:
        now = self._clock()
        log.warning("%s", message)
        await self._events.append(
            ATTENTION_KIND, Severity.WARNING, message, station_id, {"payment_id": payment_id}, now
        )
        self._bus.publish(OperatorAttentionNeeded(now, station_id or "", ATTENTION_KIND, message))

    # ---- while charging -------------------------------------------------------------------

    async def raise_hold(self, pre: PreAuth, new_total_minor: int) -> PreAuth | None:
        """Ask the card for more; the changed pre-authorisation, or None when refused."""
        try:
            granted = await self._card.increase_hold(pre.payment_id, new_total_minor, by=BY)
        except Exception as problem:
            # Not supported by the card, or Stripe unreachable: the limit stands.
            log.info("pre-authorisation %d: no larger hold: %s", pre.payment_id, problem)
            granted = False
        if not granted:
            await self._stored(replace(pre, increase_refused=True))
            return None
        payment = await self._ledger.get(pre.payment_id)
        return await self._stored(
            replace(
                pre,
                hold_minor=payment.amount_minor,
                message=rules.charging_message(payment.amount_minor, payment.currency),
            )
        )

    async def stop_at_limit(self, commands: CommandService, pre: PreAuth) -> bool:
        """RemoteStopTransaction before the price passes the hold; False when not sent."""
        assert pre.transaction_id is not None
        try:
            await commands.send(
                pre.station_id,
                RemoteStopTransaction(pre.transaction_id),
                requested_by=f"{BY} {pre.payment_id}",
            )
        except ChargeDeskError as problem:
            await self.attention(
                pre.payment_id,
                f"Transaction {pre.transaction_id} reached the hold of pre-authorisation "
                f"{pre.payment_id} and could not be stopped: {problem}",
                pre.station_id,
            )
            return False
        payment = await self._ledger.get(pre.payment_id)
        await self._stored(
            replace(pre, message=rules.stopping_at_limit_message(pre.hold_minor, payment.currency))
        )
        return True

    # ---- giving the hold back ---------------------------------------------------------------

    async def give_back(self, pre: PreAuth, reason: str, by: str) -> PreAuth:
        """Release the hold (or withdraw the reader's request) once; when Stripe cannot be
        reached the pre-authorisation says so and the caller may retry."""
        try:
            return await self._give_back_once(pre, reason, by)
        except Exception as problem:
            log.warning("pre-authorisation %d not given back: %s", pre.payment_id, problem)
            return await self._stored(
                replace(pre, message=f"{reason} Releasing the hold failed: {safe_text(problem)}")
            )

    async def give_back_until_done(self, pre: PreAuth, reason: str) -> PreAuth:
        pause = self.retry_every
        while True:
            try:
                return await self._give_back_once(pre, reason, BY)
            except Exception as problem:
                log.warning("pre-authorisation %d not given back yet: %s", pre.payment_id, problem)
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
            pre = await self._repo.get(pre.payment_id)
            if pre.finished:
                return pre

    async def _give_back_once(self, pre: PreAuth, reason: str, by: str) -> PreAuth:
        payment = await self._ledger.get(pre.payment_id)
        if payment.state is PaymentState.CREATED:
            payment = await self._card.withdraw(pre.payment_id, pre.reader_id, reason, by=by)
        elif payment.state is PaymentState.AUTHORISED:
            payment = await self._card.release(pre.payment_id, reason, by=by)
        return await self._mirror(pre, payment, reason)

    async def _mirror(
        self, pre: PreAuth, payment: Payment, message: str, charged: str | None = None
    ) -> PreAuth:
        """End the pre-authorisation as the ledger says the payment ended; `charged`
        says what a capture took (the amount by default)."""
        if payment.state is PaymentState.CANCELLED:
            held = pre.phase is not PreAuthPhase.WAITING_CARD
            phase = PreAuthPhase.RELEASED if held else PreAuthPhase.FAILED
            return await self._stored(replace(pre, phase=phase, message=message))
        if payment.state is PaymentState.FAILED:
            why = message if not payment.failure_reason else f"{message} ({payment.failure_reason})"
            return await self._stored(replace(pre, phase=PreAuthPhase.FAILED, message=why))
        if payment.state in rules.CHARGED:
            receipt = await self._ledger.receipt_for(pre.payment_id)
            amount = rules.money(payment.amount_minor, payment.currency)
            return await self._stored(
                replace(
                    pre,
                    phase=PreAuthPhase.CAPTURED,
                    captured_minor=payment.amount_minor,
                    receipt_number=receipt.number,
                    message=charged or f"Charged {amount}.",
                )
            )
        raise InvalidInput(f"payment {payment.id} is {payment.state.value}: not settled yet")

    # ---- at the end of the session ---------------------------------------------------------

    async def finish(
        self,
        pre: PreAuth,
        outcome: rules.Settlement,
        lock: AbstractAsyncContextManager[Any],
    ) -> PreAuth:
        """Capture the price (or release the hold), asking again until Stripe answers."""
        pause = self.retry_every
        told = False
        while True:
            async with lock:
                pre = await self._repo.get(pre.payment_id)
                if pre.finished:
                    return pre
                try:
                    done = await self._finish_once(pre, outcome)
                except Exception as problem:
                    log.warning("pre-authorisation %d not settled: %s", pre.payment_id, problem)
                    if not told:
                        told = True
                        await self._stored(
                            replace(
                                pre,
                                message=f"The session ended; taking its price failed "
                                f"({safe_text(problem)}): trying again.",
                            )
                        )
                else:
                    if outcome.shortfall_minor:
                        await self.attention(pre.payment_id, outcome.message, pre.station_id)
                    return done
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    async def _finish_once(self, pre: PreAuth, outcome: rules.Settlement) -> PreAuth:
        payment = await self._ledger.get(pre.payment_id)
        if payment.state is PaymentState.AUTHORISED:
            if outcome.action == "release":
                payment = await self._card.release(pre.payment_id, outcome.message, by=BY)
            else:
                taken = await self._card.capture(pre.payment_id, outcome.amount_minor, by=BY)
                payment = taken.payment
        if payment.state in rules.CHARGED:
            return await self._mirror(pre, payment, outcome.message, charged=outcome.message)
        if payment.state is PaymentState.CANCELLED and outcome.action == "release":
            return await self._mirror(pre, payment, outcome.message)
        if payment.state in (PaymentState.CANCELLED, PaymentState.FAILED):
            # The hold lapsed or was refused before its price was taken: the session is
            # unpaid, and the desk offers it like any ended walk-in session.
            lost = (
                f"The hold ended ({payment.state.value}) before the session's price of "
                f"{rules.money(outcome.amount_minor, payment.currency)} could be taken: "
                "take payment at the desk."
            )
            await self.attention(
                pre.payment_id,
                f"Pre-authorisation {pre.payment_id} (transaction {pre.transaction_id}): {lost}",
                pre.station_id,
            )
            return await self._stored(replace(pre, phase=PreAuthPhase.FAILED, message=lost))
        raise InvalidInput(f"payment {payment.id} is {payment.state.value}: not settled yet")
