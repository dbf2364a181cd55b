"""Sites (floor plans per site or level) and where each station sits on them.

Every change is validated here first: bad input raises InvalidInput with a
message for the operator and nothing is stored.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from app.domain.errors import InvalidInput, StationNotFound
from app.domain.operators import Role
from app.domain.ports import Clock
from app.domain.sites import (
    FLOOR_PLAN_MAX_BYTES,
    SITE_LEVEL_MAX,
    SITE_NAME_MAX,
    FloorPlan,
    FloorPlanFormat,
    Site,
    StationPosition,
    floor_plan_format,
)
from app.services.acting import requires
from app.services.clock import utcnow

log = logging.getLogger(__name__)

COORDINATE_LIMIT = 1e7


class SiteRepository(Protocol):
    """Implemented by app/store/repositories/sites.py."""

    async def all(self) -> list[Site]: ...

    async def get(self, site_id: int) -> Site | None: ...

    async def create(
        self, name: str, level: str, created_at: datetime, plan: FloorPlan | None = None
    ) -> Site: ...

    async def rename(self, site_id: int, name: str, level: str) -> Site | None: ...

    async def delete(self, site_id: int) -> bool:
        """Delete the site and the positions on it; the stations stay."""
        ...

    async def set_floor_plan(
        self, site_id: int, plan_format: FloorPlanFormat | None, data: bytes | None
    ) -> Site | None: ...

    async def floor_plan(self, site_id: int) -> FloorPlan | None: ...

    async def positions(self, site_id: int | None = None) -> list[StationPosition]: ...

    async def place(self, positions: Sequence[StationPosition]) -> None:
        """Insert or replace each station's position (all in one transaction)."""
        ...

    async def unplace(self, station_id: str) -> None: ...

    async def known_stations(self, station_ids: Sequence[str]) -> set[str]: ...


# Where stations assigned to a site (not yet dragged into place) line up.
ASSIGN_MARGIN = 60.0
ASSIGN_STEP_X = 180.0
ASSIGN_STEP_Y = 120.0
ASSIGN_PER_ROW = 6


