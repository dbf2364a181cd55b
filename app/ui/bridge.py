"""Domain events cross from the engine thread to the GUI here, coalesced.

The engine appends to a deque (cheap, thread-safe); a GUI timer drains it at
most ten times a second and emits one batch, so a burst of a thousand meter
samples costs one model update, not a thousand repaints.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.events import DomainEvent
from app.ui.engine_host import EngineHost

FLUSH_EVERY_MS = 100


class EventBridge(QObject):
    events = Signal(list)

    def __init__(self, host: EngineHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: deque[DomainEvent] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_EVERY_MS)
        self._timer.timeout.connect(self.flush)
        host.subscribe(self._pending.append)
        self._timer.start()

    def flush(self) -> None:
        if not self._pending:
            return
        batch: list[DomainEvent] = []
        while self._pending:
            batch.append(self._pending.popleft())
        self.events.emit(batch)

    def stop(self) -> None:
        self._timer.stop()
