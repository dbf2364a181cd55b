"""Composition root: builds the engine from settings and owns its lifecycle."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING

from app.composition import build_services
from app.config import Settings
from app.domain.operators import SYSTEM
from app.domain.ports import Clock
from app.ocpp.liveness import seconds_since_last_frame
from app.ocpp.registry import ConnectionRegistry
from app.ocpp.server import CentralSystem
from app.payments.secrets import SecretStore
from app.services.acting import act_as
from app.services.clock import utcnow
from app.services.container import Services
from app.store import migrate
from app.store.backup import Backups
from app.store.database import Database
from app.store.integrity import IntegrityReport, StorageAlarm, check_at_start
from app.store.repositories import (
    SqlStationRepository,
)

if TYPE_CHECKING:
    from app.api.server import ApiServer

log = logging.getLogger(__name__)
FULL_COLLECTION_AFTER = 1000  # generation-1 collections
FULL_COLLECTION_EVERY = 3600.0  # seconds, from housekeeping


def settle_heap() -> None:
    """Take what start-up built out of the cycle collector's way (call once, started).

    A full collection walks every tracked object while holding the GIL, so it
    stalls chargers' replies and the window alike (170 ms with 1,000 stations
    connected). Modules, schemas, SQLAlchemy's and Qt's objects live for the
    whole run; frozen, later collections walk only what came after them.
    """
    gc.collect()
    gc.freeze()
    # A full collection also walks every connection's objects (126 ms at 1,000
    # stations even after the freeze). By default one ran about every 30 s under
    # 300 messages/s; now after a thousand younger collections (about 40 min
    # there), and housekeeping runs one each hour so idle sites stay bounded.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


FLUSH_LAST_SEEN_EVERY = 30.0
PRUNE_FRAMES_EVERY = 3600.0
ROLL_UP_EVERY = 900.0  # meter samples into 15-minute rollups (analytics)


class Engine:
    """The OCPP server, services and store, the same with or without a screen."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock = utcnow,
        *,
        api_delay: float = 0.0,
        secrets: SecretStore | None = None,
    ) -> None:
        """api_delay: seconds before the API starts (the control room opens its window first);
        secrets: where the Stripe key is kept (the OS keyring unless given)."""
        self.settings = settings
        self._secrets = secrets
        self._api_delay = api_delay
        self._clock = clock
        self._db: Database | None = None
        self._server: CentralSystem | None = None
        self._services: Services | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._api: ApiServer | None = None
        self._api_task: asyncio.Task[ApiServer] | None = None
        self.backup_path: str | None = None
        # Online backups of the SQLite database, on demand and by schedule.
        self.backups = Backups.from_settings(settings)
        self.integrity: IntegrityReport | None = None
        # Set once start-up reconciliation of payments has run.
        self.payments_reconciled = asyncio.Event()

    @property
    def services(self) -> Services:
        assert self._services is not None, "engine not started"
        return self._services

    @property
    def db(self) -> Database:
        assert self._db is not None, "engine not started"
        return self._db

    @property
    def server(self) -> CentralSystem:
        assert self._server is not None, "engine not started"
        return self._server

    @property
    def port(self) -> int:
        return self.server.port

    async def start(self) -> None:
        # In a task of its own: what the engine starts (the servers that answer chargers,
        # housekeeping, reconciliation) acts as SYSTEM, while the caller's context keeps
        # whoever it names; the API names each request's token holder itself.
        await asyncio.get_running_loop().create_task(self._start(), name="chargedesk-start")

    async def _start(self) -> None:
        self.backup_path = await asyncio.to_thread(migrate.upgrade, self.settings.db_url)
        self._db = Database(self.settings.db_url)
        await self._db.start()
        registry = ConnectionRegistry()
        self._services = build_services(
            self._db, registry, self.settings, self._clock, self._secrets
        )
        act_as(SYSTEM, self._services.audit)
        # After a crash the table may still say "connected": nobody is, yet.
        await SqlStationRepository(self._db).mark_all_disconnected()
        self._server = CentralSystem(self._services, registry, self.settings)
        # Sessions that started or stopped unpriced while the engine was down, first.
        await self._services.session_pricing.start()
        # Holds whose sessions ran while the engine was down, before chargers reconnect.
        await self._services.preauth.start()
        await self._server.start()
        await self._services.local_lists.start()
        loop = asyncio.get_running_loop()
        if self.settings.api_enabled:
            # Chargers are served at once; the API follows when FastAPI is loaded
            # (0.7 s of imports, kept off this loop and out of the window's start).
            self._api_task = loop.create_task(self._start_api(), name="chargedesk-api-start")
        StorageAlarm.attach(self._db, self._services.event_log, self._clock)
        self._tasks = [
            loop.create_task(self._check_database(), name="chargedesk-integrity-check"),
            loop.create_task(self.backups.run_schedule(), name="chargedesk-backups"),
            loop.create_task(self._payments_start(), name="chargedesk-payments-start"),
            loop.create_task(self._supervise(), name="chargedesk-supervisor"),
            loop.create_task(self._housekeeping(), name="chargedesk-housekeeping"),
        ]

    async def _check_database(self) -> None:
        """PRAGMA quick_check after start (8.7 s on a 1 GB file: never before serving)."""
        self.integrity = await check_at_start(self.db, self.services.event_log, self._clock)

    async def _payments_start(self) -> None:
        """Read the Stripe key, then settle what a crash left in flight (Stripe may be slow
        or away: chargers and the window never wait for it)."""
        desk = self.services.desk
        try:
            available = await desk.reload()
            report = await desk.reconcile(self._clock())
        except Exception:
            log.exception("payments could not start")
            return
        if available.message:
            log.info("payment desk: %s", available.message)
        for note in report.notes:
            log.warning("payment reconciliation: %s", note)
        self.payments_reconciled.set()

    async def _start_api(self) -> ApiServer:
        await asyncio.sleep(self._api_delay)
        await asyncio.to_thread(importlib.import_module, "app.api.server")
        from app.api.server import ApiServer
        from app.ocpp.v16.codec import V16CommandCodec

        api = ApiServer(self.services, V16CommandCodec(), self.settings)
        try:
            await api.start()
        except BaseException as exc:
            await api.stop()  # closes what it had bound, even when cancelled mid-start
            if not isinstance(exc, asyncio.CancelledError):
                log.error("the local API could not start: %s", exc)
            raise
        self._api = api
        return api

    async def api_started(self) -> str:
        """The API's URL once it listens; raises why it could not start."""
        if self._api_task is None:
            raise RuntimeError("the local API is switched off (api_enabled)")
        return (await asyncio.shield(self._api_task)).url

    @property
    def api_url(self) -> str | None:
        """Where the local API listens (None while starting or when switched off)."""
        return self._api.url if self._api is not None else None

    async def stop(self) -> None:
        """Stop accepting, close connections, commit pending writes."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._api_task is not None:
            self._api_task.cancel()
            await asyncio.gather(self._api_task, return_exceptions=True)
            self._api_task = None
        if self._api is not None:
            await self._api.stop()
            self._api = None
        if self._services is not None:
            await self._services.local_lists.stop()
            await self._services.preauth.stop()
            await self._services.blocked_sessions.stop()
        if self._server is not None:
            await self._server.stop()
        if self._services is not None:
            await self._services.session_pricing.close()
        if self._services is not None:
            await self._services.stations.flush_last_seen()
        if self._db is not None:
            await self._db.close()
        log.info("engine stopped")

    async def __aenter__(self) -> Engine:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _supervise(self) -> None:
        """Offline detection and suspect transactions."""
        services = self.services
        loop = asyncio.get_running_loop()
        suspects_due = 0.0
        while True:
            await asyncio.sleep(self.settings.supervise_every)
            try:
                # Pings and pongs never reach the OCPP layer; count them here.
                for connection in self.server.registry.all():
                    idle = seconds_since_last_frame(connection.websocket)
                    if idle is not None and idle <= self.settings.supervise_every:
                        services.stations.on_activity(connection.station_id)
                for station_id in services.stations.silent_stations():
                    services.stations.report_silent(station_id)
                    await self.server.registry.disconnect(station_id, "no message in time")
                # Suspects are hours old by definition: look for them once a minute.
                if loop.time() >= suspects_due:
                    suspects_due = loop.time() + max(
                        self.settings.supervise_every,
                        min(60.0, self.settings.suspect_transaction_after),
                    )
                    registry = self.server.registry
                    offline = [
                        s.id
                        for s in await services.stations.all()
                        if not registry.is_connected(s.id)
                    ]
                    await services.transactions.flag_suspects(offline)
            except Exception:
                log.exception("supervisor round failed")

    async def _housekeeping(self) -> None:
        services = self.services
        frames_due = 0.0
        loop = asyncio.get_running_loop()
        roll_up_due = loop.time() + ROLL_UP_EVERY
        collect_due = loop.time() + FULL_COLLECTION_EVERY
        while True:
            await asyncio.sleep(FLUSH_LAST_SEEN_EVERY)
            try:
                await services.stations.flush_last_seen()
                if loop.time() >= collect_due:
                    gc.collect()
                    collect_due = loop.time() + FULL_COLLECTION_EVERY
                if loop.time() >= frames_due:
                    horizon = self._clock() - timedelta(days=self.settings.frame_log_retention_days)
                    pruned = await services.frames.prune(horizon)
                    if pruned:
                        log.info("pruned %d old frames from the message log", pruned)
                    frames_due = loop.time() + PRUNE_FRAMES_EVERY
                if loop.time() >= roll_up_due:
                    rolled = await services.analytics.roll_up(self._clock())
                    if rolled.rolled or rolled.deleted:
                        log.info(
                            "rolled up %d meter samples, %d raw ones past their keeping removed",
                            rolled.rolled,
                            rolled.deleted,
                        )
                    roll_up_due = loop.time() + ROLL_UP_EVERY
            except Exception:
                log.exception("housekeeping round failed")
