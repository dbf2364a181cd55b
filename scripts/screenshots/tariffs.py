"""Screenshots of the Tariffs tab: the list with assignments, and the editor with its calculator.

    .venv/bin/python scripts/screenshots/tariffs.py [output-directory]

Runs a real engine on a temporary database and stores, through TariffService, a
depot's tariffs: a standard one with morning and evening peaks, a cheap night and
an idle fee after 15 minutes; one for visitors; a night rate for the bus fleet's
own site. Then opens the control room on the Tariffs tab and saves
tariffs-list.png, and the editor on the standard tariff with the calculator pricing
a 45 min, 22 kWh session at 17:30 on a weekday where the car stays 40 minutes:
tariffs.png, both in docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent
from qt_wait import settle, wait_for

from app.config import Settings, UnknownStationPolicy
from app.domain.tariffs import Tariff, TariffBand
from app.services.container import Services
from app.ui.app import create_application, open_control_room
from app.ui.engine_host import EngineHost
from app.ui.theme import apply_theme

ROOT = Path(__file__).resolve().parents[2]
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))

STANDARD = Tariff(
    "Depot standard",
    energy_per_kwh_minor=345,
    idle_per_minute_minor=200,
    idle_grace_minutes=15,
    idle_cap_minor=30000,
    start_fee_minor=500,
    bands=(
        TariffBand("Morning peak", WEEKDAYS, time(7), time(9), 550),
        TariffBand("Evening peak", WEEKDAYS, time(16), time(20), 595, 10),
        TariffBand("Night", EVERY_DAY, time(22), time(6), 195),
    ),
)
VISITORS = Tariff(
    "Visitors",
    energy_per_kwh_minor=495,
    start_fee_minor=1000,
    idle_per_minute_minor=300,
    idle_grace_minutes=10,
    min_price_minor=2000,
    rounding_minor=100,
)
BUS_NIGHT = Tariff(
    "Bus depot night rate",
    energy_per_kwh_minor=225,
    bands=(TariffBand("Day", WEEKDAYS, time(6), time(18), 310),),
)


async def stock(s: Services) -> int:
    standard = await s.tariffs.create(STANDARD)
    visitors = await s.tariffs.create(VISITORS)
    bus = await s.tariffs.create(BUS_NIGHT)
    garage = await s.sites.create_site("Garage", "Level 2")
    bus_depot = await s.sites.create_site("Bus depot")
    await s.stations.add("GARAGE-P2-01")
    await s.tariffs.assign(standard.id)
    await s.tariffs.assign(visitors.id, site_id=garage.id)
    await s.tariffs.assign(bus.id, site_id=bus_depot.id)
    await s.tariffs.assign(standard.id, station_id="GARAGE-P2-01")
    return standard.id


def main(out_dir: Path) -> None:
    app = create_application([])
    apply_theme(app, dark=False)
    QCoreApplication.setApplicationName("ChargeDeskScreenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="127.0.0.1",
            port=0,
            api_port=0,
            db_url=f"sqlite:///{tmp}/screenshot.sqlite3",
            unknown_stations=UnknownStationPolicy.ACCEPT,
            log_dir=f"{tmp}/logs",
            websocket_ping_interval=None,
            site_time_zone="Europe/Stockholm",
        )
        host = EngineHost(settings)
        host.start()
        standard_id = host.submit(stock).result(10)
        window = open_control_room(host)
        window.resize(1360, 800)
        window.tabs.setCurrentWidget(window.tariffs_tab)
        window.show()
        view = window.tariffs
        # Without a running event loop the tab's "Loading…" placeholder is only
        # deleted when deferred deletions are delivered by hand.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        wait_for(lambda: view.model.rowCount() == 3 and view.assignments.rowCount() == 4)
        view.select(standard_id)
        settle(0.5)
        window.grab().save(str(out_dir / "tariffs-list.png"))
        print(f"saved {out_dir / 'tariffs-list.png'}")

        view.edit_selected()
        view.editor.calculator.idle.setValue(40)
        settle(0.5)
        window.grab().save(str(out_dir / "tariffs.png"))
        print(f"saved {out_dir / 'tariffs.png'}")
        window.close()
    app.processEvents()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots"
    main(target)
