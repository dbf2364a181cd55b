"""Dialogs that send the station to a file server: diagnostics upload, firmware download."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QLineEdit, QWidget

from app.ui.dialogs.base import FormDialog
from app.ui.dialogs.inputs import location_problem
from app.ui.dialogs.requests import FirmwareRequest


def _tr(text: str) -> str:
    return QCoreApplication.translate("FileTransferDialog", text)


def _location_field(parent: QWidget, placeholder: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setPlaceholderText(placeholder)
    field.setClearButtonEnabled(True)
    field.setMinimumWidth(320)
    return field


class DiagnosticsDialog(FormDialog):
    def __init__(self, station_id: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _tr("Get diagnostics from {station}").format(station=station_id),
            _tr(
                "The station uploads its diagnostics file to this address; progress "
                "appears under Recent events."
            ),
            _tr("Request upload"),
            parent,
        )
        self.location = _location_field(self, "ftp://user:password@files.example.com/diagnostics/")
        self.location.textChanged.connect(lambda _t: self.revalidate())
        self.form.addRow(_tr("Upload to"), self.location)
        self.revalidate()

    def problem(self) -> str | None:
        return location_problem(self.location.text())

    def request(self) -> str | None:
        return None if self.problem() else self.location.text().strip()


class FirmwareDialog(FormDialog):
    def __init__(
        self, station_id: str, current_version: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            _tr("Update firmware of {station}").format(station=station_id),
            _tr(
                "The station downloads the firmware at the chosen time and installs it "
                "when no session is running; it restarts to do so. Current version: {v}."
            ).format(v=current_version or _tr("unknown")),
            _tr("Schedule update"),
            parent,
        )
        self.location = _location_field(self, "https://files.example.com/firmware/charger.bin")
        self.location.textChanged.connect(lambda _t: self.revalidate())
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.form.addRow(_tr("Download from"), self.location)
        self.form.addRow(_tr("Not before (local time)"), self.when)
        self.revalidate()

    def problem(self) -> str | None:
        return location_problem(self.location.text())

    def retrieve_at(self) -> datetime:
        seconds = self.when.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(seconds, UTC)

    def request(self) -> FirmwareRequest | None:
        if self.problem() is not None:
            return None
        return FirmwareRequest(self.location.text().strip(), self.retrieve_at())
