"""The Reports view over a real engine: stored facts (as the engine stores them), the
figures the analytics service computes from them, drill-down, CSV and PDF exports.

The facts are those of tests/integration/test_analytics_store.py (site "Depot" with
stations A and B, station C elsewhere, around Sunday 2026-10-25), under site id 77.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Connection, Table, insert

from app.config import Settings
from app.domain.statements import CsvStyle
from app.services.analytics import SessionRow, SiteReport
from app.services.container import Services
from app.store.schema import (
    connectors,
    sites,
    station_positions,
    stations,
    status_history,
    transactions,
)
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.reports import ReportsView
from app.ui.views.reports_tables import ReportTable, pct, table_csv
from tests.integration.test_analytics_store import facts
from tests.ui.shots import SHOTS

SITE = 77
TODAY = date(2026, 10, 31)  # "last 7 days": 25–31 October


def _write(host: EngineHost, rows: list[tuple[Table, dict[str, Any]]]) -> None:
    def op(conn: Connection) -> None:
        for table, values in rows:
            conn.execute(insert(table), values)

    async def call(_services: Services) -> None:
        await host.engine.db.write(op)

    host.submit(call).result(timeout=30)


def _store(host: EngineHost) -> None:
    rows: list[tuple[Table, dict[str, Any]]] = []
    for table, values in facts():
        values = dict(values)
        if table is sites:
            values["id"] = SITE
        if table is station_positions and values["site_id"] is not None:
            values["site_id"] = SITE
        rows.append((table, values))
    _write(host, rows)


def _report(host: EngineHost, site_id: int | None, first: date, last: date) -> SiteReport:
    async def call(services: Services) -> SiteReport:
        return await services.analytics.report(site_id, first, last)

    return host.submit(call).result(timeout=30)


def _behind(host: EngineHost, site_id: int | None, first: date, last: date,
            **what: Any) -> tuple[SessionRow, ...]:  # fmt: skip
    async def call(services: Services) -> tuple[SessionRow, ...]:
        return await services.analytics.sessions_behind(site_id, first, last, **what)

    return host.submit(call).result(timeout=30)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Local days are Stockholm's: Sunday 25 October has 25 hours."""
    return settings.with_overrides(site_time_zone="Europe/Stockholm")


@pytest.fixture
def reports(host: EngineHost, window: MainWindow, qtbot: QtBot) -> Iterator[ReportsView]:
    _store(host)
    view = ReportsView(host, window.overview, None, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1280, 1500)
    view.show()
    qtbot.waitUntil(lambda: view.report is not None and not view.loading, timeout=15000)
    yield view
    view.close()


def _wait_for(view: ReportsView, qtbot: QtBot, query: tuple[int | None, date, date]) -> None:
    qtbot.waitUntil(lambda: view.query == query and not view.loading, timeout=15000)


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _column(table: ReportTable, name: str) -> list[str]:
    index = table.header.index(name)
    return [row[index] for row in table.rows]


def test_the_view_shows_the_figures_of_the_service(reports: ReportsView, host: EngineHost) -> None:
    assert reports.query == (None, date(2026, 10, 25), TODAY)
    expected = _report(host, None, date(2026, 10, 25), TODAY)
    usage = reports.usage.table_data
    assert usage is not None
    assert _column(usage, "Station") == ["A", "B", "C"]
    assert _column(usage, "Sessions") == [str(s.sessions) for s in expected.usage.stations]
    assert _column(usage, "Utilisation") == [pct(s.utilisation) for s in expected.usage.stations]
    assert _column(usage, "Availability") == [pct(s.availability) for s in expected.usage.stations]
    assert _column(usage, "Faults") == ["0", "1", "0"]
    # The table on screen is the one exported, and the bars draw the same shares.
    assert _text(reports.usage.table, 1, usage.header.index("Faults")) == "1"
    assert reports.chart.values == pytest.approx(
        [s.utilisation * 100 for s in expected.usage.stations]
    )
    # The heat map's cells and the summary are the service's.
    heat = expected.demand.heat_map
    for weekday, hour in ((6, 8), (6, 9), (0, 0)):
        share = heat.occupancy_at(weekday, hour)
        assert _text(reports.heat.grid, weekday, hour) == (str(round(share * 100)) if share else "")
    assert [label.text() for label in reports.summary.labels[::2]] == [
        s.text for s in expected.summary.sentences
    ]
    assert reports.summary.labels[0].toolTip() == expected.summary.sentences[0].method
    league = reports.league.table_data
    assert league is not None
    assert league.rows[0][1] == max(expected.usage.stations, key=lambda s: s.utilisation).station_id
    assert "most faults" in next(r for r in league.rows if r[1] == "B")[-1]


