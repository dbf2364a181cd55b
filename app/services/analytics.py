"""Usage and demand analytics (issue 7): reports for a site and a range of local days.

Public API (all report methods take a site id, or None for every station, and the
first and last local day, inclusive, in the sites' zone; a range is at most 366 days):

* ``AnalyticsService(repository, zone, *, raw_samples_days=31, rules=DemandRules())``
* ``await usage(site_id, first, last) -> UsageReport`` — per station and connector:
  sessions, energy, charging vs. plugged-in-idle time, average and peak power,
  revenue, utilisation, availability; the outages (faults, unavailable, offline).
* ``await demand(site_id, first, last) -> DemandReport`` — the occupancy heat map
  (weekday × hour), saturation, drivers who waited or were turned away, peak
  simultaneous power against the site's connection limit, the connectors that
  would have served the unserved drivers.
* ``await summary(site_id, first, last) -> CapacitySummary`` — the plain-language
  sentences, each with its method.
* ``await report(site_id, first, last) -> SiteReport`` — all three from one read.
* ``await sessions_behind(site_id, first, last, *, station_id=None, connector_id=None,
  weekday=None, hour=None) -> tuple[SessionRow, ...]`` — the drill-down: the sessions
  behind a figure (a station, a connector, a heat-map cell, or their combination).
* ``await set_connection_limit(site_id, limit_w | None)``, ``await connection_limit(site_id)``
* ``await roll_up(now) -> RollupResult`` — housekeeping: new raw meter samples are
  rolled up into 15-minute rollups, the days before today summarised per connector and
  local day (only days not yet summarised, or whose facts changed), raw samples older
  than raw_samples_days deleted; every figure stays the same.

Reports read the day summaries for the days they cover and the raw facts for the rest
(today, days not summarised yet, days a late fact made stale): see
app/domain/analytics_combined.py.

Figures and methods: app/domain/analytics*.py and docs/analytics.md. Results are
frozen dataclasses; times in them are aware UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from app.domain.analytics import (
    HOURS,
    HourGrid,
    Reading,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    instant,
)
from app.domain.analytics_combined import (
    SummarisedFacts,
    candidates,
    combined_demand,
    combined_usage,
    lookup_windows,
    occupancy,
    tail_segments,
)
from app.domain.analytics_days import CANDIDATE_WINDOW_S
from app.domain.analytics_demand import DemandReport, DemandRules, demand_report
from app.domain.analytics_rollup import rollup_cutoff
from app.domain.analytics_summary import CapacitySummary, capacity_summary
from app.domain.analytics_usage import UsageReport, session_energy, timelines, usage_report
from app.domain.errors import InvalidInput
from app.domain.operators import Role
from app.services.acting import requires

# One write transaction rolls up at most this many raw samples.
ROLLUP_STEP = 50_000


class AnalyticsRepository(Protocol):
    """Implemented by app/store/repositories/analytics.py."""

    async def facts(
        self, site_id: int | None, start: datetime, end: datetime, *, usage: bool, demand: bool
    ) -> SiteFacts: ...
    async def sessions(
        self, site_id: int | None, start: datetime, end: datetime
    ) -> tuple[list[SessionFact], list[Reading]]: ...
    async def set_connection_limit(self, site_id: int, limit_w: int | None) -> None: ...
    async def connection_limit(self, site_id: int) -> int | None: ...
    async def roll_up_next(self, now: datetime, most: int) -> int: ...
    async def stations_with_samples_before(self, cutoff: datetime) -> list[str]: ...
    async def drop_rolled_before(self, station_id: str, cutoff: datetime) -> int: ...
    async def summarised_facts(
        self, site_id: int | None, period: ReportPeriod, zone: tzinfo, *, usage: bool, demand: bool
    ) -> SummarisedFacts | None: ...
    async def sessions_near(
        self,
        station_ids: Sequence[str],
        windows: Sequence[tuple[float, float]],
        tags: Sequence[tuple[str, float, float]],
        end: datetime,
    ) -> list[SessionFact]: ...
    async def summarise(self, zone: tzinfo, through: date, now: datetime) -> int: ...


@dataclass(frozen=True, slots=True)
class SiteReport:
    usage: UsageReport
    demand: DemandReport
    summary: CapacitySummary


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session behind a figure; energy_wh is what it delivered within the period."""

    transaction_id: int
    station_id: str
    connector_id: int
    id_tag: str
    started_at: datetime
    ended_at: datetime | None
    energy_wh: float
    revenue_minor: int | None


