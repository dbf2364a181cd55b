"""Who is at the keyboard: sign-in at start, the idle lock and switching user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.domain.errors import NotPermitted
from app.domain.operators import Role, Source
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.sign_in import OperatorSession, SignInDialog
from tests.ui.conftest import TESTER
from tests.ui.shots import SHOTS

PASSWORD = "correct horse battery"


def make_accounts(host: EngineHost) -> None:
    async def make(s: object) -> None:
        from app.services.container import Services

        assert isinstance(s, Services)
        await s.operators.create("ada", "Ada Admin", Role.ADMIN, PASSWORD)
        await s.operators.create("kim", "Kim Desk", Role.ATTENDANT, PASSWORD)

    host.actor = TESTER
    host.submit(make).result(30)


def when_dialog_opens(qtbot: QtBot, answer: Callable[[SignInDialog], None]) -> None:
    """Answer the sign-in dialog once it is up (exec() blocks the caller)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SignInDialog):
            answer(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def sign_in_as(qtbot: QtBot, name: str, password: str) -> Callable[[SignInDialog], None]:
    def answer(dialog: SignInDialog) -> None:
        dialog.username.setText(name)
        dialog.password.setText(password)
        dialog.sign_in_button.click()

    return answer


def test_a_site_without_accounts_runs_as_its_local_administrator(
    host: EngineHost, window: MainWindow
) -> None:
    host.actor = None
    session = OperatorSession(host, idle_minutes=15)
    assert session.begin()
    actor = session.host.actor  # begin() named the actor
    assert actor is not None
    assert (actor.role, actor.source) == (Role.ADMIN, Source.UI)
    assert actor.name.startswith("local:")
    window.use_session(session)
    label = window.findChild(QLabel, "signedIn")
    assert label is not None
    assert label.text() == "No operator accounts: full access"


def test_a_wrong_password_keeps_the_name_and_says_so_and_the_right_one_signs_in(
    host: EngineHost, qtbot: QtBot
) -> None:
    make_accounts(host)
    host.actor = None
    dialog = SignInDialog(host, "Sign in with your ChargeDesk operator account.")
    qtbot.addWidget(dialog)
    dialog.username.setText("kim")
    dialog.password.setText("not it")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: "wrong" in dialog.problem.text(), timeout=10_000)
    assert dialog.username.text() == "kim"
    assert dialog.password.text() == ""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "sign-in.png"))
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.sign_in_button.click()
    assert dialog.operator is not None
    assert dialog.operator.display_name == "Kim Desk"


def test_the_room_locks_when_idle_and_the_next_person_acts_with_their_role(
    host: EngineHost, window: MainWindow, qtbot: QtBot
) -> None:
    make_accounts(host)
    session = OperatorSession(host, idle_minutes=15)
    when_dialog_opens(qtbot, sign_in_as(qtbot, "ada", PASSWORD))
    assert session.begin()
    window.use_session(session)
    assert host.actor is not None
    assert host.actor.name == "ada"
    label = window.findChild(QLabel, "signedIn")
    assert label is not None
    assert label.text() == "Signed in: Ada Admin (admin)"
    assert window.operators_action.isEnabled()

    when_dialog_opens(qtbot, sign_in_as(qtbot, "kim", PASSWORD))
    room = window.centralWidget()
    assert room is not None
    seen: list[bool] = []
    session.changed.connect(lambda: seen.append(room.isVisible()))
    session.lock("Locked after a while without use.")
    assert False in seen, "the room's contents were hidden while locked"
    assert room.isVisible()
    assert host.actor is not None
    assert (host.actor.name, host.actor.role) == ("kim", Role.ATTENDANT)
    assert label.text() == "Signed in: Kim Desk (attendant)"
    assert not window.operators_action.isEnabled()
    assert not window.payment_settings_action.isEnabled()
    with pytest.raises(NotPermitted):
        host.submit(lambda s: s.operators.list()).result(30)

    async def sign_events(s: object) -> list[tuple[str, str]]:
        from app.domain.audit import AuditQuery
        from app.services.container import Services

        assert isinstance(s, Services)
        with s.acting(TESTER):
            entries = await s.audit.entries(AuditQuery(action_prefix="operator.sign"))
        return [(e.actor, e.action) for e in reversed(entries)]

    assert host.submit(sign_events).result(30) == [
        ("ada", "operator.sign_in"),
        ("ada", "operator.sign_out"),
        ("kim", "operator.sign_in"),
    ]


def test_the_idle_timer_locks_after_no_input(host: EngineHost, qtbot: QtBot) -> None:
    make_accounts(host)
    session = OperatorSession(host, idle_minutes=0.002)  # 120 ms
    when_dialog_opens(qtbot, sign_in_as(qtbot, "ada", PASSWORD))
    assert session.begin()
    intros: list[str] = []

    def answer(dialog: SignInDialog) -> None:
        intros.append(dialog.intro.text())
        dialog.reject()  # Quit at the lock: nobody acts any more

    when_dialog_opens(qtbot, answer)
    qtbot.waitUntil(lambda: bool(intros), timeout=10_000)
    assert intros == ["Locked after a while without use."]
    assert host.actor is None
