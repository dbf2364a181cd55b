"""Who may charge: the answer to Authorize and StartTransaction."""

from __future__ import annotations

from app.domain import authorization
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagInfo, IdTagStatus
from app.domain.ports import Clock, TagRepository


class AuthorizationService:
    def __init__(self, tags: TagRepository, clock: Clock, *, accept_unknown: bool) -> None:
        self._tags = tags
        self._clock = clock
        self.accept_unknown = accept_unknown

    async def authorize(self, id_tag: str) -> IdTagInfo:
        key = authorization.normalise_id_tag(id_tag)
        tag = await self._tags.get(key)
        parent = None
        if tag is not None and tag.parent_id_tag:
            parent = await self._tags.get(authorization.normalise_id_tag(tag.parent_id_tag))
        return authorization.decide(
            tag, self._clock(), accept_unknown=self.accept_unknown, parent=parent
        )

    async def add_tag(self, tag: IdTag) -> IdTag:
        key = authorization.normalise_id_tag(tag.id_tag)
        if not key or len(key) > authorization.MAX_ID_TAG_LENGTH:
            raise InvalidInput(
                f"an id tag has 1 to {authorization.MAX_ID_TAG_LENGTH} characters, got {len(key)}"
            )
        if tag.status is IdTagStatus.CONCURRENT_TX:
            raise InvalidInput("ConcurrentTx is an answer, not a status a tag can have")
        parent = authorization.normalise_id_tag(tag.parent_id_tag) if tag.parent_id_tag else None
        stored = IdTag(key, tag.status, tag.expiry_date, parent, tag.note)
        await self._tags.upsert(stored)
        return stored

    async def remove_tag(self, id_tag: str) -> bool:
        return await self._tags.delete(authorization.normalise_id_tag(id_tag))

    async def list_tags(self) -> list[IdTag]:
        return await self._tags.all()
