"""One colour and one plain-words label per connector status, used by every view."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.domain.model import Admission, ConnectorStatus

# Colour-blind-safe hues, distinct in light and dark themes.
STATUS_COLOURS: dict[ConnectorStatus, str] = {
    ConnectorStatus.AVAILABLE: "#2e9d57",
    ConnectorStatus.PREPARING: "#2f80c9",
    ConnectorStatus.CHARGING: "#1f5fbf",
    ConnectorStatus.SUSPENDED_EV: "#6f8fc7",
    ConnectorStatus.SUSPENDED_EVSE: "#8a6fc7",
    ConnectorStatus.FINISHING: "#3fa6b5",
    ConnectorStatus.RESERVED: "#c99a2e",
    ConnectorStatus.UNAVAILABLE: "#8c8c8c",
    ConnectorStatus.FAULTED: "#d0342c",
    ConnectorStatus.OFFLINE: "#4a4a4a",
    ConnectorStatus.UNKNOWN: "#a0a0a0",
}
PENDING_COLOUR = "#e07b00"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Status", text)


def status_label(status: ConnectorStatus) -> str:
    labels = {
        ConnectorStatus.AVAILABLE: _tr("Available"),
        ConnectorStatus.PREPARING: _tr("Preparing"),
        ConnectorStatus.CHARGING: _tr("Charging"),
        ConnectorStatus.SUSPENDED_EV: _tr("Paused by vehicle"),
        ConnectorStatus.SUSPENDED_EVSE: _tr("Paused by charger"),
        ConnectorStatus.FINISHING: _tr("Finishing"),
        ConnectorStatus.RESERVED: _tr("Reserved"),
        ConnectorStatus.UNAVAILABLE: _tr("Unavailable"),
        ConnectorStatus.FAULTED: _tr("Faulted"),
        ConnectorStatus.OFFLINE: _tr("Offline"),
        ConnectorStatus.UNKNOWN: _tr("Unknown"),
    }
    return labels[status]


def shown_status_label(status: ConnectorStatus, admission: Admission) -> str:
    if admission is Admission.PENDING:
        return _tr("Pending approval")
    return status_label(status)


def status_colour(status: ConnectorStatus, admission: Admission = Admission.ACCEPTED) -> QColor:
    if admission is Admission.PENDING:
        return QColor(PENDING_COLOUR)
    return QColor(STATUS_COLOURS[status])
