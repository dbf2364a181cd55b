"""The status grid shows every connector live, from engine events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

from pytestqt.qtbot import QtBot

from app.domain.model import ConnectorStatus, IdTag, IdTagStatus
from app.domain.overview import ConnectorRow, SiteOverview
from app.domain.sites import Site
from app.domain.tariffs import Tariff
from app.services.container import Services
from app.ui.app import open_control_room
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.status_grid import StatusGridView
from app.ui.views.status_grid_model import COLUMN_FACTS, COLUMNS
from app.ui.views.tariff_text import money
from tests.fakes.threaded_charger import ThreadedCharger


def cell(window: MainWindow, station: str, connector: int, column: str) -> str:
    model = window.grid.model
    for row in range(model.rowCount()):
        if model.row_at(row).key == (station, connector):
            return str(model.data(model.index(row, COLUMNS.index(column))))
    raise AssertionError(f"no row for {station}/{connector}")


def test_a_charger_that_connects_appears_with_its_connectors(
    window: MainWindow, charger_factory: Callable[..., ThreadedCharger], qtbot: QtBot
) -> None:
    charger_factory("CP-GRID", connectors=2)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 2, timeout=5000)
    assert cell(window, "CP-GRID", 1, "status") == "Available"
    assert cell(window, "CP-GRID", 2, "firmware") == "1.0.0"


def test_status_power_and_session_energy_update_live(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    host.submit(lambda s: s.authorization.add_tag(IdTag("TAG-1", IdTagStatus.ACCEPTED))).result(5)
    sim = charger_factory("CP-LIVE", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 1, timeout=5000)
    tx = sim.do(lambda c: c.start_transaction(1, "TAG-1"))
    assert tx > 0
    qtbot.waitUntil(lambda: cell(window, "CP-LIVE", 1, "status") == "Charging", timeout=5000)
    assert cell(window, "CP-LIVE", 1, "id_tag") == "TAG-1"
    sim.do(lambda c: c.send_meter_values(1))
    qtbot.waitUntil(lambda: cell(window, "CP-LIVE", 1, "power") != "", timeout=5000)
    assert float(cell(window, "CP-LIVE", 1, "power")) > 0
    sim.do(lambda c: c.set_fault(1, "GroundFailure"))
    qtbot.waitUntil(lambda: cell(window, "CP-LIVE", 1, "status") == "Faulted", timeout=5000)
    assert cell(window, "CP-LIVE", 1, "id_tag") == ""


def test_the_price_so_far_of_a_session_on_screen_is_shown_and_grows(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    async def priced_site(s: Services) -> None:
        await s.authorization.add_tag(IdTag("TAG-1", IdTagStatus.ACCEPTED))
        tariff = await s.tariffs.create(Tariff("Standard", energy_per_kwh_minor=345))
        await s.tariffs.assign(tariff.id)

    host.submit(priced_site).result(5)
    sim = charger_factory("CP-COST", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 1, timeout=5000)
    window.tabs.setCurrentWidget(window.grid)
    tx = sim.do(lambda c: c.start_transaction(1, "TAG-1"))
    qtbot.waitUntil(lambda: cell(window, "CP-COST", 1, "status") == "Charging", timeout=5000)
    host.submit(lambda s: s.session_pricing.settled()).result(5)
    sim.do(lambda c: c.send_meter_values(1))
    qtbot.waitUntil(lambda: cell(window, "CP-COST", 1, "energy") != "", timeout=5000)

    def shown_matches_the_service() -> bool:
        window.grid.refresh_visible_costs()
        prices = host.submit(lambda s: s.session_pricing.live_prices([tx])).result(5)
        return tx in prices and cell(window, "CP-COST", 1, "cost") == money(
            prices[tx].total_minor, "SEK"
        )

    qtbot.waitUntil(shown_matches_the_service, timeout=5000)
    assert cell(window, "CP-COST", 1, "cost").endswith(" SEK")
    sim.do(lambda c: c.stop_transaction(1))
    qtbot.waitUntil(lambda: cell(window, "CP-COST", 1, "cost") == "", timeout=5000)


def test_filter_by_status_and_search(
    window: MainWindow, charger_factory: Callable[..., ThreadedCharger], qtbot: QtBot
) -> None:
    charger_factory("ALPHA", connectors=1)
    beta = charger_factory("BETA", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 2, timeout=5000)
    beta.do(lambda c: c.set_fault(1, "GroundFailure"))
    qtbot.waitUntil(lambda: cell(window, "BETA", 1, "status") == "Faulted", timeout=5000)
    proxy = window.grid.proxy
    proxy.set_status(ConnectorStatus.FAULTED)
    assert proxy.rowCount() == 1
    proxy.set_status(None)
    window.grid.search.setText("alp")
    assert proxy.rowCount() == 1
    assert proxy.data(proxy.index(0, 0)) == "ALPHA"


def test_hidden_columns_are_restored_next_time(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    window.grid.set_hidden_columns(["firmware", "last_message"])
    window.close()
    host.start()
    again = open_control_room(host)
    qtbot.addWidget(again)
    assert sorted(again.grid.hidden_columns()) == ["firmware", "last_message"]
    again.close()


def test_filter_by_site_shows_the_stations_placed_on_it(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    charger_factory("NORTH-1", connectors=1)
    charger_factory("SOUTH-1", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 2, timeout=5000)

    async def place(s: Services) -> Site:
        site = await s.sites.create_site("North yard")
        await s.sites.place_station("NORTH-1", site.id, 10.0, 20.0)
        return site

    site = host.submit(place).result(5)
    grid = window.grid
    grid.reload_sites()
    qtbot.waitUntil(lambda: grid.site_filter.findData(site.id) >= 0, timeout=5000)
    grid.site_filter.setCurrentIndex(grid.site_filter.findData(site.id))
    qtbot.waitUntil(lambda: grid.proxy.rowCount() == 1, timeout=5000)
    assert grid.proxy.data(grid.proxy.index(0, 0)) == "NORTH-1"
    grid.site_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: grid.proxy.rowCount() == 2, timeout=5000)


def test_open_station_tabs_come_back_next_time(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    charger_factory("CP-TAB", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 1, timeout=5000)
    window.grid.station_activated.emit("CP-TAB")
    assert "station:CP-TAB" in window.views
    window.close()
    host.start()
    again = open_control_room(host)
    qtbot.addWidget(again)
    assert "station:CP-TAB" in again.views
    again.close()


def test_chargers_that_arrive_later_are_sorted_in(
    window: MainWindow, charger_factory: Callable[..., ThreadedCharger], qtbot: QtBot
) -> None:
    charger_factory("ZULU", connectors=1)
    qtbot.waitUntil(lambda: window.grid.model.rowCount() == 1, timeout=5000)
    charger_factory("ALFA", connectors=1)
    proxy = window.grid.proxy
    qtbot.waitUntil(lambda: proxy.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: proxy.data(proxy.index(0, 0)) == "ALFA", timeout=3000)


def test_double_click_on_any_cell_opens_the_station(
    window: MainWindow, charger_factory: Callable[..., ThreadedCharger], qtbot: QtBot
) -> None:
    charger_factory("CP-DBL", connectors=1)
    grid = window.grid
    qtbot.waitUntil(lambda: grid.proxy.rowCount() == 1, timeout=5000)
    with qtbot.waitSignal(grid.station_activated, timeout=2000) as opened:
        grid.table.doubleClicked.emit(grid.proxy.index(0, COLUMNS.index("power")))
    assert opened.args == ["CP-DBL"]
    assert "station:CP-DBL" in window.views


def test_a_batch_of_changes_reaches_the_view_once_per_run_of_rows(qtbot: QtBot) -> None:
    rows = [
        ConnectorRow(f"CP-{n}", 1, ConnectorStatus.CHARGING, connected=True, power_w=7000.0)
        for n in range(4)
    ]
    overview = SiteOverview(rows)
    view = StatusGridView(overview)
    qtbot.addWidget(view)
    announced: list[tuple[int, int, int, int]] = []
    view.model.items.dataChanged.connect(
        lambda a, b, *_: announced.append((a.row(), b.row(), a.column(), b.column()))
    )
    for n in (1, 2):
        overview.rows[(f"CP-{n}", 1)] = replace(rows[n], power_w=11000.0)
    view.changed({("CP-1", 1), ("CP-2", 1)})
    assert announced == [(1, 2, 0, len(COLUMNS) - 1)]
    assert [cell_text(view, n, "power") for n in range(4)] == ["7.0", "11.0", "11.0", "7.0"]
    view.changed({("CP-3", 1)})  # nothing about it changed: nothing is announced
    assert len(announced) == 1
    # Every fact of a row is shown by some column, so no change can go unseen.
    assert set(COLUMN_FACTS) == set(COLUMNS)
    assert {f.name for f in fields(ConnectorRow)} == {
        fact for facts in COLUMN_FACTS.values() for fact in facts
    }


def cell_text(view: StatusGridView, row: int, column: str) -> str:
    return str(view.model.data(view.model.index(row, COLUMNS.index(column))))
