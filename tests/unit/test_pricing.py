"""Session prices computed by hand for small crafted sessions at a Stockholm site."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.domain.errors import InvalidInput
from app.domain.pricing import Reading, describe_hypothetical, price_session
from app.domain.session_price import LineKind, QuantityUnit, SessionPrice
from app.domain.tariffs import PlanTerms, RoundingMode, Tariff, TariffBand

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY = 23  # 2026-11-23; Friday is the 27th, Sunday the 29th.
WEEKDAYS = frozenset(range(5))
PEAK = TariffBand("Peak", WEEKDAYS, time(17), time(20), energy_per_kwh_minor=550)


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=STOCKHOLM)


def priced(
    tariff: Tariff,
    start: datetime,
    stop: datetime,
    start_wh: int,
    stop_wh: int,
    readings: Sequence[tuple[datetime, float]] = (),
    plan: PlanTerms | None = None,
) -> SessionPrice:
    return price_session(
        tariff,
        zone=STOCKHOLM,
        started_at=start,
        meter_start_wh=start_wh,
        readings=readings,
        stopped_at=stop,
        meter_stop_wh=stop_wh,
        plan=plan,
    )


def amounts(price: SessionPrice) -> list[tuple[LineKind, str | None, int]]:
    return [(line.kind, line.band, line.amount_minor) for line in price.lines]


E, T, IDLE = LineKind.ENERGY, LineKind.TIME, LineKind.IDLE


class TestEachComponentAlone:
    def test_energy_is_charged_per_kwh_and_the_vat_in_it_is_stated(self) -> None:
        price = priced(
            Tariff("Std", energy_per_kwh_minor=345), local(23, 10), local(23, 11), 0, 10_000
        )
        (line,) = price.lines
        assert (line.kind, line.amount_minor, line.unit_price_minor) == (E, 3450, 345)
        assert (line.quantity, line.unit) == (Decimal("10.000"), QuantityUnit.KWH)
        assert line.label == "Energy 10.000 kWh × 3.45 SEK"
        assert (price.total_minor, price.vat_minor, price.net_minor) == (3450, 690, 2760)
        assert (price.currency, price.energy_wh, price.final) == ("SEK", 10_000.0, True)

    def test_charging_time_is_the_time_the_meter_went_up_not_the_whole_stay(self) -> None:
        readings = [(local(23, 10, 45), 5_000.0)]
        tariff = Tariff("Std", time_per_minute_minor=50)
        price = priced(tariff, local(23, 10), local(23, 11), 0, 5_000, readings)
        assert amounts(price) == [(E, None, 0), (T, None, 2250)]
        assert price.lines[1].quantity == Decimal("45.00")
        assert (price.charging_seconds, price.idle_seconds) == (45 * 60, 15 * 60)

    def test_charging_time_is_paid_by_the_second_not_by_started_minute(self) -> None:
        start = local(23, 10)
        tariff = Tariff("Std", time_per_minute_minor=100)
        price = priced(tariff, start, start + timedelta(seconds=90), 0, 100)
        assert price.total_minor == 150

    def test_a_start_fee_is_charged_once(self) -> None:
        price = priced(Tariff("Std", start_fee_minor=500), local(23, 10), local(23, 11), 0, 1_000)
        assert amounts(price) == [(LineKind.START_FEE, None, 500), (E, None, 0)]
        assert price.total_minor == 500

    def test_idle_fee_counts_from_the_end_of_charging_after_the_grace_period(self) -> None:
        tariff = Tariff("Std", idle_per_minute_minor=200, idle_grace_minutes=15)
        readings = [(local(23, 10, 30), 7_000.0)]
        price = priced(tariff, local(23, 10), local(23, 12), 0, 7_000, readings)
        assert amounts(price)[-1] == (IDLE, None, 75 * 200)
        assert price.lines[-1].label == "Idle 75.00 min × 2.00 SEK after 15 min grace"
        assert price.idle_seconds == 90 * 60

    def test_leaving_within_the_grace_period_costs_no_idle_fee(self) -> None:
        tariff = Tariff("Std", idle_per_minute_minor=200, idle_grace_minutes=15)
        readings = [(local(23, 10, 30), 7_000.0)]
        price = priced(tariff, local(23, 10), local(23, 10, 44), 0, 7_000, readings)
        assert not price.lines_of(IDLE)

    def test_the_idle_fee_stops_growing_at_its_cap(self) -> None:
        tariff = Tariff(
            "Std", idle_per_minute_minor=200, idle_grace_minutes=15, idle_cap_minor=10_000
        )
        readings = [(local(23, 10, 30), 7_000.0)]
        price = priced(tariff, local(23, 10), local(23, 12), 0, 7_000, readings)
        assert price.lines[-1].amount_minor == 10_000
        assert price.lines[-1].label.endswith(", capped at 100.00 SEK")

    def test_all_components_together_add_up(self) -> None:
        tariff = Tariff(
            "Std",
            energy_per_kwh_minor=345,
            time_per_minute_minor=10,
            idle_per_minute_minor=200,
            idle_grace_minutes=15,
            start_fee_minor=500,
        )
        readings = [(local(23, 10, 30), 7_000.0)]
        price = priced(tariff, local(23, 10), local(23, 12), 0, 7_000, readings)
        assert amounts(price) == [
            (LineKind.START_FEE, None, 500),
            (E, None, 7 * 345),
            (T, None, 30 * 10),
            (IDLE, None, 75 * 200),
        ]
        assert (price.total_minor, price.vat_minor, price.net_minor) == (18_215, 3_643, 14_572)


class TestMeterData:
    def test_a_meter_reset_loses_only_the_step_with_the_drop(self) -> None:
        readings = [
            (local(23, 10, 15), 3_000.0),
            (local(23, 10, 30), 500.0),
            (local(23, 10, 45), 2_500.0),
        ]
        tariff = Tariff("Std", energy_per_kwh_minor=1_000, time_per_minute_minor=10)
        price = priced(tariff, local(23, 10), local(23, 11), 1_000, 2_500, readings)
        assert price.energy_wh == 4_000.0
        assert amounts(price) == [(E, None, 4_000), (T, None, 30 * 10)]
        assert (price.charging_seconds, price.idle_seconds) == (30 * 60, 15 * 60)

    def test_a_stop_value_below_the_start_value_with_no_readings_delivered_nothing(
        self,
    ) -> None:
        price = priced(
            Tariff("Std", energy_per_kwh_minor=345), local(23, 10), local(23, 11), 5_000, 1_200
        )
        assert price.total_minor == 0

    def test_readings_in_any_order_with_duplicates_give_the_same_price(self) -> None:
        start_of_band = TariffBand("Late", WEEKDAYS, time(10, 30), time(12), 500)
        tariff = Tariff("Std", energy_per_kwh_minor=300, bands=(start_of_band,))
        readings = [
            (local(MONDAY, 10, 30), 4_000.0),
            (local(MONDAY, 10, 30), 4_500.0),
            (local(MONDAY, 10, 15), 2_000.0),
        ]
        price = priced(tariff, local(MONDAY, 10), local(MONDAY, 11), 0, 6_000, readings)
        # The higher of the two 10:30 readings counts: 4.5 kWh before the band.
        assert amounts(price) == [(E, None, 1_350), (E, "Late", 750)]
        assert (
            priced(tariff, local(MONDAY, 10), local(MONDAY, 11), 0, 6_000, readings[::-1]) == price
        )

    def test_readings_before_the_start_or_after_the_stop_are_ignored(self) -> None:
        readings = [
            (local(23, 9), 99_999.0),
            (local(23, 12), 99_999.0),
            (local(23, 10, 30), 2_000.0),
        ]
        price = priced(
            Tariff("Std", energy_per_kwh_minor=100),
            local(23, 10),
            local(23, 11),
            0,
            3_000,
            readings,
        )
        assert price.total_minor == 300

    def test_readings_that_are_not_numbers_are_treated_as_missing(self) -> None:
        readings = [(local(23, 10, 30), float("nan")), (local(23, 10, 40), float("inf"))]
        price = priced(
            Tariff("Std", time_per_minute_minor=10),
            local(23, 10),
            local(23, 11),
            0,
            3_000,
            readings,
        )
        assert price.charging_seconds == 3600

    def test_a_session_with_no_energy_costs_nothing_not_even_fees_or_the_minimum(
        self,
    ) -> None:
        tariff = Tariff(
            "Std",
            start_fee_minor=500,
            min_price_minor=1_000,
            idle_per_minute_minor=200,
            time_per_minute_minor=10,
        )
        price = priced(
            tariff, local(23, 10), local(23, 12), 4_200, 4_200, [(local(23, 11), 4_200.0)]
        )
        assert amounts(price) == [(LineKind.NOTE, None, 0)]
        assert price.lines[0].label == "No energy delivered: nothing to pay"
        assert (price.total_minor, price.vat_minor, price.energy_wh) == (0, 0, 0.0)

    def test_fractional_watt_hours_are_priced_exactly(self) -> None:
        readings = [(local(23, 10, 30), 0.4)]
        price = priced(
            Tariff("Std", energy_per_kwh_minor=100_000),
            local(23, 10),
            local(23, 11),
            0,
            1,
            readings,
        )
        # 1 Wh at 1000 SEK/kWh is 1.00 SEK, whatever the path.
        assert (price.total_minor, price.energy_wh) == (100, 1.0)


class TestLimitsAndRounding:
    def test_a_small_session_is_raised_to_the_minimum_price(self) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, min_price_minor=1_000)
        price = priced(tariff, local(23, 10), local(23, 11), 0, 1_000)
        assert amounts(price) == [(E, None, 345), (LineKind.ADJUSTMENT, None, 655)]
        assert price.lines[-1].label == "Minimum session price 10.00 SEK"

    def test_a_large_session_is_capped_at_the_maximum_price(self) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, max_price_minor=20_000)
        price = priced(tariff, local(23, 10), local(23, 18), 0, 100_000)
        assert amounts(price) == [(E, None, 34_500), (LineKind.ADJUSTMENT, None, -14_500)]
        assert price.total_minor == 20_000

    @pytest.mark.parametrize(
        ("mode", "rounding", "label"),
        [
            (RoundingMode.HALF_UP, -15, "Rounding to whole SEK"),
            (RoundingMode.UP, 85, "Rounding up to whole SEK"),
        ],
    )
    def test_the_total_is_rounded_to_whole_kronor_on_its_own_line(
        self, mode: RoundingMode, rounding: int, label: str
    ) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, rounding_minor=100, rounding_mode=mode)
        price = priced(tariff, local(23, 10), local(23, 11), 0, 7_000)
        assert amounts(price) == [(E, None, 2_415), (LineKind.ROUNDING, None, rounding)]
        assert price.lines[-1].label == label
        assert price.total_minor == 2_415 + rounding

    def test_rounding_never_takes_the_total_past_the_maximum(self) -> None:
        tariff = Tariff(
            "Std",
            energy_per_kwh_minor=345,
            max_price_minor=2_000,
            rounding_minor=100,
            rounding_mode=RoundingMode.UP,
        )
        price = priced(tariff, local(23, 10), local(23, 18), 0, 100_000)
        assert price.total_minor == 2_000

    def test_vat_is_the_share_of_the_total_at_the_tariffs_rate(self) -> None:
        one_kwh = (local(23, 10), local(23, 11), 0, 1_000)
        assert priced(Tariff("Std", energy_per_kwh_minor=1_001), *one_kwh).vat_minor == 200
        free_of_vat = Tariff("Std", energy_per_kwh_minor=1_001, vat_rate_bp=0)
        assert priced(free_of_vat, *one_kwh).vat_minor == 0
        food_rate = Tariff("Std", energy_per_kwh_minor=1_120, vat_rate_bp=1200, currency="EUR")
        price = priced(food_rate, *one_kwh)
        assert (price.vat_minor, price.net_minor, price.currency) == (120, 1_000, "EUR")
        assert price.lines[0].label == "Energy 1.000 kWh × 11.20 EUR"


class TestPlans:
    def evening_session(self, plan: PlanTerms) -> SessionPrice:
        """5 kWh before 17:00 and 5 kWh in the Peak band after it."""
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(PEAK,))
        return priced(tariff, local(MONDAY, 16), local(MONDAY, 18), 0, 10_000, plan=plan)

    def test_included_energy_is_used_first_and_the_rest_is_paid(self) -> None:
        price = self.evening_session(PlanTerms(included_wh_remaining=3_000))
        assert amounts(price) == [
            (LineKind.INCLUDED, None, 0),
            (E, None, 2 * 345),
            (E, "Peak", 5 * 550),
        ]
        included = price.lines[0]
        assert (included.quantity, included.unit) == (Decimal(3_000), QuantityUnit.WH)
        assert included.label == "Included in plan 3.000 kWh"
        assert price.included_wh_used == 3_000

    def test_included_energy_running_out_inside_a_band_is_split_where_it_runs_out(self) -> None:
        price = self.evening_session(PlanTerms(included_wh_remaining=7_000))
        assert amounts(price) == [(LineKind.INCLUDED, None, 0), (E, "Peak", 3 * 550)]

    def test_a_session_within_the_allowance_pays_no_energy_but_the_minimum_still_applies(
        self,
    ) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, min_price_minor=500)
        plan = PlanTerms(included_wh_remaining=50_000)
        price = priced(tariff, local(23, 10), local(23, 11), 0, 10_000, plan=plan)
        assert amounts(price) == [(LineKind.INCLUDED, None, 0), (LineKind.ADJUSTMENT, None, 500)]
        assert price.included_wh_used == 10_000

    def test_the_allowance_is_used_in_whole_watt_hours(self) -> None:
        plan = PlanTerms(included_wh_remaining=50_000)
        tariff = Tariff("Std", energy_per_kwh_minor=100_000)
        price = priced(tariff, local(23, 10), local(23, 11), 0, 2, [(local(23, 10, 30), 1.5)], plan)
        assert price.included_wh_used == 2
        price = price_session(
            tariff,
            zone=STOCKHOLM,
            started_at=local(23, 10),
            meter_start_wh=0,
            readings=[(local(23, 10, 30), 1.5)],
            now=local(23, 10, 45),
            plan=plan,
        )
        # 1.5 Wh so far: 1 Wh included, 0.5 Wh at 1000 SEK/kWh.
        assert (price.included_wh_used, price.total_minor) == (1, 50)

    def test_a_plan_price_replaces_the_energy_price_in_every_band(self) -> None:
        price = self.evening_session(PlanTerms(price_per_kwh_minor=199))
        assert amounts(price) == [(E, None, 10 * 199)]
        assert price.lines[0].label == "Energy 10.000 kWh × 1.99 SEK (plan price)"

    def test_a_plan_discount_applies_to_energy_and_time_but_not_the_start_fee(self) -> None:
        tariff = Tariff(
            "Std", energy_per_kwh_minor=345, time_per_minute_minor=10, start_fee_minor=500
        )
        plan = PlanTerms(discount_bp=1_000)
        price = priced(tariff, local(23, 10), local(23, 11), 0, 10_000, plan=plan)
        assert amounts(price) == [
            (LineKind.START_FEE, None, 500),
            (E, None, 3_450),
            (T, None, 600),
            (LineKind.DISCOUNT, None, -405),
        ]
        assert price.lines[-1].label == "Plan discount 10 % on energy and time"
        assert price.total_minor == 4_145

    def test_a_full_discount_never_makes_the_price_negative(self) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345)
        price = priced(
            tariff, local(23, 10), local(23, 11), 0, 10_000, plan=PlanTerms(discount_bp=10_000)
        )
        assert price.total_minor == 0


class TestLivePrice:
    TARIFF = Tariff(
        "Std",
        energy_per_kwh_minor=345,
        time_per_minute_minor=10,
        idle_per_minute_minor=100,
        idle_grace_minutes=15,
    )

    def live(self, now: datetime, readings: Sequence[tuple[datetime, float]]) -> SessionPrice:
        return price_session(
            self.TARIFF,
            zone=STOCKHOLM,
            started_at=local(23, 10),
            meter_start_wh=0,
            readings=readings,
            now=now,
        )

    def test_a_running_session_is_priced_as_if_it_stopped_now_at_the_last_reading(self) -> None:
        readings = [Reading(local(23, 10, 30), 5_000.0), Reading(local(23, 11), 8_000.0)]
        price = self.live(local(23, 10, 40), readings)
        assert amounts(price) == [(E, None, 5 * 345), (T, None, 30 * 10)]
        assert (price.final, price.as_of) == (False, local(23, 10, 40))
        assert price.idle_seconds == 10 * 60

    def test_the_final_price_counts_what_arrived_after_the_live_one(self) -> None:
        readings = [Reading(local(23, 10, 30), 5_000.0), Reading(local(23, 11), 8_000.0)]
        final = priced(self.TARIFF, local(23, 10), local(23, 11), 0, 8_000, readings)
        assert amounts(final) == [(E, None, 8 * 345), (T, None, 60 * 10)]
        assert final.final

    def test_a_car_that_stopped_charging_long_ago_shows_its_idle_fee_live(self) -> None:
        price = self.live(local(23, 12), [Reading(local(23, 10, 30), 5_000.0)])
        assert amounts(price)[-1] == (IDLE, None, 75 * 100)

    def test_before_any_energy_the_live_price_is_zero(self) -> None:
        price = self.live(local(23, 10, 5), [])
        assert [line.label for line in price.lines] == ["No energy delivered yet"]
        assert price.total_minor == 0

    def test_a_start_time_slightly_after_now_is_not_an_error(self) -> None:
        assert self.live(local(23, 9, 59), []).total_minor == 0


class TestHypothetical:
    TARIFF = Tariff("Std", energy_per_kwh_minor=345, bands=(PEAK,))

    def test_a_45_minute_session_of_22_kwh_at_17_30_on_a_weekday_is_all_peak(self) -> None:
        price = describe_hypothetical(self.TARIFF, local(MONDAY, 17, 30), 45, 22, STOCKHOLM)
        assert amounts(price) == [(E, "Peak", 22 * 550)]
        assert (price.charging_seconds, price.idle_seconds) == (45 * 60, 0)

    def test_a_session_over_the_end_of_the_band_is_split_by_time(self) -> None:
        naive_wall_clock = datetime(2026, 11, MONDAY, 19, 45)
        price = describe_hypothetical(self.TARIFF, naive_wall_clock, 45, 22, STOCKHOLM)
        # A third of the time (and energy) in the Peak band.
        assert amounts(price) == [(E, None, 5_060), (E, "Peak", 4_033)]

    def test_the_calculator_counts_real_minutes_across_the_spring_forward_jump(self) -> None:
        tariff = Tariff("Std", time_per_minute_minor=10)
        wall_clock = datetime(2026, 3, 29, 1, 30)
        price = describe_hypothetical(tariff, wall_clock, 60, 7, STOCKHOLM)
        assert (price.total_minor, price.charging_seconds) == (600, 3600)
        assert price.as_of == datetime(2026, 3, 29, 3, 30, tzinfo=STOCKHOLM)

    def test_the_calculator_applies_a_plan(self) -> None:
        plan = PlanTerms(included_wh_remaining=2_000)
        price = describe_hypothetical(self.TARIFF, local(MONDAY, 17, 30), 45, 22, STOCKHOLM, plan)
        assert price.total_minor == 20 * 550

    @pytest.mark.parametrize(("minutes", "kwh"), [(-1, 1.0), (10, -1.0), (10, float("nan"))])
    def test_negative_durations_and_energies_are_refused(self, minutes: int, kwh: float) -> None:
        with pytest.raises(InvalidInput):
            describe_hypothetical(self.TARIFF, local(MONDAY, 10), minutes, kwh, STOCKHOLM)


class TestInputAndStorage:
    def test_a_naive_start_time_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="session start must be timezone-aware"):
            price_session(
                Tariff("Std"),
                zone=STOCKHOLM,
                started_at=datetime(2026, 1, 1),
                meter_start_wh=0,
                now=local(23, 10),
            )

    def test_a_reading_with_a_naive_time_is_refused(self) -> None:
        readings = [(datetime(2026, 11, 23, 10, 30), 100.0)]
        with pytest.raises(InvalidInput, match="reading's time must be a timezone-aware"):
            priced(Tariff("Std"), local(23, 10), local(23, 11), 0, 200, readings)

    def test_a_stop_time_without_a_stop_value_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="both its stop time and its stop meter value"):
            price_session(
                Tariff("Std"),
                zone=STOCKHOLM,
                started_at=local(23, 10),
                meter_start_wh=0,
                stopped_at=local(23, 11),
            )

    def test_a_stop_before_the_start_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match=r"stops .* before it starts"):
            priced(Tariff("Std"), local(23, 10), local(23, 9), 0, 10)

    def test_a_live_price_needs_the_time_now(self) -> None:
        with pytest.raises(InvalidInput, match="needs the time now"):
            price_session(Tariff("Std"), zone=STOCKHOLM, started_at=local(23, 10), meter_start_wh=0)

    def test_a_final_price_is_stored_and_read_back_unchanged(self) -> None:
        tariff = Tariff(
            "Std",
            energy_per_kwh_minor=345,
            time_per_minute_minor=7,
            bands=(PEAK,),
            rounding_minor=100,
        )
        price = priced(
            tariff,
            local(MONDAY, 16),
            local(MONDAY, 18),
            0,
            10_000,
            plan=PlanTerms(1_000, None, 500),
        )
        assert SessionPrice.from_dict(json.loads(json.dumps(price.to_dict()))) == price

    def test_a_stored_breakdown_that_does_not_add_up_is_refused(self) -> None:
        price = priced(
            Tariff("Std", energy_per_kwh_minor=345), local(23, 10), local(23, 11), 0, 1_000
        )
        data = price.to_dict() | {"total_minor": 999}
        with pytest.raises(InvalidInput, match="total is not the sum of its lines"):
            SessionPrice.from_dict(data)
