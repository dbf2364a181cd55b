"""Tariffs, bands and plan terms: what the Tariffs screen may save, and the stored snapshot."""

from __future__ import annotations

import json
from datetime import UTC, time

import pytest

from app.domain.errors import InvalidInput
from app.domain.price_format import describe_weekdays, format_basis_points, format_money
from app.domain.tariffs import PlanTerms, RoundingMode, Tariff, TariffBand

WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})


def band(
    name: str = "Peak",
    days: frozenset[int] = WEEKDAYS,
    start: time = time(7),
    end: time = time(9),
    *,
    energy: int | None = 500,
    per_minute: int | None = None,
) -> TariffBand:
    return TariffBand(name, days, start, end, energy, per_minute)


def full_tariff() -> Tariff:
    return Tariff(
        name="Depot evening",
        energy_per_kwh_minor=345,
        time_per_minute_minor=5,
        idle_per_minute_minor=200,
        idle_grace_minutes=15,
        idle_cap_minor=30_000,
        start_fee_minor=500,
        min_price_minor=1_000,
        max_price_minor=50_000,
        bands=(
            band("Peak", WEEKDAYS, time(17), time(20), energy=550, per_minute=10),
            band("Night", frozenset(range(7)), time(22), time(6), energy=199),
            band("Weekend", WEEKEND, time(6), time(22), per_minute=0, energy=None),
        ),
        vat_rate_bp=2500,
        currency="SEK",
        rounding_minor=100,
        rounding_mode=RoundingMode.UP,
    )


class TestDefaults:
    def test_a_tariff_with_only_a_name_charges_nothing_in_swedish_kronor_with_25_percent_vat(
        self,
    ) -> None:
        tariff = Tariff("Free")
        assert tariff.energy_per_kwh_minor == tariff.start_fee_minor == 0
        assert (tariff.currency, tariff.vat_rate_bp) == ("SEK", 2500)
        assert (tariff.rounding_minor, tariff.rounding_mode) == (1, RoundingMode.HALF_UP)
        assert tariff.bands == ()

    def test_a_list_of_bands_and_a_set_of_weekdays_are_accepted_as_given(self) -> None:
        weekdays: object = {0, 1}
        made = TariffBand("Peak", weekdays, time(7), time(9), 500)  # type: ignore[arg-type]
        tariff = Tariff("Std", bands=[made])  # type: ignore[arg-type]
        assert tariff.bands == (made,)
        assert made.weekdays == frozenset({0, 1})


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "words"),
        [
            ("energy_per_kwh_minor", "energy price per kWh"),
            ("time_per_minute_minor", "price per minute while charging"),
            ("idle_per_minute_minor", "idle fee per minute"),
            ("idle_grace_minutes", "idle grace period"),
            ("idle_cap_minor", "idle fee cap"),
            ("start_fee_minor", "start fee"),
            ("min_price_minor", "minimum session price"),
            ("max_price_minor", "maximum session price"),
        ],
    )
    def test_a_negative_price_is_refused_naming_the_price(self, field: str, words: str) -> None:
        with pytest.raises(InvalidInput, match=f"{words}.* cannot be negative"):
            Tariff("Std", **{field: -1})  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [3.45, "345", True])
    def test_a_price_that_is_not_a_whole_number_of_minor_units_is_refused(
        self, value: object
    ) -> None:
        with pytest.raises(InvalidInput, match="energy price per kWh must be a whole number"):
            Tariff("Std", energy_per_kwh_minor=value)  # type: ignore[arg-type]

    def test_an_absurdly_high_price_is_refused_as_a_likely_typo(self) -> None:
        with pytest.raises(InvalidInput, match="start fee must be at most"):
            Tariff("Std", start_fee_minor=10**9)

    def test_a_maximum_below_the_minimum_is_refused_with_both_amounts(self) -> None:
        with pytest.raises(
            InvalidInput, match=r"maximum session price \(5.00 SEK\) is below the minimum \(10.00"
        ):
            Tariff("Std", min_price_minor=1000, max_price_minor=500)

    def test_minimum_and_maximum_must_be_whole_rounding_steps(self) -> None:
        with pytest.raises(InvalidInput, match=r"minimum .* whole number of rounding steps"):
            Tariff("Std", min_price_minor=1050, rounding_minor=100)
        Tariff("Std", min_price_minor=1050, max_price_minor=2000, rounding_minor=50)

    @pytest.mark.parametrize("rate", [-1, 10_001])
    def test_vat_is_between_0_and_100_percent(self, rate: int) -> None:
        with pytest.raises(InvalidInput, match="VAT rate"):
            Tariff("Std", vat_rate_bp=rate)

    @pytest.mark.parametrize("currency", ["sek", "SE", "SEKK", "", "S3K"])
    def test_the_currency_is_a_three_letter_upper_case_code(self, currency: str) -> None:
        with pytest.raises(InvalidInput, match="three-letter ISO 4217 code"):
            Tariff("Std", currency=currency)

    def test_the_rounding_step_is_at_least_one_minor_unit(self) -> None:
        with pytest.raises(InvalidInput, match=r"rounding step .* at least 1"):
            Tariff("Std", rounding_minor=0)

    def test_an_unknown_rounding_mode_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="rounding mode is one of half_up, up"):
            Tariff("Std", rounding_mode="down")  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["", "   ", "x" * 61])
    def test_a_tariff_name_is_1_to_60_characters(self, name: str) -> None:
        with pytest.raises(InvalidInput, match="tariff"):
            Tariff(name)

    def test_plan_terms_refuse_negative_allowance_and_discounts_above_100_percent(self) -> None:
        with pytest.raises(InvalidInput, match="included energy left"):
            PlanTerms(included_wh_remaining=-1)
        with pytest.raises(InvalidInput, match="plan discount"):
            PlanTerms(discount_bp=10_001)
        with pytest.raises(InvalidInput, match="plan price per kWh cannot be negative"):
            PlanTerms(price_per_kwh_minor=-5)


