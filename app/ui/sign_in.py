"""Who is at the keyboard: sign-in at start, switch user, and the lock after idle time.

A site without operator accounts runs as its local administrator (the status bar
says so); once an admin account exists, the control room asks for a sign-in at
start, locks itself after `operator_idle_minutes` without input, and File ▸
Switch user hands the desk to the next shift. Every engine call acts as the one
signed in (EngineHost.actor), and the services check the role.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from app.domain.operators import Operator, Source, local_administrator
from app.ui.dialogs.operator_form import role_name
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp

log = logging.getLogger(__name__)

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def tr(text: str) -> str:
    return QCoreApplication.translate("SignIn", text)


class SignInDialog(QDialog):
    """User name and password; stays open, with the reason, until they are right."""

    def __init__(self, host: EngineHost, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.operator: Operator | None = None
        self.setWindowTitle(tr("Sign in to ChargeDesk"))
        self.setMinimumWidth(380)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(tr("User name"), self.username)
        form.addRow(tr("Password"), self.password)
        self.buttons = QDialogButtonBox(self)
        self.sign_in_button = self.buttons.addButton(
            tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button = self.buttons.addButton(
            tr("Quit ChargeDesk"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.username.textChanged.connect(self._editable)
        self.password.textChanged.connect(self._editable)
        self._editable()

    def _editable(self) -> None:
        self.sign_in_button.setEnabled(bool(self.username.text().strip() and self.password.text()))

    def try_sign_in(self) -> None:
        name, password = self.username.text(), self.password.text()
        if not name.strip() or not password:
            return
        self.sign_in_button.setEnabled(False)
        self.problem.setText(tr("Checking…"))

        def signed_in(operator: Operator) -> None:
            self.operator = operator
            self.accept()

        def refused(message: str, _exc: BaseException) -> None:
            self.problem.setText(message)
            self.password.clear()  # the name stays; the password is typed again
            self.password.setFocus()
            self._editable()

        EngineOp(self.host, lambda s: s.operators.sign_in(name, password, Source.UI)).success(
            signed_in
        ).failure(refused).run()


class OperatorSession(QObject):
    """Who acts in this control room, and the idle lock."""

    changed = Signal()

    def __init__(self, host: EngineHost, idle_minutes: float) -> None:
        super().__init__()
        self.host = host
        self.operator: Operator | None = None
        self.accounts = False
        self.locked = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(max(0, int(idle_minutes * 60_000)))
        self._idle.timeout.connect(lambda: self.lock(tr("Locked after a while without use.")))
        self._window: QMainWindow | None = None
        app = QApplication.instance()
        if app is not None and idle_minutes > 0:
            app.installEventFilter(self)

    def begin(self) -> bool:
        """Decide who acts before the window shows: the local administrator on a site
        without accounts, else whoever signs in. False: the user chose to quit."""
        self.accounts = self.host.submit(lambda s: s.operators.accounts_exist()).result(30)
        if not self.accounts:
            self.host.actor = local_administrator(Source.UI)
            self.changed.emit()
            return True
        dialog = SignInDialog(self.host, tr("Sign in with your ChargeDesk operator account."))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.operator is None:
            return False
        self._signed_in(dialog.operator)
        return True

    def attach(self, window: QMainWindow) -> None:
        self._window = window

    def describe(self) -> str:
        actor = self.host.actor
        if actor is None:
            return tr("Locked")
        if not self.accounts:
            return tr("No operator accounts: full access")
        return tr("Signed in: {name} ({role})").format(
            name=self.operator.display_name if self.operator else actor.name,
            role=role_name(actor.role).lower(),
        )

    def switch_user(self) -> None:
        if not self.accounts:
            self._check_accounts(then=self.switch_user)
            return
        self.lock(tr("Hand over: the next person signs in."), reason="switch user")

    def lock(self, intro: str, reason: str = "idle") -> None:
        """Hide everything, forget who acted, and wait for a sign-in (anyone's)."""
        if self.locked or not self.accounts:
            return
        self.locked = True
        self._idle.stop()
        before = self.operator
        if before is not None:
            self.host.submit(lambda s: s.operators.sign_out(before, Source.UI, reason))
        self.host.actor = None
        self.operator = None
        central = self._window.centralWidget() if self._window is not None else None
        if central is not None:
            central.setVisible(False)
        self.changed.emit()
        dialog = SignInDialog(self.host, intro, self._window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.operator is not None
        if central is not None:
            central.setVisible(True)
        self.locked = False
        if not accepted:
            if self._window is not None:
                self._window.close()
            return
        assert dialog.operator is not None
        self._signed_in(dialog.operator)

    def _signed_in(self, operator: Operator) -> None:
        self.operator = operator
        self.host.actor = operator.as_actor(Source.UI)
        self._restart_idle()
        self.changed.emit()

    def _check_accounts(self, then: Callable[[], None]) -> None:
        def known(exist: bool) -> None:
            if exist and not self.accounts:
                self.accounts = True
                then()

        EngineOp(self.host, lambda s: s.operators.accounts_exist()).success(known).run()

    def _restart_idle(self) -> None:
        if self.accounts and self._idle.interval() > 0 and not self.locked:
            self._idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self._idle.isActive():
            self._idle.start()  # restarts the countdown
        return False
