"""A report from day summaries (local days first … split - 1) plus raw facts for the
days from split on (today, or days housekeeping has not summarised yet or must redo).

Every figure is the one usage_report / demand_report give over raw facts: seconds
and heat-map cells add, peaks take the maximum, runs and offline outages cut at
midnight join again, saturation folds the occupied stretches of the days on which
every connector was occupied in some same hour (a full spell needs that) plus the
raw days, and the waiting and turned-away drivers are found by the same functions
over the sessions near the full spells' ends and the possibly-turned-away
authorisations. Sessions, revenue and energy come from the store's sums over the
period's sessions plus the sessions whose energy the period's bounds cut.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from app.domain.analytics import (
    HOURS,
    WEEKDAYS,
    Authorisation,
    ConnectorRef,
    HourGrid,
    Reading,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    epoch,
    instant,
)
from app.domain.analytics_days import SURE_HORIZON_S, Run, Summarised
from app.domain.analytics_demand import (
    DemandReport,
    DemandRules,
    HeatMap,
    full_spells,
    peak_overlap,
    turned_away,
    waiting_drivers,
)
from app.domain.analytics_usage import (
    OFFLINE,
    ConnectorUsage,
    Outage,
    Segment,
    StationUsage,
    UsageReport,
    occupied_intervals,
    offline_outages,
    outage_runs,
    session_energy,
    time_in_states,
    timelines,
)

_AT = attrgetter("at")


class SessionTotals(NamedTuple):
    """Sessions started in the period, their final prices, and the energy of the
    finished sessions that lie inside it (meter stop - meter start, never negative)."""

    sessions: int = 0
    revenue_minor: int = 0
    priced: int = 0
    energy_wh: float = 0.0


@dataclass(frozen=True, slots=True)
class SummarisedFacts:
    site_id: int | None
    site_name: str
    station_ids: tuple[str, ...]
    connectors: tuple[ConnectorRef, ...]
    connection_limit_w: int | None
    period: ReportPeriod
    summarised: Summarised
    # Raw facts of the days split … last (None when every day is summarised); no sessions.
    tail: SiteFacts | None
    totals: Mapping[ConnectorRef, SessionTotals]
    # Sessions whose energy needs their readings (cut by the period, open, suspect).
    cut: tuple[SessionFact, ...] = ()
    readings: tuple[Reading, ...] = ()

    @property
    def tail_period(self) -> ReportPeriod | None:
        split, last = self.summarised.split, self.period.last
        return ReportPeriod(split, last, self.period.zone) if split <= last else None


def tail_segments(facts: SummarisedFacts) -> dict[ConnectorRef, list[Segment]]:
    period = facts.tail_period
    if facts.tail is None or period is None:
        return {}
    return timelines(facts.tail, period)


def _join(runs: list[Run], run: Run) -> None:
    """Append a run, joining it to the last one when it continues it."""
    if runs and runs[-1][1] == run[0] and runs[-1][2:] == run[2:]:
        runs[-1] = (runs[-1][0], *run[1:])
    else:
        runs.append(run)


def combined_usage(
    facts: SummarisedFacts, segments_of: dict[ConnectorRef, list[Segment]]
) -> UsageReport:
    period = facts.period
    start, end = period.start, period.end
    totals_of = {ConnectorRef(c.station_id, c.connector_id): c for c in facts.summarised.connectors}
    day_runs: dict[ConnectorRef, list[Run]] = defaultdict(list)
    for piece in sorted(facts.summarised.runs, key=attrgetter("station_id", "connector_id", "day")):
        for run in piece.runs:
            _join(day_runs[ConnectorRef(piece.station_id, piece.connector_id)], run)
    offline: dict[str, list[Run]] = defaultdict(list)
    for day in sorted(facts.summarised.stations, key=attrgetter("station_id", "day")):
        for a, b in day.offline:
            _join(offline[day.station_id], (a, b, OFFLINE, ""))
    tail = facts.tail
    tail_start = facts.tail_period.start if facts.tail_period is not None else end
    if tail is not None:
        links = defaultdict(list)
        for link in sorted(tail.links, key=_AT):
            links[link.station_id].append(link)
        for sid in sorted({ref.station_id for ref in facts.connectors}):
            for o in offline_outages(sid, links.get(sid, []), tail_start, end):
                _join(offline[sid], (epoch(o.started_at), epoch(o.ended_at), OFFLINE, ""))
    peaks = (
        {ConnectorRef(p.station_id, p.connector_id): p.watts for p in tail.peaks} if tail else {}
    )
    cut: dict[ConnectorRef, list[SessionFact]] = defaultdict(list)
    for s in facts.cut:
        cut[ConnectorRef(s.station_id, s.connector_id)].append(s)
    readings: dict[int, list[Reading]] = defaultdict(list)
    for r in facts.readings:
        readings[r.transaction_id].append(r)

    by_station: dict[str, list[ConnectorUsage]] = defaultdict(list)
    runs_of: dict[ConnectorRef, list[Run]] = defaultdict(list)
    for ref in sorted(set(facts.connectors)):
        summed = totals_of.get(ref)
        charging = idle = observed = usable = 0.0
        peak: float | None = None
        if summed is not None:
            charging, idle = summed.charging_s, summed.idle_s
            observed, usable, peak = summed.observed_s, summed.usable_s, summed.peak_w
        runs = runs_of[ref]
        for run in day_runs.get(ref, []):
            _join(runs, run)
        segments = segments_of.get(ref, [])
        tc, ti, to, tu = time_in_states(segments)
        charging, idle, observed, usable = charging + tc, idle + ti, observed + to, usable + tu
        for run in outage_runs(segments):
            _join(runs, run)
        tail_peak = peaks.get(ref)
        if tail_peak is not None:
            peak = tail_peak if peak is None else max(peak, tail_peak)
        totals = facts.totals.get(ref, SessionTotals())
        energy = totals.energy_wh + sum(
            session_energy(s, sorted(readings.get(s.id, []), key=_AT), start, end)
            for s in cut.get(ref, [])
        )
        by_station[ref.station_id].append(
            ConnectorUsage(
                ref.station_id, ref.connector_id, sessions=totals.sessions, energy_wh=energy,
                charging_s=charging, idle_s=idle, observed_s=observed, usable_s=usable,
                revenue_minor=totals.revenue_minor, priced_sessions=totals.priced,
                peak_power_w=peak,
            )
        )  # fmt: skip
    stations = []
    every: list[Outage] = []
    for station_id, connectors in by_station.items():
        outages = [_outage(station_id, None, run) for run in offline.get(station_id, [])]
        for c in connectors:
            ref = ConnectorRef(station_id, c.connector_id)
            outages += [_outage(station_id, c.connector_id, run) for run in runs_of[ref]]
        outages.sort(key=lambda o: (o.started_at, o.connector_id or 0))
        faults = sum(1 for o in outages if o.cause == "Faulted")
        stations.append(StationUsage(station_id, tuple(connectors), faults, tuple(outages)))
        every += outages
    every.sort(key=lambda o: (o.started_at, o.station_id, o.connector_id or 0))
    return UsageReport(facts.site_id, facts.site_name, period, tuple(stations), tuple(every))


def _outage(station_id: str, connector_id: int | None, run: Run) -> Outage:
    a, b, cause, error = run
    return Outage(station_id, connector_id, cause, error, instant(a), instant(b))


@dataclass(frozen=True, slots=True)
class Occupancy:
    """The period's occupied connector-seconds per heat-map cell and its full spells."""

    occupied_cells: tuple[float, ...]
    spells: tuple[tuple[float, float], ...]


