"""Certificate rules for wss://: our CA, server and station certificates, operator imports."""

from __future__ import annotations

import logging
import ssl
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from app.domain.errors import InvalidInput, NotFound
from app.security import ca
from app.security.files import CertificateFiles
from app.security.tls import TlsConfigError, server_context, warn_if_expiring

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def authority() -> tuple[bytes, bytes]:
    return ca.create_ca(now=NOW)


@pytest.fixture(scope="module")
def server(authority: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    return ca.issue_server(*authority, ["Depot.Example.org", "192.168.1.10"], now=NOW)


def _cert(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


# ---- the CA ------------------------------------------------------------------------------


def test_ca_is_a_ten_year_ec_p256_ca_that_signs_only_end_entities(
    authority: tuple[bytes, bytes],
) -> None:
    info = ca.describe(authority[0])
    assert info.is_ca
    assert info.key == "EC secp256r1"
    assert info.subject == info.issuer == ca.DEFAULT_CA_NAME
    assert (info.not_after - info.not_before).days == ca.CA_DAYS
    constraints = _cert(authority[0]).extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.path_length == 0


def test_ca_may_be_rsa_3072_for_chargers_without_ecdsa() -> None:
    info = ca.describe(ca.create_ca("Depot CA", use_rsa=True, now=NOW)[0])
    assert info.key == "RSA 3072"
    assert info.subject == "Depot CA"


def test_a_ca_name_must_not_be_empty() -> None:
    with pytest.raises(InvalidInput, match="CA name"):
        ca.create_ca("  ")


# ---- server certificates -------------------------------------------------------------------


def test_server_certificate_names_every_host_and_is_signed_by_the_ca(
    authority: tuple[bytes, bytes], server: tuple[bytes, bytes]
) -> None:
    info = ca.describe(server[0])
    assert info.hosts == ("depot.example.org", "192.168.1.10")
    assert info.subject == "depot.example.org"  # CN = the FQDN (TC_086)
    assert info.issuer == ca.DEFAULT_CA_NAME
    assert not info.is_ca
    assert info.not_before == NOW - ca.BACKDATE
    assert (info.not_after - info.not_before).days == ca.SERVER_DAYS <= 398
    _cert(server[0]).verify_directly_issued_by(_cert(authority[0]))
    usage = _cert(server[0]).extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in usage.value


@pytest.mark.parametrize("days", [0, 399, 3650])
def test_server_certificates_last_at_most_398_days(
    authority: tuple[bytes, bytes], days: int
) -> None:
    with pytest.raises(InvalidInput, match="398 days"):
        ca.issue_server(*authority, ["depot.local"], days=days, now=NOW)


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        ([], "at least one host"),
        (["  "], "at least one host"),
        (["bad host"], "neither a host name"),
        (["-depot.local"], "neither a host name"),
        (["*.depot.local"], "neither a host name"),
    ],
)
def test_server_hosts_must_be_names_or_addresses(
    authority: tuple[bytes, bytes], hosts: list[str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        ca.issue_server(*authority, hosts, now=NOW)


def test_hosts_are_normalised_and_named_once() -> None:
    assert ca.normalise_hosts(["Depot.local.", "depot.local", "[::1]", "10.0.0.1"]) == [
        "depot.local",
        "::1",
        "10.0.0.1",
    ]


def test_an_expired_ca_issues_nothing(authority: tuple[bytes, bytes]) -> None:
    later = NOW + timedelta(days=ca.CA_DAYS + 1)
    with pytest.raises(InvalidInput, match="CA certificate has expired"):
        ca.issue_server(*authority, ["depot.local"], now=later)


def test_a_leaf_never_outlives_its_ca(authority: tuple[bytes, bytes]) -> None:
    near_end = NOW + timedelta(days=ca.CA_DAYS - 10)
    cert, _key = ca.issue_server(*authority, ["depot.local"], now=near_end)
    assert ca.describe(cert).not_after == ca.describe(authority[0]).not_after


def test_a_station_certificate_carries_the_station_id(authority: tuple[bytes, bytes]) -> None:
    cert, _key = ca.issue_station(*authority, "CP-0001", now=NOW)
    info = ca.describe(cert)
    assert info.subject == "CP-0001"
    usage = _cert(cert).extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH in usage.value
    with pytest.raises(InvalidInput, match="station id"):
        ca.issue_station(*authority, "a/b", now=NOW)
    rsa_cert, _key = ca.issue_station(*authority, "CP-0002", use_rsa=True, now=NOW)
    assert ca.describe(rsa_cert).key == "RSA 3072"


# ---- importing an operator's certificate --------------------------------------------------


def test_a_good_certificate_is_accepted_for_its_hosts(server: tuple[bytes, bytes]) -> None:
    info = ca.check_server(*server, ["depot.example.org", "192.168.1.10"], now=NOW)
    assert info.hosts == ("depot.example.org", "192.168.1.10")


def test_the_key_must_belong_to_the_certificate(
    authority: tuple[bytes, bytes], server: tuple[bytes, bytes]
) -> None:
    other_key = ca.issue_server(*authority, ["depot.example.org"], now=NOW)[1]
    with pytest.raises(InvalidInput, match="does not belong"):
        ca.check_server(server[0], other_key, ["depot.example.org"], now=NOW)


def test_an_expired_or_future_certificate_is_refused(server: tuple[bytes, bytes]) -> None:
    with pytest.raises(InvalidInput, match="expired on"):
        ca.check_server(*server, ["depot.example.org"], now=NOW + timedelta(days=400))
    with pytest.raises(InvalidInput, match="not valid before"):
        ca.check_server(*server, ["depot.example.org"], now=NOW - timedelta(days=1))


def test_every_host_the_chargers_use_must_be_covered(server: tuple[bytes, bytes]) -> None:
    with pytest.raises(InvalidInput, match=r"does not cover '10\.0\.0\.9'"):
        ca.check_server(*server, ["depot.example.org", "10.0.0.9"], now=NOW)


def test_a_wildcard_covers_exactly_one_label() -> None:
    sans = ["*.example.org", "10.0.0.1"]
    assert ca.covers(sans, "depot.example.org")
    assert not ca.covers(sans, "a.depot.example.org")
    assert not ca.covers(sans, "example.org")
    assert ca.covers(sans, "10.0.0.1")


def test_a_ca_certificate_is_not_a_server_certificate(authority: tuple[bytes, bytes]) -> None:
    with pytest.raises(InvalidInput, match="CA certificate"):
        ca.check_server(*authority, [], now=NOW)


def _self_signed(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, san: bool) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "depot.local")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
    )
    if san:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("depot.local")]), critical=False
        )
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def test_a_certificate_without_subject_alt_name_is_refused() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(InvalidInput, match="no subjectAltName"):
        ca.check_server(_self_signed(key, san=False), ca.key_pem(key), ["depot.local"], now=NOW)


