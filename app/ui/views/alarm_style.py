"""How alarms look: severity names, colours and icons, local times, who is acknowledging."""

from __future__ import annotations

import getpass
import logging
from datetime import datetime
from functools import cache

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
)

from app.domain import events as ev
from app.domain.alarms import (
    AlarmAcknowledged,
    AlarmCategory,
)
from app.domain.model import Severity

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
SOUND_SETTING = "alarms/sound"

SEVERITY_COLOURS = {
    Severity.ALARM: "#d0342c",
    Severity.WARNING: "#e07b00",
    Severity.INFO: "#2f80c9",
}
ALL_CLEAR_COLOUR = "#2e9d57"

# Events after which the alarm list may differ from what is shown.
ALARM_TRIGGERS: tuple[type[ev.DomainEvent], ...] = (
    ev.FaultRaised,
    ev.StationDisconnected,
    ev.StationWentOffline,
    ev.ConnectionRefused,
    ev.StationAwaitingApproval,
    ev.StationAdmissionChanged,
    ev.OperatorAttentionNeeded,
    ev.FirmwareStatusChanged,
    ev.DiagnosticsStatusChanged,
    AlarmAcknowledged,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Alarms", text)


def operator_name() -> str:
    """Who acknowledges: the OS account until operator accounts exist."""
    try:
        return getpass.getuser() or "operator"
    except (OSError, KeyError):
        return "operator"


def beep() -> None:
    """The alarm sound (tests replace it)."""
    QApplication.beep()


def local_time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def severity_label(severity: Severity) -> str:
    return {
        Severity.ALARM: _tr("Alarm"),
        Severity.WARNING: _tr("Warning"),
        Severity.INFO: _tr("Information"),
    }[severity]


def category_label(category: AlarmCategory) -> str:
    return {
        AlarmCategory.FAULT: _tr("Connector fault"),
        AlarmCategory.OFFLINE: _tr("Station offline"),
        AlarmCategory.REFUSED: _tr("Connection refused"),
        AlarmCategory.PENDING: _tr("Waiting for approval"),
        AlarmCategory.TRANSACTION: _tr("Transaction to check"),
        AlarmCategory.AUTHORIZATION: _tr("Authorization rejected"),
        AlarmCategory.FIRMWARE: _tr("Firmware update failed"),
        AlarmCategory.STATION: _tr("Station problem"),
    }[category]


@cache
def severity_icon(severity: Severity) -> QIcon:
    """One drawn glyph per severity: red octagon, amber triangle, blue disc."""
    size = 64
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(SEVERITY_COLOURS[severity])))
    path = QPainterPath()
    if severity is Severity.WARNING:
        path.moveTo(32, 5)
        path.lineTo(61, 57)
        path.lineTo(3, 57)
        path.closeSubpath()
        mark_top, mark_bottom, dot = 22.0, 40.0, 49.0
    elif severity is Severity.ALARM:
        points = [(20, 3), (44, 3), (61, 20), (61, 44), (44, 61), (20, 61), (3, 44), (3, 20)]
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.closeSubpath()
        mark_top, mark_bottom, dot = 14.0, 38.0, 49.0
    else:
        path.addEllipse(QRectF(3, 3, 58, 58))
        mark_top, mark_bottom, dot = 28.0, 50.0, 17.0
    painter.drawPath(path)
    pen = QPen(QColor("#ffffff"), 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(QPointF(32, mark_top), QPointF(32, mark_bottom))
    painter.drawPoint(QPointF(32, dot))
    painter.end()
    return QIcon(pixmap)
