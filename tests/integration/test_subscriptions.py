"""Plans, subscriptions, allowance and statements through the service on a real store."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.errors import InvalidInput, NotFound
from app.domain.events import DomainEvent, PlanChanged, SubscriptionChanged
from app.domain.statements import BOM, statement_csv
from app.domain.subscriptions import Month, Plan, SubscriptionStatus
from app.domain.tariffs import PlanTerms
from app.services.subscriptions import SubscriptionService
from tests.integration.subscription_steps import add_driver, add_priced_session, add_site

# Today, for the service: 15 November 2026, 11:00 in Stockholm.
NOW = datetime(2026, 11, 15, 10, tzinfo=UTC)
GOLD = Plan("Gold", monthly_fee_minor=30_000, included_wh=30_000, discount_bp=1000)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, site_time_zone="Europe/Stockholm", api_enabled=False)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    async with Engine(settings, clock=lambda: NOW) as running:
        yield running


@pytest.fixture
def service(engine: Engine) -> SubscriptionService:
    return engine.services.subscriptions


@pytest.fixture
def published(engine: Engine) -> list[DomainEvent]:
    seen: list[DomainEvent] = []
    engine.services.bus.subscribe(seen.append)
    return seen


async def test_plans_are_created_listed_by_name_and_found_by_name_or_id(
    service: SubscriptionService, published: list[DomainEvent]
) -> None:
    gold = await service.create_plan(GOLD)
    basic = await service.create_plan(Plan("basic", 9_900))
    assert [p.name for p in await service.plans()] == ["basic", "Gold"]
    assert await service.find_plan("GOLD") == gold
    assert await service.find_plan(str(basic.id)) == basic
    with pytest.raises(InvalidInput, match="there is a plan called 'gold' already"):
        await service.create_plan(Plan("gold", 1))
    with pytest.raises(NotFound, match="no plan 'Silver'"):
        await service.find_plan("Silver")
    assert [(e.name, e.change) for e in published if isinstance(e, PlanChanged)] == [
        ("Gold", "created"),
        ("basic", "created"),
    ]


async def test_a_plan_covers_the_sites_it_is_given_and_unknown_sites_are_refused(
    engine: Engine, service: SubscriptionService
) -> None:
    depot = await add_site(engine.db, "Depot")
    plan = await service.create_plan(GOLD)
    assert (await service.set_plan_sites(plan.id, frozenset({depot}))).site_ids == {depot}
    assert (await service.plan(plan.id)).covers(depot)
    assert not (await service.plan(plan.id)).covers(depot + 1)
    with pytest.raises(InvalidInput, match="there is no site 99"):
        await service.set_plan_sites(plan.id, frozenset({depot, 99}))
    assert (await service.plan(plan.id)).site_ids == {depot}, "nothing changed"


async def test_a_plan_with_subscribers_keeps_its_prices_but_may_be_renamed(
    engine: Engine, service: SubscriptionService
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna")
    await service.subscribe(driver, plan.id, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="its prices cannot change"):
        await service.update_plan(replace(plan, monthly_fee_minor=1))
    renamed = await service.update_plan(replace(plan, name="Gold 2026"))
    assert (await service.plan(plan.id)).name == renamed.name == "Gold 2026"


async def test_archiving_waits_until_every_subscription_has_ended(
    engine: Engine, service: SubscriptionService
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna")
    subscription = await service.subscribe(driver, plan.id, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="still has 1 subscription"):
        await service.archive_plan(plan.id)
    await service.end(subscription.id, date(2026, 11, 14))
    assert (await service.archive_plan(plan.id)).archived
    assert await service.plans() == []
    assert [p.name for p in await service.plans(include_archived=True)] == ["Gold"]
    other = await add_driver(engine.db, "Bo")
    with pytest.raises(InvalidInput, match="archived: no new subscriptions"):
        await service.subscribe(other, plan.id)
    assert not (await service.restore_plan(plan.id)).archived


async def test_subscribe_pause_resume_and_end_are_kept_and_announced(
    engine: Engine, service: SubscriptionService, published: list[DomainEvent]
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna", fleet="Vans")
    subscription = await service.subscribe(driver, plan.id)
    assert subscription.starts_on == date(2026, 11, 15), "today in Stockholm"
    await service.pause(subscription.id, date(2026, 11, 20))
    await service.resume(subscription.id, date(2026, 11, 25))
    ended = await service.end(subscription.id, date(2026, 12, 31))
    stored = await service.subscription(subscription.id)
    assert stored == ended
    assert (stored.ends_on, stored.pauses[0].from_date, stored.pauses[0].to_date) == (
        date(2026, 12, 31),
        date(2026, 11, 20),
        date(2026, 11, 24),
    )
    changes = [e.change for e in published if isinstance(e, SubscriptionChanged)]
    assert changes == ["subscribed", "paused", "resumed", "ended"]
    (member,) = await service.members(plan.id)
    assert (member.driver_name, member.fleet_name, member.status) == (
        "Anna",
        "Vans",
        SubscriptionStatus.ACTIVE,
    )
    assert await service.subscriptions_of(driver) == [stored]
    assert await service.current(driver) == stored


async def test_a_second_subscription_on_the_same_days_is_refused_and_nothing_is_stored(
    engine: Engine, service: SubscriptionService
) -> None:
    gold = await service.create_plan(GOLD)
    basic = await service.create_plan(Plan("Basic", 9_900))
    driver = await add_driver(engine.db, "Anna")
    first = await service.subscribe(driver, gold.id, date(2026, 11, 1), date(2026, 11, 30))
    with pytest.raises(InvalidInput, match="already has plan 'Gold' from 2026-11-01 to 2026-11-30"):
        await service.subscribe(driver, basic.id, date(2026, 11, 20))
    assert await service.subscriptions_of(driver) == [first]
    await service.subscribe(driver, basic.id, date(2026, 12, 1))
    with pytest.raises(InvalidInput, match="overlaps"):
        await service.end(first.id, date(2026, 12, 5))
    assert (await service.subscription(first.id)).ends_on == date(2026, 11, 30)


async def test_pausing_outside_the_subscription_or_unknown_ones_is_refused(
    engine: Engine, service: SubscriptionService
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna")
    subscription = await service.subscribe(driver, plan.id, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="cannot pause on 2026-10-31"):
        await service.pause(subscription.id, date(2026, 10, 31))
    with pytest.raises(InvalidInput, match="not paused"):
        await service.resume(subscription.id)
    with pytest.raises(NotFound, match="no subscription 999"):
        await service.pause(999)
    with pytest.raises(NotFound, match="no driver 999"):
        await service.subscribe(999, plan.id)


async def test_terms_at_a_session_start_give_what_is_left_of_the_months_allowance(
    engine: Engine, service: SubscriptionService
) -> None:
    depot = await add_site(engine.db, "Depot")
    plan = await service.create_plan(replace(GOLD, site_ids=frozenset({depot})))
    driver = await add_driver(engine.db, "Anna")
    assert await service.terms_at(driver, depot, NOW) is None, "no subscription yet"
    subscription = await service.subscribe(driver, plan.id, date(2026, 11, 1))
    # October's usage and another subscription's do not count in November.
    await add_priced_session(
        engine.db, driver, datetime(2026, 10, 31, 22, tzinfo=UTC), included_wh=9_000
    )
    # 00:30 on 1 November in Stockholm: November's.
    await add_priced_session(
        engine.db,
        driver,
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        included_wh=12_000,
        subscription_id=subscription.id,
    )
    assert await service.terms_at(driver, depot, NOW) == (
        subscription.id,
        PlanTerms(included_wh_remaining=18_000, discount_bp=1000),
    )
    assert await service.terms_at(driver, depot + 1, NOW) is None, "site not covered"
    assert await service.terms_at(driver, None, NOW) is None, "station on no site"
    await service.pause(subscription.id, date(2026, 11, 15), date(2026, 11, 15))
    assert await service.terms_at(driver, depot, NOW) is None, "paused today"
    usage = await service.usage(driver)
    # Paused one day: 30 000 Wh × 29 / 30.
    assert (usage.sessions, usage.included_wh_used, usage.allowance_wh) == (1, 12_000, 29_000)
    assert usage.remaining_wh == 17_000


async def test_sessions_not_priced_yet_hold_the_allowance_they_may_use(
    engine: Engine, service: SubscriptionService
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna")
    subscription = await service.subscribe(driver, plan.id, date(2026, 11, 1))
    # Stopped after 8 kWh with 30 kWh left, its final price not stored yet: 8 kWh taken.
    await add_priced_session(
        engine.db,
        driver,
        datetime(2026, 11, 2, 8, tzinfo=UTC),
        energy_wh=8_000,
        subscription_id=subscription.id,
        priced=False,
        plan_left_wh=30_000,
    )
    terms = await service.terms_at(driver, None, NOW)
    assert terms is not None
    assert terms[1].included_wh_remaining == 22_000
    # Still charging with 22 kWh left when it started: all of it held for that session.
    await add_priced_session(
        engine.db,
        driver,
        datetime(2026, 11, 15, 9, tzinfo=UTC),
        minutes=None,
        subscription_id=subscription.id,
        plan_left_wh=22_000,
    )
    terms = await service.terms_at(driver, None, NOW)
    assert terms is not None
    assert terms[1].included_wh_remaining == 0


async def test_a_subscription_starting_mid_month_gets_a_pro_rated_allowance(
    engine: Engine, service: SubscriptionService
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna")
    subscription = await service.subscribe(driver, plan.id, date(2026, 11, 16))
    terms = await service.terms_at(driver, None, datetime(2026, 11, 20, tzinfo=UTC))
    assert terms == (subscription.id, PlanTerms(15_000, None, 1000))


async def test_the_statement_adds_the_months_sessions_and_fee_and_its_csv_reads_back(
    engine: Engine, service: SubscriptionService
) -> None:
    plan = await service.create_plan(GOLD)
    driver = await add_driver(engine.db, "Anna Berg", fleet="Vans")
    subscription = await service.subscribe(driver, plan.id, date(2026, 11, 16))
    for day, total, vat in ((16, 0, 0), (20, 2_700, 540), (28, 4_050, 810)):
        await add_priced_session(
            engine.db,
            driver,
            datetime(2026, 11, day, 17, tzinfo=UTC),
            total_minor=total,
            vat_minor=vat,
            subscription_id=subscription.id,
        )
    await add_priced_session(engine.db, driver, datetime(2026, 12, 1, 9, tzinfo=UTC))
    statement = await service.statement(driver, 2026, 11)
    assert (statement.driver_name, statement.fleet_name, str(statement.month)) == (
        "Anna Berg",
        "Vans",
        "2026-11",
    )
    assert len(statement.sessions) == 3
    assert statement.charging_minor == sum(row.amount_minor for row in statement.sessions) == 6_750
    # 15 of 30 days of 300 SEK.
    assert [(fee.active_days, fee.amount_minor) for fee in statement.fees] == [(15, 15_000)]
    assert statement.total_minor == 21_750
    assert statement.vat_minor == 540 + 810 + 3_000
    text = statement_csv(statement)
    parsed = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert [row["kind"] for row in parsed] == [
        "session",
        "session",
        "session",
        "fee",
        "charging",
        "fees",
        "vat",
        "total",
    ]
    assert parsed[-1]["amount"] == "217.50"
    assert (await service.statement(driver, 2026, 12)).total_minor == 3_000 + 30_000


async def test_drivers_are_found_by_id_or_name(
    engine: Engine, service: SubscriptionService
) -> None:
    anna = await add_driver(engine.db, "Anna")
    assert await service.find_driver("anna") == anna
    assert await service.find_driver(str(anna)) == anna
    await add_driver(engine.db, "Anna")
    with pytest.raises(InvalidInput, match="several drivers are called 'Anna'"):
        await service.find_driver("Anna")
    with pytest.raises(NotFound, match="no driver 'Bo'"):
        await service.find_driver("Bo")
    with pytest.raises(NotFound):
        await service.statement(999, 2026, 11)
    with pytest.raises(InvalidInput, match="a month is 1–12"):
        await service.statement(anna, 2026, 13)
    assert Month(2026, 11) == (await service.usage(anna)).month
