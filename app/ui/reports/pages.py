"""A4 pages for the documents ChargeDesk prints or saves as PDF (statements, the Z-report,
analytics reports): one page layout and one PDF writer setup for all of them."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter
from PySide6.QtWidgets import QApplication

MARGIN_MM = 15
_app: QApplication | None = None


def ensure_gui_application() -> None:
    """Qt lays out text only with a GUI application; headless, it runs offscreen.

    A widgets application, not a bare QGuiApplication, so that a window opened
    later in the same process (or a test's qapp) can reuse it.
    """
    global _app
    if QCoreApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QApplication([])


def prepare_a4(device: QPagedPaintDevice, *, landscape: bool = False) -> None:
    """A4 with the house margins (a printer before its dialog opens, or a PDF writer)."""
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )


def a4_pdf(path: Path, title: str, *, landscape: bool = False) -> QPdfWriter:
    """A PDF writer on A4 for `path`; the file is complete once the writer is gone."""
    ensure_gui_application()
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("ChargeDesk")
    prepare_a4(writer, landscape=landscape)
    return writer
