"""Who the station is: the header line and the identity panel."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import Admission, Station
from app.ui.status_style import PENDING_COLOUR
from app.ui.views.station_rules import Situation
from app.ui.views.station_style import muted

ONLINE_COLOUR = "#2e9d57"
OFFLINE_COLOUR = "#6b6b6b"
REJECTED_COLOUR = "#d0342c"
FIELDS = (
    "vendor",
    "model",
    "serial",
    "box_serial",
    "firmware",
    "firmware_status",
    "last_boot",
    "connection",
    "admission",
    "protocol",
    "meter",
    "diagnostics_status",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationIdentity", text)


def field_titles() -> dict[str, str]:
    return {
        "vendor": _tr("Vendor"),
        "model": _tr("Model"),
        "serial": _tr("Serial number"),
        "box_serial": _tr("Charge box serial"),
        "firmware": _tr("Firmware"),
        "firmware_status": _tr("Firmware update"),
        "last_boot": _tr("Last boot"),
        "connection": _tr("Connection"),
        "admission": _tr("Admission"),
        "protocol": _tr("Protocol"),
        "meter": _tr("Meter"),
        "diagnostics_status": _tr("Diagnostics"),
    }


def when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d  %H:%M:%S") if value else "—"


def admission_label(admission: Admission) -> str:
    return {
        Admission.ACCEPTED: _tr("Accepted"),
        Admission.PENDING: _tr("Pending approval"),
        Admission.REJECTED: _tr("Rejected"),
    }[admission]


def state_pill(situation: Situation) -> tuple[str, str]:
    """The header's text and colour: online, offline, pending or rejected."""
    if not situation.known:
        return _tr("Unknown station"), OFFLINE_COLOUR
    if situation.admission is Admission.REJECTED:
        return _tr("Rejected"), REJECTED_COLOUR
    if not situation.connected:
        return _tr("Offline"), OFFLINE_COLOUR
    if situation.admission is Admission.PENDING:
        return _tr("Online · pending approval"), PENDING_COLOUR
    return _tr("Online"), ONLINE_COLOUR


class StationHeader(QWidget):
    def __init__(self, station_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(station_id, self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.pill = QLabel(self)
        self.subtitle = QLabel(self)
        muted(self.subtitle)
        self.last_message = QLabel(self)
        self.last_message.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        muted(self.last_message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addWidget(self.pill)
        layout.addSpacing(12)
        layout.addWidget(self.subtitle, 1)
        layout.addWidget(self.last_message)

    def show_situation(self, situation: Situation) -> None:
        text, colour = state_pill(situation)
        self.pill.setText(text)
        self.pill.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; border-radius: 9px; "
            f"padding: 2px 10px; font-weight: bold; }}"
        )
        times = [r.last_message_at for r in situation.rows if r.last_message_at]
        self.last_message.setText(
            _tr("Last message {time}").format(time=when(max(times))) if times else ""
        )

    def show_station(self, station: Station) -> None:
        boot = station.boot
        if boot is None:
            self.subtitle.setText(_tr("Has not booted yet"))
            return
        parts = [f"{boot.vendor} {boot.model}"]
        if boot.firmware_version:
            parts.append(_tr("firmware {v}").format(v=boot.firmware_version))
        if station.protocol:
            parts.append(station.protocol.replace("ocpp", "OCPP "))
        self.subtitle.setText("  ·  ".join(parts))


class IdentityPanel(QGroupBox):
    """Two columns of label/value pairs; values are selectable for copying."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Identity"), parent)
        titles = field_titles()
        self.values: dict[str, QLabel] = {}
        columns = QHBoxLayout()
        half = (len(FIELDS) + 1) // 2
        for chunk in (FIELDS[:half], FIELDS[half:]):
            form = QFormLayout()
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            form.setHorizontalSpacing(10)
            form.setVerticalSpacing(5)
            for name in chunk:
                value = QLabel("—", self)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.values[name] = value
                title = QLabel(titles[name], self)
                muted(title)
                form.addRow(title, value)
            columns.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)

    def text(self, name: str) -> str:
        return self.values[name].text()

    def show_station(self, station: Station) -> None:
        boot = station.boot
        v = self.values
        v["vendor"].setText(boot.vendor if boot else "—")
        v["model"].setText(boot.model if boot else "—")
        v["serial"].setText((boot.serial_number if boot else None) or "—")
        v["box_serial"].setText((boot.charge_box_serial_number if boot else None) or "—")
        v["firmware"].setText((boot.firmware_version if boot else None) or "—")
        v["firmware_status"].setText(station.firmware_status or "—")
        v["diagnostics_status"].setText(station.diagnostics_status or "—")
        v["last_boot"].setText(when(station.last_boot_at))
        protocol = station.protocol.replace("ocpp", "OCPP ") if station.protocol else "—"
        v["protocol"].setText(protocol)
        meter = [boot.meter_type, boot.meter_serial_number] if boot else []
        v["meter"].setText(" ".join(p for p in meter if p) or "—")

    def show_situation(self, situation: Situation, last_seen: datetime | None) -> None:
        if situation.connected:
            self.values["connection"].setText(_tr("Online"))
        else:
            self.values["connection"].setText(
                _tr("Offline, last seen {time}").format(time=when(last_seen))
                if last_seen
                else _tr("Offline")
            )
        self.values["admission"].setText(admission_label(situation.admission))
