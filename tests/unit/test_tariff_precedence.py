"""Which tariff a session gets: the most specific assignment, place first, then group."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.domain.tariff_assignments import (
    SessionContext,
    TariffAssignment,
    TariffScope,
    most_specific,
)

SITE, OTHER_SITE = 1, 2
FLEET, OTHER_FLEET = 10, 11
PLAN, OTHER_PLAN = 20, 21

# Every place × group, each with a tariff id that names it.
ROWS = {
    "everywhere": TariffScope(),
    "everywhere/fleet": TariffScope(fleet_id=FLEET),
    "everywhere/plan": TariffScope(plan_id=PLAN),
    "site": TariffScope(site_id=SITE),
    "site/fleet": TariffScope(site_id=SITE, fleet_id=FLEET),
    "site/plan": TariffScope(site_id=SITE, plan_id=PLAN),
    "station": TariffScope(station_id="CP-1"),
    "station/fleet": TariffScope(station_id="CP-1", fleet_id=FLEET),
    "station/plan": TariffScope(station_id="CP-1", plan_id=PLAN),
}
# Rows that must never apply to the sessions below.
STRANGERS = {
    "other station": TariffScope(station_id="CP-2"),
    "other site": TariffScope(site_id=OTHER_SITE),
    "other fleet": TariffScope(station_id="CP-1", fleet_id=OTHER_FLEET),
    "other plan": TariffScope(station_id="CP-1", plan_id=OTHER_PLAN),
}


def winner(names: list[str], context: SessionContext) -> str | None:
    scopes = {**ROWS, **STRANGERS}
    assignments = [TariffAssignment(i, i, scopes[name]) for i, name in enumerate(names)]
    chosen = most_specific(assignments, context)
    return None if chosen is None else names[chosen.tariff_id]


PLAN_DRIVER = SessionContext("CP-1", SITE, FLEET, PLAN)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        # Remove the winner each time: the next most specific takes over.
        (list(ROWS), "station/plan"),
        ([n for n in ROWS if n != "station/plan"], "station/fleet"),
        (["station", "site/plan", "site/fleet", "everywhere/plan"], "station"),
        (["site", "site/fleet", "site/plan", "everywhere/plan"], "site/plan"),
        (["site", "site/fleet", "everywhere/plan"], "site/fleet"),
        (["site", "everywhere/plan", "everywhere/fleet"], "site"),
        (["everywhere", "everywhere/fleet", "everywhere/plan"], "everywhere/plan"),
        (["everywhere", "everywhere/fleet"], "everywhere/fleet"),
        (["everywhere"], "everywhere"),
        ([], None),
        (list(STRANGERS), None),
        ([*STRANGERS, "everywhere"], "everywhere"),
    ],
)
def test_the_most_specific_place_wins_then_the_most_specific_group(
    present: list[str], expected: str | None
) -> None:
    assert winner(present, PLAN_DRIVER) == expected


def test_a_driver_without_plan_or_fleet_gets_the_general_row_of_the_place() -> None:
    walk_in = SessionContext("CP-1", SITE)
    assert winner(list(ROWS), walk_in) == "station"
    assert winner(["site/fleet", "site", "everywhere/plan"], walk_in) == "site"


def test_a_fleet_driver_without_a_plan_gets_the_fleet_price() -> None:
    fleet_driver = SessionContext("CP-1", SITE, FLEET)
    assert winner(list(ROWS), fleet_driver) == "station/fleet"
    assert winner(["site", "site/fleet", "site/plan"], fleet_driver) == "site/fleet"


def test_a_station_on_no_site_gets_only_its_own_or_the_general_tariffs() -> None:
    unplaced = SessionContext("CP-1", None, FLEET, PLAN)
    assert winner(["site", "site/plan", "everywhere/fleet"], unplaced) == "everywhere/fleet"
    assert winner(["site", "station"], unplaced) == "station"


def test_a_scope_names_one_place_and_one_group_at_most() -> None:
    with pytest.raises(InvalidInput, match="a site or to a station, not both"):
        TariffScope(site_id=1, station_id="CP-1")
    with pytest.raises(InvalidInput, match="for a fleet or for a subscription plan, not both"):
        TariffScope(fleet_id=1, plan_id=2)
    assert TariffScope(station_id="CP-1", plan_id=2).describe() == (
        "station CP-1 for subscription plan 2"
    )
