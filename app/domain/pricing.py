"""The price of a charging session: a pure function of its meter data and tariff snapshot.

How meter data becomes energy and time (the rules callers can rely on):

- The meter series is the start value at `started_at`, the energy register readings
  within [started_at, end] and, for a stopped session, the stop value at
  `stopped_at`; end is `stopped_at`, or `now` for a live price. Readings outside it
  are ignored, as are readings that are not finite numbers. Readings may come in any
  order; at a repeated timestamp (the start and stop values included) the higher
  value counts. Values are taken to the milliwatt-hour.
- Energy between two consecutive points is spread evenly over the time between them
  and priced in the band each part falls in. With no readings in between, the energy
  is spread evenly over the whole session.
- A register that goes down (a meter reset or a replaced meter) delivered nothing in
  that step; counting resumes from the lower value, so the energy delivered between
  the last reading before the drop and the reset is lost to the price.
- Charging time is the time between consecutive points where the register went up;
  a pause in the middle of a session is neither charging nor idle. Idle time runs
  from the last point where the register went up to the end.
- A live price is the price the session would have if it stopped at `now` with the
  register at its last reading: the time since the last reading counts as idle
  (within the grace period this costs nothing), and it becomes charging time once a
  higher reading arrives.
- A plan's included energy is used first, in time order (so it covers the bands
  the session charged in first), in whole Wh; a plan price per kWh replaces the
  energy price in every band; a plan discount applies to the energy and time lines.
- A session that delivered no energy costs nothing: no start fee, no minimum, no
  idle fee, one NOTE line of amount 0.

How amounts are made: each line is rounded half-up to a whole minor unit from exact
energy and time; a plan discount is taken off the energy and time lines; the minimum
and maximum apply to the sum of the lines; the tariff's rounding rule applies to the
result, as a ROUNDING line. So `total_minor == sum(line amounts)`, and the total is
never negative. Prices include VAT; `vat_minor` is the VAT the total contains.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from fractions import Fraction
from itertools import pairwise
from typing import NamedTuple

from app.domain.errors import InvalidInput
from app.domain.price_lines import MWH_PER_KWH, MWH_PER_WH, Energy, PriceLines, half_up
from app.domain.session_price import LineKind, PriceLine, SessionPrice, vat_included
from app.domain.tariff_bands import (
    EPOCH,
    MICROSECOND,
    US_PER_MINUTE,
    US_PER_SECOND,
    BandSegment,
    band_segments,
    from_us,
    to_us,
)
from app.domain.tariffs import PlanTerms, Tariff


class Reading(NamedTuple):
    """One Energy.Active.Import.Register sample (any `(datetime, float)` pair will do)."""

    at: datetime
    wh: float


def price_session(
    tariff: Tariff,
    *,
    zone: tzinfo,
    started_at: datetime,
    meter_start_wh: int,
    readings: Iterable[tuple[datetime, float]] = (),
    stopped_at: datetime | None = None,
    meter_stop_wh: int | None = None,
    now: datetime | None = None,
    plan: PlanTerms | None = None,
) -> SessionPrice:
    """The final price of a stopped session, or the live price of a running one at `now`.

    A stopped session gives both `stopped_at` and `meter_stop_wh` (then `now` is not
    used); a running one gives neither, and `now`. `zone` is the site's time zone, in
    which the tariff's bands are read. Datetimes must be timezone-aware.
    """
    start_us = to_us(started_at, "the session start")
    if (stopped_at is None) != (meter_stop_wh is None):
        raise InvalidInput("a stopped session needs both its stop time and its stop meter value")
    if stopped_at is not None:
        end_us = to_us(stopped_at, "the session stop")
        if end_us < start_us:
            raise InvalidInput(
                f"the session stops ({stopped_at.isoformat()}) before it starts "
                f"({started_at.isoformat()})"
            )
    elif now is None:
        raise InvalidInput("a live price of a running session needs the time now")
    else:
        # A station clock slightly ahead can put the start after now: nothing yet.
        end_us = max(start_us, to_us(now, "now"))
    values = {start_us: _to_mwh(meter_start_wh, "the start meter value")}
    if meter_stop_wh is not None:
        _keep_higher(values, end_us, _to_mwh(meter_stop_wh, "the stop meter value"))
    # The hot loop of a live price: kept inline.
    known = values.get
    for at, wh in readings:
        try:
            moment = (at - EPOCH) // MICROSECOND
        except TypeError:
            raise InvalidInput(
                f"a meter reading's time must be a timezone-aware datetime, not {at!r}"
            ) from None
        if start_us <= moment <= end_us and math.isfinite(wh):
            mwh = round(wh * MWH_PER_WH)
            if known(moment, mwh) <= mwh:
                values[moment] = mwh
    points = sorted(values.items())
    return _price(tariff, zone, points, end_us, final=stopped_at is not None, plan=plan)


def describe_hypothetical(
    tariff: Tariff,
    start: datetime,
    minutes: int,
    kwh: float,
    zone: tzinfo,
    plan: PlanTerms | None = None,
) -> SessionPrice:
    """The final price of a session charging at constant power from `start` for `minutes`.

    For the Tariffs screen's calculator. A naive `start` is a wall-clock time in
    `zone`; `minutes` are real elapsed minutes (across a DST change too).
    """
    if type(minutes) is not int or minutes < 0:
        raise InvalidInput(f"the duration is a whole number of minutes, not {minutes!r}")
    if not math.isfinite(kwh) or kwh < 0:
        raise InvalidInput(f"the energy cannot be negative: {kwh!r} kWh")
    if start.utcoffset() is None:
        start = start.replace(tzinfo=zone)
    start_us = to_us(start)
    end_us = start_us + minutes * US_PER_MINUTE
    points = [(start_us, 0)]
    if minutes:
        points.append((end_us, round(kwh * MWH_PER_KWH)))
    return _price(tariff, zone, points, end_us, final=True, plan=plan)


def _to_mwh(wh: float, what: str) -> int:
    if not math.isfinite(wh):
        raise InvalidInput(f"{what} must be a number of Wh, not {wh!r}")
    return round(wh * MWH_PER_WH)


def _keep_higher(values: dict[int, int], moment: int, mwh: int) -> None:
    if values.get(moment, mwh) <= mwh:
        values[moment] = mwh


@dataclass(slots=True)
class _Usage:
    """Energy (mWh) and charging time (µs) per price key: a band number, or None for base."""

    energy: dict[int | None, Energy]
    charging_us: dict[int | None, int]
    total_mwh: int
    last_rise_us: int
    included_mwh: int


def _usage(
    tariff: Tariff, zone: tzinfo, points: list[tuple[int, int]], plan: PlanTerms | None
) -> _Usage | None:
    rises = []
    total = 0
    for (begin, before), (end, after) in pairwise(points):
        if after > before:
            rises.append((begin, end, after - before))
            total += after - before
    if not rises:
        return None
    # The allowance is used in whole Wh, so included_wh_used is exact.
    included = 0 if plan is None else min(plan.included_wh_remaining, total // MWH_PER_WH)
    allowance: Energy = included * MWH_PER_WH
    bands = tariff.bands
    plan_price = plan is not None and plan.price_per_kwh_minor is not None
    energy_keys = [
        None if plan_price or band.energy_per_kwh_minor is None else number
        for number, band in enumerate(bands)
    ]
    time_keys = [
        None if band.time_per_minute_minor is None else number for number, band in enumerate(bands)
    ]
    first, last = rises[0][0], rises[-1][1]
    regions = _regions(band_segments(bands, zone, first, last), last)
    energy: dict[int | None, Energy] = {}
    charging: dict[int | None, int] = {}

    def add(band: int | None, delivered: Energy, length: int) -> None:
        nonlocal allowance
        if allowance:
            taken = min(allowance, delivered)
            allowance -= taken
            delivered -= taken
        energy_key = None if band is None else energy_keys[band]
        time_key = None if band is None else time_keys[band]
        energy[energy_key] = energy.get(energy_key, 0) + delivered
        charging[time_key] = charging.get(time_key, 0) + length

    # Rises and regions are both in time order: one pass, summing whole rises inside a
    # region, splitting (exactly, by time) only the few that straddle a band edge.
    region = 0
    region_end, band = regions[0]
    # Whole rises add up as ints; only pieces of split rises are Fractions (kept apart,
    # as int + Fraction on every rise would cost more than the rest of the walk).
    summed, split, summed_us = 0, Fraction(0), 0
    for begin, end, delivered in rises:
        if end <= region_end:
            summed += delivered
            summed_us += end - begin
            continue
        cursor = begin
        while True:
            piece_end = min(end, region_end)
            if piece_end > cursor:
                split += Fraction(delivered * (piece_end - cursor), end - begin)
                summed_us += piece_end - cursor
            if end <= region_end:
                break
            if summed_us:
                add(band, summed + split, summed_us)
            summed, split, summed_us = 0, Fraction(0), 0
            region += 1
            region_end, band = regions[region]
            cursor = max(cursor, piece_end)
    add(band, summed + split, summed_us)
    return _Usage(energy, charging, total, rises[-1][1], included)


def _regions(segments: list[BandSegment], last_us: int) -> list[tuple[int, int | None]]:
    """(end, band) of consecutive stretches up to `last_us`, None for the base prices."""
    regions: list[tuple[int, int | None]] = []
    for segment in segments:
        regions += [(segment.begin_us, None), (segment.end_us, segment.band)]
    regions.append((last_us, None))
    return regions


def _price(
    tariff: Tariff,
    zone: tzinfo,
    points: list[tuple[int, int]],
    end_us: int,
    *,
    final: bool,
    plan: PlanTerms | None,
) -> SessionPrice:
    usage = _usage(tariff, zone, points, plan)
    if usage is None:
        note = "No energy delivered: nothing to pay" if final else "No energy delivered yet"
        return SessionPrice(
            lines=(PriceLine(LineKind.NOTE, note, 0),),
            total_minor=0,
            vat_minor=0,
            net_minor=0,
            vat_rate_bp=tariff.vat_rate_bp,
            currency=tariff.currency,
            energy_wh=0.0,
            charging_seconds=0,
            idle_seconds=0,
            included_wh_used=0,
            final=final,
            as_of=from_us(end_us),
        )
    lines = PriceLines(tariff, plan)
    lines.start_fee()
    lines.included(usage.included_mwh)
    lines.energy(usage.energy)
    lines.charging_time(usage.charging_us)
    idle_us = end_us - usage.last_rise_us
    lines.idle(idle_us)
    lines.discount()
    lines.limits()
    lines.rounding()
    total = sum(line.amount_minor for line in lines.lines)
    vat = vat_included(total, tariff.vat_rate_bp)
    return SessionPrice(
        lines=tuple(lines.lines),
        total_minor=total,
        vat_minor=vat,
        net_minor=total - vat,
        vat_rate_bp=tariff.vat_rate_bp,
        currency=tariff.currency,
        energy_wh=usage.total_mwh / MWH_PER_WH,
        charging_seconds=_seconds(sum(usage.charging_us.values())),
        idle_seconds=_seconds(idle_us),
        included_wh_used=usage.included_mwh,
        final=final,
        as_of=from_us(end_us),
    )


def _seconds(us: int) -> int:
    return half_up(Fraction(us, US_PER_SECOND))
