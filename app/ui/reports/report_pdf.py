"""A usage and demand report as a PDF: QTextDocument laid out on QPdfWriter pages,
the charts embedded as images, the tables exactly as the Reports view shows them."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QImage, QTextDocument

from app.services.analytics import SiteReport
from app.ui.reports.pages import a4_pdf
from app.ui.views.reports_tables import ReportTable

_TABLE = (
    "<table width='{width}' cellpadding='3' cellspacing='0' border='1'"
    " style='border-collapse: collapse; border-color: #999'><thead><tr>"
)
# The width charts are drawn at on a landscape A4 page (its text width is ~1010 px).
CHART_WIDTH = 960
# A chart: the table it follows (its slug), its caption and its picture.
Chart = tuple[str, str, QImage]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPdf", text)


def _align(column: int, table: ReportTable) -> str:
    return "right" if column in table.numeric else "left"


def _table_html(table: ReportTable) -> str:
    head = "".join(
        f"<th align='{_align(i, table)}' bgcolor='#eeeeee'>{html.escape(h)}</th>"
        for i, h in enumerate(table.header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td align='{_align(i, table)}'>{html.escape(c)}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return (
        f"<h2>{html.escape(table.title)}</h2>"
        f"{_TABLE.format(width='50%' if len(table.header) <= 2 else '100%')}{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def report_html(
    report: SiteReport,
    title: str,
    tables: Sequence[ReportTable],
    charts: Sequence[Chart] = (),
) -> str:
    period = report.usage.period
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        "<p>"
        + html.escape(
            _tr("{site}, {first} – {last} ({days} days)").format(
                site=report.usage.site_name or _tr("All stations"),
                first=period.first.isoformat(),
                last=period.last.isoformat(),
                days=period.days,
            )
        )
        + "</p>",
        f"<h2>{html.escape(_tr('Capacity summary'))}</h2>",
    ]
    for sentence in report.summary.sentences:
        parts.append(
            f"<p><b>{html.escape(sentence.text)}</b><br/>"
            f"<small>{html.escape(_tr('How:'))} {html.escape(sentence.method)}</small></p>"
        )
    for table in tables:
        parts.append(_table_html(table))
        for i, (after, caption, image) in enumerate(charts):
            if after != table.slug or image.isNull():
                continue
            width = min(image.width(), CHART_WIDTH)
            height = round(image.height() * width / image.width())
            parts.append(
                f"<h3>{html.escape(caption)}</h3>"
                f"<p><img width='{width}' height='{height}' src='chart{i}'/></p>"
            )
    return (
        "<html><body style='font-family: sans-serif; font-size: 9pt'>"
        + "".join(parts)
        + ("</body></html>")
    )


def write_report_pdf(
    report: SiteReport,
    path: Path,
    title: str,
    tables: Sequence[ReportTable],
    charts: Sequence[Chart] = (),
) -> None:
    """Write the report to `path` as a landscape A4 PDF (the usage table is wide);
    each chart follows the table it belongs to."""
    writer = a4_pdf(path, title, landscape=True)
    document = QTextDocument()
    for i, (_after, _caption, image) in enumerate(charts):
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart{i}"), image)
    document.setHtml(report_html(report, title, tables, charts))
    document.print_(writer)
    del writer  # the file is complete once the writer is gone
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")  # as the graphs panels say it