def test_changing_range_site_and_grouping_reads_again(
    reports: ReportsView, host: EngineHost, qtbot: QtBot
) -> None:
    reports.picker.choose_preset("last_month")
    _wait_for(reports, qtbot, (None, date(2026, 9, 1), date(2026, 9, 30)))
    assert reports.usage.table_data is not None
    assert set(_column(reports.usage.table_data, "Sessions")) == {"0"}

    qtbot.waitUntil(lambda: reports.picker.site.findData(SITE) >= 0, timeout=5000)
    reports.picker.site.setCurrentIndex(reports.picker.site.findData(SITE))
    reports.picker.grouping.setCurrentIndex(1)
    reports.picker.set_range(date(2026, 10, 25), date(2026, 10, 25))
    _wait_for(reports, qtbot, (SITE, date(2026, 10, 25), date(2026, 10, 25)))
    expected = _report(host, SITE, date(2026, 10, 25), date(2026, 10, 25))
    usage = reports.usage.table_data
    assert usage is not None
    assert _column(usage, "Connector") == ["A / 1", "A / 2", "B / 1"]
    assert _column(usage, "Energy (kWh)") == [
        f"{c.energy_wh / 1000:.1f}" for c in expected.usage.connectors
    ]
    assert _column(usage, "Energy (kWh)")[:2] == ["44.0", "7.0"]
    assert len(reports.chart.values) == 3


def test_a_newer_request_supersedes_an_older_one(reports: ReportsView, qtbot: QtBot) -> None:
    asked = reports.requested
    reports.picker.choose_preset("this_year")
    assert reports.loading
    reports.picker.set_range(date(2026, 10, 1), date(2026, 10, 2))
    reports.picker.set_range(date(2026, 10, 24), date(2026, 10, 24))
    assert reports.requested == asked + 3
    assert _pending(reports)  # folded into one read after the running one
    _wait_for(reports, qtbot, (None, date(2026, 10, 24), date(2026, 10, 24)))
    assert not _pending(reports)
    assert reports.progress.isHidden()
    expected = _report(reports.host, None, date(2026, 10, 24), date(2026, 10, 24))
    assert reports.chart.values == pytest.approx(
        [s.utilisation * 100 for s in expected.usage.stations]
    )


def _pending(view: ReportsView) -> bool:
    return view.pending


def test_a_range_the_service_refuses_is_explained(reports: ReportsView, qtbot: QtBot) -> None:
    reports.picker.set_range(date(2026, 10, 25), date(2026, 10, 20))
    qtbot.waitUntil(lambda: reports.error is not None and not reports.loading, timeout=15000)
    assert "must not come before" in reports.status.text()
    assert reports.status.isVisible()
    reports.picker.choose_preset("7d")
    _wait_for(reports, qtbot, (None, date(2026, 10, 25), TODAY))
    assert reports.status.isHidden()