class TestBands:
    def test_a_band_needs_a_weekday_and_a_price_of_its_own(self) -> None:
        with pytest.raises(InvalidInput, match="band 'Peak' needs at least one weekday"):
            band(days=frozenset())
        with pytest.raises(InvalidInput, match="sets neither an energy price nor a price per"):
            band(energy=None, per_minute=None)

    def test_weekdays_run_from_0_monday_to_6_sunday(self) -> None:
        with pytest.raises(InvalidInput, match=r"weekday of band 'Peak'.* at most 6"):
            band(days=frozenset({7}))

    def test_band_times_are_whole_local_minutes(self) -> None:
        with pytest.raises(InvalidInput, match="whole minute, not 07:00:30"):
            band(start=time(7, 0, 30))
        with pytest.raises(InvalidInput, match="local time of day without a time zone"):
            band(end=time(9, tzinfo=UTC))

    def test_a_band_ending_before_it_starts_runs_past_midnight(self) -> None:
        night = band("Night", start=time(22), end=time(6))
        assert night.length_minutes == 8 * 60
        assert night.describe() == "Night, Mon–Fri 22:00–06:00"

    def test_a_band_ending_when_it_starts_lasts_all_day(self) -> None:
        assert band("Weekend", WEEKEND, time(0), time(0)).describe() == "Weekend, Sat, Sun all day"
        assert band(start=time(6), end=time(6)).length_minutes == 24 * 60

    def test_bands_on_the_same_hours_of_different_days_do_not_overlap(self) -> None:
        Tariff("Std", bands=(band("Weekday"), band("Weekend", WEEKEND)))

    def test_a_band_may_start_the_minute_another_ends(self) -> None:
        Tariff("Std", bands=(band("Morning"), band("Day", start=time(9), end=time(17))))

    def test_overlapping_bands_are_refused_naming_both_and_where(self) -> None:
        with pytest.raises(
            InvalidInput, match="bands 'Peak' and 'Shoulder' overlap on Mon at 08:00"
        ):
            Tariff("Std", bands=(band("Peak"), band("Shoulder", start=time(8), end=time(10))))

    def test_a_band_past_midnight_overlaps_the_next_mornings_band(self) -> None:
        night = band("Night", frozenset({0}), time(22), time(6))
        early = band("Early", frozenset({1}), time(5), time(7))
        with pytest.raises(InvalidInput, match="'Night' and 'Early' overlap on Tue at 05:00"):
            Tariff("Std", bands=(night, early))
        Tariff("Std", bands=(night, band("Early", frozenset({1}), time(6), time(7))))

    def test_a_sunday_night_band_runs_into_monday_morning(self) -> None:
        sunday_night = band("Sunday night", frozenset({6}), time(23), time(2))
        monday = band("Monday", frozenset({0}), time(1), time(3))
        message = "'Sunday night' and 'Monday' overlap on Mon at 01:00"
        with pytest.raises(InvalidInput, match=message):
            Tariff("Std", bands=(monday, sunday_night))

    def test_two_bands_with_one_name_are_refused(self) -> None:
        with pytest.raises(InvalidInput, match="two bands are named 'Peak'"):
            Tariff("Std", bands=(band(), band(days=WEEKEND)))


