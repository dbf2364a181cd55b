"""The forms of the Operators dialog: a new operator account, and a new password for one.

Only what the service cannot know is checked here (the two passwords match); the
rules for user names and passwords are the service's, and its message is shown
in the form, which stays open with everything typed still in it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.domain.operators import (
    DISPLAY_NAME_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
    USERNAME_MAX,
    Operator,
    Role,
)
from app.services.container import Services
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog
from app.ui.engine_host import EngineHost


def tr(text: str) -> str:
    return QCoreApplication.translate("OperatorForm", text)


def role_name(role: Role) -> str:
    """A role in the operator's language."""
    names = {
        Role.ATTENDANT: tr("Attendant"),
        Role.OPERATOR: tr("Operator"),
        Role.MANAGER: tr("Manager"),
        Role.ADMIN: tr("Admin"),
    }
    return names[role]


def role_combo(parent: QWidget, chosen: Role = Role.ATTENDANT) -> QComboBox:
    """The roles, lowest first, each with what it may do as a tooltip."""
    combo = QComboBox(parent)
    tips = {
        Role.ATTENDANT: tr("Payments at the desk, remote start and stop, unlock a connector"),
        Role.OPERATOR: tr("Every station operation, tags, drivers and fleets"),
        Role.MANAGER: tr("Tariffs, subscriptions, access rules, refunds, reports, settings"),
        Role.ADMIN: tr("Operator accounts, API tokens, security settings, the audit log"),
    }
    for n, role in enumerate(Role):
        combo.addItem(role_name(role))
        combo.setItemData(n, tips[role], Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(list(Role).index(chosen))
    return combo


def strength_hint(password: str) -> str:
    """A rough word on how hard the password is to guess; the service decides what is allowed."""
    if not password:
        return ""
    if len(password) < PASSWORD_MIN:
        return tr("Too short: {n} of at least {min} characters.").format(
            n=len(password), min=PASSWORD_MIN
        )
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) >= 16 or (len(password) >= 12 and kinds >= 3):
        return tr("Strong.")
    if kinds >= 2:
        return tr("Fair; longer is stronger (a short sentence is easy to remember).")
    return tr("Weak; mix in other kinds of characters, or make it longer.")


def password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(PASSWORD_MAX)
    return field


class _PasswordsForm(ValidatedFormDialog):
    """A form with a password typed twice, with its strength under the first."""

    def _add_passwords(self, label: str) -> None:
        self.password = password_field(self)
        self.repeat = password_field(self)
        self.add_field("password", label, self.password)
        self.add_field("repeat", tr("Once more:"), self.repeat)
        for field in (self.password, self.repeat):
            field.textChanged.connect(lambda _t: self.revalidate())

    def _password_problems(self) -> dict[str, str]:
        if self.repeat.text() and self.repeat.text() != self.password.text():
            return {"repeat": tr("The two passwords differ.")}
        if self.password.text() and not self.repeat.text():
            return {"repeat": tr("Type the password once more.")}
        return {}

    def hints(self) -> dict[str, str]:
        return {"password": strength_hint(self.password.text())}


class OperatorAddForm(_PasswordsForm):
    """A new operator account; the service says what is wrong with a name or a password."""

    def __init__(self, host: EngineHost, first: bool, parent: QWidget | None = None) -> None:
        intro = (
            tr(
                "There are no operator accounts yet. The first one must be an admin, "
                "who then adds the others; from then on everyone signs in."
            )
            if first
            else tr("The new operator signs in with this user name and password.")
        )
        super().__init__(host, tr("Add operator"), intro, tr("&Add"), parent)
        self.username = QLineEdit(self)
        self.username.setMaxLength(USERNAME_MAX)
        self.username.setPlaceholderText(tr("e.g. anna.l"))
        self.display_name = QLineEdit(self)
        self.display_name.setMaxLength(DISPLAY_NAME_MAX)
        self.display_name.setPlaceholderText(tr("e.g. Anna Lind (the user name if empty)"))
        self.role = role_combo(self, Role.ADMIN if first else Role.ATTENDANT)
        self.add_field("username", tr("User name:"), self.username)
        self.add_field("display_name", tr("Display name:"), self.display_name)
        self.add_field("role", tr("Role:"), self.role)
        self._add_passwords(tr("Password:"))
        self.username.textChanged.connect(lambda _t: self.revalidate())
        self.start()

    def chosen_role(self) -> Role:
        # By position: Qt hands a StrEnum back as a plain str.
        return list(Role)[self.role.currentIndex()]

    def problems(self) -> dict[str, str]:
        return self._password_problems()

    def values(self) -> object:
        return (
            self.username.text(),
            self.display_name.text(),
            self.chosen_role(),
            self.password.text(),
            self.repeat.text(),
        )

    def save_call(self) -> SaveCall:
        username, shown, role = self.username.text(), self.display_name.text(), self.chosen_role()
        password = self.password.text()

        async def create(s: Services) -> Operator:
            return await s.operators.create(username, shown, role, password)

        return create


class PasswordResetForm(_PasswordsForm):
    """A new password for someone who forgot theirs; it also lifts a lockout."""

    def __init__(self, host: EngineHost, operator: Operator, parent: QWidget | None = None) -> None:
        super().__init__(
            host,
            tr("Reset password"),
            tr(
                "A new password for {name}. Hand it over in person; the lockout, "
                "if any, is lifted too."
            ).format(name=operator.username),
            tr("&Reset password"),
            parent,
        )
        self.operator = operator
        self._add_passwords(tr("New password:"))
        self.start()

    def problems(self) -> dict[str, str]:
        return self._password_problems()

    def values(self) -> object:
        return (self.password.text(), self.repeat.text())

    def save_call(self) -> SaveCall:
        operator_id, password = self.operator.id, self.password.text()

        async def reset(s: Services) -> Operator:
            return await s.operators.reset_password(operator_id, password)

        return reset
