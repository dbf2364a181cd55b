"""The audit log dialog over a real engine: operator actions done through the real
services (as the admin TESTER, and refused for an attendant) are listed in the site's
local time, filtered by outcome and actor, and exported as CSV that is read back."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.audit import CSV_HEADER, AuditEntry, AuditQuery, Outcome
from app.domain.errors import InvalidInput, NotPermitted, SignInRefused
from app.domain.operators import Actor, Role, Source
from app.ui.dialogs import audit_log as audit_dialog
from app.ui.dialogs.audit_log import (
    COLUMNS,
    OUTCOME_BACKGROUND,
    TIME_FORMAT,
    AuditLogDialog,
)
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from tests.ui.conftest import TESTER
from tests.ui.drivers_support import WAIT_MS, call, cell
from tests.ui.shots import SHOTS

ZONE = "America/New_York"  # hours from UTC all year, so local and UTC never agree
GOOD = "correct horse battery"
ATTENDANT = Actor("att", Role.ATTENDANT, Source.UI)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, site_time_zone=ZONE)


@pytest.fixture
def parent(host: EngineHost, qtbot: QtBot) -> QWidget:
    ensure_delivery()
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def actions(host: EngineHost) -> list[AuditEntry]:
    """Accounts made and changed by the admin, a refusal, a failure and wrong passwords."""
    boss = call(host, lambda s: s.operators.create("boss", "Boss", Role.ADMIN, GOOD))
    anna = call(host, lambda s: s.operators.create("anna", "Anna", Role.ATTENDANT, GOOD))
    call(host, lambda s: s.operators.set_role(anna.id, Role.OPERATOR))
    with pytest.raises(InvalidInput):
        call(host, lambda s: s.operators.disable(boss.id))  # the last admin: failed
    with pytest.raises(InvalidInput):
        call(host, lambda s: s.operators.create("kim", "", Role.OPERATOR, "short"))
    for _ in range(2):
        with pytest.raises(SignInRefused):
            call(host, lambda s: s.operators.sign_in("anna", "not it at all", Source.UI))
    call(host, lambda s: s.operators.sign_in("boss", GOOD, Source.UI))
    host.actor = ATTENDANT
    try:
        with pytest.raises(NotPermitted):
            call(host, lambda s: s.operators.create("eve", "", Role.ADMIN, GOOD))
    finally:
        host.actor = TESTER
    return call(host, lambda s: s.audit.entries(AuditQuery()))


def opened(host: EngineHost, parent: QWidget, qtbot: QtBot) -> AuditLogDialog:
    dialog = AuditLogDialog(host, parent)
    qtbot.waitUntil(lambda: dialog.loads >= 1, timeout=WAIT_MS)
    return dialog


def shown(dialog: AuditLogDialog, name: str) -> list[str]:
    at = COLUMNS.index(name)
    return [cell(dialog.model, r, at) for r in range(dialog.model.rowCount())]


def filtered(dialog: AuditLogDialog, qtbot: QtBot, change: object) -> None:
    """Change a filter and wait for the read it starts (and any folded after it)."""
    before = dialog.loads
    assert callable(change)
    change()
    qtbot.waitUntil(lambda: dialog.loads > before and not dialog._reload.busy, timeout=WAIT_MS)


def test_actions_are_listed_newest_first_in_local_time(
    host: EngineHost, parent: QWidget, qtbot: QtBot, actions: list[AuditEntry]
) -> None:
    dialog = opened(host, parent, qtbot)

    zone = ZoneInfo(ZONE)
    assert shown(dialog, "time") == [e.at.astimezone(zone).strftime(TIME_FORMAT) for e in actions]
    assert shown(dialog, "time")[0] != actions[0].at.astimezone(ZoneInfo("UTC")).strftime(
        TIME_FORMAT
    )
    assert shown(dialog, "action") == [e.action for e in actions]
    assert shown(dialog, "action")[-4:] == [
        "operator.disable",
        "operator.set_role",
        "operator.create",
        "operator.create",
    ]
    assert shown(dialog, "action")[0] == "operator.create"  # the attendant's refusal, newest
    assert shown(dialog, "actor")[0] == "att"
    assert shown(dialog, "role")[0] == "Attendant"
    assert shown(dialog, "source")[0] == "Control room"
    assert shown(dialog, "outcome")[0] == "Denied"
    assert shown(dialog, "detail")[0] == "needs the admin role"
    assert shown(dialog, "target")[0] == "eve"
    assert dialog.count.text() == f"{len(actions)} entries, newest first."
    model, background = dialog.model, Qt.ItemDataRole.BackgroundRole
    assert model.data(model.index(0, 4), background) == OUTCOME_BACKGROUND[Outcome.DENIED]
    ok_row = shown(dialog, "outcome").index("Done")
    assert model.data(model.index(ok_row, 4), background) is None
    failed_row = shown(dialog, "outcome").index("Failed")
    assert model.data(model.index(failed_row, 4), background) == OUTCOME_BACKGROUND[Outcome.FAILED]
    assert not dialog.table.editTriggers()  # read only


def test_filters_by_outcome_and_actor(
    host: EngineHost, parent: QWidget, qtbot: QtBot, actions: list[AuditEntry]
) -> None:
    dialog = opened(host, parent, qtbot)

    filtered(dialog, qtbot, lambda: dialog.outcome.setCurrentText("Failed"))

    failed = [e for e in actions if e.outcome is Outcome.FAILED]
    assert len(failed) == 4  # the last admin, the short password, two wrong passwords
    assert shown(dialog, "outcome") == ["Failed"] * 4
    assert shown(dialog, "detail") == [e.detail for e in failed]
    assert dialog.count.text() == "4 entries, newest first."

    filtered(dialog, qtbot, lambda: dialog.actor.setText("anna"))

    assert shown(dialog, "actor") == ["anna", "anna"]
    assert shown(dialog, "action") == ["operator.sign_in"] * 2
    assert shown(dialog, "detail") == ["wrong password"] * 2

    filtered(dialog, qtbot, lambda: dialog.outcome.setCurrentText("Any outcome"))
    filtered(dialog, qtbot, lambda: dialog.actor.setText("Tester"))  # stored lower case

    assert set(shown(dialog, "actor")) == {"tester"}
    assert shown(dialog, "action") == [e.action for e in actions if e.actor == "tester"]
    filtered(dialog, qtbot, lambda: dialog.action.setText("operator.set"))
    assert shown(dialog, "action") == ["operator.set_role"]
    filtered(dialog, qtbot, lambda: dialog.source.setCurrentText("HTTP API"))
    assert dialog.model.rowCount() == 0
    assert dialog.count.text() == "No entries match these filters."
    assert not dialog.export_button.isEnabled()


def test_export_writes_the_filtered_entries_as_csv_and_is_itself_audited(
    host: EngineHost,
    parent: QWidget,
    qtbot: QtBot,
    actions: list[AuditEntry],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = opened(host, parent, qtbot)
    filtered(dialog, qtbot, lambda: dialog.outcome.setCurrentText("Failed"))
    target = tmp_path / "audit.csv"
    asked: list[str] = []

    def ask(_parent: QWidget | None, name: str) -> Path:
        asked.append(name)
        return target

    monkeypatch.setattr(audit_dialog, "ask_csv_path", ask)

    dialog.export_button.click()

    qtbot.waitUntil(lambda: dialog.exports == 1, timeout=WAIT_MS)
    assert dialog.written == target
    assert dialog.notice.text() == f"Saved to {target}."
    assert asked[0].startswith("audit-log-")
    assert asked[0].endswith(".csv")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_HEADER
    failed = [e for e in actions if e.outcome is Outcome.FAILED]
    assert [r[0] for r in rows[1:]] == [str(e.id) for e in failed]
    assert [r[1] for r in rows[1:]] == [e.at.isoformat() for e in failed]  # UTC, as stored
    assert {r[7] for r in rows[1:]} == {"failed"}
    assert [r[8] for r in rows[1:]] == [e.detail for e in failed]
    logged = call(host, lambda s: s.audit.entries(AuditQuery(action_prefix="audit.export")))
    assert [(e.actor, e.outcome) for e in logged] == [("tester", Outcome.OK)]
    filtered(dialog, qtbot, lambda: dialog.outcome.setCurrentText("Any outcome"))
    assert shown(dialog, "action")[0] == "audit.export"


def test_an_attendant_sees_the_refusal_instead_of_entries(
    host: EngineHost, parent: QWidget, qtbot: QtBot, actions: list[AuditEntry]
) -> None:
    host.actor = ATTENDANT

    dialog = opened(host, parent, qtbot)

    with pytest.raises(NotPermitted) as refusal:
        call(host, lambda s: s.audit.entries(AuditQuery()))
    assert dialog.refused == str(refusal.value)  # the service's own words
    assert dialog.refused.startswith("att is signed in as attendant;")
    assert "this needs the admin role or higher" in dialog.refused
    assert dialog.notice.text() == dialog.refused
    assert dialog.notice.isVisibleTo(dialog)
    assert not dialog.table.isVisibleTo(dialog)
    assert dialog.model.rowCount() == 0
    assert not dialog.export_button.isEnabled()
    assert dialog.count.text() == ""


def test_screenshot(
    host: EngineHost, parent: QWidget, qtbot: QtBot, actions: list[AuditEntry]
) -> None:
    """The picture in docs/screenshots."""
    dialog = opened(host, parent, qtbot)
    dialog.resize(1100, 480)
    dialog.show()
    qtbot.waitExposed(dialog)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "audit-log.png"))
