"""File ▸ Change my password: the signed-in operator proves the current one first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.operators import PASSWORD_MIN
from app.ui.dialogs.base import FormDialog
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp


def tr(text: str) -> str:
    return QCoreApplication.translate("OwnPasswordDialog", text)


class OwnPasswordDialog(FormDialog):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("Change my password"),
            tr("At least {n} characters; not your user name.").format(n=PASSWORD_MIN),
            tr("Change password"),
            parent,
        )
        self.host = host
        self.current = self._secret(tr("Current password"))
        self.new = self._secret(tr("New password"))
        self.again = self._secret(tr("New password again"))
        self.buttons.accepted.disconnect(self.accept)
        self.buttons.accepted.connect(self._change)
        self.revalidate()

    def _secret(self, label: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.textChanged.connect(self.revalidate)
        self.form.addRow(label, field)
        return field

    def problem(self) -> str | None:
        if not self.current.text():
            return tr("Type your current password.")
        if len(self.new.text()) < PASSWORD_MIN:
            return tr("The new password needs at least {n} characters.").format(n=PASSWORD_MIN)
        if self.new.text() != self.again.text():
            return tr("The two new passwords differ.")
        return None

    def _change(self) -> None:
        current, new = self.current.text(), self.new.text()
        self.ok_button.setEnabled(False)

        def failed(message: str, _exc: BaseException) -> None:
            self.problem_label.setText(message)
            self.ok_button.setEnabled(True)

        EngineOp(self.host, lambda s: s.operators.change_own_password(current, new)).success(
            lambda _: self.accept()
        ).failure(failed).run()
