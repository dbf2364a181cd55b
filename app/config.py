"""Settings: defaults → settings file in the user config dir → environment → command line."""

from __future__ import annotations

import contextlib
import logging
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_dir, user_data_dir, user_log_dir

from app.domain.access import UnknownTagPolicy

APP_NAME = "ChargeDesk"
ENV_PREFIX = "CHARGEDESK_"


class UnknownStationPolicy(StrEnum):
    PENDING = "pending"  # admit, answer BootNotification Pending, list for approval
    REJECT = "reject"  # refuse at the websocket handshake
    ACCEPT = "accept"  # admit and accept at once (labs and demos)


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "0.0.0.0"
    port: int = 9000
    path_prefix: str = "/ocpp"
    db_url: str = ""
    unknown_stations: UnknownStationPolicy = UnknownStationPolicy.PENDING
    # What a charger is told about a tag nobody registered: "reject", or "walk_in"
    # (accepted; the desk takes payment). Unset follows the older accept_unknown_tags.
    unknown_tags: UnknownTagPolicy | None = None
    accept_unknown_tags: bool = False
    # The sites' time zone for access rules (an IANA name); empty: this computer's zone.
    site_time_zone: str = ""
    # Keep stations' local authorization lists and caches in step with access
    # changes (SendLocalList, ClearCache), this many seconds after the last change.
    local_auth_sync: bool = True
    local_auth_sync_delay: float = 1.0
    # A tag blocked while it charges: stop the session (RemoteStopTransaction) or let it finish.
    stop_on_block: bool = False
    heartbeat_interval: int = 300
    # Interval a Pending or Rejected station waits before booting again.
    boot_retry_interval: int = 60
    command_timeout: float = 30.0
    # A station is Offline when nothing arrived within this many heartbeat intervals.
    offline_after_intervals: float = 2.0
    # An open transaction on a station silent this long is flagged as suspect.
    suspect_transaction_after: float = 6 * 3600.0
    max_frame_bytes: int = 64 * 1024
    # A charger must finish its TLS and websocket handshakes within this many seconds
    # (slow-loris clients are cut off), and one remote address may hold at most this many
    # connections at once, handshakes under way included (0: no limit). Chargers behind
    # one NAT router share an address: list it (comma-separated) among the exempt ones,
    # as this machine's own simulators and demo fleet are by default.
    ocpp_handshake_timeout: float = 10.0
    ocpp_max_connections_per_address: int = 100
    ocpp_connection_limit_exempt: str = "127.0.0.1,::1"
    # The control room locks after this many minutes without a key press or a click,
    # once operator accounts exist (0: never).
    operator_idle_minutes: float = 15.0
    frame_log_enabled: bool = True
    frame_log_retention_days: float = 14.0
    # Failed password attempts from one address before it is throttled, and for how long.
    auth_failures_before_throttle: int = 5
    auth_throttle_seconds: float = 60.0
    # Sustained messages per second one station may send before it is slowed down.
    station_message_rate: float = 50.0
    websocket_ping_interval: float | None = 60.0
    # User interface language ("en", "sv"); empty follows the system.
    language: str = ""
    # How often the engine checks for silent stations and suspect transactions.
    supervise_every: float = 5.0
    # The local HTTP API (docs/api.md). Loopback unless told otherwise: binding
    # beyond it needs TLS (a certificate and key) or api_allow_plain_remote.
    api_enabled: bool = True
    api_host: str = "127.0.0.1"
    api_port: int = 9001
    api_tls_cert: str = ""
    api_tls_key: str = ""
    api_allow_plain_remote: bool = False
    # The site's currency (ISO 4217) for payments, and the seller on every receipt.
    currency: str = "SEK"
    seller_name: str = "ChargeDesk charging"
    seller_org_number: str = ""
    seller_address: str = ""
    # Cash in the drawer when the day opens, in minor units (for the Z-report).
    cash_opening_float_minor: int = 0
    # Card and QR payments through Stripe (the secret key lives in the OS keyring).
    # stripe_api_base: empty for Stripe itself; a test stand-in's address otherwise.
    stripe_api_base: str = ""
    # The Terminal reader the desk takes cards on (its Stripe id, e.g. tmr_...).
    desk_reader_id: str = ""
    # Seconds a reader waits for the customer's card before the attempt is withdrawn.
    card_wait_seconds: float = 90.0
    # A QR payment link lasts this long (Stripe allows 30 minutes to 24 hours).
    qr_expiry_minutes: int = 30
    # Pay before charging: the hold placed on a walk-in driver's card, in minor units,
    # and how long the driver has to plug in once the hold is placed.
    preauth_hold_minor: int = 30000
    preauth_plug_in_seconds: float = 180.0
    # How a hold follows its session: the first pause before Stripe is asked again after
    # a failed capture or release (doubling to a minute), how long a stopped session's
    # final price is waited for, and how often live prices are checked between readings.
    preauth_retry_seconds: float = 5.0
    preauth_price_wait_seconds: float = 60.0
    preauth_check_seconds: float = 30.0
    # OCPP security profile 2 (docs/security.md): with a certificate and key, chargers
    # connect over wss:// on ocpp_tls_port; passwords are still checked on top. With
    # ocpp_plain_ws off, the plain port stays open only to refuse (and log) ws:// chargers.
    # One switch for the whole installation: sites here are floor plans, not networks.
    ocpp_tls_cert: str = ""
    ocpp_tls_key: str = ""
    ocpp_tls_port: int = 9443
    ocpp_plain_ws: bool = True
    # Profile 3: the CA whose client certificates stations may show (common name = the
    # station id), and whether every wss:// station must show one.
    ocpp_tls_client_ca: str = ""
    ocpp_tls_require_client_cert: bool = False
    # Online backups of the SQLite database (docs/backups.md): every this many hours
    # (0: only on demand), the newest backup_keep kept, in backup_dir (empty: a
    # `backups` folder beside the database; another disk is safer).
    backup_every_hours: float = 24.0
    backup_keep: int = 14
    backup_dir: str = ""
    # Meter samples are kept as sent for this many days; every sample is also rolled up
    # into 15-minute buckets (means, peaks, first and last readings) that give the same
    # report figures. 31 keeps the graphs' 30-day range whole (it reads raw samples).
    raw_samples_days: int = 31
    log_dir: str = field(default_factory=lambda: user_log_dir(APP_NAME, appauthor=False))

    @property
    def unknown_tag_policy(self) -> UnknownTagPolicy:
        if self.unknown_tags is not None:
            return self.unknown_tags
        return UnknownTagPolicy.WALK_IN if self.accept_unknown_tags else UnknownTagPolicy.REJECT

    def with_overrides(self, **values: Any) -> Settings:
        clean = {k: v for k, v in values.items() if v is not None}
        return replace(self, **clean)


