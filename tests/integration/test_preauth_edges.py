"""Pay before charging at the edges, with a charger scripted frame by frame: the tag on the
wrong connector, a charger that forgets the stop, the attendant giving up, a restart while
the reader waits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from app.config import Settings
from app.domain.payments import PaymentState
from app.domain.preauth import PreAuth, PreAuthPhase
from app.domain.tariffs import Tariff
from tests.fakes.raw_charger import RawCharger
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.waiting import until
from tests.integration.test_preauth import (
    Site,
    final_price,
    finished,
    held_and_started,
    intent_of,
    keys,
    phase_is,
    reading_after,
    running_site,
    site,
    site_settings,
    stripe_standin,
)

__all__ = ["site", "site_settings", "stripe_standin"]

T0 = datetime.now(UTC) - timedelta(hours=2)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def scripted_start(
    site: Site, standin: StripeStandin, hold: int = 10_000
) -> tuple[RawCharger, PreAuth]:
    """A charger that accepts the remote start and leaves the rest to the test."""
    cp = await RawCharger.connect(f"ws://127.0.0.1:{site.engine.port}/ocpp", "CP-1")
    await cp.boot()
    standin.customer_taps()
    pre = await site.preauth.begin("CP-1", 1, "Anna", hold_minor=hold)
    waiting = asyncio.create_task(site.preauth.await_card(pre.payment_id))
    await cp.reply(await cp.next_call(), {"status": "Accepted"})
    started = await waiting
    assert started.phase is PreAuthPhase.STARTING
    return cp, started


async def start_transaction(
    cp: RawCharger, connector: int, tag: str, meter: int, at: datetime
) -> dict[str, Any]:
    return await cp.ok(
        "StartTransaction",
        {"connectorId": connector, "idTag": tag, "meterStart": meter, "timestamp": iso(at)},
    )


async def test_the_tag_starts_nothing_on_another_connector(
    site: Site, stripe_standin: StripeStandin
) -> None:
    cp, pre = await scripted_start(site, stripe_standin)
    authorized = await cp.ok("Authorize", {"idTag": pre.id_tag})
    assert authorized["idTagInfo"]["status"] == "Accepted"
    elsewhere = await start_transaction(cp, 2, pre.id_tag, 0, T0)
    assert elsewhere["idTagInfo"]["status"] == "Invalid"
    assert (await site.preauth.get(pre.payment_id)).phase is PreAuthPhase.STARTING
    here = await start_transaction(cp, 1, pre.id_tag, 1000, T0)
    assert here["idTagInfo"]["status"] == "Accepted"
    await until(lambda: phase_is(site, pre.payment_id, PreAuthPhase.CHARGING))
    assert (await site.preauth.get(pre.payment_id)).transaction_id == here["transactionId"]
    await cp.close()


async def test_a_session_the_charger_never_stopped_is_paid_when_the_next_one_starts(
    site: Site, stripe_standin: StripeStandin
) -> None:
    cp, pre = await scripted_start(site, stripe_standin)
    answer = await start_transaction(cp, 1, pre.id_tag, 1000, T0)
    paid = int(answer["transactionId"])
    await until(lambda: phase_is(site, pre.payment_id, PreAuthPhase.CHARGING))
    await cp.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": paid,
            "meterValue": [
                {"timestamp": iso(T0 + timedelta(minutes=20)), "sampledValue": [{"value": "6000"}]}
            ],
        },
    )
    # No StopTransaction: the next driver's start closes the paid session.
    await start_transaction(cp, 1, "NEXT-DRIVER", 6000, T0 + timedelta(minutes=30))
    done = await finished(site, pre.payment_id)
    await cp.close()

    assert done.phase is PreAuthPhase.CAPTURED, done.message
    assert done.captured_minor == await final_price(site, paid) == 5000  # 5 kWh at 10 SEK
    assert intent_of(stripe_standin, pre.payment_id)["amount_received"] == 5000


async def test_the_attendant_gives_up_before_anyone_plugs_in(
    site: Site, stripe_standin: StripeStandin
) -> None:
    cp, pre = await scripted_start(site, stripe_standin)
    done = await site.preauth.withdraw(pre.payment_id, "the driver drove off", "Anna")
    await cp.close()

    assert done.phase is PreAuthPhase.RELEASED
    assert done.message == "Withdrawn: the driver drove off"
    assert (await site.engine.services.payments.get(pre.payment_id)).state is (
        PaymentState.CANCELLED
    )
    assert intent_of(stripe_standin, pre.payment_id)["status"] == "canceled"
    assert await site.preauth.active() == []


async def test_a_restart_while_the_reader_waits_gives_the_payment_up(
    site_settings: Settings, stripe_standin: StripeStandin
) -> None:
    secrets = keys()
    async with running_site(site_settings, secrets) as first:
        stripe_standin.customer_never_taps()
        pre = await first.preauth.begin("CP-1", 1, "Anna")
        reader_id = first.reader_id
    async with running_site(site_settings, secrets, reader_id) as second:
        done = await finished(second, pre.payment_id)
        payment = await second.engine.services.payments.get(pre.payment_id)

    assert done.phase is PreAuthPhase.FAILED
    assert done.message.startswith("ChargeDesk restarted while the reader waited")
    assert payment.state in (PaymentState.FAILED, PaymentState.CANCELLED)
    # Nothing is held on the card.
    assert intent_of(stripe_standin, pre.payment_id)["status"] != "requires_capture"


async def test_an_empty_session_costs_nothing_even_with_a_start_fee_and_awaits_nothing(
    site: Site, stripe_standin: StripeStandin
) -> None:
    with_fee = await site.engine.services.tariffs.create(
        Tariff("Walk-in with start fee", energy_per_kwh_minor=1000, start_fee_minor=500)
    )
    await site.engine.services.tariffs.assign(with_fee.id)
    cp, pre = await scripted_start(site, stripe_standin)
    answer = await start_transaction(cp, 1, pre.id_tag, 1000, T0)
    await until(lambda: phase_is(site, pre.payment_id, PreAuthPhase.CHARGING))
    await cp.ok(
        "StopTransaction",
        {
            "transactionId": answer["transactionId"],
            "meterStop": 1000,
            "timestamp": iso(T0 + timedelta(minutes=2)),
        },
    )
    done = await finished(site, pre.payment_id)
    await cp.close()

    assert done.phase is PreAuthPhase.RELEASED
    # app/domain/pricing.py: no energy, no start fee; so the desk is offered nothing.
    assert await final_price(site, answer["transactionId"]) == 0
    awaiting = [s.transaction_id for s in await site.engine.services.desk.awaiting()]
    assert answer["transactionId"] not in awaiting


async def test_a_price_growing_with_time_alone_is_stopped_at_the_limit_between_readings(
    site_settings: Settings, stripe_standin: StripeStandin
) -> None:
    stripe_standin.refuse_increments()
    async with running_site(site_settings, keys(), check_every=0.05) as site:
        # 5 SEK a second of idle fee from the last reading: between readings only the
        # clock moves the price (an empty session costs nothing, so one reading first).
        parked = Tariff("Parking hurts", energy_per_kwh_minor=1000, idle_per_minute_minor=30_000)
        await site.engine.services.tariffs.assign(
            (await site.engine.services.tariffs.create(parked)).id
        )
        site.clock.now = datetime.now(UTC) - timedelta(minutes=11)
        async with site.charger() as charger:
            await charger.wait_booted()
            pre, tx = await held_and_started(site, stripe_standin, charger, hold=5000)
            site.clock.now = datetime.now(UTC) - timedelta(seconds=1)
            await charger.send_meter_values(1)  # about 2 kWh: 20 SEK, far from the hold
            await site.preauth.settled()
            assert charger.transaction_id(1) == tx
            # No further reading: the periodic check stops the session near 50 SEK.
            await until(lambda: charger.transaction_id(1) is None, timeout=15)
            done = await finished(site, pre.payment_id)
        commands = await site.engine.services.commands.history(station_id="CP-1")
        tx_row = await site.engine.services.transactions.get(tx)
        price = await final_price(site, tx)

    assert tx_row is not None
    assert tx_row.stop_reason == "Remote"
    stops = [c for c in commands if c.action == "RemoteStopTransaction"]
    assert [c.requested_by for c in stops] == [f"pre-authorisation {pre.payment_id}"]
    assert done.phase is PreAuthPhase.CAPTURED, done.message
    assert done.captured_minor == price <= 5000


async def test_a_hold_that_lapsed_before_the_stop_leaves_the_session_to_the_desk(
    site: Site, stripe_standin: StripeStandin
) -> None:
    async with site.charger() as charger:
        await charger.wait_booted()
        pre, tx = await held_and_started(site, stripe_standin, charger, hold=5000)
        await reading_after(site, charger, 10)
        # What Stripe does to a hold nobody captured in time (or a manager, by hand).
        intent_id = str(intent_of(stripe_standin, pre.payment_id)["id"])
        stripe_standin.client().v1.payment_intents.cancel(intent_id)
        await charger.stop_transaction(1)
        done = await finished(site, pre.payment_id)

    assert done.phase is PreAuthPhase.FAILED
    assert "take payment at the desk" in done.message
    assert (await site.engine.services.payments.get(pre.payment_id)).state is (
        PaymentState.CANCELLED
    )
    (waiting,) = await site.engine.services.desk.awaiting()
    assert (waiting.transaction_id, waiting.total_minor) == (tx, await final_price(site, tx))
    (told,) = [
        e for e in await site.engine.services.event_log.recent() if e.kind == "payment.preauth"
    ]
    assert f"Pre-authorisation {pre.payment_id}" in told.message


async def test_a_hold_whose_release_waits_for_stripe_starts_nothing_meanwhile(
    site_settings: Settings, stripe_standin: StripeStandin
) -> None:
    async with running_site(site_settings, keys(), retry=1.0) as site:
        cp = await RawCharger.connect(f"ws://127.0.0.1:{site.engine.port}/ocpp", "CP-1")
        await cp.boot()
        stripe_standin.customer_taps()
        pre = await site.preauth.begin("CP-1", 1, "Anna")
        for _ in range(3):  # the SDK's own retries included
            stripe_standin.drop_connection("/v1/payment_intents/*/cancel")
        waiting = asyncio.create_task(site.preauth.await_card(pre.payment_id))
        await cp.reply(await cp.next_call(), {"status": "Rejected"})
        pending = await waiting
        assert pending.phase is PreAuthPhase.HELD
        assert "Releasing the hold failed" in pending.message
        late = await start_transaction(cp, 1, pre.id_tag, 0, T0)
        assert late["idTagInfo"]["status"] == "Invalid"
        done = await finished(site, pre.payment_id)
        await cp.close()

    assert done.phase is PreAuthPhase.RELEASED
    assert intent_of(stripe_standin, pre.payment_id)["status"] == "canceled"
