"""First run: where chargers should connect, how they are admitted, and a demo fleet.

Shown while the site has no stations; it steps aside (emits `dismissed`) as
soon as the first charger connects or is registered.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.config import UnknownStationPolicy
from app.domain import events as ev
from app.domain.overview import SiteOverview
from app.ui.engine_host import EngineHost
from app.ui.theme import ACCENT

PLACEHOLDER_ID = "<station id>"
ARRIVALS: tuple[type[ev.DomainEvent], ...] = (
    ev.StationConnected,
    ev.StationBooted,
    ev.StationAwaitingApproval,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Welcome", text)


def local_ipv4_addresses() -> list[str]:
    """Every IPv4 address of this machine's running interfaces, loopback excluded."""
    found: list[str] = []
    running = QNetworkInterface.InterfaceFlag.IsUp | QNetworkInterface.InterfaceFlag.IsRunning
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if (flags & running) != running or flags & QNetworkInterface.InterfaceFlag.IsLoopBack:
            continue
        for entry in interface.addressEntries():
            address = entry.ip()
            if (
                address.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv4Protocol
                and not address.isLoopback()
                and address.toString() not in found
            ):
                found.append(address.toString())
    return found


def server_addresses(bind_host: str) -> list[str]:
    """The addresses chargers can reach: all of ours when bound to every interface."""
    if bind_host in ("", "0.0.0.0", "::"):
        return local_ipv4_addresses()
    return [bind_host]


def charger_urls(addresses: list[str], port: int, path_prefix: str, station_id: str) -> list[str]:
    prefix = "/" + path_prefix.strip("/") if path_prefix.strip("/") else ""
    return [f"ws://{address}:{port}{prefix}/{station_id}" for address in addresses]


