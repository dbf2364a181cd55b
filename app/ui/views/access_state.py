"""What the drivers screen shows, read from the services in one go on the engine thread."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.domain.access import AccessRule, DriverCard, Fleet
from app.domain.sites import Site
from app.services.container import Services

DRIVERS_SHOWN = 1000


@dataclass(frozen=True, slots=True)
class DriverQuery:
    """The list's search box, fleet filter and "show inactive" box."""

    search: str = ""
    fleet_id: int | None = None
    include_inactive: bool = False


@dataclass(frozen=True, slots=True)
class AccessState:
    drivers: tuple[DriverCard, ...] = ()
    fleets: tuple[Fleet, ...] = ()
    rules: tuple[AccessRule, ...] = ()
    sites: tuple[Site, ...] = ()
    stations: tuple[str, ...] = ()
    # Drivers per fleet (all of them, not just those the search shows).
    members: dict[int, int] = field(default_factory=dict)
    query: DriverQuery = DriverQuery()

    @property
    def fleet_names(self) -> dict[int, str]:
        return {f.id: f.name for f in self.fleets}

    @property
    def site_names(self) -> dict[int, str]:
        return {s.id: s.title for s in self.sites}

    def driver(self, driver_id: int) -> DriverCard | None:
        return next((c for c in self.drivers if c.driver.id == driver_id), None)


async def load_access_state(s: Services, query: DriverQuery) -> AccessState:
    drivers = await s.access.drivers(
        query.search,
        fleet_id=query.fleet_id,
        include_inactive=query.include_inactive,
        limit=DRIVERS_SHOWN,
    )
    everyone = await s.access.drivers(limit=10_000)
    members = Counter(c.driver.fleet_id for c in everyone if c.driver.fleet_id is not None)
    return AccessState(
        drivers=tuple(drivers),
        fleets=tuple(await s.access.fleets()),
        rules=tuple(await s.access.rules()),
        sites=tuple(await s.sites.sites()),
        stations=tuple(sorted(st.id for st in await s.stations.all())),
        members=dict(members),
        query=query,
    )
