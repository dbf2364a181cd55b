"""Tariffs stored, edited, archived and assigned, through the service into a temporary SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, insert

from app.bootstrap import Engine
from app.config import Settings
from app.domain.errors import InvalidInput, NotFound
from app.domain.events import DomainEvent, TariffAssignmentChanged, TariffChanged
from app.domain.tariffs import Tariff
from app.services.tariffs import TariffService
from app.store.schema import fleets, subscription_plans

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(api_enabled=False)


@pytest.fixture
def tariffs(engine: Engine) -> TariffService:
    return engine.services.tariffs


async def add_fleet_and_plan(engine: Engine) -> tuple[int, int]:
    """Rows the access and subscriptions services own, written directly for the test."""

    def op(conn: Connection) -> tuple[int, int]:
        fleet = conn.execute(insert(fleets).values(name="Vans", created_at=NOW))
        plan = conn.execute(
            insert(subscription_plans).values(
                name="Commuter",
                monthly_fee_minor=9900,
                currency="SEK",
                vat_rate_bp=2500,
                created_at=NOW,
            )
        )
        assert fleet.inserted_primary_key is not None
        assert plan.inserted_primary_key is not None
        return int(fleet.inserted_primary_key[0]), int(plan.inserted_primary_key[0])

    return await engine.db.write(op)


async def test_a_tariff_is_created_found_by_name_and_edited_under_the_same_id(
    tariffs: TariffService, engine: Engine
) -> None:
    seen: list[DomainEvent] = []
    engine.services.bus.subscribe(seen.append, TariffChanged)
    created = await tariffs.create(Tariff("Standard", energy_per_kwh_minor=345))
    assert (await tariffs.find("standard")).id == created.id
    assert (await tariffs.find(str(created.id))).name == "Standard"
    edited = await tariffs.update(created.id, Tariff("Standard", energy_per_kwh_minor=410))
    assert edited.id == created.id
    assert (await tariffs.get(created.id)).tariff.energy_per_kwh_minor == 410
    assert [(e.change, e.tariff_id) for e in seen if isinstance(e, TariffChanged)] == [
        ("created", created.id),
        ("updated", created.id),
    ]


async def test_names_are_unique_in_any_case_and_a_refusal_changes_nothing(
    tariffs: TariffService,
) -> None:
    standard = await tariffs.create(Tariff("Standard", energy_per_kwh_minor=345))
    night = await tariffs.create(Tariff("Night", energy_per_kwh_minor=200))
    with pytest.raises(InvalidInput, match="already a tariff named 'Standard'"):
        await tariffs.create(Tariff("STANDARD"))
    with pytest.raises(InvalidInput, match="already a tariff named 'Standard'"):
        await tariffs.update(night.id, Tariff("standard", energy_per_kwh_minor=1))
    with pytest.raises(NotFound, match="no tariff with id 999"):
        await tariffs.update(999, Tariff("Other"))
    assert [t.name for t in await tariffs.list()] == ["Night", "Standard"]
    assert (await tariffs.get(night.id)).tariff.energy_per_kwh_minor == 200
    assert (await tariffs.get(standard.id)).tariff.energy_per_kwh_minor == 345


async def test_the_most_specific_assignment_decides_the_tariff_of_a_station(
    tariffs: TariffService, engine: Engine
) -> None:
    fleet_id, plan_id = await add_fleet_and_plan(engine)
    await engine.services.stations.add("CP-1", None)
    await engine.services.stations.add("CP-2", None)
    depot = await engine.services.sites.create_site("Depot")
    await engine.services.sites.assign_to_site("CP-1", depot.id)
    general = await tariffs.create(Tariff("General", energy_per_kwh_minor=400))
    depot_tariff = await tariffs.create(Tariff("Depot", energy_per_kwh_minor=350))
    vans = await tariffs.create(Tariff("Vans", energy_per_kwh_minor=300))
    commuter = await tariffs.create(Tariff("Commuter", energy_per_kwh_minor=250))

    assert await tariffs.resolve("CP-1") is None, "no tariff anywhere: no price"
    await tariffs.assign(general.id)
    await tariffs.assign(depot_tariff.id, site_id=depot.id)
    await tariffs.assign(vans.id, site_id=depot.id, fleet_id=fleet_id)
    await tariffs.assign(commuter.id, plan_id=plan_id)

    async def name_at(station: str, fleet: int | None = None, plan: int | None = None) -> str:
        found = await tariffs.resolve(station, fleet, plan)
        assert found is not None
        return found.name

    assert await name_at("CP-1") == "Depot"
    assert await name_at("CP-1", fleet_id) == "Vans"
    assert await name_at("CP-1", fleet_id, plan_id) == "Vans", "the site comes before the plan"
    assert await name_at("CP-2", fleet_id, plan_id) == "Commuter", "CP-2 is on no site"
    assert await name_at("CP-2", fleet_id) == "General"
    await tariffs.assign(general.id, station_id="CP-1")
    assert await name_at("CP-1", fleet_id) == "General", "the station's own tariff wins"
    await tariffs.unassign(station_id="CP-1")
    assert await name_at("CP-1", fleet_id) == "Vans"


async def test_assigning_again_replaces_and_clearing_says_what_was_not_there(
    tariffs: TariffService, engine: Engine
) -> None:
    seen: list[DomainEvent] = []
    engine.services.bus.subscribe(seen.append, TariffAssignmentChanged)
    await engine.services.stations.add("CP-1", None)
    first = await tariffs.create(Tariff("First"))
    second = await tariffs.create(Tariff("Second"))
    await tariffs.assign(first.id, station_id="CP-1")
    await tariffs.assign(second.id, station_id="CP-1")
    assert [(a.tariff_id, a.scope.station_id) for a in await tariffs.assignments()] == [
        (second.id, "CP-1")
    ]
    await tariffs.unassign(station_id="CP-1")
    with pytest.raises(NotFound, match="no tariff is set station CP-1"):
        await tariffs.unassign(station_id="CP-1")
    assert [
        (e.station_id, e.tariff_id) for e in seen if isinstance(e, TariffAssignmentChanged)
    ] == [
        ("CP-1", first.id),
        ("CP-1", second.id),
        ("CP-1", None),
    ]


async def test_assignments_to_things_that_do_not_exist_are_refused(
    tariffs: TariffService,
) -> None:
    tariff = await tariffs.create(Tariff("Standard"))
    for place, message in (
        ({"site_id": 7}, "no site with id 7"),
        ({"station_id": "NOPE"}, "no station 'NOPE'"),
        ({"fleet_id": 8}, "no fleet with id 8"),
        ({"plan_id": 9}, "no subscription plan with id 9"),
        ({"site_id": 1, "station_id": "CP-1"}, "not both"),
    ):
        with pytest.raises(InvalidInput, match=message):
            await tariffs.assign(tariff.id, **place)
    with pytest.raises(NotFound, match="no tariff with id 99"):
        await tariffs.assign(99)
    assert await tariffs.assignments() == []


async def test_an_assigned_tariff_cannot_be_archived_and_an_archived_one_not_assigned(
    tariffs: TariffService, engine: Engine
) -> None:
    fleet_id, _ = await add_fleet_and_plan(engine)
    depot = await engine.services.sites.create_site("Depot")
    tariff = await tariffs.create(Tariff("Standard"))
    await tariffs.assign(tariff.id)
    await tariffs.assign(tariff.id, site_id=depot.id, fleet_id=fleet_id)
    with pytest.raises(InvalidInput) as refused:
        await tariffs.archive(tariff.id)
    assert str(refused.value) == (
        "tariff 'Standard' is still assigned (everywhere; site 'Depot' for fleet 'Vans'): "
        "assign another tariff there or clear those assignments first"
    )
    assert not (await tariffs.get(tariff.id)).archived
    await tariffs.unassign()
    await tariffs.unassign(site_id=depot.id, fleet_id=fleet_id)
    assert (await tariffs.archive(tariff.id)).archived
    assert await tariffs.list() == []
    assert [t.name for t in await tariffs.list(include_archived=True)] == ["Standard"]
    with pytest.raises(InvalidInput, match="archived: restore it to assign it"):
        await tariffs.assign(tariff.id)
    await tariffs.restore(tariff.id)
    await tariffs.assign(tariff.id)
    assert await tariffs.resolve("ANY") is not None
