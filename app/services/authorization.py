"""Who may charge: the answer to Authorize and StartTransaction.

One read gathers the tag, its group, its driver, the rules, the station's
site and the sessions open with the tag; app/domain decides. Rules are read
in the sites' local time (`zone`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo

from app.domain import authorization
from app.domain.access import Allowance, Place, UnknownTagPolicy, allowance, holder_of
from app.domain.model import IdTag, IdTagInfo, IdTagStatus
from app.domain.ports import AccessRepository, Clock
from app.services.tags import TagService

# (normalised id tag, station, connector) -> the answer for a one-off tag issued for a
# payment taken before charging, or None when the tag is not one (app.services.preauth).
PrepaidTags = Callable[[str, str | None, int | None], IdTagInfo | None]


@dataclass(frozen=True, slots=True)
class AccessDecision:
    info: IdTagInfo
    # A tag nobody registered, accepted because walk-ins are (the desk takes payment).
    walk_in: bool = False


class AuthorizationService:
    def __init__(
        self,
        access: AccessRepository,
        tags: TagService,
        clock: Clock,
        *,
        unknown_tags: UnknownTagPolicy,
        zone: tzinfo,
    ) -> None:
        self._access = access
        self._tags = tags
        self._clock = clock
        self.unknown_tags = unknown_tags
        self.zone = zone
        self._prepaid: PrepaidTags | None = None

    def use_prepaid_tags(self, lookup: PrepaidTags | None) -> None:
        """Ask `lookup` first about every tag: a one-off tag of a paid hold is accepted on its
        own connector only, whatever the policy for unknown tags."""
        self._prepaid = lookup

    @property
    def accept_unknown(self) -> bool:
        return self.unknown_tags is UnknownTagPolicy.WALK_IN

    def set_unknown_tag_policy(self, policy: UnknownTagPolicy) -> None:
        """From the next Authorize or StartTransaction on (the settings dialog)."""
        self.unknown_tags = policy

    async def authorize(
        self,
        id_tag: str,
        station_id: str | None = None,
        connector_id: int | None = None,
        *,
        count_sessions: bool = True,
    ) -> IdTagInfo:
        return (
            await self.decide(id_tag, station_id, connector_id, count_sessions=count_sessions)
        ).info

    async def decide(
        self,
        id_tag: str,
        station_id: str | None = None,
        connector_id: int | None = None,
        *,
        count_sessions: bool = True,
    ) -> AccessDecision:
        """The answer for `id_tag` at `station_id` now. Without a station the rules
        of place and time are not applied; with `connector_id` a session open on that
        connector is not counted (a start there replaces it)."""
        key = authorization.normalise_id_tag(id_tag)
        if self._prepaid is not None:
            prepaid = self._prepaid(key, station_id, connector_id)
            if prepaid is not None:
                return AccessDecision(prepaid)
        facts = await self._access.facts(key, station_id, connector_id)
        now = self._clock()
        allowed = Allowance(True)
        if station_id is not None:
            place = Place(station_id, facts.site_id)
            holder = holder_of(facts.tag, facts.driver)
            allowed = allowance(facts.rules, holder, place, now.astimezone(self.zone))
        info = authorization.decide(
            facts.tag,
            now,
            accept_unknown=self.accept_unknown,
            parent=facts.parent,
            driver_active=facts.driver.active if facts.driver is not None else True,
            allowed=allowed.allowed,
            allowed_until=allowed.until.astimezone(UTC) if allowed.until else None,
            open_sessions=facts.open_sessions if count_sessions else 0,
        )
        walk_in = facts.tag is None and info.status is IdTagStatus.ACCEPTED
        return AccessDecision(info, walk_in)

    # ---- the tag register as the API and the command line have used it ------------

    async def add_tag(self, tag: IdTag) -> IdTag:
        """Create or replace a tag. Its driver and session limit, which callers of this
        older form cannot see, are kept as stored."""
        existing = await self._tags.get_or_none(tag.id_tag)
        if existing is not None:
            tag = dataclasses.replace(
                tag, driver_id=existing.driver_id, max_concurrent=existing.max_concurrent
            )
        return await self._tags.put(tag)

    async def remove_tag(self, id_tag: str) -> bool:
        return await self._tags.remove(id_tag)

    async def list_tags(self) -> list[IdTag]:
        return await self._tags.tags()
