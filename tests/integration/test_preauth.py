"""Pay before charging end to end: a real engine and database on loopback, a simulated
charger, the real stripe SDK against the local Stripe stand-in with a simulated reader."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.errors import InvalidInput
from app.domain.model import IdTagStatus
from app.domain.payments import PaymentState
from app.domain.preauth import PreAuth, PreAuthPhase
from app.domain.tariffs import Tariff
from app.payments.secrets import SecretStore
from app.services.preauth import PreAuthorisations
from app.sim import SimulatedCharger, Vehicle
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.raw_charger import RawCharger
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.fakes.waiting import until

__all__ = ["stripe_standin"]

CAPTURES = "/v1/payment_intents/*/capture"
# 10 SEK/kWh and nothing that grows with time alone: the price follows the meter only.
WALK_IN = Tariff("Walk-in", energy_per_kwh_minor=1000)
CAR = Vehicle(battery_wh=100_000, max_ac_w=11_000, max_dc_w=50_000)


class SimClock:
    """The charger's clock, moved by the test: energy follows it, not the wall. It starts
    hours back, so every reading is in the past of the engine, which prices up to now."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) - timedelta(hours=3)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass
class Site:
    engine: Engine
    preauth: PreAuthorisations
    reader_id: str
    clock: SimClock = field(default_factory=SimClock)

    def charger(self, station_id: str = "CP-1") -> SimulatedCharger:
        return SimulatedCharger(
            station_id,
            f"ws://127.0.0.1:{self.engine.port}/ocpp",
            clock=self.clock,
            seed=1,
            reconnect_base=0.05,
            reconnect_cap=0.2,
            operation_delay=0.0,
        )


def keys() -> SecretStore:
    store = SecretStore(MemoryKeyring())
    store.store("sk_test_preauth")
    return store


@pytest.fixture
def site_settings(settings: Settings, stripe_standin: StripeStandin) -> Settings:
    return dataclasses.replace(
        settings,
        stripe_api_base=stripe_standin.url,
        api_enabled=False,
        preauth_hold_minor=2000,
        preauth_plug_in_seconds=30.0,
    )


