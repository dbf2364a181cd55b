"""How a tag import preview looks: one colour, glyph and word per kind of row, and the table."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from app.domain.tag_import import ImportResult, PreviewRow, RowKind
from app.ui.table_model import Index, RowsTableModel

KIND_COLOURS: dict[RowKind, str] = {
    RowKind.NEW: "#2e9d57",
    RowKind.CHANGED: "#2f80c9",
    RowKind.UNCHANGED: "#8c8c8c",
    RowKind.DUPLICATE: "#e07b00",
    RowKind.INVALID: "#d0342c",
}
# A glyph as well as a colour: the kinds stay apart for colour-blind eyes.
KIND_GLYPHS: dict[RowKind, str] = {
    RowKind.NEW: "+",
    RowKind.CHANGED: "~",
    RowKind.UNCHANGED: "=",
    RowKind.DUPLICATE: "2",
    RowKind.INVALID: "!",
}
COLUMNS = ("line", "kind", "id_tag", "driver", "details")


def _tr(text: str) -> str:
    return QCoreApplication.translate("TagImport", text)


def kind_label(kind: RowKind) -> str:
    return {
        RowKind.NEW: _tr("New"),
        RowKind.CHANGED: _tr("Changed"),
        RowKind.UNCHANGED: _tr("Unchanged"),
        RowKind.DUPLICATE: _tr("Duplicate"),
        RowKind.INVALID: _tr("Invalid"),
    }[kind]


def counted(kind: RowKind, n: int) -> str:
    """'3 new', '1 invalid', … for the counts line."""
    return {
        RowKind.NEW: _tr("{n} new"),
        RowKind.CHANGED: _tr("{n} changed"),
        RowKind.UNCHANGED: _tr("{n} unchanged"),
        RowKind.DUPLICATE: _tr("{n} duplicate"),
        RowKind.INVALID: _tr("{n} invalid"),
    }[kind].format(n=n)


@cache
def kind_icon(kind: RowKind) -> QIcon:
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(KIND_COLOURS[kind])))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(22)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size - 1), Qt.AlignmentFlag.AlignCenter, KIND_GLYPHS[kind])
    painter.end()
    return QIcon(pixmap)


def details(row: PreviewRow) -> str:
    """What the import does with the row, or why it cannot: one line for the table."""
    if row.problems:
        return "; ".join(row.problems)
    parts = [
        _tr("{field}: {old} → {new}").format(
            field=c.field, old=c.old or _tr("(none)"), new=c.new or _tr("(none)")
        )
        for c in row.changes
    ]
    parts.extend(row.remarks)
    if not parts and row.kind is RowKind.NEW:
        parts.append(_tr("new tag"))
    return "; ".join(parts)


def result_text(result: ImportResult) -> str:
    return _tr(
        "Imported: {tags_added} tags added and {tags_changed} changed, {drivers_added} drivers "
        "added and {drivers_changed} changed, {fleets_added} fleets added."
    ).format(
        tags_added=result.tags_added,
        tags_changed=result.tags_changed,
        drivers_added=result.drivers_added,
        drivers_changed=result.drivers_changed,
        fleets_added=result.fleets_added,
    )


class PreviewTableModel(RowsTableModel[PreviewRow]):
    """The preview's rows of the kinds chosen in the filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "line": _tr("Line"),
                "kind": _tr("Result"),
                "id_tag": _tr("Tag"),
                "driver": _tr("Driver"),
                "details": _tr("What happens"),
            },
            parent,
        )
        self._all: tuple[PreviewRow, ...] = ()
        self._shown: frozenset[RowKind] = frozenset(RowKind)

    def set_preview_rows(self, rows: Iterable[PreviewRow]) -> None:
        self._all = tuple(rows)
        self._refilter()

    def show_kinds(self, kinds: Iterable[RowKind]) -> None:
        self._shown = frozenset(kinds)
        self._refilter()

    def _refilter(self) -> None:
        self.set_rows([r for r in self._all if r.kind in self._shown])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "line": row.line,
                "kind": kind_label(row.kind),
                "id_tag": row.id_tag,
                "driver": row.driver,
                "details": details(row),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == "details":
            return details(row).replace("; ", "\n")
        if role == Qt.ItemDataRole.DecorationRole and column == "kind":
            return kind_icon(row.kind)
        blocked = row.kind in (RowKind.INVALID, RowKind.DUPLICATE)
        if role == Qt.ItemDataRole.ForegroundRole and blocked and column in ("kind", "details"):
            return QColor(KIND_COLOURS[row.kind])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "line":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
