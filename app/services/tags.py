"""Id tags: create, change, block and remove them; every change is checked and announced.

Each change publishes AccessChanged so screens refresh, stations' local lists
follow and, when someone lost access, stations clear their caches.
"""

from __future__ import annotations

import dataclasses
import logging

from app.domain.access import UnknownTagPolicy, tag_narrowed
from app.domain.access_forms import checked_tag
from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput, NotFound
from app.domain.events import AccessChanged
from app.domain.model import IdTag, IdTagStatus, Severity
from app.domain.operators import Role
from app.domain.ports import Clock, EventLog, TagRepository
from app.services.acting import requires
from app.services.events import EventBus

log = logging.getLogger(__name__)

SEARCH_LIMIT = 10_000


class TagService:
    def __init__(
        self,
        tags: TagRepository,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        *,
        unknown_tags: UnknownTagPolicy,
    ) -> None:
        self._tags = tags
        self._events = events
        self._bus = bus
        self._clock = clock
        self._walk_in = unknown_tags is UnknownTagPolicy.WALK_IN

    def set_unknown_tag_policy(self, policy: UnknownTagPolicy) -> None:
        self._walk_in = policy is UnknownTagPolicy.WALK_IN

    async def tags(self, search: str = "", limit: int = SEARCH_LIMIT) -> list[IdTag]:
        """Every tag, or those whose id, group or note contains `search`; by id."""
        if not 1 <= limit <= SEARCH_LIMIT:
            raise InvalidInput(f"a page holds 1 to {SEARCH_LIMIT:,} tags")
        text = search.strip()
        if not text:
            return (await self._tags.all())[:limit]
        found = {t.id_tag: t for t in await self._tags.search(text, limit)}
        uid = normalise_id_tag(text)
        if uid != text:
            found.update({t.id_tag: t for t in await self._tags.search(uid, limit)})
        return [found[k] for k in sorted(found)][:limit]

    async def get(self, id_tag: str) -> IdTag:
        tag = await self._tags.get(normalise_id_tag(id_tag))
        if tag is None:
            raise NotFound(f"no id tag {id_tag!r}")
        return tag

    async def get_or_none(self, id_tag: str) -> IdTag | None:
        return await self._tags.get(normalise_id_tag(id_tag))

    @requires(Role.OPERATOR, "tag.create")
    async def create(self, tag: IdTag) -> IdTag:
        """Register a new tag; a tag that exists already is refused, not replaced."""
        stored = checked_tag(tag, self._clock(), new=True)
        await self._tags.create(stored)
        await self._changed(None, stored, "created")
        return stored

    @requires(Role.OPERATOR, "tag.update")
    async def update(self, tag: IdTag) -> IdTag:
        """Replace what is stored for an existing tag (NotFound if there is none)."""
        before = await self.get(tag.id_tag)
        stored = checked_tag(tag, self._clock(), new=False)
        await self._tags.upsert(stored)
        await self._changed(before, stored, "changed")
        return stored

    @requires(Role.OPERATOR, "tag.put")
    async def put(self, tag: IdTag) -> IdTag:
        """Create the tag or replace it whole."""
        stored = checked_tag(tag, self._clock(), new=False)
        before = await self._tags.get(stored.id_tag)
        await self._tags.upsert(stored)
        await self._changed(before, stored, "created" if before is None else "changed")
        return stored

    @requires(Role.OPERATOR, "tag.block")
    async def block(self, id_tag: str) -> IdTag:
        return await self._set_status(id_tag, IdTagStatus.BLOCKED)

    @requires(Role.OPERATOR, "tag.unblock")
    async def unblock(self, id_tag: str) -> IdTag:
        return await self._set_status(id_tag, IdTagStatus.ACCEPTED)

    @requires(Role.OPERATOR, "tag.remove")
    async def remove(self, id_tag: str) -> bool:
        key = normalise_id_tag(id_tag)
        before = await self._tags.get(key)
        if before is None or not await self._tags.delete(key):
            return False
        await self._changed(before, None, "removed")
        return True

    async def _set_status(self, id_tag: str, status: IdTagStatus) -> IdTag:
        before = await self.get(id_tag)
        if before.status is status:
            return before
        after = dataclasses.replace(before, status=status)
        await self._tags.upsert(after)
        await self._changed(before, after, "changed")
        return after

    async def _changed(self, before: IdTag | None, after: IdTag | None, action: str) -> None:
        tag = after or before
        assert tag is not None
        revoked = tag_narrowed(before, after, walk_in=self._walk_in)
        blocked: tuple[str, ...] = ()
        if (
            after is not None
            and after.status is IdTagStatus.BLOCKED
            and (before is None or before.status is not IdTagStatus.BLOCKED)
        ):
            # A blocked group blocks its members (decide): their sessions too.
            members = [t.id_tag for t in await self._tags.all() if t.parent_id_tag == tag.id_tag]
            blocked = (tag.id_tag, *members)
        now = self._clock()
        await self._events.append(
            "access.tag",
            Severity.INFO,
            _describe(before, after, action),
            None,
            {"id_tag": tag.id_tag, "action": action, "revoked": revoked},
            now,
        )
        self._bus.publish(AccessChanged(now, "", "tag", tag.id_tag, action, revoked, blocked))


def _describe(before: IdTag | None, after: IdTag | None, action: str) -> str:
    if after is None:
        return f"Id tag {before.id_tag if before else '?'} removed"
    if before is not None and before.status is not after.status:
        return f"Id tag {after.id_tag} {after.status.value.lower()} (was {before.status.value})"
    return f"Id tag {after.id_tag} {action}"
