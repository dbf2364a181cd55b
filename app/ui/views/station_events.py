"""Recent events of one station, in plain words, from the live event batches."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.domain import events as ev
from app.domain.model import ConnectorStatus, EventRecord, Severity
from app.ui.formatting import kilo
from app.ui.status_style import status_label

RECENT_LIMIT = 50
SEVERITY_COLOURS = {Severity.WARNING: "#c0561b", Severity.ALARM: "#d0342c"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationEvents", text)


def _where(connector_id: int) -> str:
    if connector_id == 0:
        return _tr("Station")
    return _tr("Connector {n}").format(n=connector_id)


def describe_event(event: ev.DomainEvent) -> tuple[str, Severity] | None:
    """Plain words and a severity for one event; None for routine noise (meter values)."""
    if isinstance(event, ev.StationConnected):
        text = _tr("Connected from {address} ({protocol})").format(
            address=event.remote_address, protocol=event.protocol
        )
        return text, Severity.INFO
    if isinstance(event, ev.StationDisconnected):
        return _tr("Disconnected: {reason}").format(reason=event.reason), Severity.WARNING
    if isinstance(event, ev.StationWentOffline):
        return _tr("Offline: {reason}").format(reason=event.reason), Severity.WARNING
    if isinstance(event, ev.StationBooted):
        text = _tr("Booted: {vendor} {model}, firmware {firmware}").format(
            vendor=event.boot.vendor,
            model=event.boot.model,
            firmware=event.boot.firmware_version or _tr("unknown"),
        )
        return text, Severity.INFO
    if isinstance(event, ev.StationAwaitingApproval):
        return _tr("Waiting for approval"), Severity.WARNING
    if isinstance(event, ev.StationAdmissionChanged):
        return _tr("Admission set to {admission}").format(admission=event.admission.value), (
            Severity.INFO
        )
    if isinstance(event, ev.ConnectionRefused):
        return _tr("Connection refused: {reason}").format(reason=event.reason), Severity.WARNING
    if isinstance(event, ev.ConnectorStatusChanged):
        text = f"{_where(event.connector_id)}: {status_label(event.status)}"
        if event.error_code not in ("NoError", ""):
            text += f" ({event.error_code})"
        if event.info:
            text += f" — {event.info}"
        faulted = event.status is ConnectorStatus.FAULTED
        return text, Severity.ALARM if faulted else Severity.INFO
    if isinstance(event, ev.TransactionStarted):
        text = _tr("Session {id} started on connector {n} for tag {tag}").format(
            id=event.transaction_id, n=event.connector_id, tag=event.id_tag
        )
        return text, Severity.INFO
    if isinstance(event, ev.TransactionStopped):
        text = _tr("Session {id} ended on connector {n}: {kwh} kWh").format(
            id=event.transaction_id, n=event.connector_id, kwh=kilo(event.energy_wh, 2)
        )
        if event.reason:
            text += f" ({event.reason})"
        return text, Severity.INFO
    if isinstance(event, ev.FirmwareStatusChanged):
        severity = Severity.ALARM if "Failed" in event.status else Severity.INFO
        return _tr("Firmware: {status}").format(status=event.status), severity
    if isinstance(event, ev.DiagnosticsStatusChanged):
        severity = Severity.WARNING if "Failed" in event.status else Severity.INFO
        return _tr("Diagnostics: {status}").format(status=event.status), severity
    if isinstance(event, ev.CommandCompleted):
        severity = Severity.INFO if event.outcome == "accepted" else Severity.WARNING
        return _tr("{action}: {outcome}").format(action=event.action, outcome=event.outcome), (
            severity
        )
    if isinstance(event, ev.OperatorAttentionNeeded):
        return event.message, Severity.WARNING
    return None  # meter values and fault events already shown as a status change


class RecentEventsTable(QTableWidget):
    """The last 50 events of one station, newest first."""

    def __init__(self, station_id: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.station_id = station_id
        self.entries: deque[tuple[datetime, str, Severity]] = deque(maxlen=RECENT_LIMIT)
        self.setHorizontalHeaderLabels([_tr("Time"), _tr("Event")])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def add_events(self, batch: Iterable[ev.DomainEvent]) -> int:
        """Keep this station's events from a live batch; return how many were added."""
        added = 0
        for event in batch:
            if event.station_id != self.station_id:
                continue
            described = describe_event(event)
            if described is not None:
                self.entries.append((event.at, *described))
                added += 1
        if added:
            self._render()
        return added

    def add_records(self, records: Iterable[EventRecord]) -> None:
        """Stored events (oldest first) go before anything that arrived live meanwhile."""
        stored = [(r.timestamp, r.message, r.severity) for r in records]
        live = list(self.entries)
        self.entries.clear()
        self.entries.extend(stored + live)
        self._render()

    def texts(self) -> list[str]:
        return [text for _at, text, _sev in reversed(self.entries)]

    def _render(self) -> None:
        entries = list(reversed(self.entries))
        self.setRowCount(len(entries))
        for row, (at, text, severity) in enumerate(entries):
            when = QTableWidgetItem(at.astimezone().strftime("%H:%M:%S  %Y-%m-%d"))
            what = QTableWidgetItem(text)
            what.setToolTip(text)
            colour = SEVERITY_COLOURS.get(severity)
            if colour is not None:
                what.setForeground(QColor(colour))
            self.setItem(row, 0, when)
            self.setItem(row, 1, what)
