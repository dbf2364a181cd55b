"""Everything the station view asks the operator, behind one replaceable object.

The view never opens a dialog itself: it calls its `StationPrompts`. The
real one (`DialogPrompts`) shows modal dialogs; tests and the screenshot
script give scripted answers, so no modal window ever blocks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.model import IdTag
from app.ui.dialogs import confirm as confirm_module
from app.ui.dialogs.file_transfer import DiagnosticsDialog, FirmwareDialog
from app.ui.dialogs.power_limit import ClearLimitDialog, PowerLimitDialog
from app.ui.dialogs.remote_start import RemoteStartDialog
from app.ui.dialogs.requests import (
    FirmwareRequest,
    LimitScope,
    PowerLimit,
    RemoteStartRequest,
    TriggerRequest,
)
from app.ui.dialogs.trigger import TriggerDialog


class StationPrompts(Protocol):
    def confirm(self, parent: QWidget, title: str, question: str, action: str) -> bool: ...

    def remote_start(
        self,
        parent: QWidget,
        station_id: str,
        connectors: Sequence[int],
        preferred: int | None,
        tags: Sequence[IdTag],
    ) -> RemoteStartRequest | None: ...

    def power_limit(
        self, parent: QWidget, station_id: str, connectors: Sequence[int]
    ) -> PowerLimit | None: ...

    def clear_limit(
        self, parent: QWidget, station_id: str, connectors: Sequence[int]
    ) -> LimitScope | None: ...

    def trigger_message(
        self, parent: QWidget, station_id: str, connectors: Sequence[int], preferred: int | None
    ) -> TriggerRequest | None: ...

    def diagnostics_location(self, parent: QWidget, station_id: str) -> str | None: ...

    def firmware_update(
        self, parent: QWidget, station_id: str, current_version: str | None
    ) -> FirmwareRequest | None: ...


def _accepted(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class DialogPrompts:
    """The real thing: modal dialogs over the station view."""

    def confirm(self, parent: QWidget, title: str, question: str, action: str) -> bool:
        return confirm_module.confirm(parent, title, question, action)

    def remote_start(
        self,
        parent: QWidget,
        station_id: str,
        connectors: Sequence[int],
        preferred: int | None,
        tags: Sequence[IdTag],
    ) -> RemoteStartRequest | None:
        dialog = RemoteStartDialog(station_id, connectors, preferred, tags, parent)
        return dialog.request() if _accepted(dialog) else None

    def power_limit(
        self, parent: QWidget, station_id: str, connectors: Sequence[int]
    ) -> PowerLimit | None:
        dialog = PowerLimitDialog(station_id, connectors, parent)
        return dialog.request() if _accepted(dialog) else None

    def clear_limit(
        self, parent: QWidget, station_id: str, connectors: Sequence[int]
    ) -> LimitScope | None:
        dialog = ClearLimitDialog(station_id, connectors, parent)
        return dialog.request() if _accepted(dialog) else None

    def trigger_message(
        self, parent: QWidget, station_id: str, connectors: Sequence[int], preferred: int | None
    ) -> TriggerRequest | None:
        dialog = TriggerDialog(station_id, connectors, preferred, parent)
        return dialog.request() if _accepted(dialog) else None

    def diagnostics_location(self, parent: QWidget, station_id: str) -> str | None:
        dialog = DiagnosticsDialog(station_id, parent)
        return dialog.request() if _accepted(dialog) else None

    def firmware_update(
        self, parent: QWidget, station_id: str, current_version: str | None
    ) -> FirmwareRequest | None:
        dialog = FirmwareDialog(station_id, current_version, parent)
        return dialog.request() if _accepted(dialog) else None
