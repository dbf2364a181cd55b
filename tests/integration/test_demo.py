"""The demo site a newcomer starts: priced, with drivers, and never twice."""

from __future__ import annotations

from app.bootstrap import Engine
from app.demo import DEMO_FLEET, DEMO_TAGS, DEMO_TARIFF, prepare_demo
from app.domain.tariffs import Tariff


async def test_the_demo_cards_belong_to_drivers_and_sessions_have_a_price(engine: Engine) -> None:
    services = engine.services
    await prepare_demo(services, 2)
    await prepare_demo(services, 2)  # started again: nothing doubles
    fleets = await services.access.fleets()
    assert [f.name for f in fleets] == [DEMO_FLEET]
    cards = await services.access.drivers()
    assert len(cards) == len(DEMO_TAGS)
    assert sorted(t.id_tag for c in cards for t in c.tags) == sorted(DEMO_TAGS)
    assert all(c.driver.fleet_id == fleets[0].id for c in cards)
    assert await services.tariffs.resolve("SIM-001") == DEMO_TARIFF
    assert [t.name for t in await services.tariffs.list()] == [DEMO_TARIFF.name]


async def test_a_site_with_its_own_tariffs_keeps_them(engine: Engine) -> None:
    services = engine.services
    await services.tariffs.create(Tariff("Our price", energy_per_kwh_minor=299))
    await prepare_demo(services, 1)
    assert [t.name for t in await services.tariffs.list()] == ["Our price"]
    assert await services.tariffs.resolve("SIM-001") is None  # not assigned: not ours to do
