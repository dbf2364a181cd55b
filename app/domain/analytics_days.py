"""Per-connector, per-local-day summaries: what a year report reads instead of every
status report (issue 7, speed).

Housekeeping folds a station's facts over a range of whole local days with the same
timeline the reports use (app/domain/analytics_usage.py), then cuts it at every local
midnight. A day of one connector keeps its charging, idle, observed and usable
seconds, its occupied seconds per local hour (a fall-back day's 02–03 holds two
hours, a spring-forward day's holds none, as in the heat map), a mask of the hours it
was occupied at all, its occupied stretches, its Faulted/Unavailable runs and its
peak power. A day of a station keeps its offline pieces and the authorisations that
may have been turned away.

Summing days gives the report's figures: seconds add, peaks take the maximum, runs
and outages cut at midnight join again where they touch (as the report's own fold
joins them). Saturation needs every connector's stretches only on days where some
hour had every connector occupied, which the masks say. Sums of seconds are added
in another order than a report over raw facts does, so a float may differ in its
last bits (never on facts with whole-millisecond times within a day's 86,400 s,
whose sums are exact).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from app.domain.analytics import (
    HOURS,
    ConnectorRef,
    HourGrid,
    LinkChange,
    PowerPeak,
    ReportPeriod,
    SiteFacts,
    epoch,
)
from app.domain.analytics_demand import full_spells
from app.domain.analytics_usage import (
    Segment,
    occupied_intervals,
    offline_outages,
    outage_runs,
    time_in_states,
    timelines,
)

# An Authorize followed within this by a session of its tag at the same station is
# never counted as turned away (reports with a shorter start window read raw facts).
CANDIDATE_WINDOW_S = 120.0
# Without a session of its tag anywhere within this, an authorisation was turned away
# for any start window up to it, whatever stations a report covers.
SURE_HORIZON_S = 3600.0

Run = tuple[float, float, str, str]  # start, end, cause, error code


class ConnectorDay(NamedTuple):
    station_id: str
    connector_id: int
    day: date
    charging_s: float
    idle_s: float
    observed_s: float
    usable_s: float
    sessions: int  # started on the day
    revenue_minor: int  # their final prices
    priced: int  # how many had one
    hours: tuple[float, ...]  # occupied seconds per local hour 0 … 23
    busy: int  # bit h: occupied at some time in local hour h
    occupied: tuple[float, ...]  # occupied stretches, flat: a0, b0, a1, b1 …
    runs: tuple[Run, ...]
    peak_w: float | None


class StationDay(NamedTuple):
    station_id: str
    day: date
    offline: tuple[tuple[float, float], ...]
    # Authorisations that may have been turned away: no session of the tag at this
    # station within CANDIDATE_WINDOW_S, or in the day's last such window. With each,
    # the seconds to the next session of its tag at any station (None: none within
    # SURE_HORIZON_S), so that most need no look-up.
    authorised: tuple[tuple[float, str, float | None], ...]


class ConnectorTotals(NamedTuple):
    """A connector's summed days."""

    station_id: str
    connector_id: int
    charging_s: float
    idle_s: float
    observed_s: float
    usable_s: float
    peak_w: float | None
    sessions: int = 0
    revenue_minor: int = 0
    priced: int = 0


class ConnectorRuns(NamedTuple):
    station_id: str
    connector_id: int
    day: date
    runs: tuple[Run, ...]


class ScopeDay(NamedTuple):
    """A day of a set of connectors (a site's, or every one): occupied connector-seconds
    per local hour, the stretches every connector was occupied (flat a0, b0, …), and the
    highest 15-minute bucket of summed mean power (bucket number, W)."""

    day: date
    hours: tuple[float, ...]
    spells: tuple[float, ...]
    peak: tuple[int, float] | None = None


@dataclass(frozen=True, slots=True)
class Summarised:
    """The summarised part of a report: local days period.first … split - 1 day."""

    split: date
    connectors: tuple[ConnectorTotals, ...] = ()
    runs: tuple[ConnectorRuns, ...] = ()
    stations: tuple[StationDay, ...] = ()
    scope_days: tuple[ScopeDay, ...] = ()
    site_peak: PowerPeak | None = None


def scope_days(days: Iterable[ConnectorDay], refs: Sequence[ConnectorRef]) -> list[ScopeDay]:
    """Each day's heat-map hours and full spells of the connectors refs (days without a
    row for every connector have no full spell: one had no facts yet)."""
    members = set(refs)
    n = len(members)
    by_day: dict[date, list[ConnectorDay]] = defaultdict(list)
    for d in days:
        if ConnectorRef(d.station_id, d.connector_id) in members:
            by_day[d.day].append(d)
    out = []
    for day in sorted(by_day):
        rows = sorted(by_day[day])
        hours = tuple(sum(column, 0.0) for column in zip(*(d.hours for d in rows), strict=True))
        busy = -1
        for d in rows:
            busy &= d.busy
        spells: list[float] = []
        if n and len(rows) == n and busy:
            intervals = {
                ConnectorRef(d.station_id, d.connector_id): [
                    (d.occupied[i], d.occupied[i + 1], False) for i in range(0, len(d.occupied), 2)
                ]
                for d in rows
            }
            for a, b in full_spells(intervals, n):
                spells += [a, b]
        out.append(ScopeDay(day, hours, tuple(spells)))
    return out


