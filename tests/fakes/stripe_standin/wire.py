"""What crosses the wire: Stripe's form encoding, its error bodies and its parameter checks.

The allowed top-level parameters of each endpoint come from the installed SDK's
request TypedDicts (minus the client-side request options), so the stand-in
rejects exactly the names the pinned Stripe API version would not know.
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from stripe._request_options import RequestOptions
from typing_extensions import is_typeddict

Json = dict[str, Any]

_CLIENT_SIDE_OPTIONS = frozenset(
    RequestOptions.__optional_keys__ | RequestOptions.__required_keys__
)
_KEY_PART = re.compile(r"\[([^\]]*)\]")

# Stripe's minimum charge amounts (minor units) for the currencies a depot is likely to use.
MINIMUM_AMOUNT = {"usd": 50, "eur": 50, "gbp": 30, "sek": 300, "nok": 300, "dkk": 250, "chf": 50}
KNOWN_CURRENCIES = frozenset(MINIMUM_AMOUNT) | {"pln", "cad", "aud", "jpy", "isk", "czk", "huf"}


class StripeFailure(Exception):
    """An error Stripe would answer with; becomes `{"error": {...}}` and an HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: Json | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: Json = {"type": type, "message": message}
        if code is not None:
            self.body["code"] = code
            self.body["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
        if param is not None:
            self.body["param"] = param
        if decline_code is not None:
            self.body["decline_code"] = decline_code
        self.body.update(extra or {})

    def to_json(self) -> Json:
        return {"error": self.body}


def not_found(kind: str, object_id: str, param: str = "id") -> StripeFailure:
    return StripeFailure(
        404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param
    )


def unexpected_state(message: str) -> StripeFailure:
    return StripeFailure(400, message, code="payment_intent_unexpected_state")


def decode_form(body: str) -> Json:
    """`a[b][0]=c&expand[]=d` → `{"a": {"b": ["c"]}, "expand": ["d"]}`."""
    root: Json = {}
    for raw_key, value in parse_qsl(body, keep_blank_values=True):
        head = raw_key.split("[", 1)[0]
        parts = [head, *_KEY_PART.findall(raw_key[len(head) :])]
        node = root
        for index, part in enumerate(parts[:-1]):
            following = parts[index + 1]
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            if following == "":
                # `a[]=x` appends: give it the next free index.
                parts[index + 1] = str(len(child))
            node = child
        node[parts[-1]] = value
    return _lists_from_indexes(root)


def _lists_from_indexes(node: Json) -> Json:
    for key, value in node.items():
        if isinstance(value, dict):
            inner = _lists_from_indexes(value)
            if inner and all(k.isdigit() for k in inner):
                node[key] = [inner[k] for k in sorted(inner, key=int)]
            else:
                node[key] = inner
    return node


def allowed(params_type: type) -> frozenset[str]:
    keys: frozenset[str] = getattr(params_type, "__optional_keys__", frozenset()) | getattr(
        params_type, "__required_keys__", frozenset()
    )
    return keys - _CLIENT_SIDE_OPTIONS


def check_shape(params: Mapping[str, Any], params_type: type, prefix: str = "") -> None:
    """Refuse unknown names at every depth the SDK's request types describe."""
    check_known(params, allowed(params_type), prefix)
    for name, value in params.items():
        path = f"{prefix}[{name}]" if prefix else name
        nested = _nested(params_type, name)
        if nested is None:
            continue
        many, inner = nested
        if not many and isinstance(value, dict):
            check_shape(value, inner, path)
        elif many and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    check_shape(item, inner, f"{path}[{index}]")


def _nested(params_type: type, name: str) -> tuple[bool, type] | None:
    """(is a list, TypedDict) when the parameter is an object or a list of objects."""
    annotation = getattr(params_type, "__annotations__", {}).get(name)
    namespace = vars(sys.modules[params_type.__module__])
    return _shape_of(annotation, namespace)


def _shape_of(annotation: Any, namespace: Mapping[str, Any]) -> tuple[bool, type] | None:
    if isinstance(annotation, typing.ForwardRef):
        annotation = annotation.__forward_arg__
    if isinstance(annotation, str):
        for piece in annotation.split("|"):
            found = namespace.get(piece.strip().strip('"'))
            if isinstance(found, type) and is_typeddict(found):
                return False, found
        return None
    if isinstance(annotation, type) and is_typeddict(annotation):
        return False, annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and args:
        inner = _shape_of(args[0], namespace)
        return (True, inner[1]) if inner is not None else None
    for arg in args:
        shape = _shape_of(arg, namespace)
        if shape is not None:
            return shape
    return None


def check_known(params: Mapping[str, Any], known: Iterable[str], prefix: str = "") -> None:
    names = set(known)
    for name in params:
        if name not in names:
            shown = f"{prefix}[{name}]" if prefix else name
            raise StripeFailure(
                400,
                f"Received unknown parameter: {shown}",
                code="parameter_unknown",
                param=shown,
            )


def require(params: Mapping[str, Any], *names: str) -> None:
    for name in names:
        if params.get(name) in (None, ""):
            raise StripeFailure(
                400, f"Missing required param: {name}.", code="parameter_missing", param=name
            )


def integer(params: Mapping[str, Any], name: str, *, minimum: int | None = None) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str) or not re.fullmatch(r"-?\d+", raw):
        raise StripeFailure(
            400, f"Invalid integer: {raw}", code="parameter_invalid_integer", param=name
        )
    value = int(raw)
    if minimum is not None and value < minimum:
        raise StripeFailure(
            400,
            f"This value must be greater than or equal to {minimum}.",
            code="parameter_invalid_integer",
            param=name,
        )
    return value