def test_a_weak_rsa_key_is_refused() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(InvalidInput, match="at least 2048 bits"):
        ca.check_server(_self_signed(key, san=True), ca.key_pem(key), ["depot.local"], now=NOW)


def test_unreadable_input_gets_a_clear_error(server: tuple[bytes, bytes]) -> None:
    with pytest.raises(InvalidInput, match="not a PEM certificate"):
        ca.check_server(b"hello", server[1], [], now=NOW)
    with pytest.raises(InvalidInput, match="not a PEM private key"):
        ca.check_server(server[0], b"hello", [], now=NOW)
    locked = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    with pytest.raises(InvalidInput, match="passphrase"):
        ca.check_server(server[0], locked, [], now=NOW)


# ---- files ----------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_keys_are_readable_by_this_user_only(tmp_path: Path) -> None:
    files = CertificateFiles(tmp_path / "certificates")
    files.create_ca(now=NOW)
    files.issue_server(["depot.local"], now=NOW)
    _info, cert_path, key_path = files.issue_station("CP-1", now=NOW)
    for key in (files.ca_key, files.server_key, key_path):
        assert _mode(key) == 0o600
    assert _mode(files.directory) == 0o700
    assert _mode(cert_path) == 0o644
    assert [label for label, _ in files.show()] == ["ca", "server"]
    assert not list(files.directory.glob(".*"))  # no temporary files left


