"""Where the CA and the server's certificate live: the per-user data dir, keys mode 0600.

certificates/ca.pem          the CA certificate (give it to installers)
certificates/ca.key          the CA key (never leaves this computer)
certificates/server.pem      the certificate wss:// serves (leaf, then any chain)
certificates/server.key      its key
certificates/stations/ID.pem, ID.key   profile 3 client certificates
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from app.config import data_dir
from app.domain.errors import InvalidInput, NotFound
from app.security import ca
from app.security.ca import CertificateInfo


def default_directory() -> Path:
    return data_dir() / "certificates"


class CertificateFiles:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.directory / "ca.key"

    @property
    def server_cert(self) -> Path:
        return self.directory / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.directory / "server.key"

    def station_files(self, station_id: str) -> tuple[Path, Path]:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in station_id)
        return (
            self.directory / "stations" / f"{safe}.pem",
            self.directory / "stations" / f"{safe}.key",
        )

    # ---- the CA -----------------------------------------------------------------------

    def create_ca(
        self,
        name: str = ca.DEFAULT_CA_NAME,
        *,
        use_rsa: bool = False,
        replace: bool = False,
        now: datetime | None = None,
    ) -> CertificateInfo:
        """Make the CA; an existing one is kept unless replace (chargers trust the old one)."""
        if self.ca_cert.exists() and not replace:
            raise InvalidInput(
                f"a CA already exists in {self.directory}; chargers that trust it would "
                "have to be given the new one (replace it on purpose with --replace)"
            )
        cert, key = ca.create_ca(name, use_rsa=use_rsa, now=now)
        write_secret(self.ca_key, key)
        write_public(self.ca_cert, cert)
        return ca.describe(cert)

    def ca_pem(self) -> bytes:
        if not self.ca_cert.exists():
            raise NotFound(f"no CA in {self.directory}: create one first (certs create-ca)")
        return self.ca_cert.read_bytes()

    def export_ca(self, destination: Path) -> CertificateInfo:
        """Copy the CA certificate (only the certificate) for installers to load into chargers."""
        pem = self.ca_pem()
        if destination.is_dir():
            destination = destination / "chargedesk-ca.pem"
        write_public(destination, pem)
        return ca.describe(pem)

    # ---- the server certificate -----------------------------------------------------

    def issue_server(
        self,
        hosts: Sequence[str],
        *,
        days: int = ca.SERVER_DAYS,
        use_rsa: bool = False,
        now: datetime | None = None,
    ) -> CertificateInfo:
        """A server certificate from our CA for these hosts, stored as the one wss:// serves."""
        cert, key = ca.issue_server(
            self.ca_pem(), self._ca_key_pem(), hosts, days=days, use_rsa=use_rsa, now=now
        )
        # The leaf and our CA: a charger given only the leaf's issuer name still finds it.
        self._store_server(cert + self.ca_pem(), key)
        return ca.describe(cert)

    def import_server(
        self,
        cert_pem: bytes,
        key_pem: bytes,
        hosts: Sequence[str],
        *,
        now: datetime | None = None,
    ) -> CertificateInfo:
        """An operator's certificate and key, checked, then stored as the one wss:// serves."""
        info = ca.check_server(cert_pem, key_pem, hosts, now=now)
        self._store_server(cert_pem, key_pem)
        return info

    def _store_server(self, cert_pem: bytes, key_pem: bytes) -> None:
        write_secret(self.server_key, key_pem)
        write_public(self.server_cert, cert_pem)

    # ---- profile 3 ---------------------------------------------------------------------

    def issue_station(
        self,
        station_id: str,
        *,
        days: int = ca.STATION_DAYS,
        use_rsa: bool = False,
        now: datetime | None = None,
    ) -> tuple[CertificateInfo, Path, Path]:
        """A client certificate (CN = station id) and its key, for loading into the charger."""
        cert, key = ca.issue_station(
            self.ca_pem(), self._ca_key_pem(), station_id, days=days, use_rsa=use_rsa, now=now
        )
        cert_path, key_path = self.station_files(station_id)
        write_secret(key_path, key)
        write_public(cert_path, cert)
        return ca.describe(cert), cert_path, key_path

    # ---- looking ------------------------------------------------------------------------

    def show(self) -> list[tuple[str, CertificateInfo]]:
        """The CA and the server certificate that exist, with what they say."""
        found = []
        for label, path in (("ca", self.ca_cert), ("server", self.server_cert)):
            if path.exists():
                found.append((label, ca.describe(path.read_bytes())))
        return found

    def _ca_key_pem(self) -> bytes:
        if not self.ca_key.exists():
            raise NotFound(f"no CA key in {self.directory}: create a CA first (certs create-ca)")
        return self.ca_key.read_bytes()


def write_secret(path: Path, data: bytes) -> None:
    """Write a key readable by this user only (0600), atomically; the folder is 0700."""
    _write(path, data, 0o600)


def write_public(path: Path, data: bytes) -> None:
    _write(path, data, 0o644)


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # A temporary file created 0600 from the start: the key is never readable by
    # others, not even for the moment between writing and chmod.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