def occupancy(facts: SummarisedFacts, segments_of: dict[ConnectorRef, list[Segment]]) -> Occupancy:
    refs = sorted(set(facts.connectors))
    n = len(refs)
    by_weekday: list[list[tuple[float, ...]]] = [[] for _ in range(WEEKDAYS)]
    spells: list[tuple[float, float]] = []
    for d in sorted(facts.summarised.scope_days):
        by_weekday[d.day.weekday()].append(d.hours)
        for i in range(0, len(d.spells), 2):
            _join_spell(spells, d.spells[i], d.spells[i + 1])
    # Column sums of each weekday's hours.
    cells = [
        sum(column, 0.0)
        for rows in by_weekday
        for column in (zip(*rows, strict=True) if rows else [()] * HOURS)
    ]
    period = facts.tail_period
    if period is not None:
        grid = HourGrid.of(period)
        keys = grid.keys
        intervals: dict[ConnectorRef, list[tuple[float, float, bool]]] = {}
        for ref in refs:
            intervals[ref] = occupied_intervals(segments_of.get(ref, []))
            for a, b, _charging in intervals[ref]:
                grid.add(cells, keys, a, b)
        for a, b in full_spells(intervals, n):
            _join_spell(spells, a, b)
    return Occupancy(tuple(cells), tuple(spells))


