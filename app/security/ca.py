"""Certificates for wss://: our own small CA, server and station certificates, and checks.

Pure functions over PEM bytes; `files` decides where they live. The rules follow the
OCPP 1.6 security whitepaper (TLS server certificate with the host in it, keys of at
least 2048 bits RSA or 224 bits EC) and what charger TLS stacks copy from browsers
(server certificates of at most 398 days, host names only from subjectAltName).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.domain.errors import InvalidInput

CA_DAYS = 3650
# The CA/Browser Forum limit (398 days); many charger TLS stacks enforce it too.
SERVER_DAYS_MAX = 398
SERVER_DAYS = 397
STATION_DAYS = 730
RSA_BITS = 3072
MIN_RSA_BITS = 2048
MIN_EC_BITS = 224
# Issued certificates start an hour early: a charger whose clock is a little behind
# must not find a brand-new certificate "not yet valid".
BACKDATE = timedelta(hours=1)
DEFAULT_CA_NAME = "ChargeDesk local CA"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """What an operator needs to see of a certificate (never the key)."""

    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    hosts: tuple[str, ...]
    is_ca: bool
    key: str
    sha256: str

    def expired(self, now: datetime) -> bool:
        return now >= self.not_after

    def days_left(self, now: datetime) -> int:
        return max(0, (self.not_after - now).days)


# ---- making ---------------------------------------------------------------------


def new_key(*, use_rsa: bool = False) -> PrivateKey:
    """EC P-256 by default (the whitepaper's ECDHE-ECDSA suites); RSA 3072 for old chargers."""
    if use_rsa:
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def create_ca(
    common_name: str = DEFAULT_CA_NAME, *, use_rsa: bool = False, now: datetime | None = None
) -> tuple[bytes, bytes]:
    """A ten-year CA that may sign end-entity certificates only; (certificate, key) as PEM."""
    common_name = common_name.strip()
    if not 1 <= len(common_name) <= 64:
        raise InvalidInput("a CA name has 1 to 64 characters")
    start = (now or datetime.now(UTC)) - BACKDATE
    key = new_key(use_rsa=use_rsa)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ChargeDesk"),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem(key)


def issue_server(
    ca_cert_pem: bytes,
    ca_key_pem: bytes,
    hosts: Sequence[str],
    *,
    days: int = SERVER_DAYS,
    use_rsa: bool = False,
    now: datetime | None = None,
) -> tuple[bytes, bytes]:
    """A server certificate for these host names and addresses; (certificate, key) as PEM.

    The first host is also the common name (OCTT TC_086 looks for the FQDN there).
    """
    names = normalise_hosts(hosts)
    if not names:
        raise InvalidInput("name at least one host name or IP address the chargers connect to")
    if not 1 <= days <= SERVER_DAYS_MAX:
        raise InvalidInput(f"a server certificate lasts 1 to {SERVER_DAYS_MAX} days")
    key = new_key(use_rsa=use_rsa)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    builder = x509.CertificateBuilder().add_extension(
        x509.SubjectAlternativeName([_general_name(h) for h in names]), critical=False
    )
    cert = _signed(
        builder,
        ca_cert_pem,
        ca_key_pem,
        subject,
        key,
        days,
        ExtendedKeyUsageOID.SERVER_AUTH,
        now,
    )
    return cert, key_pem(key)


def issue_station(
    ca_cert_pem: bytes,
    ca_key_pem: bytes,
    station_id: str,
    *,
    days: int = STATION_DAYS,
    use_rsa: bool = False,
    now: datetime | None = None,
) -> tuple[bytes, bytes]:
    """A client certificate for security profile 3: common name = the station id."""
    station_id = station_id.strip()
    if not 1 <= len(station_id) <= 64 or "/" in station_id:
        raise InvalidInput("a station id in a certificate has 1 to 64 characters and no '/'")
    if not 1 <= days <= CA_DAYS:
        raise InvalidInput(f"a station certificate lasts 1 to {CA_DAYS} days")
    key = new_key(use_rsa=use_rsa)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, station_id)])
    cert = _signed(
        x509.CertificateBuilder(),
        ca_cert_pem,
        ca_key_pem,
        subject,
        key,
        days,
        ExtendedKeyUsageOID.CLIENT_AUTH,
        now,
    )
    return cert, key_pem(key)


