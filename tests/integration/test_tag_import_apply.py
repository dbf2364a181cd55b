"""Applying a tag import to a real database: everything at once, or nothing at all."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, text

from app.domain.events import AccessChanged, DomainEvent
from app.domain.model import IdTagStatus
from app.domain.tag_import import ImportRefused, RowKind, StalePreview
from app.services.events import EventBus
from app.services.tag_import import TagImportService
from app.store import migrate
from app.store.database import Database
from app.store.repositories.logs import SqlEventLog
from app.store.repositories.tag_import import SqlTagImportStore

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DEPOT = (
    b"id_tag;status;expiry_date;driver_name;driver_email;fleet;tag_note\n"
    b"04:A2:B3:C4;Accepted;2027-06-30;Anna Berg;anna@depot.se;Buses;blue card\n"
    b"BUS-17;Blocked;;Bo Ek;;Buses;\n"
    b"VAN-1;Accepted;;Cecilia Holm;cecilia@depot.se;Vans;\n"
    b"VAN-2;Accepted;;Cecilia Holm;cecilia@depot.se;Vans;spare\n"
)


class Site:
    """The service over a fresh temporary database, and what it announced."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.bus = EventBus()
        self.announced: list[DomainEvent] = []
        self.bus.subscribe(self.announced.append)
        self.service = TagImportService(
            SqlTagImportStore(db),
            SqlEventLog(db),
            self.bus,
            lambda: NOW,
            zone=ZoneInfo("Europe/Stockholm"),
        )

    def count(self, table: str) -> int:
        with sqlite3.connect(self.path) as raw:
            found = raw.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(found[0])

    def counts(self) -> tuple[int, int, int]:
        return self.count("fleets"), self.count("drivers"), self.count("id_tags")


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    path = tmp_path / "tags.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    db = Database(url)
    await db.start()
    yield Site(db, path)
    await db.close()


async def test_a_clean_file_is_written_and_then_previews_as_unchanged(site: Site) -> None:
    preview = await site.service.preview(DEPOT)
    assert preview.counts[RowKind.NEW] == 4
    result = await site.service.apply(preview)
    assert (result.tags_added, result.drivers_added, result.fleets_added) == (4, 3, 2)
    assert site.counts() == (2, 3, 4)

    again = await site.service.preview(DEPOT)
    assert again.counts[RowKind.UNCHANGED] == 4
    assert not again.has_changes
    register = await SqlTagImportStore(site.db).register()
    tags = {t.id_tag: t for t in register.tags}
    assert tags["04A2B3C4"].expiry_date == datetime(2027, 6, 29, 22, tzinfo=UTC)
    assert tags["VAN-1"].driver_id == tags["VAN-2"].driver_id is not None


async def test_an_export_imports_back_without_a_single_change(site: Site) -> None:
    await site.service.apply(await site.service.preview(DEPOT))
    for delimiter in (",", ";"):
        exported = await site.service.export(delimiter)
        assert exported.data.startswith("\ufeff".encode())
        assert exported.tags == 4
        preview = await site.service.preview(exported.data)
        assert preview.counts[RowKind.UNCHANGED] == 4, preview.rows


async def test_changes_update_tags_and_drivers_in_place(site: Site) -> None:
    await site.service.apply(await site.service.preview(DEPOT))
    changed = (
        b"id_tag,status,driver_name,driver_email,driver_phone\n"
        b"BUS-17,Accepted,Bo Ek,,+46 70 123 45 67\n"
        b"VAN-1,Blocked,Cecilia Holm,cecilia@depot.se,\n"
    )
    preview = await site.service.preview(changed)
    assert [r.kind for r in preview.rows] == [RowKind.CHANGED, RowKind.CHANGED]
    result = await site.service.apply(preview)
    assert (result.tags_changed, result.drivers_changed) == (2, 1)
    register = await SqlTagImportStore(site.db).register()
    tags = {t.id_tag: t for t in register.tags}
    assert tags["BUS-17"].status is IdTagStatus.ACCEPTED
    assert tags["VAN-1"].status is IdTagStatus.BLOCKED
    assert tags["VAN-1"].note == "", "the file's other columns are left as they are"
    assert {d.name: d.phone for d in register.drivers}["Bo Ek"] == "+46 70 123 45 67"
    assert site.counts() == (2, 3, 4)


async def test_a_failure_midway_leaves_nothing_written(site: Site) -> None:
    await site.service.apply(await site.service.preview(DEPOT))
    before = await SqlTagImportStore(site.db).register()

    def refuse_one_tag(conn: Connection) -> None:
        # The last write of the import fails: fleets, drivers and the other tags came first.
        conn.execute(
            text(
                "CREATE TRIGGER refuse_zz BEFORE INSERT ON id_tags WHEN NEW.id_tag = 'ZZ-LAST' "
                "BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
            )
        )

    await site.db.write(refuse_one_tag)
    data = (
        b"id_tag,status,driver_name,driver_email,fleet\n"
        b"BUS-17,Accepted,Bo Ek,,Buses\n"
        b"NEW-1,Accepted,Dan Ny,dan@depot.se,Taxis\n"
        b"ZZ-LAST,Accepted,Eva,,Taxis\n"
    )
    preview = await site.service.preview(data)
    assert preview.can_apply
    with pytest.raises(Exception, match="disk says no"):
        await site.service.apply(preview)
    assert await SqlTagImportStore(site.db).register() == before
    assert site.counts() == (2, 3, 4)
    assert not [e for e in site.announced if isinstance(e, AccessChanged)][1:]


async def test_a_preview_of_an_older_state_is_refused(site: Site) -> None:
    await site.service.apply(await site.service.preview(DEPOT))
    preview = await site.service.preview(b"id_tag,status\nBUS-17,Accepted\nNEW-9,Accepted\n")

    def someone_blocks_a_tag(conn: Connection) -> None:
        conn.execute(text("UPDATE id_tags SET status = 'Blocked' WHERE id_tag = 'VAN-2'"))

    await site.db.write(someone_blocks_a_tag)
    with pytest.raises(StalePreview, match="changed since the preview; preview again"):
        await site.service.apply(preview)
    assert site.counts() == (2, 3, 4)
    fresh = await site.service.preview(b"id_tag,status\nBUS-17,Accepted\nNEW-9,Accepted\n")
    assert (await site.service.apply(fresh)).tags_added == 1


async def test_invalid_or_duplicate_rows_refuse_the_whole_file(site: Site) -> None:
    preview = await site.service.preview(b"id_tag,status\nGOOD-1,Accepted\nBAD,Sometimes\n")
    with pytest.raises(ImportRefused, match="invalid"):
        await site.service.apply(preview)
    preview = await site.service.preview(b"id_tag\n04:a2\n04A2\nGOOD-1\n")
    with pytest.raises(ImportRefused, match="duplicate"):
        await site.service.apply(preview)
    assert site.counts() == (0, 0, 0)


async def test_an_import_is_announced_and_logged_once(site: Site) -> None:
    await site.service.apply(await site.service.preview(DEPOT))
    data = b"id_tag,status\nVAN-1,Blocked\nVAN-2,Blocked\n04A2B3C4,Accepted\n"
    await site.service.apply(await site.service.preview(data))
    changed = [e for e in site.announced if isinstance(e, AccessChanged)]
    assert len(changed) == 2
    assert changed[1].revoked
    assert changed[1].blocked_tags == ("VAN-1", "VAN-2")
    entries = await SqlEventLog(site.db).recent(limit=10)
    assert [e.kind for e in entries] == ["access.import", "access.import"]
    assert "2 tags changed" in entries[0].message
