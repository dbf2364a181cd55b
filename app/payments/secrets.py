"""The Stripe secret key: checked, kept in the OS keyring, never shown.

The key is never written to the database, a log line or an exception message;
in memory it travels inside `StripeSecret`, whose repr and str hide it.
"""

from __future__ import annotations

import logging
import re
from enum import StrEnum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from app.domain.payment_errors import InvalidSecretKey, SecretStoreUnavailable

SERVICE_NAME = "ChargeDesk"
ACCOUNT_NAME = "stripe-secret-key"

_KEY_FORMAT = re.compile(r"(?:sk|rk)_(test|live)_[A-Za-z0-9]+")

log = logging.getLogger(__name__)


class StripeMode(StrEnum):
    TEST = "test"
    LIVE = "live"


def mode_of(key: str) -> StripeMode:
    """Test or live, from the key's prefix; anything but a secret or restricted key is refused."""
    match = _KEY_FORMAT.fullmatch(key.strip())
    if match is None:
        # Never echo what was typed: it may be a real key with a typo.
        raise InvalidSecretKey(
            "That is not a Stripe secret key: it should start with sk_test_, sk_live_, "
            "rk_test_ or rk_live_."
        )
    return StripeMode(match.group(1))


class StripeSecret:
    """A checked secret key; only `reveal()` gives the text, for the Stripe client."""

    __slots__ = ("_key", "mode")

    def __init__(self, key: str) -> None:
        self.mode = mode_of(key)
        self._key = key.strip()

    def reveal(self) -> str:
        return self._key

    def __repr__(self) -> str:
        return f"StripeSecret(mode={self.mode.value}, key=hidden)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StripeSecret) and other._key == self._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __reduce__(self) -> str | tuple[object, ...]:
        # No pickling: a pickle is one more place the key could land on disk.
        raise TypeError("a StripeSecret is not to be pickled")


_NO_KEYRING = (
    "No keyring is available on this computer, so the Stripe key cannot be stored "
    "safely. Install and unlock a keyring (for example GNOME Keyring or KWallet) "
    "and enter the key again."
)


class SecretStore:
    """The Stripe key in the OS keyring (or a given keyring backend, for tests)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def store(self, key: str) -> StripeSecret:
        secret = StripeSecret(key)
        try:
            self._keyring().set_password(SERVICE_NAME, ACCOUNT_NAME, secret.reveal())
        except keyring.errors.KeyringError:
            raise SecretStoreUnavailable(_NO_KEYRING) from None
        log.info("Stripe key (%s mode) stored in the keyring", secret.mode.value)
        return secret

    def read(self) -> StripeSecret | None:
        """The stored key, or None when none was entered."""
        try:
            stored = self._keyring().get_password(SERVICE_NAME, ACCOUNT_NAME)
        except keyring.errors.KeyringError:
            raise SecretStoreUnavailable(_NO_KEYRING) from None
        if stored is None:
            return None
        try:
            return StripeSecret(stored)
        except InvalidSecretKey:
            raise InvalidSecretKey(
                "The Stripe key in the keyring is not a valid key; enter it again in Settings."
            ) from None

    def delete(self) -> None:
        try:
            self._keyring().delete_password(SERVICE_NAME, ACCOUNT_NAME)
        except keyring.errors.PasswordDeleteError:
            return  # nothing stored: already what was asked
        except keyring.errors.KeyringError:
            raise SecretStoreUnavailable(_NO_KEYRING) from None
        log.info("Stripe key removed from the keyring")
