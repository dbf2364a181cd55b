"""Tariffs: stored, edited, archived, and assigned to places and groups.

Editing a tariff replaces its spec under the same id; a session keeps the snapshot
taken when it started (app/services/session_pricing.py), so an edit never changes
what a session already running or finished costs. Which tariff a session gets is
decided by `resolve`; the precedence is in app/domain/tariff_assignments.py.

Every change is checked first and refused with InvalidInput (NotFound for an id
that names nothing) without storing anything, and announced on the bus after it
is committed: TariffChanged, TariffAssignmentChanged.
"""

from __future__ import annotations

import builtins
import logging
from datetime import datetime
from typing import Protocol

from app.domain.errors import InvalidInput, NotFound
from app.domain.events import TariffAssignmentChanged, TariffChanged
from app.domain.operators import Role
from app.domain.ports import Clock
from app.domain.tariff_assignments import (
    SessionContext,
    StoredTariff,
    TariffAssignment,
    TariffScope,
)
from app.domain.tariffs import Tariff
from app.services.acting import requires
from app.services.events import EventBus

log = logging.getLogger(__name__)


class TariffRepository(Protocol):
    """Implemented by app/store/repositories/tariffs.py."""

    async def all(self, include_archived: bool) -> list[StoredTariff]: ...
    async def get(self, tariff_id: int) -> StoredTariff | None: ...
    async def by_name(self, name: str) -> StoredTariff | None: ...
    async def create(self, tariff: Tariff, now: datetime) -> StoredTariff:
        """InvalidInput if the name (in any case) is taken."""
        ...

    async def update(self, tariff_id: int, tariff: Tariff, now: datetime) -> StoredTariff:
        """NotFound for an unknown id, InvalidInput if another tariff has the name."""
        ...

    async def set_archived(self, tariff_id: int, archived: bool, now: datetime) -> StoredTariff:
        """InvalidInput when archiving a tariff that is still assigned somewhere."""
        ...

    async def assignments(self) -> list[TariffAssignment]: ...
    async def assign(self, tariff_id: int, scope: TariffScope) -> TariffAssignment:
        """Replace the tariff of exactly `scope`; refuses an archived tariff, or a site,
        station, fleet or plan that does not exist."""
        ...

    async def unassign(self, scope: TariffScope) -> TariffAssignment | None: ...
    async def describe(self, scope: TariffScope) -> str: ...
    async def site_of(self, station_id: str) -> int | None: ...
    async def resolve(self, context: SessionContext) -> StoredTariff | None: ...