class TestSnapshot:
    def test_a_tariff_survives_json_and_back_unchanged(self) -> None:
        tariff = full_tariff()
        text = json.dumps(tariff.to_dict())
        assert Tariff.from_dict(json.loads(text)) == tariff
        assert json.loads(text)["v"] == 1

    def test_plan_terms_survive_json_and_back_unchanged(self) -> None:
        plan = PlanTerms(included_wh_remaining=50_000, price_per_kwh_minor=199, discount_bp=1000)
        assert PlanTerms.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan

    def test_a_snapshot_with_only_version_and_name_gets_the_defaults(self) -> None:
        assert Tariff.from_dict({"v": 1, "name": "Free"}) == Tariff("Free")

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"v": 2}, "schema version 2 is not one this version reads"),
            ({"v": True}, "schema version True"),
            ({"energy_per_kwh_minor": "3.45"}, "kwh_minor must be a whole number, not '3\\.45'"),
            ({"energy_per_kwh_minor": 3.45}, "kwh_minor must be a whole number, not 3\\.45"),
            ({"start_fee_minor": -100}, "start fee cannot be negative"),
            ({"price_per_kwh": 345}, "unknown field 'price_per_kwh'"),
            ({"bands": {}}, "bands are a list"),
            ({"rounding_mode": "down"}, "rounding mode is one of half_up, up, not 'down'"),
            ({"currency": "kr"}, "three-letter ISO 4217 code such as SEK, not 'kr'"),
        ],
    )
    def test_a_bad_snapshot_is_refused_saying_what_is_wrong(
        self, change: dict[str, object], message: str
    ) -> None:
        data = full_tariff().to_dict() | change
        with pytest.raises(InvalidInput, match=f"^bad tariff snapshot: .*{message}"):
            Tariff.from_dict(data)

    @pytest.mark.parametrize(
        ("band_change", "message"),
        [
            ({"start": "7:00"}, "written HH:MM"),
            ({"end": "24:00"}, "written HH:MM"),
            ({"weekdays": "Mon"}, "weekdays of a band are a list of 0–6"),
            ({"weekdays": [0, "1"]}, "weekdays of a band are a list of 0–6"),
            ({"colour": "red"}, "a band has an unknown field 'colour'"),
            ({"start": "21:00", "end": "23:00"}, "'Peak' and 'Night' overlap on Mon at 22:00"),
        ],
    )
    def test_a_bad_band_in_a_snapshot_is_refused(
        self, band_change: dict[str, object], message: str
    ) -> None:
        data = full_tariff().to_dict()
        bands = data["bands"]
        assert isinstance(bands, list)
        data["bands"] = [bands[0] | band_change, *bands[1:]]
        with pytest.raises(InvalidInput, match=message):
            Tariff.from_dict(data)

    @pytest.mark.parametrize("data", [None, [], "tariff", {"name": "No version"}])
    def test_something_that_is_not_a_snapshot_is_refused(self, data: object) -> None:
        with pytest.raises(InvalidInput, match=r"^bad tariff snapshot: a tariff snapshot"):
            Tariff.from_dict(data)

    def test_a_plan_snapshot_with_a_bad_discount_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match=r"^bad plan snapshot: the plan discount"):
            PlanTerms.from_dict({"v": 1, "discount_bp": 20_000})


class TestRoundingAndText:
    @pytest.mark.parametrize(
        ("amount", "step", "mode", "rounded"),
        [
            (1049, 100, RoundingMode.HALF_UP, 1000),
            (1050, 100, RoundingMode.HALF_UP, 1100),
            (1001, 100, RoundingMode.UP, 1100),
            (1000, 100, RoundingMode.UP, 1000),
            (1024, 50, RoundingMode.HALF_UP, 1000),
            (1025, 50, RoundingMode.HALF_UP, 1050),
            (1234, 1, RoundingMode.UP, 1234),
        ],
    )
    def test_rounding_modes(self, amount: int, step: int, mode: RoundingMode, rounded: int) -> None:
        assert mode.apply(amount, step) == rounded

    def test_money_reads_in_the_currencys_own_minor_unit(self) -> None:
        assert format_money(345, "SEK") == "3.45 SEK"
        assert format_money(-5, "EUR") == "-0.05 EUR"
        assert format_money(1500, "ISK") == "1500 ISK"
        assert format_money(1500, "KWD") == "1.500 KWD"

    def test_weekdays_and_percentages_read_as_people_write_them(self) -> None:
        assert describe_weekdays(frozenset(range(7))) == "every day"
        assert describe_weekdays(frozenset({0, 2, 3, 4, 6})) == "Mon, Wed–Fri, Sun"
        assert format_basis_points(1250) == "12.5 %"
        assert format_basis_points(2500) == "25 %"
