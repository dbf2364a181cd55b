"""Drivers, fleets and the rules of who may charge where and when.

Pure data and rules: the access service stores them and asks `allows` before
answering a charger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from app.domain.model import IdTag, IdTagStatus

WEEKDAYS_ALL = frozenset(range(7))  # 0 = Monday … 6 = Sunday, as datetime.weekday()


class Subject(StrEnum):
    """Whom an access rule is for."""

    EVERYONE = "everyone"  # any valid tag, with or without a driver
    FLEET = "fleet"  # drivers of one fleet
    NO_FLEET = "no_fleet"  # drivers in no fleet and tags without a driver (the public)


class UnknownTagPolicy(StrEnum):
    """What a charger is told about a tag nobody registered."""

    REJECT = "reject"
    WALK_IN = "walk_in"  # accepted; the session waits for payment at the desk


@dataclass(frozen=True, slots=True)
class Fleet:
    """A company or group of drivers (a van fleet, a bus operator, staff)."""

    id: int
    name: str
    note: str = ""
    monthly_budget_minor: int | None = None


@dataclass(frozen=True, slots=True)
class Driver:
    id: int
    name: str
    fleet_id: int | None = None
    email: str = ""
    phone: str = ""
    notes: str = ""
    active: bool = True
    monthly_budget_minor: int | None = None


@dataclass(frozen=True, slots=True)
class AccessRule:
    """An allowance: `subject` may charge at `site_id`/`station_id` (None: anywhere)
    on these weekdays between `start` and `end` in the site's local time.

    `end` earlier than `start` crosses midnight (22:00–06:00 belongs to the day it
    starts on); `end == start` is the whole day. With no rules at all everyone
    with a valid tag may charge anywhere at any time.
    """

    id: int
    subject: Subject
    fleet_id: int | None = None  # set exactly when subject is FLEET
    site_id: int | None = None
    station_id: str | None = None
    weekdays: frozenset[int] = WEEKDAYS_ALL
    start: time = time(0, 0)
    end: time = time(0, 0)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Holder:
    """What the rules need to know about the bearer of a tag."""

    driver_id: int | None
    fleet_id: int | None
    driver_active: bool = True


@dataclass(frozen=True, slots=True)
class Place:
    """Where a charge is asked for: the station and the site it stands on."""

    station_id: str
    site_id: int | None


def covers(rule: AccessRule, holder: Holder, place: Place, local: datetime) -> bool:
    """Does this rule let `holder` charge at `place` at local wall-clock time `local`?"""
    if rule.subject is Subject.FLEET and holder.fleet_id != rule.fleet_id:
        return False
    if rule.subject is Subject.NO_FLEET and holder.fleet_id is not None:
        return False
    if rule.station_id is not None and rule.station_id != place.station_id:
        return False
    if rule.site_id is not None and rule.site_id != place.site_id:
        return False
    return in_window(rule, local)


def in_window(rule: AccessRule, local: datetime) -> bool:
    now = local.time().replace(tzinfo=None)
    day = local.weekday()
    if rule.start == rule.end:
        return day in rule.weekdays
    if rule.start < rule.end:
        return day in rule.weekdays and rule.start <= now < rule.end
    # Crosses midnight: the evening part belongs to today, the morning part to yesterday.
    if now >= rule.start:
        return day in rule.weekdays
    return now < rule.end and (day - 1) % 7 in rule.weekdays


def allows(rules: tuple[AccessRule, ...], holder: Holder, place: Place, local: datetime) -> bool:
    """True when some rule covers this charge (or no rule exists at all)."""
    return not rules or any(covers(r, holder, place, local) for r in rules)


def may_charge_somewhere_at(rules: tuple[AccessRule, ...], holder: Holder, place: Place) -> bool:
    """Could `holder` charge at `place` at some time? (What a station's local list,
    which knows no time windows, can carry.)"""
    if not rules:
        return True
    return any(
        covers(r, holder, place, datetime.combine(datetime(2026, 1, 5 + d).date(), r.start))
        for r in rules
        for d in r.weekdays
    )


def occurrence_end(rule: AccessRule, local: datetime) -> datetime | None:
    """When the window of `rule` that contains `local` closes, in the same zone as `local`.

    None for a rule that never closes (the whole day on every day of the week).
    Wall-clock arithmetic: on a day clocks change, 22:00–06:00 still ends at 06:00.
    """
    if rule.start == rule.end:
        if rule.weekdays == WEEKDAYS_ALL:
            return None
        return _at(local, 1, time(0, 0))
    if rule.start < rule.end or local.time().replace(tzinfo=None) >= rule.start:
        # Ends later today, or (crossing midnight, in its evening part) tomorrow.
        return _at(local, 0 if rule.start < rule.end else 1, rule.end)
    return _at(local, 0, rule.end)  # the morning part of a window that began yesterday


def _at(local: datetime, days: int, wall: time) -> datetime:
    day = local.date() + timedelta(days=days)
    return datetime.combine(day, wall, tzinfo=local.tzinfo)


# Adjoining windows (22:00–24:00 then 00:00–06:00; Monday to Friday whole days)
# are followed this many times before the end found so far is answered.
_MAX_CHAINED_WINDOWS = 14


@dataclass(frozen=True, slots=True)
class Allowance:
    """The answer of the rules for one charge: allowed or not, and until when."""

    allowed: bool
    # When the allowance ends (local time of the site); None: not before the tag expires.
    until: datetime | None = None


def allowance(
    rules: tuple[AccessRule, ...], holder: Holder, place: Place, local: datetime
) -> Allowance:
    """May `holder` charge at `place` at `local`, and until when without asking again?

    `until` lets a charger's authorization cache forget the tag when the window
    closes, instead of keeping it Accepted into hours the rules do not allow.
    """
    if not rules:
        return Allowance(True)
    ends = [occurrence_end(r, local) for r in rules if covers(r, holder, place, local)]
    if not ends:
        return Allowance(False)
    for _ in range(_MAX_CHAINED_WINDOWS):
        if None in ends:
            return Allowance(True)
        end = max(e for e in ends if e is not None)
        ends = [occurrence_end(r, end) for r in rules if covers(r, holder, place, end)]
        if not ends:
            return Allowance(True, end)
    return Allowance(True, end)


def holder_of(tag: IdTag | None, driver: Driver | None) -> Holder:
    """The bearer as the rules see them: a tag nobody registered is the public."""
    if tag is None or driver is None:
        return Holder(None, None)
    return Holder(driver.id, driver.fleet_id, driver.active)


# ---- read models the screens and the decision work with --------------------------


@dataclass(frozen=True, slots=True)
class DriverCard:
    """A driver with their fleet's name and their tags: one row of the drivers screen."""

    driver: Driver
    fleet_name: str | None
    tags: tuple[IdTag, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessFacts:
    """Everything one Authorize or StartTransaction is decided from, read at once."""

    tag: IdTag | None
    parent: IdTag | None
    driver: Driver | None
    rules: tuple[AccessRule, ...]
    site_id: int | None
    # Transactions open with this tag, not counting one on the asking connector.
    open_sessions: int = 0


@dataclass(frozen=True, slots=True)
class AccessSnapshot:
    """Every tag, driver and rule: what the local authorization lists are computed from."""

    tags: tuple[IdTag, ...]
    drivers: dict[int, Driver] = field(default_factory=dict)
    rules: tuple[AccessRule, ...] = ()


# ---- what narrows access (stations then clear their authorization caches) ---------


def tag_narrowed(before: IdTag | None, after: IdTag | None, *, walk_in: bool) -> bool:
    """Could a charger's cache hold an acceptance of this tag that `after` no longer
    gives? (A tag nobody registered was accepted as a walk-in, if walk-ins are.)"""
    if before is None:
        if not walk_in or after is None:
            return False
        before = IdTag(after.id_tag, IdTagStatus.ACCEPTED)  # what the public was answered
    if before.status is not IdTagStatus.ACCEPTED:
        return False
    if after is None or after.status is not IdTagStatus.ACCEPTED:
        return True
    if (after.driver_id, after.parent_id_tag) != (before.driver_id, before.parent_id_tag):
        return True
    return after.expiry_date is not None and (
        before.expiry_date is None or after.expiry_date < before.expiry_date
    )


def driver_narrowed(before: Driver, after: Driver) -> bool:
    return before.active and (not after.active or after.fleet_id != before.fleet_id)