class TariffService:
    def __init__(self, repository: TariffRepository, bus: EventBus, clock: Clock) -> None:
        self._repo = repository
        self._bus = bus
        self._clock = clock

    # ---- the tariffs ----------------------------------------------------------------

    async def list(self, include_archived: bool = False) -> builtins.list[StoredTariff]:
        """By name; archived ones only when asked for."""
        return await self._repo.all(include_archived)

    async def get(self, tariff_id: int) -> StoredTariff:
        found = await self._repo.get(tariff_id)
        if found is None:
            raise NotFound(f"no tariff with id {tariff_id}")
        return found

    async def find(self, id_or_name: str) -> StoredTariff:
        """By id ("3") or by name in any case ("standard"), as a person types it."""
        text = id_or_name.strip()
        found = await self._repo.by_name(text)
        if found is None and text.isdigit():
            found = await self._repo.get(int(text))
        if found is None:
            raise NotFound(f"no tariff with id or name {id_or_name!r}")
        return found

    @requires(Role.MANAGER, "tariff.create")
    async def create(self, tariff: Tariff) -> StoredTariff:
        created = await self._repo.create(_checked(tariff), self._clock())
        log.info("tariff %d created: %s", created.id, created.name)
        self._changed(created, "created")
        return created

    @requires(Role.MANAGER, "tariff.update", target="tariff_id")
    async def update(self, tariff_id: int, tariff: Tariff) -> StoredTariff:
        """A new version of the tariff: sessions from now on get it, earlier ones keep
        the version they started with."""
        updated = await self._repo.update(tariff_id, _checked(tariff), self._clock())
        log.info("tariff %d updated: %s", updated.id, updated.name)
        self._changed(updated, "updated")
        return updated

    @requires(Role.MANAGER, "tariff.archive", target="tariff_id")
    async def archive(self, tariff_id: int) -> StoredTariff:
        """Hide the tariff from the lists; refused while it is assigned anywhere."""
        archived = await self._repo.set_archived(tariff_id, True, self._clock())
        self._changed(archived, "archived")
        return archived

    @requires(Role.MANAGER, "tariff.restore", target="tariff_id")
    async def restore(self, tariff_id: int) -> StoredTariff:
        restored = await self._repo.set_archived(tariff_id, False, self._clock())
        self._changed(restored, "restored")
        return restored

    # ---- where they apply -------------------------------------------------------------

    async def assignments(self) -> builtins.list[TariffAssignment]:
        return await self._repo.assignments()

    async def describe(self, scope: TariffScope) -> str:
        """ "site 'Depot' for fleet 'Vans'": a scope in the names an operator knows."""
        return await self._repo.describe(scope)

    @requires(Role.MANAGER, "tariff.assign", target="tariff_id")
    async def assign(
        self,
        tariff_id: int,
        *,
        site_id: int | None = None,
        station_id: str | None = None,
        fleet_id: int | None = None,
        plan_id: int | None = None,
    ) -> TariffAssignment:
        """Make `tariff_id` the tariff everywhere (no site, no station), at a site or at
        a station, for everyone there or only for a fleet or a subscription plan. It
        replaces the tariff set for exactly that place and group."""
        scope = TariffScope(site_id, station_id, fleet_id, plan_id)
        assignment = await self._repo.assign(tariff_id, scope)
        log.info("tariff %d assigned: %s", tariff_id, scope.describe())
        self._assignment_changed(scope, tariff_id)
        return assignment

    @requires(Role.MANAGER, "tariff.unassign")
    async def unassign(
        self,
        *,
        site_id: int | None = None,
        station_id: str | None = None,
        fleet_id: int | None = None,
        plan_id: int | None = None,
    ) -> TariffAssignment:
        """Clear the tariff set for exactly this place and group (a more general one,
        if any, applies there again)."""
        scope = TariffScope(site_id, station_id, fleet_id, plan_id)
        cleared = await self._repo.unassign(scope)
        if cleared is None:
            raise NotFound(f"no tariff is set {await self._repo.describe(scope)}")
        log.info("tariff assignment cleared: %s", scope.describe())
        self._assignment_changed(scope, None)
        return cleared

    async def resolve(
        self, station_id: str, fleet_id: int | None = None, plan_id: int | None = None
    ) -> Tariff | None:
        """The tariff a session starting now at `station_id` would get (None: none)."""
        site_id = await self._repo.site_of(station_id)
        found = await self._repo.resolve(SessionContext(station_id, site_id, fleet_id, plan_id))
        return None if found is None else found.tariff

    async def resolve_stored(self, context: SessionContext) -> StoredTariff | None:
        """`resolve` for a context whose site is known already, with the tariff's id."""
        return await self._repo.resolve(context)

    def _changed(self, stored: StoredTariff, change: str) -> None:
        self._bus.publish(TariffChanged(self._clock(), "", stored.id, stored.name, change))

    def _assignment_changed(self, scope: TariffScope, tariff_id: int | None) -> None:
        self._bus.publish(
            TariffAssignmentChanged(
                self._clock(),
                scope.station_id or "",
                tariff_id,
                scope.site_id,
                scope.fleet_id,
                scope.plan_id,
            )
        )


def _checked(tariff: object) -> Tariff:
    # A Tariff is valid once built; anything else is a caller's mistake, said plainly.
    if not isinstance(tariff, Tariff):
        raise InvalidInput(f"a tariff is expected, not {type(tariff).__name__}")
    return tariff
