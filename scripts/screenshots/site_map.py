"""Screenshot of the site map: eight chargers live on the sample depot floor plan.

    .venv/bin/python scripts/screenshots/site_map.py [output.png]

Runs a real engine on a temporary database and eight simulated chargers
against it (five charging, one faulted, one with a car plugged in, one
idle), opens the site map (which creates the "Depot" site with the sample
plan and puts the chargers on its bays) and saves the window to
docs/screenshots/site-map.png.
"""

from __future__ import annotations

import asyncio
import os
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
from app.domain.model import ConnectorStatus, IdTag, IdTagStatus
from app.services.container import Services
from app.sim import SimulatedCharger
from app.ui.app import create_application, open_control_room
from app.ui.engine_host import EngineHost
from app.ui.theme import apply_theme

ROOT = Path(__file__).resolve().parents[2]
STATIONS = [f"HALL-A{n:02d}" for n in range(1, 9)]
TAGS = ("BUS-4711", "BUS-4712", "BUS-4713", "BUS-4714", "BUS-4715", "BUS-4716")
T = TypeVar("T")


class Fleet:
    """The chargers on one thread and loop of their own, like devices on the site network."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.chargers: dict[str, SimulatedCharger] = {}
        for index, station_id in enumerate(STATIONS):
            self.chargers[station_id] = self.run(self._make(url, station_id, index))

    @staticmethod
    async def _make(url: str, station_id: str, index: int) -> SimulatedCharger:
        charger = SimulatedCharger(
            station_id,
            url,
            connectors=2,
            firmware_version="3.2.0",
            time_scale=60.0,
            meter_interval=1,
            seed=index + 11,
            initial_meter_wh=float(1_200_000 + index * 345_678),
        )
        await charger.connect()
        await charger.wait_booted(timeout=10)
        return charger

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(20)

    def close(self) -> None:
        for charger in self.chargers.values():
            self.run(charger.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


async def add_tags(services: Services) -> None:
    for tag in TAGS:
        await services.authorization.add_tag(IdTag(tag, IdTagStatus.ACCEPTED, note="demo bus"))


def main(output: Path) -> None:
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
        host.submit(add_tags).result(5)
        window = open_control_room(host)
        window.resize(1440, 900)
        view = window.site_map
        view.create_sample_site = True  # as when the demo fleet starts
        view.reload()
        window.tabs.setCurrentWidget(view)
        window.show()
        fleet = Fleet(f"ws://127.0.0.1:{host.port}/ocpp")
        wait_for(lambda: set(STATIONS) <= set(view.scene.markers) and len(view.positions) == 8)
        c = fleet.chargers
        fleet.run(c["HALL-A01"].start_transaction(1, TAGS[0]))
        fleet.run(c["HALL-A01"].start_transaction(2, TAGS[1]))
        fleet.run(c["HALL-A02"].start_transaction(1, TAGS[2]))
        fleet.run(c["HALL-A04"].start_transaction(2, TAGS[3]))
        fleet.run(c["HALL-A05"].set_fault(1, "GroundFailure"))
        fleet.run(c["HALL-A06"].start_transaction(1, TAGS[4]))
        fleet.run(c["HALL-A07"].plug_in(1))
        fleet.run(c["HALL-A08"].start_transaction(2, TAGS[5]))
        wait_for(lambda: view.scene.markers["HALL-A05"].summary.status is ConnectorStatus.FAULTED)
        wait_for(lambda: view.scene.markers["HALL-A08"].summary.power_w > 0)
        window.tabs.setCurrentWidget(view)  # leaving the welcome panel shows the grid
        settle(2.5)
        view.canvas.fit()
        view.scene.markers["HALL-A02"].setSelected(True)
        settle(0.3)
        output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(output))
        print(f"saved {output}")
        fleet.close()
        window.close()
    app.processEvents()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots/site-map.png"
    main(target)
