"""Stripe's exceptions translated into ours, with any trace of the key removed."""

from __future__ import annotations

import logging

import stripe

from app.domain.payment_errors import (
    PaymentDeclined,
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentRefused,
    redact,
)

log = logging.getLogger(__name__)


class _HideKeys(logging.Filter):
    """The SDK's own log lines quote Stripe's answers, which can echo part of the key."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        cleaned = redact(text)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


_sdk_log = logging.getLogger("stripe")
if not any(isinstance(f, _HideKeys) for f in _sdk_log.filters):
    _sdk_log.addFilter(_HideKeys())


def _said(error: stripe.StripeError) -> str:
    return redact(error.user_message or "") if isinstance(error.user_message, str) else ""


def translate(what: str, error: stripe.StripeError) -> PaymentProviderError:
    """Our exception for a Stripe failure, its message cleaned of any trace of the key.

    Raise it outside the `except` block that caught the SDK's exception, so the
    SDK's (whose text may quote part of the key) is not even its __context__.
    """
    if isinstance(error, stripe.CardError):
        detail = error.error
        code = (detail.decline_code if detail else None) or error.code or "card_declined"
        log.info("Stripe %s: card declined (%s)", what, code)
        return PaymentDeclined(code, _said(error))
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError):
        log.warning("Stripe %s: not reachable (%s)", what, type(error).__name__)
        return PaymentProviderUnavailable()
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        log.warning("Stripe %s: the key was refused (%s)", what, type(error).__name__)
        return PaymentRefused(
            "Stripe refused the secret key; check the key in Settings.", code="authentication"
        )
    if isinstance(error, stripe.IdempotencyError):
        log.error("Stripe %s: idempotency key reused for another request", what)
        return PaymentRefused(
            f"Stripe refused a repeated request that differs from the first: {_said(error)}",
            code="idempotency_error",
        )
    if isinstance(error, stripe.InvalidRequestError):
        message = _said(error) or "Stripe refused the request."
        log.warning("Stripe %s refused (%s): %s", what, error.code, message)
        return PaymentRefused(message, code=error.code)
    if isinstance(error, stripe.APIError):
        status = error.http_status
        if status is None or status >= 500:
            log.warning("Stripe %s: server error %s", what, status)
            return PaymentProviderUnavailable()
        api_code = error.error.code if error.error else error.code
        message = _said(error) or "Stripe refused the request."
        log.warning("Stripe %s refused (%s): %s", what, api_code, message)
        return PaymentRefused(message, code=api_code)
    log.warning("Stripe %s failed (%s)", what, type(error).__name__)
    return PaymentRefused(_said(error) or "Stripe refused the request.")