def test_an_existing_ca_is_replaced_only_on_purpose(tmp_path: Path) -> None:
    files = CertificateFiles(tmp_path)
    first = files.create_ca(now=NOW)
    with pytest.raises(InvalidInput, match="already exists"):
        files.create_ca(now=NOW)
    assert files.create_ca(replace=True, now=NOW).serial != first.serial


def test_the_exported_ca_holds_no_key(tmp_path: Path) -> None:
    files = CertificateFiles(tmp_path / "certs")
    with pytest.raises(NotFound, match="create-ca"):
        files.export_ca(tmp_path)
    files.create_ca(now=NOW)
    files.export_ca(tmp_path)
    exported = (tmp_path / "chargedesk-ca.pem").read_bytes()
    assert exported == files.ca_cert.read_bytes()
    assert b"PRIVATE KEY" not in exported


def test_a_served_certificate_carries_the_chain(tmp_path: Path) -> None:
    files = CertificateFiles(tmp_path)
    files.create_ca(now=NOW)
    files.issue_server(["depot.local"], now=NOW)
    chain = ca.load_certificates(files.server_cert.read_bytes())
    assert [ca.common_name(c) for c in chain] == ["depot.local", ca.DEFAULT_CA_NAME]


def test_an_import_that_fails_changes_nothing(
    tmp_path: Path, authority: tuple[bytes, bytes], server: tuple[bytes, bytes]
) -> None:
    files = CertificateFiles(tmp_path)
    with pytest.raises(InvalidInput):
        files.import_server(server[0], server[1], ["elsewhere.example.org"], now=NOW)
    assert not files.server_cert.exists()
    assert not files.server_key.exists()
    files.import_server(*server, ["depot.example.org"], now=NOW)
    assert files.server_cert.read_bytes() == server[0]


# ---- the TLS context ----------------------------------------------------------------------


def test_the_context_speaks_tls_12_or_later_with_strong_suites(tmp_path: Path) -> None:
    files = CertificateFiles(tmp_path)
    files.create_ca()
    files.issue_server(["localhost"])
    context = server_context(str(files.server_cert), str(files.server_key))
    assert context.minimum_version is ssl.TLSVersion.TLSv1_2
    suites = {c["name"] for c in context.get_ciphers() if c["protocol"] == "TLSv1.2"}
    assert "ECDHE-ECDSA-AES128-GCM-SHA256" in suites
    assert "ECDHE-ECDSA-AES256-GCM-SHA384" in suites
    assert not [s for s in suites if "CBC" in s or "RC4" in s or not s.startswith("ECDHE")]
    assert context.verify_mode is ssl.CERT_NONE


def test_unusable_tls_files_are_named(tmp_path: Path) -> None:
    files = CertificateFiles(tmp_path)
    files.create_ca()
    files.issue_server(["localhost"])
    with pytest.raises(TlsConfigError, match="does not exist"):
        server_context(str(tmp_path / "nope.pem"), str(files.server_key))
    with pytest.raises(TlsConfigError, match="cannot be used"):
        server_context(str(files.server_cert), str(files.ca_key))
    with pytest.raises(TlsConfigError, match="no stations' CA"):
        server_context(str(files.server_cert), str(files.server_key), require_client_cert=True)
    optional = server_context(
        str(files.server_cert), str(files.server_key), client_ca=str(files.ca_cert)
    )
    assert optional.verify_mode is ssl.CERT_OPTIONAL


def test_an_expiring_certificate_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = CertificateFiles(tmp_path)
    files.create_ca(now=NOW)
    info = files.issue_server(["localhost"], now=NOW)
    with caplog.at_level(logging.WARNING, logger="app.security.tls"):
        warn_if_expiring(str(files.server_cert), now=NOW)
        assert not caplog.records
        warn_if_expiring(str(files.server_cert), now=info.not_after - timedelta(days=10))
        warn_if_expiring(str(files.server_cert), now=info.not_after)
        warn_if_expiring(str(tmp_path / "missing.pem"), now=NOW)
    assert [r.levelname for r in caplog.records] == ["WARNING", "ERROR", "WARNING"]
    assert "in 10 days" in caplog.records[0].getMessage()
    assert "refuse to connect" in caplog.records[1].getMessage()
