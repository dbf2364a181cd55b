"""Operator accounts, for an admin: who may sign in, with which role, and their upkeep.

Add…, Change role…, Reset password…, Unlock, Disable and Enable each go to the
operator service, which checks the role, keeps the rules (the first account
is an admin, the last active admin stays) and writes the audit log; the dialog
shows its answer in plain words and reads the list again after each change.
Accounts are never deleted: the audit log names them for good.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain.operators import Operator, Role
from app.services.container import Services
from app.ui.dialogs.confirm import confirm
from app.ui.dialogs.operator_form import (
    OperatorAddForm,
    PasswordResetForm,
    role_name,
)
from app.ui.dialogs.validated_form import say, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, Reloader
from app.ui.table_model import Index, RowsTableModel, rows_table

COLUMNS = ("username", "display_name", "role", "state", "last_sign_in")
TIME_FORMAT = "%Y-%m-%d %H:%M"
MUTED = QColor("#8a8f98")
LOCKED = QColor("#b3261e")


def tr(text: str) -> str:
    return QCoreApplication.translate("OperatorsDialog", text)


def state_of(operator: Operator, now: datetime) -> str:
    """active, locked or disabled (a disabled account cannot sign in, locked or not)."""
    if not operator.active:
        return "disabled"
    return "locked" if operator.locked_at(now) else "active"


def state_name(state: str) -> str:
    return {"active": tr("Active"), "locked": tr("Locked"), "disabled": tr("Disabled")}[state]


def ask_role(parent: QWidget | None, operator: Operator) -> Role | None:
    """The new role for `operator`; None when cancelled. Tests replace this."""
    roles = list(Role)
    choice, ok = QInputDialog.getItem(
        parent,
        tr("Change role"),
        tr("New role for {name}:").format(name=operator.username),
        [role_name(r) for r in roles],
        roles.index(operator.role),
        False,
    )
    if not ok:
        return None
    return roles[[role_name(r) for r in roles].index(choice)]


def confirm_disable(parent: QWidget | None, operator: Operator) -> bool:
    """Tests replace this, so that nothing modal blocks them."""
    return confirm(
        parent,
        tr("Disable operator"),
        tr(
            "Disable {name}? They can no longer sign in (anyone signed in as them keeps "
            "working until they sign out). The account and its audit entries stay; "
            "Enable brings it back."
        ).format(name=operator.username),
        tr("Disable"),
        destructive=True,
    )


class OperatorsTableModel(RowsTableModel[Operator]):
    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "username": tr("User name"),
                "display_name": tr("Display name"),
                "role": tr("Role"),
                "state": tr("State"),
                "last_sign_in": tr("Last sign-in"),
            },
            parent,
        )
        self._zone = zone
        self.now = datetime.now(UTC)

    def set_rows_at(self, rows: list[Operator], now: datetime) -> None:
        self.now = now
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        operator = self.row_at(index.row())
        column = COLUMNS[index.column()]
        state = state_of(operator, self.now)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(operator, column, state)
        if role == Qt.ItemDataRole.ForegroundRole:
            if state == "disabled":
                return MUTED
            if state == "locked" and column == "state":
                return LOCKED
        if role == Qt.ItemDataRole.ToolTipRole and state == "locked":
            assert operator.locked_until is not None
            until = operator.locked_until.astimezone(self._zone).strftime(TIME_FORMAT)
            return tr("Locked after wrong passwords until {time}").format(time=until)
        return None

    def _display(self, operator: Operator, column: str, state: str) -> str:
        if column == "username":
            return operator.username
        if column == "display_name":
            return operator.display_name
        if column == "role":
            return role_name(operator.role)
        if column == "state":
            return state_name(state)
        last = operator.last_login_at
        return tr("never") if last is None else last.astimezone(self._zone).strftime(TIME_FORMAT)


class OperatorsDialog(QDialog):
    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.zone = site_zone(host.settings)
        self.loads = 0  # lists read, for whoever waits for one
        self.form: OperatorAddForm | PasswordResetForm | None = None
        self._select_after: str | None = None
        self._reload: Reloader[list[Operator]] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )
        self.setWindowTitle(tr("Operators"))
        self.setMinimumSize(720, 420)

        self.intro = QLabel(
            tr(
                "Who may sign in to ChargeDesk, and with which role. Accounts are never "
                "deleted: disable the ones no longer needed."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.model = OperatorsTableModel(self.zone, self)
        self.table = rows_table(self.model, self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.add_button = QPushButton(tr("&Add…"), self)
        self.role_button = QPushButton(tr("Change &role…"), self)
        self.reset_button = QPushButton(tr("Reset &password…"), self)
        self.unlock_button = QPushButton(tr("&Unlock"), self)
        self.unlock_button.setToolTip(tr("Let a locked account sign in again at once"))
        self.disable_button = QPushButton(tr("&Disable…"), self)
        self.enable_button = QPushButton(tr("&Enable"), self)
        actions = QHBoxLayout()
        for button, slot in (
            (self.add_button, self.add),
            (self.role_button, self.change_role),
            (self.reset_button, self.reset_password),
            (self.unlock_button, self.unlock),
            (self.disable_button, self.disable),
            (self.enable_button, self.enable),
        ):
            button.clicked.connect(slot)
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch(1)

        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.notice)
        layout.addWidget(close)
        self._update_buttons()
        self.refresh()

    # ---- reading -------------------------------------------------------------------

    def refresh(self) -> None:
        async def read(s: Services) -> list[Operator]:
            return await s.operators.list()

        self._reload.start(read)

    def _loaded(self, rows: list[Operator]) -> None:
        chosen = self.selected()
        self.model.set_rows_at(rows, datetime.now(UTC))
        self.loads += 1
        wanted = self._select_after or (None if chosen is None else chosen.username)
        self._select_after = None
        if wanted is not None:
            self.select_operator(wanted)
        self._update_buttons()

    def _load_failed(self, message: str) -> None:
        self.model.set_rows_at([], datetime.now(UTC))
        self.loads += 1
        self._update_buttons()
        self.add_button.setEnabled(False)
        say(self.notice, message, error=True)

    @property
    def first_account(self) -> bool:
        """No active account yet: the one added now must be an admin."""
        return not any(o.active for o in self.model.rows())

    # ---- selection -----------------------------------------------------------------

    def selected(self) -> Operator | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row())

    def select_operator(self, username: str) -> bool:
        for n, operator in enumerate(self.model.rows()):
            if operator.username == username:
                self.table.selectRow(n)
                return True
        self.table.clearSelection()
        return False

    def _update_buttons(self) -> None:
        operator = self.selected()
        state = None if operator is None else state_of(operator, self.model.now)
        self.add_button.setEnabled(True)
        self.role_button.setEnabled(state is not None)
        self.reset_button.setEnabled(state is not None)
        self.unlock_button.setEnabled(state == "locked")
        self.disable_button.setEnabled(state in ("active", "locked"))
        self.enable_button.setEnabled(state == "disabled")

    # ---- actions -------------------------------------------------------------------

    def _tell(self, text: str, error: bool) -> None:
        if shiboken6.isValid(self):
            say(self.notice, text, error=error)

    def _act(self, call: Callable[[Services], Awaitable[Any]], done: str) -> None:
        """Run a change; say it is done, or the service's reason as it wrote it (a
        sentence already, and one that may start with a lower-case user name)."""

        def succeeded(_result: object) -> None:
            self._tell(done, False)
            self.refresh()

        def failed(message: str, _exc: BaseException) -> None:
            self._tell(message, True)
            self.refresh()  # someone else may have changed it meanwhile

        EngineOp(self._host, call).success(succeeded).failure(failed).run()

    def add(self) -> None:
        form = OperatorAddForm(self._host, self.first_account, self)
        self.form = form
        form.saved.connect(self._added)
        show_dialog(form)

    def _added(self, operator: object) -> None:
        assert isinstance(operator, Operator)
        self._tell(
            tr("{name} added as {role}.").format(
                name=operator.username, role=role_name(operator.role)
            ),
            False,
        )
        self._select_after = operator.username
        self.refresh()

    def change_role(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        role = ask_role(self, operator)
        if role is None or role is operator.role:
            return
        operator_id = operator.id
        self._act(
            lambda s: s.operators.set_role(operator_id, role),
            tr("{name} is now {role}.").format(name=operator.username, role=role_name(role)),
        )

    def reset_password(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        form = PasswordResetForm(self._host, operator, self)
        self.form = form
        name = operator.username

        def reset(_operator: object) -> None:
            self._tell(tr("{name} has a new password.").format(name=name), False)
            self.refresh()

        form.saved.connect(reset)
        show_dialog(form)

    def unlock(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        operator_id = operator.id
        self._act(
            lambda s: s.operators.unlock(operator_id),
            tr("{name} can sign in again.").format(name=operator.username),
        )

    def disable(self) -> None:
        operator = self.selected()
        if operator is None or not confirm_disable(self, operator):
            return
        operator_id = operator.id
        self._act(
            lambda s: s.operators.disable(operator_id),
            tr("{name} is disabled and can no longer sign in.").format(name=operator.username),
        )

    def enable(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        operator_id = operator.id
        self._act(
            lambda s: s.operators.enable(operator_id),
            tr("{name} can sign in again.").format(name=operator.username),
        )


def open_operators(parent: QWidget | None, host: EngineHost) -> OperatorsDialog:
    """Open window-modal without blocking the caller; deleted when closed."""
    dialog = OperatorsDialog(host, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
