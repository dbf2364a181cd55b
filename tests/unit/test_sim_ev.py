import random

import pytest

from app.sim.ev import (
    TRICKLE_FRACTION,
    Vehicle,
    charge,
    current_per_phase,
    is_full,
    random_start_soc,
    random_vehicle,
)

CAR = Vehicle(battery_wh=60_000, max_ac_w=11_000, max_dc_w=150_000, phases=3)


def test_power_is_constant_up_to_the_taper_point() -> None:
    assert CAR.acceptance_w(0.1) == CAR.acceptance_w(0.5) == CAR.acceptance_w(0.8) == 11_000


def test_power_tapers_as_the_battery_fills() -> None:
    samples = [CAR.acceptance_w(soc / 100) for soc in range(80, 100)]
    assert samples == sorted(samples, reverse=True)
    assert samples[-1] < 0.1 * 11_000
    assert CAR.acceptance_w(0.999) == pytest.approx(11_000 * TRICKLE_FRACTION)
    assert CAR.acceptance_w(1.0) == 0


def test_dc_uses_the_dc_limit() -> None:
    assert CAR.acceptance_w(0.3, dc=True) == 150_000


def test_energy_integrates_monotonically_until_full() -> None:
    soc, delivered, last_power = 0.2, 0.0, float("inf")
    energies = []
    for _ in range(200):
        step = charge(CAR, soc, 300, limit_w=22_000)
        assert step.energy_wh >= 0
        assert step.soc >= soc
        delivered += step.energy_wh
        energies.append(delivered)
        if soc > 0.85:
            assert step.average_power_w <= last_power + 1e-6
        last_power = step.average_power_w
        soc = step.soc
    assert energies == sorted(energies)
    assert is_full(soc)
    assert delivered == pytest.approx(0.8 * CAR.battery_wh, rel=1e-6)


def test_constant_phase_energy_is_power_times_time() -> None:
    step = charge(CAR, 0.3, 3_600, limit_w=22_000)
    assert step.energy_wh == pytest.approx(11_000)
    assert step.average_power_w == pytest.approx(11_000)


def test_station_limit_caps_power() -> None:
    step = charge(CAR, 0.3, 3_600, limit_w=4_000)
    assert step.average_power_w == pytest.approx(4_000)
    assert charge(CAR, 0.3, 3_600, limit_w=0).energy_wh == 0


def test_full_battery_takes_nothing() -> None:
    step = charge(CAR, 1.0, 600, limit_w=11_000)
    assert step.energy_wh == 0
    assert step.soc == 1.0


def test_current_per_phase() -> None:
    assert current_per_phase(11_040, 3) == pytest.approx(16.0)
    assert current_per_phase(7_360, 1) == pytest.approx(32.0)


def test_random_vehicles_are_realistic_and_seeded() -> None:
    rng = random.Random(42)
    cars = [random_vehicle(rng) for _ in range(50)]
    assert all(20_000 <= car.battery_wh <= 100_000 for car in cars)
    assert all(3_700 <= car.max_ac_w <= 22_000 for car in cars)
    assert all(50_000 <= car.max_dc_w <= 250_000 for car in cars)
    assert all(0.05 <= random_start_soc(rng) <= 0.7 for _ in range(50))
    assert [random_vehicle(random.Random(7)) for _ in range(2)] == [
        random_vehicle(random.Random(7)) for _ in range(2)
    ]


def test_invalid_vehicle_is_refused() -> None:
    with pytest.raises(ValueError, match="phases"):
        Vehicle(battery_wh=1, max_ac_w=1, max_dc_w=1, phases=2)