def site_zone(settings: Settings) -> tzinfo:
    """The zone access rules are read in: site_time_zone, else this computer's own."""
    if settings.site_time_zone:
        return ZoneInfo(settings.site_time_zone)
    named = os.environ.get("TZ", "").lstrip(":")
    if named:
        with contextlib.suppress(ValueError, ZoneInfoNotFoundError):
            return ZoneInfo(named)
    # Linux and macOS: /etc/localtime links into the zone database.
    target = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in target:
        with contextlib.suppress(ValueError, ZoneInfoNotFoundError):
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
    # A fixed offset follows no daylight saving time: better than nothing, but say so.
    logging.getLogger(__name__).warning(
        "could not tell this computer's time zone; access rules use UTC%s until "
        "site_time_zone is set",
        datetime.now().astimezone().strftime("%z"),
    )
    return datetime.now().astimezone().tzinfo or UTC


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'chargedesk.sqlite3'}"


def settings_file() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.toml"


def _coerce(name: str, raw: Any, target: Any) -> Any:
    annotation = str(target)
    if "UnknownStationPolicy" in annotation:
        return UnknownStationPolicy(str(raw).lower())
    if "UnknownTagPolicy" in annotation:
        text = str(raw).strip().lower()
        if not text:
            return None
        try:
            return UnknownTagPolicy(text)
        except ValueError:
            choices = ", ".join(p.value for p in UnknownTagPolicy)
            raise ValueError(f"{name}: {raw!r} is not one of {choices}") from None
    if annotation.startswith("bool"):
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in {"1", "true", "yes", "on"}
    if annotation.startswith("int"):
        return int(raw)
    if annotation.startswith("float"):
        if raw in ("", "none", "None"):
            return None
        return float(raw)
    return str(raw)


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Layer the settings file and CHARGEDESK_* environment variables over the defaults."""
    settings = Settings()
    values: dict[str, Any] = {}
    path = path or settings_file()
    if path.is_file():
        with path.open("rb") as fh:
            values.update(tomllib.load(fh))
    env = os.environ if environ is None else environ
    known = {f.name: f.type for f in fields(Settings)}
    for name in known:
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = env[key]
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    coerced = {k: _coerce(k, v, known[k]) for k, v in values.items()}
    settings = replace(settings, **coerced)
    if not settings.db_url:
        settings = replace(settings, db_url=default_db_url())
    if settings.site_time_zone:
        try:
            ZoneInfo(settings.site_time_zone)
        except (ValueError, ZoneInfoNotFoundError):
            raise ValueError(
                f"site_time_zone: {settings.site_time_zone!r} is not a time zone "
                "(an IANA name such as Europe/Stockholm)"
            ) from None
    return settings
