"""Screenshots of the Drivers & tags tab: drivers with their tags, the access rules, a tag form.

    .venv/bin/python scripts/screenshots/drivers.py [output-directory]

Runs a real engine on a temporary database holding a depot's access setup:
three fleets, fifteen drivers (one inactive) with their cards, one card
blocked after it was lost and one expired, two sites and two access rules.
Saves drivers.png, access-rules.png, access-rule-form.png (the rule read back
as a sentence) and drivers-tag-form.png (a UID that is taken, refused before
OK) in docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest
from qt_wait import settle, wait_for

from app.config import Settings
from app.domain.access import AccessRule, Subject
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services
from app.ui.app import create_application, open_control_room
from app.ui.engine_host import EngineHost
from app.ui.theme import apply_theme

ROOT = Path(__file__).resolve().parents[2]

FLEETS = {"City buses": 1_500_000, "Vans": 800_000, "Workshop": None}
# name, fleet, email, phone, tags (uid, note), monthly budget in öre
DRIVERS: list[tuple[str, str | None, str, str, list[tuple[str, str]], int | None]] = [
    (
        "Anna Berg",
        "City buses",
        "anna.berg@depot.se",
        "+46 70 111 22 33",
        [("04A2B3C4", "blue card"), ("04A2B3C5", "spare"), ("04A2B3C6", "lost 2026-11-20")],
        250_000,
    ),
    ("Bo Ek", "City buses", "bo.ek@depot.se", "+46 70 222 33 44", [("04A2B3D9", "")], None),
    ("Cecilia Holm", "Vans", "cecilia@depot.se", "", [("047F102E", ""), ("047F103A", "")], None),
    ("David Lind", "Vans", "david.lind@depot.se", "+46 73 555 66 77", [("0455EE01", "")], None),
    ("Erik Sand", "City buses", "erik@depot.se", "", [("0455EE02", "")], None),
    ("Fatima Nur", "Workshop", "fatima@depot.se", "", [("0455EE03", "workshop")], None),
    ("Greta Ohlsson", "Vans", "greta@depot.se", "+46 70 999 00 11", [("0491AA10", "")], None),
    ("Hassan Ali", "City buses", "hassan@depot.se", "", [("0491AA11", "")], None),
    ("Ida Berg", None, "ida.berg@example.com", "", [("VISITOR-12", "guest card")], None),
    ("Johan Strand", "Vans", "johan@depot.se", "", [("0491AA13", "")], None),
    ("Karin Wik", "City buses", "karin@depot.se", "+46 76 123 45 67", [("0491AA14", "")], None),
    ("Leo Falk", "Workshop", "leo@depot.se", "", [], None),
    ("Maja Lund", None, "", "+46 70 444 55 66", [("0491AA16", "")], None),
    ("Nils Dahl", "Vans", "nils@depot.se", "", [("0491AA17", "")], None),
    ("Olle Sjö", "City buses", "olle@depot.se", "", [("0491AA18", "")], None),
]
BLOCKED = "04A2B3C6"
EXPIRED = "04A2B3C5"
INACTIVE = "Olle Sjö"


async def seed(s: Services) -> None:
    fleets = {}
    for name, budget in FLEETS.items():
        fleet = await s.access.create_fleet(name)
        if budget is not None:
            fleet = await s.access.update_fleet(replace(fleet, monthly_budget_minor=budget))
        fleets[name] = fleet.id
    for name, fleet, email, phone, tags, budget in DRIVERS:
        card = await s.access.create_driver(
            name,
            fleet_id=fleets[fleet] if fleet else None,
            email=email,
            phone=phone,
            tags=[IdTag(uid, IdTagStatus.ACCEPTED, note=note) for uid, note in tags],
        )
        if budget is not None:
            await s.access.update_driver(replace(card.driver, monthly_budget_minor=budget))
        if name == INACTIVE:
            await s.access.deactivate_driver(card.driver.id)
    await s.tags.block(BLOCKED)
    # Cards end at midnight, site time (this computer's zone in the screenshot).
    midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    expired = await s.tags.get(EXPIRED)
    await s.tags.update(replace(expired, expiry_date=midnight - timedelta(days=12)))
    seasonal = await s.tags.get("0491AA14")
    await s.tags.update(replace(seasonal, expiry_date=midnight + timedelta(days=200)))
    depot = await s.sites.create_site("Depot")
    await s.sites.create_site("Garage", "Level 2")
    await s.access.add_rule(
        AccessRule(
            0,
            Subject.FLEET,
            fleets["Vans"],
            depot.id,
            weekdays=frozenset(range(5)),
            start=time(22, 0),
            end=time(6, 0),
            note="night charging",
        )
    )
    await s.access.add_rule(AccessRule(0, Subject.FLEET, fleets["City buses"]))


def main(out_dir: Path) -> None:
    app = create_application([])
    apply_theme(app, dark=False)
    QCoreApplication.setApplicationName("ChargeDeskScreenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="127.0.0.1",
            port=0,
            db_url=f"sqlite:///{tmp}/screenshot.sqlite3",
            log_dir=f"{tmp}/logs",
            websocket_ping_interval=None,
            api_port=0,
        )
        host = EngineHost(settings)
        host.start()
        host.submit(seed).result(20)
        window = open_control_room(host)
        window.resize(1440, 860)
        window.show()
        window.tabs.setCurrentWidget(window.views["drivers"])
        view = window.drivers
        wait_for(lambda: view.loads >= 1 and view.model.rowCount() == 14)
        view.select(view.model.driver_ids()[0])  # Anna Berg: a card blocked, one expired
        view.detail.select_tag(BLOCKED)
        settle(0.5)
        window.grab().save(str(out_dir / "drivers.png"))
        print(f"saved {out_dir / 'drivers.png'}")

        view.pages.setCurrentWidget(view.rules)
        view.rules.table.selectRow(0)
        settle(0.5)
        window.grab().save(str(out_dir / "access-rules.png"))
        print(f"saved {out_dir / 'access-rules.png'}")
        rule_form = view.rules.edit_selected()
        assert rule_form is not None
        settle(0.3)
        rule_form.grab().save(str(out_dir / "access-rule-form.png"))
        print(f"saved {out_dir / 'access-rule-form.png'}")
        rule_form.done(0)

        view.pages.setCurrentWidget(view.drivers_page)
        view.select(view.model.driver_ids()[1])
        dialog = view.detail.add_tag()
        assert dialog is not None
        QTest.keyClicks(dialog.uid, "04:a2:b3:c4")
        wait_for(lambda: "registered already" in dialog.problem_text("uid"))
        settle(0.3)
        dialog.grab().save(str(out_dir / "drivers-tag-form.png"))
        print(f"saved {out_dir / 'drivers-tag-form.png'}")
        dialog.done(0)
        window.close()
    app.processEvents()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots"
    main(target)
