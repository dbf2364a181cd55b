"""The Operators dialog over a real engine: accounts added, changed, locked and unlocked
through the real operator service, as the admin TESTER; the service's rules show in the
dialog in its own words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.errors import SignInRefused
from app.domain.operators import FAILURES_BEFORE_LOCK, Operator, Role, Source
from app.ui.dialogs import operators as operators_dialog
from app.ui.dialogs.operator_form import OperatorAddForm, PasswordResetForm
from app.ui.dialogs.operators import COLUMNS, OperatorsDialog
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from tests.ui.drivers_support import WAIT_MS, call, cell
from tests.ui.shots import SHOTS

GOOD = "correct horse battery"


@pytest.fixture
def parent(host: EngineHost, qtbot: QtBot) -> QWidget:
    ensure_delivery()
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def opened(host: EngineHost, parent: QWidget, qtbot: QtBot) -> OperatorsDialog:
    dialog = OperatorsDialog(host, parent)
    qtbot.waitUntil(lambda: dialog.loads >= 1, timeout=WAIT_MS)
    return dialog


def create(host: EngineHost, name: str, role: Role, password: str = GOOD) -> Operator:
    return call(host, lambda s: s.operators.create(name, name.title(), role, password))


def column(dialog: OperatorsDialog, name: str) -> dict[str, str]:
    """User name → the text of one column, as the table shows it."""
    model = dialog.model
    at = COLUMNS.index(name)
    return {cell(model, r, 0): cell(model, r, at) for r in range(model.rowCount())}


def first_account(dialog: OperatorsDialog) -> bool:
    return dialog.first_account


def reloaded(dialog: OperatorsDialog, qtbot: QtBot) -> None:
    before = dialog.loads
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.loads > before, timeout=WAIT_MS)


def add_form(dialog: OperatorsDialog) -> OperatorAddForm:
    dialog.add()
    form = dialog.form
    assert isinstance(form, OperatorAddForm)
    return form


def fill(form: OperatorAddForm, name: str, role: Role, password: str, shown: str = "") -> None:
    form.username.setText(name)
    form.display_name.setText(shown)
    form.role.setCurrentIndex(list(Role).index(role))
    form.password.setText(password)
    form.repeat.setText(password)


def refused(form: OperatorAddForm | PasswordResetForm, qtbot: QtBot) -> str:
    """Press OK and wait for the service's answer to show in the form, still open."""
    form.accept()
    qtbot.waitUntil(lambda: not form.busy and form.service_error.isVisibleTo(form), timeout=WAIT_MS)
    assert form.isVisible()
    return form.service_error.text()


def saved(form: OperatorAddForm | PasswordResetForm, qtbot: QtBot) -> None:
    with qtbot.waitSignal(form.saved, timeout=WAIT_MS):
        form.accept()