class SiteService:
    def __init__(self, repository: SiteRepository, clock: Clock = utcnow) -> None:
        self._repo = repository
        self._clock = clock

    # ---- sites -------------------------------------------------------------------

    async def sites(self) -> list[Site]:
        """Every site, in the operator's order."""
        return await self._repo.all()

    async def get(self, site_id: int) -> Site:
        site = await self._repo.get(site_id)
        if site is None:
            raise InvalidInput(f"There is no site with id {site_id}; it may have been removed.")
        return site

    @requires(Role.MANAGER, "site.create", target="name")
    async def create_site(self, name: str, level: str = "") -> Site:
        name, level = await self._checked_names(name, level, None)
        site = await self._repo.create(name, level, self._clock())
        log.info("site %d created: %s", site.id, site.title)
        return site

    @requires(Role.MANAGER, "site.rename", target="site_id")
    async def rename_site(self, site_id: int, name: str, level: str | None = None) -> Site:
        current = await self.get(site_id)
        name, level = await self._checked_names(
            name, current.level if level is None else level, site_id
        )
        renamed = await self._repo.rename(site_id, name, level)
        if renamed is None:
            raise InvalidInput(f"There is no site with id {site_id}; it may have been removed.")
        return renamed

    @requires(Role.MANAGER, "site.remove", target="site_id")
    async def remove_site(self, site_id: int) -> None:
        """Remove a site and its floor plan; its stations stay, no longer placed."""
        site = await self.get(site_id)
        await self._repo.delete(site_id)
        log.info("site %d removed: %s", site_id, site.title)

    async def ensure_first_site(self, name: str, plan: bytes | None = None) -> Site:
        """The first site, created (with `plan` as its floor plan) if there is none yet."""
        existing = await self._repo.all()
        if existing:
            return existing[0]
        name, level = await self._checked_names(name, "", None)
        floor_plan = None
        if plan is not None:
            floor_plan = FloorPlan(0, self._checked_plan(plan), plan)
        site = await self._repo.create(name, level, self._clock(), floor_plan)
        log.info("first site created: %s", site.title)
        return site

    async def _checked_names(self, name: str, level: str, site_id: int | None) -> tuple[str, str]:
        name = " ".join(name.split())
        level = " ".join(level.split())
        if not name:
            raise InvalidInput("A site needs a name.")
        if len(name) > SITE_NAME_MAX:
            raise InvalidInput(f"A site name can be at most {SITE_NAME_MAX} characters long.")
        if len(level) > SITE_LEVEL_MAX:
            raise InvalidInput(f"A level name can be at most {SITE_LEVEL_MAX} characters long.")
        for other in await self._repo.all():
            same = other.name.casefold() == name.casefold()
            if same and other.level.casefold() == level.casefold() and other.id != site_id:
                where = f" on level {other.level!r}" if other.level else ""
                raise InvalidInput(f"There is already a site named {other.name!r}{where}.")
        return name, level

    # ---- floor plans -------------------------------------------------------------

    @requires(Role.MANAGER, "site.floor_plan", target="site_id")
    async def import_floor_plan(self, site_id: int, data: bytes) -> Site:
        """Store a PNG or SVG as the site's floor plan, replacing any earlier one."""
        await self.get(site_id)
        plan_format = self._checked_plan(data)
        site = await self._repo.set_floor_plan(site_id, plan_format, data)
        if site is None:
            raise InvalidInput(f"There is no site with id {site_id}; it may have been removed.")
        log.info("floor plan (%s, %d bytes) stored for site %d", plan_format, len(data), site_id)
        return site

    @requires(Role.MANAGER, "site.clear_floor_plan", target="site_id")
    async def clear_floor_plan(self, site_id: int) -> Site:
        await self.get(site_id)
        site = await self._repo.set_floor_plan(site_id, None, None)
        assert site is not None
        return site

    async def floor_plan(self, site_id: int) -> FloorPlan | None:
        return await self._repo.floor_plan(site_id)

    @staticmethod
    def _checked_plan(data: bytes) -> FloorPlanFormat:
        if not data:
            raise InvalidInput("The floor plan file is empty.")
        if len(data) > FLOOR_PLAN_MAX_BYTES:
            raise InvalidInput(
                f"The floor plan is too large ({len(data) / 1_048_576:.1f} MB); "
                f"at most {FLOOR_PLAN_MAX_BYTES // 1_048_576} MB is accepted."
            )
        plan_format = floor_plan_format(data)
        if plan_format is None:
            raise InvalidInput("The floor plan must be a PNG image or an SVG drawing.")
        return plan_format

    # ---- station positions ----------------------------------------------------------

    async def positions(self, site_id: int | None = None) -> list[StationPosition]:
        """Positions on one site, or on every site when site_id is None."""
        return await self._repo.positions(site_id)

    @requires(Role.OPERATOR)
    async def place_station(
        self, station_id: str, site_id: int, x: float, y: float
    ) -> StationPosition:
        placed = await self.place_stations([StationPosition(station_id, site_id, x, y)])
        return placed[0]

    @requires(Role.OPERATOR)
    async def place_stations(self, positions: Sequence[StationPosition]) -> list[StationPosition]:
        """Store several positions at once (all or none)."""
        if not positions:
            return []
        for site_id in {p.site_id for p in positions}:
            await self.get(site_id)
        for p in positions:
            if not (math.isfinite(p.x) and math.isfinite(p.y)):
                raise InvalidInput("A station's position must be a finite point.")
            if abs(p.x) > COORDINATE_LIMIT or abs(p.y) > COORDINATE_LIMIT:
                raise InvalidInput("A station's position is too far off the plan.")
        wanted = [p.station_id for p in positions]
        known = await self._repo.known_stations(wanted)
        for station_id in wanted:
            if station_id not in known:
                raise StationNotFound(station_id)
        await self._repo.place(positions)
        return list(positions)

    @requires(Role.OPERATOR, "station.assign_site", target="station_id")
    async def assign_to_site(self, station_id: str, site_id: int) -> StationPosition:
        """Put a station on a site in the next free spot of a tidy row near the top
        left; the operator drags it onto its bay later."""
        taken = {(p.x, p.y) for p in await self.positions(site_id) if p.station_id != station_id}
        slot = 0
        while True:
            x = ASSIGN_MARGIN + (slot % ASSIGN_PER_ROW) * ASSIGN_STEP_X
            y = ASSIGN_MARGIN + (slot // ASSIGN_PER_ROW) * ASSIGN_STEP_Y
            if (x, y) not in taken:
                return await self.place_station(station_id, site_id, x, y)
            slot += 1

    @requires(Role.OPERATOR)
    async def unplace_station(self, station_id: str) -> None:
        """Take a station off every plan (it shows as not placed)."""
        await self._repo.unplace(station_id)
