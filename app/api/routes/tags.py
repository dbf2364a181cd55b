"""Id tags (RFID cards): list, read, create or change, delete."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Controller, Reader, ServicesDep
from app.api.routes.values import Moment
from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput, NotFound
from app.domain.model import IdTag, IdTagStatus

router = APIRouter(tags=["id tags"])


# What a tag can be; ConcurrentTx is only ever an answer to a charger (IdTagStatus has it).
TagStatus = Literal["Accepted", "Blocked", "Expired", "Invalid"]


class TagBody(BaseModel):
    # A PUT replaces the whole tag: a misspelt field would quietly drop what it meant.
    model_config = ConfigDict(extra="forbid")

    status: TagStatus = "Accepted"
    expiry_date: Moment | None = None
    parent_id_tag: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", max_length=500)


async def _find(services: ServicesDep, id_tag: str) -> IdTag:
    key = normalise_id_tag(id_tag)
    for tag in await services.authorization.list_tags():
        if tag.id_tag == key:
            return tag
    raise NotFound(f"no id tag {id_tag!r}")


@router.get("/tags", response_model=list[IdTag])
async def list_tags(services: ServicesDep, _token: Reader) -> list[IdTag]:
    return await services.authorization.list_tags()


@router.get("/tags/{id_tag}", response_model=IdTag)
async def get_tag(id_tag: str, services: ServicesDep, _token: Reader) -> IdTag:
    return await _find(services, id_tag)


@router.put("/tags/{id_tag}", response_model=IdTag)
async def put_tag(id_tag: str, body: TagBody, services: ServicesDep, _token: Controller) -> IdTag:
    """Create the tag, or replace what is stored for it."""
    if body.expiry_date is not None and body.expiry_date.tzinfo is None:
        raise InvalidInput("expiry_date: give a time zone (e.g. 2027-01-01T00:00:00Z)")
    # A blank parent is no group; kept as "", chargers would treat every such tag as one
    # group (OCPP lets a tag stop the sessions of its group).
    parent = body.parent_id_tag if body.parent_id_tag and body.parent_id_tag.strip() else None
    tag = IdTag(id_tag, IdTagStatus(body.status), body.expiry_date, parent, body.note)
    return await services.authorization.add_tag(tag)


@router.delete("/tags/{id_tag}", status_code=204)
async def delete_tag(id_tag: str, services: ServicesDep, _token: Controller) -> None:
    if not await services.authorization.remove_tag(id_tag):
        raise NotFound(f"no id tag {id_tag!r}")
