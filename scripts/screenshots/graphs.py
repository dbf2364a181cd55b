"""Screenshot of the graphs view over a week of a van depot's charging.

    .venv/bin/python scripts/screenshots/graphs.py [output.png]

Runs a real engine on a temporary database and stores, through the services,
a week of sessions at a depot in Stockholm time: vans plug in as they come
back between four and eight in the evening, charge at 11 kW (tapering when
nearly full), wait plugged in until they leave at dawn; two 50 kW DC chargers
get short top-ups during the day. This evening's sessions are still running.
Then opens the control room with the graphs view on 24 h and saves the window
to docs/screenshots/graphs.png.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TZ"] = "Europe/Stockholm"
time.tzset()

import asyncio  # noqa: E402
import logging  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from PySide6.QtCore import QCoreApplication  # noqa: E402
from qt_wait import settle, wait_for  # noqa: E402

from app.config import Settings, UnknownStationPolicy  # noqa: E402
from app.domain import events as ev  # noqa: E402
from app.domain.model import (  # noqa: E402
    ConnectorStatus,
    IdTag,
    IdTagStatus,
    MeterSample,
    StatusReport,
)
from app.services.container import Services  # noqa: E402
from app.ui.app import create_application, open_control_room  # noqa: E402
from app.ui.engine_host import EngineHost  # noqa: E402
from app.ui.theme import apply_theme  # noqa: E402
from app.ui.views.graphs import GraphsView  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Europe/Stockholm")
AC = [f"DEPOT-A{n:02d}" for n in range(1, 7)]  # two 11 kW sockets each
DC = ["DEPOT-DC1", "DEPOT-DC2"]  # one 50 kW plug each
DAYS = 7
STEP = timedelta(minutes=5)


class Connector:
    """One socket's meter, status reports and sessions, written through the services."""

    def __init__(self, s: Services, station: str, connector: int, meter_wh: float) -> None:
        self.s, self.station, self.connector, self.meter = s, station, connector, meter_wh
        self.running: ev.MeterValuesReceived | None = None

    async def status(self, at: datetime, status: ConnectorStatus) -> None:
        report = StatusReport(self.connector, status, "NoError", station_timestamp=at)
        await self.s.stations.on_status(self.station, report)

    async def session(
        self,
        rng: random.Random,
        start: datetime,
        leave: datetime,
        kw: float,
        need_kwh: float,
        now: datetime,
    ) -> None:
        if start >= now:
            return
        await self.status(start - timedelta(minutes=2), ConnectorStatus.PREPARING)
        tag = f"VAN{rng.randint(1, 40):03d}"
        tx, _ = await self.s.transactions.start(
            self.station, self.connector, tag, round(self.meter), start, None
        )
        await self.status(start, ConnectorStatus.CHARGING)
        samples: list[MeterSample] = []
        delivered, t, full_at = 0.0, start, None
        while t < min(leave, now):
            left = need_kwh - delivered
            taper = 1.0 if left > 0.2 * need_kwh else max(0.12, left / (0.2 * need_kwh))
            power = 0.0 if left <= 0 else kw * taper * rng.uniform(0.97, 1.0)
            if power == 0.0 and full_at is None:
                full_at = t
            samples.append(MeterSample(t, round(power * 1000, 1), "Power.Active.Import", "W"))
            samples.append(MeterSample(t, round(self.meter)))
            delivered += power * STEP.total_seconds() / 3600
            self.meter += power * STEP.total_seconds() / 3.6
            t += STEP
        await self.s.transactions.meter_values(self.station, self.connector, tx, samples)
        if samples and leave >= now:
            self.running = ev.MeterValuesReceived(
                now, self.station, self.connector, tx, tuple(samples[-2:])
            )
        if full_at is not None:
            await self.status(full_at, ConnectorStatus.SUSPENDED_EV)
        if leave < now:
            await self.s.transactions.stop(
                self.station, tx, round(self.meter), leave, "EVDisconnected", None, []
            )
            await self.status(leave, ConnectorStatus.FINISHING)
            await self.status(leave + timedelta(minutes=1), ConnectorStatus.AVAILABLE)


