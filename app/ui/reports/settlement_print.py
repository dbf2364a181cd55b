"""The end-of-day settlement (Z-report) on A4: laid out by QTextDocument like the monthly
statement, written by QPdfWriter or sent to a QPrinter. The dialog shows the same HTML,
so what the attendant reads on screen is what goes on paper."""

from __future__ import annotations

import html
from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPagedPaintDevice, QTextDocument

from app.domain.price_format import format_money
from app.domain.receipts import METHOD_NAMES
from app.domain.settlement import Settlement
from app.ui.reports.pages import a4_pdf

_TABLE = (
    "<table width='100%' cellpadding='4' cellspacing='0' border='1'"
    " style='border-collapse: collapse; border-color: #999'>"
)


COLUMN_WIDTHS = (40, 14, 23, 23)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettlementPrint", text)


def _e(text: str) -> str:
    return html.escape(text)


def _row(cells: list[str], *, bold: bool = False, header: bool = False) -> str:
    """One row of four columns (label, count, amount, VAT) at the same widths in every
    table, so the amounts of all sections line up."""
    tag = "th" if header else "td"
    out = []
    padded = [*cells, *[""] * (len(COLUMN_WIDTHS) - len(cells))]
    for n, (text, width) in enumerate(zip(padded, COLUMN_WIDTHS, strict=True)):
        align = "left" if n == 0 else "right"
        inner = f"<b>{_e(text)}</b>" if bold and not header else _e(text)
        out.append(f"<{tag} align='{align}' width='{width}%'>{inner}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def settlement_title(report: Settlement) -> str:
    return _tr("Z-report {day}").format(day=report.day.isoformat())


def settlement_html(
    report: Settlement, seller: str, zone: tzinfo, made_at: datetime, font_pt: float = 9.0
) -> str:
    """The report as the HTML subset QTextDocument lays out."""
    cur = report.currency

    def money(minor: int) -> str:
        return format_money(minor, cur)

    made = made_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    parts = [
        f"<html><body style='font-family: DejaVu Sans, Arial, sans-serif; font-size: {font_pt}pt'>",
        f"<h2>{_e(_tr('End-of-day settlement (Z-report)'))}</h2>",
        "<table cellpadding='2'>",
    ]
    facts = [
        (_tr("Business day"), report.day.isoformat()),
        (_tr("Seller"), seller),
        (_tr("Currency"), cur),
        (_tr("Made"), made),
    ]
    parts += [
        f"<tr><td><b>{_e(label)}</b></td><td>{_e(value)}</td></tr>"
        for label, value in facts
        if value
    ]
    parts.append("</table>")

    count, amount, vat = _tr("Count"), _tr("Amount"), _tr("of which VAT")
    parts.append(f"<h3>{_e(_tr('Payments taken'))}</h3>{_TABLE}")
    parts.append(_row([_tr("Method"), count, amount, vat], header=True))
    for m in report.methods:
        parts.append(
            _row([METHOD_NAMES[m.method], str(m.count), money(m.amount_minor), money(m.vat_minor)])
        )
    parts.append(
        _row(
            [
                _tr("Total taken"),
                str(sum(m.count for m in report.methods)),
                money(report.taken_minor),
                money(sum(m.vat_minor for m in report.methods)),
            ],
            bold=True,
        )
    )
    parts.append("</table>")

    parts.append(f"<h3>{_e(_tr('Refunds'))}</h3>")
    if report.refunds:
        parts.append(_TABLE + _row([_tr("Method"), count, amount, vat], header=True))
        for r in report.refunds:
            parts.append(
                _row(
                    [
                        METHOD_NAMES[r.method],
                        str(r.count),
                        money(-r.amount_minor),
                        money(-r.vat_minor),
                    ]
                )
            )
        parts.append("</table>")
    else:
        parts.append(f"<p>{_e(_tr('No refunds this day.'))}</p>")

    parts.append(f"<h3>{_e(_tr('Not in the takings'))}</h3>{_TABLE}")
    parts.append(_row(["", count, amount], header=True))
    parts.append(_row([_tr("Voided cash"), str(report.voids_count), money(report.voids_minor)]))
    parts.append(
        _row(
            [
                _tr("Card holds still open"),
                str(report.open_holds_count),
                money(report.open_holds_minor),
            ]
        )
    )
    parts.append("</table>")

    parts.append(f"<h3>{_e(_tr('Cash drawer'))}</h3>{_TABLE}")
    parts.append(_row([_tr("Opening float"), "", money(report.opening_float_minor)]))
    parts.append(_row([_tr("Cash taken"), "", money(report.cash_in_minor)]))
    parts.append(_row([_tr("Cash refunded"), "", money(-report.cash_refunded_minor)]))
    parts.append(
        _row([_tr("Cash expected in the drawer"), "", money(report.cash_expected_minor)], bold=True)
    )
    parts.append("</table></body></html>")
    return "".join(parts)


def _document(report: Settlement, seller: str, zone: tzinfo, made_at: datetime) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(settlement_html(report, seller, zone, made_at))
    return document


def write_settlement_pdf(
    report: Settlement, seller: str, zone: tzinfo, made_at: datetime, path: Path
) -> None:
    """Write the report to `path` as an A4 PDF."""
    writer = a4_pdf(path, settlement_title(report))
    _document(report, seller, zone, made_at).print_(writer)


def print_settlement(
    report: Settlement, seller: str, zone: tzinfo, made_at: datetime, device: QPagedPaintDevice
) -> None:
    """Print on a printer (its paper as chosen in the print dialog)."""
    _document(report, seller, zone, made_at).print_(device)
