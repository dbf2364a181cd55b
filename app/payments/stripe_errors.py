"""Stripe's exceptions translated into ours, with any trace of the key removed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import stripe

from app.payments.errors import (
    PaymentDeclined,
    PaymentProviderUnavailable,
    PaymentRefused,
    redact,
)

log = logging.getLogger(__name__)


def _said(error: stripe.StripeError) -> str:
    return redact(error.user_message or "") if isinstance(error.user_message, str) else ""


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Run a Stripe call; its failures leave as our exceptions, without the SDK's chain.

    `from None` keeps the SDK exception (whose text may quote part of the key) out
    of any traceback a caller logs.
    """
    try:
        yield
    except stripe.CardError as error:
        detail = error.error
        code = (detail.decline_code if detail else None) or error.code or "card_declined"
        log.info("Stripe %s: card declined (%s)", what, code)
        raise PaymentDeclined(code, _said(error)) from None
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        log.warning("Stripe %s: not reachable (%s)", what, type(error).__name__)
        raise PaymentProviderUnavailable() from None
    except (stripe.AuthenticationError, stripe.PermissionError) as error:
        log.warning("Stripe %s: the key was refused (%s)", what, type(error).__name__)
        raise PaymentRefused(
            "Stripe refused the secret key; check the key in Settings.", code="authentication"
        ) from None
    except stripe.IdempotencyError as error:
        log.error("Stripe %s: idempotency key reused for another request", what)
        raise PaymentRefused(
            f"Stripe refused a repeated request that differs from the first: {_said(error)}",
            code="idempotency_error",
        ) from None
    except stripe.InvalidRequestError as error:
        message = _said(error) or "Stripe refused the request."
        log.warning("Stripe %s refused (%s): %s", what, error.code, message)
        raise PaymentRefused(message, code=error.code) from None
    except stripe.APIError as error:
        status = error.http_status
        if status is None or status >= 500:
            log.warning("Stripe %s: server error %s", what, status)
            raise PaymentProviderUnavailable() from None
        api_code = error.error.code if error.error else error.code
        message = _said(error) or "Stripe refused the request."
        log.warning("Stripe %s refused (%s): %s", what, api_code, message)
        raise PaymentRefused(message, code=api_code) from None
    except stripe.StripeError as error:
        log.warning("Stripe %s failed (%s)", what, type(error).__name__)
        raise PaymentRefused(_said(error) or "Stripe refused the request.") from None
