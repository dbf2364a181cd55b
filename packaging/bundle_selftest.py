"""Self-test of the frozen control room, run by packaging/check.py inside the bundle.

The packaging check starts the installed program as `chargedesk run` with the
environment variable CHARGEDESK_BUNDLE_SELFTEST set to an empty directory. The
launcher then calls install() before the control room starts; once its window is
shown, this exercises, in the frozen program, what the bundle's trimming could break:

- every tab of the main window, opened and drawn (a PNG of each in the directory);
- the Reports tab's "Export PDF" (landscape A4 through QTextDocument, with the
  pyqtgraph utilisation chart grabbed into it) and a receipt written as a PDF and
  printed through QPrinter (QtPrintSupport) into a PDF file;
- a pyqtgraph plot with a date axis, lines and bars, drawn into an image;
- numpy's linear algebra (the bundle's numpy is built without OpenBLAS);
- the ICU functions Qt calls (the bundle's ICU data is trimmed): collation for the
  app's languages and others, time-zone names, and text codecs through an XML reader.

It writes selftest.json ({"ok": bool, "checks": {...}, "failed": [...]}) and closes
the window like an operator would, so the program exits with status 0 either way;
the check reads the verdict from the file. Nothing here runs in a normal start.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ENV = "CHARGEDESK_BUNDLE_SELFTEST"
WAIT_S = 60.0  # bound for anything the control room loads in the background
STEP_S = 0.2


class Failed(AssertionError):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


def install(out: Path) -> None:
    """Run the self-test in the next control room that opens (see the module doc)."""
    import app.ui.app as ui_app

    opened = ui_app.open_control_room

    def open_and_test(host: Any) -> Any:
        window = opened(host)
        SelfTest(window, out).start()
        return window

    ui_app.open_control_room = open_and_test


class SelfTest:
    """Steps on the GUI thread, each a generator that yields the seconds to wait."""

    def __init__(self, window: Any, out: Path) -> None:
        self.window = window
        self.out = out
        self.checks: dict[str, Any] = {}
        self.failed: list[str] = []
        self.steps: Iterator[float] = self._all_steps()

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        from PySide6.QtCore import QTimer

        try:
            delay = next(self.steps)
        except StopIteration:
            self._finish()
            return
        QTimer.singleShot(int(delay * 1000), self._next)

    def _finish(self) -> None:
        result = {"ok": not self.failed, "checks": self.checks, "failed": self.failed}
        (self.out / "selftest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        self.window.close()

    def _all_steps(self) -> Iterator[float]:
        steps: list[tuple[str, Callable[[], Iterator[float]]]] = [
            ("icu", self.icu),
            ("numpy", self.numpy),
            ("chart", self.chart),
            ("tabs", self.tabs),
            ("report pdf", self.report_pdf),
            ("receipt pdf", self.receipt_pdf),
        ]
        for name, step in steps:
            try:
                yield from step()
            except Exception:
                self.failed.append(f"{name}: {traceback.format_exc()}")

    def wait(self, what: str, ready: Callable[[], bool]) -> Iterator[float]:
        waited = 0.0
        while not ready():
            if waited > WAIT_S:
                raise Failed(f"{what}: not within {WAIT_S:.0f} s")
            waited += STEP_S
            yield STEP_S

    # ---- the steps -----------------------------------------------------------------

    def icu(self) -> Iterator[float]:
        from PySide6.QtCore import (
            QBuffer,
            QByteArray,
            QCollator,
            QIODevice,
            QLocale,
            QTimeZone,
            QXmlStreamReader,
        )

        words = ["ö", "z", "a", "Å", "ä", "中", "あ"]
        order = {
            name: "".join(sorted(words, key=QCollator(QLocale(name)).sortKey))
            for name in ("sv_SE", "en_GB", "de_DE", "da_DK", "zh_CN", "ja_JP")
        }
        self.checks["collation"] = order
        expect(order["sv_SE"].startswith("azÅäö"), f"Swedish collation: {order['sv_SE']}")
        expect(order["en_GB"].startswith("aÅäöz"), f"English collation: {order['en_GB']}")
        expect(order["da_DK"].startswith("azäöÅ"), f"Danish collation: {order['da_DK']}")
        expect(order["zh_CN"].startswith("中a"), f"Chinese collation: {order['zh_CN']}")
        zone = QTimeZone(b"Europe/Stockholm")
        names = {
            loc: zone.displayName(
                QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale(loc)
            )
            for loc in ("sv_SE", "en_US", "de_DE")
        }
        self.checks["zone names"] = names
        expect(names["sv_SE"] == "centraleuropeisk normaltid", f"Swedish zone name: {names}")
        expect(names["en_US"] == "Central European Standard Time", f"English zone name: {names}")
        expect(bool(names["de_DE"]), "no German zone name at all")
        expect(
            QLocale("tr_TR").toUpper("i") == "İ" and QLocale("sv_SE").toLower("ÅÄÖ") == "åäö",
            "ICU case mapping",
        )
        decoded = {}
        for codec, raw in (
            ("Shift_JIS", b"\x82\xa0"),
            ("windows-1252", b"\x80"),
            ("GB18030", b"\xc4\xe3"),
            ("KOI8-R", b"\xc1"),
        ):
            buffer = QBuffer()
            buffer.setData(
                QByteArray(b'<?xml version="1.0" encoding="' + codec.encode() + b'"?><a>')
                + QByteArray(raw + b"</a>")
            )
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            reader = QXmlStreamReader(buffer)
            text = ""
            while not reader.atEnd():
                reader.readNext()
                if reader.isCharacters():
                    text += reader.text()
            decoded[codec] = text
        self.checks["codecs"] = decoded
        expect(
            decoded == {"Shift_JIS": "あ", "windows-1252": "€", "GB18030": "你", "KOI8-R": "а"},
            f"codecs: {decoded}",
        )
        yield 0

    def numpy(self) -> Iterator[float]:
        import numpy as np

        matrix = np.array([[4.0, 1.0, 2.0], [1.0, 3.0, 0.5], [2.0, 0.5, 5.0]])
        expect(np.allclose(np.linalg.inv(matrix) @ matrix, np.eye(3)), "numpy inverse")
        big = np.arange(200 * 200, dtype=float).reshape(200, 200) / 1e4
        expect(np.allclose(big @ np.eye(200), big), "numpy matrix product")
        expect(np.isclose(np.linalg.det(matrix), float(np.prod(np.linalg.eigvalsh(matrix)))), "det")
        self.checks["numpy"] = {"version": np.__version__, "blas": _blas_name(np)}
        yield 0

    def chart(self) -> Iterator[float]:
        import numpy as np
        import pyqtgraph as pg

        plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        plot.resize(640, 360)
        start = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
        hours = start + np.arange(0, 48) * 3600.0
        curve = pg.PlotDataItem(x=hours, y=np.sin(np.arange(48) / 6.0) * 10 + 11, pen="b")
        plot.addItem(curve)
        plot.addItem(pg.BarGraphItem(x=hours[::6], height=np.full(8, 5.0), width=1800, brush="g"))
        plot.show()
        yield 0.5
        image = plot.grab().toImage()
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        image.save(str(self.out / "chart.png"))
        # The plot's menu offers Transforms -> Power spectrum: numpy.fft must be there.
        curve.setFftMode(True)
        yield 0.2
        expect(curve.getData()[0] is not None, "FFT mode drew nothing")
        plot.close()
        self.checks["chart colours"] = len(colours)
        expect(len(colours) > 3, f"the chart drew nothing ({len(colours)} colours)")

    def tabs(self) -> Iterator[float]:
        tabs = self.window.tabs
        opened = []
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield 0.5
            widget = tabs.currentWidget()
            if hasattr(widget, "build"):  # a DeferredView: its real view, or its error
                widget.build()
                yield 0.5
            image = widget.grab().toImage()
            expect(not image.isNull(), f"tab {tabs.tabText(index)} drew nothing")
            image.save(str(self.out / f"tab-{index:02}.png"))
            inner = getattr(widget, "view", None) or widget
            opened.append(f"{tabs.tabText(index)} ({type(inner).__name__})")
        self.checks["tabs"] = opened
        display = self.window.open_customer_display()
        yield 0.5
        expect(not display.grab().toImage().isNull(), "the customer display drew nothing")
        display.close()

    def report_pdf(self) -> Iterator[float]:
        view = self.window.reports
        self.window.tabs.setCurrentWidget(self.window.reports_tab)
        yield from self.wait("the report", lambda: view.report is not None)
        path = self.out / "report.pdf"
        view.ask_pdf_path = lambda *_args: path
        written = view.export_pdf()
        expect(written == path and path.read_bytes().startswith(b"%PDF"), "no report PDF")
        self.checks["report pdf"] = path.stat().st_size
        yield 0

    def receipt_pdf(self) -> Iterator[float]:
        from PySide6.QtPrintSupport import QPrinter

        from app.ui.reports.receipt_print import print_receipt, write_receipt_pdf

        receipt = sample_receipt()
        zone = ZoneInfo("Europe/Stockholm")
        path = self.out / "receipt.pdf"
        expect(write_receipt_pdf(receipt, zone, path), "write_receipt_pdf said no")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printed = self.out / "receipt-printed.pdf"
        printer.setOutputFileName(str(printed))
        expect(print_receipt(receipt, zone, printer), "print_receipt said no")
        for pdf in (path, printed):
            expect(pdf.read_bytes().startswith(b"%PDF"), f"{pdf.name} is no PDF")
        self.checks["receipt pdf"] = [path.stat().st_size, printed.stat().st_size]
        yield 0


def _blas_name(np: Any) -> str:
    try:
        config = np.show_config(mode="dicts")
        return str(config["Build Dependencies"]["blas"].get("name", "none"))
    except Exception:  # the layout of numpy's build information is not a promise
        return "unknown"


def sample_receipt() -> Any:
    from app.domain.payments import PaymentMethod
    from app.domain.receipts import Receipt, ReceiptLine, ReceiptSession, Seller, VatBreakdown

    started = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
    return Receipt(
        number=4711,
        issued_at=started + timedelta(hours=2),
        seller=Seller("Laddgården AB", "556677-8899", "Storgatan 1, 111 22 Stockholm"),
        payment_id=1,
        method=PaymentMethod.CARD,
        currency="SEK",
        total_minor=12500,
        lines=(ReceiptLine("Energi 25,0 kWh", 12500),),
        vat=(VatBreakdown(2500, 10000, 2500),),
        session=ReceiptSession(7, "CP-1", started, started + timedelta(hours=1, minutes=40), 25000),
        card_brand="visa",
        card_last4="4242",
    )
