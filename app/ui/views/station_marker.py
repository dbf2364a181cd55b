"""A station on the site map: a card in its status colour, live kW and one chip per connector.

The card's colour follows the rule in app.domain.sites.MARKER_PRIORITY
(Faulted > Offline > Pending approval > Charging > paused > Preparing > …).
A marker repaints only when its summary changes, and paints from a cache otherwise.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QHBoxLayout,
    QLabel,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.domain.model import Admission, ConnectorStatus
from app.domain.sites import StationSummary
from app.ui.formatting import kilo
from app.ui.status_style import (
    PENDING_COLOUR,
    STATUS_COLOURS,
    shown_status_label,
    status_colour,
    status_label,
)

MARKER_WIDTH = 150.0
MARKER_HEIGHT = 86.0
_RADIUS = 9.0
_HALO = 7.0
_MAX_CHIPS = 6
LEGEND_ORDER = (
    ConnectorStatus.AVAILABLE,
    ConnectorStatus.PREPARING,
    ConnectorStatus.CHARGING,
    ConnectorStatus.SUSPENDED_EV,
    ConnectorStatus.SUSPENDED_EVSE,
    ConnectorStatus.FINISHING,
    ConnectorStatus.RESERVED,
    ConnectorStatus.UNAVAILABLE,
    ConnectorStatus.FAULTED,
    ConnectorStatus.OFFLINE,
)
_FAULT_HALO = QColor(208, 52, 44, 90)
_SELECTED = QColor("#ffffff")
_SELECTED_EDGE = QColor("#1b2733")


def _tr(text: str) -> str:
    return QCoreApplication.translate("SiteMap", text)


def marker_colour(summary: StationSummary) -> QColor:
    if summary.pending:
        return QColor(PENDING_COLOUR)
    return status_colour(summary.status)


def marker_label(summary: StationSummary) -> str:
    if summary.pending:
        return shown_status_label(summary.status, Admission.PENDING)
    return status_label(summary.status)


def _text_colour(background: QColor) -> QColor:
    """White on dark hues, near-black on light ones (WCAG relative luminance)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(background.redF())
        + 0.7152 * channel(background.greenF())
        + 0.0722 * channel(background.blueF())
    )
    return QColor("#14181c") if luminance > 0.36 else QColor("#ffffff")


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _badge_colour(ink: QColor) -> QColor:
    """A translucent pill that reads on any card colour."""
    return QColor(255, 255, 255, 60) if ink.lightness() > 128 else QColor(0, 0, 0, 40)


def format_kw(power_w: float) -> str:
    return _tr("{kw} kW").format(kw=kilo(power_w))


def tooltip_html(summary: StationSummary) -> str:
    """What hovering a marker shows: the status of each connector, power and session energy."""
    lines = [
        f"<b>{html.escape(summary.station_id)}</b> — {html.escape(marker_label(summary))}",
    ]
    if summary.connected:
        lines.append(_tr("Power now: {power}").format(power=format_kw(summary.power_w)))
    count = summary.connector_count
    lines.append(_tr("1 connector") if count == 1 else _tr("{n} connectors").format(n=count))
    rows = []
    for c in summary.connectors:
        parts = [html.escape(status_label(c.status))]
        if c.error_code not in ("NoError", ""):
            parts[0] += f" ({html.escape(c.error_code)})"
        if c.power_w:
            parts.append(format_kw(c.power_w))
        if c.session_energy_wh is not None:
            parts.append(_tr("{kwh} kWh this session").format(kwh=kilo(c.session_energy_wh, 2)))
        if c.id_tag:
            parts.append(_tr("tag {tag}").format(tag=html.escape(c.id_tag)))
        swatch = status_colour(c.status).name()
        rows.append(
            f"<tr><td><span style='color:{swatch}'>■</span> "
            f"{_tr('Connector {n}').format(n=c.connector_id)}</td>"
            f"<td>&nbsp;{' · '.join(parts)}</td></tr>"
        )
    body = "<br>".join(lines)
    if rows:
        body += "<table cellspacing='0' cellpadding='1'>" + "".join(rows) + "</table>"
    body += "<i>" + html.escape(_tr("Double-click to open the station.")) + "</i>"
    return f"<qt>{body}</qt>"


