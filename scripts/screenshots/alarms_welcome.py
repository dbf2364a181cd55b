"""Screenshots of the first-run welcome panel, the alarms view and pending stations.

    .venv/bin/python scripts/screenshots/alarms_welcome.py [output-directory]

Runs a real engine on a temporary database (listening on every interface, so
the welcome panel shows this machine's real addresses), takes the welcome
panel while the site is empty, then brings a depot of simulated chargers in:
two faults, a failed firmware update, a charger that drops off the network,
one with a wrong password and an unknown one waiting for approval. Saves
welcome.png, alarms.png and pending.png in docs/screenshots/.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from qt_wait import settle, wait_for

from app.config import Settings, UnknownStationPolicy
from app.domain.alarms import AlarmCategory, AlarmFilter
from app.services.container import Services
from app.sim import SimulatedCharger
from app.ui.app import create_application, open_control_room
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.theme import apply_theme
from app.ui.views.alarms import AlarmsView
from app.ui.views.welcome import WelcomePanel

ROOT = Path(__file__).resolve().parents[2]
DEPOT = [f"DEPOT-A{n:02d}" for n in range(1, 7)]
LOCKED = "DEPOT-B01"
UNKNOWN = "ACME-7781"
T = TypeVar("T")


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", preferred))
        except OSError:
            return 0
    return preferred


class Fleet:
    """Chargers on a thread and loop of their own, like devices on the site network."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.chargers: dict[str, SimulatedCharger] = {}

    def add(self, station_id: str, *, wait: bool = True, **options: Any) -> SimulatedCharger:
        async def make() -> SimulatedCharger:
            charger = SimulatedCharger(
                station_id, self.url, connectors=2, firmware_version="3.2.0", **options
            )
            await charger.connect()
            if wait:
                await charger.wait_booted(timeout=10)
            return charger

        self.chargers[station_id] = self.run(make())
        return self.chargers[station_id]

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(20)

    def close(self) -> None:
        for charger in self.chargers.values():
            self.run(charger.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def hook_up(window: MainWindow, host: EngineHost) -> tuple[WelcomePanel, AlarmsView, Any]:
    """The window's own welcome panel (first run), alarms and pending views."""
    del host
    assert window.welcome is not None, "the screenshots start from an empty database"
    return window.welcome, window.alarms, window.pending


def main(out_dir: Path) -> None:
    app = create_application([])
    apply_theme(app, dark=False)
    QCoreApplication.setApplicationName("ChargeDeskScreenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="0.0.0.0",
            port=free_port(9000),
            db_url=f"sqlite:///{tmp}/screenshot.sqlite3",
            unknown_stations=UnknownStationPolicy.PENDING,
            boot_retry_interval=5,
            log_dir=f"{tmp}/logs",
            websocket_ping_interval=None,
        )
        host = EngineHost(settings)
        host.start()
        window = open_control_room(host)
        window.resize(1440, 860)
        welcome, alarms, pending = hook_up(window, host)
        window.tabs.setCurrentWidget(welcome)
        window.show()
        welcome.station_id.setText("DEPOT-A01")
        settle(0.5)
        window.grab().save(str(out_dir / "welcome.png"))
        print(f"saved {out_dir / 'welcome.png'}")

        async def register(s: Services) -> None:
            for station_id in DEPOT:
                await s.stations.add(station_id)

        host.submit(register).result(5)
        host.submit(lambda s: s.stations.add(LOCKED, "the-right-password")).result(5)
        fleet = Fleet(f"ws://127.0.0.1:{host.port}/ocpp")
        for station_id in DEPOT:
            fleet.add(station_id)
        c = fleet.chargers
        fleet.run(c["DEPOT-A02"].set_fault(2, "GroundFailure"))
        settle(0.3)
        fleet.run(c["DEPOT-A05"].send_firmware_status("InstallationFailed"))
        settle(0.3)
        fleet.add(LOCKED, wait=False, password="an-old-password", reconnect_base=600)
        settle(0.3)
        fleet.run(c["DEPOT-A06"].go_offline())
        settle(0.3)
        fleet.run(c["DEPOT-A04"].set_fault(1, "HighTemperature"))
        settle(0.3)
        fleet.add(UNKNOWN, wait=False)
        wait_for(lambda: alarms.unacknowledged >= 6)

        def first_fault(s: Any) -> Any:
            async def run() -> None:
                found = await s.alarms.find(AlarmFilter(station_id="DEPOT-A02"))
                fault = next(a for a in found if a.category is AlarmCategory.FAULT)
                await s.alarms.acknowledge(fault.event_id, "anna.berg")

            return run()

        host.submit(first_fault).result(5)
        wait_for(lambda: alarms.unacknowledged == 5)
        wait_for(lambda: pending.count == 1)
        settle(0.5)
        window.tabs.setCurrentWidget(alarms)
        alarms.select_alarm(alarms.model.row_at(0).event_id)
        settle(0.5)
        window.grab().save(str(out_dir / "alarms.png"))
        print(f"saved {out_dir / 'alarms.png'}")

        alarms.pages.setCurrentWidget(alarms.event_log)
        settle(0.5)
        window.grab().save(str(out_dir / "event-log.png"))
        print(f"saved {out_dir / 'event-log.png'}")

        window.tabs.setCurrentWidget(pending)
        settle(0.5)
        window.grab().save(str(out_dir / "pending.png"))
        print(f"saved {out_dir / 'pending.png'}")
        fleet.close()
        window.close()
    app.processEvents()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots"
    main(target)
