"""Waiting without a running event loop: the screenshot scripts pump Qt by hand."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QApplication


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Process Qt events until condition() holds; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state in time")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float) -> None:
    """Process Qt events for a while (animations, batched updates)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
