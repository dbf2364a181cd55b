"""The live event stream (Server-Sent Events): live entries, and resuming without gaps or repeats.

A client that lost its connection comes back with the last id it saw
(`Last-Event-ID`, as browsers do, or `?after=`) and must get exactly what
was logged meanwhile, oldest first, and then the live entries.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.domain.model import Admission
from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

STREAM = "/api/v1/events/stream"


@dataclass(frozen=True)
class Entry:
    """One `log` event as the stream delivered it."""

    id: int
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data["kind"])


class StreamEnded(Exception):
    """The server closed the stream."""


class EventStream:
    """Reads an open text/event-stream: events, and the `: live` mark after the backlog."""

    def __init__(self, response: httpx.Response) -> None:
        self._lines = response.aiter_lines()

    async def _block(self) -> list[str]:
        """The lines of the next event or comment, up to the blank line that ends it."""
        lines: list[str] = []
        async for line in self._lines:
            if line:
                lines.append(line)
            elif lines:
                return lines
        assert not lines, f"the stream ended in the middle of {lines}"
        raise StreamEnded

    async def _next(self) -> Entry | str:
        """The next entry, or the text of the next comment (`live`, `keep-alive`)."""
        lines = await self._block()
        if lines[0].startswith(":"):
            return lines[0][1:].strip()
        fields = dict(line.split(": ", 1) for line in lines)
        assert fields["event"] == "log", lines
        data = json.loads(fields["data"])
        assert int(fields["id"]) == data["id"], lines
        return Entry(int(fields["id"]), data)

    async def backlog(self) -> list[Entry]:
        """Every entry before the stream says it is live."""
        entries = []
        async with asyncio.timeout(10):
            while (item := await self._next()) != "live":
                assert isinstance(item, Entry), item
                entries.append(item)
        return entries

    async def next_entry(self) -> Entry:
        async with asyncio.timeout(10):
            while not isinstance(item := await self._next(), Entry):
                pass
        return item


@asynccontextmanager
async def opened(
    http: httpx.AsyncClient, *, last_event_id: str | None = None, after: int | None = None
) -> AsyncIterator[EventStream]:
    headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
    params = {"after": after} if after is not None else {}
    async with http.stream("GET", STREAM, headers=headers, params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStream(response)


async def logged_ids(http: httpx.AsyncClient, after: int = 0) -> list[int]:
    """Ids in the event log above `after`, oldest first."""
    ids: list[int] = []
    offset = 0
    while True:
        response = await http.get("/api/v1/events", params={"offset": offset, "limit": 1000})
        page = response.json()
        ids.extend(r["id"] for r in page["records"] if r["id"] > after)
        offset += 1000
        if offset >= page["total"]:
            return sorted(ids)


async def test_a_logged_event_arrives_live(api: Api) -> None:
    async with api.client(api.read_token) as http, opened(http) as stream:
        assert await stream.backlog() == []  # no resume asked for: only what comes next
        cp = await RawCharger.connect(api.ocpp_url, "CP-LIVE")
        entry = await stream.next_entry()
        assert (entry.kind, entry.data["station_id"]) == ("station.connected", "CP-LIVE")
        stored = (await http.get("/api/v1/events", params={"limit": 1})).json()["records"][0]
        assert entry.data == stored  # the same entry reads the same in both
    await cp.close()


@pytest.mark.parametrize("resume", ["last-event-id", "after", "both"])
async def test_a_client_that_comes_back_gets_what_it_missed_then_live_ones(
    api: Api, resume: str
) -> None:
    async with api.client(api.read_token) as http:
        async with opened(http) as stream:
            await stream.backlog()
            first = await RawCharger.connect(api.ocpp_url, "CP-1")
            last_seen = (await stream.next_entry()).id
        # Gone; meanwhile CP-1 boots and leaves, CP-2 arrives.
        await first.boot()
        await first.close()
        second = await RawCharger.connect(api.ocpp_url, "CP-2")

        async def logged_meanwhile() -> bool:
            records = (await http.get("/api/v1/events")).json()["records"]
            logged = {(r["kind"], r["station_id"]) for r in records}
            return {
                ("station.boot", "CP-1"),
                ("station.disconnected", "CP-1"),
                ("station.connected", "CP-2"),  # logged just after the handshake
            } <= logged

        await until(logged_meanwhile)
        missed = await logged_ids(http, after=last_seen)
        assert len(missed) >= 3

        how = {
            "last-event-id": {"last_event_id": str(last_seen)},
            "after": {"after": last_seen},
            # A browser keeps the URL it first opened and sends the newer id in the header.
            "both": {"last_event_id": str(last_seen), "after": 0},
        }[resume]
        async with opened(http, **how) as stream:  # type: ignore[arg-type]
            caught_up = await stream.backlog()
            assert [e.id for e in caught_up] == missed
            await second.boot()
            live = await stream.next_entry()
            assert (live.kind, live.data["station_id"]) == ("station.boot", "CP-2")
            assert live.id > missed[-1]
            third = await RawCharger.connect(api.ocpp_url, "CP-3")
            after_that = await stream.next_entry()
            assert (after_that.kind, after_that.data["station_id"]) == ("station.connected", "CP-3")
            assert after_that.id > live.id
    await second.close()
    await third.close()


async def test_a_client_catching_up_while_events_pour_in_gets_each_once_in_order(
    api: Api,
) -> None:
    """The backlog is read a page at a time while new entries keep arriving."""
    stations = api.engine.services.stations
    await stations.add("CP-BUSY")
    # More than a page of history (each change of admission is logged).
    await asyncio.gather(
        *(stations.set_admission("CP-BUSY", Admission.ACCEPTED) for _ in range(1200))
    )
    caught_up = asyncio.Event()

    async def keep_logging() -> None:
        while not caught_up.is_set():
            await stations.set_admission("CP-BUSY", Admission.ACCEPTED)

    async with api.client(api.read_token) as http, opened(http, after=0) as stream:
        logger = asyncio.ensure_future(keep_logging())
        try:
            received = [e.id for e in await stream.backlog()]
        finally:
            caught_up.set()
            await logger
        await stations.set_admission("CP-BUSY", Admission.REJECTED)  # the last one
        while True:
            entry = await stream.next_entry()
            received.append(entry.id)
            if entry.data["data"] == {"admission": "Rejected"}:
                break
        assert len(received) == len(set(received)), "an entry came twice"
        assert received == sorted(received)
        assert received == await logged_ids(http)


async def test_a_stream_ends_soon_after_its_token_is_revoked(api: Api) -> None:
    stations = api.engine.services.stations
    await stations.add("CP-LEAK")
    async with api.client(api.read_token) as http, opened(http) as stream:
        await stream.backlog()
        await stations.set_admission("CP-LEAK", Admission.ACCEPTED)
        assert (await stream.next_entry()).data["station_id"] == "CP-LEAK"
        await api.engine.services.api_tokens.revoke("reader")

        async def keep_logging() -> None:
            """Entries keep being logged; the stream must stop carrying them."""
            async with asyncio.timeout(10):
                while True:
                    await stations.set_admission("CP-LEAK", Admission.ACCEPTED)
                    await stream.next_entry()

        with pytest.raises(StreamEnded):
            await keep_logging()
        assert (await http.get("/api/v1/events")).status_code == 401


async def test_a_resume_point_beyond_the_log_still_gets_the_live_entries(api: Api) -> None:
    """An id from another database (restored from a backup, started afresh) skips nothing."""
    foreign = str(987_654_321)
    async with api.client(api.read_token) as http, opened(http, last_event_id=foreign) as stream:
        assert await stream.backlog() == []
        cp = await RawCharger.connect(api.ocpp_url, "CP-AFRESH")
        entry = await stream.next_entry()
    assert (entry.kind, entry.data["station_id"]) == ("station.connected", "CP-AFRESH")
    await cp.close()


async def test_a_resume_point_that_is_not_an_event_id_is_refused(api: Api) -> None:
    refused: dict[str, int] = {}
    async with api.client(api.read_token) as http:
        for last_event_id in [b"abc", b"-1", b"1.5", b"", b"0x10", b"\xb2", b"9" * 5000]:
            response = await http.get(STREAM, headers={b"Last-Event-ID": last_event_id})
            refused[last_event_id[:10].decode("latin-1")] = response.status_code
        for after in ("-1", "x", "1.5", str(2**63), "9" * 5000):
            response = await http.get(STREAM, params={"after": after})
            refused[f"?after={after[:10]}"] = response.status_code
    assert refused == dict.fromkeys(refused, 400)