@dataclass(frozen=True, slots=True)
class RollupResult:
    """rolled: raw samples newly rolled up; deleted: raw samples older than cutoff removed;
    summarised: station-days newly summarised (or summarised again)."""

    cutoff: datetime
    rolled: int
    deleted: int
    summarised: int = 0


class AnalyticsService:
    def __init__(
        self,
        repository: AnalyticsRepository,
        zone: tzinfo,
        *,
        raw_samples_days: int = 31,
        rules: DemandRules | None = None,
    ) -> None:
        if raw_samples_days < 1:
            raise InvalidInput("raw_samples_days must be at least 1")
        self._repo = repository
        self.zone = zone
        self.raw_samples_days = raw_samples_days
        self.rules = rules or DemandRules()

    def period(self, first: date, last: date) -> ReportPeriod:
        return ReportPeriod(first, last, self.zone)

    async def _facts(
        self, site_id: int | None, period: ReportPeriod, *, usage: bool, demand: bool
    ) -> SiteFacts:
        return await self._repo.facts(
            site_id, period.start_at, period.end_at, usage=usage, demand=demand
        )

    async def _summarised(
        self, site_id: int | None, period: ReportPeriod, *, usage: bool, demand: bool
    ) -> tuple[UsageReport | None, DemandReport | None] | None:
        """The reports from the day summaries plus raw facts for the days after them;
        None when the period's first day is not summarised."""
        if demand and self.rules.start_window_s < CANDIDATE_WINDOW_S:
            return None
        facts = await self._repo.summarised_facts(
            site_id, period, self.zone, usage=usage, demand=demand
        )
        if facts is None:
            return None
        segments = tail_segments(facts)
        usage_part = combined_usage(facts, segments) if usage else None
        demand_part = None
        if demand:
            occupied = occupancy(facts, segments)
            authorised, lookup = candidates(facts, self.rules)
            windows, tags = lookup_windows(occupied, lookup, period.end, self.rules)
            near = (
                await self._repo.sessions_near(facts.station_ids, windows, tags, period.end_at)
                if windows or tags
                else []
            )
            demand_part = combined_demand(facts, occupied, authorised, near, self.rules)
        return usage_part, demand_part

    @requires(Role.MANAGER)
    async def usage(self, site_id: int | None, first: date, last: date) -> UsageReport:
        period = self.period(first, last)
        found = await self._summarised(site_id, period, usage=True, demand=False)
        if found is not None and found[0] is not None:
            return found[0]
        return usage_report(await self._facts(site_id, period, usage=True, demand=False), period)

    @requires(Role.MANAGER)
    async def demand(self, site_id: int | None, first: date, last: date) -> DemandReport:
        period = self.period(first, last)
        found = await self._summarised(site_id, period, usage=False, demand=True)
        if found is not None and found[1] is not None:
            return found[1]
        facts = await self._facts(site_id, period, usage=False, demand=True)
        return demand_report(facts, period, self.rules)

    @requires(Role.MANAGER)
    async def report(self, site_id: int | None, first: date, last: date) -> SiteReport:
        period = self.period(first, last)
        found = await self._summarised(site_id, period, usage=True, demand=True)
        if found is not None and found[0] is not None and found[1] is not None:
            return SiteReport(found[0], found[1], capacity_summary(found[0], found[1]))
        facts = await self._facts(site_id, period, usage=True, demand=True)
        segments = timelines(facts, period)
        usage = usage_report(facts, period, segments)
        demand = demand_report(facts, period, self.rules, segments)
        return SiteReport(usage, demand, capacity_summary(usage, demand))

    @requires(Role.MANAGER)
    async def summary(self, site_id: int | None, first: date, last: date) -> CapacitySummary:
        return (await self.report(site_id, first, last)).summary

    @requires(Role.MANAGER)
    async def sessions_behind(
        self,
        site_id: int | None,
        first: date,
        last: date,
        *,
        station_id: str | None = None,
        connector_id: int | None = None,
        weekday: int | None = None,
        hour: int | None = None,
    ) -> tuple[SessionRow, ...]:
        """Sessions that overlap the period (and, with weekday and hour, that local hour
        of that weekday in it) on the station and connector, if given."""
        if (weekday is None) != (hour is None):
            raise InvalidInput("a heat-map cell needs both a weekday and an hour")
        if (
            weekday is not None
            and hour is not None
            and not (0 <= weekday < 7 and 0 <= hour < HOURS)
        ):
            raise InvalidInput("weekday is 0 (Monday) … 6 and hour 0 … 23")
        if connector_id is not None and station_id is None:
            raise InvalidInput("a connector is named with its station")
        period = self.period(first, last)
        found, readings = await self._repo.sessions(site_id, period.start_at, period.end_at)
        cells = (
            HourGrid.of(period).segments_of(weekday, hour)
            if weekday is not None and hour is not None
            else [(period.start, period.end)]
        )
        by_tx: dict[int, list[Reading]] = {}
        for r in sorted(readings, key=lambda r: r.at):
            by_tx.setdefault(r.transaction_id, []).append(r)
        rows = []
        for s in found:
            if station_id is not None and s.station_id != station_id:
                continue
            if connector_id is not None and s.connector_id != connector_id:
                continue
            ends = period.end if s.ended_at is None else s.ended_at
            if not any(s.started_at < b and ends > a for a, b in cells):
                continue
            rows.append(
                SessionRow(
                    s.id,
                    s.station_id,
                    s.connector_id,
                    s.id_tag,
                    instant(s.started_at),
                    None if s.ended_at is None else instant(s.ended_at),
                    session_energy(s, by_tx.get(s.id, []), period.start, period.end),
                    s.revenue_minor,
                )
            )
        return tuple(rows)

    @requires(Role.MANAGER, "site.connection_limit", target="site_id")
    async def set_connection_limit(self, site_id: int, limit_w: int | None) -> None:
        """The most the site's grid connection delivers, in W (None: not known)."""
        if limit_w is not None and limit_w <= 0:
            raise InvalidInput("a connection limit is a positive number of watts")
        await self._repo.set_connection_limit(site_id, limit_w)

    async def connection_limit(self, site_id: int) -> int | None:
        return await self._repo.connection_limit(site_id)

    async def roll_up(self, now: datetime) -> RollupResult:
        """Housekeeping (e.g. hourly, at least daily): roll every new raw sample up into
        its 15-minute bucket, then delete the raw samples older than raw_samples_days.

        Reports read rollups plus the raw samples not yet rolled up, so they cost the
        same however long raw samples are kept, and give the same figures before and
        after the raw rows go."""
        cutoff = rollup_cutoff(now, self.raw_samples_days)
        rolled = 0
        while step := await self._repo.roll_up_next(now, ROLLUP_STEP):
            rolled += step
        # Before raw samples go: a late one is what tells which summarised day is stale.
        summarised = await self.summarise(now)
        deleted = 0
        for station_id in await self._repo.stations_with_samples_before(cutoff):
            deleted += await self._repo.drop_rolled_before(station_id, cutoff)
        return RollupResult(cutoff, rolled, deleted, summarised)

    async def summarise(self, now: datetime) -> int:
        """Summarise every local day before now's that is not summarised yet or whose facts
        changed since (part of roll_up); how many station-days."""
        today = now.astimezone(self.zone).date()
        return await self._repo.summarise(self.zone, today - timedelta(days=1), now)
