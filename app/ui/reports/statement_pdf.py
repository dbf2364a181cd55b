"""A driver's monthly statement as a PDF, laid out by QTextDocument, written by QPdfWriter.

Usable without a window (the CLI): `write_statement_pdf` starts an offscreen
application when none runs, since Qt needs one for fonts.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextDocument

from app.domain.price_format import format_basis_points, format_money
from app.domain.statements import Statement
from app.ui.reports.pages import a4_pdf

# A table with thin ruled cells whose header row repeats on every page.
_TABLE = (
    "<table width='100%' cellpadding='3' cellspacing='0' border='1'"
    " style='border-collapse: collapse; border-color: #999'><thead><tr>"
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatementPdf", text)


def _kwh(wh: int) -> str:
    return f"{wh / 1000:.3f}"


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return _tr("charging")
    hours, minutes = divmod((seconds + 30) // 60, 60)
    return f"{hours}:{minutes:02d}"


def _cell(text: str, *, right: bool = False) -> str:
    align = ' align="right"' if right else ""
    return f"<td{align}>{html.escape(text)}</td>"


def _header_cell(text: str, *, right: bool = False, width: int | None = None) -> str:
    align = ' align="right"' if right else ' align="left"'
    if width is not None:
        align += f' width="{width}%"'
    return f"<th{align}>{html.escape(text)}</th>"


def statement_html(statement: Statement) -> str:
    """The statement as the HTML subset QTextDocument lays out."""
    money = statement.currency

    def amount(minor: int) -> str:
        return format_money(minor, money)

    def figure(minor: int) -> str:
        """Without the currency: the column header and the page header name it."""
        return amount(minor).removesuffix(f" {money}")

    amount_header = _tr("Amount ({currency})").format(currency=money)
    vat_header = _tr("VAT ({currency})").format(currency=money)

    month = statement.month
    parts = [
        "<html><body style='font-family: DejaVu Sans, Arial, sans-serif; font-size: 9pt'>",
        f"<h2>{html.escape(_tr('Charging statement {month}').format(month=month))}</h2>",
        "<table cellpadding='2'>",
        f"<tr><td><b>{html.escape(_tr('Driver'))}</b></td>"
        f"<td>{html.escape(statement.driver_name)}</td></tr>",
    ]
    if statement.fleet_name:
        parts.append(
            f"<tr><td><b>{html.escape(_tr('Fleet'))}</b></td>"
            f"<td>{html.escape(statement.fleet_name)}</td></tr>"
        )
    period = _tr("{first} to {last}, times in {zone}").format(
        first=month.first_day.isoformat(), last=month.last_day.isoformat(), zone=statement.zone
    )
    parts += [
        f"<tr><td><b>{html.escape(_tr('Period'))}</b></td><td>{html.escape(period)}</td></tr>",
        f"<tr><td><b>{html.escape(_tr('Currency'))}</b></td><td>{html.escape(money)}</td></tr>",
        "</table>",
    ]
    if statement.provisional:
        parts.append(
            "<p><b>"
            + html.escape(_tr("Provisional: a session was still charging when this was made."))
            + "</b></p>"
        )
    parts.append(f"<h3>{html.escape(_tr('Charging sessions'))}</h3>")
    if statement.sessions:
        parts.append(_TABLE)
        parts += [
            # Wide enough for the date and time on one line.
            _header_cell(_tr("Start"), width=22),
            _header_cell(_tr("Station")),
            _header_cell(_tr("Energy (kWh)"), right=True),
            _header_cell(_tr("Included (kWh)"), right=True),
            _header_cell(_tr("Duration (h:mm)"), right=True),
            _header_cell(amount_header, right=True),
            _header_cell(vat_header, right=True),
            "</tr></thead>",
        ]
        for row in statement.sessions:
            parts += [
                "<tr>",
                _cell(row.started.strftime("%Y-%m-%d %H:%M")),
                _cell(row.station_id),
                _cell(_kwh(row.energy_wh), right=True),
                _cell(_kwh(row.included_wh), right=True),
                _cell(_duration(row.duration_seconds), right=True),
                _cell(figure(row.amount_minor), right=True),
                _cell(figure(row.vat_minor), right=True),
                "</tr>",
            ]
        parts.append("</table>")
    else:
        parts.append(f"<p>{html.escape(_tr('No charging this month.'))}</p>")
    if statement.fees:
        parts.append(f"<h3>{html.escape(_tr('Subscription fees'))}</h3>")
        parts.append(_TABLE)
        parts += [
            _header_cell(_tr("Plan")),
            _header_cell(_tr("Days"), right=True),
            _header_cell(amount_header, right=True),
            _header_cell(vat_header, right=True),
            "</tr></thead>",
        ]
        for fee in statement.fees:
            days = _tr("{active} of {days}").format(active=fee.active_days, days=fee.days_in_month)
            parts += [
                "<tr>",
                _cell(fee.plan_name),
                _cell(days, right=True),
                _cell(figure(fee.amount_minor), right=True),
                _cell(figure(fee.vat_minor), right=True),
                "</tr>",
            ]
        parts.append("</table>")
    parts.append(f"<h3>{html.escape(_tr('Summary'))}</h3>")
    parts.append("<table cellpadding='3' cellspacing='0'>")
    energy = _tr("Charging, {kwh} kWh").format(kwh=_kwh(statement.energy_wh))
    summary = [
        (energy, statement.charging_minor),
        (_tr("Subscription fees"), statement.fees_minor),
    ]
    for vat in statement.vat:
        label = _tr("VAT {rate} included in {amount}").format(
            rate=format_basis_points(vat.rate_bp), amount=amount(vat.gross_minor)
        )
        summary.append((label, vat.vat_minor))
    for label, minor in summary:
        parts.append(f"<tr>{_cell(label)}{_cell(amount(minor), right=True)}</tr>")
    total = _tr("Total, VAT included")
    parts.append(
        f"<tr><td><b>{html.escape(total)}</b></td>"
        f"<td align='right'><b>{html.escape(amount(statement.total_minor))}</b></td></tr>"
    )
    parts.append("</table></body></html>")
    return "".join(parts)


def write_statement_pdf(statement: Statement, path: Path) -> None:
    """Write the statement to `path` as an A4 PDF."""
    writer = a4_pdf(path, _tr("Charging statement {month}").format(month=statement.month))
    document = QTextDocument()
    document.setHtml(statement_html(statement))
    # With no page size of its own, the document is laid out on the writer's pages.
    document.print_(writer)
