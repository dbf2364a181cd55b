"""Sites, floor plans and station positions, through the service into a temporary SQLite."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from app.bootstrap import Engine
from app.domain.errors import InvalidInput, StationNotFound
from app.domain.model import Admission, ConnectorStatus
from app.domain.overview import ConnectorRow
from app.domain.sites import (
    FLOOR_PLAN_MAX_BYTES,
    MARKER_PRIORITY,
    FloorPlanFormat,
    StationPosition,
    bay_ids,
    floor_plan_format,
    marker_rank,
    summarize_station,
)
from app.services.sites import SiteService

SAMPLE_SVG = (
    Path(__file__).parents[2] / "app" / "ui" / "resources" / "sample_floor_plan.svg"
).read_bytes()


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def sites(engine: Engine) -> SiteService:
    return engine.services.sites


async def test_sites_are_created_listed_in_order_and_renamed(sites: SiteService) -> None:
    depot = await sites.create_site("  Depot   North ")
    garage = await sites.create_site("Garage", "Level 2")
    assert depot.name == "Depot North"
    assert [s.title for s in await sites.sites()] == ["Depot North", "Garage — Level 2"]
    assert not depot.has_floor_plan
    renamed = await sites.rename_site(garage.id, "Garage", "Level 3")
    assert renamed.title == "Garage — Level 3"
    assert (await sites.get(garage.id)).level == "Level 3"


BAD_NAMES = [
    ("", "", "needs a name"),
    ("   ", "", "needs a name"),
    ("x" * 101, "", "at most 100"),
    ("Depot", "y" * 51, "at most 50"),
    ("depot", "", "already a site named"),
]


async def test_bad_site_names_are_refused_and_nothing_changes(sites: SiteService) -> None:
    depot = await sites.create_site("Depot")
    for name, level, message in BAD_NAMES:
        with pytest.raises(InvalidInput, match=message):
            await sites.create_site(name, level)
    garage = await sites.create_site("Garage")
    with pytest.raises(InvalidInput, match="already a site named 'Depot'"):
        await sites.rename_site(garage.id, "DEPOT")
    assert [s.name for s in await sites.sites()] == ["Depot", "Garage"]
    assert await sites.rename_site(depot.id, "Depot") == depot


async def test_unknown_sites_are_named_in_the_error(sites: SiteService) -> None:
    with pytest.raises(InvalidInput, match="no site with id 42"):
        await sites.rename_site(42, "Nowhere")
    with pytest.raises(InvalidInput, match="no site with id 42"):
        await sites.import_floor_plan(42, SAMPLE_SVG)
    with pytest.raises(InvalidInput, match="no site with id 42"):
        await sites.remove_site(42)


async def test_png_and_svg_floor_plans_are_stored_and_read_back(sites: SiteService) -> None:
    site = await sites.create_site("Depot")
    png = tiny_png()
    stored = await sites.import_floor_plan(site.id, png)
    assert stored.floor_plan_format is FloorPlanFormat.PNG
    plan = await sites.floor_plan(site.id)
    assert plan is not None
    assert (plan.format, plan.data) == (FloorPlanFormat.PNG, png)
    await sites.import_floor_plan(site.id, SAMPLE_SVG)
    plan = await sites.floor_plan(site.id)
    assert plan is not None
    assert (plan.format, plan.data) == (FloorPlanFormat.SVG, SAMPLE_SVG)
    cleared = await sites.clear_floor_plan(site.id)
    assert not cleared.has_floor_plan
    assert await sites.floor_plan(site.id) is None


NOT_PLANS = [
    b"",
    b"GIF89a\x01\x00\x01\x00",
    b"\xff\xd8\xff\xe0 a JPEG",
    b"\x89PNG\r\n\x1a\n but no header chunk",
    b"<html><body>not a drawing</body></html>",
    b"<?xml version='1.0'?><plan/>",
    b"<svg xmlns='http://www.w3.org/2000/svg'><rect",
    b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg>&a;</svg>",
    b"just some text",
]


async def test_anything_but_png_or_svg_is_refused_and_the_old_plan_stays(
    sites: SiteService,
) -> None:
    site = await sites.create_site("Depot")
    await sites.import_floor_plan(site.id, SAMPLE_SVG)
    for data in NOT_PLANS:
        with pytest.raises(InvalidInput, match=r"empty|PNG image or an SVG drawing"):
            await sites.import_floor_plan(site.id, data)
    with pytest.raises(InvalidInput, match="too large"):
        await sites.import_floor_plan(site.id, tiny_png() + bytes(FLOOR_PLAN_MAX_BYTES))
    plan = await sites.floor_plan(site.id)
    assert plan is not None
    assert plan.data == SAMPLE_SVG


async def test_positions_are_stored_replaced_and_read_back(
    engine: Engine, sites: SiteService
) -> None:
    for station_id in ("CP-1", "CP-2"):
        await engine.services.stations.add(station_id)
    depot = await sites.create_site("Depot")
    yard = await sites.create_site("Yard")
    await sites.place_station("CP-1", depot.id, 120.5, 80.25)
    await sites.place_stations(
        [StationPosition("CP-2", depot.id, 300, 80), StationPosition("CP-2", yard.id, 10, 20)]
    )
    assert await sites.positions(depot.id) == [StationPosition("CP-1", depot.id, 120.5, 80.25)]
    assert await sites.positions(yard.id) == [StationPosition("CP-2", yard.id, 10, 20)]
    await sites.place_station("CP-1", yard.id, 1, 2)  # moved to another site
    assert await sites.positions(depot.id) == []
    assert [p.station_id for p in await sites.positions()] == ["CP-1", "CP-2"]
    await sites.unplace_station("CP-2")
    assert [p.station_id for p in await sites.positions()] == ["CP-1"]


async def test_bad_positions_are_refused_and_nothing_is_stored(
    engine: Engine, sites: SiteService
) -> None:
    await engine.services.stations.add("CP-1")
    depot = await sites.create_site("Depot")
    with pytest.raises(StationNotFound):
        await sites.place_stations(
            [StationPosition("CP-1", depot.id, 1, 1), StationPosition("GHOST", depot.id, 2, 2)]
        )
    with pytest.raises(InvalidInput, match="no site with id 99"):
        await sites.place_station("CP-1", 99, 1, 1)
    with pytest.raises(InvalidInput, match="finite"):
        await sites.place_station("CP-1", depot.id, float("nan"), 1)
    assert await sites.positions() == []


async def test_removing_a_site_keeps_its_stations_but_not_their_positions(
    engine: Engine, sites: SiteService
) -> None:
    await engine.services.stations.add("CP-1")
    depot = await sites.create_site("Depot")
    await sites.import_floor_plan(depot.id, SAMPLE_SVG)
    await sites.place_station("CP-1", depot.id, 5, 5)
    await sites.remove_site(depot.id)
    assert await sites.sites() == []
    assert await sites.positions() == []
    assert [s.id for s in await engine.services.stations.all()] == ["CP-1"]


async def test_the_first_site_is_created_once_with_its_plan(sites: SiteService) -> None:
    first = await sites.ensure_first_site("Depot", SAMPLE_SVG)
    again = await sites.ensure_first_site("Depot", SAMPLE_SVG)
    assert first == again
    assert first.floor_plan_format is FloorPlanFormat.SVG
    assert len(await sites.sites()) == 1


def test_the_sample_plan_marks_sixteen_bays_in_natural_order() -> None:
    assert floor_plan_format(SAMPLE_SVG) is FloorPlanFormat.SVG
    bays = bay_ids(SAMPLE_SVG)
    assert len(bays) == 16
    assert bays[:3] == ["bay-A1", "bay-A2", "bay-A3"]
    assert bays[8] == "bay-B1"


def _row(connector: int, status: ConnectorStatus, **kw: object) -> ConnectorRow:
    return ConnectorRow("CP", connector, status, connected=True, **kw)  # type: ignore[arg-type]


def test_the_marker_shows_the_most_relevant_connector() -> None:
    charging = _row(1, ConnectorStatus.CHARGING, power_w=11000.0)
    faulted = _row(2, ConnectorStatus.FAULTED)
    available = _row(2, ConnectorStatus.AVAILABLE)
    assert summarize_station("CP", [charging, faulted]).status is ConnectorStatus.FAULTED
    busy = summarize_station("CP", [charging, available])
    assert (busy.status, busy.power_w, busy.connector_count) == (
        ConnectorStatus.CHARGING,
        11000.0,
        2,
    )
    offline = summarize_station("CP", [ConnectorRow("CP", 1, ConnectorStatus.CHARGING)])
    assert offline.status is ConnectorStatus.OFFLINE
    assert offline.power_w == 0
    # a station-wide fault on connector 0 shows even when the bays look fine
    whole = summarize_station("CP", [_row(0, ConnectorStatus.FAULTED), available])
    assert whole.status is ConnectorStatus.FAULTED
    assert whole.connector_count == 1


def test_pending_approval_ranks_after_faulted_and_offline_before_charging() -> None:
    pending = summarize_station(
        "CP", [_row(1, ConnectorStatus.CHARGING, admission=Admission.PENDING)]
    )
    assert pending.pending
    faulted = summarize_station("CP", [_row(1, ConnectorStatus.FAULTED)])
    charging = summarize_station("CP", [_row(1, ConnectorStatus.CHARGING)])
    assert marker_rank(faulted) < marker_rank(pending) < marker_rank(charging)
    assert MARKER_PRIORITY[:3] == (
        ConnectorStatus.FAULTED,
        ConnectorStatus.OFFLINE,
        ConnectorStatus.CHARGING,
    )


async def test_stations_assigned_to_a_site_line_up_without_overlapping(
    engine: Engine, sites: SiteService
) -> None:
    for station_id in ("CP-A", "CP-B", "CP-C"):
        await engine.services.stations.add(station_id)
    garage = await sites.create_site("Garage")
    first = await sites.assign_to_site("CP-A", garage.id)
    second = await sites.assign_to_site("CP-B", garage.id)
    await sites.place_station("CP-A", garage.id, 500, 500)  # the operator drags A away
    third = await sites.assign_to_site("CP-C", garage.id)
    assert (first.x, first.y) != (second.x, second.y)
    assert (third.x, third.y) == (first.x, first.y)  # the freed spot is used again
    assert {p.station_id for p in await sites.positions(garage.id)} == {"CP-A", "CP-B", "CP-C"}
