"""Pay before charging when things go wrong on the way: a capture whose answer is lost,
and ChargeDesk restarting while a pre-paid session charges."""

from __future__ import annotations

from app.config import Settings
from app.domain.model import TransactionState
from app.domain.preauth import PreAuthPhase
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.waiting import until
from tests.integration.test_preauth import (
    CAPTURES,
    WALK_IN,
    Site,
    final_price,
    finished,
    held_and_started,
    intent_of,
    keys,
    reading_after,
    running_site,
    site_settings,
    stripe_standin,
)

__all__ = ["site_settings", "stripe_standin"]


async def test_a_capture_whose_answer_is_lost_is_retried_and_charges_once(
    site_settings: Settings, stripe_standin: StripeStandin
) -> None:
    async with running_site(site_settings, keys(), retry=1.0) as site:
        tariff = await site.engine.services.tariffs.create(WALK_IN)
        await site.engine.services.tariffs.assign(tariff.id)
        async with site.charger() as charger:
            await charger.wait_booted()
            pre, tx = await held_and_started(site, stripe_standin, charger, hold=5000)
            await reading_after(site, charger, 10)
            # Stripe captures each time, but no answer arrives, SDK retries included.
            for _ in range(3):
                stripe_standin.drop_connection(CAPTURES, after_effect=True)
            await charger.stop_transaction(1)
            await until(lambda: _retrying(site, pre.payment_id), timeout=20)
            # Meanwhile the session is not offered at the desk: its hold pays it.
            assert tx not in [s.transaction_id for s in await site.engine.services.desk.awaiting()]
            done = await finished(site, pre.payment_id)

        price = await final_price(site, tx)
        assert done.phase is PreAuthPhase.CAPTURED, done.message
        assert done.captured_minor == price
        assert len(stripe_standin.requests_to(CAPTURES)) == 4
        intent = intent_of(stripe_standin, pre.payment_id)
        assert intent["amount_received"] == price
        charges = [
            c for c in stripe_standin.objects("charges") if c["payment_intent"] == intent["id"]
        ]
        assert [c["amount_captured"] for c in charges] == [price]


async def _retrying(site: Site, payment_id: int) -> bool:
    return "trying again" in (await site.preauth.get(payment_id)).message


async def test_a_session_running_across_a_restart_is_still_paid_at_its_stop(
    site_settings: Settings, stripe_standin: StripeStandin
) -> None:
    secrets = keys()
    async with running_site(site_settings, secrets) as first:
        tariff = await first.engine.services.tariffs.create(WALK_IN)
        await first.engine.services.tariffs.assign(tariff.id)
        port, reader_id, clock = first.engine.port, first.reader_id, first.clock
        charger = first.charger()
        await charger.connect()
        await charger.wait_booted()
        pre, tx = await held_and_started(first, stripe_standin, charger, hold=5000)
        await reading_after(first, charger, 5)

    again = site_settings.with_overrides(port=port)
    try:
        async with running_site(again, secrets, reader_id) as second:
            second.clock = clock
            (picked,) = await second.preauth.active()
            assert (picked.payment_id, picked.phase, picked.transaction_id) == (
                pre.payment_id,
                PreAuthPhase.CHARGING,
                tx,
            )
            await until(lambda: charger.is_online, timeout=10)
            await reading_after(second, charger, 5)
            await charger.stop_transaction(1)
            done = await finished(second, pre.payment_id)
            price = await final_price(second, tx)
            tx_row = await second.engine.services.transactions.get(tx)
    finally:
        await charger.close()

    assert tx_row is not None
    assert tx_row.state is TransactionState.CLOSED
    assert done.phase is PreAuthPhase.CAPTURED, done.message
    assert done.captured_minor == price > 0
    assert intent_of(stripe_standin, pre.payment_id)["amount_received"] == price
