"""Screenshot of the station detail view with a charging connector.

    .venv/bin/python scripts/screenshots/station_detail.py [output.png]

Runs a real engine on a temporary database and a simulated charger against
it, starts a session, reads the configuration and sends one action, then
saves the window to docs/screenshots/station-detail.png.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget
from qt_wait import settle, wait_for

from app.config import Settings, UnknownStationPolicy
from app.domain.commands import TriggerableMessage
from app.domain.model import IdTag, IdTagStatus
from app.sim import SimulatedCharger
from app.ui.app import create_application, open_control_room
from app.ui.dialogs.requests import TriggerRequest
from app.ui.engine_host import EngineHost
from app.ui.views.station_actions import Outcome
from app.ui.views.station_detail import open_station
from app.ui.views.station_rules import Control

ROOT = Path(__file__).resolve().parents[2]
STATION = "DEPOT-A07"
TAG = "BUS-4711"


class ScriptedPrompts:
    """Answers instead of an operator, so no dialog blocks the script."""

    def confirm(self, parent: QWidget, title: str, question: str, action: str) -> bool:
        return True

    def trigger_message(
        self, parent: QWidget, station_id: str, connectors: Sequence[int], preferred: int | None
    ) -> TriggerRequest | None:
        return TriggerRequest(TriggerableMessage.METER_VALUES, 1)

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


class ChargerThread:
    def __init__(self, url: str, **options: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.charger = self.run(self._make(url, options))

    @staticmethod
    async def _make(url: str, options: dict[str, Any]) -> SimulatedCharger:
        charger = SimulatedCharger(STATION, url, **options)
        await charger.connect()
        await charger.wait_booted(timeout=10)
        return charger

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(20)

    def close(self) -> None:
        self.run(self.charger.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def main(output: Path) -> None:
    app = create_application([])
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
        window = open_control_room(host)
        window.resize(1360, 900)
        window.show()
        host.submit(
            lambda s: s.authorization.add_tag(IdTag(TAG, IdTagStatus.ACCEPTED, note="Bus 4711"))
        ).result(5)
        sim = ChargerThread(
            f"ws://127.0.0.1:{host.port}/ocpp",
            connectors=2,
            firmware_version="2.4.1",
            time_scale=120.0,
            initial_meter_wh=1_843_200.0,
            meter_interval=1,
            seed=3,
        )
        view = open_station(window, STATION)
        view.prompts = ScriptedPrompts()
        wait_for(lambda: len(view.connectors.rows) == 2)
        sim.run(sim.charger.start_transaction(1, TAG))
        wait_for(lambda: view.connectors.rows[0].power_w is not None)
        view.configuration.read()
        wait_for(lambda: bool(view.configuration.model.entries))
        view.select_connector(1)
        view.controls.activate(Control.TRIGGER)
        wait_for(lambda: view.runner.records[-1].outcome is Outcome.ACCEPTED)
        settle(2.5)
        view.tabs.setCurrentWidget(view.configuration)
        settle(0.3)
        output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(output))
        events_shot = output.with_name(output.stem + "-events.png")
        view.tabs.setCurrentWidget(view.events)
        settle(0.3)
        window.grab().save(str(events_shot))
        print(f"saved {output} and {events_shot}")
        sim.close()
        window.close()
    app.processEvents()


if __name__ == "__main__":
    default = ROOT / "docs" / "screenshots" / "station-detail.png"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
