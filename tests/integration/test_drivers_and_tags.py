"""The desk registers drivers, fleets, cards and rules: what is saved, found and refused."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.access import AccessRule, Subject
from app.domain.errors import InvalidInput, NotFound
from app.domain.events import AccessChanged, DomainEvent
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services

ACCEPTED = IdTagStatus.ACCEPTED


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    async with Engine(settings.with_overrides(api_enabled=False)) as running:
        yield running


def card(id_tag: str, **fields: object) -> IdTag:
    return IdTag(id_tag, ACCEPTED, **fields)  # type: ignore[arg-type]


async def test_a_driver_is_saved_with_their_cards_and_found_by_any_spelling(
    engine: Engine,
) -> None:
    access = engine.services.access
    vans = await access.create_fleet("  Vans ")
    anna = await access.create_driver(
        "Anna Berg",
        fleet_id=vans.id,
        email="anna@example.com",
        tags=[card("04:a2:b3:c4"), card("spare-2", max_concurrent=2)],
    )
    await access.create_driver("Bo Ek")
    assert (anna.fleet_name, [t.id_tag for t in anna.tags]) == ("Vans", ["04A2B3C4", "SPARE-2"])
    assert all(t.driver_id == anna.driver.id for t in anna.tags)
    for search in ("04-A2-B3", "04a2", "vans", "ANNA", "example.com", "spare"):
        assert [c.driver.name for c in await access.drivers(search)] == ["Anna Berg"], search
    assert [c.driver.name for c in await access.drivers()] == ["Anna Berg", "Bo Ek"]
    assert (await access.driver(anna.driver.id)) == anna
    assert [t.id_tag for t in await engine.services.tags.tags("04:A2")] == ["04A2B3C4"]


async def test_a_taken_card_is_refused_and_nothing_of_the_form_is_saved(engine: Engine) -> None:
    access = engine.services.access
    await access.create_driver("Anna", tags=[card("04A2B3C4")])
    with pytest.raises(
        InvalidInput, match=r"04A2B3C4 is registered already \(it belongs to Anna\)"
    ):
        await access.create_driver("Bo", tags=[card("NEW-1"), card("04:A2:B3:C4")])
    assert [c.driver.name for c in await access.drivers()] == ["Anna"]
    assert await engine.services.tags.get_or_none("NEW-1") is None
    with pytest.raises(InvalidInput, match="registered already"):
        await engine.services.tags.create(card("04-a2-b3-c4"))


REFUSALS: list[tuple[str, Callable[[Services], Awaitable[object]], str]] = [
    ("blank name", lambda s: s.access.create_driver("  "), "name: a name is needed"),
    ("bad email", lambda s: s.access.create_driver("A", email="a@b"), "email"),
    ("no such fleet", lambda s: s.access.create_driver("A", fleet_id=99), "no fleet 99"),
    (
        "malformed card",
        lambda s: s.access.create_driver("A", tags=[card("TOO-LONG-FOR-OCPP-1.6-X")]),
        "at most 20 characters",
    ),
    (
        "card twice",
        lambda s: s.access.create_driver("A", tags=[card("X1"), card("x1")]),
        "X1 given twice",
    ),
    (
        "expired on arrival",
        lambda s: s.tags.create(card("OLD", expiry_date=datetime.now(UTC) - timedelta(days=1))),
        "has passed",
    ),
    (
        "its own group",
        lambda s: s.tags.create(card("G1", parent_id_tag="g1")),
        "cannot be its own group",
    ),
    ("fleet taken", lambda s: s.access.create_fleet("vans"), "a fleet called 'vans' already"),
    (
        "rule for no station",
        lambda s: s.access.add_rule(AccessRule(0, Subject.EVERYONE, station_id="NOPE")),
        "no station 'NOPE'",
    ),
    (
        "rule for no site",
        lambda s: s.access.add_rule(AccessRule(0, Subject.EVERYONE, site_id=7)),
        "no site 7",
    ),
    (
        "fleet rule without a fleet",
        lambda s: s.access.add_rule(AccessRule(0, Subject.FLEET)),
        "needs the fleet",
    ),
]


async def test_a_form_that_cannot_work_is_refused_with_what_is_wrong(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    await engine.services.access.create_fleet("Vans")
    for what, act, message in REFUSALS:
        with pytest.raises(InvalidInput, match=message):  # noqa: PT012 (one case per round)
            await act(engine.services)
            pytest.fail(f"{what}: not refused")
    assert [c.driver.name for c in await engine.services.access.drivers()] == []
    assert await engine.services.tags.tags() == []
    assert await engine.services.access.rules() == []
    # A refusal is no failure of the store: nothing is logged as an error.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_every_change_is_announced_and_revocations_are_marked(engine: Engine) -> None:
    seen: list[AccessChanged] = []

    def record(event: DomainEvent) -> None:
        assert isinstance(event, AccessChanged)
        seen.append(event)

    engine.services.bus.subscribe(record, AccessChanged)
    s = engine.services
    await s.tags.create(card("GROUP"))
    await s.tags.create(card("MEMBER", parent_id_tag="group"))
    await s.tags.block("GROUP")
    await s.tags.unblock("GROUP")
    rule = await s.access.add_rule(AccessRule(0, Subject.EVERYONE, start=time(6), end=time(22)))
    await s.access.add_rule(
        AccessRule(0, Subject.FLEET, fleet_id=(await s.access.create_fleet("V")).id)
    )
    await s.access.remove_rule(rule.id)
    assert [(e.subject, e.action, e.revoked, e.blocked_tags) for e in seen] == [
        ("tag", "created", False, ()),
        ("tag", "created", False, ()),
        ("tag", "changed", True, ("GROUP", "MEMBER")),
        ("tag", "changed", False, ()),
        ("rule", "created", True, ()),  # the first rule ends "everyone, everywhere"
        ("fleet", "created", False, ()),
        ("rule", "created", False, ()),
        ("rule", "removed", True, ()),
    ]


async def test_the_older_tag_form_keeps_the_cards_driver_and_limit(engine: Engine) -> None:
    anna = await engine.services.access.create_driver("Anna", tags=[card("CARD", max_concurrent=3)])
    stored = await engine.services.authorization.add_tag(
        IdTag("card", IdTagStatus.BLOCKED, note="lost")
    )
    assert (stored.driver_id, stored.max_concurrent) == (anna.driver.id, 3)
    assert (stored.status, stored.note) == (IdTagStatus.BLOCKED, "lost")


async def test_removing_a_driver_removes_their_cards(engine: Engine) -> None:
    access = engine.services.access
    anna = await access.create_driver("Anna", tags=[card("A-1"), card("A-2")])
    await access.remove_driver(anna.driver.id)
    assert await engine.services.tags.tags() == []
    with pytest.raises(NotFound):
        await access.driver(anna.driver.id)


async def test_removing_a_fleet_leaves_its_drivers_in_no_fleet(engine: Engine) -> None:
    access = engine.services.access
    vans = await access.create_fleet("Vans")
    anna = await access.create_driver("Anna", fleet_id=vans.id)
    await access.add_rule(AccessRule(0, Subject.FLEET, fleet_id=vans.id))
    await access.remove_fleet(vans.id)
    after = await access.driver(anna.driver.id)
    assert (after.driver.fleet_id, after.fleet_name) == (None, None)
    assert await access.rules() == []
