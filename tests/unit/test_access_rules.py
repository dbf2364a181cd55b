"""Who may charge where and when: access rules read in the site's local time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.domain.access import (
    AccessRule,
    Allowance,
    Driver,
    Holder,
    Place,
    Subject,
    allowance,
    allows,
    covers,
    driver_narrowed,
    in_window,
    may_charge_somewhere_at,
    tag_narrowed,
)
from app.domain.model import IdTag, IdTagStatus

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = frozenset(range(5))
VAN = Holder(driver_id=1, fleet_id=10)
OTHER_FLEET = Holder(driver_id=2, fleet_id=20)
PUBLIC = Holder(driver_id=None, fleet_id=None)
DEPOT = Place("DEPOT-1", site_id=1)
GARAGE = Place("GARAGE-1", site_id=2)

NIGHTS_AT_DEPOT = AccessRule(
    1, Subject.FLEET, fleet_id=10, site_id=1, start=time(22, 0), end=time(6, 0)
)
PUBLIC_IN_GARAGE = AccessRule(2, Subject.NO_FLEET, site_id=2)


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = STOCKHOLM) -> datetime:
    """A local time in the week of Monday 2026-01-05 (day 0 = Monday)."""
    return datetime(2026, 1, 5 + day, hour, minute, tzinfo=zone)


class TestTimeWindows:
    def test_a_night_window_belongs_to_the_day_it_starts_on(self) -> None:
        friday_nights = AccessRule(
            1, Subject.EVERYONE, weekdays=frozenset({4}), start=time(22, 0), end=time(6, 0)
        )
        assert in_window(friday_nights, at(4, 23))  # Friday 23:00
        assert in_window(friday_nights, at(5, 5, 59))  # Saturday morning, same night
        assert not in_window(friday_nights, at(5, 6))  # the window has closed
        assert not in_window(friday_nights, at(4, 5))  # Friday morning belongs to Thursday
        assert not in_window(friday_nights, at(5, 23))  # Saturday night is not Friday's

    def test_a_night_window_on_sunday_reaches_into_monday(self) -> None:
        sundays = AccessRule(
            1, Subject.EVERYONE, weekdays=frozenset({6}), start=time(20, 0), end=time(2, 0)
        )
        assert in_window(sundays, at(7, 1))  # Monday 01:00 of the next week
        assert not in_window(sundays, at(7, 3))

    def test_start_equal_to_end_is_the_whole_day(self) -> None:
        weekdays = AccessRule(1, Subject.EVERYONE, weekdays=WEEKDAYS)
        assert in_window(weekdays, at(0, 0))
        assert in_window(weekdays, at(4, 23, 59))
        assert not in_window(weekdays, at(5, 12))

    def test_a_day_window_includes_its_start_and_excludes_its_end(self) -> None:
        office = AccessRule(1, Subject.EVERYONE, start=time(8, 0), end=time(17, 0))
        assert in_window(office, at(2, 8))
        assert not in_window(office, at(2, 17))
        assert not in_window(office, at(2, 7, 59))


class TestDaylightSavingTime:
    """Stockholm moves from +01:00 to +02:00 on 29 March 2026 and back on 25 October."""

    NIGHTS = AccessRule(1, Subject.EVERYONE, start=time(22, 0), end=time(6, 0))

    def test_a_night_window_keeps_to_the_wall_clock_when_clocks_go_forward(self) -> None:
        # Sunday 29 March 2026, 05:30 local (03:30 UTC) is still in Saturday's night window.
        inside = datetime(2026, 3, 29, 3, 30, tzinfo=UTC).astimezone(STOCKHOLM)
        outside = datetime(2026, 3, 29, 4, 30, tzinfo=UTC).astimezone(STOCKHOLM)
        assert (inside.hour, outside.hour) == (5, 6)
        assert in_window(self.NIGHTS, inside)
        assert not in_window(self.NIGHTS, outside)

    def test_the_hour_that_happens_twice_is_inside_the_window_both_times(self) -> None:
        first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC).astimezone(STOCKHOLM)
        second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC).astimezone(STOCKHOLM)
        assert (first.hour, second.hour, first.fold, second.fold) == (2, 2, 0, 1)
        assert in_window(self.NIGHTS, first)
        assert in_window(self.NIGHTS, second)

    def test_the_night_clocks_go_forward_is_an_hour_shorter(self) -> None:
        evening = datetime(2026, 3, 28, 22, 0, tzinfo=STOCKHOLM)
        result = allowance((self.NIGHTS,), PUBLIC, DEPOT, evening)
        assert result.until is not None
        assert result.until.astimezone(UTC) == datetime(2026, 3, 29, 4, 0, tzinfo=UTC)
        length = result.until.astimezone(UTC) - evening.astimezone(UTC)
        assert length.total_seconds() == 7 * 3600

    def test_the_night_clocks_go_back_is_an_hour_longer(self) -> None:
        evening = datetime(2026, 10, 24, 22, 0, tzinfo=STOCKHOLM)
        result = allowance((self.NIGHTS,), PUBLIC, DEPOT, evening)
        assert result.until is not None
        length = result.until.astimezone(UTC) - evening.astimezone(UTC)
        assert length.total_seconds() == 9 * 3600


class TestWhoAndWhere:
    def test_a_fleet_rule_covers_only_that_fleets_drivers(self) -> None:
        night = at(1, 23)
        assert covers(NIGHTS_AT_DEPOT, VAN, DEPOT, night)
        assert not covers(NIGHTS_AT_DEPOT, OTHER_FLEET, DEPOT, night)
        assert not covers(NIGHTS_AT_DEPOT, PUBLIC, DEPOT, night)

    def test_a_no_fleet_rule_covers_the_public_and_drivers_without_a_fleet(self) -> None:
        assert covers(PUBLIC_IN_GARAGE, PUBLIC, GARAGE, at(2, 12))
        assert covers(PUBLIC_IN_GARAGE, Holder(7, None), GARAGE, at(2, 12))
        assert not covers(PUBLIC_IN_GARAGE, VAN, GARAGE, at(2, 12))

    def test_an_everyone_rule_covers_fleets_and_the_public(self) -> None:
        rule = AccessRule(3, Subject.EVERYONE)
        assert all(covers(rule, h, DEPOT, at(0, 9)) for h in (VAN, OTHER_FLEET, PUBLIC))

    def test_a_site_rule_covers_every_station_of_the_site_and_no_other(self) -> None:
        assert covers(PUBLIC_IN_GARAGE, PUBLIC, Place("GARAGE-7", 2), at(0, 9))
        assert not covers(PUBLIC_IN_GARAGE, PUBLIC, DEPOT, at(0, 9))
        assert not covers(PUBLIC_IN_GARAGE, PUBLIC, Place("NOWHERE", None), at(0, 9))

    def test_a_station_rule_covers_that_station_only(self) -> None:
        rule = AccessRule(4, Subject.EVERYONE, station_id="GARAGE-1")
        assert covers(rule, VAN, GARAGE, at(0, 9))
        assert not covers(rule, VAN, Place("GARAGE-2", 2), at(0, 9))

    def test_with_no_rules_at_all_everyone_may_charge_everywhere(self) -> None:
        assert allows((), PUBLIC, DEPOT, at(3, 3))
        assert allowance((), PUBLIC, DEPOT, at(3, 3)) == Allowance(True)

    def test_vans_at_the_depot_at_night_and_the_public_in_the_garage(self) -> None:
        rules = (NIGHTS_AT_DEPOT, PUBLIC_IN_GARAGE)
        assert allows(rules, VAN, DEPOT, at(1, 23))
        assert not allows(rules, VAN, DEPOT, at(1, 12))
        assert not allows(rules, VAN, GARAGE, at(1, 12))
        assert allows(rules, PUBLIC, GARAGE, at(1, 12))
        assert not allows(rules, PUBLIC, DEPOT, at(1, 23))

    def test_a_local_list_carries_whoever_may_charge_there_at_some_time(self) -> None:
        rules = (NIGHTS_AT_DEPOT, PUBLIC_IN_GARAGE)
        assert may_charge_somewhere_at(rules, VAN, DEPOT)
        assert not may_charge_somewhere_at(rules, VAN, GARAGE)
        assert not may_charge_somewhere_at(rules, PUBLIC, DEPOT)


class TestAllowanceEnds:
    def test_an_allowance_ends_when_its_window_closes(self) -> None:
        result = allowance((NIGHTS_AT_DEPOT,), VAN, DEPOT, at(1, 23))
        assert result == Allowance(True, at(2, 6))

    def test_adjoining_windows_are_one_allowance(self) -> None:
        evening = AccessRule(1, Subject.EVERYONE, start=time(22, 0), end=time(0, 0))
        morning = AccessRule(2, Subject.EVERYONE, start=time(0, 0), end=time(6, 0))
        assert allowance((evening, morning), PUBLIC, DEPOT, at(1, 23)).until == at(2, 6)

    def test_weekdays_all_day_last_until_saturday(self) -> None:
        rule = AccessRule(1, Subject.EVERYONE, weekdays=WEEKDAYS)
        assert allowance((rule,), PUBLIC, DEPOT, at(0, 9)).until == at(5, 0)

    def test_a_rule_for_every_hour_of_every_day_never_ends(self) -> None:
        rule = AccessRule(1, Subject.EVERYONE)
        assert allowance((rule,), PUBLIC, DEPOT, at(0, 9)) == Allowance(True)

    @pytest.mark.parametrize("hour", [6, 12, 21])
    def test_outside_every_window_there_is_no_allowance(self, hour: int) -> None:
        assert allowance((NIGHTS_AT_DEPOT,), VAN, DEPOT, at(1, hour)) == Allowance(False)


class TestWhatNarrowsAccess:
    """A narrowing makes stations clear their caches: an acceptance may be cached there."""

    CARD = IdTag("CARD", IdTagStatus.ACCEPTED, datetime(2027, 1, 1, tzinfo=UTC), driver_id=1)

    def test_blocking_removing_or_shortening_a_card_narrows(self) -> None:
        assert tag_narrowed(
            self.CARD, replace(self.CARD, status=IdTagStatus.BLOCKED), walk_in=False
        )
        assert tag_narrowed(self.CARD, None, walk_in=False)
        earlier = replace(self.CARD, expiry_date=datetime(2026, 6, 1, tzinfo=UTC))
        assert tag_narrowed(self.CARD, earlier, walk_in=False)
        assert tag_narrowed(self.CARD, replace(self.CARD, driver_id=2), walk_in=False)

    def test_a_note_a_later_expiry_or_unblocking_does_not(self) -> None:
        assert not tag_narrowed(self.CARD, replace(self.CARD, note="van 4"), walk_in=False)
        later = replace(self.CARD, expiry_date=datetime(2028, 1, 1, tzinfo=UTC))
        assert not tag_narrowed(self.CARD, later, walk_in=False)
        blocked = replace(self.CARD, status=IdTagStatus.BLOCKED)
        assert not tag_narrowed(blocked, self.CARD, walk_in=False)

    def test_registering_a_walk_ins_card_narrows_only_if_it_is_now_limited(self) -> None:
        public = IdTag("CARD", IdTagStatus.ACCEPTED)
        assert not tag_narrowed(None, public, walk_in=True)
        assert tag_narrowed(None, self.CARD, walk_in=True)
        assert not tag_narrowed(None, self.CARD, walk_in=False)

    def test_deactivating_a_driver_or_moving_them_to_another_fleet_narrows(self) -> None:
        anna = Driver(1, "Anna", fleet_id=10)
        assert driver_narrowed(anna, replace(anna, active=False))
        assert driver_narrowed(anna, replace(anna, fleet_id=None))
        assert not driver_narrowed(anna, replace(anna, phone="+46 70 123 45 67"))
        assert not driver_narrowed(replace(anna, active=False), anna)
