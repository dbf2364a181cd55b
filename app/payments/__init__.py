"""Card and QR payments through Stripe: the provider adapter, its secret and its errors.

`stripe` and `keyring` are imported only here (an import-linter contract says so);
the rest of the application sees our own outcome types and exceptions, whose
messages are safe to show and never carry the secret key.
"""
