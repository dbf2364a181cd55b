"""Usage per station and connector: sessions, energy, time, power, revenue, utilisation,
availability, and the faults and outages that cost availability.

Definitions (docs/analytics.md has them with examples):

* A connector's **timeline** comes from its status reports (ordered by the
  station's own time, so a report queued while offline lands where it happened)
  and its station's connections. Before its first report its status is unknown,
  and unknown time is left out of every share ("observed" time is the rest).
* **Occupied**: Preparing, Charging, SuspendedEV, SuspendedEVSE or Finishing.
  **Charging**: Charging. **Plugged in but idle**: occupied and not charging.
  A station that goes offline keeps charging, so occupancy follows the last
  report; being offline costs availability only.
* **Usable** (availability): status known, not Faulted or Unavailable, and the
  station connected.
* **Sessions** and **revenue**: transactions that started in the period (revenue
  from their stored final price). **Energy**: what was delivered in the period,
  from register readings joined by straight lines and cut at the period's
  bounds, as the energy-per-day graph does.
* **Average power** = energy ÷ charging time; **peak power** = the highest power
  sample (kept exactly by the rollups, which store each bucket's maximum).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from operator import attrgetter, itemgetter

from app.domain.analytics import (
    CHARGING,
    OCCUPIED,
    OUT_OF_SERVICE,
    ConnectorRef,
    LinkChange,
    Reading,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    StatusReport,
    instant,
)

# (start, end, status or None when unknown, error code, station online)
Segment = tuple[float, float, str | None, str, bool]
OFFLINE = "Offline"
_AT = attrgetter("at")


def time_in_states(segments: Sequence[Segment]) -> tuple[float, float, float, float]:
    """Seconds charging, occupied but not charging, with a known status, and usable
    (online and in service) across a connector's timeline pieces."""
    charging = idle = observed = usable = 0.0
    for a, b, status, _error, online in segments:
        if status is None:
            continue
        length = b - a
        observed += length
        if status in OCCUPIED:
            if status == CHARGING:
                charging += length
            else:
                idle += length
        if online and status not in OUT_OF_SERVICE:
            usable += length
    return charging, idle, observed, usable


def connector_segments(
    reports: Sequence[StatusReport], links: Sequence[LinkChange], start: float, end: float
) -> list[Segment]:
    """The connector's states over start..end. Both inputs in time order; reports and
    links before start set the state the period begins in."""
    events: list[tuple[float, int, str, str, bool]] = [
        (r.at, 0, r.status, r.error_code, True) for r in reports
    ]
    events += [(link.at, 1, "", "", link.online) for link in links]
    events.sort(key=itemgetter(0))
    segments: list[Segment] = []
    status: str | None = None
    error = ""
    online = True
    t = start
    for at, kind, new_status, new_error, new_online in events:
        if at >= end:
            break
        if at > t:
            segments.append((t, at, status, error, online))
            t = at
        if kind == 0:
            status, error = new_status, new_error
        else:
            online = new_online
    if end > t:
        segments.append((t, end, status, error, online))
    return segments


def occupied_intervals(segments: Iterable[Segment]) -> list[tuple[float, float, bool]]:
    """(start, end, charging) for each occupied stretch, neighbours of one kind merged."""
    out: list[tuple[float, float, bool]] = []
    for a, b, status, _e, _o in segments:
        if status in OCCUPIED:
            charging = status == CHARGING
            if out and out[-1][1] == a and out[-1][2] == charging:
                out[-1] = (out[-1][0], b, charging)
            else:
                out.append((a, b, charging))
    return out


def session_energy(
    session: SessionFact, readings: Sequence[Reading], start: float, end: float
) -> float:
    """Wh delivered by a session within start..end; readings in time order."""
    ended = session.ended_at
    if (
        not readings
        and ended is not None
        and session.meter_end_wh is not None
        and start <= session.started_at
        and ended <= end
    ):
        return max(0.0, session.meter_end_wh - session.meter_start_wh)
    points = [(session.started_at, session.meter_start_wh)]
    points += [(r.at, r.wh) for r in readings]
    if ended is not None and session.meter_end_wh is not None:
        points.append((ended, session.meter_end_wh))
    points.sort(key=lambda p: p[0])
    total = 0.0
    for (a_at, a_wh), (b_at, b_wh) in pairwise(points):
        energy = b_wh - a_wh
        if energy <= 0:
            continue  # a falling register (meter replaced or reset) delivers nothing
        if b_at <= a_at:
            total += energy if start <= b_at < end else 0.0
            continue
        lo, hi = max(a_at, start), min(b_at, end)
        if hi > lo:
            total += energy * (hi - lo) / (b_at - a_at)
    return total


