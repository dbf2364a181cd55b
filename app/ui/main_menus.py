"""The control room's menus and the dialogs they open (File, View, Help).

A base of MainWindow, kept apart so the window itself holds only its views.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QProcess, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QMessageBox, QWidget

from app import __version__
from app.demo import DemoFleetThread, prepare_demo
from app.domain.operators import Role
from app.ui.engine_host import EngineHost
from app.ui.icons import icon
from app.ui.operations import EngineOp
from app.ui.sign_in import OperatorSession
from app.ui.views.site_map import SiteMapView

log = logging.getLogger(__name__)

DEMO_STATIONS = 6


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainMenus(QMainWindow):
    host: EngineHost
    session: OperatorSession | None = None
    demo: DemoFleetThread | None
    site_map: SiteMapView

    def _build_menus(self, open_customer_display: Callable[[], object]) -> None:
        file_menu = self.menuBar().addMenu(_tr("&File"))
        self.demo_action = QAction(icon("demo"), _tr("Start &demo fleet"), self)
        self.demo_action.triggered.connect(lambda: self.start_demo(DEMO_STATIONS))
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        self.access_settings_action = self._action(
            file_menu, _tr("&Access settings…"), self.open_access_settings
        )
        self.payment_settings_action = self._action(
            file_menu, _tr("&Payment settings…"), self.open_payment_settings
        )
        file_menu.addSeparator()
        self.settlement_action = self._action(
            file_menu, _tr("&End of day (Z-report)…"), self.open_settlement
        )
        self.backups_action = self._action(file_menu, _tr("&Backups…"), self.open_backups)
        file_menu.addSeparator()
        self.operators_action = self._action(file_menu, _tr("&Operators…"), self.open_operators)
        self.audit_action = self._action(file_menu, _tr("Au&dit log…"), self.open_audit_log)
        self.own_password_action = self._action(
            file_menu, _tr("C&hange my password…"), self.open_own_password
        )
        self.switch_user_action = self._action(file_menu, _tr("&Switch user…"), self.switch_user)
        self.switch_user_action.setShortcut(QKeySequence("Ctrl+L"))
        file_menu.addSeparator()
        quit_action = QAction(icon("quit"), _tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(_tr("&View"))
        self.customer_display_action = self._action(
            view_menu, _tr("&Customer display"), open_customer_display
        )
        self.customer_display_action.setShortcut(QKeySequence("F11"))
        help_menu = self.menuBar().addMenu(_tr("&Help"))
        self._action(help_menu, _tr("&About ChargeDesk"), self._about)

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    # ---- what the menus open ------------------------------------------------------

    def open_access_settings(self) -> QWidget:
        """Unknown tags, blocking while charging, the site's time zone, local lists."""
        from app.ui.dialogs.access_settings import open_access_settings

        return open_access_settings(self, self.host)

    def open_payment_settings(self) -> QWidget:
        """The Stripe key (kept in the OS keyring), readers, the hold, the seller."""
        from app.ui.dialogs.payment_settings import open_payment_settings

        return open_payment_settings(self, self.host)

    def open_settlement(self) -> QWidget:
        from app.ui.dialogs.settlement import open_settlement

        return open_settlement(self, self.host)

    def open_backups(self) -> QWidget:
        from app.ui.dialogs.backup_restore import open_backup_restore

        return open_backup_restore(
            self, self.host, self.host.engine.backups, after_restart=self._restored
        )

    def open_operators(self) -> QWidget:
        """Operator accounts and roles (admins; the services refuse anyone else)."""
        from app.ui.dialogs.operators import OperatorsDialog

        return self._show(OperatorsDialog(self.host, self))

    def open_audit_log(self) -> QWidget:
        from app.ui.dialogs.audit_log import AuditLogDialog

        return self._show(AuditLogDialog(self.host, self))

    def open_own_password(self) -> QWidget:
        from app.ui.dialogs.own_password import OwnPasswordDialog

        return self._show(OwnPasswordDialog(self.host, self))

    def _show(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def use_session(self, session: OperatorSession) -> None:
        """Show who is signed in, and let File ▸ Switch user hand over the desk."""
        self.session = session
        session.attach(self)
        label = QLabel(self)
        label.setObjectName("signedIn")
        self.statusBar().insertPermanentWidget(0, label)

        def show() -> None:
            label.setText(session.describe())
            self.own_password_action.setEnabled(session.operator is not None)
            # The services refuse anyone else anyway; the menu does not offer it.
            actor = self.host.actor
            for action, needed in (
                (self.operators_action, Role.ADMIN),
                (self.audit_action, Role.ADMIN),
                (self.backups_action, Role.ADMIN),
                (self.access_settings_action, Role.MANAGER),
                (self.payment_settings_action, Role.MANAGER),
            ):
                action.setEnabled(actor is not None and actor.role.covers(needed))

        session.changed.connect(show)
        show()

    def switch_user(self) -> None:
        if self.session is None:
            return
        self.session.switch_user()
        if not self.session.accounts:
            QMessageBox.information(
                self,
                _tr("Switch user"),
                _tr(
                    "There are no operator accounts yet, so nobody signs in. "
                    "An admin adds them in File ▸ Operators."
                ),
            )

    def _restored(self) -> None:
        """Every screen holds what it read from the replaced database: start afresh."""
        QMessageBox.information(
            self,
            _tr("Backup restored"),
            _tr("The backup is restored. The control room starts again to show it."),
        )
        if relaunch():
            self.close()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            _tr("About ChargeDesk"),
            _tr("ChargeDesk {version}\nControl room and OCPP central system.").format(
                version=__version__
            ),
        )

    def start_demo(self, count: int) -> None:
        """Start simulated chargers against our own server (the demo site)."""
        if self.demo is not None and self.demo.running:
            return
        self.demo_action.setEnabled(False)
        url = f"ws://127.0.0.1:{self.host.port}{self.host.settings.path_prefix}"

        def started(_: None) -> None:
            self.site_map.create_sample_site = True
            self.site_map.reload()
            self.demo = DemoFleetThread(url, count)
            self.demo.start()
            self.statusBar().showMessage(
                _tr("Demo fleet of {n} chargers started").format(n=count), 5000
            )

        def failed(message: str, _exc: BaseException) -> None:
            self.demo_action.setEnabled(True)
            QMessageBox.warning(self, _tr("Demo fleet"), message)

        EngineOp(self.host, lambda s: prepare_demo(s, count)).success(started).failure(failed).run()


def relaunch() -> bool:
    """Start this program again as it was started (the old one then closes)."""
    frozen = bool(getattr(sys, "frozen", False))
    arguments = sys.argv[1:] if frozen else sys.argv
    started = QProcess.startDetached(sys.executable, arguments)
    ok = bool(started[0] if isinstance(started, tuple) else started)
    if not ok:
        log.error("could not start ChargeDesk again; start it by hand")
    return ok
