"""Import tags and drivers from a CSV file after seeing exactly what it changes; export them.

The screen that lists drivers and tags opens these:

    open_import_dialog(parent, host)   # asks for a file, previews it, imports on request
    export_tags(parent, host)          # asks where to save, writes every tag with its driver

Reading the file, comparing it and writing it all run on the engine thread
(EngineOp); the window stays responsive and shows progress meanwhile.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.tag_csv import MAX_FILE_BYTES
from app.domain.tag_import import ExportedFile, ImportResult, Preview, RowKind, StalePreview
from app.ui.dialogs.tag_import_model import (
    KIND_COLOURS,
    PreviewTableModel,
    counted,
    kind_label,
    result_text,
)
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, ensure_delivery

log = logging.getLogger(__name__)

ERROR_COLOUR, DONE_COLOUR = KIND_COLOURS[RowKind.INVALID], KIND_COLOURS[RowKind.NEW]


def _tr(text: str) -> str:
    return QCoreApplication.translate("TagImport", text)


# ---- prompts (module functions so tests and scripts replace them) ---------------------


def choose_import_file(parent: QWidget | None) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, _tr("Import tags and drivers"), "", _tr("CSV files (*.csv *.txt);;All files (*)")
    )
    return path or None


def choose_export_file(parent: QWidget | None) -> tuple[str, str] | None:
    """Where to save and with which delimiter; None when cancelled."""
    comma = _tr("CSV, comma-separated (*.csv)")
    semicolon = _tr("CSV for spreadsheets in Swedish, semicolon-separated (*.csv)")
    path, chosen = QFileDialog.getSaveFileName(
        parent, _tr("Export tags and drivers"), "tags.csv", f"{comma};;{semicolon}"
    )
    if not path:
        return None
    return path, ";" if chosen == semicolon else ","


def notify(parent: QWidget | None, title: str, text: str, *, error: bool = False) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


# ---- entry points -----------------------------------------------------------------------


def open_import_dialog(
    parent: QWidget | None, host: EngineHost, path: str | None = None
) -> TagImportDialog | None:
    """Ask for a file (unless `path` is given), open the dialog and preview the file.

    None when no file was chosen. The dialog is window-modal and deletes itself when closed;
    its `imported` signal says when something was written.
    """
    ensure_delivery()
    path = path or choose_import_file(parent)
    if not path:
        return None
    dialog = TagImportDialog(host, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.preview_file(path)
    return dialog


def export_tags(
    parent: QWidget | None, host: EngineHost
) -> concurrent.futures.Future[ExportedFile] | None:
    """Ask where to save, export every tag with its driver there, and say how it went.

    Returns the engine call's future (None when cancelled) for callers that wait.
    """
    ensure_delivery()
    choice = choose_export_file(parent)
    if choice is None:
        return None
    path, delimiter = choice

    def save(exported: ExportedFile) -> None:
        try:
            Path(path).write_bytes(exported.data)
        except OSError as exc:
            log.warning("cannot write the tag export to %s: %s", path, exc)
            failed(_tr("The file could not be written: {reason}").format(reason=exc.strerror))
            return
        notify(
            parent,
            _tr("Export tags and drivers"),
            _tr("Saved {n} tags to {path}.").format(n=exported.tags, path=path),
        )

    def failed(message: str, _exc: BaseException | None = None) -> None:
        notify(parent, _tr("Export tags and drivers"), message, error=True)

    return (
        EngineOp(host, lambda s: s.tag_import.export(delimiter)).success(save).failure(failed).run()
    )


# ---- the dialog -------------------------------------------------------------------------

REVIEW = "review"  # the filter's first choice: every row but the unchanged ones


class TagImportDialog(QDialog):
    """A file's preview, its counts and a filter; Import only when every row can be written."""

    imported = Signal(object)  # ImportResult

    def __init__(self, host: EngineHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.choose_file: Callable[[QWidget | None], str | None] = choose_import_file
        self.path: str | None = None
        self.preview: Preview | None = None
        self.outcome: ImportResult | None = None
        self._busy = False
        self.setWindowTitle(_tr("Import tags and drivers"))
        self.resize(980, 620)

        intro = QLabel(
            _tr(
                "One row per tag, with its driver. Nothing is written until you press Import; "
                "then every row is written at once, or none. Rows with problems must be "
                "corrected in the file first."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.file_label = QLabel(_tr("No file chosen."), self)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(_tr("Choose file…"), self)
        self.choose_button.clicked.connect(self._choose)
        self.again_button = QPushButton(_tr("Preview again"), self)
        self.again_button.setToolTip(_tr("Read the file again and compare it with the tags now"))
        self.again_button.clicked.connect(self._again)
        self.counts = QLabel(self)
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.creates = QLabel(self)
        self.creates.setWordWrap(True)
        self.filter = QComboBox(self)
        self.filter.addItem(_tr("Rows to review (all but unchanged)"), REVIEW)
        self.filter.addItem(_tr("All rows"), "all")
        for kind in RowKind:
            self.filter.addItem(kind_label(kind), kind.value)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.model = PreviewTableModel(self)
        self.model.show_kinds(_kinds(REVIEW))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((0, 56), (1, 120), (2, 150), (3, 170)):
            self.table.setColumnWidth(column, width)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: the engine does not report steps
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton(
            _tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setAutoDefault(False)  # Enter in the dialog never imports
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(_tr("File:"), self))
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.again_button)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.counts, 1)
        filter_row.addWidget(QLabel(_tr("Show:"), self))
        filter_row.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.creates)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._update()

    # ---- preview ------------------------------------------------------------------

    def preview_file(self, path: str) -> None:
        """Read `path` and show what importing it would do (nothing is written)."""
        self.path = path
        self.file_label.setText(path)
        self.outcome = None
        try:
            with open(path, "rb") as file:
                # One byte more than allowed is enough for the import to refuse it.
                data = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            log.warning("cannot read tag file %s: %s", path, exc)
            self._show_preview(None)
            self._say(_tr("The file could not be read: {reason}").format(reason=exc.strerror))
            return
        self._start(_tr("Comparing the file with the tags…"))
        EngineOp(self._host, lambda s: s.tag_import.preview(data)).success(self._previewed).failure(
            self._failed
        ).run()

    def _choose(self) -> None:
        path = self.choose_file(self)
        if path:
            self.preview_file(path)

    def _again(self) -> None:
        if self.path:
            self.preview_file(self.path)

    def _previewed(self, preview: Preview) -> None:
        if not isValid(self):
            return  # closed while the engine compared
        self._busy = False
        self._show_preview(preview)
        reason = preview.blocking_reason()
        if reason is not None:
            self._say(
                _tr(
                    "Nothing can be imported while the file has invalid or duplicate rows. "
                    "Correct them in the file, save it and press Preview again."
                )
            )
        elif not preview.has_changes:
            self._say(_tr("Nothing to import: every row is as stored."), error=False)
        else:
            self._say(_tr("Press Import to write these changes."), error=False, done=False)

    def _show_preview(self, preview: Preview | None) -> None:
        self.preview = preview
        self.model.set_preview_rows(preview.rows if preview else ())
        if preview is None:
            self.counts.setText("")
            self.creates.setText("")
            self._update()
            return
        self.counts.setText(
            " · ".join(
                f'<span style="color:{KIND_COLOURS[kind]}; font-weight:bold">'
                f"{counted(kind, preview.count(kind))}</span>"
                for kind in RowKind
            )
        )
        made = []
        if preview.new_fleets:
            made.append(_tr("New fleets: {names}.").format(names=", ".join(preview.new_fleets)))
        if preview.new_drivers:
            names = ", ".join(d.values.name for d in preview.new_drivers[:10])
            more = len(preview.new_drivers) - 10
            if more > 0:
                names += " " + _tr("and {n} more").format(n=more)
            made.append(_tr("New drivers: {names}.").format(names=names))
        self.creates.setText(" ".join(made))
        self.creates.setVisible(bool(made))
        self._update()

    def _filter_changed(self, _index: int) -> None:
        self.model.show_kinds(_kinds(str(self.filter.currentData())))

    # ---- import -------------------------------------------------------------------

    def start_import(self) -> None:
        preview = self.preview
        if preview is None or not self._can_import():
            return
        self._start(_tr("Importing…"))
        EngineOp(self._host, lambda s: s.tag_import.apply(preview)).success(self._imported).failure(
            self._failed
        ).run()

    def _imported(self, result: ImportResult) -> None:
        if not isValid(self):
            return  # closed while the engine wrote (it did write)
        self._busy = False
        self.outcome = result
        self._say(result_text(result), error=False)
        self.imported.emit(result)

    def _failed(self, message: str, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._busy = False
        if isinstance(exc, StalePreview):
            self.preview = None  # its plan is of an older state: only Preview again helps
        self._say(message)

    # ---- state --------------------------------------------------------------------

    def _start(self, doing: str) -> None:
        self._busy = True
        self._say(doing, error=False, done=False)

    def _say(self, text: str, *, error: bool = True, done: bool = True) -> None:
        colour = ERROR_COLOUR if error else DONE_COLOUR if done else ""
        self.status.setStyleSheet(f"color: {colour};" if colour else "")
        self.status.setText(text)
        self._update()

    def _can_import(self) -> bool:
        p = self.preview
        return (
            not self._busy
            and self.outcome is None
            and p is not None
            and p.can_apply
            and p.has_changes
        )

    def _update(self) -> None:
        self.progress.setVisible(self._busy)
        self.import_button.setEnabled(self._can_import())
        self.choose_button.setEnabled(not self._busy)
        self.again_button.setEnabled(not self._busy and self.path is not None)
        self.filter.setEnabled(self.preview is not None)


def _kinds(choice: str) -> frozenset[RowKind]:
    if choice == REVIEW:
        return frozenset(RowKind) - {RowKind.UNCHANGED}
    if choice == "all":
        return frozenset(RowKind)
    return frozenset({RowKind(choice)})