@dataclass(frozen=True, slots=True)
class ConnectorUsage:
    station_id: str
    connector_id: int
    sessions: int = 0
    energy_wh: float = 0.0
    charging_s: float = 0.0
    idle_s: float = 0.0
    observed_s: float = 0.0
    usable_s: float = 0.0
    revenue_minor: int = 0
    priced_sessions: int = 0
    peak_power_w: float | None = None

    @property
    def occupied_s(self) -> float:
        return self.charging_s + self.idle_s

    @property
    def utilisation(self) -> float:
        """Share of observed time occupied (0…1)."""
        return self.occupied_s / self.observed_s if self.observed_s else 0.0

    @property
    def charging_share(self) -> float:
        return self.charging_s / self.observed_s if self.observed_s else 0.0

    @property
    def availability(self) -> float:
        return self.usable_s / self.observed_s if self.observed_s else 0.0

    @property
    def downtime_s(self) -> float:
        return self.observed_s - self.usable_s

    @property
    def average_power_w(self) -> float | None:
        return self.energy_wh * 3600.0 / self.charging_s if self.charging_s else None


@dataclass(frozen=True, slots=True)
class Outage:
    """Time a connector (or, connector_id None, a whole station: offline) was not usable,
    cut to the period. cause: Faulted, Unavailable or Offline."""

    station_id: str
    connector_id: int | None
    cause: str
    error_code: str
    started_at: datetime
    ended_at: datetime

    @property
    def lost_s(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class StationUsage:
    station_id: str
    connectors: tuple[ConnectorUsage, ...]
    faults: int
    outages: tuple[Outage, ...]

    def _sum(self, name: str) -> float:
        return sum(float(getattr(c, name)) for c in self.connectors)

    @property
    def sessions(self) -> int:
        return sum(c.sessions for c in self.connectors)

    @property
    def energy_wh(self) -> float:
        return self._sum("energy_wh")

    @property
    def revenue_minor(self) -> int:
        return sum(c.revenue_minor for c in self.connectors)

    @property
    def charging_s(self) -> float:
        return self._sum("charging_s")

    @property
    def idle_s(self) -> float:
        return self._sum("idle_s")

    @property
    def utilisation(self) -> float:
        observed = self._sum("observed_s")
        return self._sum("occupied_s") / observed if observed else 0.0

    @property
    def availability(self) -> float:
        observed = self._sum("observed_s")
        return self._sum("usable_s") / observed if observed else 0.0

    @property
    def downtime_s(self) -> float:
        return self._sum("downtime_s")

    @property
    def peak_power_w(self) -> float | None:
        peaks = [c.peak_power_w for c in self.connectors if c.peak_power_w is not None]
        return max(peaks) if peaks else None


@dataclass(frozen=True, slots=True)
class UsageReport:
    site_id: int | None
    site_name: str
    period: ReportPeriod
    stations: tuple[StationUsage, ...]
    outages: tuple[Outage, ...]

    @property
    def connectors(self) -> tuple[ConnectorUsage, ...]:
        return tuple(c for s in self.stations for c in s.connectors)

    def station(self, station_id: str) -> StationUsage:
        for s in self.stations:
            if s.station_id == station_id:
                return s
        raise KeyError(station_id)

    def connector(self, station_id: str, connector_id: int) -> ConnectorUsage:
        for c in self.station(station_id).connectors:
            if c.connector_id == connector_id:
                return c
        raise KeyError((station_id, connector_id))


def outage_runs(segments: Sequence[Segment]) -> Iterable[tuple[float, float, str, str]]:
    """Stretches a connector was Faulted or Unavailable while its station was online."""
    run: tuple[float, float, str, str] | None = None
    for a, b, status, error, online in segments:
        cause = status if online and status in OUT_OF_SERVICE else None
        if cause is not None and run and run[1] == a and run[2] == cause and run[3] == error:
            run = (run[0], b, cause, error)
            continue
        if run:
            yield run
        run = (a, b, cause, error) if cause is not None else None
    if run:
        yield run


def offline_outages(
    station_id: str, links: Sequence[LinkChange], start: float, end: float
) -> list[Outage]:
    outages = []
    down: float | None = None
    for link in links:
        if not link.online and down is None:
            down = max(link.at, start)
        elif link.online and down is not None:
            if link.at > start and min(link.at, end) > down:
                outages.append(_outage(station_id, None, OFFLINE, "", down, min(link.at, end)))
            down = None
    if down is not None and end > down:
        outages.append(_outage(station_id, None, OFFLINE, "", down, end))
    return outages


def _outage(sid: str, cid: int | None, cause: str, error: str, a: float, b: float) -> Outage:
    return Outage(sid, cid, cause, error, instant(a), instant(b))


def group_by_connector(
    facts: SiteFacts,
) -> tuple[dict[tuple[str, int], list[StatusReport]], dict[str, list[LinkChange]]]:
    statuses: dict[tuple[str, int], list[StatusReport]] = defaultdict(list)
    for r in facts.statuses:
        statuses[(r.station_id, r.connector_id)].append(r)
    links: dict[str, list[LinkChange]] = defaultdict(list)
    for link in facts.links:
        links[link.station_id].append(link)
    for values in statuses.values():
        values.sort(key=_AT)
    for changes in links.values():
        changes.sort(key=_AT)
    return statuses, links


def timelines(facts: SiteFacts, period: ReportPeriod) -> dict[ConnectorRef, list[Segment]]:
    """Every connector's segments over the period (shared by the usage and demand folds)."""
    statuses, links = group_by_connector(facts)
    return {
        ref: connector_segments(
            statuses.get(ref, []), links.get(ref.station_id, []), period.start, period.end
        )
        for ref in sorted(set(facts.connectors))
    }


def usage_report(
    facts: SiteFacts,
    period: ReportPeriod,
    segments_of: dict[ConnectorRef, list[Segment]] | None = None,
) -> UsageReport:
    start, end = period.start, period.end
    links: dict[str, list[LinkChange]] = defaultdict(list)
    for link in sorted(facts.links, key=_AT):
        links[link.station_id].append(link)
    if segments_of is None:
        segments_of = timelines(facts, period)
    readings: dict[int, list[Reading]] = defaultdict(list)
    for r in facts.readings:
        readings[r.transaction_id].append(r)
    per_connector: dict[ConnectorRef, list[SessionFact]] = defaultdict(list)
    for s in facts.sessions:
        per_connector[ConnectorRef(s.station_id, s.connector_id)].append(s)
    peaks = {ConnectorRef(p.station_id, p.connector_id): p.watts for p in facts.peaks}

    by_station: dict[str, list[ConnectorUsage]] = defaultdict(list)
    outages: dict[str, list[Outage]] = defaultdict(list)
    for ref, segments in segments_of.items():
        charging, idle, observed, usable = time_in_states(segments)
        for a, b, cause, error in outage_runs(segments):
            outages[ref.station_id].append(
                _outage(ref.station_id, ref.connector_id, cause, error, a, b)
            )
        sessions = per_connector.get(ref, [])
        started = [s for s in sessions if start <= s.started_at < end]
        priced = [s.revenue_minor for s in started if s.revenue_minor is not None]
        energy = sum(
            session_energy(s, sorted(readings.get(s.id, []), key=lambda r: r.at), start, end)
            for s in sessions
        )
        by_station[ref.station_id].append(
            ConnectorUsage(
                ref.station_id,
                ref.connector_id,
                sessions=len(started),
                energy_wh=energy,
                charging_s=charging,
                idle_s=idle,
                observed_s=observed,
                usable_s=usable,
                revenue_minor=sum(priced),
                priced_sessions=len(priced),
                peak_power_w=peaks.get(ref),
            )
        )
    stations = []
    every_outage: list[Outage] = []
    for station_id, connectors in by_station.items():
        station_outages = offline_outages(station_id, links.get(station_id, []), start, end)
        station_outages += outages.get(station_id, [])
        station_outages.sort(key=lambda o: (o.started_at, o.connector_id or 0))
        faults = sum(1 for o in station_outages if o.cause == "Faulted")
        stations.append(StationUsage(station_id, tuple(connectors), faults, tuple(station_outages)))
        every_outage += station_outages
    every_outage.sort(key=lambda o: (o.started_at, o.station_id, o.connector_id or 0))
    return UsageReport(facts.site_id, facts.site_name, period, tuple(stations), tuple(every_outage))
