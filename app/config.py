"""Settings: defaults → settings file in the user config dir → environment → command line."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir, user_log_dir

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
    accept_unknown_tags: bool = False
    heartbeat_interval: int = 300
    # Interval a Pending or Rejected station waits before booting again.
    boot_retry_interval: int = 60
    command_timeout: float = 30.0
    # A station is Offline when nothing arrived within this many heartbeat intervals.
    offline_after_intervals: float = 2.0
    # An open transaction on a station silent this long is flagged as suspect.
    suspect_transaction_after: float = 6 * 3600.0
    max_frame_bytes: int = 64 * 1024
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
    log_dir: str = field(default_factory=lambda: user_log_dir(APP_NAME, appauthor=False))

    def with_overrides(self, **values: Any) -> Settings:
        clean = {k: v for k, v in values.items() if v is not None}
        return replace(self, **clean)


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
    return settings
