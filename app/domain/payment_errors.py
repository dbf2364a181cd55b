"""What can go wrong with the payment provider, in words safe to show and to log."""

from __future__ import annotations

import re

# Stripe keys and fragments of them, as Stripe echoes them back ("sk_test_****abcd").
_KEY_PATTERN = re.compile(r"\b[srp]k_(?:test|live)_[^\s'\"]*")


def redact(text: str) -> str:
    """The text with anything that looks like a Stripe key (or part of one) removed."""
    return _KEY_PATTERN.sub("[key hidden]", text)


class PaymentProviderError(Exception):
    """Base of the payment provider's failures; `str()` is safe to show and to log."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))

    @property
    def message(self) -> str:
        return str(self)


class PaymentProviderUnavailable(PaymentProviderError):
    """Stripe could not be reached or answered with a server error; nothing is queued."""

    DEFAULT = "Stripe could not be reached; card and QR payments are unavailable."

    def __init__(self, message: str = DEFAULT) -> None:
        super().__init__(message)


class PaymentsNotConfigured(PaymentProviderError):
    """No Stripe key has been entered (or the keyring cannot be read)."""


class PaymentDeclined(PaymentProviderError):
    """The card issuer said no; `code` is Stripe's decline code."""

    def __init__(self, code: str, message: str = "") -> None:
        self.code = code
        super().__init__(message or f"The card was declined ({code}).")


class PaymentRefused(PaymentProviderError):
    """Stripe refused the request itself (bad state, too large an amount, bad key)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(message)


class InvalidSecretKey(PaymentProviderError):
    """What was entered is not a Stripe secret or restricted key."""


class SecretStoreUnavailable(PaymentProviderError):
    """This computer has no usable keyring, so the key cannot be kept safely."""
