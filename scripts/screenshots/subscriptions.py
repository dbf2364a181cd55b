"""Screenshots of the Subscriptions tab and the Driver history tab over a van depot.

    .venv/bin/python scripts/screenshots/subscriptions.py [output-directory]

Runs a real engine on a temporary database in Stockholm time and stores, through
the services: two sites, two fleets, a dozen drivers with their tags, the depot's
tariff, four plans (one archived) and their members (active, paused, starting next
month, ended). Then three months of one driver's sessions, written as a charger
reports them (start, readings every ten minutes, stop) and priced by the session
pricing service; one of them is still charging. Her monthly budget is set so that
this month's spending is about three fifths of it.

Saves subscriptions.png (the plans, Commuter's members) and driver-history.png
(her sessions this month with the budget and the monthly totals) in
docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TZ"] = "Europe/Stockholm"
time.tzset()

import dataclasses  # noqa: E402
import logging  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from datetime import time as daytime  # noqa: E402
from pathlib import Path  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from qt_wait import settle, wait_for  # noqa: E402

from app.config import Settings, UnknownStationPolicy  # noqa: E402
from app.domain.model import IdTag, IdTagStatus, MeterSample  # noqa: E402
from app.domain.subscriptions import Plan  # noqa: E402
from app.domain.tariffs import Tariff, TariffBand  # noqa: E402
from app.services.container import Services  # noqa: E402
from app.ui.app import create_application, open_control_room  # noqa: E402
from app.ui.engine_host import EngineHost  # noqa: E402
from app.ui.theme import apply_theme  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Europe/Stockholm")
STATIONS = ["DEPOT-A01", "DEPOT-A02", "DEPOT-A03", "GARAGE-P2-01"]
STEP = timedelta(minutes=10)

STANDARD = Tariff(
    "Depot standard",
    energy_per_kwh_minor=345,
    start_fee_minor=500,
    bands=(TariffBand("Night", frozenset(range(7)), daytime(22), daytime(6), 195),),
)
# name, fleet, tag
DRIVERS = [
    ("Anna Berg", "Acme Vans", "04A1B2C3"),
    ("Bo Ek", "Acme Vans", "04A1B2C4"),
    ("Carin Lind", "Nordbuss", "04A1B2C5"),
    ("David Nyström", None, "04A1B2C6"),
    ("Eva Sjöberg", "Acme Vans", "04A1B2C7"),
    ("Farid Haddad", "Nordbuss", "04A1B2C8"),
    ("Greta Holm", None, "04A1B2C9"),
    ("Hugo Åberg", "Acme Vans", "04A1B2CA"),
    ("Ida Karlsson", "Nordbuss", "04A1B2CB"),
    ("Jonas Persson", None, "04A1B2CC"),
]


async def stock(s: Services) -> int:
    """Everything but Anna's sessions; her driver id."""
    depot = await s.sites.create_site("Depot")
    garage = await s.sites.create_site("Garage", "Level 2")
    for station in STATIONS:
        await s.stations.add(station)
    tariff = await s.tariffs.create(STANDARD)
    await s.tariffs.assign(tariff.id)
    fleets = {}
    for name, budget in (("Acme Vans", 2_500_000), ("Nordbuss", None)):
        fleet = await s.access.create_fleet(name)
        if budget is not None:
            fleet = await s.access.update_fleet(
                dataclasses.replace(fleet, monthly_budget_minor=budget)
            )
        fleets[name] = fleet
    ids = {}
    for name, fleet, tag in DRIVERS:
        card = await s.access.create_driver(
            name,
            fleet_id=None if fleet is None else fleets[fleet].id,
            tags=[IdTag(tag, IdTagStatus.ACCEPTED)],
        )
        ids[name] = card.driver.id

    commuter = await s.subscriptions.create_plan(
        Plan("Commuter", 14_900, included_wh=100_000, discount_bp=1000)
    )
    fleet_plan = await s.subscriptions.create_plan(
        Plan(
            "Fleet unlimited",
            149_000,
            included_wh=1_000_000,
            price_per_kwh_minor=195,
            site_ids=frozenset({depot.id}),
        )
    )
    await s.subscriptions.create_plan(
        Plan("Night owl", 9_900, price_per_kwh_minor=149, site_ids=frozenset({garage.id}))
    )
    pilot = await s.subscriptions.create_plan(Plan("Pilot 2025", 0, discount_bp=2500))

    today = s.subscriptions.today()
    first_of_month = today.replace(day=1)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    subscribe = s.subscriptions.subscribe
    await subscribe(ids["David Nyström"], pilot.id, date(2025, 3, 1), date(2025, 12, 31))
    await s.subscriptions.archive_plan(pilot.id)
    await subscribe(ids["Anna Berg"], commuter.id, date(2026, 2, 1))
    bo = await subscribe(ids["Bo Ek"], commuter.id, date(2026, 4, 15))
    await s.subscriptions.pause(bo.id, today - timedelta(days=6), today + timedelta(days=20))
    await subscribe(ids["Greta Holm"], commuter.id, date(2026, 6, 1))
    await subscribe(ids["Jonas Persson"], commuter.id, next_month)
    eva = await subscribe(ids["Eva Sjöberg"], commuter.id, date(2026, 1, 1))
    await s.subscriptions.end(eva.id, date(2026, 8, 31))
    await subscribe(ids["Eva Sjöberg"], fleet_plan.id, date(2026, 9, 1))
    await subscribe(ids["Hugo Åberg"], commuter.id, date(2026, 9, 15))
    for name in ("Carin Lind", "Farid Haddad", "Ida Karlsson"):
        await subscribe(ids[name], fleet_plan.id, date(2026, 5, 1))
    return ids["Anna Berg"]