def choice(params: Mapping[str, Any], name: str, options: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    if value not in options:
        listed = ", ".join(options[:-1]) + f", or {options[-1]}" if len(options) > 1 else options[0]
        raise StripeFailure(
            400,
            f"Invalid {name}: must be one of {listed}",
            code="parameter_invalid_string",
            param=name,
        )
    return str(value)


def currency(params: Mapping[str, Any], name: str = "currency") -> str:
    raw = params.get(name)
    value = raw.lower() if isinstance(raw, str) else ""
    if value not in KNOWN_CURRENCIES:
        raise StripeFailure(
            400, f"Invalid currency: {raw}.", param=name, code="parameter_invalid_string"
        )
    return value


def check_amount(amount: int, currency_code: str, param: str = "amount") -> None:
    minimum = MINIMUM_AMOUNT.get(currency_code, 50)
    if amount < minimum:
        raise StripeFailure(
            400,
            f"Amount must be at least {minimum / 100:.2f} {currency_code}",
            code="amount_too_small",
            param=param,
        )


def metadata(params: Mapping[str, Any], current: Mapping[str, str] | None = None) -> dict[str, str]:
    """Stripe merges metadata on update and deletes a key sent as an empty string."""
    merged = dict(current or {})
    given = params.get("metadata")
    if given is None or given == "":
        return {} if given == "" else merged
    if not isinstance(given, dict):
        raise StripeFailure(400, "Invalid object", code="parameter_invalid_empty", param="metadata")
    for key, value in given.items():
        if not isinstance(value, str):
            raise StripeFailure(
                400,
                f"Invalid value type: metadata[{key}] must be a string",
                param=f"metadata[{key}]",
            )
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def listing(url: str, items: list[Json], params: Mapping[str, Any]) -> Json:
    limit = integer(params, "limit", minimum=1) or 10
    newest_first = sorted(items, key=lambda item: item["created"], reverse=True)
    return {
        "object": "list",
        "url": url,
        "has_more": len(newest_first) > limit,
        "data": newest_first[:limit],
    }
