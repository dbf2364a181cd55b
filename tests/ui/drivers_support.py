"""Helpers shared by the drivers & tags screen tests: open the tab, call services, wait."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex
from pytestqt.qtbot import QtBot

from app.domain.access import DriverCard, Fleet
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.drivers import DriversView

T = TypeVar("T")
WAIT_MS = 10_000


def call(host: EngineHost, fn: Callable[[Services], Awaitable[T]]) -> T:
    """Run a service call on the engine thread, as another window or the API would."""
    return host.submit(fn).result(10)


def open_drivers(window: MainWindow, qtbot: QtBot) -> DriversView:
    """The Drivers & tags tab, opened the way an operator does, once its data is shown."""
    window.tabs.setCurrentWidget(window.views["drivers"])
    view = window.drivers
    qtbot.waitUntil(lambda: view.loads >= 1, timeout=WAIT_MS)
    return view


def add_driver(
    host: EngineHost, name: str, *tags: str, fleet: Fleet | None = None, **fields: str
) -> DriverCard:
    keys = [IdTag(t, IdTagStatus.ACCEPTED) for t in tags]
    fleet_id = fleet.id if fleet else None
    return call(
        host,
        lambda s: s.access.create_driver(name, fleet_id=fleet_id, tags=keys, **fields),
    )


def listed_names(view: DriversView) -> list[str]:
    return [view.model.row_at(r).driver.name for r in range(view.model.rowCount())]


def cell(model: QAbstractItemModel, row: int, column: int) -> str:
    return str(model.data(model.index(row, column, QModelIndex())))