def _signed(
    builder: x509.CertificateBuilder,
    ca_cert_pem: bytes,
    ca_key_pem: bytes,
    subject: x509.Name,
    key: PrivateKey,
    days: int,
    purpose: x509.ObjectIdentifier,
    now: datetime | None,
) -> bytes:
    ca_cert = load_certificates(ca_cert_pem)[0]
    ca_key = load_key(ca_key_pem)
    if not _same_key(ca_cert, ca_key):
        raise InvalidInput("the CA key does not belong to the CA certificate")
    moment = now or datetime.now(UTC)
    if moment >= ca_cert.not_valid_after_utc:
        raise InvalidInput("the CA certificate has expired: create a new CA")
    start = moment - BACKDATE
    # Never past the CA's own end: the chain would stop validating before the leaf does.
    end = min(start + timedelta(days=days), ca_cert.not_valid_after_utc)
    public = key.public_key()
    cert = (
        builder.subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(encipher=isinstance(key, rsa.RSAPrivateKey)), critical=True)
        .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def _usage(*, cert_sign: bool = False, encipher: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=encipher,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


# ---- reading and checking -----------------------------------------------------------


def load_certificates(pem: bytes) -> list[x509.Certificate]:
    """The certificates of a PEM file, leaf first (a chain may follow it)."""
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise InvalidInput("not a PEM certificate (expected -----BEGIN CERTIFICATE-----)") from None
    return certs


def load_key(pem: bytes) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError:
        raise InvalidInput(
            "the private key is protected by a passphrase: export it without one "
            "(ChargeDesk keeps it readable only by this user)"
        ) from None
    except ValueError:
        raise InvalidInput("not a PEM private key (expected -----BEGIN PRIVATE KEY-----)") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise InvalidInput("chargers support RSA and EC (ECDSA) keys only")
    return key


def describe(cert_pem: bytes) -> CertificateInfo:
    """The first certificate of a PEM file, as the operator sees it."""
    return _info(load_certificates(cert_pem)[0])


def check_server(
    cert_pem: bytes, key_pem: bytes, hosts: Sequence[str], *, now: datetime | None = None
) -> CertificateInfo:
    """An operator's certificate and key, checked for serving wss:// to these hosts.

    Raises InvalidInput naming the first thing wrong: the key does not match, the
    certificate is a CA, not yet or no longer valid, its key too weak, or a host
    the chargers use is not among its subjectAltNames.
    """
    leaf = load_certificates(cert_pem)[0]
    key = load_key(key_pem)
    if not _same_key(leaf, key):
        raise InvalidInput("the private key does not belong to the certificate")
    _check_strength(leaf)
    if _is_ca(leaf):
        raise InvalidInput("this is a CA certificate; import the server certificate it issued")
    moment = now or datetime.now(UTC)
    if moment < leaf.not_valid_before_utc:
        raise InvalidInput(
            f"the certificate is not valid before {leaf.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
        )
    if moment >= leaf.not_valid_after_utc:
        raise InvalidInput(
            f"the certificate expired on {leaf.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
        )
    sans = _sans(leaf)
    if not sans:
        raise InvalidInput(
            "the certificate has no subjectAltName: TLS clients ignore the common name, "
            "so no charger could check it"
        )
    for host in normalise_hosts(hosts):
        if not covers(sans, host):
            raise InvalidInput(
                f"the certificate does not cover {host!r} (it names {', '.join(sans)})"
            )
    return _info(leaf)


def normalise_hosts(hosts: Sequence[str]) -> list[str]:
    """Host names (lower case) and IP addresses, each once, in the order given."""
    names: list[str] = []
    for raw in hosts:
        host = raw.strip().lower().rstrip(".")
        if not host:
            continue
        try:
            host = str(ipaddress.ip_address(host.strip("[]")))
        except ValueError:
            labels = host.split(".")
            if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
                raise InvalidInput(f"{raw!r} is neither a host name nor an IP address") from None
        if host not in names:
            names.append(host)
    return names


def covers(sans: Sequence[str], host: str) -> bool:
    """Whether a subjectAltName list names this host (a wildcard stands for one label)."""
    for name in sans:
        if name == host:
            return True
        if name.startswith("*.") and not _is_ip(host):
            first, _, rest = host.partition(".")
            if first and rest == name[2:]:
                return True
    return False


def common_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def _info(cert: x509.Certificate) -> CertificateInfo:
    issuer = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    return CertificateInfo(
        subject=common_name(cert) or cert.subject.rfc4514_string(),
        issuer=str(issuer[0].value) if issuer else cert.issuer.rfc4514_string(),
        serial=f"{cert.serial_number:X}",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        hosts=tuple(_sans(cert)),
        is_ca=_is_ca(cert),
        key=_key_name(cert.public_key()),
        sha256=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
    )


def _sans(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    dns = [n.lower() for n in ext.get_values_for_type(x509.DNSName)]
    ips = [str(ip) for ip in ext.get_values_for_type(x509.IPAddress)]
    return dns + ips


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _same_key(cert: x509.Certificate, key: PrivateKey) -> bool:
    def spki(public: object) -> bytes:
        assert isinstance(public, ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
        return public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        return False
    return spki(public) == spki(key.public_key())


def _check_strength(cert: x509.Certificate) -> None:
    public = cert.public_key()
    if isinstance(public, rsa.RSAPublicKey) and public.key_size < MIN_RSA_BITS:
        raise InvalidInput(f"an RSA key needs at least {MIN_RSA_BITS} bits (OCPP whitepaper)")
    if isinstance(public, ec.EllipticCurvePublicKey) and public.curve.key_size < MIN_EC_BITS:
        raise InvalidInput(f"an EC key needs at least {MIN_EC_BITS} bits (OCPP whitepaper)")


def _key_name(public: object) -> str:
    if isinstance(public, rsa.RSAPublicKey):
        return f"RSA {public.key_size}"
    if isinstance(public, ec.EllipticCurvePublicKey):
        return f"EC {public.curve.name}"
    return type(public).__name__


def _general_name(host: str) -> x509.GeneralName:
    if _is_ip(host):
        return x509.IPAddress(ipaddress.ip_address(host))
    return x509.DNSName(host)
