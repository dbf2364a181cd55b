"""Screenshot of the Backups dialog (File > Backups…) with a few backups listed.

    .venv/bin/python scripts/screenshots/backups.py [output-file]

Runs a real engine on a temporary database, makes three backups through the same
code as Back up now, and saves docs/screenshots/backups.png.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from qt_wait import settle, wait_for

from app.config import Settings
from app.store.backup import Backups
from app.ui.app import create_application
from app.ui.dialogs.backup_restore import BackupRestoreDialog
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery

ROOT = Path(__file__).resolve().parents[2]


def main(output: Path) -> None:
    app = create_application([])
    QCoreApplication.setApplicationName("ChargeDeskScreenshots")
    ensure_delivery()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="127.0.0.1",
            port=0,
            api_port=0,
            db_url=f"sqlite:///{tmp}/chargedesk.sqlite3",
            log_dir=f"{tmp}/logs",
            websocket_ping_interval=None,
        )
        host = EngineHost(settings)
        host.start()
        keeper = Backups.from_settings(settings)
        first = keeper.back_up()
        # The scheduled ones of the two days before (same content, older names).
        for days in (1, 2):
            when = first.created_at - timedelta(days=days, hours=days * 3, minutes=17)
            shutil.copyfile(
                first.path, first.path.with_name(f"chargedesk-{when:%Y%m%d-%H%M%S}.sqlite3")
            )
        first.path.unlink()
        dialog = BackupRestoreDialog(host, keeper)
        dialog.resize(760, 420)
        dialog.show()
        wait_for(lambda: len(dialog.entries) == 2)
        dialog.back_up_now()
        wait_for(lambda: len(dialog.entries) == 3 and not dialog.busy)
        settle(0.5)
        output.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(output))
        print(f"saved {output}")
        dialog.close()
        host.stop()
    app.processEvents()


if __name__ == "__main__":
    default = ROOT / "docs" / "screenshots" / "backups.png"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