def local(day: datetime, hours: float) -> datetime:
    midnight = datetime.combine(day.date(), datetime.min.time(), tzinfo=TZ)
    return (midnight + timedelta(hours=hours)).astimezone(UTC)


async def fill_depot(s: Services) -> list[ev.MeterValuesReceived]:
    """Store the week; return the latest reading of each session still running."""
    now = datetime.now(UTC)
    for n in range(1, 41):
        await s.authorization.add_tag(IdTag(f"VAN{n:03d}", IdTagStatus.ACCEPTED, note="van"))
    sockets: list[tuple[Connector, bool]] = []
    for index, station in enumerate(AC + DC):
        await s.stations.add(station)
        for connector in (1, 2) if station in AC else (1,):
            socket = Connector(s, station, connector, 2_000_000 + index * 731_000.0)
            await socket.status(now - timedelta(days=DAYS + 1), ConnectorStatus.AVAILABLE)
            sockets.append((socket, station in DC))
    today = now.astimezone(TZ)

    async def history(socket: Connector, fast: bool, seed: int) -> None:
        rng = random.Random(seed)  # one per socket: the same week whatever the interleaving
        for back in range(DAYS, -1, -1):
            day = today - timedelta(days=back)
            if fast:
                for hour in sorted(rng.sample([9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5], 3)):
                    start = local(day, hour + rng.uniform(0, 0.5))
                    leave = start + timedelta(minutes=rng.randint(35, 50))
                    await socket.session(rng, start, leave, 50, rng.uniform(18, 34), now)
                continue
            if rng.random() < 0.9:  # most vans come back every evening
                start = local(day, rng.uniform(16.0, 20.0))
                leave = local(day + timedelta(days=1), rng.uniform(5.5, 7.0))
                await socket.session(rng, start, leave, 11, rng.uniform(28, 62), now)

    await asyncio.gather(*(history(socket, fast, n) for n, (socket, fast) in enumerate(sockets)))
    return [socket.running for socket, _ in sockets if socket.running is not None]


def main(output: Path) -> None:
    # The chargers are not connected while the week is written, so the engine would
    # flag the sessions in progress as silent; that is expected here, not news.
    logging.getLogger("app.services.transactions").setLevel(logging.ERROR)
    app = create_application([])
    apply_theme(app, dark=False)
    QCoreApplication.setApplicationName("ChargeDeskScreenshots")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="127.0.0.1",
            port=0,
            api_port=0,
            db_url=f"sqlite:///{tmp}/screenshot.sqlite3",
            unknown_stations=UnknownStationPolicy.ACCEPT,
            log_dir=f"{tmp}/logs",
            websocket_ping_interval=None,
        )
        host = EngineHost(settings)
        host.start()
        started = time.monotonic()
        running = host.submit(fill_depot).result(300)
        print(f"stored a week of sessions in {time.monotonic() - started:.1f} s")
        window = open_control_room(host)
        window.resize(1440, 920)
        # Shown in Stockholm time whatever the machine's zone: the data is a Swedish depot.
        window.tabs.removeTab(window.tabs.indexOf(window.graphs_tab))
        view = GraphsView(host, window.overview, window, tz=TZ)
        window.add_view("graphs", view, "Graphs")
        window.tabs.tabBar().moveTab(window.tabs.indexOf(view), 2)
        window.tabs.setCurrentWidget(view)
        window.show()
        wait_for(lambda: not view.loading)
        # The depot's chargers are online and reporting, as a running fleet would be.
        now = datetime.now(UTC)
        online: list[ev.DomainEvent] = [
            ev.StationConnected(now, station, "ocpp1.6", "10.20.0.17") for station in AC + DC
        ]
        window.on_events([*online, *running])
        settle(2.5)
        output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(output))
        print(f"saved {output}")
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "graphs.png")
