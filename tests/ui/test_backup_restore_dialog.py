"""The Backups dialog over a real engine: Back up now with progress, the list, a refused
file, and a restore that restarts the engine on the restored database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.model import IdTag, IdTagStatus
from app.store.backup import Backups
from app.ui.dialogs import backup_restore
from app.ui.dialogs.backup_restore import BackupRestoreDialog
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from tests.ui.drivers_support import WAIT_MS, call


@pytest.fixture
def parent(host: EngineHost, qtbot: QtBot) -> QWidget:
    ensure_delivery()
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def add_tag(host: EngineHost, id_tag: str) -> None:
    call(host, lambda s: s.authorization.add_tag(IdTag(id_tag, IdTagStatus.ACCEPTED)))


def tag_ids(host: EngineHost) -> set[str]:
    return {t.id_tag for t in call(host, lambda s: s.tags.tags())}


def test_back_up_now_then_restore_restarts_the_engine(
    host: EngineHost,
    settings: Settings,
    parent: QWidget,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_tag(host, "KEEP")
    keeper = Backups.from_settings(settings)
    restarted: list[str] = []
    dialog = BackupRestoreDialog(
        host,
        keeper,
        parent,
        after_restart=lambda: restarted.append(f"after, running={host.running}"),
        before_restart=lambda: restarted.append(f"before, running={host.running}"),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert "backups" in dialog.summary.text()
    assert "every 24 hours" in dialog.summary.text()
    assert not dialog.restore_button.isEnabled()  # nothing to restore yet

    progress: list[tuple[int, int]] = []
    dialog.progressed.connect(lambda done, total: progress.append((done, total)))
    dialog.back_up_button.click()
    qtbot.waitUntil(lambda: len(dialog.entries) == 1, timeout=WAIT_MS)
    assert progress
    assert progress[-1][0] == progress[-1][1]
    assert "passed its check" in dialog.notice.text()
    assert dialog.table.rowCount() == 1
    name = dialog.table.item(0, 3)
    assert name is not None
    assert name.text().startswith("chargedesk-")
    assert dialog.restore_button.isEnabled()

    add_tag(host, "LATER")
    questions: list[str] = []

    def agree(_parent: QWidget | None, question: str) -> bool:
        questions.append(question)
        return True

    monkeypatch.setattr(backup_restore, "ask_to_restore", agree)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.restored is not None, timeout=WAIT_MS * 3)
    [question] = questions
    assert "The engine restarts" in question
    assert "before-restore" in question
    assert restarted == ["before, running=True", "after, running=True"]
    assert host.running
    assert tag_ids(host) == {"KEEP"}
    assert "kept as chargedesk.sqlite3.before-restore-" in dialog.notice.text()
    dialog.close()


def test_a_refused_file_changes_nothing(
    host: EngineHost,
    settings: Settings,
    parent: QWidget,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_tag(host, "KEEP")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 500)
    monkeypatch.setattr(backup_restore, "ask_backup_file", lambda _p, _f: junk)

    def never(_parent: QWidget | None, _question: str) -> bool:
        raise AssertionError("a refused file must not reach the question")

    monkeypatch.setattr(backup_restore, "ask_to_restore", never)
    dialog = BackupRestoreDialog(host, Backups.from_settings(settings), parent)
    qtbot.addWidget(dialog)
    dialog.restore_file_button.click()
    qtbot.waitUntil(lambda: "Not restored" in dialog.notice.text(), timeout=WAIT_MS)
    assert "not a readable SQLite database" in dialog.notice.text()
    assert host.running
    assert tag_ids(host) == {"KEEP"}
    assert not list(tmp_path.glob("*.before-restore-*"))
    dialog.close()


def test_postgresql_says_pg_dump(host: EngineHost, parent: QWidget, qtbot: QtBot) -> None:
    keeper = Backups("postgresql://chargedesk@localhost/chargedesk")
    dialog = BackupRestoreDialog(host, keeper, parent)
    qtbot.addWidget(dialog)
    assert "pg_dump" in dialog.summary.text()
    assert not dialog.back_up_button.isEnabled()
    assert not dialog.restore_button.isEnabled()
    assert not dialog.restore_file_button.isEnabled()
    dialog.close()
