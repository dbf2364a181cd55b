"""Subscription plans and drivers' subscriptions: who has which plan on which day.

Days are the site's local calendar days, and every period is inclusive at both
ends: a subscription from 2026-11-01 to 2026-11-30 covers all of November, a
pause from 2026-11-10 to 2026-11-12 suspends three days. An open end (None)
runs until it is ended, or resumed.

A driver has at most one subscription on any day, paused or not. A subscription
is *active* on a day it covers and is not paused on.

What a month costs and includes (pro-rating):

- The fee for a calendar month is the monthly fee × active days / days in the
  month, rounded half-up to the minor unit. A whole active month is exactly the
  fee; a month with no active day costs nothing. A day counts whole whatever its
  length (23 or 25 hours when the clocks change), so daylight saving time never
  changes a fee.
- The included energy (allowance) of a month is pro-rated the same way:
  included Wh × active days / days in the month, rounded half-up to a whole Wh.
  So a driver who subscribes on the 16th of a 30-day month pays half the fee and
  gets half the energy; subscribing on the last day never buys a whole month.
- Energy used from the allowance is counted against the month in which the
  session started (its plan terms are fixed at the start).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from app.domain.errors import InvalidInput
from app.domain.tariffs import PlanTerms

NAME_MAX_LENGTH = 60
BASIS_POINTS = 10_000
# A slipped decimal point, not a price anyone means.
MAX_FEE_MINOR = 100_000_000
MAX_INCLUDED_WH = 100_000_000
DEFAULT_CURRENCY = "SEK"
DEFAULT_VAT_RATE_BP = 2500
_CURRENCY = re.compile(r"[A-Z]{3}")


def _whole(value: object, what: str, high: int) -> None:
    # bool is an int to Python but never an amount.
    if type(value) is not int:
        raise InvalidInput(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise InvalidInput(f"{what} cannot be negative")
    if value > high:
        raise InvalidInput(f"{what} must be at most {high}, not {value}")


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


# ---- plans -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """A subscription plan. Prices include VAT; money in minor units (öre for SEK).

    `included_wh` is the energy included each (whole) month; `price_per_kwh_minor`
    replaces the tariff's energy price after that; `discount_bp` is a discount on
    the energy and time lines of each session. `site_ids` are the sites it covers:
    none means every site. `id` is 0 until the plan is stored.
    """

    name: str
    monthly_fee_minor: int
    included_wh: int = 0
    price_per_kwh_minor: int | None = None
    discount_bp: int = 0
    currency: str = DEFAULT_CURRENCY
    vat_rate_bp: int = DEFAULT_VAT_RATE_BP
    site_ids: frozenset[int] = frozenset()
    archived: bool = False
    id: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput("a plan needs a name")
        object.__setattr__(self, "name", self.name.strip())
        if len(self.name) > NAME_MAX_LENGTH:
            raise InvalidInput(f"a plan name is at most {NAME_MAX_LENGTH} characters")
        _whole(self.monthly_fee_minor, "the monthly fee", MAX_FEE_MINOR)
        _whole(self.included_wh, "the included energy per month (Wh)", MAX_INCLUDED_WH)
        if self.price_per_kwh_minor is not None:
            _whole(self.price_per_kwh_minor, "the plan price per kWh", MAX_FEE_MINOR)
        _whole(self.discount_bp, "the plan discount (basis points)", BASIS_POINTS)
        _whole(self.vat_rate_bp, "the VAT rate (basis points)", BASIS_POINTS)
        if not isinstance(self.currency, str) or not _CURRENCY.fullmatch(self.currency):
            raise InvalidInput(
                f"the currency is a three-letter ISO 4217 code such as SEK, not {self.currency!r}"
            )
        object.__setattr__(self, "site_ids", frozenset(self.site_ids))

    def covers(self, site_id: int | None) -> bool:
        """A station on no site is covered only by a plan for every site."""
        return not self.site_ids or site_id in self.site_ids

    def same_prices(self, other: Plan) -> bool:
        return (
            self.monthly_fee_minor,
            self.included_wh,
            self.price_per_kwh_minor,
            self.discount_bp,
            self.currency,
            self.vat_rate_bp,
        ) == (
            other.monthly_fee_minor,
            other.included_wh,
            other.price_per_kwh_minor,
            other.discount_bp,
            other.currency,
            other.vat_rate_bp,
        )


def plan_terms(plan: Plan, used_wh_this_month: int, allowance_wh: int | None = None) -> PlanTerms:
    """What pricing needs at a session's start: the allowance left, the plan price, discount.

    `allowance_wh` is the month's (pro-rated) allowance, `plan.included_wh` when None.
    """
    allowance = plan.included_wh if allowance_wh is None else allowance_wh
    return PlanTerms(
        included_wh_remaining=max(0, allowance - max(0, used_wh_this_month)),
        price_per_kwh_minor=plan.price_per_kwh_minor,
        discount_bp=plan.discount_bp,
    )


# ---- months ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if type(self.year) is not int or not 1 <= self.year <= 9998:
            raise InvalidInput(f"no such year: {self.year!r}")
        if type(self.month) is not int or not 1 <= self.month <= 12:
            raise InvalidInput(f"a month is 1–12, not {self.month!r}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """ "2026-11" → Month(2026, 11)."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
        if match is None:
            raise InvalidInput(f"a month is written YYYY-MM, such as 2026-11, not {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, self.days)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the 1st to local midnight after the last day."""
        return local_day_start(self.first_day, zone), local_day_start(
            self.last_day + timedelta(days=1), zone
        )

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def local_day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def local_date(at: datetime, zone: tzinfo) -> date:
    if at.utcoffset() is None:
        raise InvalidInput("a time must be timezone-aware")
    return at.astimezone(zone).date()


# ---- subscriptions -------------------------------------------------------------------


class SubscriptionStatus(StrEnum):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Pause:
    """Days on which a subscription is suspended: no fee, no allowance, no plan prices."""

    from_date: date
    to_date: date | None = None

    def covers(self, day: date) -> bool:
        return self.from_date <= day and (self.to_date is None or day <= self.to_date)

    def describe(self) -> str:
        return _period(self.from_date, self.to_date, "until resumed")


def _period(first: date, last: date | None, open_end: str = "with no end date") -> str:
    return f"from {first.isoformat()} " + (open_end if last is None else f"to {last.isoformat()}")


def _check_date(value: object, what: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(f"{what} must be a date, not {value!r}")


@dataclass(frozen=True, slots=True)
class Subscription:
    """A driver's subscription to a plan, from `starts_on` to `ends_on` (both included).

    `id` is 0 until it is stored. Pauses are kept in date order and never overlap
    each other or reach outside the subscription.
    """

    driver_id: int
    plan_id: int
    starts_on: date
    ends_on: date | None = None
    pauses: tuple[Pause, ...] = ()
    id: int = 0

    def __post_init__(self) -> None:
        _check_date(self.starts_on, "the start of a subscription")
        if self.ends_on is not None:
            _check_date(self.ends_on, "the end of a subscription")
            if self.ends_on < self.starts_on:
                raise InvalidInput(
                    f"a subscription cannot end ({self.ends_on.isoformat()}) before it starts "
                    f"({self.starts_on.isoformat()})"
                )
        for pause in self.pauses:
            _check_date(pause.from_date, "the first day of a pause")
            if pause.to_date is not None:
                _check_date(pause.to_date, "the last day of a pause")
        pauses = tuple(sorted(self.pauses, key=lambda pause: pause.from_date))
        object.__setattr__(self, "pauses", pauses)
        previous: Pause | None = None
        for pause in pauses:
            if pause.to_date is not None and pause.to_date < pause.from_date:
                raise InvalidInput(
                    f"a pause cannot end ({pause.to_date.isoformat()}) before it starts "
                    f"({pause.from_date.isoformat()})"
                )
            if not self.covers(pause.from_date) or (
                pause.to_date is not None and not self.covers(pause.to_date)
            ):
                raise InvalidInput(
                    f"a pause {pause.describe()} is outside the subscription ({self.describe()})"
                )
            if previous is not None and (
                previous.to_date is None or previous.to_date >= pause.from_date
            ):
                raise InvalidInput(
                    f"the pause {pause.describe()} overlaps the pause {previous.describe()}"
                )
            previous = pause

    def describe(self) -> str:
        return _period(self.starts_on, self.ends_on)

    def covers(self, day: date) -> bool:
        """The subscription runs on this day (paused or not)."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def pause_on(self, day: date) -> Pause | None:
        return next((pause for pause in self.pauses if pause.covers(day)), None)

    def active_on(self, day: date) -> bool:
        return self.covers(day) and self.pause_on(day) is None

    def status_on(self, day: date) -> SubscriptionStatus:
        if day < self.starts_on:
            return SubscriptionStatus.UPCOMING
        if not self.covers(day):
            return SubscriptionStatus.ENDED
        return SubscriptionStatus.ACTIVE if self.active_on(day) else SubscriptionStatus.PAUSED

    def overlaps(self, first: date, last: date | None) -> bool:
        """The subscription covers some day of [first, last] (None: no end)."""
        return (last is None or self.starts_on <= last) and (
            self.ends_on is None or first <= self.ends_on
        )

    def active_days(self, month: Month) -> int:
        """Days of the month on which the subscription is active (not paused)."""
        first = max(self.starts_on, month.first_day)
        last = month.last_day if self.ends_on is None else min(self.ends_on, month.last_day)
        if last < first:
            return 0
        days = (last - first).days + 1
        for pause in self.pauses:
            paused_first = max(pause.from_date, first)
            paused_last = last if pause.to_date is None else min(pause.to_date, last)
            if paused_last >= paused_first:
                days -= (paused_last - paused_first).days + 1
        return days

    # ---- changes: each returns the changed subscription, or refuses ----

    def ended(self, last_day: date) -> Subscription:
        """Ends after `last_day` (may move an earlier end); pauses end with it."""
        _check_date(last_day, "the last day of a subscription")
        if last_day < self.starts_on:
            raise InvalidInput(
                f"a subscription starting {self.starts_on.isoformat()} cannot end on "
                f"{last_day.isoformat()}, before it starts"
            )
        pauses = []
        for pause in self.pauses:
            if pause.from_date > last_day:
                continue
            if pause.to_date is None or pause.to_date > last_day:
                pause = replace(pause, to_date=last_day)
            pauses.append(pause)
        return replace(self, ends_on=last_day, pauses=tuple(pauses))

    def paused(self, from_date: date, to_date: date | None = None) -> Subscription:
        """Paused from `from_date` to `to_date` (both included; None: until resumed)."""
        _check_date(from_date, "the first day of a pause")
        if not self.covers(from_date):
            raise InvalidInput(
                f"cannot pause on {from_date.isoformat()}: the subscription runs {self.describe()}"
            )
        if to_date is not None and self.ends_on is not None and to_date > self.ends_on:
            raise InvalidInput(
                f"cannot pause until {to_date.isoformat()}: the subscription ends "
                f"on {self.ends_on.isoformat()}"
            )
        return replace(self, pauses=(*self.pauses, Pause(from_date, to_date)))

    def resumed(self, on: date) -> Subscription:
        """Active again from `on`: the pause covering `on` ends the day before.

        Resuming on a pause's first day removes the pause.
        """
        _check_date(on, "the day of resuming")
        pause = self.pause_on(on)
        if pause is None:
            raise InvalidInput(f"the subscription is not paused on {on.isoformat()}")
        others = tuple(p for p in self.pauses if p is not pause)
        if on > pause.from_date:
            others = (*others, Pause(pause.from_date, on - timedelta(days=1)))
        return replace(self, pauses=others)


def check_no_overlap(
    candidate: Subscription, others: Iterable[Subscription], plan_names: dict[int, str]
) -> None:
    """Refuse a subscription that shares a day with another of the same driver."""
    for other in others:
        if other.driver_id != candidate.driver_id or (other.id and other.id == candidate.id):
            continue
        if other.overlaps(candidate.starts_on, candidate.ends_on):
            name = plan_names.get(other.plan_id, f"#{other.plan_id}")
            raise InvalidInput(
                f"the driver already has plan {name!r} {other.describe()}, which overlaps "
                f"{candidate.describe()}; a driver has one subscription on any day "
                "(end the other one first)"
            )


# ---- what a month costs and includes ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlyFee:
    """One subscription's fee for one month, pro-rated by its active days."""

    subscription_id: int
    plan_name: str
    month: Month
    active_days: int
    days_in_month: int
    amount_minor: int
    vat_rate_bp: int
    currency: str

    @property
    def whole_month(self) -> bool:
        return self.active_days == self.days_in_month


def prorated(amount: int, month: Month, active_days: int) -> int:
    """`amount` × active days / days in the month, rounded half-up."""
    if active_days >= month.days:
        return amount
    return _half_up(amount * active_days, month.days)


def monthly_fee(subscription: Subscription, plan: Plan, month: Month) -> MonthlyFee | None:
    """The fee for the month; None when the subscription does not run in it at all."""
    if not subscription.overlaps(month.first_day, month.last_day):
        return None
    days = subscription.active_days(month)
    return MonthlyFee(
        subscription_id=subscription.id,
        plan_name=plan.name,
        month=month,
        active_days=days,
        days_in_month=month.days,
        amount_minor=prorated(plan.monthly_fee_minor, month, days),
        vat_rate_bp=plan.vat_rate_bp,
        currency=plan.currency,
    )


def monthly_allowance_wh(subscription: Subscription, plan: Plan, month: Month) -> int:
    """The energy included in the month, pro-rated by active days."""
    return prorated(plan.included_wh, month, subscription.active_days(month))
