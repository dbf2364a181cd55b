"""Backups of the database: the list with time and size, Back up now (with progress),
and Restore… from a listed backup or any file (checked first, confirmed, then the
engine restarts on the restored database).

The dialog knows backups only through the BackupKeeper protocol below (the control
room never imports the store): the integrator passes app.store.backup.Backups.
A backup runs while chargers are served; a restore stops the engine for a moment.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.operators import Role
from app.services.container import Services
from app.ui.dialogs.confirm import confirm
from app.ui.dialogs.validated_form import say
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, describe_error

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupRestore", text)


class BackupEntry(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def size_bytes(self) -> int: ...
    @property
    def before_upgrade(self) -> bool: ...


class FileVerdict(Protocol):
    @property
    def ok(self) -> bool: ...
    @property
    def message(self) -> str: ...


class RestoreOutcome(Protocol):
    @property
    def restored_from(self) -> Path: ...
    @property
    def kept_as(self) -> Path | None: ...
    @property
    def upgraded_to(self) -> str | None: ...


class BackupKeeper(Protocol):
    """What the dialog needs of the backups (app.store.backup.Backups is one)."""

    @property
    def supported(self) -> bool: ...
    @property
    def directory(self) -> Path | None: ...
    @property
    def database(self) -> Path | None: ...

    keep: int
    every_hours: float

    def files(self) -> Sequence[BackupEntry]: ...
    def back_up(self, to: Path | None = None, progress: Progress | None = None) -> BackupEntry: ...
    def check(self, path: Path) -> FileVerdict: ...
    def restore(self, backup: Path) -> RestoreOutcome: ...


def ask_backup_file(parent: QWidget | None, folder: Path | None) -> Path | None:
    """The file dialog for Restore from file… (tests replace this function)."""
    path, _chosen = QFileDialog.getOpenFileName(
        parent,
        _tr("Restore from a backup file"),
        str(folder or ""),
        _tr("ChargeDesk databases (*.sqlite3 *.db);;All files (*)"),
    )
    return Path(path) if path else None


def ask_to_restore(parent: QWidget | None, question: str) -> bool:
    """The last question before a restore (tests replace this function)."""
    return confirm(
        parent, _tr("Restore a backup"), question, _tr("Restore and restart"), destructive=True
    )


def size_text(size_bytes: int) -> str:
    if size_bytes >= 1 << 20:
        return _tr("{n} MB").format(n=f"{size_bytes / (1 << 20):.1f}")
    return _tr("{n} kB").format(n=max(1, round(size_bytes / 1024)))


class BackupRestoreDialog(QDialog):
    # Crosses from the backup and restore threads to this one.
    progressed = Signal(int, int)
    finished_in_thread = Signal(object)

    def __init__(
        self,
        host: EngineHost,
        keeper: BackupKeeper,
        parent: QWidget | None = None,
        after_restart: Callable[[], None] | None = None,
        before_restart: Callable[[], None] | None = None,
    ) -> None:
        """before_restart: run on the GUI thread just before the engine stops (the window
        pauses what reads the engine on a timer); after_restart: once the engine serves
        again, restored or not (the window re-subscribes to events and reloads its views)."""
        super().__init__(parent)
        self.setWindowTitle(_tr("Backups"))
        self.setMinimumSize(640, 380)
        self._host = host
        self._keeper = keeper
        self._after_restart = after_restart
        self._before_restart = before_restart
        self.entries: list[BackupEntry] = []
        self.busy = False
        self.restore_thread: threading.Thread | None = None
        self.restored: RestoreOutcome | None = None

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([_tr("Made"), _tr("Size"), _tr("Kind"), _tr("File")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)

        self.back_up_button = QPushButton(_tr("&Back up now"), self)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(_tr("&Restore…"), self)
        self.restore_button.setToolTip(_tr("Replace the database with the selected backup"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_tr("Restore from &file…"), self)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        close = QPushButton(_tr("Close"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.back_up_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)

        self.progressed.connect(self._show_progress)
        self.finished_in_thread.connect(lambda work: work())
        self._describe()
        self._update_buttons()
        self.refresh()

    # ---- listing ------------------------------------------------------------------

    def _describe(self) -> None:
        keeper = self._keeper
        if not keeper.supported:
            self.summary.setText(
                _tr(
                    "This database is on PostgreSQL: back it up with the server's own tools "
                    "(pg_dump, or your provider's snapshots). ChargeDesk backs up only its "
                    "SQLite database."
                )
            )
            for button in (self.back_up_button, self.restore_button, self.restore_file_button):
                button.setEnabled(False)
            return
        schedule = (
            _tr("A backup is made every {hours} hours; the newest {keep} are kept.").format(
                hours=f"{keeper.every_hours:g}", keep=keeper.keep
            )
            if keeper.every_hours > 0
            else _tr("Backups are made only when you ask; the newest {keep} are kept.").format(
                keep=keeper.keep
            )
        )
        self.summary.setText(
            _tr("Backups are kept in {folder}. {schedule}").format(
                folder=keeper.directory, schedule=schedule
            )
        )

    def refresh(self) -> None:
        if not self._keeper.supported or not self._host.running:
            self._update_buttons()
            return
        keeper = self._keeper
        EngineOp(self._host, lambda _s: asyncio.to_thread(keeper.files)).success(
            self._listed
        ).failure(lambda message, _exc: self._tell(message, error=True)).run()

    def _listed(self, entries: Sequence[BackupEntry]) -> None:
        self.entries = list(entries)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            kind = _tr("before an upgrade") if entry.before_upgrade else _tr("backup")
            cells = (
                entry.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                size_text(entry.size_bytes),
                kind,
                entry.path.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(entry.path))
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        if self.entries and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> BackupEntry | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.entries[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        usable = self._keeper.supported and not self.busy
        self.back_up_button.setEnabled(usable and self._host.running)
        self.restore_button.setEnabled(usable and self.selected() is not None)
        self.restore_file_button.setEnabled(usable)

    def _tell(self, text: str, *, error: bool = False) -> None:
        say(self.notice, text, error=error)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self._update_buttons()

    # ---- backing up ---------------------------------------------------------------

    def back_up_now(self) -> None:
        if self.busy:
            return
        self._busy(True)
        self.progress.setRange(0, 0)
        self._tell(_tr("Backing up… chargers are served meanwhile."))
        keeper = self._keeper
        emit = self.progressed.emit

        async def back_up(services: Services) -> BackupEntry:
            await services.permit(Role.ADMIN, "backup.make")
            return await asyncio.to_thread(keeper.back_up, None, emit)

        EngineOp(self._host, back_up).success(self._backed_up).failure(self._failed).run()

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _backed_up(self, made: BackupEntry) -> None:
        self._busy(False)
        self._tell(
            _tr("Backed up to {name} ({size}); the copy passed its check.").format(
                name=made.path.name, size=size_text(made.size_bytes)
            )
        )
        self.refresh()

    def _failed(self, message: str, _exc: BaseException) -> None:
        self._busy(False)
        self._tell(message, error=True)

    # ---- restoring ----------------------------------------------------------------

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.restore(entry.path)

    def restore_from_file(self) -> None:
        path = ask_backup_file(self, self._keeper.directory)
        if path is not None:
            self.restore(path)

    def restore(self, path: Path) -> None:
        """Check the file, ask, then restart the engine on it."""
        if self.busy:
            return
        self._busy(True)
        self.progress.setRange(0, 0)
        self._tell(_tr("Checking {name}…").format(name=path.name))
        keeper = self._keeper

        async def check(services: Services) -> FileVerdict:
            # Restoring replaces every fact: an admin's, audited before the engine stops.
            await services.permit(Role.ADMIN, "backup.restore", path.name)
            return await asyncio.to_thread(keeper.check, path)

        EngineOp(self._host, check).success(lambda verdict: self._checked(path, verdict)).failure(
            self._failed
        ).run()

    def _checked(self, path: Path, verdict: FileVerdict) -> None:
        self._busy(False)
        if not verdict.ok:
            self._tell(_tr("Not restored: {why}").format(why=verdict.message), error=True)
            return
        question = _tr(
            "{check}.\n\nRestore the database from {name}?\n\n"
            "The engine restarts: chargers are disconnected for a moment and reconnect by "
            "themselves; messages they send meanwhile are kept by them and sent again. "
            "Everything stored since this backup was made is no longer shown, but nothing is "
            "deleted: the database as it is now is kept beside it as "
            "“{database}.before-restore-<time>”, and the backup file stays as it is."
        ).format(
            check=verdict.message,
            name=path.name,
            database=self._keeper.database.name if self._keeper.database else "",
        )
        if not ask_to_restore(self, question):
            self._tell(_tr("Nothing was restored."))
            return
        self._busy(True)
        self._tell(_tr("Restoring; the engine restarts…"))
        if self._before_restart is not None:
            self._before_restart()
        self.restore_thread = threading.Thread(
            target=self._restore_in_thread, args=(path,), name="chargedesk-restore"
        )
        self.restore_thread.start()

    def _restore_in_thread(self, path: Path) -> None:
        """Stop the engine, restore, start it again (on the old database if refused)."""
        outcome: RestoreOutcome | None = None
        error: BaseException | None = None
        try:
            self._host.stop()
            outcome = self._keeper.restore(path)
        except Exception as exc:  # shown to the operator on the GUI thread
            error = exc
        try:
            self._host.start()
        except Exception as exc:
            error = error or exc
        try:
            self.finished_in_thread.emit(lambda: self._restored(outcome, error))
        except RuntimeError:  # the window was closed meanwhile; the log has the outcome
            log.info("restore finished after its dialog closed: %s", error or outcome)

    def reject(self) -> None:
        if self.restore_thread is not None and self.restore_thread.is_alive():
            self._tell(_tr("Please wait: the engine is restarting."))
            return
        super().reject()

    def _restored(self, outcome: RestoreOutcome | None, error: BaseException | None) -> None:
        self._busy(False)
        if self._after_restart is not None:
            self._after_restart()
        if error is not None or outcome is None:
            log.error("restore from the control room failed", exc_info=error)
            why = describe_error(error) if error is not None else ""
            self._tell(_tr("Not restored: {why}").format(why=why), error=True)
            self.refresh()
            return
        self.restored = outcome
        text = _tr("Restored from {name}; the engine runs on it.").format(
            name=outcome.restored_from.name
        )
        if outcome.kept_as is not None:
            text += " " + _tr("The database as it was is kept as {kept}.").format(
                kept=outcome.kept_as.name
            )
        if outcome.upgraded_to:
            text += " " + _tr("Its schema was upgraded to {revision}.").format(
                revision=outcome.upgraded_to
            )
        self._tell(text)
        self.refresh()


def open_backup_restore(
    parent: QWidget | None,
    host: EngineHost,
    keeper: BackupKeeper,
    after_restart: Callable[[], None] | None = None,
    before_restart: Callable[[], None] | None = None,
) -> BackupRestoreDialog:
    """Open window-modal without blocking the caller; deleted when closed."""
    dialog = BackupRestoreDialog(host, keeper, parent, after_restart, before_restart)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