def test_drill_down_lists_the_sessions_behind_a_bar_a_row_and_a_cell(
    reports: ReportsView, host: EngineHost, qtbot: QtBot
) -> None:
    reports.picker.grouping.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(reports.chart.values) == 4 and not reports.loading)
    # A click on the bar of A / 2.
    box = reports.chart.item.getViewBox()
    scene = box.mapViewToScene(QPointF(1, reports.chart.values[1] / 2))
    where = reports.chart.mapFromScene(scene)
    QTest.mouseClick(
        reports.chart.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )
    qtbot.waitUntil(lambda: reports.drill_dialog is not None, timeout=10000)
    assert reports.drill_dialog is not None
    assert [r.transaction_id for r in reports.drill_dialog.rows] == [2]
    assert _text(reports.drill_dialog.table, 0, 2) == "T2"
    shot = reports.drill_dialog.grab()
    assert shot.save(str(SHOTS / "reports-drill.png"))

    # A row of the station league: station A, both sessions touching the range.
    first = reports.drill_dialog
    league = reports.league.table_data
    assert league is not None
    reports.league.table.cellClicked.emit([r[1] for r in league.rows].index("A"), 0)
    qtbot.waitUntil(lambda: reports.drill_dialog is not first, timeout=10000)
    assert reports.drill_dialog is not None
    expected = _behind(host, None, date(2026, 10, 25), TODAY, station_id="A")
    assert [r.transaction_id for r in reports.drill_dialog.rows] == [
        r.transaction_id for r in expected
    ]
    assert {r.transaction_id for r in expected} == {1, 2}

    # The heat-map cell of the hour session 2 ran in (local time).
    started = expected[-1].started_at.astimezone(reports.zone)
    second = reports.drill_dialog
    reports.heat.grid.cellClicked.emit(started.weekday(), started.hour)
    qtbot.waitUntil(lambda: reports.drill_dialog is not second, timeout=10000)
    assert 2 in [r.transaction_id for r in reports.drill_dialog.rows]
    in_cell = _behind(
        host, None, date(2026, 10, 25), TODAY, weekday=started.weekday(), hour=started.hour
    )
    assert reports.drill_dialog.rows == in_cell


def test_a_table_exports_as_csv_with_decimal_commas(reports: ReportsView, tmp_path: Path) -> None:
    target = tmp_path / "usage.csv"
    reports.usage.ask_csv_path = lambda *_: (target, CsvStyle.SEMICOLON)
    assert reports.usage.export_csv() == target
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    usage = reports.usage.table_data
    assert usage is not None
    assert tuple(rows[0]) == usage.header
    assert [r[0] for r in rows[1:]] == ["A", "B", "C"]
    index = usage.header.index("Utilisation")
    assert [r[index] for r in rows[1:]] == [r[index].replace(".", ",") for r in usage.rows]
    assert "," in rows[1][index]


def test_csv_guards_text_a_spreadsheet_would_run() -> None:
    table = ReportTable("t", "T", ("Station", "Energy"), (("=HYPERLINK(1)", "-1.5"),),
                        numeric=frozenset({1}))  # fmt: skip
    rows = list(csv.reader(io.StringIO(table_csv(table, CsvStyle.COMMA).lstrip("\ufeff"))))
    assert rows[1] == ["'=HYPERLINK(1)", "-1.5"]


