"""Subscription plans, drivers' subscriptions, the month's usage and statement.

Dates a caller leaves out mean "today" in the site's time zone. Every change is
checked before anything is stored (InvalidInput says why, NotFound names what is
missing) and announced on the bus once stored. Pricing asks `terms_at` at each
session's start what the driver's plan changes about it.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import Protocol

from app.domain.errors import InvalidInput, NotFound
from app.domain.events import PlanChanged, SubscriptionChanged
from app.domain.operators import Role
from app.domain.ports import Clock
from app.domain.session_charges import SessionCharge
from app.domain.statements import ChargedSession, Statement, build_statement
from app.domain.subscriptions import (
    Month,
    Plan,
    Subscription,
    SubscriptionStatus,
    local_date,
    monthly_allowance_wh,
    monthly_fee,
    plan_terms,
)
from app.domain.tariffs import PlanTerms
from app.services.acting import requires
from app.services.clock import utcnow
from app.services.events import EventBus

log = logging.getLogger(__name__)

# transaction id -> its price now (live while charging), or None: SessionPricingService.price_of.
LivePrices = Callable[[int], Awaitable[SessionCharge | None]]


class SubscriptionRepository(Protocol):
    """Implemented by app/store/repositories/subscriptions.py."""

    async def plans(self, include_archived: bool = False) -> list[Plan]: ...
    async def plan(self, plan_id: int) -> Plan | None: ...
    async def plan_named(self, name: str) -> Plan | None: ...
    async def create_plan(self, plan: Plan, now: datetime) -> Plan: ...
    async def update_plan(self, plan: Plan) -> Plan: ...
    async def set_plan_archived(self, plan_id: int, archived: bool, today: date) -> Plan: ...
    async def subscriptions(
        self, *, driver_id: int | None = None, plan_id: int | None = None
    ) -> list[Subscription]: ...
    async def subscription(self, subscription_id: int) -> Subscription | None: ...
    async def add_subscription(self, subscription: Subscription, now: datetime) -> Subscription: ...
    async def save_subscription(self, subscription: Subscription) -> Subscription: ...
    async def driver(self, driver_id: int) -> tuple[str, str | None] | None: ...
    async def drivers_named(self, name: str) -> list[int]: ...
    async def included_wh_used(
        self, subscription_id: int, start: datetime, end: datetime
    ) -> int: ...
    async def charged_sessions(
        self, driver_id: int, start: datetime, end: datetime
    ) -> list[ChargedSession]: ...


@dataclass(frozen=True, slots=True)
class Member:
    """A plan's subscriber, for the Subscriptions screen."""

    subscription: Subscription
    driver_name: str
    fleet_name: str | None
    plan_name: str
    status: SubscriptionStatus


@dataclass(frozen=True, slots=True)
class MonthUsage:
    """A driver's charging in one month against the allowance of the plan(s) that month."""

    driver_id: int
    month: Month
    sessions: int
    energy_wh: int
    included_wh_used: int
    allowance_wh: int

    @property
    def remaining_wh(self) -> int:
        return max(0, self.allowance_wh - self.included_wh_used)


