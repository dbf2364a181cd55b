"""The TLS context wss:// is served with (security profiles 2 and 3), stdlib `ssl` only."""

from __future__ import annotations

import logging
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.errors import InvalidInput

log = logging.getLogger(__name__)

# TLS 1.2 suites: forward secret AEAD only. They include the whitepaper's
# ECDHE-ECDSA-AES128/256-GCM (an EC server key) and ECDHE-RSA-AES-GCM (an RSA key);
# its static-RSA suites (no forward secrecy) are left out on purpose. TLS 1.3 suites
# are all of this kind and are not affected by this string.
CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL"
WARN_BEFORE_EXPIRY = timedelta(days=30)


class TlsConfigError(ValueError):
    """The configured certificate, key or client CA cannot be used; says which and why."""


def server_context(
    cert: str, key: str, *, client_ca: str = "", require_client_cert: bool = False
) -> ssl.SSLContext:
    """TLS 1.2 or later with strong suites; with client_ca, stations may (or, with
    require_client_cert, must) show a certificate that CA issued (profile 3)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(CIPHERS)
    context.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE
    context.options |= ssl.OP_NO_RENEGOTIATION
    for label, path in (("certificate", cert), ("key", key)):
        if not Path(path).is_file():
            raise TlsConfigError(f"the OCPP TLS {label} {path!r} does not exist")
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise TlsConfigError(
            f"the OCPP TLS certificate {cert!r} and key {key!r} cannot be used: {exc}"
        ) from None
    if client_ca:
        try:
            context.load_verify_locations(cafile=client_ca)
        except (OSError, ssl.SSLError) as exc:
            raise TlsConfigError(f"the stations' CA {client_ca!r} cannot be read: {exc}") from None
        context.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_OPTIONAL
    elif require_client_cert:
        raise TlsConfigError("client certificates are required but no stations' CA is set")
    return context


def certificate_station_id(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> str | None:
    """The common name of the client certificate the TLS layer verified, or None."""
    if ssl_object is None:
        return None
    peer = ssl_object.getpeercert()
    if not peer:
        return None
    subject: Any = peer.get("subject", ())
    for rdn in subject:
        for attribute, value in rdn:
            if attribute == "commonName":
                return str(value)
    return ""


def warn_if_expiring(cert: str, now: datetime | None = None) -> None:
    """A log warning a month before the served certificate runs out, and once it has."""
    from app.security.ca import describe  # cryptography only when TLS is configured

    try:
        info = describe(Path(cert).read_bytes())
    except (OSError, InvalidInput) as exc:
        log.warning("could not read the OCPP TLS certificate %s: %s", cert, exc)
        return
    moment = now or datetime.now(UTC)
    if info.expired(moment):
        log.error(
            "the OCPP TLS certificate expired on %s: chargers will refuse to connect",
            info.not_after,
        )
    elif info.not_after - moment < WARN_BEFORE_EXPIRY:
        log.warning(
            "the OCPP TLS certificate expires on %s (in %d days): issue or import a new one",
            info.not_after,
            info.days_left(moment),
        )
