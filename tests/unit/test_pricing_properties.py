"""Properties every session price keeps, for generated tariffs, plans and meter series."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.pricing import price_session
from app.domain.session_price import LineKind, SessionPrice
from app.domain.tariffs import PlanTerms, RoundingMode, Tariff, TariffBand

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FAST = settings(max_examples=150, deadline=None)
# Evenings before the 2026 DST changes in Stockholm, and an ordinary Friday evening.
STARTS = [
    datetime(2026, 3, 28, 22, tzinfo=UTC),
    datetime(2026, 10, 24, 22, tzinfo=UTC),
    datetime(2026, 11, 27, 20, tzinfo=UTC),
]

weekdays = st.frozensets(st.integers(0, 6), min_size=1)
optional_price = st.none() | st.integers(0, 1_000)


@st.composite
def bands(draw: st.DrawFn) -> tuple[TariffBand, ...]:
    """Up to three bands in disjoint parts of the day, the last one possibly past midnight."""
    count = draw(st.integers(0, 3))
    if count == 0:
        return ()
    if count == 1 and draw(st.booleans()):
        start = time(draw(st.integers(0, 23)))
        return (TariffBand("All day", draw(weekdays), start, start, draw(optional_price), 5),)
    edges = sorted(
        draw(st.sets(st.integers(0, 24 * 4 - 1), min_size=2 * count, max_size=2 * count))
    )
    if draw(st.booleans()):  # Shift by one edge: the last band wraps midnight.
        edges = [*edges[1:], edges[0]]
    made = []
    for number in range(count):
        begin, end = edges[2 * number], edges[2 * number + 1]
        energy = draw(optional_price)
        per_minute = draw(st.integers(0, 50)) if energy is None else draw(optional_price)
        made.append(
            TariffBand(
                f"Band {number}",
                draw(weekdays),
                time(begin // 4, begin % 4 * 15),
                time(end // 4, end % 4 * 15),
                energy,
                per_minute,
            )
        )
    return tuple(made)


@st.composite
def tariffs(draw: st.DrawFn) -> Tariff:
    step = draw(st.sampled_from([1, 10, 50, 100]))
    low = draw(st.none() | st.integers(0, 50))
    high = draw(st.none() | st.integers(low or 0, 500))
    return Tariff(
        "Generated",
        energy_per_kwh_minor=draw(st.integers(0, 1_000)),
        time_per_minute_minor=draw(st.integers(0, 50)),
        idle_per_minute_minor=draw(st.integers(0, 500)),
        idle_grace_minutes=draw(st.integers(0, 30)),
        idle_cap_minor=draw(st.none() | st.integers(0, 20_000)),
        start_fee_minor=draw(st.integers(0, 1_000)),
        min_price_minor=None if low is None else low * step,
        max_price_minor=None if high is None else high * step,
        bands=draw(bands()),
        vat_rate_bp=draw(st.sampled_from([0, 600, 1200, 2500])),
        rounding_minor=step,
        rounding_mode=draw(st.sampled_from(RoundingMode)),
    )


plans = st.none() | st.builds(
    PlanTerms,
    included_wh_remaining=st.integers(0, 20_000),
    price_per_kwh_minor=optional_price,
    discount_bp=st.integers(0, 10_000),
)


@st.composite
def sessions(
    draw: st.DrawFn, *, resets: bool = True, whole_wh: bool = False
) -> tuple[datetime, int, list[tuple[datetime, float]], datetime, int]:
    """(start, start Wh, readings, stop, stop Wh): steps up, pauses and meter resets."""
    start = draw(st.sampled_from(STARTS)) + timedelta(minutes=draw(st.integers(0, 6 * 60)))
    start_wh = draw(st.integers(0, 100_000))
    value = float(start_wh)
    moment, readings = start, []
    for _ in range(draw(st.integers(0, 25))):
        moment += timedelta(seconds=draw(st.integers(1, 3_600)))
        if resets and draw(st.integers(0, 9)) == 0:
            value = float(draw(st.integers(0, 500)))
        elif whole_wh:
            value += draw(st.integers(0, 4_000))
        else:
            value += draw(st.integers(0, 40_000)) / 10
        readings.append((moment, value))
    stop = moment + timedelta(seconds=draw(st.integers(0, 7_200)))
    return start, start_wh, readings, stop, round(value)


def final_price(
    tariff: Tariff,
    session: tuple[datetime, int, list[tuple[datetime, float]], datetime, int],
    plan: PlanTerms | None,
) -> SessionPrice:
    start, start_wh, readings, stop, stop_wh = session
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


@FAST
@given(tariffs(), sessions(), plans)
def test_a_price_is_the_sum_of_its_lines_never_negative_and_vat_plus_net(
    tariff: Tariff,
    session: tuple[datetime, int, list[tuple[datetime, float]], datetime, int],
    plan: PlanTerms | None,
) -> None:
    price = final_price(tariff, session, plan)
    assert price.total_minor == sum(line.amount_minor for line in price.lines)
    assert price.total_minor >= 0
    assert price.vat_minor + price.net_minor == price.total_minor
    assert 0 <= price.vat_minor <= price.total_minor
    if tariff.max_price_minor is not None:
        assert price.total_minor <= tariff.max_price_minor
    if price.energy_wh and tariff.min_price_minor is not None:
        assert price.total_minor >= tariff.min_price_minor
    assert price.total_minor % tariff.rounding_minor == 0
    kinds = [(line.kind, line.band) for line in price.lines]
    assert len(kinds) == len(set(kinds)), "one line per kind and band"


@FAST
@given(tariffs(), sessions(), plans, st.randoms(use_true_random=False))
def test_the_price_does_not_depend_on_the_order_readings_arrive_in(
    tariff: Tariff,
    session: tuple[datetime, int, list[tuple[datetime, float]], datetime, int],
    plan: PlanTerms | None,
    shuffler: random.Random,
) -> None:
    start, start_wh, readings, stop, stop_wh = session
    shuffled = list(readings)
    shuffler.shuffle(shuffled)
    price = final_price(tariff, session, plan)
    assert final_price(tariff, (start, start_wh, shuffled, stop, stop_wh), plan) == price
    assert final_price(tariff, session, plan) == price


@FAST
@given(tariffs(), sessions(resets=False, whole_wh=True), plans, st.data())
def test_more_energy_with_the_same_timing_never_costs_less(
    tariff: Tariff,
    session: tuple[datetime, int, list[tuple[datetime, float]], datetime, int],
    plan: PlanTerms | None,
    data: st.DataObject,
) -> None:
    """Holds for whole-Wh meter values; see `PlanTerms` on how fractions of a Wh are used.

    Only steps that already went up get more energy: turning a pause into charging
    moves the end of charging, which trades idle fee for charging time.
    """
    start, start_wh, readings, stop, stop_wh = session
    points = [(start, float(start_wh)), *readings, (stop, float(stop_wh))]
    more, extra = [], 0.0
    for (_, before), (moment, after) in pairwise(points):
        if after > before:
            extra += data.draw(st.integers(0, 2_000))
        more.append((moment, after + extra))
    richer = (start, start_wh, more[:-1], stop, round(more[-1][1]))
    assert (
        final_price(tariff, richer, plan).total_minor
        >= final_price(tariff, session, plan).total_minor
    )


@FAST
@given(tariffs(), sessions(whole_wh=True), plans, st.data())
def test_a_live_price_is_what_stopping_now_at_the_last_reading_would_cost(
    tariff: Tariff,
    session: tuple[datetime, int, list[tuple[datetime, float]], datetime, int],
    plan: PlanTerms | None,
    data: st.DataObject,
) -> None:
    start, start_wh, readings, stop, _ = session
    now = start + (stop - start) * data.draw(st.floats(0, 1))
    live = price_session(
        tariff,
        zone=STOCKHOLM,
        started_at=start,
        meter_start_wh=start_wh,
        readings=readings,
        now=now,
        plan=plan,
    )
    so_far = [(moment, wh) for moment, wh in readings if moment <= now]
    last_wh = max((wh for moment, wh in so_far if moment == so_far[-1][0]), default=None)
    stopped = final_price(
        tariff,
        (start, start_wh, so_far, now, start_wh if last_wh is None else round(last_wh)),
        plan,
    )
    assert not live.final
    if stopped.energy_wh:
        assert replace(live, final=True) == stopped
    else:
        assert live.total_minor == stopped.total_minor == 0
        assert [line.kind for line in live.lines] == [LineKind.NOTE]


@settings(max_examples=100, deadline=None)
@given(tariffs(), sessions(), plans)
def test_tariffs_and_prices_survive_json_unchanged(
    tariff: Tariff,
    session: tuple[datetime, int, list[tuple[datetime, float]], datetime, int],
    plan: PlanTerms | None,
) -> None:
    assert Tariff.from_dict(json.loads(json.dumps(tariff.to_dict()))) == tariff
    price = final_price(tariff, session, plan)
    assert SessionPrice.from_dict(json.loads(json.dumps(price.to_dict()))) == price
