"""One icon set, readable in both themes."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.icons import app_icon, icon
from app.ui.main_window import VIEW_ICONS, MainWindow
from app.ui.theme import apply_theme


def _ink(name: str) -> QColor:
    image = icon(name).pixmap(24, 24).toImage()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > 200:
                return colour
    raise AssertionError(f"icon {name} drew nothing")


def test_every_view_has_an_icon_drawn_in_the_theme_text_colour(window: MainWindow) -> None:
    for index in range(window.tabs.count()):
        assert not window.tabs.tabIcon(index).isNull()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        apply_theme(app, dark=True)
        light_on_dark = _ink("graphs").lightness()
        apply_theme(app, dark=False)
        dark_on_light = _ink("graphs").lightness()
    finally:
        apply_theme(app, dark=False)
    assert light_on_dark > 150 > dark_on_light
    assert set(VIEW_ICONS.values()) <= {
        "welcome",
        "payment-desk",
        "payments-log",
        "reports",
        "site-map",
        "status-grid",
        "graphs",
        "alarms",
        "pending",
        "tariffs",
        "drivers",
        "subscriptions",
        "driver-history",
    }


def test_the_application_has_its_own_icon(qtbot: QtBot) -> None:
    del qtbot
    assert not app_icon().isNull()
    assert app_icon().pixmap(64, 64).toImage().pixelColor(32, 8).alpha() > 0
