"""The Reports view's tables: rows built from a SiteReport, and their CSV export.

Every table is a `ReportTable` (title, header, rows of display text, and the
drill-down key of each row); the screen, the CSV files and the PDF all show the
same rows, so what is exported is what is on screen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from app.domain.analytics_usage import ConnectorUsage, StationUsage
from app.domain.price_format import format_money
from app.domain.statements import CsvStyle
from app.domain.tag_csv import guard_formula
from app.services.analytics import SiteReport

# A drill-down key: (station_id, connector_id or None); None: no drill-down.
DrillKey = tuple[str, int | None] | None


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


@dataclass(frozen=True, slots=True)
class ReportTable:
    slug: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    keys: tuple[DrillKey, ...] = field(default=())
    # Columns holding numbers (right-aligned; decimal point swapped in CSV).
    numeric: frozenset[int] = frozenset()


def pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f}"


def kw(watts: float | None) -> str:
    return "" if watts is None else f"{watts / 1000:.1f}"


def kwh(wh: float) -> str:
    return f"{wh / 1000:.1f}"


def _usage_row(
    name: str, u: ConnectorUsage | StationUsage, faults: int, outages: int, currency: str
) -> tuple[str, ...]:
    average = (
        u.average_power_w
        if isinstance(u, ConnectorUsage)
        else (u.energy_wh * 3600.0 / u.charging_s if u.charging_s else None)
    )
    return (
        name,
        str(u.sessions),
        kwh(u.energy_wh),
        hours(u.charging_s),
        hours(u.idle_s),
        kw(average),
        kw(u.peak_power_w),
        format_money(u.revenue_minor, currency) if u.revenue_minor else "",
        pct(u.utilisation),
        pct(u.availability),
        str(faults),
        str(outages),
    )


def usage_table(report: SiteReport, per_connector: bool, currency: str) -> ReportTable:
    header = (
        _tr("Station") if not per_connector else _tr("Connector"),
        _tr("Sessions"),
        _tr("Energy (kWh)"),
        _tr("Charging (h)"),
        _tr("Idle (h)"),
        _tr("Average (kW)"),
        _tr("Peak (kW)"),
        _tr("Revenue"),
        _tr("Utilisation"),
        _tr("Availability"),
        _tr("Faults"),
        _tr("Outages"),
    )
    rows: list[tuple[str, ...]] = []
    keys: list[DrillKey] = []
    for station in report.usage.stations:
        if not per_connector:
            rows.append(
                _usage_row(
                    station.station_id, station, station.faults, len(station.outages), currency
                )
            )
            keys.append((station.station_id, None))
            continue
        for c in station.connectors:
            mine = [o for o in station.outages if o.connector_id in (c.connector_id, None)]
            faults = sum(1 for o in mine if o.cause == "Faulted")
            rows.append(
                _usage_row(
                    f"{station.station_id} / {c.connector_id}", c, faults, len(mine), currency
                )
            )
            keys.append((station.station_id, c.connector_id))
    return ReportTable(
        "usage", _tr("Usage"), header, tuple(rows), tuple(keys), frozenset(range(1, 12))
    )


def league_table(report: SiteReport) -> ReportTable:
    """Stations from most to least used; the most faults named in a column of its own."""
    stations = sorted(
        report.usage.stations, key=lambda s: (-s.utilisation, -s.sessions, s.station_id)
    )
    most_faults = max((s.faults for s in stations), default=0)
    rows = []
    for rank, s in enumerate(stations, 1):
        note = []
        if rank == 1 and len(stations) > 1:
            note.append(_tr("most used"))
        if rank == len(stations) and len(stations) > 1:
            note.append(_tr("least used"))
        if most_faults and s.faults == most_faults:
            note.append(_tr("most faults"))
        rows.append(
            (str(rank), s.station_id, pct(s.utilisation), str(s.sessions), str(s.faults),
             hours(s.downtime_s), ", ".join(note))
        )  # fmt: skip
    header = (
        _tr("Rank"),
        _tr("Station"),
        _tr("Utilisation"),
        _tr("Sessions"),
        _tr("Faults"),
        _tr("Downtime (h)"),
        _tr("Note"),
    )
    keys: tuple[DrillKey, ...] = tuple((s.station_id, None) for s in stations)
    return ReportTable(
        "league", _tr("Station league"), header, tuple(rows), keys, frozenset({0, 2, 3, 4, 5})
    )


def demand_table(report: SiteReport) -> ReportTable:
    d = report.demand
    peak = d.peak_power
    share = d.peak_share_of_limit
    rows: list[tuple[str, ...]] = [
        (_tr("Connectors"), str(d.connectors)),
        (_tr("All connectors busy (saturation)"), pct(d.saturation)),
        (_tr("Times every connector was busy"), str(d.full_spells)),
        (_tr("Drivers who waited"), str(len(d.waited))),
        (_tr("Drivers turned away"), str(len(d.turned_away))),
        (_tr("Connectors that would have served them"), str(d.extra_connectors)),
        (_tr("Peak simultaneous power (kW)"), kw(peak.watts if peak else None)),
        (_tr("Connection limit (kW)"), kw(d.connection_limit_w) or _tr("not set")),
        (_tr("Peak as share of the limit"), "" if share is None else pct(share)),
    ]
    return ReportTable(
        "demand", _tr("Demand"), (_tr("Figure"), _tr("Value")), tuple(rows), numeric=frozenset({1})
    )


def report_tables(report: SiteReport, per_connector: bool, currency: str) -> list[ReportTable]:
    return [
        usage_table(report, per_connector, currency),
        demand_table(report),
        league_table(report),
    ]


def table_csv(table: ReportTable, style: CsvStyle = CsvStyle.COMMA) -> str:
    """The table as CSV text with a UTF-8 BOM; `semicolon` style writes decimal commas.
    Text a spreadsheet would run as a formula gets a leading apostrophe."""
    delimiter, point = (",", ".") if style is CsvStyle.COMMA else (";", ",")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([guard_formula(h) for h in table.header])
    for row in table.rows:
        writer.writerow(
            [
                _number(cell, point) if i in table.numeric else guard_formula(cell)
                for i, cell in enumerate(row)
            ]
        )
    return "\ufeff" + out.getvalue()


def _number(cell: str, point: str) -> str:
    return cell.replace(".", point) if _is_number(cell) else guard_formula(cell)


def _is_number(cell: str) -> bool:
    text = cell.removesuffix(" %")
    try:
        float(text)
    except ValueError:
        return False
    return True


def cells(table: ReportTable) -> Sequence[Sequence[str]]:
    return [table.header, *table.rows]
