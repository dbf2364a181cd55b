"""A view's reads: one in flight, the asks made meanwhile folded into one more."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.operations import Reloader


def test_asks_during_a_read_become_one_more_read_and_errors_are_told(
    host: EngineHost, qtbot: QtBot
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    reads: list[int] = []
    shown: list[int] = []
    told: list[str] = []
    fail = False

    async def read(_s: Services) -> int:
        await asyncio.sleep(0.2)
        if fail:
            raise RuntimeError("disk on fire")
        reads.append(len(reads) + 1)
        return reads[-1]

    def refresh() -> None:
        reloader.start(read)

    reloader: Reloader[int] = Reloader(owner, host, shown.append, told.append, refresh)
    assert reloader.start(read)
    assert not reloader.start(read)  # folded
    assert not reloader.start(read)  # folded into the same one
    qtbot.waitUntil(lambda: shown == [1, 2], timeout=5000)
    qtbot.wait(400)
    assert reads == [1, 2]  # three asks, two reads
    assert not reloader.busy

    fail = True
    assert reloader.start(read)
    assert not reloader.start(read)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    qtbot.wait(400)
    assert len(told) == 1  # a failed read drops the folded ask: no retry loop
    assert not reloader.busy