class StationMarker(QGraphicsObject):
    """Centred on its position; the position is what the site service stores."""

    activated = Signal(str)
    selected = Signal(str)

    def __init__(self, summary: StationSummary, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.repaints = 0  # how often the content changed (the map repaints only those)
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
        )
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(10)
        self.setToolTip(tooltip_html(summary))

    @property
    def station_id(self) -> str:
        return self.summary.station_id

    def set_summary(self, summary: StationSummary) -> bool:
        """Show a new summary; repaint only if something visible changed."""
        if summary == self.summary:
            return False
        self.summary = summary
        self.repaints += 1
        self.setToolTip(tooltip_html(summary))
        self.update()
        return True

    def set_draggable(self, draggable: bool) -> None:
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, draggable)
        self.setCursor(
            Qt.CursorShape.OpenHandCursor if draggable else Qt.CursorShape.PointingHandCursor
        )

    # ---- geometry and painting -----------------------------------------------------

    def card_rect(self) -> QRectF:
        return QRectF(-MARKER_WIDTH / 2, -MARKER_HEIGHT / 2, MARKER_WIDTH, MARKER_HEIGHT)

    def boundingRect(self) -> QRectF:
        return self.card_rect().adjusted(-_HALO, -_HALO, _HALO, _HALO + 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), _RADIUS, _RADIUS)
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        summary = self.summary
        card = self.card_rect()
        fill = marker_colour(summary)
        ink = _text_colour(fill)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

        if summary.status is ConnectorStatus.FAULTED:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_FAULT_HALO)
            painter.drawRoundedRect(card.adjusted(-_HALO, -_HALO, _HALO, _HALO), 14, 14)
        # A soft shadow lifts the card off the plan.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 45))
        painter.drawRoundedRect(card.translated(0, 3), _RADIUS, _RADIUS)

        border = QPen(fill.darker(135), 1.5)
        if summary.status is ConnectorStatus.OFFLINE or summary.pending:
            border = QPen(QColor("#ffffff"), 1.5, Qt.PenStyle.DashLine)
        painter.setPen(border)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(card, _RADIUS, _RADIUS)
        if self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(_SELECTED_EDGE, 5))
            painter.drawRoundedRect(card.adjusted(-3, -3, 3, 3), _RADIUS + 3, _RADIUS + 3)
            painter.setPen(QPen(_SELECTED, 2.5))
            painter.drawRoundedRect(card.adjusted(-3, -3, 3, 3), _RADIUS + 3, _RADIUS + 3)

        inner = card.adjusted(8, 7, -8, -8)
        title_font = _font(15, bold=True)
        status_font = _font(13)
        power_font = _font(17, bold=True)

        badge = self._paint_count_badge(painter, inner.topRight(), ink, fill)
        painter.setPen(ink)
        painter.setFont(title_font)
        title_box = QRectF(inner.left(), inner.top(), inner.width() - badge - 4, 20)
        title = QFontMetricsF(title_font).elidedText(
            summary.station_id, Qt.TextElideMode.ElideMiddle, title_box.width()
        )
        painter.drawText(
            title_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )

        painter.setFont(status_font)
        status_box = QRectF(inner.left(), inner.top() + 23, inner.width(), 18)
        status = QFontMetricsF(status_font).elidedText(
            marker_label(summary), Qt.TextElideMode.ElideRight, status_box.width()
        )
        painter.drawText(
            status_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, status
        )

        bottom = QRectF(inner.left(), inner.bottom() - 20, inner.width(), 20)
        power = format_kw(summary.power_w) if summary.power_w > 0 else ""
        painter.setFont(power_font)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, power)
        power_width = QFontMetricsF(power_font).horizontalAdvance(power) + 8 if power else 0.0
        self._paint_chips(painter, bottom.adjusted(0, 1, -power_width, -1))

    def _paint_count_badge(
        self, painter: QPainter, top_right: QPointF, ink: QColor, fill: QColor
    ) -> float:
        """A pill with a plug and the number of connectors; returns its width."""
        count = str(self.summary.connector_count)
        font = _font(12, bold=True)
        text_width = QFontMetricsF(font).horizontalAdvance(count)
        pill = QRectF(top_right.x() - text_width - 19, top_right.y() + 1, text_width + 19, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_badge_colour(ink))
        painter.drawRoundedRect(pill, 9, 9)
        plug = QPainterPath()
        x, y = pill.left() + 5, pill.top() + 3
        plug.addRoundedRect(QRectF(x, y + 4, 8, 7), 1.5, 1.5)
        plug.addRect(QRectF(x + 1.5, y, 1.6, 4.5))
        plug.addRect(QRectF(x + 4.9, y, 1.6, 4.5))
        plug.addRect(QRectF(x + 3.2, y + 10.5, 1.6, 2.5))
        painter.setBrush(ink)
        painter.drawPath(plug)
        painter.setPen(ink)
        painter.setFont(font)
        painter.drawText(pill.adjusted(14, 0, -4, 0), Qt.AlignmentFlag.AlignCenter, count)
        return pill.width()

    def _paint_chips(self, painter: QPainter, row: QRectF) -> None:
        """One chip per connector, numbered, in that connector's own status colour."""
        connectors = self.summary.connectors
        font = _font(11, bold=True)
        painter.setFont(font)
        x = row.left()
        fits = max(1, int(row.width() // 21))
        shown = connectors[:fits] if len(connectors) <= fits else connectors[: fits - 1]
        for c in shown:
            chip = QRectF(x, row.top(), 18, row.height())
            colour = status_colour(c.status)
            painter.setPen(QPen(QColor("#ffffff"), 1.3))
            painter.setBrush(colour)
            painter.drawRoundedRect(chip, 4, 4)
            painter.setPen(_text_colour(colour))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, str(c.connector_id))
            x += 21
        hidden = len(connectors) - len(shown)
        if hidden:
            painter.setPen(_text_colour(marker_colour(self.summary)))
            painter.drawText(
                QRectF(x, row.top(), 30, row.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"+{hidden}",
            )

    # ---- interaction -----------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable:
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # Which markers moved is decided by the scene: a drag moves every selected one.
        super().mouseReleaseEvent(event)
        if self.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable:
            self.setCursor(Qt.CursorShape.OpenHandCursor)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        # Per marker rather than the scene's selectionChanged, which also fires
        # while the scene is being torn down and its markers are already gone.
        if change is QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged and value:
            self.selected.emit(self.station_id)
        return super().itemChange(change, value)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.activated.emit(self.station_id)
        event.accept()


def marker_legend(parent: QWidget) -> QHBoxLayout:
    """A row of colour swatches, one per status a marker can show, in plain words."""
    legend = QHBoxLayout()
    legend.setSpacing(12)
    shown = [(STATUS_COLOURS[s], status_label(s)) for s in LEGEND_ORDER]
    shown.append((PENDING_COLOUR, _tr("Pending approval")))
    for colour, text in shown:
        legend.addWidget(
            QLabel(f"<span style='color:{colour}; font-size:14px'>■</span> {text}", parent)
        )
    legend.addStretch(1)
    return legend