@asynccontextmanager
async def running_site(
    settings: Settings,
    secrets: SecretStore,
    reader_id: str | None = None,
    *,
    retry: float = 0.05,
    check_every: float = 30.0,
) -> AsyncIterator[Site]:
    """An engine with pay-before-charging composed on it as bootstrap will compose it."""
    tuned = dataclasses.replace(
        settings,
        card_wait_seconds=5.0,
        preauth_retry_seconds=retry,
        preauth_price_wait_seconds=5.0,
        preauth_check_seconds=check_every,
    )
    async with Engine(tuned, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        desk = engine.services.desk
        if reader_id is None:
            reader_id = (await desk.register_simulated_reader("Desk")).id
        desk.use_reader(reader_id)
        engine.services.preauth.use_reader(reader_id)
        yield Site(engine, engine.services.preauth, reader_id)


@pytest.fixture
async def site(site_settings: Settings) -> AsyncIterator[Site]:
    async with running_site(site_settings, keys()) as running:
        tariff = await running.engine.services.tariffs.create(WALK_IN)
        await running.engine.services.tariffs.assign(tariff.id)
        yield running


async def phase_is(site: Site, payment_id: int, *phases: PreAuthPhase) -> bool:
    return (await site.preauth.get(payment_id)).phase in phases


async def held_and_started(
    site: Site, standin: StripeStandin, charger: SimulatedCharger, hold: int | None = None
) -> tuple[PreAuth, int]:
    """The customer taps, the hold is placed, the charger starts: (pre-auth, transaction)."""
    await charger.plug_in(1, CAR, soc=0.2)
    standin.customer_taps()
    pre = await site.preauth.begin("CP-1", 1, "Anna", hold_minor=hold)
    assert pre.phase is PreAuthPhase.WAITING_CARD
    pre = await site.preauth.await_card(pre.payment_id)
    assert pre.phase in (PreAuthPhase.STARTING, PreAuthPhase.CHARGING), pre.message
    await until(lambda: phase_is(site, pre.payment_id, PreAuthPhase.CHARGING))
    pre = await site.preauth.get(pre.payment_id)
    assert pre.transaction_id is not None
    assert charger.transaction_id(1) == pre.transaction_id
    return pre, pre.transaction_id


async def reading_after(site: Site, charger: SimulatedCharger, minutes: float) -> None:
    site.clock.advance(minutes)
    await charger.send_meter_values(1)


async def finished(site: Site, payment_id: int) -> PreAuth:
    await until(lambda: _finished(site, payment_id), timeout=10)
    return await site.preauth.get(payment_id)


async def _finished(site: Site, payment_id: int) -> bool:
    return (await site.preauth.get(payment_id)).finished


async def final_price(site: Site, transaction_id: int) -> int:
    charge = await site.engine.services.session_pricing.price_of(transaction_id)
    assert charge is not None
    assert charge.price is not None
    assert charge.price.final
    return charge.price.total_minor


def intent_of(standin: StripeStandin, payment_id: int) -> dict[str, object]:
    (intent,) = [
        i
        for i in standin.objects("payment_intents")
        if i["metadata"].get("chargedesk_payment") == str(payment_id)
    ]
    return intent


async def test_the_price_of_the_session_is_captured_from_the_hold_once(
    site: Site, stripe_standin: StripeStandin
) -> None:
    async with site.charger() as charger:
        await charger.wait_booted()
        pre, tx = await held_and_started(site, stripe_standin, charger, hold=5000)
        intent = intent_of(stripe_standin, pre.payment_id)
        assert (intent["capture_method"], intent["amount"]) == ("manual", 5000)
        assert charger.id_tag(1) == pre.id_tag
        assert len(pre.id_tag) <= 20

        # The one-off tag works on its own connector only.
        auth = site.engine.services.authorization
        assert (await auth.authorize(pre.id_tag, "CP-1", 1)).status is IdTagStatus.ACCEPTED
        assert (await auth.authorize(pre.id_tag, "CP-1", 2)).status is IdTagStatus.INVALID
        assert (await auth.authorize(pre.id_tag, "CP-2", 1)).status is IdTagStatus.INVALID

        await reading_after(site, charger, 10)
        charging = await site.preauth.get(pre.payment_id)
        assert charging.live_price_minor is not None
        assert charging.live_price_minor > 0
        await charger.stop_transaction(1)
        done = await finished(site, pre.payment_id)

    price = await final_price(site, tx)
    assert 0 < price <= 5000
    assert done.phase is PreAuthPhase.CAPTURED, done.message
    assert (done.captured_minor, done.transaction_id) == (price, tx)
    assert done.receipt_number is not None
    payment = await site.engine.services.payments.get(pre.payment_id)
    assert (payment.state, payment.amount_minor, payment.transaction_id) == (
        PaymentState.CAPTURED,
        price,
        tx,
    )
    intent = intent_of(stripe_standin, pre.payment_id)
    assert (intent["status"], intent["amount_received"]) == ("succeeded", price)
    assert len(stripe_standin.requests_to(CAPTURES)) == 1
    assert tx not in [s.transaction_id for s in await site.engine.services.desk.awaiting()]
    # The tag of a finished hold starts nothing any more, whatever the walk-in policy.
    auth = site.engine.services.authorization
    assert (await auth.authorize(pre.id_tag, "CP-1", 1)).status is IdTagStatus.INVALID
    assert await site.preauth.active() == []


async def test_a_session_that_delivered_nothing_releases_the_hold(
    site: Site, stripe_standin: StripeStandin
) -> None:
    async with site.charger() as charger:
        await charger.wait_booted()
        pre, tx = await held_and_started(site, stripe_standin, charger)
        await charger.stop_transaction(1)
        done = await finished(site, pre.payment_id)

    assert done.phase is PreAuthPhase.RELEASED, done.message
    assert "no energy" in done.message
    assert (await site.engine.services.payments.get(pre.payment_id)).state is (
        PaymentState.CANCELLED
    )
    assert intent_of(stripe_standin, pre.payment_id)["status"] == "canceled"
    assert stripe_standin.requests_to(CAPTURES) == []
    tx_row = await site.engine.services.transactions.get(tx)
    assert tx_row is not None
    assert tx_row.energy_wh == 0


async def test_a_price_heading_past_the_hold_raises_it_and_the_larger_price_is_taken(
    site: Site, stripe_standin: StripeStandin
) -> None:
    async with site.charger() as charger:
        await charger.wait_booted()
        pre, tx = await held_and_started(site, stripe_standin, charger, hold=2000)
        for _ in range(3):  # 5 minutes at 11 kW: about 9.17 SEK a reading
            await reading_after(site, charger, 5)
            await site.preauth.settled()
        raised = await site.preauth.get(pre.payment_id)
        assert raised.hold_minor > 2000
        await charger.stop_transaction(1)
        done = await finished(site, pre.payment_id)

    price = await final_price(site, tx)
    assert price > 2000
    assert done.phase is PreAuthPhase.CAPTURED, done.message
    assert done.captured_minor == price <= done.hold_minor
    intent = intent_of(stripe_standin, pre.payment_id)
    assert intent["amount_received"] == price
    assert stripe_standin.requests_to("/v1/payment_intents/*/increment_authorization")


async def test_a_refused_increase_stops_the_session_at_the_limit(
    site: Site, stripe_standin: StripeStandin
) -> None:
    stripe_standin.refuse_increments()
    async with site.charger() as charger:
        await charger.wait_booted()
        pre, tx = await held_and_started(site, stripe_standin, charger, hold=2000)
        await reading_after(site, charger, 5)
        await reading_after(site, charger, 5)  # the next one would pass 20 SEK
        done = await finished(site, pre.payment_id)
        assert charger.transaction_id(1) is None

    tx_row = await site.engine.services.transactions.get(tx)
    assert tx_row is not None
    assert tx_row.stop_reason == "Remote"
    price = await final_price(site, tx)
    assert done.phase is PreAuthPhase.CAPTURED, done.message
    assert done.captured_minor == price <= 2000
    assert done.hold_minor == 2000
    assert intent_of(stripe_standin, pre.payment_id)["amount_received"] == price


async def test_a_declined_card_starts_nothing(site: Site, stripe_standin: StripeStandin) -> None:
    async with site.charger() as charger:
        await charger.wait_booted()
        stripe_standin.decline_next("insufficient_funds")
        stripe_standin.customer_taps()
        pre = await site.preauth.begin("CP-1", 1, "Anna")
        done = await site.preauth.await_card(pre.payment_id)
        assert charger.transaction_id(1) is None

    assert done.phase is PreAuthPhase.FAILED
    assert done.message.startswith("Declined")
    assert await site.engine.services.commands.history(station_id="CP-1") == []
    auth = site.engine.services.authorization
    assert (await auth.authorize(pre.id_tag, "CP-1", 1)).status is IdTagStatus.INVALID


async def test_nobody_plugging_in_in_time_releases_the_hold(
    site_settings: Settings, stripe_standin: StripeStandin
) -> None:
    quick = dataclasses.replace(site_settings, preauth_plug_in_seconds=0.3)
    async with running_site(quick, keys()) as site:
        cp = await RawCharger.connect(f"ws://127.0.0.1:{site.engine.port}/ocpp", "CP-1")
        await cp.boot()
        stripe_standin.customer_taps()
        pre = await site.preauth.begin("CP-1", 1, "Anna")
        waiting = asyncio.create_task(site.preauth.await_card(pre.payment_id))
        call = await cp.next_call()
        assert call[2] == "RemoteStartTransaction"
        assert call[3] == {"idTag": pre.id_tag, "connectorId": 1}
        await cp.reply(call, {"status": "Accepted"})
        assert (await waiting).phase is PreAuthPhase.STARTING
        done = await finished(site, pre.payment_id)
        await cp.close()

    assert done.phase is PreAuthPhase.RELEASED
    assert "Nobody plugged in" in done.message
    assert intent_of(stripe_standin, pre.payment_id)["status"] == "canceled"


async def test_a_charger_refusing_the_remote_start_releases_the_hold(
    site: Site, stripe_standin: StripeStandin
) -> None:
    cp = await RawCharger.connect(f"ws://127.0.0.1:{site.engine.port}/ocpp", "CP-1")
    await cp.boot()
    stripe_standin.customer_taps()
    pre = await site.preauth.begin("CP-1", 1, "Anna")
    waiting = asyncio.create_task(site.preauth.await_card(pre.payment_id))
    await cp.reply(await cp.next_call(), {"status": "Rejected"})
    done = await waiting
    await cp.close()

    assert done.phase is PreAuthPhase.RELEASED
    assert "did not start" in done.message
    assert "Rejected" in done.message
    assert intent_of(stripe_standin, pre.payment_id)["status"] == "canceled"


async def test_a_connector_with_a_hold_or_a_session_takes_no_second_one(
    site: Site, stripe_standin: StripeStandin
) -> None:
    pre = await site.preauth.begin("CP-1", 1, "Anna")
    with pytest.raises(InvalidInput, match="already has a hold"):
        await site.preauth.begin("CP-1", 1, "Anna")
    withdrawn = await site.preauth.withdraw(pre.payment_id, "the driver left", "Anna")
    assert withdrawn.phase is PreAuthPhase.FAILED
    assert intent_of(stripe_standin, pre.payment_id)["status"] == "canceled"
    with pytest.raises(InvalidInput):
        await site.preauth.begin("CP-1", 0, "Anna")