async def sessions(s: Services, driver_id: int) -> int:
    """Three months of the driver's charging, one session still running; what this
    month's finished sessions and the running one cost so far."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    meters = {station: 1_250_000.0 + n * 377_000 for n, station in enumerate(STATIONS)}
    start = (now - timedelta(days=85)).astimezone(TZ).replace(hour=7, minute=10)
    tag = DRIVERS[0][2]

    async def session(when: datetime, minutes: int, kw: float, running: bool) -> None:
        station = rng.choice(STATIONS[:3])
        first = round(meters[station])
        tx, _ = await s.transactions.start(station, 1, tag, first, when, None)
        samples, t = [], when
        end = now if running else when + timedelta(minutes=minutes)
        while t < end:
            t = min(t + STEP, end)
            meters[station] += kw * 1000 * STEP.total_seconds() / 3600 * rng.uniform(0.9, 1.0)
            samples.append(MeterSample(t, round(meters[station])))
        await s.transactions.meter_values(station, 1, tx, samples)
        if not running:
            await s.transactions.stop(station, tx, round(meters[station]), end, "Local", None, [])
            # Priced before the next one starts, as hours apart in real life.
            await s.session_pricing.settled()

    when = start
    while when < now - timedelta(hours=10):
        await session(when.astimezone(UTC), rng.randint(60, 200), rng.uniform(7.4, 11.0), False)
        gap = timedelta(days=rng.choice([1, 1, 2, 2, 3]), hours=rng.uniform(-2.5, 2.5))
        when = when + gap
        if when.astimezone(TZ).hour < 6:
            when = when.replace(hour=7)
    await session(now - timedelta(minutes=40), 0, 11.0, True)
    await s.session_pricing.settled()
    month_start = now.astimezone(TZ).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    this_month = await s.session_pricing.history_for_driver(driver_id, since=month_start)
    return sum(record.total_minor or 0 for record in this_month)


def main(out_dir: Path) -> None:
    # The chargers are not connected while the sessions are written; that is expected.
    logging.getLogger("app.services.transactions").setLevel(logging.ERROR)
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
        anna = host.submit(stock).result(30)
        spent = host.submit(lambda s: sessions(s, anna)).result(120)
        # About three fifths of her budget gone, in round hundreds of kronor.
        budget = max(10_000, round(spent / 0.62 / 10_000) * 10_000)

        async def set_budget(s: Services) -> None:
            card = await s.access.driver(anna)
            await s.access.update_driver(
                dataclasses.replace(card.driver, monthly_budget_minor=budget)
            )

        host.submit(set_budget).result(10)
        window = open_control_room(host)
        window.resize(1360, 820)
        window.tabs.setCurrentWidget(window.subscriptions_tab)
        window.show()
        view = window.subscriptions
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        wait_for(lambda: view.loads >= 1 and view.plans.rowCount() == 3)
        view.select_plan(next(p.id for p in view.state.plans if p.name == "Commuter"))
        view.select_member("Bo Ek")
        settle(0.5)
        window.grab().save(str(out_dir / "subscriptions.png"))
        print(f"saved {out_dir / 'subscriptions.png'}")

        window.show_driver_history(anna)
        history = window.driver_history
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        wait_for(
            lambda: (
                history.history is not None
                and history.history.card.driver.id == anna
                and history.history.budget is not None
            )
        )
        settle(0.5)
        window.grab().save(str(out_dir / "driver-history.png"))
        print(f"saved {out_dir / 'driver-history.png'}")
        window.close()
    app.processEvents()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots"
    main(target)
