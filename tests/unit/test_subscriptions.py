"""Plans and subscriptions: who is subscribed when, and what a month costs and includes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.errors import InvalidInput
from app.domain.subscriptions import (
    Month,
    Pause,
    Plan,
    Subscription,
    SubscriptionStatus,
    check_no_overlap,
    local_date,
    monthly_allowance_wh,
    monthly_fee,
    plan_terms,
)
from app.domain.tariffs import PlanTerms

STOCKHOLM = ZoneInfo("Europe/Stockholm")
GOLD = Plan("Gold", monthly_fee_minor=30_000, included_wh=100_000, discount_bp=1000, id=1)


def subscription(
    starts_on: date = date(2026, 11, 1),
    ends_on: date | None = None,
    *pauses: Pause,
    sub_id: int = 1,
    driver_id: int = 7,
) -> Subscription:
    return Subscription(driver_id, GOLD.id, starts_on, ends_on, pauses, id=sub_id)


class TestPlan:
    def test_a_plan_with_no_sites_covers_every_site_and_stations_on_no_site(self) -> None:
        assert GOLD.covers(3)
        assert GOLD.covers(None)

    def test_a_plan_for_some_sites_covers_only_those(self) -> None:
        depot = Plan("Depot", 10_000, site_ids=frozenset({1, 2}))
        assert depot.covers(1)
        assert not depot.covers(3)
        assert not depot.covers(None)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"name": "  "}, "needs a name"),
            ({"name": "x" * 61}, "at most 60 characters"),
            ({"monthly_fee_minor": -1}, "monthly fee cannot be negative"),
            ({"monthly_fee_minor": 1.5}, "monthly fee must be a whole number"),
            ({"monthly_fee_minor": True}, "monthly fee must be a whole number"),
            ({"included_wh": -5}, "included energy"),
            ({"price_per_kwh_minor": -1}, "plan price per kWh cannot be negative"),
            ({"discount_bp": 10_001}, r"discount \(basis points\) must be at most 10000"),
            ({"vat_rate_bp": -1}, "VAT rate"),
            ({"currency": "kr"}, "three-letter ISO 4217 code"),
        ],
    )
    def test_a_plan_that_makes_no_sense_is_refused_saying_why(
        self, changes: dict[str, object], message: str
    ) -> None:
        fields: dict[str, object] = {"name": "Gold", "monthly_fee_minor": 30_000, **changes}
        with pytest.raises(InvalidInput, match=message):
            Plan(**fields)  # type: ignore[arg-type]

    def test_the_name_is_kept_without_surrounding_spaces(self) -> None:
        assert Plan("  Gold ", 0).name == "Gold"


class TestPlanTerms:
    def test_what_is_left_of_the_allowance_goes_to_the_next_session(self) -> None:
        assert plan_terms(GOLD, 30_000) == PlanTerms(70_000, None, 1000)

    def test_an_allowance_used_up_leaves_nothing_never_a_negative_remainder(self) -> None:
        assert plan_terms(GOLD, 250_000).included_wh_remaining == 0

    def test_a_pro_rated_allowance_replaces_the_whole_month_one(self) -> None:
        assert plan_terms(GOLD, 10_000, allowance_wh=50_000).included_wh_remaining == 40_000

    def test_the_plan_price_per_kwh_is_passed_on(self) -> None:
        cheap = Plan("Cheap", 0, price_per_kwh_minor=199)
        assert plan_terms(cheap, 0) == PlanTerms(0, 199, 0)


class TestMonth:
    @pytest.mark.parametrize(
        ("month", "days"),
        [(Month(2026, 2), 28), (Month(2028, 2), 29), (Month(2026, 4), 30), (Month(2026, 12), 31)],
    )
    def test_months_have_their_calendar_length(self, month: Month, days: int) -> None:
        assert month.days == days
        assert month.last_day == month.first_day + timedelta(days=days - 1)

    def test_a_month_is_written_year_dash_month(self) -> None:
        assert Month.parse("2026-11") == Month(2026, 11)
        assert str(Month(2026, 3)) == "2026-03"
        for bad in ("2026/11", "11-2026", "2026-13", "2026-0", "next"):
            with pytest.raises(InvalidInput):
                Month.parse(bad)

    def test_a_month_runs_from_local_midnight_to_local_midnight_in_utc(self) -> None:
        start, end = Month(2026, 11).bounds(STOCKHOLM)
        assert start == datetime(2026, 10, 31, 23, tzinfo=UTC)
        assert end == datetime(2026, 11, 30, 23, tzinfo=UTC)

    def test_the_month_the_clocks_go_forward_is_an_hour_short(self) -> None:
        start, end = Month(2026, 3).bounds(STOCKHOLM)
        assert end - start == timedelta(days=31, hours=-1)

    def test_the_month_the_clocks_go_back_is_an_hour_long(self) -> None:
        start, end = Month(2026, 10).bounds(STOCKHOLM)
        assert (start, end - start) == (
            datetime(2026, 9, 30, 22, tzinfo=UTC),
            timedelta(days=31, hours=1),
        )

    def test_a_session_just_after_local_midnight_belongs_to_the_new_local_month(self) -> None:
        at = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
        assert Month.of(local_date(at, STOCKHOLM)) == Month(2026, 11)
        assert Month.of(local_date(at, UTC)) == Month(2026, 10)

    def test_a_naive_time_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="timezone-aware"):
            local_date(datetime(2026, 11, 1), STOCKHOLM)


class TestSubscriptionRules:
    def test_no_end_before_the_start(self) -> None:
        with pytest.raises(InvalidInput, match=r"cannot end .* before it starts"):
            subscription(date(2026, 11, 10), date(2026, 11, 9))
        with pytest.raises(InvalidInput, match="before it starts"):
            subscription(date(2026, 11, 10)).ended(date(2026, 11, 9))

    def test_a_one_day_subscription_is_fine(self) -> None:
        one = subscription(date(2026, 11, 10)).ended(date(2026, 11, 10))
        assert one.active_days(Month(2026, 11)) == 1

    def test_no_pause_outside_the_subscription(self) -> None:
        sub = subscription(date(2026, 11, 10), date(2026, 11, 20))
        with pytest.raises(InvalidInput, match="cannot pause on 2026-11-09"):
            sub.paused(date(2026, 11, 9))
        with pytest.raises(InvalidInput, match="the subscription ends on 2026-11-20"):
            sub.paused(date(2026, 11, 15), date(2026, 11, 21))
        with pytest.raises(InvalidInput, match="outside the subscription"):
            subscription(date(2026, 11, 10), None, Pause(date(2026, 11, 1), date(2026, 11, 12)))

    def test_no_pause_ending_before_it_starts(self) -> None:
        with pytest.raises(InvalidInput, match="a pause cannot end"):
            subscription().paused(date(2026, 11, 10), date(2026, 11, 9))

    def test_no_overlapping_pauses(self) -> None:
        sub = subscription().paused(date(2026, 11, 10), date(2026, 11, 12))
        with pytest.raises(InvalidInput, match="overlaps the pause from 2026-11-10"):
            sub.paused(date(2026, 11, 12), date(2026, 11, 14))
        with pytest.raises(InvalidInput, match="overlaps"):
            subscription().paused(date(2026, 11, 20)).paused(date(2026, 12, 1), date(2026, 12, 2))
        back_to_back = sub.paused(date(2026, 11, 13), date(2026, 11, 14))
        assert len(back_to_back.pauses) == 2

    def test_status_follows_the_days(self) -> None:
        sub = subscription(date(2026, 11, 1), date(2026, 11, 30)).paused(date(2026, 11, 10))
        assert sub.status_on(date(2026, 10, 31)) is SubscriptionStatus.UPCOMING
        assert sub.status_on(date(2026, 11, 9)) is SubscriptionStatus.ACTIVE
        assert sub.status_on(date(2026, 11, 30)) is SubscriptionStatus.PAUSED
        assert sub.status_on(date(2026, 12, 1)) is SubscriptionStatus.ENDED

    def test_resuming_ends_the_pause_the_day_before(self) -> None:
        sub = subscription().paused(date(2026, 11, 10)).resumed(date(2026, 11, 15))
        assert sub.pauses == (Pause(date(2026, 11, 10), date(2026, 11, 14)),)
        assert sub.active_on(date(2026, 11, 15))
        assert not sub.active_on(date(2026, 11, 14))

    def test_resuming_on_the_first_paused_day_cancels_the_pause(self) -> None:
        sub = subscription().paused(date(2026, 11, 10)).resumed(date(2026, 11, 10))
        assert sub.pauses == ()

    def test_resuming_when_not_paused_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="not paused on 2026-11-05"):
            subscription().resumed(date(2026, 11, 5))

    def test_ending_during_a_pause_ends_the_pause_too_and_drops_later_pauses(self) -> None:
        sub = (
            subscription()
            .paused(date(2026, 11, 10), date(2026, 11, 12))
            .paused(date(2026, 11, 20))
            .ended(date(2026, 11, 25))
        )
        assert sub.pauses[-1] == Pause(date(2026, 11, 20), date(2026, 11, 25))
        later = subscription().paused(date(2026, 12, 10), date(2026, 12, 12))
        assert later.ended(date(2026, 11, 30)).pauses == ()

    def test_a_driver_has_one_subscription_on_any_day(self) -> None:
        november = subscription(date(2026, 11, 1), date(2026, 11, 30))
        names = {GOLD.id: "Gold"}
        check_no_overlap(subscription(date(2026, 12, 1), sub_id=2), [november], names)
        check_no_overlap(subscription(date(2026, 11, 15), sub_id=2, driver_id=8), [november], names)
        with pytest.raises(InvalidInput, match="already has plan 'Gold' from 2026-11-01 to"):
            check_no_overlap(subscription(date(2026, 11, 30), sub_id=2), [november], names)
        with pytest.raises(InvalidInput, match="one subscription on any day"):
            check_no_overlap(
                subscription(date(2026, 10, 1), date(2026, 11, 1), sub_id=2), [november], names
            )

    def test_a_paused_subscription_still_holds_its_days(self) -> None:
        paused = subscription(date(2026, 11, 1)).paused(date(2026, 11, 5))
        with pytest.raises(InvalidInput, match="overlaps"):
            check_no_overlap(subscription(date(2026, 11, 20), sub_id=2), [paused], {})

    def test_a_subscription_does_not_overlap_itself_when_changed(self) -> None:
        sub = subscription(date(2026, 11, 1))
        check_no_overlap(sub.ended(date(2026, 12, 31)), [sub], {})


class TestMonthlyFee:
    @pytest.mark.parametrize("month", [Month(2026, 2), Month(2028, 2), Month(2026, 4)])
    def test_a_whole_month_costs_the_whole_fee_whatever_its_length(self, month: Month) -> None:
        fee = monthly_fee(subscription(date(2025, 1, 1)), GOLD, month)
        assert fee is not None
        assert (fee.amount_minor, fee.whole_month) == (30_000, True)

    @pytest.mark.parametrize(
        ("starts_on", "days", "expected"),
        [
            # 30 000 × 15 / 30
            (date(2026, 11, 16), 15, 15_000),
            # 30 000 × 14 / 28 (February)
            (date(2026, 2, 15), 14, 15_000),
            # 30 000 × 14 / 29 = 14 482.76… → 14 483
            (date(2028, 2, 16), 14, 14_483),
            # 30 000 × 1 / 31 = 967.74… → 968
            (date(2026, 12, 31), 1, 968),
        ],
    )
    def test_starting_mid_month_pays_for_the_days_from_the_start(
        self, starts_on: date, days: int, expected: int
    ) -> None:
        month = Month.of(starts_on)
        fee = monthly_fee(subscription(starts_on), GOLD, month)
        assert fee is not None
        assert (fee.active_days, fee.days_in_month, fee.amount_minor) == (
            days,
            month.days,
            expected,
        )

    def test_half_a_minor_unit_rounds_up(self) -> None:
        odd = Plan("Odd", monthly_fee_minor=1, id=1)
        # 1 × 15 / 30 = 0.5 → 1
        fee = monthly_fee(subscription(date(2026, 11, 16)), odd, Month(2026, 11))
        assert fee is not None
        assert fee.amount_minor == 1

    def test_ending_mid_month_pays_up_to_and_including_the_last_day(self) -> None:
        fee = monthly_fee(subscription(date(2026, 1, 1), date(2026, 11, 10)), GOLD, Month(2026, 11))
        assert fee is not None
        assert (fee.active_days, fee.amount_minor) == (10, 10_000)

    def test_paused_days_cost_nothing_and_a_pause_across_months_counts_in_each(self) -> None:
        sub = subscription(date(2026, 1, 1)).paused(date(2026, 11, 21), date(2026, 12, 10))
        november = monthly_fee(sub, GOLD, Month(2026, 11))
        december = monthly_fee(sub, GOLD, Month(2026, 12))
        assert november is not None
        assert december is not None
        assert (november.active_days, november.amount_minor) == (20, 20_000)
        # 30 000 × 21 / 31 = 20 322.58… → 20 323
        assert (december.active_days, december.amount_minor) == (21, 20_323)

    def test_a_month_paused_throughout_costs_nothing_but_is_still_listed(self) -> None:
        sub = subscription(date(2026, 1, 1)).paused(date(2026, 10, 15))
        fee = monthly_fee(sub, GOLD, Month(2026, 11))
        assert fee is not None
        assert (fee.active_days, fee.amount_minor) == (0, 0)

    def test_a_month_outside_the_subscription_has_no_fee(self) -> None:
        sub = subscription(date(2026, 11, 1), date(2026, 11, 30))
        assert monthly_fee(sub, GOLD, Month(2026, 10)) is None
        assert monthly_fee(sub, GOLD, Month(2026, 12)) is None

    @pytest.mark.parametrize("month", [Month(2026, 3), Month(2026, 10)])
    def test_daylight_saving_months_count_days_not_hours(self, month: Month) -> None:
        whole = monthly_fee(subscription(date(2026, 1, 1)), GOLD, month)
        half = monthly_fee(subscription(date(month.year, month.month, 17)), GOLD, month)
        assert whole is not None
        assert half is not None
        assert whole.amount_minor == 30_000
        # 15 of 31 days: 14 516.13… → 14 516
        assert (half.active_days, half.amount_minor) == (15, 14_516)


class TestMonthlyAllowance:
    def test_a_whole_month_includes_the_whole_allowance(self) -> None:
        assert monthly_allowance_wh(subscription(), GOLD, Month(2026, 11)) == 100_000

    def test_the_allowance_is_pro_rated_like_the_fee(self) -> None:
        # 100 000 Wh × 10 / 30 = 33 333.3 → 33 333
        sub = subscription(date(2026, 11, 21))
        assert monthly_allowance_wh(sub, GOLD, Month(2026, 11)) == 33_333
        # 100 000 × 20 / 30 = 66 666.7 → 66 667
        paused = subscription().paused(date(2026, 11, 21), date(2026, 11, 30))
        assert monthly_allowance_wh(paused, GOLD, Month(2026, 11)) == 66_667

    def test_no_active_day_means_no_allowance(self) -> None:
        assert monthly_allowance_wh(subscription(), GOLD, Month(2026, 10)) == 0
