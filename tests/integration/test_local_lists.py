"""Stations' local authorization lists and caches follow access changes.

A real engine on loopback and simulated chargers (app/sim), which keep their
list and cache as OCPP 1.6 says and answer SendLocalList, GetLocalListVersion
and ClearCache from them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.events import LocalListUpdated
from app.domain.model import CommandRecord, IdTag, IdTagStatus
from app.sim import SimulatedCharger
from tests.integration.ocpp16_steps import events_of

ACCEPTED = IdTagStatus.ACCEPTED


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    syncing = settings.with_overrides(
        local_auth_sync=True, local_auth_sync_delay=0.2, api_enabled=False
    )
    async with Engine(syncing) as running:
        yield running


@asynccontextmanager
async def station(
    engine: Engine, station_id: str, before: Callable[[SimulatedCharger], None] | None = None
) -> AsyncIterator[SimulatedCharger]:
    """A simulated charger, connected and booted, whose first list update is done."""
    charger = SimulatedCharger(
        station_id,
        f"ws://127.0.0.1:{engine.port}/ocpp",
        connectors=2,
        reconnect_base=0.05,
        reconnect_cap=0.1,
        reset_pause=0.05,
    )
    if before is not None:
        before(charger)
    await charger.connect()
    try:
        await charger.wait_booted()
        await engine.services.local_lists.wait_idle()
        yield charger
    finally:
        await charger.close()


async def sent(engine: Engine, station_id: str, action: str) -> list[CommandRecord]:
    """The operations of this kind sent to the station, oldest first."""
    records = await engine.services.commands.history(station_id=station_id)
    return [r for r in reversed(records) if r.action == action]


def updates(records: list[CommandRecord]) -> list[tuple[object, object, object]]:
    return [(r.request["update_type"], r.request["list_version"], r.outcome) for r in records]


async def add_tags(engine: Engine, *id_tags: str) -> None:
    for id_tag in id_tags:
        await engine.services.tags.create(IdTag(id_tag, ACCEPTED))


async def test_a_station_gets_the_whole_list_when_it_connects_and_then_only_changes(
    engine: Engine,
) -> None:
    await add_tags(engine, "A-1", "B-2")
    await engine.services.tags.create(IdTag("BLOCKED", IdTagStatus.BLOCKED))
    confirmed: list[LocalListUpdated] = []
    engine.services.bus.subscribe(lambda e: confirmed.append(e), LocalListUpdated)  # type: ignore[arg-type]
    async with station(engine, "CP-LIST") as cp:
        assert cp.model.local_list.version == 1
        assert set(cp.model.local_list.entries) == {"A-1", "B-2"}
        assert [r.outcome for r in await sent(engine, "CP-LIST", "GetLocalListVersion")] == [
            "accepted"
        ]

        await add_tags(engine, "C-3")
        await engine.services.tags.remove("A-1")
        await engine.services.local_lists.wait_idle()

        assert cp.model.local_list.version == 2
        assert set(cp.model.local_list.entries) == {"B-2", "C-3"}
        lists = await sent(engine, "CP-LIST", "SendLocalList")
        assert updates(lists) == [("Full", 1, "accepted"), ("Differential", 2, "accepted")]
        assert lists[1].request["local_authorization_list"] == [
            {"id_tag": "A-1"},  # no idTagInfo: removed
            {"id_tag": "C-3", "status": "Accepted"},
        ]
        assert (await engine.services.stations.get("CP-LIST")).local_list_version == 2
        assert [(e.version, e.update_type, e.entries) for e in confirmed] == [
            (1, "Full", 2),
            (2, "Differential", 2),
        ]


async def test_a_burst_of_edits_reaches_a_station_as_one_update(engine: Engine) -> None:
    async with station(engine, "CP-BURST") as cp:
        await add_tags(engine, *(f"T-{n}" for n in range(6)))
        await engine.services.local_lists.wait_idle()
        assert len(cp.model.local_list.entries) == 6
        # It held no list and should hold none when it connected: nothing was sent then.
        assert updates(await sent(engine, "CP-BURST", "SendLocalList")) == [("Full", 1, "accepted")]
        assert len(await sent(engine, "CP-BURST", "GetLocalListVersion")) == 1


async def test_after_a_version_mismatch_the_whole_list_is_sent_again(engine: Engine) -> None:
    await add_tags(engine, "A-1")
    async with station(engine, "CP-MISMATCH") as cp:
        # Someone else (a service laptop) gave the station a list of its own.
        cp.model.local_list.version = 50
        cp.model.local_list.entries.clear()
        await add_tags(engine, "B-2")
        await engine.services.local_lists.wait_idle()
        assert updates(await sent(engine, "CP-MISMATCH", "SendLocalList")) == [
            ("Full", 1, "accepted"),
            ("Differential", 2, "rejected"),
            ("Full", 51, "accepted"),
        ]
        assert cp.model.local_list.version == 51
        assert set(cp.model.local_list.entries) == {"A-1", "B-2"}


async def test_a_station_that_reconnects_with_its_list_gets_only_changes(engine: Engine) -> None:
    await add_tags(engine, "A-1")
    async with station(engine, "CP-BACK") as cp:
        await cp.drop_connection()
        await cp.wait_booted()
        await add_tags(engine, "B-2")
        await engine.services.local_lists.wait_idle()
        assert [u[0] for u in updates(await sent(engine, "CP-BACK", "SendLocalList"))] == [
            "Full",
            "Differential",
        ]
        assert set(cp.model.local_list.entries) == {"A-1", "B-2"}


async def test_a_long_list_goes_in_pieces_and_is_cut_to_what_the_station_holds(
    engine: Engine,
) -> None:
    await add_tags(engine, *(f"T-{n}" for n in range(6)))

    def small(cp: SimulatedCharger) -> None:
        cp.configuration.set_internal("SendLocalListMaxLength", "2")
        cp.configuration.set_internal("LocalAuthListMaxLength", "5")
        cp.model.local_list.max_length = 5

    async with station(engine, "CP-SMALL", small) as cp:
        assert updates(await sent(engine, "CP-SMALL", "SendLocalList")) == [
            ("Full", 1, "accepted"),
            ("Differential", 2, "accepted"),
            ("Differential", 3, "accepted"),
        ]
        assert sorted(cp.model.local_list.entries) == [f"T-{n}" for n in range(5)]
        (cut,) = await events_of(engine, "CP-SMALL", "access.local_list_truncated")
        assert "1 that may charge there are left off" in cut.message


async def test_a_station_without_local_lists_is_left_alone_once_it_says_so(
    engine: Engine,
) -> None:
    await add_tags(engine, "A-1")

    def no_lists(cp: SimulatedCharger) -> None:
        cp.configuration.set_internal("LocalAuthListEnabled", "false")

    async with station(engine, "CP-NOLIST", no_lists) as cp:
        assert (await engine.services.stations.get("CP-NOLIST")).local_list_version == -1
        await add_tags(engine, "B-2")
        await engine.services.local_lists.wait_idle()
        await cp.reboot()
        await cp.wait_booted()
        await engine.services.local_lists.wait_idle()
        # One attempt at connection and one after the reboot; none for the edit between.
        assert [u[2] for u in updates(await sent(engine, "CP-NOLIST", "SendLocalList"))] == [
            "rejected",
            "rejected",
        ]
        assert len(await events_of(engine, "CP-NOLIST", "access.local_list_unsupported")) == 1


async def test_blocking_a_card_clears_the_cache_and_takes_it_off_the_list(
    engine: Engine,
) -> None:
    await add_tags(engine, "CARD", "OTHER")
    async with station(engine, "CP-CACHE") as cp:
        assert await cp.present_tag(1, "CARD") == "Accepted"
        assert "CARD" in cp.model.auth_cache.entries
        await engine.services.tags.block("CARD")
        await engine.services.local_lists.wait_idle()
        assert cp.model.auth_cache.entries == {}
        assert set(cp.model.local_list.entries) == {"OTHER"}
        (clear,) = await sent(engine, "CP-CACHE", "ClearCache")
        assert (clear.requested_by, clear.outcome) == ("access", "accepted")


async def test_a_station_away_when_access_was_revoked_clears_its_cache_on_return(
    engine: Engine,
) -> None:
    await add_tags(engine, "CARD")
    async with station(engine, "CP-AWAY") as cp:
        assert await cp.present_tag(1, "CARD") == "Accepted"
        await cp.go_offline()
        await engine.services.tags.block("CARD")
        await engine.services.local_lists.wait_idle()
        assert "CARD" in cp.model.auth_cache.entries
        await cp.come_back_online()
        await cp.wait_booted()
        await engine.services.local_lists.wait_idle()
        assert cp.model.auth_cache.entries == {}
        assert cp.model.local_list.entries == {}
