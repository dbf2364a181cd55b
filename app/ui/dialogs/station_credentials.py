"""A station's password: rotate it over OCPP, or issue one for an installer to type in.

Opened from the station detail screen ("Password…"). The new password is shown here
once and exists nowhere else in clear: the store keeps a salted hash.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.container import Services
from app.services.station_credentials import NewPassword, StationCredentials
from app.ui.dialogs.confirm import confirm as ask_to_confirm
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.views.alarm_style import operator_name

Confirm = Callable[[QWidget | None, str, str, str], bool]


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationCredentialsDialog", text)


def _confirm(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    return ask_to_confirm(parent, title, question, action, destructive=True)


class StationCredentialsDialog(QDialog):
    def __init__(
        self,
        host: EngineHost,
        station_id: str,
        parent: QWidget | None = None,
        *,
        online: bool = True,
        confirm: Confirm = _confirm,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.station_id = station_id
        self._confirm = confirm
        self.setWindowTitle(_tr("Password of {station}").format(station=station_id))
        intro = QLabel(
            _tr(
                "<b>Rotate</b> sends the station a new generated password "
                "(ChangeConfiguration AuthorizationKey). Its current password keeps "
                "working until the station accepts the new one.<br><b>New password to "
                "type in</b> is for a charger being set up or one that lost its settings: "
                "the current password stops working at once."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.rotate_button = QPushButton(_tr("Rotate password"), self)
        self.rotate_button.setEnabled(online)
        if not online:
            self.rotate_button.setToolTip(_tr("The station is offline"))
        self.rotate_button.clicked.connect(self.rotate)
        self.issue_button = QPushButton(_tr("New password to type in…"), self)
        self.issue_button.clicked.connect(self.issue)
        actions = QHBoxLayout()
        actions.addWidget(self.rotate_button)
        actions.addWidget(self.issue_button)
        actions.addStretch(1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.password.setFont(mono)
        self.copy_button = QPushButton(_tr("Copy"), self)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.password.text())
        )
        shown = QHBoxLayout()
        shown.addWidget(self.password, 1)
        shown.addWidget(self.copy_button)
        self.password.hide()
        self.copy_button.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addLayout(shown)
        layout.addWidget(close)
        self.resize(540, self.sizeHint().height())

    def rotate(self) -> None:
        station_id, by = self.station_id, operator_name()

        async def call(s: Services) -> NewPassword:
            return await StationCredentials(s.stations, s.commands).rotate(
                station_id, requested_by=by
            )

        self._busy(_tr("Sending a new password to {station}…").format(station=station_id))
        EngineOp(self._host, call).success(self._show).failure(self._refused).run()

    def issue(self) -> None:
        if not self._confirm(
            self,
            _tr("New password"),
            _tr(
                "{station} must then connect with the new password: until someone types "
                "it into the charger, the charger cannot connect. Continue?"
            ).format(station=self.station_id),
            _tr("Make a new password"),
        ):
            return
        station_id = self.station_id

        async def call(s: Services) -> NewPassword:
            return await StationCredentials(s.stations, s.commands).issue(station_id)

        self._busy(_tr("Making a new password…"))
        EngineOp(self._host, call).success(self._show).failure(self._refused).run()

    def _busy(self, text: str) -> None:
        self.rotate_button.setEnabled(False)
        self.issue_button.setEnabled(False)
        self.status.setText(text)

    def _show(self, result: NewPassword) -> None:
        if not shiboken6.isValid(self):
            return  # closed while the station was answering
        if not result.pushed:
            text = _tr(
                "Enter this password in the charger's OCPP settings (Basic authentication "
                "password). It is shown <b>only now</b>."
            )
        elif result.after_restart:
            text = _tr(
                "The station accepted the new password; it uses it after its next restart. "
                "Shown <b>only now</b>, in case the charger ever needs it typed in again."
            )
        else:
            text = _tr(
                "The station accepted the new password and uses it from now on. Shown "
                "<b>only now</b>, in case the charger ever needs it typed in again."
            )
        self.status.setText(text)
        self.password.setText(result.password)
        self.password.show()
        self.copy_button.show()
        self.issue_button.setEnabled(True)

    def _refused(self, message: str, _exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.status.setText(
            _tr("{problem} The current password stays in force.").format(problem=message)
        )
        self.rotate_button.setEnabled(True)
        self.issue_button.setEnabled(True)

    def done(self, result: int) -> None:
        # The clear password lives only in this dialog; gone with it.
        self.password.clear()
        super().done(result)
