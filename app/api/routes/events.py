"""The event log, alarms and the command log; and the live stream of events.

The stream is Server-Sent Events. Every event carries its log id as the SSE
id, so a client that reconnects with `Last-Event-ID` (browsers do it on their
own) first gets what it missed from the store, then the live ones; nothing is
skipped and nothing comes twice.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from starlette.background import BackgroundTask

from app.api.deps import Controller, Reader, ServicesDep
from app.api.routes.values import ROW_ID_MAX, RowId
from app.domain.alarms import Alarm, AlarmFilter, EventPage, EventQuery
from app.domain.errors import InvalidInput
from app.domain.events import DomainEvent, EventLogged
from app.domain.model import CommandRecord, EventRecord, Severity

router = APIRouter(tags=["events"])

STREAM_QUEUE = 10_000  # events a slow client may fall behind before it is cut off
KEEPALIVE_SECONDS = 15.0
RECHECK_TOKEN_SECONDS = 1.0  # how long a stream may outlive the revocation of its token
REPLAY_PAGE = 500
_RECORD = TypeAdapter(EventRecord)
EVENT_ID = re.compile(r"[0-9]{1,19}")  # a 64-bit row id at most


STREAM_EVENT = {
    "type": "object",
    "description": "One event of the stream: `event: log`, `id:` the entry's id, and "
    "`data:` the entry as JSON, as GET /events gives it.",
    "required": ["event", "id", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["log"]},
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


class Acknowledgement(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not pass unseen

    by: str = Field(
        min_length=1, max_length=100, pattern=r"\S", description="Who acknowledges (not blank)"
    )


@router.get("/events", response_model=EventPage)
async def list_events(
    services: ServicesDep,
    _token: Reader,
    kind: str | None = None,
    severity: Severity | None = None,
    station_id: str | None = None,
    text: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventPage:
    """Newest first, a page at a time."""
    query = EventQuery(kind, severity, station_id, text, offset, limit)
    return await services.alarms.events(query)


@router.get("/alarms", response_model=list[Alarm])
async def list_alarms(
    services: ServicesDep,
    _token: Reader,
    station_id: str | None = None,
    severity: Severity | None = None,
    include_acknowledged: bool = True,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[Alarm]:
    return await services.alarms.find(
        AlarmFilter(station_id, severity, include_acknowledged, limit)
    )


@router.post("/alarms/{event_id}/acknowledge", response_model=Alarm)
async def acknowledge_alarm(
    event_id: RowId, body: Acknowledgement, services: ServicesDep, _token: Controller
) -> Alarm:
    """Record who saw the alarm; acknowledging it again changes nothing."""
    if not body.by.strip():
        raise InvalidInput("by: give the name of who acknowledges")
    return await services.alarms.acknowledge(event_id, body.by)


@router.get("/commands", response_model=list[CommandRecord])
async def command_log(
    services: ServicesDep,
    _token: Reader,
    station_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[CommandRecord]:
    """What was sent to stations, by whom, and how it ended; newest first."""
    return await services.commands.history(station_id=station_id, limit=limit)


@router.get(
    "/events/stream",
    response_class=StreamingResponse,
    # OpenAPI 3.1 reads the schema of a text/event-stream as that of one event.
    responses={200: {"content": {"text/event-stream": {"schema": STREAM_EVENT}}}},
)
async def stream_events(
    request: Request,
    services: ServicesDep,
    token: Reader,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[
        int | None, Query(ge=0, le=ROW_ID_MAX, description="resume after this event id")
    ] = None,
) -> StreamingResponse:
    """Live event-log entries as Server-Sent Events (`event: log`, `id:` = log id)."""
    resume = after
    if last_event_id is not None:
        # ASCII digits only: str.isdigit() also passes "²", which int() then refuses.
        if not EVENT_ID.fullmatch(last_event_id.strip()):
            raise InvalidInput("Last-Event-ID must be an event id (a whole number)")
        resume = int(last_event_id.strip())
    queue: asyncio.Queue[EventRecord] = asyncio.Queue(STREAM_QUEUE)
    behind = asyncio.Event()

    def on_event(event: DomainEvent) -> None:
        assert isinstance(event, EventLogged)
        try:
            queue.put_nowait(event.record)
        except asyncio.QueueFull:  # a client this far behind resumes from its last id
            behind.set()

    # Subscribe before reading the backlog, so nothing falls between the two.
    subscription = services.bus.subscribe(on_event, EventLogged)
    return StreamingResponse(
        _stream(request, services, token.id, queue, behind, resume, subscription),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        # The stream's own `finally` never runs when the client leaves before its
        # first line is sent; this runs after the response however it ended.
        background=BackgroundTask(services.bus.unsubscribe, subscription),
    )


async def _stream(
    request: Request,
    services: ServicesDep,
    token_id: str,
    queue: asyncio.Queue[EventRecord],
    behind: asyncio.Event,
    resume: int | None,
    subscription: int,
) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    checked = loop.time()
    try:
        last = resume
        if resume is not None:
            missed, newest = await _missed(services, resume)
            for record in missed:
                last = record.id
                yield _frame(record)
            if resume > newest:
                # An id this log never gave out (the client saw another database,
                # or one restored from a backup): holding back every live entry
                # up to it would look like silence.
                last = None
        yield ": live\n\n"
        while not await request.is_disconnected() and not behind.is_set():
            entry: EventRecord | None
            try:
                entry = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                entry = None
            # A revoked token stops working at once for requests; a stream it
            # opened must not carry on for hours, so look again now and then.
            if loop.time() - checked >= RECHECK_TOKEN_SECONDS:
                if not await _still_active(services, token_id):
                    return
                checked = loop.time()
            if entry is None:
                yield ": keep-alive\n\n"
            elif last is None or entry.id > last:  # else already sent from the backlog
                last = entry.id
                yield _frame(entry)
    finally:
        services.bus.unsubscribe(subscription)


async def _still_active(services: ServicesDep, token_id: str) -> bool:
    return await services.api_tokens.is_active(token_id)


async def _missed(services: ServicesDep, after: int) -> tuple[list[EventRecord], int]:
    """Every logged event with an id above `after`, oldest first, each once; and the
    newest id in the log (0 when it is empty)."""
    # Keyed by id: pages are newest first, so an entry logged between two reads
    # pushes the older ones down and the next page repeats the end of the last.
    missed: dict[int, EventRecord] = {}
    newest = 0
    offset = 0
    while True:
        page = await services.alarms.events(EventQuery(offset=offset, limit=REPLAY_PAGE))
        if offset == 0 and page.records:
            newest = page.records[0].id
        newer = [r for r in page.records if r.id > after]
        missed.update((r.id, r) for r in newer)
        if len(newer) < len(page.records) or offset + REPLAY_PAGE >= page.total:
            break
        offset += REPLAY_PAGE
    return [missed[i] for i in sorted(missed)], newest


def _frame(record: EventRecord) -> str:
    # Serialised as GET /events does, so an entry reads the same in both.
    data = _RECORD.dump_json(record).decode()
    return f"id: {record.id}\nevent: log\ndata: {data}\n\n"