def test_the_report_exports_as_pdf_with_its_tables_and_summary(
    reports: ReportsView, tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    reports.ask_pdf_path = lambda *_: target
    assert reports.export_pdf() == target
    pdf = PdfReader(str(target))
    # pypdf separates the words of Qt's PDFs with tabs.
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Usage and demand report" in text
    for words in ("2026-10-25", "2026-10-31", "Capacity summary", "Station league"):
        assert words in text
    assert reports.report is not None
    first = reports.report.summary.sentences[0].text
    assert " ".join(first.split()[:6]) in text
    usage = reports.usage.table_data
    assert usage is not None
    assert usage.rows[1][_index(usage, "Availability")] in text
    assert any(page.images for page in pdf.pages)  # the charts


def _index(table: ReportTable, name: str) -> int:
    return table.header.index(name)


def test_a_manager_sets_the_site_connection_limit(
    reports: ReportsView, host: EngineHost, qtbot: QtBot
) -> None:
    assert not reports.limit.set_button.isEnabled()  # all stations: no site to limit
    qtbot.waitUntil(lambda: reports.picker.site.findData(SITE) >= 0, timeout=5000)
    reports.picker.site.setCurrentIndex(reports.picker.site.findData(SITE))
    _wait_for(reports, qtbot, (SITE, date(2026, 10, 25), TODAY))
    reports.limit.kw.setValue(22.0)
    reports.limit.set_button.click()
    qtbot.waitUntil(
        lambda: (
            reports.report is not None
            and reports.report.demand.connection_limit_w == 22000
            and not reports.loading
        ),
        timeout=15000,
    )
    demand = reports.demand.table_data
    assert demand is not None
    assert ("Connection limit (kW)", "22.0") in demand.rows
    assert reports.limit.kw.value() == 22.0
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert reports.grab().save(str(SHOTS / "reports.png"))


BUSY = 78  # site "Harbour": four stations of two connectors, a week of commuters


def _busy_week() -> list[tuple[Table, dict[str, Any]]]:
    """Commuters 07–10 on weekdays, evening top-ups, a quiet weekend; H4/2 faulted."""
    created = datetime(2026, 10, 1, tzinfo=UTC)
    rows: list[tuple[Table, dict[str, Any]]] = [
        (sites, {"id": BUSY, "name": "Harbour", "level": "", "created_at": created})
    ]
    tx = 100
    for n in range(1, 5):
        sid = f"H{n}"
        rows.append((stations, {"id": sid, "admission": "Accepted", "created_at": created}))
        rows.append((station_positions, {"station_id": sid, "site_id": BUSY, "x": n, "y": 0}))
        for c in (1, 2):
            rows.append((connectors, {"station_id": sid, "connector_id": c,
                                      "status": "Available", "error_code": "NoError",
                                      "updated_at": created}))  # fmt: skip
            rows.append(_status_row(sid, c, created, "Available"))
            for day in range(19, 26):
                weekday = date(2026, 10, day).weekday()
                starts = [(5 + n % 2, 3 + c), (15, 2)] if weekday < 5 else [(9 + n, 2)]
                for hour, length in starts:
                    if (n + c + day) % 3 == 0 and weekday < 5 and hour > 12:
                        continue
                    tx += 1
                    begin = datetime(2026, 10, day, hour, 10 * (c - 1), tzinfo=UTC)
                    end = begin + timedelta(hours=length)
                    rows.append((transactions, {
                        "id": tx, "station_id": sid, "connector_id": c, "id_tag": f"T{tx % 9}",
                        "id_tag_status": "Accepted", "meter_start": 0, "started_at": begin,
                        "state": "closed", "meter_stop": 7400 * length, "stopped_at": end,
                        "created_at": begin}))  # fmt: skip
                    rows.append(_status_row(sid, c, begin, "Charging"))
                    rows.append(_status_row(sid, c, end - timedelta(minutes=20), "SuspendedEV"))
                    rows.append(_status_row(sid, c, end, "Available"))
    rows.append(_status_row("H4", 2, datetime(2026, 10, 23, 13, tzinfo=UTC), "Faulted"))
    rows.append(_status_row("H4", 2, datetime(2026, 10, 24, 9, tzinfo=UTC), "Available"))
    return rows


def _status_row(sid: str, c: int, when: datetime, status: str) -> tuple[Table, dict[str, Any]]:
    error = "GroundFailure" if status == "Faulted" else "NoError"
    return (status_history, {"station_id": sid, "connector_id": c, "status": status,
                             "error_code": error, "station_timestamp": when,
                             "received_at": when})  # fmt: skip


def test_a_busy_week_reads_well(reports: ReportsView, host: EngineHost, qtbot: QtBot) -> None:
    _write(host, _busy_week())
    reports.reload_sites()
    qtbot.waitUntil(lambda: reports.picker.site.findData(BUSY) >= 0, timeout=5000)
    reports.picker.site.setCurrentIndex(reports.picker.site.findData(BUSY))
    reports.picker.set_range(date(2026, 10, 19), date(2026, 10, 25))
    _wait_for(reports, qtbot, (BUSY, date(2026, 10, 19), date(2026, 10, 25)))
    expected = _report(host, BUSY, date(2026, 10, 19), date(2026, 10, 25))
    assert reports.chart.values == pytest.approx(
        [s.utilisation * 100 for s in expected.usage.stations]
    )
    assert expected.usage.station("H4").faults == 1
    reports.resize(1280, 1640)
    qtbot.wait(50)
    assert reports.grab().save(str(SHOTS / "reports-busy.png"))


def test_a_pdf_that_cannot_be_written_says_so(reports: ReportsView, tmp_path: Path) -> None:
    reports.ask_pdf_path = lambda *_: tmp_path / "no such folder" / "report.pdf"
    assert reports.export_pdf() is None
    assert "report.pdf" in reports.status.text()
    assert reports.status.isVisible()
