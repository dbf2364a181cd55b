"""Which endpoint answers which method and path, and how `expand[]` fills in ids."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.stripe_standin import checkout, payment_intents, readers, refunds
from tests.fakes.stripe_standin.state import Store
from tests.fakes.stripe_standin.wire import Json, StripeFailure

Handler = Callable[..., Json]

_ID = r"([A-Za-z0-9_]+)"


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _route(method: str, path: str, handler: Handler) -> Route:
    return Route(method, re.compile("^" + path.replace("{id}", _ID) + "$"), handler)


ROUTES = (
    _route("POST", "/v1/payment_intents", payment_intents.create),
    _route("GET", "/v1/payment_intents", payment_intents.list_all),
    _route("GET", "/v1/payment_intents/{id}", payment_intents.retrieve),
    _route("POST", "/v1/payment_intents/{id}", payment_intents.update),
    _route("POST", "/v1/payment_intents/{id}/cancel", payment_intents.cancel),
    _route("POST", "/v1/payment_intents/{id}/capture", payment_intents.capture),
    _route(
        "POST",
        "/v1/payment_intents/{id}/increment_authorization",
        payment_intents.increment_authorization,
    ),
    _route("POST", "/v1/terminal/readers", readers.create),
    _route("GET", "/v1/terminal/readers", readers.list_all),
    _route("GET", "/v1/terminal/readers/{id}", readers.retrieve),
    _route(
        "POST", "/v1/terminal/readers/{id}/process_payment_intent", readers.process_payment_intent
    ),
    _route("POST", "/v1/terminal/readers/{id}/cancel_action", readers.cancel_action),
    _route(
        "POST",
        "/v1/test_helpers/terminal/readers/{id}/present_payment_method",
        readers.present_payment_method,
    ),
    _route("POST", "/v1/refunds", refunds.create),
    _route("GET", "/v1/refunds", refunds.list_all),
    _route("GET", "/v1/refunds/{id}", refunds.retrieve),
    _route("POST", "/v1/checkout/sessions", checkout.create),
    _route("GET", "/v1/checkout/sessions/{id}", checkout.retrieve),
    _route("POST", "/v1/checkout/sessions/{id}/expire", checkout.expire),
)


def dispatch(store: Store, method: str, path: str, params: Json) -> Json:
    """Run the endpoint and render its object as Stripe would send it (a copy, expanded)."""
    readers.apply_due_taps(store)
    for route in ROUTES:
        match = route.pattern.match(path)
        if route.method == method and match:
            result = route.handler(store, params, *match.groups())
            expand = params.get("expand") or []
            rendered: Json = render(store, result, expand if isinstance(expand, list) else [])
            return rendered
    raise StripeFailure(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or "
        "we can help at https://support.stripe.com/.",
    )


def render(store: Store, value: Any, expand: list[str]) -> Any:
    """A deep copy without the stand-in's private `_` keys, with `expand[]` paths filled in."""
    if isinstance(value, dict):
        rendered = {k: render(store, v, []) for k, v in value.items() if not k.startswith("_")}
        for path in expand:
            head, _, rest = path.partition(".")
            target = rendered.get(head)
            if isinstance(target, str):
                found = store.find(target)
                if found is not None:
                    rendered[head] = render(store, found, [rest] if rest else [])
            elif head == "data" and isinstance(target, list):
                rendered[head] = [render(store, item, [rest]) for item in value[head]]
        return rendered
    if isinstance(value, list):
        return [render(store, item, []) for item in value]
    return value
