"""Keeps each station's local authorization list, and its cache, in step with access.

When a station connects or boots, and shortly after access changes (a burst
of edits is one update per station), the list it should hold is computed
(app/domain/local_list.py) and sent: Full the first time in this run or when
its version is not the one we stored, else Differential with only the
changes. What a station confirmed is stored only after it answered Accepted.
A station that does not keep lists is remembered (version -1) and left alone
until it boots again. After a revocation connected stations get ClearCache;
stations that were away get it when they come back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain import commands as c
from app.domain.access import Place
from app.domain.commands import AuthorizationEntry, UpdateType
from app.domain.errors import (
    CommandError,
    CommandRejected,
    InvalidInput,
    NotSupportedByStation,
)
from app.domain.events import (
    AccessChanged,
    CommandCompleted,
    DomainEvent,
    LocalListUpdated,
    StationAdmissionChanged,
    StationBooted,
    StationConnected,
)
from app.domain.local_list import (
    ListEntry,
    apply,
    chunks,
    desired_list,
    differences,
    full_list,
    truncated,
)
from app.domain.model import Admission, Severity, Station
from app.domain.operators import Role
from app.domain.ports import (
    AccessRepository,
    Clock,
    EventLog,
    LocalListRepository,
    StationRepository,
)
from app.services.acting import requires
from app.services.commands import CommandService
from app.services.events import EventBus
from app.services.stations import StationService

log = logging.getLogger(__name__)

REQUESTED_BY = "access"
UNSUPPORTED = -1  # GetLocalListVersion's answer for "no local list here"
LIST_LENGTH_KEY = "LocalAuthListMaxLength"
MESSAGE_LENGTH_KEY = "SendLocalListMaxLength"
# However busy the editing, a station hears of it within this many delays.
MAX_DELAYS = 10
# Stations whose lists are brought up to date at the same time.
SYNCS_AT_ONCE = 4
# Catches what no event announces: a station moved to another site, a tag
# that expired, edits made from another process (the command line).
RESYNC_EVERY = 900.0


@dataclass(slots=True)
class _Need:
    probe: bool = False  # ask the station's list version first (it has just come back)
    full: bool = False  # send the whole list whatever the versions say
    retry_unsupported: bool = False  # it booted: perhaps it keeps lists now


class LocalListSync:
    def __init__(
        self,
        commands: CommandService,
        stations: StationRepository,
        station_service: StationService,
        access: AccessRepository,
        lists: LocalListRepository,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        *,
        enabled: bool,
        delay: float,
    ) -> None:
        self._commands = commands
        self._stations = stations
        self._station_service = station_service
        self._access = access
        self._lists = lists
        self._events = events
        self._bus = bus
        self._clock = clock
        self.enabled = enabled
        self.delay = delay
        self._pending: dict[str, _Need] = {}
        self._first_request: dict[str, float] = {}
        self._last_request: dict[str, float] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._busy: set[str] = set()
        self._synced: set[str] = set()  # sent or checked in this run: differentials may follow
        self._probe_next: set[str] = set()  # an update went wrong: ask for the version again
        self._limits_asked: set[str] = set()
        self._truncated: dict[str, int] = {}
        # Revocations so far, and up to which one each station's cache was cleared.
        self._revocations = 0
        self._cleared_upto: dict[str, int] = {}
        self._periodic: asyncio.Task[None] | None = None
        # A few stations at a time: after a site-wide outage a thousand chargers boot at
        # once, and their boots and status reports come first (bench/reconnect_storm.py).
        self._at_once = asyncio.Semaphore(SYNCS_AT_ONCE)
        # Only these kinds: the bus also carries every meter sample.
        kinds = (
            StationBooted,
            StationAdmissionChanged,
            StationConnected,
            AccessChanged,
            CommandCompleted,
        )
        self._tokens = [bus.subscribe(self._on_event, kind) for kind in kinds]

    # ---- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        if self.enabled and self._periodic is None:
            self._periodic = asyncio.get_running_loop().create_task(
                self._resync_regularly(), name="chargedesk-local-lists"
            )

    async def stop(self) -> None:
        for token in self._tokens:
            self._bus.unsubscribe(token)
        tasks = [t for t in (self._periodic, *self._workers.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._periodic = None
        self._workers.clear()

    async def wait_idle(self) -> None:
        """Return once every requested update has been sent (or has failed)."""
        while workers := [t for t in self._workers.values() if not t.done()]:
            await asyncio.gather(*workers, return_exceptions=True)

    @requires(Role.OPERATOR)
    async def sync_now(self, station_id: str, *, full: bool = False) -> None:
        """Bring one station's list up to date at once (checking its version first)."""
        await self._sync(station_id, _Need(probe=True, full=full, retry_unsupported=True))

    # ---- what starts an update ---------------------------------------------------

    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, StationBooted | StationAdmissionChanged):
            if event.admission is Admission.ACCEPTED:
                self._request(event.station_id, _Need(probe=True, retry_unsupported=True))
        elif isinstance(event, StationConnected):
            self._request(event.station_id, _Need(probe=True))
        elif isinstance(event, AccessChanged):
            if event.revoked:
                self._revocations += 1
            for station_id in self._station_service.connected_ids():
                self._request(station_id, _Need())
        elif (
            isinstance(event, CommandCompleted)
            and event.action == "SendLocalList"
            and event.outcome == "accepted"
            and event.station_id not in self._busy
        ):
            # Someone sent a list by hand: what we stored no longer says what it holds.
            self._request(event.station_id, _Need(full=True))

    def _request(self, station_id: str, need: _Need) -> None:
        if not self.enabled:
            return
        pending = self._pending.setdefault(station_id, _Need())
        pending.probe |= need.probe
        pending.full |= need.full
        pending.retry_unsupported |= need.retry_unsupported
        now = asyncio.get_running_loop().time()
        self._first_request.setdefault(station_id, now)
        self._last_request[station_id] = now
        worker = self._workers.get(station_id)
        if worker is None or worker.done():
            self._workers[station_id] = asyncio.get_running_loop().create_task(
                self._work(station_id), name=f"chargedesk-local-list-{station_id}"
            )

    async def _work(self, station_id: str) -> None:
        loop = asyncio.get_running_loop()
        while station_id in self._pending:
            while True:
                due = min(
                    self._last_request[station_id] + self.delay,
                    self._first_request[station_id] + self.delay * MAX_DELAYS,
                )
                if due <= loop.time():
                    break
                await asyncio.sleep(due - loop.time())
            async with self._at_once:
                need = self._pending.pop(station_id)
                self._first_request.pop(station_id, None)
                try:
                    await self._sync(station_id, need)
                except Exception:
                    log.exception("local authorization update for %s failed", station_id)

    async def _resync_regularly(self) -> None:
        while True:
            await asyncio.sleep(RESYNC_EVERY)
            for station_id in self._station_service.connected_ids():
                self._request(station_id, _Need())

    # ---- one station ------------------------------------------------------------

    async def _sync(self, station_id: str, need: _Need) -> None:
        async with self._locks.setdefault(station_id, asyncio.Lock()):
            station = await self._stations.get(station_id)
            if (
                station is None
                or station.admission is not Admission.ACCEPTED
                or station_id not in self._station_service.connected_ids()
            ):
                return
            self._busy.add(station_id)
            try:
                await self._update_list(station, need)
                await self._clear_cache_if_owed(station_id)
            except CommandError as exc:
                self._probe_next.add(station_id)  # it may or may not have applied it
                log.warning("local authorization of %s not updated: %s", station_id, exc)
            except InvalidInput as exc:
                await self._log(station_id, "access.local_list_failed", Severity.WARNING, str(exc))
            finally:
                self._busy.discard(station_id)

    async def _update_list(self, station: Station, need: _Need) -> None:
        sid = station.id
        was_unsupported = station.local_list_version == UNSUPPORTED
        if was_unsupported and not need.retry_unsupported:
            return
        stored = max(station.local_list_version, 0)
        wanted = await self._wanted(sid)
        if (
            station.local_list_version == 0
            and not wanted
            and not need.full
            and not await self._lists.held(sid)
        ):
            return  # it was never sent a list and should hold none: no traffic at all
        full = need.full or sid not in self._synced
        reported: int | None = None
        if need.probe or full or was_unsupported or sid in self._probe_next:
            reported = await self._station_version(sid)
            if reported == UNSUPPORTED:
                await self._unsupported(sid, was_unsupported)
                return
            self._probe_next.discard(sid)
            full = full or reported != stored
            await self._ask_limits(sid)
        desired = await self._fitted(sid, wanted)
        held = {} if full else await self._lists.held(sid)
        if full and reported == 0 and not desired:
            await self._lists.confirm(sid, 0, {})  # holds none and should hold none
            self._synced.add(sid)
            return
        updates = full_list(desired) if full else differences(held, desired)
        if not full and not updates:
            return
        base = max(stored, reported or 0)
        try:
            await self._send(sid, updates, held, base, full=full)
        except NotSupportedByStation:
            await self._unsupported(sid, was_unsupported)
            return
        except CommandRejected as exc:
            if full and exc.status != "VersionMismatch":
                await self._refused(sid, exc.status)
                return
            # Our idea of its list is wrong: start again from the whole list.
            reported = await self._station_version(sid)
            if reported == UNSUPPORTED:
                await self._unsupported(sid, was_unsupported)
                return
            base = max(base, reported)
            try:
                await self._send(sid, full_list(desired), {}, base, full=True)
            except CommandRejected as again:
                await self._refused(sid, again.status)
                return
        self._synced.add(sid)

    async def _send(
        self,
        sid: str,
        updates: Sequence[AuthorizationEntry],
        held: Mapping[str, ListEntry],
        base: int,
        *,
        full: bool,
    ) -> None:
        """Send in pieces the station takes; store each piece once it is accepted."""
        current = dict(held)
        version = base
        for index, piece in enumerate(chunks(updates, await self._limit(sid, MESSAGE_LENGTH_KEY))):
            version += 1
            kind = UpdateType.FULL if full and index == 0 else UpdateType.DIFFERENTIAL
            await self._commands.send(
                sid, c.SendLocalList(version, kind, piece), requested_by=REQUESTED_BY
            )
            current = apply(current, piece, full=kind is UpdateType.FULL)
            await self._lists.confirm(sid, version, current)
            self._bus.publish(
                LocalListUpdated(self._clock(), sid, version, kind.value, len(current))
            )

    async def _wanted(self, sid: str) -> dict[str, ListEntry]:
        snapshot = await self._access.snapshot()
        place = Place(sid, await self._access.site_of(sid))
        return desired_list(snapshot, place, self._clock())

    async def _fitted(self, sid: str, wanted: dict[str, ListEntry]) -> dict[str, ListEntry]:
        """What the station can hold of `wanted` (its LocalAuthListMaxLength)."""
        desired, dropped = truncated(wanted, await self._limit(sid, LIST_LENGTH_KEY))
        if dropped and self._truncated.get(sid) != dropped:
            await self._log(
                sid,
                "access.local_list_truncated",
                Severity.WARNING,
                f"{sid} holds at most {len(desired)} tags in its local list; {dropped} "
                "that may charge there are left off and need the link to be up",
            )
        self._truncated[sid] = dropped
        return desired

    async def _station_version(self, sid: str) -> int:
        result = await self._commands.send(sid, c.GetLocalListVersion(), requested_by=REQUESTED_BY)
        assert isinstance(result, c.LocalListVersionResult)
        return result.list_version

    async def _ask_limits(self, sid: str) -> None:
        """Learn the station's list sizes once per run, unless they are known."""
        known = {k.key for k in await self._stations.configuration(sid)}
        if sid in self._limits_asked or {LIST_LENGTH_KEY, MESSAGE_LENGTH_KEY} <= known:
            return
        self._limits_asked.add(sid)
        keys = (LIST_LENGTH_KEY, MESSAGE_LENGTH_KEY)
        try:
            await self._commands.send(sid, c.GetConfiguration(keys), requested_by=REQUESTED_BY)
        except CommandError as exc:
            log.info("%s did not tell its local list sizes: %s", sid, exc)

    async def _limit(self, sid: str, key: str) -> int | None:
        for entry in await self._stations.configuration(sid):
            if entry.key == key and entry.value is not None:
                try:
                    return max(int(entry.value), 0)
                except ValueError:
                    return None
        return None

    async def _clear_cache_if_owed(self, sid: str) -> None:
        owed = self._revocations
        if self._cleared_upto.get(sid, 0) >= owed:
            return
        try:
            await self._commands.send(sid, c.ClearCache(), requested_by=REQUESTED_BY)
        except NotSupportedByStation:
            pass  # no cache to clear
        except CommandRejected as exc:
            await self._log(
                sid,
                "access.cache_not_cleared",
                Severity.WARNING,
                f"{sid} did not clear its authorization cache ({exc.status}): a tag "
                "whose access was revoked may still be accepted there while it is offline",
            )
        self._cleared_upto[sid] = owed

    async def _unsupported(self, sid: str, already_known: bool) -> None:
        await self._lists.confirm(sid, UNSUPPORTED, {})
        self._synced.discard(sid)
        if not already_known:
            await self._log(
                sid,
                "access.local_list_unsupported",
                Severity.INFO,
                f"{sid} keeps no local authorization list: it authorizes online or from "
                "its cache only; no list is sent to it until it boots again",
            )

    async def _refused(self, sid: str, status: str) -> None:
        self._probe_next.add(sid)
        await self._log(
            sid,
            "access.local_list_failed",
            Severity.WARNING,
            f"{sid} refused its local authorization list ({status}); it is sent again "
            "after the next change or when the station reconnects",
        )

    async def _log(self, sid: str, kind: str, severity: Severity, message: str) -> None:
        if severity is Severity.INFO:
            log.info("%s", message)
        else:
            log.warning("%s", message)
        await self._events.append(kind, severity, message, sid, {}, self._clock())
