"""Stored tariffs, where each applies, and which one a session gets.

Precedence (the one rule `most_specific` implements and the Tariffs screen explains):

1. The place decides first: a row for the station beats a row for the station's
   site, which beats a row for everywhere.
2. At the same place the group decides: a row for the driver's subscription plan
   beats a row for the driver's fleet, which beats the general row (no group).

So a station's general tariff wins over its site's fleet price: a fleet price set
for a site applies at the stations of that site that have no tariff of their own.
A row for another station, site, fleet or plan never applies. There is at most one
row per place and group (setting one replaces it), so there are no ties.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import InvalidInput
from app.domain.tariffs import Tariff


@dataclass(frozen=True, slots=True)
class StoredTariff:
    """A tariff as the store keeps it: its current version under a stable id.

    Editing a tariff replaces `tariff` (sessions keep the snapshot taken at their
    start); an archived tariff can no longer be assigned.
    """

    id: int
    tariff: Tariff
    archived: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def name(self) -> str:
        return self.tariff.name


@dataclass(frozen=True, slots=True)
class TariffScope:
    """Where and for whom: at most one of site and station (neither: everywhere), and
    at most one of fleet and plan (neither: everyone there)."""

    site_id: int | None = None
    station_id: str | None = None
    fleet_id: int | None = None
    plan_id: int | None = None

    def __post_init__(self) -> None:
        if self.site_id is not None and self.station_id is not None:
            raise InvalidInput(
                "a tariff is assigned to a site or to a station, not both: "
                "a station's own tariff already takes precedence over its site's"
            )
        if self.fleet_id is not None and self.plan_id is not None:
            raise InvalidInput(
                "a tariff is assigned for a fleet or for a subscription plan, not both"
            )
        if self.station_id is not None and not self.station_id.strip():
            raise InvalidInput("the station id of a tariff assignment is empty")

    @property
    def place_rank(self) -> int:
        """3 station, 2 site, 1 everywhere."""
        if self.station_id is not None:
            return 3
        return 2 if self.site_id is not None else 1

    @property
    def group_rank(self) -> int:
        """3 plan, 2 fleet, 1 everyone."""
        if self.plan_id is not None:
            return 3
        return 2 if self.fleet_id is not None else 1

    def describe(self) -> str:
        """ "everywhere", "site 2", "station CP-1 for fleet 3" (ids; screens use names)."""
        if self.station_id is not None:
            where = f"station {self.station_id}"
        elif self.site_id is not None:
            where = f"site {self.site_id}"
        else:
            where = "everywhere"
        if self.plan_id is not None:
            return f"{where} for subscription plan {self.plan_id}"
        if self.fleet_id is not None:
            return f"{where} for fleet {self.fleet_id}"
        return where


@dataclass(frozen=True, slots=True)
class TariffAssignment:
    id: int
    tariff_id: int
    scope: TariffScope


@dataclass(frozen=True, slots=True)
class SessionContext:
    """What decides a session's tariff: its station, the station's site, and the
    driver's fleet and subscription plan (None where there is none)."""

    station_id: str
    site_id: int | None = None
    fleet_id: int | None = None
    plan_id: int | None = None


def applies(scope: TariffScope, context: SessionContext) -> bool:
    if scope.station_id is not None and scope.station_id != context.station_id:
        return False
    if scope.site_id is not None and scope.site_id != context.site_id:
        return False
    if scope.plan_id is not None and scope.plan_id != context.plan_id:
        return False
    return scope.fleet_id is None or scope.fleet_id == context.fleet_id


def most_specific(
    assignments: Iterable[TariffAssignment], context: SessionContext
) -> TariffAssignment | None:
    """The assignment that decides the tariff of a session in `context` (module doc)."""
    best: TariffAssignment | None = None
    for assignment in assignments:
        if not applies(assignment.scope, context):
            continue
        if best is None or _rank(assignment) > _rank(best):
            best = assignment
    return best


def _rank(assignment: TariffAssignment) -> tuple[int, int]:
    return assignment.scope.place_rank, assignment.scope.group_rank
