"""A real control room over a real engine (temporary database, port 0)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.operators import Actor, Role, Source
from app.ui.app import open_control_room
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from tests.fakes.threaded_charger import ThreadedCharger


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path) -> None:
    """Window state goes to a temporary folder, never to the developer's profile."""
    QCoreApplication.setOrganizationName("ChargeDeskTests")
    QCoreApplication.setApplicationName("ChargeDeskTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))


# The control room's tests work as an admin at the desk; roles have their own tests.
TESTER = Actor("tester", Role.ADMIN, Source.UI)


@pytest.fixture
def host(settings: Settings, tmp_path: Path) -> Iterator[EngineHost]:
    # Settings dialogs write here, never to the developer's own settings file.
    engine_host = EngineHost(settings, settings_path=tmp_path / "settings.toml", actor=TESTER)
    engine_host.start()
    yield engine_host
    engine_host.stop()


@pytest.fixture
def window(host: EngineHost, qtbot: QtBot) -> Iterator[MainWindow]:
    main = open_control_room(host)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


@pytest.fixture
def charger_factory(host: EngineHost) -> Iterator[Callable[..., ThreadedCharger]]:
    made: list[ThreadedCharger] = []

    def make(station_id: str = "CP-1", connectors: int = 2, **options: object) -> ThreadedCharger:
        charger = ThreadedCharger(
            f"ws://127.0.0.1:{host.port}/ocpp", station_id, connectors, **options
        )
        made.append(charger)
        return charger

    yield make
    for charger in made:
        charger.close()
