"""Starts the control room: Qt + qasync on this thread, the engine on its own."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.bootstrap import settle_heap
from app.config import Settings
from app.services.overview import load_overview
from app.ui.bridge import EventBridge
from app.ui.engine_host import EngineHost, EngineStartError
from app.ui.i18n import translations_dir
from app.ui.icons import app_icon
from app.ui.main_window import MainWindow
from app.ui.operations import ensure_delivery
from app.ui.sign_in import OperatorSession
from app.ui.theme import follow_system_theme
from app.ui.views.graph_ranges import DEFAULT_RANGE, RANGES

log = logging.getLogger(__name__)


def install_translations(app: QApplication, language: str | None = None) -> list[QTranslator]:
    """Follow the system language unless told otherwise; English needs no file."""
    locale = QLocale(language) if language else QLocale.system()
    QLocale.setDefault(locale)
    kept = []
    for name, directory in (
        ("chargedesk", str(translations_dir())),
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", directory):
            app.installTranslator(translator)
            kept.append(translator)
    return kept


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("ChargeDesk")
    QCoreApplication.setApplicationName("ChargeDesk")
    return QApplication(argv if argv is not None else sys.argv)


def open_control_room(host: EngineHost) -> MainWindow:
    """Build the window over a running engine (used by run_gui and the tests)."""
    ensure_delivery()
    bridge = EventBridge(host)  # subscribe first: nothing is missed while loading
    overview = host.submit(lambda s: load_overview(s.stations, s.transactions)).result(30)
    window = MainWindow(host, bridge, overview)
    bridge.setParent(window)
    return window


def run_gui(settings: Settings, demo: int = 0, language: str | None = None) -> int:
    import qasync

    app = create_application()
    app.setWindowIcon(app_icon())
    follow_system_theme(app)
    install_translations(app, language)
    host = EngineHost(settings)
    try:
        host.start()
    except EngineStartError as exc:
        log.error("cannot start the engine: %s", exc)
        QMessageBox.critical(
            None,
            QCoreApplication.translate("App", "ChargeDesk cannot start"),
            QCoreApplication.translate("App", "The engine could not start:\n{reason}").format(
                reason=exc
            ),
        )
        return 1
    session = OperatorSession(host, settings.operator_idle_minutes)
    if not session.begin():  # the sign-in was closed: quit without opening the room
        host.stop()
        return 0
    # The graphs tab's live range, read ahead on the engine while the window opens.
    span = RANGES[DEFAULT_RANGE]
    host.submit(lambda s: s.history.warm(datetime.now(UTC), span))
    window = open_control_room(host)
    window.use_session(session)
    window.show()
    settle_heap()
    if demo:
        window.start_demo(demo)
    # Ctrl+C or SIGTERM close the window like the operator would: clean shutdown.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _sig, _frame: QTimer.singleShot(0, window.close))
    wake = QTimer(window)  # lets Python run its signal handlers while Qt waits
    wake.start(250)
    wake.timeout.connect(lambda: None)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(window.closed.wait())
    wake.stop()
    window.deleteLater()
    app.processEvents()
    return 0
