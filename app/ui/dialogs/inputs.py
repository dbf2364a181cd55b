"""Checks of what the operator types into the station dialogs, in plain words."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

ID_TAG_MAX = 20  # OCPP 1.6 IdToken is CiString20
LOCATION_SCHEMES = ("ftp", "ftps", "sftp", "http", "https")


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationDialogs", text)


def location_problem(location: str) -> str | None:
    """Why a diagnostics or firmware location cannot be used (None when it can)."""
    text = location.strip()
    if not text:
        return _tr("Enter the address of the file server.")
    if any(ch.isspace() for ch in text):
        return _tr("The address cannot contain spaces.")
    parts = urlsplit(text)
    if parts.scheme.lower() not in LOCATION_SCHEMES:
        return _tr("The address must start with ftp://, ftps://, sftp://, http:// or https://.")
    if not parts.hostname:
        return _tr("The address needs a server name after the scheme.")
    return None


def id_tag_problem(id_tag: str) -> str | None:
    text = id_tag.strip()
    if not text:
        return _tr("Choose or type an id tag.")
    if len(text) > ID_TAG_MAX:
        return _tr("An id tag has at most 20 characters.")
    return None
