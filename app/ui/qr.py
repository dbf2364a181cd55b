"""QR codes drawn with Qt from segno's module matrix: sharp at any size, no image files."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap

QUIET_MODULES = 4  # the blank border a scanner needs around the code


def qr_pixmap(text: str, size: int) -> QPixmap:
    """`text` as a black-on-white QR code of about `size` × `size` pixels.

    Each module is a whole number of pixels (so the phone camera sees clean edges);
    the code is centred in the square with at least the quiet zone around it.
    """
    code = segno.make(text, error="m")
    matrix = code.matrix
    modules = len(matrix) + 2 * QUIET_MODULES
    scale = max(1, size // modules)
    side = max(size, modules * scale)
    offset = (side - len(matrix) * scale) // 2
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(QRect(offset + x * scale, offset + y * scale, scale, scale))
    painter.end()
    return pixmap
