"""Remote start: which connector, and whose id tag the session is charged to."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from app.domain.model import IdTag, IdTagStatus
from app.ui.dialogs.base import FormDialog, connector_label
from app.ui.dialogs.inputs import ID_TAG_MAX, id_tag_problem
from app.ui.dialogs.requests import RemoteStartRequest


def _tr(text: str) -> str:
    return QCoreApplication.translate("RemoteStartDialog", text)


class RemoteStartDialog(FormDialog):
    def __init__(
        self,
        station_id: str,
        connectors: Sequence[int],
        preferred: int | None,
        tags: Sequence[IdTag],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _tr("Remote start on {station}").format(station=station_id),
            _tr(
                "The station starts a session as if the tag had been presented at the "
                "connector. A car must be plugged in, or be plugged in soon."
            ),
            _tr("Start session"),
            parent,
        )
        self.connector = QComboBox(self)
        for connector_id in connectors:
            self.connector.addItem(connector_label(connector_id), connector_id)
        if preferred is not None and preferred in connectors:
            self.connector.setCurrentIndex(list(connectors).index(preferred))
        self.id_tag = QComboBox(self)
        self.id_tag.setEditable(True)
        self.id_tag.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.id_tag.lineEdit()
        assert line is not None
        line.setMaxLength(ID_TAG_MAX)
        line.setPlaceholderText(_tr("Known tag or type one"))
        # Tags that would be refused are left out; a typed tag is still allowed.
        usable = [t for t in tags if t.status is IdTagStatus.ACCEPTED]
        for tag in sorted(usable, key=lambda t: t.id_tag):
            self.id_tag.addItem(tag.id_tag)
            if tag.note:
                self.id_tag.setItemData(self.id_tag.count() - 1, tag.note)
        self.id_tag.setCurrentIndex(-1 if not usable else 0)
        self.id_tag.editTextChanged.connect(lambda _t: self.revalidate())
        self.form.addRow(_tr("Connector"), self.connector)
        self.form.addRow(_tr("Id tag"), self.id_tag)
        self.revalidate()

    def problem(self) -> str | None:
        if self.connector.count() == 0:
            return _tr("No connector is free.")
        return id_tag_problem(self.id_tag.currentText())

    def request(self) -> RemoteStartRequest | None:
        if self.problem() is not None:
            return None
        return RemoteStartRequest(
            int(self.connector.currentData()), self.id_tag.currentText().strip()
        )