def test_the_first_account_must_be_an_admin_then_an_attendant_is_added(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    dialog = opened(host, parent, qtbot)
    assert dialog.model.rowCount() == 0
    assert first_account(dialog)
    form = add_form(dialog)
    assert form.chosen_role() is Role.ADMIN  # offered first, since nothing else is allowed
    fill(form, "Boss", Role.ATTENDANT, GOOD, "Site Boss")

    message = refused(form, qtbot)

    assert "The first operator account must be an admin" in message
    assert form.username.text() == "Boss"  # nothing typed is dropped
    assert form.display_name.text() == "Site Boss"
    assert form.password.text() == GOOD
    form.role.setCurrentIndex(list(Role).index(Role.ADMIN))
    saved(form, qtbot)
    qtbot.waitUntil(lambda: "boss" in column(dialog, "role"), timeout=WAIT_MS)
    assert column(dialog, "role") == {"boss": "Admin"}
    assert column(dialog, "display_name") == {"boss": "Site Boss"}
    assert column(dialog, "state") == {"boss": "Active"}
    assert column(dialog, "last_sign_in") == {"boss": "never"}
    assert "boss added as Admin" in dialog.notice.text()
    chosen = dialog.selected()
    assert chosen is not None
    assert chosen.username == "boss"

    form = add_form(dialog)
    assert not first_account(dialog)
    assert form.chosen_role() is Role.ATTENDANT
    fill(form, "anna", Role.ATTENDANT, GOOD)
    saved(form, qtbot)
    qtbot.waitUntil(lambda: "anna" in column(dialog, "role"), timeout=WAIT_MS)
    assert column(dialog, "role") == {"anna": "Attendant", "boss": "Admin"}
    assert column(dialog, "display_name")["anna"] == "anna"  # the user name when left empty


def test_a_too_short_password_shows_the_service_s_reason_and_keeps_what_was_typed(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    create(host, "boss", Role.ADMIN)
    dialog = opened(host, parent, qtbot)
    form = add_form(dialog)
    fill(form, "kim", Role.OPERATOR, "short1")
    assert "Too short" in form.problem_text("password")  # the hint as it is typed
    assert form.ok_button.isEnabled()  # the service decides, and says why

    message = refused(form, qtbot)

    assert message == "Not saved: A password needs at least 10 characters."
    assert form.username.text() == "kim"
    assert form.chosen_role() is Role.OPERATOR
    form.repeat.setText("something else entirely")
    assert form.problem_text("repeat") == "The two passwords differ."
    assert not form.ok_button.isEnabled()
    form.password.setText("Kim's 2nd pass-phrase")
    form.repeat.setText("Kim's 2nd pass-phrase")
    assert form.problem_text("password") == "Strong."
    saved(form, qtbot)
    qtbot.waitUntil(lambda: column(dialog, "role").get("kim") == "Operator", timeout=WAIT_MS)


def test_change_role_and_disable_with_confirmation_then_enable(
    host: EngineHost, parent: QWidget, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(host, "boss", Role.ADMIN)
    create(host, "anna", Role.ATTENDANT)
    dialog = opened(host, parent, qtbot)
    assert dialog.select_operator("anna")
    monkeypatch.setattr(operators_dialog, "ask_role", lambda _p, _o: Role.MANAGER)

    dialog.change_role()

    qtbot.waitUntil(lambda: column(dialog, "role")["anna"] == "Manager", timeout=WAIT_MS)
    assert dialog.notice.text() == "anna is now Manager."
    asked: list[str] = []
    answer = {"yes": False}

    def confirm(_parent: QWidget | None, operator: Operator) -> bool:
        asked.append(operator.username)
        return answer["yes"]

    monkeypatch.setattr(operators_dialog, "confirm_disable", confirm)
    assert dialog.disable_button.isEnabled()
    assert not dialog.enable_button.isEnabled()
    dialog.disable()  # answered No: nothing changes
    reloaded(dialog, qtbot)
    assert column(dialog, "state")["anna"] == "Active"
    answer["yes"] = True
    dialog.disable()
    qtbot.waitUntil(lambda: column(dialog, "state")["anna"] == "Disabled", timeout=WAIT_MS)
    assert asked == ["anna", "anna"]
    assert dialog.enable_button.isEnabled()
    assert not dialog.disable_button.isEnabled()
    with pytest.raises(SignInRefused):
        call(host, lambda s: s.operators.sign_in("anna", GOOD, Source.UI))

    dialog.enable()

    qtbot.waitUntil(lambda: column(dialog, "state")["anna"] == "Active", timeout=WAIT_MS)
    signed_in = call(host, lambda s: s.operators.sign_in("anna", GOOD, Source.UI))
    assert signed_in.role is Role.MANAGER


def test_the_last_admin_cannot_be_disabled_or_made_less(
    host: EngineHost, parent: QWidget, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(host, "boss", Role.ADMIN)
    dialog = opened(host, parent, qtbot)
    monkeypatch.setattr(operators_dialog, "confirm_disable", lambda _p, _o: True)
    monkeypatch.setattr(operators_dialog, "ask_role", lambda _p, _o: Role.OPERATOR)
    assert dialog.select_operator("boss")

    dialog.disable()

    expected = "boss is the last active admin; make another admin first."
    qtbot.waitUntil(lambda: dialog.notice.text() == expected, timeout=WAIT_MS)
    assert dialog.notice.isVisibleTo(dialog)
    dialog.change_role()
    qtbot.waitUntil(lambda: dialog.notice.text() == expected, timeout=WAIT_MS)
    reloaded(dialog, qtbot)
    assert column(dialog, "state") == {"boss": "Active"}
    assert column(dialog, "role") == {"boss": "Admin"}


def test_reset_password_then_the_new_one_signs_in(
    host: EngineHost, parent: QWidget, qtbot: QtBot
) -> None:
    create(host, "boss", Role.ADMIN)
    create(host, "anna", Role.ATTENDANT)
    dialog = opened(host, parent, qtbot)
    assert dialog.select_operator("anna")
    dialog.reset_password()
    form = dialog.form
    assert isinstance(form, PasswordResetForm)
    form.password.setText("anna")
    form.repeat.setText("anna")
    assert refused(form, qtbot) == "Not saved: A password needs at least 10 characters."
    form.password.setText("a brand new secret")
    form.repeat.setText("a brand new secret")

    saved(form, qtbot)

    qtbot.waitUntil(lambda: dialog.notice.text() == "anna has a new password.", timeout=WAIT_MS)
    signed_in = call(host, lambda s: s.operators.sign_in("anna", "a brand new secret", Source.UI))
    assert signed_in.username == "anna"
    with pytest.raises(SignInRefused):
        call(host, lambda s: s.operators.sign_in("anna", GOOD, Source.UI))


def test_a_locked_account_is_unlocked(host: EngineHost, parent: QWidget, qtbot: QtBot) -> None:
    create(host, "boss", Role.ADMIN)
    create(host, "anna", Role.ATTENDANT)
    for _ in range(FAILURES_BEFORE_LOCK):
        with pytest.raises(SignInRefused):
            call(host, lambda s: s.operators.sign_in("anna", "not the password", Source.UI))
    with pytest.raises(SignInRefused, match="locked"):
        call(host, lambda s: s.operators.sign_in("anna", GOOD, Source.UI))
    dialog = opened(host, parent, qtbot)
    assert column(dialog, "state") == {"anna": "Locked", "boss": "Active"}
    assert dialog.select_operator("anna")
    assert dialog.unlock_button.isEnabled()

    dialog.unlock()

    qtbot.waitUntil(lambda: column(dialog, "state")["anna"] == "Active", timeout=WAIT_MS)
    assert dialog.notice.text() == "anna can sign in again."
    assert not dialog.unlock_button.isEnabled()
    call(host, lambda s: s.operators.sign_in("anna", GOOD, Source.UI))
    reloaded(dialog, qtbot)
    assert column(dialog, "last_sign_in")["anna"] != "never"


def test_screenshot(host: EngineHost, parent: QWidget, qtbot: QtBot) -> None:
    """The picture in docs/screenshots: every state an account can be in."""
    create(host, "boss", Role.ADMIN)
    create(host, "anna", Role.ATTENDANT)
    create(host, "kim", Role.OPERATOR)
    create(host, "lee", Role.MANAGER)
    call(host, lambda s: s.operators.sign_in("boss", GOOD, Source.UI))
    kim = call(host, lambda s: s.operators.find("kim"))
    call(host, lambda s: s.operators.disable(kim.id))
    for _ in range(FAILURES_BEFORE_LOCK):
        with pytest.raises(SignInRefused):
            call(host, lambda s: s.operators.sign_in("lee", "not the password", Source.UI))
    dialog = opened(host, parent, qtbot)
    dialog.resize(780, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.select_operator("anna")
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "operators.png"))