def _section(title: str, parent: QWidget) -> QLabel:
    label = QLabel(title, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


class WelcomePanel(QScrollArea):
    demo_requested = Signal()
    dismissed = Signal()

    def __init__(
        self, host: EngineHost, overview: SiteOverview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._overview = overview
        self.done = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget(self)
        self.setWidget(page)
        self.url_fields: list[QLineEdit] = []
        self.copy_buttons: list[QPushButton] = []

        title = QLabel(_tr("Welcome to ChargeDesk"), page)
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.9)
        title_font.setBold(True)
        title.setFont(title_font)
        lead = QLabel(
            _tr(
                "No charger has connected yet. In each charger's OCPP settings, enter one of "
                "the addresses below as the central system URL (OCPP 1.6J over WebSocket), "
                "ending in that charger's own id."
            ),
            page,
        )
        lead.setWordWrap(True)

        self.station_id = QLineEdit(page)
        self.station_id.setPlaceholderText(_tr("e.g. DEPOT-01 (optional)"))
        self.station_id.setMaxLength(255)
        self.station_id.textChanged.connect(lambda _t: self._show_urls())
        id_row = QHBoxLayout()
        id_row.addWidget(QLabel(_tr("Station id for the addresses:"), page))
        id_row.addWidget(self.station_id, 1)

        self.urls = QGridLayout()
        self.urls.setColumnStretch(0, 1)
        self.no_network = QLabel(page)
        self.no_network.setWordWrap(True)
        self.no_network.setStyleSheet("color: #e07b00;")

        security = QGridLayout()
        security.setHorizontalSpacing(16)
        security.setColumnStretch(1, 1)
        for row, (name, text) in enumerate(self.security_rows()):
            heading = QLabel(f"<b>{name}</b>", page)
            heading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            body = QLabel(text, page)
            body.setWordWrap(True)
            body.setTextFormat(Qt.TextFormat.RichText)
            security.addWidget(heading, row, 0)
            security.addWidget(body, row, 1)

        self.demo_button = QPushButton(_tr("Start demo fleet"), page)
        self.demo_button.setToolTip(_tr("Six simulated chargers connect to this server"))
        self.demo_button.setMinimumHeight(36)
        self.demo_button.setStyleSheet(
            f"QPushButton {{ background: {ACCENT}; color: white; border: none;"
            " border-radius: 6px; padding: 6px 18px; font-weight: 600; }"
            "QPushButton:disabled { background: palette(mid); }"
        )
        self.demo_button.clicked.connect(self._start_demo)
        demo_text = QLabel(
            _tr(
                "No charger at hand? Start six simulated chargers that connect to this "
                "server and charge vehicles, to see the control room at work."
            ),
            page,
        )
        demo_text.setWordWrap(True)
        demo_row = QHBoxLayout()
        demo_row.addWidget(demo_text, 1)
        demo_row.addWidget(self.demo_button)

        card = QFrame(page)
        card.setObjectName("welcomeCard")
        card.setStyleSheet(
            "QFrame#welcomeCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; }"
        )
        card.setFixedWidth(860)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(lead)
        inner.addSpacing(8)
        inner.addWidget(_section(_tr("Charger addresses"), card))
        inner.addLayout(id_row)
        inner.addLayout(self.urls)
        inner.addWidget(self.no_network)
        inner.addSpacing(8)
        inner.addWidget(_section(_tr("Security"), card))
        inner.addLayout(security)
        inner.addSpacing(8)
        inner.addWidget(_section(_tr("Try it"), card))
        inner.addLayout(demo_row)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(24, 32, 24, 24)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card)
        centre.addStretch(1)
        outer.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        self._addresses: list[str] = []
        self._build_urls()

    @staticmethod
    def is_first_run(overview: SiteOverview) -> bool:
        """Show the panel only on a site that has no station at all."""
        return not overview.stations()

    def addresses(self) -> list[str]:
        return server_addresses(self._host.settings.host)

    def url_texts(self) -> list[str]:
        return [field.text() for field in self.url_fields]

    def _build_urls(self) -> None:
        settings = self._host.settings
        addresses = self.addresses()
        note = ""
        if QHostAddress(settings.host).isLoopback():
            note = _tr(
                "The server listens only on this computer (host setting {host}), so chargers "
                "on the network cannot reach it. Set the host to 0.0.0.0 to serve the site."
            ).format(host=settings.host)
        elif not addresses:
            note = _tr(
                "This computer has no network address other than loopback, so no charger "
                "can reach it yet. Connect it to the site network; for a test on this "
                "computer itself use the address below."
            )
            addresses = ["127.0.0.1"]
        self.no_network.setText(note)
        self.no_network.setVisible(bool(note))
        self._addresses = addresses
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(mono.pointSizeF() * 1.1)
        page = self.widget()
        for row in range(len(addresses)):
            field = QLineEdit(page)
            field.setReadOnly(True)
            field.setFont(mono)
            field.setMinimumWidth(420)
            copy = QPushButton(_tr("Copy"), page)
            copy.setToolTip(_tr("Copy this address to the clipboard"))
            copy.clicked.connect(lambda _=False, f=field: self._copy(f.text()))
            self.urls.addWidget(field, row, 0)
            self.urls.addWidget(copy, row, 1)
            self.url_fields.append(field)
            self.copy_buttons.append(copy)
        self._show_urls()

    def _show_urls(self) -> None:
        settings = self._host.settings
        station_id = self.station_id.text().strip() or PLACEHOLDER_ID
        urls = charger_urls(self._addresses, self._host.port, settings.path_prefix, station_id)
        for field, url in zip(self.url_fields, urls, strict=True):
            field.setText(url)

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def security_rows(self) -> list[tuple[str, str]]:
        policy = self._host.settings.unknown_stations
        unknown = {
            UnknownStationPolicy.PENDING: _tr(
                "Held for your approval: they appear under <i>Pending stations</i> and may "
                "not charge until you accept them"
            ),
            UnknownStationPolicy.REJECT: _tr(
                "Refused: add each station by its id before it connects"
            ),
            UnknownStationPolicy.ACCEPT: _tr(
                "Accepted at once (meant for tests and demos, not for a real site)"
            ),
        }[policy]
        rows = [
            (_tr("Unknown chargers"), unknown),
            (
                _tr("Passwords"),
                _tr(
                    "Not required for a station without one. When you accept a station you "
                    "can give it a password; it must then log in with it (HTTP Basic "
                    "authentication, OCPP security profile 1)"
                ),
            ),
            (
                _tr("Encryption"),
                _tr("None (ws://): keep chargers on a closed site network or a VPN"),
            ),
        ]
        return [(name, text + ".") for name, text in rows]

    def _start_demo(self) -> None:
        self.demo_button.setEnabled(False)
        self.demo_button.setText(_tr("Demo fleet starting…"))
        self.demo_requested.emit()

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if not self.done and any(isinstance(e, ARRIVALS) for e in batch):
            self.done = True
            self.hide()
            self.dismissed.emit()
