"""Screenshots of the status grid and site map in Swedish with the dark theme.

QT_QPA_PLATFORM=offscreen python scripts/screenshots/swedish_dark.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import qasync

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.config import Settings
from app.ui.app import create_application, install_translations, open_control_room
from app.ui.engine_host import EngineHost
from app.ui.theme import apply_theme

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def main() -> None:
    app = create_application([])
    apply_theme(app, dark=True)
    install_translations(app, "sv")
    tmp = tempfile.mkdtemp(prefix="chargedesk-shots-")
    host = EngineHost(
        Settings(
            host="127.0.0.1", port=0, api_port=0, db_url=f"sqlite:///{tmp}/sv.sqlite3", log_dir=tmp
        )
    )
    host.start()
    window = open_control_room(host)
    window.resize(1400, 800)
    window.show()
    window.start_demo(8)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def shoot() -> None:
        await asyncio.sleep(14)  # the demo fleet boots and starts charging
        window.tabs.setCurrentWidget(window.grid)
        await asyncio.sleep(6)  # the price so far is asked for every 5 s
        window.grab().save(str(OUT / "status-grid-sv-dark.png"))
        window.tabs.setCurrentWidget(window.site_map)
        await asyncio.sleep(1.5)
        window.grab().save(str(OUT / "site-map-sv-dark.png"))
        window.close()

    with loop:
        loop.run_until_complete(shoot())


if __name__ == "__main__":
    main()
