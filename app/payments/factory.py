"""The Stripe gateway from the settings and the keyring, or a plain 'not available' state."""

from __future__ import annotations

import stripe

from app.config import Settings
from app.domain.payment_errors import PaymentProviderError
from app.domain.payment_outcomes import PaymentsUnavailable
from app.payments.secrets import SecretStore
from app.payments.stripe_gateway import StripeGateway

NOT_CONFIGURED = (
    "Card and QR payments are not set up: enter the Stripe secret key in Settings. "
    "Cash and account payments work as usual."
)


def gateway_from_settings(
    settings: Settings,
    secrets: SecretStore,
    *,
    api_base: str | None = None,
    timeout: float = 20.0,
    max_network_retries: int = 2,
) -> StripeGateway | PaymentsUnavailable:
    """A gateway for the site's currency with the key from the keyring.

    api_base points the SDK elsewhere than api.stripe.com (tests use a local stand-in).
    The SDK's own retries reuse one idempotency key per request, so they never double up.
    """
    try:
        secret = secrets.read()
    except PaymentProviderError as problem:
        return PaymentsUnavailable(f"{problem} Cash and account payments work as usual.")
    if secret is None:
        return PaymentsUnavailable(NOT_CONFIGURED)
    client = stripe.StripeClient(
        secret.reveal(),
        base_addresses={"api": api_base} if api_base else {},
        max_network_retries=max_network_retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )
    return StripeGateway(client, settings.currency, mode=secret.mode)
