"""A receipt on an 80 mm roll (72 mm printable), drawn with QPainter.

One painter routine serves the printer and the PDF file; the PDF page is as
tall as the receipt, as a roll printer cuts it. The content is what
app/domain/receipts.render_text prints on a character printer (seller, number,
local time, session, tariff lines, VAT, total, method with brand and last four
only, cash tendered and change), laid out in proportional type with amounts
flush right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter

from app.domain.price_format import format_basis_points, format_money
from app.domain.receipts import Receipt
from app.ui.reports.pages import ensure_gui_application

PAPER_WIDTH_MM = 80.0
PRINTABLE_WIDTH_MM = 72.0
SIDE_MARGIN_MM = (PAPER_WIDTH_MM - PRINTABLE_WIDTH_MM) / 2
END_MARGIN_MM = 5.0
PDF_DPI = 600
FONT_FAMILY = "DejaVu Sans"
BODY_PT = 8.0
LARGE_PT = 11.0
MM_PER_INCH = 25.4


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReceiptPrint", text)


class RowKind(Enum):
    CENTRED = "centred"
    PAIR = "pair"  # text left, amount or value flush right
    RULE = "rule"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Row:
    kind: RowKind
    left: str = ""
    right: str = ""
    bold: bool = False
    large: bool = False


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return _tr("{h} h {m:02d} min").format(h=hours, m=rest // 60)


def _kwh(wh: int) -> str:
    return f"{wh // 1000}.{wh % 1000:03d} kWh"


def receipt_rows(receipt: Receipt, zone: tzinfo) -> list[Row]:
    """What the receipt says, row by row, before any font is chosen."""
    cur = receipt.currency

    def money(minor: int) -> str:
        return format_money(minor, cur)

    def when(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    seller = receipt.seller
    rows = [Row(RowKind.CENTRED, seller.name, bold=True, large=True)]
    rows += [Row(RowKind.CENTRED, line) for line in seller.address.splitlines() if line.strip()]
    if seller.org_number:
        rows.append(Row(RowKind.CENTRED, _tr("Org. no. {n}").format(n=seller.org_number)))
    rows.append(Row(RowKind.RULE))
    rows.append(Row(RowKind.PAIR, _tr("Receipt no."), str(receipt.number), bold=True))
    rows.append(Row(RowKind.PAIR, _tr("Date"), when(receipt.issued_at)))
    session = receipt.session
    if session is not None:
        rows.append(Row(RowKind.PAIR, _tr("Station"), session.station_id))
        rows.append(Row(RowKind.PAIR, _tr("Session"), str(session.transaction_id)))
        rows.append(Row(RowKind.PAIR, _tr("Start"), when(session.started_at)))
        if session.stopped_at is not None:
            rows.append(Row(RowKind.PAIR, _tr("Stop"), when(session.stopped_at)))
        duration = receipt.duration_seconds
        if duration is not None:
            rows.append(Row(RowKind.PAIR, _tr("Duration"), _duration(duration)))
        rows.append(Row(RowKind.PAIR, _tr("Energy"), _kwh(session.energy_wh)))
    rows.append(Row(RowKind.RULE))
    rows += [Row(RowKind.PAIR, line.label, money(line.amount_minor)) for line in receipt.lines]
    rows.append(Row(RowKind.RULE))
    rows.append(Row(RowKind.PAIR, _tr("TOTAL"), money(receipt.total_minor), True, True))
    for vat in receipt.vat:
        label = _tr("VAT {rate} of {net}").format(
            rate=format_basis_points(vat.rate_bp), net=money(vat.net_minor)
        )
        rows.append(Row(RowKind.PAIR, label, money(vat.vat_minor)))
    rows.append(Row(RowKind.RULE))
    rows.append(Row(RowKind.PAIR, _tr("Paid by"), receipt.method_text))
    if receipt.tendered_minor is not None:
        rows.append(Row(RowKind.PAIR, _tr("Cash tendered"), money(receipt.tendered_minor)))
        rows.append(Row(RowKind.PAIR, _tr("Change"), money(receipt.change_minor or 0)))
    rows.append(Row(RowKind.GAP))
    rows.append(Row(RowKind.CENTRED, _tr("Thank you")))
    return rows


def _font(row: Row) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(LARGE_PT if row.large else BODY_PT)
    font.setBold(row.bold)
    return font


def _wrap(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """Words onto lines no wider than `width`; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while metrics.horizontalAdvance(word) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and metrics.horizontalAdvance(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    return [*lines, current] if current or not lines else lines


@dataclass(frozen=True, slots=True)
class _Placed:
    row: Row
    lines: tuple[str, ...]
    height: float


class ReceiptLayout:
    """The rows measured for one paint device at one width (device pixels)."""

    def __init__(self, rows: list[Row], device: QPaintDevice, width: float) -> None:
        self.width = width
        self._device = device
        self._placed = [self._place(row, device) for row in rows]

    def _place(self, row: Row, device: QPaintDevice) -> _Placed:
        metrics = QFontMetricsF(_font(row), device)
        line = metrics.lineSpacing()
        if row.kind is RowKind.RULE:
            return _Placed(row, (), line * 0.6)
        if row.kind is RowKind.GAP:
            return _Placed(row, (), line)
        if row.kind is RowKind.CENTRED:
            lines = tuple(_wrap(row.left, metrics, self.width))
            return _Placed(row, lines, line * len(lines))
        room = self.width - metrics.horizontalAdvance(row.right) - metrics.averageCharWidth()
        lines = tuple(_wrap(row.left, metrics, max(room, self.width / 3)))
        return _Placed(row, lines, line * len(lines))

    @property
    def height(self) -> float:
        return sum(p.height for p in self._placed)

    def paint(self, painter: QPainter, page_height: float, new_page: NewPage) -> None:
        """Rows from the top of the page; a row that does not fit starts a new page."""
        y = 0.0
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(max(1.0, self._device.logicalDpiY() / 200))
        for placed in self._placed:
            if y + placed.height > page_height and y > 0:
                new_page()
                y = 0.0
            row = placed.row
            if row.kind is RowKind.RULE:
                painter.setPen(pen)
                middle = y + placed.height / 2
                painter.drawLine(QPointF(0, middle), QPointF(self.width, middle))
            elif row.kind is not RowKind.GAP:
                self._paint_text(painter, placed, y)
            y += placed.height

    def _paint_text(self, painter: QPainter, placed: _Placed, y: float) -> None:
        row = placed.row
        font = _font(row)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        line = QFontMetricsF(font, self._device).lineSpacing()
        centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        for n, text in enumerate(placed.lines):
            box = QRectF(0, y + n * line, self.width, line)
            painter.drawText(box, int(centre if row.kind is RowKind.CENTRED else left), text)
        if row.kind is RowKind.PAIR:
            last = QRectF(0, y + (len(placed.lines) - 1) * line, self.width, line)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
            painter.drawText(last, int(right), row.right)


class NewPage:
    """Starts a new page on the device being painted (a printer or a PDF writer)."""

    def __init__(self, device: QPagedPaintDevice) -> None:
        self._device = device

    def __call__(self) -> None:
        self._device.newPage()


def _mm(pixels: float, dpi: int) -> float:
    return pixels / dpi * MM_PER_INCH


def _px(mm: float, dpi: int) -> float:
    return mm / MM_PER_INCH * dpi


def fit_page(device: QPagedPaintDevice, rows: list[Row], dpi: int) -> ReceiptLayout:
    """Give `device` an 80 mm page exactly as tall as the receipt; the layout to paint."""
    layout = ReceiptLayout(rows, device, _px(PRINTABLE_WIDTH_MM, dpi))
    height_mm = _mm(layout.height, dpi) + 2 * END_MARGIN_MM + 1
    size = QPageSize(
        QSizeF(PAPER_WIDTH_MM, max(height_mm, PAPER_WIDTH_MM + 1)),
        QPageSize.Unit.Millimeter,
        _tr("Receipt roll"),
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    device.setPageLayout(
        QPageLayout(
            size,
            QPageLayout.Orientation.Portrait,
            QMarginsF(SIDE_MARGIN_MM, END_MARGIN_MM, SIDE_MARGIN_MM, END_MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    return layout


def paint_receipt(device: QPagedPaintDevice, layout: ReceiptLayout) -> bool:
    """Paint onto `device` (already given its page); False if it could not be opened."""
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # A printer whose paper is wider than the roll: keep the receipt's own width.
        layout.width = min(layout.width, float(device.width()))
        layout.paint(painter, float(device.height()), NewPage(device))
    finally:
        painter.end()
    return True


def write_receipt_pdf(receipt: Receipt, zone: tzinfo, path: Path) -> bool:
    """The receipt as a one-page PDF at roll width; False if the file could not be written."""
    ensure_gui_application()
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(_tr("Receipt {number}").format(number=receipt.number))
    writer.setCreator("ChargeDesk")
    layout = fit_page(writer, receipt_rows(receipt, zone), PDF_DPI)
    return paint_receipt(writer, layout)


def print_receipt(receipt: Receipt, zone: tzinfo, printer: QPrinter, *, fit: bool = True) -> bool:
    """Print on `printer`; fit=False keeps the paper chosen in the print dialog."""
    rows = receipt_rows(receipt, zone)
    dpi = printer.resolution()
    if fit:
        layout = fit_page(printer, rows, dpi)
    else:
        layout = ReceiptLayout(rows, printer, _px(PRINTABLE_WIDTH_MM, dpi))
    return paint_receipt(printer, layout)