class SubscriptionService:
    def __init__(
        self,
        repository: SubscriptionRepository,
        bus: EventBus,
        clock: Clock = utcnow,
        *,
        zone: tzinfo,
    ) -> None:
        self._repo = repository
        self._bus = bus
        self._clock = clock
        self.zone = zone
        self._live_prices: LivePrices | None = None

    def use_live_prices(self, lookup: LivePrices | None) -> None:
        """Where a session still charging gets its price so far (for statements)."""
        self._live_prices = lookup

    def today(self) -> date:
        return local_date(self._clock(), self.zone)

    # ---- plans ----

    async def plans(self, include_archived: bool = False) -> builtins.list[Plan]:
        """By name; archived plans only when asked."""
        return await self._repo.plans(include_archived)

    async def plan(self, plan_id: int) -> Plan:
        plan = await self._repo.plan(plan_id)
        if plan is None:
            raise NotFound(f"there is no plan {plan_id}")
        return plan

    async def find_plan(self, id_or_name: str) -> Plan:
        """A plan by its name (any case) or, failing that, its id."""
        plan = await self._repo.plan_named(id_or_name)
        if plan is None and id_or_name.strip().isdigit():
            plan = await self._repo.plan(int(id_or_name))
        if plan is None:
            raise NotFound(f"there is no plan {id_or_name.strip()!r}")
        return plan

    @requires(Role.MANAGER, "plan.create")
    async def create_plan(self, plan: Plan) -> Plan:
        stored = await self._repo.create_plan(_checked(plan), self._clock())
        log.info("plan %s %r created", stored.id, stored.name)
        self._plan_changed(stored, "created")
        return stored

    @requires(Role.MANAGER, "plan.update")
    async def update_plan(self, plan: Plan) -> Plan:
        """Replace a plan's name, sites and prices (prices only while nobody subscribes)."""
        old = await self.plan(plan.id)
        stored = await self._repo.update_plan(replace(_checked(plan), archived=old.archived))
        self._plan_changed(stored, "updated")
        return stored

    @requires(Role.MANAGER, "plan.set_sites", target="plan_id")
    async def set_plan_sites(self, plan_id: int, site_ids: frozenset[int]) -> Plan:
        """The sites the plan covers; empty: every site."""
        plan = await self.plan(plan_id)
        return await self.update_plan(replace(plan, site_ids=frozenset(site_ids)))

    @requires(Role.MANAGER, "plan.archive", target="plan_id")
    async def archive_plan(self, plan_id: int) -> Plan:
        """Hidden from new subscriptions; refused while a subscription has not ended."""
        stored = await self._repo.set_plan_archived(plan_id, True, self.today())
        self._plan_changed(stored, "archived")
        return stored

    @requires(Role.MANAGER, "plan.restore", target="plan_id")
    async def restore_plan(self, plan_id: int) -> Plan:
        stored = await self._repo.set_plan_archived(plan_id, False, self.today())
        self._plan_changed(stored, "restored")
        return stored

    async def members(self, plan_id: int) -> builtins.list[Member]:
        """Every subscription to the plan, past ones too, with the driver and status today."""
        await self.plan(plan_id)
        return await self.list(plan_id=plan_id)

    async def list(
        self, *, driver_id: int | None = None, plan_id: int | None = None
    ) -> builtins.list[Member]:
        """Subscriptions (of a driver, to a plan, or all) by start, with names and status."""
        found = await self._repo.subscriptions(driver_id=driver_id, plan_id=plan_id)
        return [await self._member(subscription) for subscription in found]

    async def member(self, subscription_id: int) -> Member:
        return await self._member(await self.subscription(subscription_id))

    async def _member(self, subscription: Subscription) -> Member:
        name, fleet = await self._repo.driver(subscription.driver_id) or ("?", None)
        plan = await self.plan(subscription.plan_id)
        status = subscription.status_on(self.today())
        return Member(subscription, name, fleet, plan.name, status)

    # ---- subscriptions ----

    async def subscription(self, subscription_id: int) -> Subscription:
        found = await self._repo.subscription(subscription_id)
        if found is None:
            raise NotFound(f"there is no subscription {subscription_id}")
        return found

    async def subscriptions_of(self, driver_id: int) -> builtins.list[Subscription]:
        """The driver's subscriptions, oldest first."""
        return await self._repo.subscriptions(driver_id=driver_id)

    async def current(self, driver_id: int, on: date | None = None) -> Subscription | None:
        """The subscription covering the day (paused or not), today by default."""
        day = on or self.today()
        found = await self._repo.subscriptions(driver_id=driver_id)
        return next((s for s in found if s.covers(day)), None)

    @requires(Role.MANAGER, "subscription.add")
    async def subscribe(
        self,
        driver_id: int,
        plan_id: int,
        starts_on: date | None = None,
        ends_on: date | None = None,
    ) -> Subscription:
        """Subscribe from `starts_on` (today by default); refused if it overlaps another."""
        candidate = Subscription(driver_id, plan_id, starts_on or self.today(), ends_on)
        stored = await self._repo.add_subscription(candidate, self._clock())
        log.info("driver %s subscribed to plan %s %s", driver_id, plan_id, stored.describe())
        self._subscription_changed(stored, "subscribed")
        return stored

    @requires(Role.MANAGER, "subscription.pause", target="subscription_id")
    async def pause(
        self, subscription_id: int, from_date: date | None = None, to_date: date | None = None
    ) -> Subscription:
        """Paused from `from_date` (today by default) to `to_date` (None: until resumed)."""
        current = await self.subscription(subscription_id)
        changed = current.paused(from_date or self.today(), to_date)
        return await self._save(changed, "paused")

    @requires(Role.MANAGER, "subscription.resume", target="subscription_id")
    async def resume(self, subscription_id: int, on: date | None = None) -> Subscription:
        """Active again from `on` (today by default)."""
        current = await self.subscription(subscription_id)
        return await self._save(current.resumed(on or self.today()), "resumed")

    @requires(Role.MANAGER, "subscription.end", target="subscription_id")
    async def end(self, subscription_id: int, last_day: date | None = None) -> Subscription:
        """The subscription's last day is `last_day` (today by default)."""
        current = await self.subscription(subscription_id)
        return await self._save(current.ended(last_day or self.today()), "ended")

    async def _save(self, changed: Subscription, change: str) -> Subscription:
        stored = await self._repo.save_subscription(changed)
        log.info("subscription %s %s", stored.id, change)
        self._subscription_changed(stored, change)
        return stored

    # ---- usage, pricing, statements ----

    async def terms_at(
        self, driver_id: int, site_id: int | None, at: datetime
    ) -> tuple[int, PlanTerms] | None:
        """For pricing at a session's start: the subscription id and what it changes.

        None when the driver has no subscription active (not paused) that day, or its
        plan does not cover the site. The allowance left is the month's pro-rated
        allowance less what this subscription's sessions started this month used.
        """
        day = local_date(at, self.zone)
        found = await self._repo.subscriptions(driver_id=driver_id)
        active = next((s for s in found if s.active_on(day)), None)
        if active is None:
            return None
        plan = await self.plan(active.plan_id)
        if not plan.covers(site_id):
            return None
        month = Month.of(day)
        used = await self._repo.included_wh_used(active.id, *month.bounds(self.zone))
        return active.id, plan_terms(plan, used, monthly_allowance_wh(active, plan, month))

    async def usage(self, driver_id: int, month: Month | None = None) -> MonthUsage:
        """The driver's sessions that started in the month (this month by default)."""
        month = month or Month.of(self.today())
        sessions = await self._repo.charged_sessions(driver_id, *month.bounds(self.zone))
        allowance = 0
        for subscription in await self._repo.subscriptions(driver_id=driver_id):
            if subscription.overlaps(month.first_day, month.last_day):
                plan = await self.plan(subscription.plan_id)
                allowance += monthly_allowance_wh(subscription, plan, month)
        return MonthUsage(
            driver_id=driver_id,
            month=month,
            sessions=len(sessions),
            energy_wh=sum(s.energy_wh or 0 for s in sessions),
            included_wh_used=sum(s.included_wh_used for s in sessions),
            allowance_wh=allowance,
        )

    async def find_driver(self, id_or_name: str) -> int:
        """A driver's id from its id or its exact name (any case)."""
        key = id_or_name.strip()
        if key.isdigit() and await self._repo.driver(int(key)) is not None:
            return int(key)
        found = await self._repo.drivers_named(key)
        if not found:
            raise NotFound(f"there is no driver {key!r}")
        if len(found) > 1:
            ids = ", ".join(map(str, found))
            raise InvalidInput(f"several drivers are called {key!r} (ids {ids}); give the id")
        return found[0]

    async def statement(self, driver_id: int, year: int, month: int) -> Statement:
        """The driver's statement for a calendar month in the site's time zone."""
        period = Month(year, month)
        driver = await self._repo.driver(driver_id)
        if driver is None:
            raise NotFound(f"there is no driver {driver_id}")
        sessions = await self._repo.charged_sessions(driver_id, *period.bounds(self.zone))
        sessions = [await self._with_live_price(session) for session in sessions]
        fees = []
        for subscription in await self._repo.subscriptions(driver_id=driver_id):
            fee = monthly_fee(subscription, await self.plan(subscription.plan_id), period)
            if fee is not None:
                fees.append(fee)
        return build_statement(
            driver_id=driver_id,
            driver_name=driver[0],
            fleet_name=driver[1],
            month=period,
            zone=self.zone,
            sessions=sessions,
            fees=fees,
        )

    async def _with_live_price(self, session: ChargedSession) -> ChargedSession:
        if session.final or self._live_prices is None:
            return session
        charge = await self._live_prices(session.transaction_id)
        price = None if charge is None else charge.price
        if price is None:
            return session
        return replace(
            session,
            total_minor=price.total_minor,
            vat_minor=price.vat_minor,
            energy_wh=round(price.energy_wh),
            included_wh_used=price.included_wh_used,
            final=price.final,
        )

    # ---- events ----

    def _plan_changed(self, plan: Plan, change: str) -> None:
        self._bus.publish(PlanChanged(self._clock(), "", plan.id, plan.name, change))

    def _subscription_changed(self, subscription: Subscription, change: str) -> None:
        self._bus.publish(
            SubscriptionChanged(
                self._clock(),
                "",
                subscription.id,
                subscription.driver_id,
                subscription.plan_id,
                change,
            )
        )


def _checked(plan: object) -> Plan:
    if not isinstance(plan, Plan):
        raise InvalidInput(f"a plan must be a Plan, not {type(plan).__name__}")
    return plan
