"""The site map's scene and canvas: the plan, the markers, and where unplaced stations wait.

Coordinates are the floor plan's own (SVG user units or PNG pixels), so a
stored position means the same spot whatever the zoom or the marker size.
Stations not placed on this site line up in a tidy grid: beside the plan
when there is one, as the whole map when there is none.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from app.domain.sites import FloorPlan, FloorPlanFormat, StationSummary, bay_ids, grid_positions
from app.ui.views.station_marker import MARKER_HEIGHT, MARKER_WIDTH, StationMarker

log = logging.getLogger(__name__)

# A marker is drawn for a plan about this wide; larger plans get larger markers.
REFERENCE_PLAN_WIDTH = 1600.0
ZOOM_MIN, ZOOM_MAX = 0.05, 20.0
WHEEL_STEP = 1.15
_GAP = 18.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("SiteMap", text)


class SiteMapScene(QGraphicsScene):
    marker_moved = Signal(str, QPointF)
    station_activated = Signal(str)
    station_selected = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.markers: dict[str, StationMarker] = {}
        self.placed: set[str] = set()
        self.bays: list[tuple[str, QRectF]] = []
        self.plan_rect: QRectF | None = None
        self.marker_scale = 1.0
        self._plan_item: QGraphicsItem | None = None
        self._renderer: QSvgRenderer | None = None
        self._draggable = True
        self._drag_start: dict[str, QPointF] = {}
        self._tray_title = QGraphicsSimpleTextItem()
        font = QFont()
        font.setPixelSize(16)
        font.setBold(True)
        self._tray_title.setFont(font)
        self._tray_title.setBrush(QColor("#6b7580"))
        self._tray_title.setVisible(False)
        self.addItem(self._tray_title)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)

    # ---- the floor plan --------------------------------------------------------------

    def set_plan(self, plan: FloorPlan | None) -> bool:
        """Show `plan` (or none); False if its content cannot be drawn."""
        if self._plan_item is not None:
            self.removeItem(self._plan_item)
            self._plan_item = None
        self._renderer = None
        self.plan_rect = None
        self.bays = []
        self.marker_scale = 1.0
        if plan is None:
            self._rescale_markers()
            return True
        item = self._svg_item(plan) if plan.format is FloorPlanFormat.SVG else self._png_item(plan)
        if item is None:
            self._rescale_markers()
            return False
        item.setZValue(-10)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.addItem(item)
        self._plan_item = item
        self.plan_rect = item.boundingRect()
        longest = max(self.plan_rect.width(), self.plan_rect.height())
        self.marker_scale = min(8.0, max(0.4, longest / REFERENCE_PLAN_WIDTH))
        self._rescale_markers()
        return True

    def _svg_item(self, plan: FloorPlan) -> QGraphicsItem | None:
        renderer = QSvgRenderer(QByteArray(plan.data), self)
        if not renderer.isValid() or renderer.defaultSize().isEmpty():
            log.warning("the floor plan of site %d is not a drawable SVG", plan.site_id)
            return None
        item = QGraphicsSvgItem()
        item.setSharedRenderer(renderer)
        self._renderer = renderer
        self.bays = self._bays(renderer, bay_ids(plan.data))
        return item

    @staticmethod
    def _bays(renderer: QSvgRenderer, ids: list[str]) -> list[tuple[str, QRectF]]:
        size = renderer.defaultSize()
        box = renderer.viewBoxF()
        sx = size.width() / box.width() if box.width() > 0 else 1.0
        sy = size.height() / box.height() if box.height() > 0 else 1.0
        bays = []
        for bay_id in ids:
            if not renderer.elementExists(bay_id):
                continue
            bounds = renderer.transformForElement(bay_id).mapRect(renderer.boundsOnElement(bay_id))
            bays.append(
                (
                    bay_id,
                    QRectF(
                        (bounds.x() - box.x()) * sx,
                        (bounds.y() - box.y()) * sy,
                        bounds.width() * sx,
                        bounds.height() * sy,
                    ),
                )
            )
        return bays

    def _png_item(self, plan: FloorPlan) -> QGraphicsItem | None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(plan.data, "PNG") or pixmap.isNull():
            log.warning("the floor plan of site %d is not a readable PNG", plan.site_id)
            return None
        item = QGraphicsPixmapItem(pixmap)
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        return item

    @property
    def has_plan(self) -> bool:
        return self._plan_item is not None

    # ---- markers ------------------------------------------------------------------------

    def set_draggable(self, draggable: bool) -> None:
        self._draggable = draggable
        for marker in self.markers.values():
            marker.set_draggable(draggable)

    def show_station(self, summary: StationSummary) -> tuple[StationMarker, bool]:
        """Add or update a station's marker; return it and whether it is new."""
        marker = self.markers.get(summary.station_id)
        if marker is not None:
            marker.set_summary(summary)
            return marker, False
        marker = StationMarker(summary)
        marker.setScale(self.marker_scale)
        marker.set_draggable(self._draggable)
        marker.activated.connect(self.station_activated)
        marker.selected.connect(self.station_selected)
        self.addItem(marker)
        self.markers[summary.station_id] = marker
        return marker, True

    def remove_station(self, station_id: str) -> None:
        marker = self.markers.pop(station_id, None)
        self.placed.discard(station_id)
        if marker is not None:
            self.removeItem(marker)

    def clear_stations(self) -> None:
        for station_id in list(self.markers):
            self.remove_station(station_id)

    def selected_stations(self) -> list[str]:
        return sorted(i.station_id for i in self.selectedItems() if isinstance(i, StationMarker))

    def place(self, station_id: str, at: QPointF) -> None:
        marker = self.markers.get(station_id)
        if marker is not None:
            marker.setPos(at)
            self.placed.add(station_id)

    def unplace(self, station_id: str) -> None:
        self.placed.discard(station_id)
        self.layout_unplaced()

    def _rescale_markers(self) -> None:
        for marker in self.markers.values():
            marker.setScale(self.marker_scale)

    def unplaced(self) -> list[str]:
        return sorted(sid for sid in self.markers if sid not in self.placed)

    def layout_unplaced(self) -> None:
        """Line up stations not placed on this site in a tidy grid, then fit the scene."""
        waiting = self.unplaced()
        scale = self.marker_scale
        cell = ((MARKER_WIDTH + _GAP) * scale, (MARKER_HEIGHT + _GAP) * scale)
        content = self._content_rect()
        columns: int | None = None
        if content is None:
            origin = (0.0, 0.0)
        else:
            origin = (content.right() + 3 * _GAP * scale, content.top() + 34 * scale)
            if self.plan_rect is not None:
                rows = max(1, int((self.plan_rect.height() - 34 * scale) // cell[1]))
                columns = max(1, math.ceil(len(waiting) / rows))
        spots = grid_positions(len(waiting), origin, cell, columns)
        for station_id, (x, y) in zip(waiting, spots, strict=True):
            self.markers[station_id].setPos(x, y)
        self._tray_title.setVisible(bool(waiting) and content is not None)
        if content is not None:
            self._tray_title.setText(_tr("Not on the plan yet — drag onto the plan"))
            self._tray_title.setScale(scale)
            self._tray_title.setPos(origin[0] + _GAP * scale / 2, content.top())
        self.refresh_rect()

    def _content_rect(self) -> QRectF | None:
        """The plan, or (without one) the area of the stations already placed."""
        if self.plan_rect is not None:
            return self.plan_rect
        placed = [self.markers[sid] for sid in self.placed if sid in self.markers]
        if not placed:
            return None
        rect = placed[0].sceneBoundingRect()
        for marker in placed[1:]:
            rect = rect.united(marker.sceneBoundingRect())
        return rect

    def refresh_rect(self) -> None:
        # itemsBoundingRect() would count the hidden tray title too.
        bounds = QRectF()
        for item in self.items():
            if item.isVisible() and item.parentItem() is None:
                bounds = bounds.united(item.sceneBoundingRect())
        margin = 40.0 * self.marker_scale
        self.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))

    # ---- bays ---------------------------------------------------------------------------

    def free_bays(self) -> list[tuple[str, QRectF]]:
        taken = [self.markers[sid].pos() for sid in self.placed if sid in self.markers]
        return [
            (bay_id, rect) for bay_id, rect in self.bays if not any(rect.contains(p) for p in taken)
        ]

    # ---- dragging -------------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        self._drag_start = {
            sid: marker.pos() for sid, marker in self.markers.items() if marker.isSelected()
        }

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        started, self._drag_start = self._drag_start, {}
        for station_id, before in started.items():
            marker = self.markers.get(station_id)
            if marker is not None and marker.pos() != before:
                self.placed.add(station_id)
                self.marker_moved.emit(station_id, marker.pos())
        if started:
            self.refresh_rect()


class MapCanvas(QGraphicsView):
    """Zoom with the wheel (around the pointer), pan by dragging the background."""

    def __init__(self, scene: SiteMapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(self.palette().window())
        # Until the operator zooms, the whole site stays in view as the window resizes.
        self.auto_fit = True

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(ZOOM_MAX, max(ZOOM_MIN, self.zoom * factor))
        if self.zoom > 0:
            factor = target / self.zoom
            self.scale(factor, factor)
            self.auto_fit = False

    def fit(self) -> None:
        self.auto_fit = True
        rect = self.sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(WHEEL_STEP**steps)
        event.accept()
