"""The plain-language capacity summary of a site, every sentence built from figures.

Each sentence carries the method behind its figures (docs/analytics.md says the
same at more length), so a manager can check it rather than take it on trust.
The text is English; a view that translates formats the same figures itself.

The busiest window: for weekdays (Monday–Friday) and for the weekend apart, the
hour with the highest saturation share, widened hour by hour while the
neighbouring hour's share is at least half of that peak; its share is the full
seconds over the window's seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.analytics import HOURS
from app.domain.analytics_demand import DemandReport, HeatMap
from app.domain.analytics_usage import UsageReport

WEEKDAYS = range(5)
WEEKEND = range(5, 7)


@dataclass(frozen=True, slots=True)
class Sentence:
    kind: str
    text: str
    method: str


@dataclass(frozen=True, slots=True)
class BusyWindow:
    """Local hours first_hour … end_hour (exclusive) of the weekdays or the weekend."""

    weekend: bool
    first_hour: int
    end_hour: int
    share: float


@dataclass(frozen=True, slots=True)
class CapacitySummary:
    site_id: int | None
    site_name: str
    windows: tuple[BusyWindow, ...]
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def busiest_window(heat: HeatMap, days: range) -> BusyWindow | None:
    sat = [sum(heat.saturated_s[d * HOURS + h] for d in days) for h in range(HOURS)]
    wall = [sum(heat.wall_s[d * HOURS + h] for d in days) for h in range(HOURS)]
    share = [s / w if w else 0.0 for s, w in zip(sat, wall, strict=True)]
    peak_hour = max(range(HOURS), key=lambda h: (share[h], -h))
    peak = share[peak_hour]
    if peak <= 0:
        return None
    lo = hi = peak_hour
    while lo > 0 and share[lo - 1] >= peak / 2:
        lo -= 1
    while hi < HOURS - 1 and share[hi + 1] >= peak / 2:
        hi += 1
    seconds = sum(wall[lo : hi + 1])
    return BusyWindow(days == WEEKEND, lo, hi + 1, sum(sat[lo : hi + 1]) / seconds)


def _pct(share: float) -> str:
    return f"{round(share * 100)} %"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def capacity_summary(usage: UsageReport, demand: DemandReport) -> CapacitySummary:
    site = demand.site_name or "the site"
    n = demand.connectors
    sentences: list[Sentence] = []
    connectors = usage.connectors
    observed = sum(c.observed_s for c in connectors)
    if observed:
        occupied = sum(c.occupied_s for c in connectors) / observed
        charging = sum(c.charging_s for c in connectors) / observed
        usable = sum(c.usable_s for c in connectors) / observed
        faults = sum(s.faults for s in usage.stations)
        sentences.append(
            Sentence(
                "utilisation",
                f"The {_count(n, 'connector', 'connectors')} at {site} were occupied "
                f"{_pct(occupied)} of the time and charging {_pct(charging)}; they were "
                f"usable {_pct(usable)} of the time ({_count(faults, 'fault', 'faults')}).",
                "Shares of the time each connector's status was known, over all connectors.",
            )
        )
    windows = tuple(
        w for w in (busiest_window(demand.heat_map, d) for d in (WEEKDAYS, WEEKEND)) if w
    )
    if not windows:
        sentences.append(
            Sentence(
                "busiest",
                f"The connectors at {site} were never all busy at once.",
                "No moment with every connector occupied.",
            )
        )
    for w in windows:
        days = "weekend" if w.weekend else "weekday"
        sentences.append(
            Sentence(
                "busiest",
                f"All {n} connectors at {site} were busy at once {_pct(w.share)} of {days} "
                f"hours {w.first_hour:02d}–{w.end_hour:02d}.",
                "The hour with the highest share of time every connector was occupied, "
                "widened while the next hour's share was at least half of it.",
            )
        )
    waited, away = len(demand.waited), len(demand.turned_away)
    away_full = sum(1 for t in demand.turned_away if t.site_full)
    wait_min = round(demand.rules.wait_window_s / 60)
    start_min = round(demand.rules.start_window_s / 60)
    sentences.append(
        Sentence(
            "waiting",
            f"{_count(waited, 'driver', 'drivers')} waited and "
            f"{_count(away, 'driver was', 'drivers were')} turned away "
            f"({away_full} of them while every connector was busy).",
            f"Waited: a session began within {wait_min} min of a connector coming free at a "
            f"full site. Turned away: a tag accepted at the site with no session within "
            f"{start_min} min.",
        )
    )
    if demand.extra_connectors:
        text = (
            f"Adding {_count(demand.extra_connectors, 'connector', 'connectors')} "
            "would have served them."
        )
    elif waited or away:
        text = "More connectors would not have served them: a connector was free."
    else:
        text = f"The {_count(n, 'connector', 'connectors')} were enough for every driver."
    sentences.append(
        Sentence(
            "capacity",
            text,
            "The most drivers unserved at one moment: a waiting driver over the last "
            f"{wait_min} min of the full spell, a driver turned away while the site was full "
            f"over {start_min} min from the authorisation.",
        )
    )
    peak = demand.peak_power
    if peak is not None:
        when = peak.at.astimezone(demand.period.zone).strftime("%Y-%m-%d %H:%M")
        kw = f"{peak.watts / 1000:.1f} kW"
        share = demand.peak_share_of_limit
        if share is None or demand.connection_limit_w is None:
            tail = "; no connection limit is set for the site."
        else:
            limit = f"{demand.connection_limit_w / 1000:.1f} kW"
            tail = f", {_pct(share)} of the {limit} connection limit."
        sentences.append(
            Sentence(
                "power",
                f"Peak simultaneous power was {kw} (15 minutes from {when}){tail}",
                "The 15-minute bucket with the highest sum of the connectors' mean power.",
            )
        )
    return CapacitySummary(demand.site_id, demand.site_name, windows, tuple(sentences))
