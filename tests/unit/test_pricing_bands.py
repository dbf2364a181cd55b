"""Session prices in tariff bands: boundaries, midnight, weekdays and DST at a Stockholm site."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from app.domain.pricing import price_session
from app.domain.session_price import LineKind
from app.domain.tariffs import Tariff, TariffBand
from tests.unit.test_pricing import MONDAY, PEAK, WEEKDAYS, amounts, local, priced

E, T = LineKind.ENERGY, LineKind.TIME


class TestBands:
    def test_a_session_crossing_into_the_evening_band_pays_the_evening_price_after_17(
        self,
    ) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(PEAK,))
        readings = [(local(MONDAY, 16, 30), 5_000.0), (local(MONDAY, 17, 30), 15_000.0)]
        price = priced(tariff, local(MONDAY, 16), local(MONDAY, 18), 0, 20_000, readings)
        assert amounts(price) == [(E, None, 10 * 345), (E, "Peak", 10 * 550)]
        assert price.lines[1].label == "Energy 10.000 kWh × 5.50 SEK (Peak, Mon–Fri 17:00–20:00)"

    def test_without_readings_the_energy_is_spread_evenly_over_the_session(self) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(PEAK,))
        price = priced(tariff, local(MONDAY, 16, 40), local(MONDAY, 17, 20), 0, 8_000)
        assert amounts(price) == [(E, None, 4 * 345), (E, "Peak", 4 * 550)]

    def test_the_same_hours_on_a_weekend_are_not_the_weekday_band(self) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(PEAK,))
        price = priced(tariff, local(29, 16, 40), local(29, 17, 20), 0, 8_000)
        assert amounts(price) == [(E, None, 8 * 345)]

    def test_a_session_over_midnight_into_saturday_pays_the_weekend_price_after_midnight(
        self,
    ) -> None:
        weekend = TariffBand("Weekend", frozenset({5, 6}), time(0), time(0), 200)
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(weekend,))
        price = priced(tariff, local(27, 23), local(28, 1), 0, 12_000)
        assert amounts(price) == [(E, None, 6 * 345), (E, "Weekend", 6 * 200)]

    def test_a_night_band_from_friday_22_runs_until_saturday_6(self) -> None:
        night = TariffBand("Night", WEEKDAYS, time(22), time(6), 150)
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(night,))
        # 2 kWh an hour from Friday 21:00 to Saturday 07:00.
        price = priced(tariff, local(27, 21), local(28, 7), 0, 20_000)
        assert amounts(price) == [(E, None, 4 * 345), (E, "Night", 16 * 150)]

    def test_a_weekday_night_band_does_not_cover_the_small_hours_after_sunday(self) -> None:
        night = TariffBand("Night", WEEKDAYS, time(22), time(6), 150)
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(night,))
        price = priced(tariff, local(29, 23), local(30, 1), 0, 4_000)
        assert amounts(price) == [(E, None, 4 * 345)]

    def test_charging_time_is_priced_in_the_band_each_second_falls_in(self) -> None:
        evening = TariffBand("Evening", WEEKDAYS, time(17), time(20), time_per_minute_minor=20)
        tariff = Tariff("Std", time_per_minute_minor=5, bands=(evening,))
        price = priced(tariff, local(MONDAY, 16, 30), local(MONDAY, 17, 15), 0, 9_000)
        assert amounts(price) == [(E, None, 0), (T, None, 30 * 5), (T, "Evening", 15 * 20)]

    def test_on_the_spring_forward_night_a_band_in_the_missing_hour_never_applies(
        self,
    ) -> None:
        small_hours = TariffBand("Small hours", frozenset(range(7)), time(2), time(3), 100)
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(small_hours,))
        # 00:30 to 04:30 on the wall clock is three real hours on 2026-03-29.
        price = priced(tariff, local(29, 0, 30, month=3), local(29, 4, 30, month=3), 0, 3_000)
        assert amounts(price) == [(E, None, 3 * 345)]
        assert price.charging_seconds == 3 * 3600

    def test_on_the_spring_forward_night_a_band_around_the_jump_is_an_hour_shorter(
        self,
    ) -> None:
        band = TariffBand("Cheap", frozenset(range(7)), time(2, 30), time(4), 100)
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(band,))
        price = priced(tariff, local(29, 0, 30, month=3), local(29, 4, 30, month=3), 0, 3_000)
        # 03:00 to 04:00 summer time: one real hour of the three.
        assert amounts(price) == [(E, None, 2 * 345), (E, "Cheap", 1 * 100)]

    def test_on_the_fall_back_night_the_repeated_hour_is_paid_for_each_real_minute(
        self,
    ) -> None:
        band = TariffBand("Small hours", frozenset(range(7)), time(2), time(3), 100, 10)
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(band,))
        start = datetime(2026, 10, 24, 23, tzinfo=UTC)  # 01:00 summer time on the 25th
        stop = datetime(2026, 10, 25, 3, tzinfo=UTC)  # 04:00 winter time
        price = priced(tariff, start, stop, 0, 4_000)
        # 02:00–03:00 happens twice: two real hours of the four.
        assert amounts(price) == [
            (E, None, 2 * 345),
            (E, "Small hours", 2 * 100),
            (T, "Small hours", 120 * 10),
        ]

    def test_bands_follow_the_sites_time_zone(self) -> None:
        tariff = Tariff("Std", energy_per_kwh_minor=345, bands=(PEAK,))
        start = datetime(2026, 11, MONDAY, 16, tzinfo=UTC)  # 17:00 in Stockholm
        in_utc = price_session(
            tariff,
            zone=UTC,
            started_at=start,
            meter_start_wh=0,
            stopped_at=start + timedelta(hours=1),
            meter_stop_wh=1_000,
        )
        in_stockholm = priced(tariff, start, start + timedelta(hours=1), 0, 1_000)
        assert (in_utc.total_minor, in_stockholm.total_minor) == (345, 550)
