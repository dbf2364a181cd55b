"""Graphs: site power, power per station, energy per day, connectors in use.

A range (1 h … 30 d, always ending now) is loaded from the history service
off the GUI thread; from then on the engine's events keep it current and a
one-second timer redraws what changed and scrolls the time axis. Events that
arrive while a range loads are held and folded in once it is there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import events as ev
from app.domain.history import (
    BucketGrid,
    DailyEnergy,
    GraphsHistory,
    PowerHistory,
    TransactionSpan,
    UsageSeries,
    bucket_width_for,
    day_bounds,
)
from app.domain.history_columns import PowerColumns
from app.domain.history_live import EnergyTally, UsageTally, power_readings, register_readings
from app.domain.history_power import PowerAccumulator
from app.domain.model import OCCUPIED_STATUSES
from app.domain.overview import SiteOverview
from app.ui.engine_host import EngineHost
from app.ui.formatting import number
from app.ui.operations import EngineOp
from app.ui.views.graph_ranges import DEFAULT_RANGE, ENERGY_DAYS, RANGES
from app.ui.views.graphs_panels import (
    ConnectorsInUsePanel,
    DailyEnergyPanel,
    PlotPanel,
    SaveDialog,
    SitePowerPanel,
    StationPowerPanel,
)

TICK_MS = 1000


def _tr(text: str) -> str:
    return QCoreApplication.translate("Graphs", text)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def local_zone() -> tzinfo:
    """The system time zone with its daylight-saving rules (a fixed offset if unknown)."""
    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fallback = datetime.now().astimezone().tzinfo
        return fallback if fallback is not None else UTC


def range_titles() -> dict[str, str]:
    return {"1h": _tr("1 h"), "24h": _tr("24 h"), "7d": _tr("7 d"), "30d": _tr("30 d")}


class GraphsView(QWidget):
    def __init__(
        self,
        host: EngineHost,
        overview: SiteOverview,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = _utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.overview = overview
        self.clock = clock
        self.tz = tz or local_zone()
        self.range_key = DEFAULT_RANGE
        self.follow = True
        self.loading = False
        self.error: str | None = None
        self._generation = 0
        self._held: list[ev.DomainEvent] = []
        self._power: PowerAccumulator | None = None
        self._energy: EnergyTally | None = None
        self._usage: UsageTally | None = None
        self._dirty = False
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.set_range(DEFAULT_RANGE)

    # ---- layout -------------------------------------------------------------------

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Period:"), self))
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[str, QPushButton] = {}
        for key, title in range_titles().items():
            button = QPushButton(title, self)
            button.setCheckable(True)
            button.setStyleSheet(
                "QPushButton:checked { background: palette(highlight);"
                " color: palette(highlighted-text); border: 1px solid palette(highlight);"
                " border-radius: 3px; padding: 3px 14px; }"
            )
            button.setToolTip(_tr("Show the last {period}").format(period=title))
            button.clicked.connect(lambda _=False, k=key: self.set_range(k))
            self.range_group.addButton(button)
            self.range_buttons[key] = button
            bar.addWidget(button)
        self.live_label = QLabel(_tr("● Live"), self)
        self.live_label.setStyleSheet("color: #2e9d57; font-weight: bold; margin-left: 8px;")
        self.live_label.setToolTip(
            _tr("The graphs scroll with the clock and update as data arrives")
        )
        bar.addWidget(self.live_label)
        self.live_button = QPushButton(_tr("Back to live"), self)
        self.live_button.setToolTip(_tr("Scroll with the clock again"))
        self.live_button.clicked.connect(self.follow_live)
        self.live_button.hide()
        bar.addWidget(self.live_button)
        bar.addStretch(1)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(120)
        self.busy.setTextVisible(False)
        self.state_label = QLabel(self)
        bar.addWidget(self.state_label)
        bar.addWidget(self.busy)

        self.site_panel = SitePowerPanel(self.tz, self)
        self.station_panel = StationPowerPanel(self.tz, self)
        self.energy_panel = DailyEnergyPanel(self.tz, self)
        self.usage_panel = ConnectorsInUsePanel(self.tz, self)
        # Not x-linked: pyqtgraph aligns linked views by pixel, and the station plot is
        # narrower (its list), so its right edge would not be "now". Each scrolls itself.
        for panel in (self.site_panel, self.station_panel, self.usage_panel):
            panel.item.getViewBox().sigRangeChangedManually.connect(self._panned)

        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.site_panel, 0, 0, 1, 2)
        grid.addWidget(self.station_panel, 1, 0, 1, 2)
        grid.addWidget(self.energy_panel, 2, 0)
        grid.addWidget(self.usage_panel, 2, 1)
        for row, stretch in enumerate((4, 4, 3)):
            grid.setRowStretch(row, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)

    @property
    def panels(self) -> tuple[PlotPanel, ...]:
        return (self.site_panel, self.station_panel, self.energy_panel, self.usage_panel)

    def set_save_dialog(self, dialog: SaveDialog) -> None:
        """Where exports ask for a file name (tests put a stand-in here)."""
        for panel in self.panels:
            panel.ask_save_path = dialog

    # ---- loading a range ---------------------------------------------------------

    @property
    def span(self) -> timedelta:
        return RANGES[self.range_key]

    def set_range(self, key: str) -> None:
        self.range_key = key
        self.range_buttons[key].setChecked(True)
        self.follow_live()
        self.reload()

    def follow_live(self) -> None:
        self.follow = True
        self.live_button.hide()
        self.live_label.show()
        self._scroll(self.clock())

    def reload(self) -> None:
        """Fetch the range from the store; live events are held until it arrives."""
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.error = None
        self._power = None
        self.busy.show()
        self.state_label.setStyleSheet("")
        self.state_label.setText(_tr("Loading history…"))
        end = self.clock()
        start, days, tz = end - self.span, ENERGY_DAYS[self.range_key], self.tz
        width = bucket_width_for(self.span)
        EngineOp(self.host, lambda s: s.history.graphs(start, end, days, tz, width)).success(
            lambda history: self._loaded(generation, history)
        ).failure(
            lambda message, _exc: self._failed(generation, start, end, days, width, message)
        ).run()

    def _loaded(self, generation: int, history: GraphsHistory) -> None:
        if generation != self._generation:
            return  # a newer range was asked for meanwhile
        self._power = PowerAccumulator.from_history(history.power)
        self._energy = EnergyTally(history.energy)
        self._usage = UsageTally(history.usage)
        self.loading = False
        self.busy.hide()
        self.state_label.setText("")
        held, self._held = self._held, []
        self._fold(held)
        self.refresh(force=True)

    def _failed(
        self,
        generation: int,
        start: datetime,
        end: datetime,
        days: int,
        width: int,
        message: str,
    ) -> None:
        if generation != self._generation:
            return
        # Carry on live from an empty history rather than show nothing at all.
        grid = BucketGrid.covering(start, end, width)
        first = end.astimezone(self.tz).date() - timedelta(days=days - 1)
        bounds = day_bounds(first, days, self.tz)
        energy = DailyEnergy(
            tuple(first + timedelta(days=i) for i in range(days)), tuple(bounds), (0.0,) * days
        )
        self._loaded(
            generation,
            GraphsHistory(
                PowerHistory(grid, PowerColumns.empty(), ()), energy, UsageSeries(grid, (), 0)
            ),
        )
        self.error = message
        self.state_label.setText(
            _tr("History could not be loaded: {reason}").format(reason=message)
        )
        self.state_label.setStyleSheet("color: #d0342c;")

    # ---- live ---------------------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], changed: set[tuple[str, int]]) -> None:
        if self._power is None:
            self._held.extend(batch)
            return
        self._fold(batch)

    def _fold(self, batch: list[ev.DomainEvent]) -> None:
        power, energy = self._power, self._energy
        assert power is not None
        assert energy is not None
        for event in batch:
            if isinstance(event, ev.MeterValuesReceived):
                for at, watts in power_readings(event.samples):
                    power.add_sample(event.station_id, event.connector_id, at, watts)
                if event.transaction_id is not None:
                    for at, wh in register_readings(event.samples):
                        energy.reading(event.transaction_id, at, wh)
            elif isinstance(event, ev.TransactionStarted):
                power.add_span(
                    TransactionSpan(
                        event.transaction_id,
                        event.station_id,
                        event.connector_id,
                        event.started_at,
                        None,
                        float(event.meter_start),
                        None,
                    )
                )
                energy.started(event.transaction_id, event.started_at, event.meter_start)
            elif isinstance(event, ev.TransactionStopped):
                key = (event.station_id, event.connector_id)
                power.close_span(event.transaction_id, key, event.stopped_at)
                energy.stopped(event.transaction_id, event.stopped_at, event.meter_stop)
            else:
                continue
            self._dirty = True

    def _in_use(self) -> tuple[int, int]:
        bays = self.overview.bays()
        return sum(1 for r in bays if r.status in OCCUPIED_STATUSES), len(bays)

    def refresh(self, force: bool = False) -> None:
        """Once a second: grow the ranges with the clock and redraw what changed."""
        power, energy, usage = self._power, self._energy, self._usage
        now = self.clock()
        if power is None or energy is None or usage is None:
            self._scroll(now)
            return
        keep_from = now - self.span - timedelta(seconds=power.grid.width)
        changed = force or self._dirty
        changed |= power.extend_to(now) > 0
        power.drop_before(keep_from)
        changed |= power.settle()
        changed |= usage.extend_to(now) > 0
        usage.drop_before(keep_from)
        in_use, bays = self._in_use()
        changed |= usage.observe(now, in_use, bays)
        changed |= energy.roll_to(now.astimezone(self.tz).date(), self.tz)
        if not self.isVisible():
            self._dirty = changed  # a hidden tab draws nothing; showing it catches up
            return
        self._dirty = False
        if changed:
            self._draw(power, energy, usage)
        self._headlines(power, energy, in_use, bays)
        self._scroll(now)

    def _draw(self, power: PowerAccumulator, energy: EnergyTally, usage: UsageTally) -> None:
        x = np.asarray(power.grid.starts(), dtype=float)
        if power.has_data:
            self.site_panel.update_data(x, np.asarray(power.site, dtype=float) / 1000)
            stations = {
                s: np.asarray(values, dtype=float) / 1000 for s, values in power.stations.items()
            }
            self.station_panel.update_data(x, stations)
        else:
            self.site_panel.update_data(np.zeros(0), np.zeros(0))
            self.station_panel.update_data(np.zeros(0), {})
        message = None if power.has_data else _tr("No power was measured in this period")
        self.site_panel.set_empty(message)
        self.station_panel.set_empty(message)
        self.energy_panel.update_data(energy.days, np.asarray(energy.energy_wh, dtype=float) / 1000)
        self.usage_panel.update_data(
            np.asarray(usage.grid.edges(), dtype=float),
            np.asarray(usage.peak, dtype=float),
            usage.connectors,
        )

    def _headlines(
        self, power: PowerAccumulator, energy: EnergyTally, in_use: int, bays: int
    ) -> None:
        now_kw = self.overview.site_power_w() / 1000
        peak_kw = max(power.site, default=0.0) / 1000
        self.site_panel.headline.setText(
            _tr("<b>{now} kW</b> now · peak {peak} kW in this period").format(
                now=number(now_kw), peak=number(peak_kw)
            )
        )
        today = energy.energy_wh[-1] / 1000 if energy.energy_wh else 0.0
        total = sum(energy.energy_wh) / 1000
        self.energy_panel.headline.setText(
            _tr("<b>{today} kWh</b> today · {total} kWh in {days} days").format(
                today=number(today), total=number(total, 0), days=len(energy.days)
            )
        )
        self.usage_panel.headline.setText(
            _tr("<b>{n}</b> of {total} in use now").format(n=in_use, total=bays)
        )
        shown = len(self.station_panel.checked())
        self.station_panel.headline.setText(
            _tr("{shown} of {total} stations shown").format(
                shown=shown, total=len(self.station_panel.curves)
            )
        )

    # ---- scrolling -------------------------------------------------------------

    def _scroll(self, now: datetime) -> None:
        if not self.follow:
            return
        end = now.timestamp()
        for panel in (self.site_panel, self.station_panel, self.usage_panel):
            panel.item.setXRange(end - self.span.total_seconds(), end, padding=0)

    def _panned(self, *_: object) -> None:
        self.follow = False
        self.live_button.show()
        self.live_label.hide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh(force=True)
