"""Import and export of tags and drivers as CSV: preview first, then all or nothing.

Comparing a large file takes a while (about a third of a second for 10,000
rows), so it runs on a worker thread: the engine loop keeps answering chargers.
An import is announced like any other access change (AccessChanged): screens
refresh, stations' local lists follow, sessions of tags it blocks are handled.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import tzinfo

from app.domain.events import AccessChanged
from app.domain.model import Severity
from app.domain.operators import Role
from app.domain.ports import Clock, EventLog
from app.domain.tag_import import (
    ExportedFile,
    ImportResult,
    Preview,
    TagImportStore,
    build_preview,
    export_csv,
)
from app.services.acting import requires
from app.services.clock import utcnow
from app.services.events import EventBus

log = logging.getLogger(__name__)


class TagImportService:
    def __init__(
        self,
        store: TagImportStore,
        events: EventLog,
        bus: EventBus,
        clock: Clock = utcnow,
        *,
        zone: tzinfo | None = None,
        walk_in: bool = False,
    ) -> None:
        """`zone`: where dates without an offset are, in files read and written (None: this
        computer's zone). `walk_in`: tags nobody registered are accepted as walk-ins."""
        self._store = store
        self._events = events
        self._bus = bus
        self._clock = clock
        self._zone = zone
        self._walk_in = walk_in

    def set_walk_in(self, walk_in: bool) -> None:
        self._walk_in = walk_in

    async def preview(self, data: bytes) -> Preview:
        """What importing the CSV file `data` would do; writes nothing.

        Raises TagFileRefused when the file is no tag list at all.
        """
        register = await self._store.register()
        return await asyncio.to_thread(
            build_preview, data, register, self._zone, walk_in=self._walk_in
        )

    @requires(Role.OPERATOR, "tag.import")
    async def apply(self, preview: Preview) -> ImportResult:
        """Write everything the preview shows, in one transaction.

        Raises ImportRefused when the preview has invalid or duplicate rows, and
        StalePreview when the tags, drivers or fleets changed since it was made.
        """
        preview.refuse_unless_applicable()
        now = self._clock()
        result = await self._store.apply(preview, now)
        if not preview.has_changes:
            return result
        message = (
            f"Tag import: {result.tags_added} tags added, {result.tags_changed} tags changed, "
            f"{result.drivers_added} drivers added, {result.drivers_changed} drivers changed, "
            f"{result.fleets_added} fleets added"
        )
        log.info("%s", message)
        data: dict[str, object] = {
            "tags_added": result.tags_added,
            "tags_changed": result.tags_changed,
            "drivers_added": result.drivers_added,
            "drivers_changed": result.drivers_changed,
            "fleets_added": result.fleets_added,
            "revoked": preview.revoked,
            "blocked_tags": list(preview.blocked_tags),
        }
        await self._events.append("access.import", Severity.INFO, message, None, data, now)
        self._bus.publish(
            AccessChanged(now, "", "tag", "", "changed", preview.revoked, preview.blocked_tags)
        )
        return result

    @requires(Role.OPERATOR)
    async def export(self, delimiter: str = ",") -> ExportedFile:
        """Every tag with its driver, as a CSV file the import reads back unchanged.

        UTF-8 with a byte order mark, so spreadsheets show å, ä and ö.
        """
        register = await self._store.register()
        text = await asyncio.to_thread(export_csv, register, self._zone, delimiter)
        return ExportedFile(text.encode("utf-8-sig"), len(register.tags))
