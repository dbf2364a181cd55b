"""One line-icon set for the whole control room, drawn in the theme's text colour.

The SVGs in resources/icons use `currentColor`; they are rendered in the
palette's window-text colour so they read well in light and dark themes.
"""

from __future__ import annotations

import functools
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48)


def _svg(name: str, folder: str = "resources/icons") -> bytes:
    return resources.files("app.ui").joinpath(f"{folder}/{name}.svg").read_bytes()


def _render(svg: bytes, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(svg))
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@functools.cache
def _icon(name: str, colour: str) -> QIcon:
    svg = _svg(name).replace(b"currentColor", colour.encode())
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(_render(svg, size))
    return icon


def icon(name: str) -> QIcon:
    """The named icon (site-map, status-grid, graphs, alarms, pending, welcome, station,
    demo, quit) in the current theme's text colour."""
    palette = QGuiApplication.palette()
    colour: QColor = palette.color(QPalette.ColorRole.WindowText)
    return _icon(name, colour.name())


@functools.cache
def app_icon() -> QIcon:
    svg = _svg("chargedesk", "resources")
    icon = QIcon()
    for size in (*SIZES, 64, 128, 256):
        icon.addPixmap(_render(svg, size))
    return icon
