"""First run: the welcome panel tells where chargers connect, then steps aside."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.overview import SiteOverview
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.welcome import WelcomePanel, charger_urls, local_ipv4_addresses
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.conftest import TESTER


def open_welcome(window: MainWindow, host: EngineHost) -> WelcomePanel:
    panel = WelcomePanel(host, window.overview, window)
    window.add_view("welcome", panel, "Welcome")
    return panel


def test_urls_carry_the_port_and_prefix_and_can_be_copied(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    assert WelcomePanel.is_first_run(window.overview)
    panel = open_welcome(window, host)
    # The test server listens on loopback only; the panel says so and offers that address.
    assert panel.no_network.isVisibleTo(panel)
    assert panel.url_texts() == [f"ws://127.0.0.1:{host.port}/ocpp/<station id>"]
    panel.station_id.setText("DEPOT-07")
    assert panel.url_texts() == [f"ws://127.0.0.1:{host.port}/ocpp/DEPOT-07"]
    panel.copy_buttons[0].click()
    assert QGuiApplication.clipboard().text() == f"ws://127.0.0.1:{host.port}/ocpp/DEPOT-07"

    with qtbot.waitSignal(panel.demo_requested, timeout=1000):
        panel.demo_button.click()
    assert not panel.demo_button.isEnabled()


def test_the_panel_disappears_when_the_first_charger_connects(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    panel = open_welcome(window, host)
    window.tabs.setCurrentWidget(panel)
    assert panel.isVisible()
    with qtbot.waitSignal(panel.dismissed, timeout=5000):
        charger_factory("FIRST-1", connectors=1)
    assert panel.isHidden()
    assert not WelcomePanel.is_first_run(window.overview)


def test_url_building_for_each_address() -> None:
    assert charger_urls(["10.1.2.3", "192.168.0.9"], 9000, "/ocpp", "CP-1") == [
        "ws://10.1.2.3:9000/ocpp/CP-1",
        "ws://192.168.0.9:9000/ocpp/CP-1",
    ]
    assert charger_urls(["10.1.2.3"], 9000, "", "CP-1") == ["ws://10.1.2.3:9000/CP-1"]
    assert charger_urls(["10.1.2.3"], 9000, "ocpp/", "CP-1") == ["ws://10.1.2.3:9000/ocpp/CP-1"]


@pytest.fixture
def lan_host(settings: Settings) -> Iterator[EngineHost]:
    engine_host = EngineHost(
        settings.with_overrides(host="0.0.0.0", path_prefix="/ocpp16"), actor=TESTER
    )
    engine_host.start()
    yield engine_host
    engine_host.stop()


def test_a_server_on_every_interface_lists_each_local_ipv4(
    lan_host: EngineHost, qtbot: QtBot
) -> None:
    panel = WelcomePanel(lan_host, SiteOverview())
    qtbot.addWidget(panel)
    addresses = local_ipv4_addresses()
    assert all(not a.startswith("127.") for a in addresses)
    expected = addresses or ["127.0.0.1"]
    assert panel.url_texts() == [f"ws://{a}:{lan_host.port}/ocpp16/<station id>" for a in expected]
    assert panel.no_network.isVisibleTo(panel) == (not addresses)