def _join_spell(spells: list[tuple[float, float]], a: float, b: float) -> None:
    """A full spell cut at midnight goes on where the one before it ends."""
    if spells and spells[-1][1] == a:
        spells[-1] = (spells[-1][0], b)
    else:
        spells.append((a, b))


def candidates(
    facts: SummarisedFacts, rules: DemandRules
) -> tuple[list[Authorisation], list[Authorisation]]:
    """Authorisations that may have been turned away (a superset: the others had a
    session of their tag at their station at once), and those of them that need their
    tag's sessions looked up (the others had none anywhere within the start window)."""
    window = rules.start_window_s
    found: list[Authorisation] = []
    lookup: list[Authorisation] = []
    for s in facts.summarised.stations:
        for at, tag, after in s.authorised:
            auth = Authorisation(s.station_id, tag, at)
            found.append(auth)
            unserved = after > window if after is not None else window <= SURE_HORIZON_S
            if not unserved:
                lookup.append(auth)
    if facts.tail is not None:
        found += facts.tail.authorisations
        lookup += facts.tail.authorisations
    return sorted(found, key=_AT), lookup


def combined_demand(
    facts: SummarisedFacts,
    occupied: Occupancy,
    authorisations: list[Authorisation],
    near: list[SessionFact],
    rules: DemandRules,
) -> DemandReport:
    """near: every session of the stations that started within the wait window after a
    full spell's end, or within the start window after an authorisation, before the
    period's end."""
    period = facts.period
    start, end = period.start, period.end
    n = len(set(facts.connectors))
    spells = list(occupied.spells)
    grid = HourGrid.of(period)
    saturated = [0.0] * (WEEKDAYS * HOURS)
    for a, b in spells:
        grid.add(saturated, grid.keys, a, b)
    wall = grid.wall_seconds()
    cells = occupied.occupied_cells
    heat = HeatMap(
        tuple(o / (n * w) if n and w else 0.0 for o, w in zip(cells, wall, strict=True)),
        tuple(s / w if w else 0.0 for s, w in zip(saturated, wall, strict=True)),
        tuple(wall),
        tuple(saturated),
    )
    sessions = sorted(near, key=lambda s: (s.started_at, s.id))
    waiting = waiting_drivers(spells, sessions, end, rules.wait_window_s)
    looked_up = SiteFacts(facts.site_id, facts.site_name, (), (), (), tuple(sessions),
                          authorisations=tuple(authorisations))  # fmt: skip
    away = turned_away(looked_up, spells, start, end, rules.start_window_s)
    unserved = [(a, b) for _d, a, b in waiting]
    unserved += [
        (t.authorised_at.timestamp(), t.authorised_at.timestamp() + rules.start_window_s)
        for t in away
        if t.site_full
    ]
    peak = facts.summarised.site_peak
    tail_peak = facts.tail.site_peak if facts.tail is not None else None
    if tail_peak is not None and (peak is None or tail_peak.watts > peak.watts):
        peak = tail_peak
    return DemandReport(
        facts.site_id, facts.site_name, period, n, heat, sum(b - a for a, b in spells),
        len(spells), tuple(d for d, _a, _b in waiting), tuple(away), peak_overlap(unserved),
        peak, facts.connection_limit_w, rules,
    )  # fmt: skip


def lookup_windows(
    occupied: Occupancy, authorisations: list[Authorisation], end: float, rules: DemandRules
) -> tuple[list[tuple[float, float]], list[tuple[str, float, float]]]:
    """What combined_demand needs looked up: start-time windows after full spells, and
    (tag, from, to) after each authorisation."""
    after_spells = [(b, b + rules.wait_window_s) for _a, b in occupied.spells if b < end]
    per_tag = [(a.id_tag, a.at, a.at + rules.start_window_s) for a in authorisations]
    return after_spells, per_tag
