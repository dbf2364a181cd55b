"""Trigger message: ask the station to send one message now."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from app.domain.commands import TriggerableMessage
from app.ui.dialogs.base import FormDialog, connector_label
from app.ui.dialogs.requests import CONNECTOR_MESSAGES, TriggerRequest


def _tr(text: str) -> str:
    return QCoreApplication.translate("TriggerDialog", text)


def message_labels() -> dict[TriggerableMessage, str]:
    return {
        TriggerableMessage.STATUS_NOTIFICATION: _tr("Connector status (StatusNotification)"),
        TriggerableMessage.METER_VALUES: _tr("Meter readings (MeterValues)"),
        TriggerableMessage.HEARTBEAT: _tr("Heartbeat"),
        TriggerableMessage.BOOT_NOTIFICATION: _tr("Identity and firmware (BootNotification)"),
        TriggerableMessage.FIRMWARE_STATUS_NOTIFICATION: _tr("Firmware update status"),
        TriggerableMessage.DIAGNOSTICS_STATUS_NOTIFICATION: _tr("Diagnostics upload status"),
    }


class TriggerDialog(FormDialog):
    def __init__(
        self,
        station_id: str,
        connectors: Sequence[int],
        preferred: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _tr("Trigger a message from {station}").format(station=station_id),
            _tr("The station sends the chosen message now, for example to refresh a status."),
            _tr("Send request"),
            parent,
        )
        self.message = QComboBox(self)
        for message, label in message_labels().items():
            self.message.addItem(label, message)
        self.connector = QComboBox(self)
        self.connector.addItem(_tr("All connectors"), None)
        for connector_id in connectors:
            self.connector.addItem(connector_label(connector_id), connector_id)
        if preferred is not None and preferred in connectors:
            self.connector.setCurrentIndex(list(connectors).index(preferred) + 1)
        self.message.currentIndexChanged.connect(self._message_changed)
        self.form.addRow(_tr("Message"), self.message)
        self.form.addRow(_tr("Connector"), self.connector)
        self._message_changed(0)
        self.revalidate()

    def _message_changed(self, _index: int) -> None:
        self.connector.setEnabled(self.message.currentData() in CONNECTOR_MESSAGES)

    def request(self) -> TriggerRequest:
        message = TriggerableMessage(self.message.currentData())  # Qt returns a plain str
        connector = self.connector.currentData() if message in CONNECTOR_MESSAGES else None
        return TriggerRequest(message, connector if isinstance(connector, int) else None)
