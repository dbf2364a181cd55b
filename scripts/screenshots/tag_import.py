"""Screenshot of the tag import dialog with a mixed preview.

    .venv/bin/python scripts/screenshots/tag_import.py [output.png]

Runs a real engine on a temporary database holding a bus depot's tags and
drivers, then previews a file a fleet manager might bring: new cards, a
blocked one, a driver who moved fleet, rows as they are, one card twice (in
two spellings) and rows with mistakes. Saves docs/screenshots/tag-import.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from qt_wait import settle, wait_for

from app.config import Settings
from app.ui.app import create_application
from app.ui.dialogs.tag_import import open_import_dialog
from app.ui.engine_host import EngineHost

ROOT = Path(__file__).resolve().parents[2]

DEPOT = """id_tag;status;expiry_date;tag_note;driver_name;driver_email;driver_phone;fleet
04:A2:B3:C4;Accepted;;blue card;Anna Berg;anna.berg@depot.se;+46 70 111 22 33;City buses
04:A2:B3:D9;Accepted;;;Bo Ek;bo.ek@depot.se;+46 70 222 33 44;City buses
04:7F:10:2E;Accepted;2027-06-30;;Cecilia Holm;cecilia@depot.se;;Regional
04:7F:10:3A;Accepted;;spare;Cecilia Holm;cecilia@depot.se;;Regional
04:55:EE:01;Accepted;;;David Lind;david.lind@depot.se;+46 73 555 66 77;Regional
04:55:EE:02;Accepted;;;Erik Sand;erik@depot.se;;City buses
04:55:EE:03;Accepted;;workshop;Fatima Nur;fatima@depot.se;;
"""

BROUGHT = """id_tag;status;expiry_date;tag_note;driver_name;driver_email;driver_phone;fleet
04:a2:b3:c4;Accepted;;blue card;Anna Berg;anna.berg@depot.se;+46 70 111 22 33;City buses
04:A2:B3:D9;Blocked;;lost 2026-11-20;Bo Ek;bo.ek@depot.se;+46 70 222 33 44;City buses
04:7F:10:2E;Accepted;2027-06-30;;Cecilia Holm;cecilia@depot.se;;Regional
04:7F:10:3A;Accepted;;spare;Cecilia Holm;cecilia@depot.se;;Regional
04:55:EE:01;Accepted;;;David Lind;david.lind@depot.se;+46 73 555 66 77;City buses
04:55:EE:02;Accepted;2026-12-31;;Erik Sand;erik@depot.se;;City buses
04:91:AA:10;Accepted;;new hire;Greta Ohlsson;greta@depot.se;+46 70 999 00 11;Night line
04:91:AA:11;Accepted;;;Hassan Ali;hassan@depot.se;;Night line
04-91-aa-11;Accepted;;;Hassan Ali;hassan@depot.se;;Night line
04:91:AA:12;Active;31/12/2026;;Ida Berg;ida@depot;;Night line
04:55:EE:03;Accepted;;workshop;Fatima Nur;fatima@depot.se;;
"""


def main(output: Path) -> None:
    app = create_application([])
    QCoreApplication.setApplicationName("ChargeDeskScreenshots")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="127.0.0.1",
            port=0,
            api_port=0,
            db_url=f"sqlite:///{tmp}/screenshot.sqlite3",
            log_dir=f"{tmp}/logs",
            websocket_ping_interval=None,
            site_time_zone="Europe/Stockholm",
        )
        host = EngineHost(settings)
        host.start()

        async def seed(services: object) -> None:
            from app.services.container import Services

            assert isinstance(services, Services)
            await services.tag_import.apply(await services.tag_import.preview(DEPOT.encode()))

        host.submit(seed).result(20)
        brought = Path(tmp) / "depot-cards-november.csv"
        brought.write_text(BROUGHT, encoding="utf-8-sig")
        dialog = open_import_dialog(None, host, str(brought))
        assert dialog is not None
        dialog.resize(1180, 560)
        dialog.show()
        wait_for(lambda: dialog.preview is not None)
        dialog.filter.setCurrentIndex(dialog.filter.findData("all"))
        dialog.file_label.setText(str(Path("~/Documents") / brought.name))
        settle(0.5)
        output.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(output))
        print(f"saved {output}")
        dialog.close()
        host.stop()
    app.processEvents()


if __name__ == "__main__":
    default = ROOT / "docs" / "screenshots" / "tag-import.png"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
