"""Small look-and-feel helpers shared by the station detail widgets (light and dark)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QWidget


def muted(widget: QWidget) -> None:
    """Secondary text: the theme's placeholder colour, readable in light and dark."""
    palette = widget.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    palette.setColor(QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.PlaceholderText))
    widget.setPalette(palette)


def soft_selection(view: QAbstractItemView) -> None:
    """A tinted selection that keeps status colours and text readable."""
    palette = view.palette()
    highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
    highlight.setAlpha(70)
    text = palette.color(QPalette.ColorRole.Text)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, highlight)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, text)
    view.setPalette(palette)
