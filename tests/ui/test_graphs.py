"""The graphs view: live power from a charger, history per range, export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.domain.model import IdTag, IdTagStatus, MeterSample
from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.graphs import GraphsView
from tests.fakes.threaded_charger import ThreadedCharger

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def graphs(window: MainWindow, host: EngineHost, qtbot: QtBot) -> GraphsView:
    view = GraphsView(host, window.overview, window, tz=STOCKHOLM)
    window.add_view("graphs", view, "Graphs")
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)
    return view


def curve_y(data: tuple[object, object]) -> np.ndarray:
    y = data[1]
    return np.asarray(y if y is not None else [], dtype=float)


def test_live_meter_values_reach_the_power_and_usage_graphs(
    graphs: GraphsView,
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    host.submit(lambda s: s.authorization.add_tag(IdTag("T", IdTagStatus.ACCEPTED))).result(5)
    sim = charger_factory("CP-G", connectors=1)
    sim.do(lambda c: c.start_transaction(1, "T"))
    sim.do(lambda c: c.send_meter_values(1))
    qtbot.waitUntil(
        lambda: curve_y(graphs.site_panel.curve.getData()).max(initial=0) > 0, timeout=5000
    )
    row = window.overview.rows[("CP-G", 1)]
    assert row.power_w is not None
    site = curve_y(graphs.site_panel.curve.getData())
    assert site[-1] == pytest.approx(row.power_w / 1000)
    station = curve_y(graphs.station_panel.curves["CP-G"].getData())
    assert station[-1] == pytest.approx(row.power_w / 1000)
    qtbot.waitUntil(
        lambda: curve_y(graphs.usage_panel.curve.getData()).max(initial=0) == 1, timeout=5000
    )
    assert "1</b> of 1 in use" in graphs.usage_panel.headline.text()


async def _seed_history(s: Services) -> None:
    """A two-hour session at 22 kW from noon three days ago (Stockholm time, so it
    never straddles a local midnight): outside 24 h, inside 7 d."""
    day = (datetime.now(STOCKHOLM) - timedelta(days=3)).date()
    start = datetime.combine(day, time(12), tzinfo=STOCKHOLM).astimezone(UTC)
    await s.stations.add("HIST")
    await s.authorization.add_tag(IdTag("H", IdTagStatus.ACCEPTED))
    tx, _ = await s.transactions.start("HIST", 1, "H", 0, start, None)
    for minute in range(0, 120, 5):
        t = start + timedelta(minutes=minute)
        samples = [
            MeterSample(t, 22000, "Power.Active.Import", "W", location="Outlet"),
            MeterSample(t, 22000 * minute / 60, location="Outlet"),
        ]
        await s.transactions.meter_values("HIST", 1, tx, samples)
    await s.transactions.stop("HIST", tx, 44000, start + timedelta(hours=2), "Local", None, [])


def test_switching_range_loads_history(graphs: GraphsView, host: EngineHost, qtbot: QtBot) -> None:
    host.submit(_seed_history).result(10)
    graphs.range_buttons["24h"].click()
    qtbot.waitUntil(lambda: not graphs.loading, timeout=5000)
    assert graphs.site_panel.empty_label.isVisible()
    graphs.range_buttons["7d"].click()
    assert graphs.loading
    assert graphs.state_label.text() == "Loading history…"
    qtbot.waitUntil(lambda: not graphs.loading, timeout=5000)
    assert not graphs.site_panel.empty_label.isVisible()
    assert curve_y(graphs.site_panel.curve.getData()).max() == pytest.approx(22.0)
    assert graphs.range_buttons["7d"].isChecked()
    assert max(graphs.energy_panel.kwh) == pytest.approx(44.0)
    assert "HIST" in graphs.station_panel.curves


def test_csv_export_writes_the_plotted_rows(
    graphs: GraphsView, host: EngineHost, qtbot: QtBot, tmp_path: Path
) -> None:
    host.submit(_seed_history).result(10)
    graphs.set_range("7d")
    qtbot.waitUntil(lambda: not graphs.loading, timeout=5000)
    target = tmp_path / "site.csv"
    graphs.set_save_dialog(lambda _parent, _caption, _name, _filter: str(target))
    assert graphs.site_panel.export_csv() == str(target)
    with target.open(encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == ["time (local)", "site power (kW)"]
    x, y = graphs.site_panel.curve.getOriginalDataset()  # what setData was given
    assert len(rows) == len(x) > 600
    assert [datetime.fromisoformat(r[0]).timestamp() for r in rows] == list(x)
    assert [float(r[1]) for r in rows] == pytest.approx(list(y), abs=1e-3)
    assert rows[0][0].endswith(("+01:00", "+02:00"))  # local time, with its offset

    energy = tmp_path / "energy.csv"
    graphs.energy_panel.export_csv(str(energy))
    lines = energy.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "day,energy (kWh)"
    assert len(lines) == 1 + 7
    assert "44.000" in energy.read_text(encoding="utf-8")

    png = tmp_path / "site.png"
    graphs.set_save_dialog(lambda *_: str(png))
    graphs.site_panel.export_png()
    assert png.read_bytes().startswith(b"\x89PNG")
    graphs.set_save_dialog(lambda *_: "")  # cancelled: nothing written, no error
    assert graphs.site_panel.export_csv() is None


def test_unticked_stations_are_hidden_and_left_out_of_the_csv(
    graphs: GraphsView, host: EngineHost, qtbot: QtBot, tmp_path: Path
) -> None:
    host.submit(_seed_history).result(10)
    graphs.set_range("7d")
    qtbot.waitUntil(lambda: not graphs.loading, timeout=5000)
    panel = graphs.station_panel
    assert panel.checked() == ["HIST"]
    panel.set_checked("HIST", False)
    assert not panel.curves["HIST"].isVisible()
    panel.export_csv(str(tmp_path / "stations.csv"))
    header = (tmp_path / "stations.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "time (local)"


def test_the_graphs_tab_is_built_once_when_first_opened(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    tab = window.graphs_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: isinstance(tab.view, GraphsView), timeout=5000)
    view = window.graphs
    assert view is tab.view  # built once, whoever asks
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)


def test_a_closed_window_does_not_build_its_graphs_afterwards(
    window: MainWindow, qtbot: QtBot
) -> None:
    tab = window.graphs_tab
    window.close()
    tab._preload.start(1)  # the idle preload coming due after the close
    qtbot.wait(50)
    assert tab.view is None
