"""The four panels of the graphs view: a titled plot each, with PNG and CSV export.

Every panel creates its plot items once; the view hands it new numbers with
`show(...)`, which only calls setData/setOpts. The numbers shown are kept, so
a CSV export writes exactly what is on screen (times in local time).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# parent, caption, suggested file name, filter → chosen path ("" when cancelled)
SaveDialog = Callable[[QWidget, str, str, str], str]
FloatArray = np.ndarray[tuple[int], np.dtype[np.float64]]

SITE_COLOUR = "#1f5fbf"
ENERGY_COLOUR = "#2e9d57"
USAGE_COLOUR = "#3fa6b5"
# Okabe–Ito and Tableau hues: distinguishable with the common colour-vision deficiencies.
STATION_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#7f7f7f",
    "#bcbd22",
    "#9467bd",
    "#8c564b",
)
DEFAULT_VISIBLE_STATIONS = 8


def _tr(text: str) -> str:
    return QCoreApplication.translate("Graphs", text)


def ask_save_path(parent: QWidget, caption: str, name: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, name, filters)
    return path


def local_text(seconds: float, tz: tzinfo) -> str:
    return datetime.fromtimestamp(seconds, tz).isoformat(timespec="seconds")


def kw_text(kw: float) -> str:
    return f"{kw:.3f}"


class PlotPanel(QFrame):
    """A title, a headline figure, an export menu and one plot."""

    csv_header: tuple[str, ...] = ()

    def __init__(
        self,
        title: str,
        slug: str,
        tz: tzinfo,
        parent: QWidget | None = None,
        *,
        time_axis: bool = True,
    ) -> None:
        super().__init__(parent)
        self.slug = slug
        self.tz = tz
        self.ask_save_path: SaveDialog = ask_save_path
        self.setObjectName("graphPanel")
        self.setStyleSheet(
            "#graphPanel { border: 1px solid palette(midlight); border-radius: 6px;"
            " background: palette(base); }"
        )
        self.title = QLabel(title, self)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.headline = QLabel(self)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.export_button = QToolButton(self)
        self.export_button.setText(_tr("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction(_tr("Save as PNG image…"), lambda: self.export_png())
        menu.addAction(_tr("Save as CSV table…"), lambda: self.export_csv())
        self.export_button.setMenu(menu)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.headline)
        header.addStretch(1)
        header.addWidget(self.export_button)

        axes = {"bottom": pg.DateAxisItem(orientation="bottom")} if time_axis else {}
        self.plot = pg.PlotWidget(self, axisItems=axes)
        self.item: pg.PlotItem = self.plot.getPlotItem()
        self.item.setDownsampling(auto=True, mode="peak")
        self.item.setClipToView(True)
        self.item.showGrid(x=True, y=True, alpha=0.15)
        self.item.hideButtons()
        self.item.setMenuEnabled(False)
        self.item.getViewBox().setMouseEnabled(x=True, y=False)
        self._apply_palette()
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.setStyleSheet("color: palette(mid); font-size: 13pt;")
        self.empty_label.hide()
        self.body = QGridLayout()
        self.body.addWidget(self.plot, 0, 0)
        self.body.addWidget(self.empty_label, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(header)
        layout.addLayout(self.body, 1)

    def _apply_palette(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlpha(170)
        for name in ("left", "bottom"):
            axis = self.item.getAxis(name)
            axis.setPen(pg.mkPen(muted))
            axis.setTextPen(pg.mkPen(muted))

    def set_empty(self, message: str | None) -> None:
        self.empty_label.setText(message or "")
        self.empty_label.setVisible(bool(message))

    # ---- export ----------------------------------------------------------------

    def csv_rows(self) -> list[list[str]]:
        raise NotImplementedError

    def _suggested(self, suffix: str) -> str:
        stamp = datetime.now(self.tz).strftime("%Y%m%d-%H%M")
        return f"chargedesk-{self.slug}-{stamp}.{suffix}"

    def export_png(self, path: str | None = None) -> str | None:
        path = path or self.ask_save_path(
            self, _tr("Save graph as image"), self._suggested("png"), _tr("PNG image (*.png)")
        )
        if not path:
            return None
        if not self.plot.grab().save(path, "PNG"):
            raise OSError(f"could not write {path}")
        return path

    def export_csv(self, path: str | None = None) -> str | None:
        path = path or self.ask_save_path(
            self, _tr("Save graph data"), self._suggested("csv"), _tr("CSV table (*.csv)")
        )
        if not path:
            return None
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.csv_header)
            writer.writerows(self.csv_rows())
        return path


class SitePowerPanel(PlotPanel):
    csv_header = ("time (local)", "site power (kW)")

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Site power"), "site-power", tz, parent)
        self.item.setLabel("left", "kW")
        fill = QColor(SITE_COLOUR)
        fill.setAlpha(45)
        self.curve = self.item.plot(
            pen=pg.mkPen(SITE_COLOUR, width=2), fillLevel=0, brush=pg.mkBrush(fill)
        )
        self._x: FloatArray = np.zeros(0)
        self._y: FloatArray = np.zeros(0)

    def update_data(self, x: FloatArray, kw: FloatArray) -> None:
        self._x, self._y = x, kw
        self.curve.setData(x, kw)

    def csv_rows(self) -> list[list[str]]:
        return [[local_text(t, self.tz), kw_text(v)] for t, v in zip(self._x, self._y, strict=True)]


class StationPowerPanel(PlotPanel):
    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Power per station"), "station-power", tz, parent)
        self.item.setLabel("left", "kW")
        self.stations = QListWidget(self)
        self.stations.setFixedWidth(170)
        self.stations.setFrameShape(QFrame.Shape.NoFrame)
        self.stations.setToolTip(_tr("Tick the stations to draw"))
        self.body.addWidget(self.stations, 0, 1)
        self.stations.itemChanged.connect(self._visibility_changed)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._items: dict[str, QListWidgetItem] = {}
        self._x: FloatArray = np.zeros(0)
        self._data: dict[str, FloatArray] = {}

    def _add_station(self, station_id: str) -> None:
        colour = STATION_COLOURS[len(self.curves) % len(STATION_COLOURS)]
        curve = self.item.plot(pen=pg.mkPen(colour, width=1.6), name=station_id)
        self.curves[station_id] = curve
        swatch = QPixmap(12, 12)
        swatch.fill(QColor(colour))
        item = QListWidgetItem(QIcon(swatch), station_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        visible = len(self.curves) <= DEFAULT_VISIBLE_STATIONS
        item.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
        curve.setVisible(visible)
        self._items[station_id] = item
        self.stations.addItem(item)
        self.stations.sortItems()

    def _visibility_changed(self, item: QListWidgetItem) -> None:
        curve = self.curves.get(item.text())
        if curve is not None:
            curve.setVisible(item.checkState() == Qt.CheckState.Checked)

    def set_checked(self, station_id: str, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self._items[station_id].setCheckState(state)

    def checked(self) -> list[str]:
        return sorted(s for s, i in self._items.items() if i.checkState() == Qt.CheckState.Checked)

    def update_data(self, x: FloatArray, kw: dict[str, FloatArray]) -> None:
        self._x, self._data = x, kw
        for station_id in sorted(kw):
            if station_id not in self.curves:
                self._add_station(station_id)
        for station_id, curve in self.curves.items():
            values = kw.get(station_id)
            if values is None:
                curve.setData([], [])
            else:
                curve.setData(x, values)

    @property
    def csv_header(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("time (local)", *(f"{s} (kW)" for s in self.checked()))

    def csv_rows(self) -> list[list[str]]:
        columns = [self._data.get(s, np.zeros(len(self._x))) for s in self.checked()]
        return [
            [local_text(t, self.tz), *(kw_text(c[i]) for c in columns)]
            for i, t in enumerate(self._x)
        ]


class DailyEnergyPanel(PlotPanel):
    csv_header = ("day", "energy (kWh)")

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(
            _tr("Energy delivered per day"), "energy-per-day", tz, parent, time_axis=False
        )
        self.item.setLabel("left", "kWh")
        self.item.showGrid(x=False, y=True, alpha=0.15)
        self.bars = pg.BarGraphItem(
            x=[0.0], height=[0.0], width=0.7, brush=ENERGY_COLOUR, pen=pg.mkPen(None)
        )
        self.item.addItem(self.bars)
        self.days: list[date] = []
        self.kwh: FloatArray = np.zeros(0)

    def update_data(self, days: Sequence[date], kwh: FloatArray) -> None:
        self.days, self.kwh = list(days), kwh
        x = np.arange(len(days), dtype=float)
        self.bars.setOpts(x=x, height=kwh, width=0.7)
        step = max(1, round(len(days) / 10))
        labels = [
            (float(i), d.strftime("%a %d") if step == 1 else d.strftime("%d %b"))
            for i, d in enumerate(days)
            if (len(days) - 1 - i) % step == 0
        ]
        self.item.getAxis("bottom").setTicks([labels, []])
        self.item.setXRange(-0.6, len(days) - 0.4, padding=0)

    def csv_rows(self) -> list[list[str]]:
        return [[d.isoformat(), kw_text(v)] for d, v in zip(self.days, self.kwh, strict=True)]


def step_points(edges: FloatArray, values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A step line as plain points (pyqtgraph's stepMode does not survive clip-to-view)."""
    if len(values) == 0:
        return np.zeros(0), np.zeros(0)
    x = np.repeat(edges, 2)[1:-1]
    y = np.repeat(values, 2).astype(float)
    return x, y


class ConnectorsInUsePanel(PlotPanel):
    csv_header = ("time (local)", "connectors in use (peak)")

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Connectors in use"), "connectors-in-use", tz, parent)
        fill = QColor(USAGE_COLOUR)
        fill.setAlpha(50)
        self.curve = self.item.plot(
            pen=pg.mkPen(USAGE_COLOUR, width=2), fillLevel=0, brush=pg.mkBrush(fill)
        )
        self._starts: FloatArray = np.zeros(0)
        self._peak: FloatArray = np.zeros(0)

    def update_data(self, edges: FloatArray, peak: FloatArray, connectors: int) -> None:
        self._starts, self._peak = edges[:-1], peak
        self.curve.setData(*step_points(edges, peak))
        self.item.setYRange(0, max(1, connectors), padding=0.05)

    def csv_rows(self) -> list[list[str]]:
        return [
            [local_text(t, self.tz), str(int(v))]
            for t, v in zip(self._starts, self._peak, strict=True)
        ]
