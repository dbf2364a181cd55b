"""A tab whose view is built when first needed, so the window opens sooner.

The graphs bring pyqtgraph and NumPy, about half a second of imports; the
window is usable before they load. The real view is built the first time the
tab is shown, or a little after start-up when the window is idle, whichever
comes first; it loads its history from the store, so nothing is missed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.domain.events import DomainEvent

PRELOAD_AFTER_MS = 2000


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeferredView", text)


class DeferredView(QWidget):
    def __init__(
        self,
        factory: Callable[[QWidget], QWidget],
        parent: QWidget | None = None,
        *,
        preload_after_ms: int | None = PRELOAD_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self._factory = factory
        self.view: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel(_tr("Loading…"), self)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder)
        self._preload = QTimer(self)
        self._preload.setSingleShot(True)
        self._preload.timeout.connect(self._scheduled_build)
        self._cancelled = False
        if preload_after_ms is not None:
            self._preload.start(preload_after_ms)

    def cancel(self) -> None:
        """The window is closing: build nothing more on our own."""
        self._cancelled = True
        self._preload.stop()

    def _scheduled_build(self) -> None:
        if not self._cancelled:
            self.build()

    def build(self) -> QWidget:
        """The real view, built now if it was not yet."""
        if self.view is None:
            self.view = self._factory(self)
            self._layout.removeWidget(self._placeholder)
            self._placeholder.deleteLater()
            self._layout.addWidget(self.view)
        return self.view

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.view is None:
            # Paint "Loading…" first, then build on the next turn of the loop.
            QTimer.singleShot(0, self, self._scheduled_build)

    def on_events(self, batch: list[DomainEvent], changed: set[tuple[str, int]]) -> None:
        hook = getattr(self.view, "on_events", None)
        if hook is not None:
            hook(batch, changed)
