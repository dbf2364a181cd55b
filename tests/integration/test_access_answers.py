"""What a charger is answered under the access rules: Authorize and StartTransaction.

A real engine on loopback with a clock the test sets, and raw chargers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.access import AccessRule, Subject, UnknownTagPolicy
from app.domain.model import IdTag, IdTagStatus
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import events_of, iso, start

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Tuesday 13 January 2026 in Stockholm (+01:00).
NIGHT = datetime(2026, 1, 13, 23, 0, tzinfo=STOCKHOLM)
NOON = datetime(2026, 1, 13, 12, 0, tzinfo=STOCKHOLM)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON)


@pytest.fixture
async def site(settings: Settings, clock: Clock) -> AsyncIterator[Engine]:
    """A depot (vans at night) and a garage (the public), each with one charger."""
    zoned = settings.with_overrides(site_time_zone="Europe/Stockholm", api_enabled=False)
    async with Engine(zoned, clock) as engine:
        s = engine.services
        for station in ("DEPOT-1", "GARAGE-1"):
            await s.stations.add(station)
        depot = await s.sites.create_site("Depot")
        garage = await s.sites.create_site("Garage")
        await s.sites.assign_to_site("DEPOT-1", depot.id)
        await s.sites.assign_to_site("GARAGE-1", garage.id)
        vans = await s.access.create_fleet("Vans")
        await s.access.create_driver(
            "Van driver", fleet_id=vans.id, tags=[IdTag("04:a2:b3:c4", IdTagStatus.ACCEPTED)]
        )
        await s.access.create_driver("Visitor", tags=[IdTag("VISITOR", IdTagStatus.ACCEPTED)])
        await s.access.add_rule(
            AccessRule(
                0,
                Subject.FLEET,
                fleet_id=vans.id,
                site_id=depot.id,
                start=time(22, 0),
                end=time(6, 0),
            )
        )
        await s.access.add_rule(AccessRule(0, Subject.NO_FLEET, station_id="GARAGE-1"))
        yield engine


async def charger(engine: Engine, station_id: str) -> RawCharger:
    cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", station_id)
    assert (await cp.boot())["status"] == "Accepted"
    return cp


async def authorize(cp: RawCharger, id_tag: str) -> dict[str, object]:
    info: dict[str, object] = (await cp.ok("Authorize", {"idTag": id_tag}))["idTagInfo"]
    return info


async def test_a_fleet_van_charges_at_the_depot_at_night_until_the_window_closes(
    site: Engine, clock: Clock
) -> None:
    depot = await charger(site, "DEPOT-1")
    clock.set(NIGHT)
    # The card reader reports the UID without separators; the desk typed it with colons.
    answer = await authorize(depot, "04A2B3C4")
    closes = datetime(2026, 1, 14, 6, 0, tzinfo=STOCKHOLM)
    assert answer == {"status": "Accepted", "expiryDate": iso(closes).replace("Z", ".000Z")}
    clock.set(NOON)
    assert await authorize(depot, "04A2B3C4") == {"status": "Invalid"}
    garage = await charger(site, "GARAGE-1")
    assert await authorize(garage, "04A2B3C4") == {"status": "Invalid"}
    await depot.close()
    await garage.close()


async def test_the_public_charges_in_the_garage_and_not_at_the_depot(site: Engine) -> None:
    garage = await charger(site, "GARAGE-1")
    depot = await charger(site, "DEPOT-1")
    assert await authorize(garage, "visitor") == {"status": "Accepted"}
    assert await authorize(depot, "VISITOR") == {"status": "Invalid"}
    refused = await events_of(site, "DEPOT-1", "authorization.rejected")
    assert "refused id tag VISITOR: Invalid" in refused[0].message
    (let_in,) = await events_of(site, "GARAGE-1", "authorization.accepted")
    assert let_in.data["id_tag"] == "VISITOR"
    await garage.close()
    await depot.close()


async def test_a_deactivated_drivers_card_is_blocked(site: Engine) -> None:
    garage = await charger(site, "GARAGE-1")
    (visitor,) = await site.services.access.drivers("visitor")
    await site.services.access.deactivate_driver(visitor.driver.id)
    assert await authorize(garage, "VISITOR") == {"status": "Blocked"}
    await site.services.access.activate_driver(visitor.driver.id)
    assert await authorize(garage, "VISITOR") == {"status": "Accepted"}
    await garage.close()


async def test_a_card_already_charging_is_refused_a_second_session(site: Engine) -> None:
    garage = await charger(site, "GARAGE-1")
    first = await start(garage, "VISITOR", connector=1)
    assert first["idTagInfo"]["status"] == "Accepted"
    second = await start(garage, "VISITOR", connector=2)
    assert second["idTagInfo"]["status"] == "ConcurrentTx"
    assert second["transactionId"] != first["transactionId"]
    assert await authorize(garage, "VISITOR") == {"status": "ConcurrentTx"}
    visitor = await site.services.tags.get("VISITOR")
    await site.services.tags.update(dataclasses.replace(visitor, max_concurrent=2))
    assert await authorize(garage, "VISITOR") == {"status": "Accepted"}
    await garage.close()


async def test_a_retried_start_is_not_counted_as_a_second_session(site: Engine) -> None:
    garage = await charger(site, "GARAGE-1")
    payload = {
        "connectorId": 1,
        "idTag": "VISITOR",
        "meterStart": 100,
        "timestamp": iso(NOON),
    }
    first = await garage.ok("StartTransaction", payload)
    again = await garage.ok("StartTransaction", payload)
    assert again == first
    assert first["idTagInfo"] == {"status": "Accepted"}
    await garage.close()


async def test_a_group_and_its_expiry_reach_the_charger(site: Engine) -> None:
    later = (NOON + timedelta(days=30)).astimezone(UTC)
    await site.services.tags.create(IdTag("GARAGE-STAFF", IdTagStatus.ACCEPTED))
    await site.services.tags.create(
        IdTag("STAFF-7", IdTagStatus.ACCEPTED, later, parent_id_tag="garage-staff")
    )
    garage = await charger(site, "GARAGE-1")
    answer = await start(garage, "STAFF-7")
    assert answer["idTagInfo"] == {
        "status": "Accepted",
        "expiryDate": iso(later).replace("Z", ".000Z"),
        "parentIdTag": "GARAGE-STAFF",
    }
    await site.services.tags.block("GARAGE-STAFF")
    assert (await authorize(garage, "STAFF-7"))["status"] == "Blocked"
    await garage.close()


@pytest.mark.parametrize(
    ("policy", "answer"),
    [(UnknownTagPolicy.REJECT, "Invalid"), (UnknownTagPolicy.WALK_IN, "Accepted")],
)
async def test_an_unknown_card_is_refused_or_taken_as_a_walk_in_by_setting(
    settings: Settings, policy: UnknownTagPolicy, answer: str
) -> None:
    async with Engine(settings.with_overrides(unknown_tags=policy, api_enabled=False)) as engine:
        cp = await charger(engine, "CP-WALK")
        assert await authorize(cp, "NEVER-SEEN") == {"status": answer}
        walk_ins = await events_of(engine, "CP-WALK", "authorization.walk_in")
        assert len(walk_ins) == (1 if policy is UnknownTagPolicy.WALK_IN else 0)
        await cp.close()


async def test_walk_ins_are_the_public_where_rules_exist(settings: Settings) -> None:
    walk_ins = settings.with_overrides(unknown_tags=UnknownTagPolicy.WALK_IN, api_enabled=False)
    async with Engine(walk_ins) as engine:
        await engine.services.stations.add("FLEET-ONLY")
        vans = await engine.services.access.create_fleet("Vans")
        await engine.services.access.add_rule(
            AccessRule(0, Subject.FLEET, fleet_id=vans.id, station_id="FLEET-ONLY")
        )
        cp = await charger(engine, "FLEET-ONLY")
        assert await authorize(cp, "NEVER-SEEN") == {"status": "Invalid"}
        await cp.close()