def midnights(period: ReportPeriod) -> list[float]:
    """Epoch seconds of every local midnight from the first day to after the last."""
    return [
        epoch(period.midnight(period.first + timedelta(days=k))) for k in range(period.days + 1)
    ]


def day_of(bounds: Sequence[float], t: float) -> int:
    """The index of the day (bounds from midnights()) that t falls in."""
    return bisect.bisect_right(bounds, t) - 1


def cut_at_midnights(segments: Sequence[Segment], bounds: Sequence[float]) -> list[list[Segment]]:
    """Segments (covering bounds[0] … bounds[-1]) cut into one list per day."""
    per_day: list[list[Segment]] = [[] for _ in range(len(bounds) - 1)]
    k = 0
    for a, b, status, error, online in segments:
        while a < b:
            while bounds[k + 1] <= a:
                k += 1
            hi = min(b, bounds[k + 1])
            per_day[k].append((a, hi, status, error, online))
            a = hi
    return per_day


def _connector_day(
    station_id: str,
    connector_id: int,
    day: date,
    pieces: list[Segment],
    hours: list[float],
    peak: float | None,
    started: Sequence[int | None],
) -> ConnectorDay:
    """started: the final price (None: none) of each session started on the day."""
    charging, idle, observed, usable = time_in_states(pieces)
    stretches: list[float] = []
    for a, b, _charging in occupied_intervals(pieces):
        if stretches and stretches[-1] == a:
            stretches[-1] = b
        else:
            stretches += [a, b]
    busy = sum(1 << h for h, seconds in enumerate(hours) if seconds > 0)
    prices = [p for p in started if p is not None]
    return ConnectorDay(
        station_id, connector_id, day, charging, idle, observed, usable, len(started),
        sum(prices), len(prices), tuple(hours), busy, tuple(stretches),
        tuple(outage_runs(pieces)), peak,
    )  # fmt: skip


def summarise_days(
    facts: SiteFacts,
    period: ReportPeriod,
    peaks: Mapping[tuple[str, int, date], float],
    next_start: Callable[[str, float], float | None],
) -> tuple[list[ConnectorDay], list[StationDay]]:
    """Every connector-day and station-day of the period. facts as a report over the
    period reads them (statuses, links, sessions, authorisations); peaks per
    (station, connector, day); next_start(tag, t): when the tag's next session at any
    station started (at t or after), None if none did within SURE_HORIZON_S."""
    bounds = midnights(period)
    days = [period.first + timedelta(days=k) for k in range(period.days)]
    grid = HourGrid.of(period)
    keys = [day_of(bounds, grid.bounds[i]) * HOURS + grid.hours[i] for i in range(len(grid.hours))]
    started: dict[tuple[str, int, int], list[int | None]] = defaultdict(list)
    for s in facts.sessions:
        k = day_of(bounds, s.started_at)
        if 0 <= k < len(days):
            started[(s.station_id, s.connector_id, k)].append(s.revenue_minor)
    out: list[ConnectorDay] = []
    for ref, segments in timelines(facts, period).items():
        cells = [0.0] * (len(days) * HOURS)
        for a, b, _charging in occupied_intervals(segments):
            grid.add(cells, keys, a, b)
        for k, pieces in enumerate(cut_at_midnights(segments, bounds)):
            hours = cells[k * HOURS : (k + 1) * HOURS]
            peak = peaks.get((ref.station_id, ref.connector_id, days[k]))
            out.append(
                _connector_day(
                    ref.station_id, ref.connector_id, days[k], pieces, hours, peak,
                    started.get((ref.station_id, ref.connector_id, k), []),
                )
            )  # fmt: skip
    return out, _station_days(facts, days, bounds, next_start)


def _station_days(
    facts: SiteFacts,
    days: list[date],
    bounds: list[float],
    next_start: Callable[[str, float], float | None],
) -> list[StationDay]:
    links: dict[str, list[LinkChange]] = defaultdict(list)
    for link in sorted(facts.links, key=lambda x: x.at):
        links[link.station_id].append(link)
    starts: dict[tuple[str, str], list[float]] = defaultdict(list)
    for s in facts.sessions:
        starts[(s.station_id, s.id_tag)].append(s.started_at)
    for values in starts.values():
        values.sort()
    authorised: dict[tuple[str, int], list[tuple[float, str, float | None]]] = defaultdict(list)
    for auth in sorted(facts.authorisations, key=lambda x: x.at):
        k = day_of(bounds, auth.at)
        if not 0 <= k < len(days):
            continue
        tag_starts = starts.get((auth.station_id, auth.id_tag), [])
        i = bisect.bisect_left(tag_starts, auth.at)
        served = i < len(tag_starts) and tag_starts[i] <= auth.at + CANDIDATE_WINDOW_S
        if not served or auth.at >= bounds[k + 1] - CANDIDATE_WINDOW_S:
            following = next_start(auth.id_tag, auth.at)
            after = None if following is None else following - auth.at
            if after is not None and after > SURE_HORIZON_S:
                after = None
            authorised[(auth.station_id, k)].append((auth.at, auth.id_tag, after))
    out = []
    for station_id in sorted({ref.station_id for ref in facts.connectors}):
        changes = links.get(station_id, [])
        for k, day in enumerate(days):
            offline = (
                offline_outages(station_id, changes, bounds[k], bounds[k + 1]) if changes else []
            )
            pieces = tuple((epoch(o.started_at), epoch(o.ended_at)) for o in offline)
            out.append(
                StationDay(station_id, day, pieces, tuple(authorised.get((station_id, k), [])))
            )
    return out
