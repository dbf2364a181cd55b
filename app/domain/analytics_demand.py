"""Demand at a site: when it is used, when it is full, who had to wait or went away.

Definitions (docs/analytics.md has them with examples):

* **Occupancy heat map**: for each local weekday × hour, the share of the site's
  connector-time that was occupied (occupied connector-seconds ÷ (connectors ×
  seconds of that weekday-hour in the period)). DST days count with their true
  length: a spring-forward night adds nothing to 02–03, a fall-back night two hours.
* **Saturation**: the share of time every connector of the site was occupied at
  once. Two connectors changing at the same instant free one before the other is
  taken, so a hand-over does not count as full.
* **Waited**: a session that started within `wait_window` after the site stopped
  being full (one session per such moment): its driver was there while every
  connector was busy. **Turned away**: a tag accepted at a station of the site
  (Authorize) with no session of that tag at the site within `start_window`;
  repeated attempts of one tag within that window count once.
* **Connectors that would have served them**: the most drivers unserved at one
  moment, where a waiting driver is unserved over the last `wait_window` of the
  full spell (never before it began) and a driver turned away while the site was
  full over `start_window` from the authorisation. Drivers turned away while a
  connector was free would not have been helped by more connectors.
* **Peak simultaneous power**: the 15-minute bucket with the highest sum of the
  connectors' mean power, against the site's connection limit.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime

from app.domain.analytics import (
    HOURS,
    ConnectorRef,
    HourGrid,
    PowerPeak,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    instant,
)
from app.domain.analytics_usage import Segment, occupied_intervals, timelines


@dataclass(frozen=True, slots=True)
class DemandRules:
    wait_window_s: float = 600.0
    start_window_s: float = 900.0


@dataclass(frozen=True, slots=True)
class HeatMap:
    """168 cells, index weekday*24 + hour (weekday 0 = Monday), local time."""

    occupancy: tuple[float, ...]
    saturation: tuple[float, ...]
    wall_s: tuple[float, ...]
    saturated_s: tuple[float, ...]

    def occupancy_at(self, weekday: int, hour: int) -> float:
        return self.occupancy[weekday * HOURS + hour]

    def saturation_at(self, weekday: int, hour: int) -> float:
        return self.saturation[weekday * HOURS + hour]


@dataclass(frozen=True, slots=True)
class WaitingDriver:
    transaction_id: int
    station_id: str
    connector_id: int
    id_tag: str
    full_since: datetime
    freed_at: datetime
    started_at: datetime


@dataclass(frozen=True, slots=True)
class TurnedAway:
    station_id: str
    id_tag: str
    authorised_at: datetime
    site_full: bool


@dataclass(frozen=True, slots=True)
class DemandReport:
    site_id: int | None
    site_name: str
    period: ReportPeriod
    connectors: int
    heat_map: HeatMap
    saturated_s: float
    full_spells: int
    waited: tuple[WaitingDriver, ...]
    turned_away: tuple[TurnedAway, ...]
    extra_connectors: int
    peak_power: PowerPeak | None
    connection_limit_w: int | None
    rules: DemandRules

    @property
    def period_s(self) -> float:
        return self.period.end - self.period.start

    @property
    def saturation(self) -> float:
        return self.saturated_s / self.period_s if self.period_s else 0.0

    @property
    def peak_share_of_limit(self) -> float | None:
        if self.peak_power is None or not self.connection_limit_w:
            return None
        return self.peak_power.watts / self.connection_limit_w


def full_spells(
    intervals: dict[ConnectorRef, list[tuple[float, float, bool]]], connectors: int
) -> list[tuple[float, float]]:
    """Stretches during which `connectors` connectors were occupied at once."""
    if connectors <= 0:
        return []
    changes: list[tuple[float, int]] = []
    for spans in intervals.values():
        merged: list[list[float]] = []
        for a, b, _charging in spans:
            if merged and merged[-1][1] == a:
                merged[-1][1] = b
            else:
                merged.append([a, b])
        for a, b in merged:
            changes.append((a, 1))
            changes.append((b, -1))
    # At one instant, a connector freed counts before one taken.
    changes.sort()
    spells: list[tuple[float, float]] = []
    count = 0
    since = 0.0
    for at, step in changes:
        if step > 0:
            count += 1
            if count == connectors:
                since = at
        else:
            if count == connectors and at > since:
                spells.append((since, at))
            count -= 1
    return spells


def _inside(spells: list[tuple[float, float]], starts: list[float], t: float) -> bool:
    i = bisect.bisect_right(starts, t) - 1
    return i >= 0 and spells[i][0] <= t < spells[i][1]


def waiting_drivers(
    spells: list[tuple[float, float]], sessions: list[SessionFact], end: float, window: float
) -> list[tuple[WaitingDriver, float, float]]:
    starts = [s.started_at for s in sessions]
    taken: set[int] = set()
    out = []
    for a, b in spells:
        if b >= end:
            continue  # still full when the period ended: nobody has started yet
        i = bisect.bisect_left(starts, b)
        while i < len(sessions) and sessions[i].started_at <= b + window:
            s = sessions[i]
            if s.id not in taken:
                taken.add(s.id)
                driver = WaitingDriver(
                    s.id, s.station_id, s.connector_id, s.id_tag, instant(a), instant(b),
                    instant(s.started_at),
                )  # fmt: skip
                out.append((driver, max(a, b - window), b))
                break
            i += 1
    return out


def turned_away(
    facts: SiteFacts, spells: list[tuple[float, float]], start: float, end: float, window: float
) -> list[TurnedAway]:
    starts_by_tag: dict[str, list[float]] = {}
    for s in facts.sessions:
        starts_by_tag.setdefault(s.id_tag, []).append(s.started_at)
    for values in starts_by_tag.values():
        values.sort()
    spell_starts = [a for a, _ in spells]
    last_counted: dict[str, float] = {}
    out = []
    for auth in sorted(facts.authorisations, key=lambda a: a.at):
        if not start <= auth.at < end:
            continue
        tag_starts = starts_by_tag.get(auth.id_tag, [])
        i = bisect.bisect_left(tag_starts, auth.at)
        if i < len(tag_starts) and tag_starts[i] <= auth.at + window:
            continue
        previous = last_counted.get(auth.id_tag)
        if previous is not None and auth.at - previous <= window:
            continue
        last_counted[auth.id_tag] = auth.at
        full = _inside(spells, spell_starts, auth.at)
        out.append(TurnedAway(auth.station_id, auth.id_tag, instant(auth.at), full))
    return out


def peak_overlap(intervals: list[tuple[float, float]]) -> int:
    changes = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals])
    count = best = 0
    for _at, step in changes:
        count += step
        best = max(best, count)
    return best


def demand_report(
    facts: SiteFacts,
    period: ReportPeriod,
    rules: DemandRules | None = None,
    segments_of: dict[ConnectorRef, list[Segment]] | None = None,
) -> DemandReport:
    rules = rules or DemandRules()
    start, end = period.start, period.end
    grid = HourGrid.of(period)
    keys = grid.keys
    if segments_of is None:
        segments_of = timelines(facts, period)
    n = len(segments_of)
    intervals = {ref: occupied_intervals(segments) for ref, segments in segments_of.items()}
    occupied_cells = [0.0] * (7 * HOURS)
    for spans in intervals.values():
        for a, b, _charging in spans:
            grid.add(occupied_cells, keys, a, b)
    spells = full_spells(intervals, n)
    saturated_cells = [0.0] * (7 * HOURS)
    for a, b in spells:
        grid.add(saturated_cells, keys, a, b)
    wall = grid.wall_seconds()
    heat = HeatMap(
        tuple(o / (n * w) if n and w else 0.0 for o, w in zip(occupied_cells, wall, strict=True)),
        tuple(s / w if w else 0.0 for s, w in zip(saturated_cells, wall, strict=True)),
        tuple(wall),
        tuple(saturated_cells),
    )
    sessions = sorted(facts.sessions, key=lambda s: s.started_at)
    waiting = waiting_drivers(spells, sessions, end, rules.wait_window_s)
    away = turned_away(facts, spells, start, end, rules.start_window_s)
    unserved = [(a, b) for _d, a, b in waiting]
    unserved += [
        (t.authorised_at.timestamp(), t.authorised_at.timestamp() + rules.start_window_s)
        for t in away
        if t.site_full
    ]
    return DemandReport(
        facts.site_id,
        facts.site_name,
        period,
        n,
        heat,
        sum(b - a for a, b in spells),
        len(spells),
        tuple(d for d, _a, _b in waiting),
        tuple(away),
        peak_overlap(unserved),
        facts.site_peak,
        facts.connection_limit_w,
        rules,
    )
