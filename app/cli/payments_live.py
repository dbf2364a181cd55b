"""The payment commands that go through the running engine's local API: what talks to
Stripe needs the engine that holds the Stripe key (see app/cli/payments.py)."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from app.cli import live
from app.config import Settings


def reconcile(settings: Settings, args: argparse.Namespace) -> int:
    report = call(settings, args, "POST", "/payments/reconcile", None)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0 if report["clean"] else 1
    if report.get("availability"):
        print(f"Card and QR: {report['availability']}")
    for key, words in (
        ("settled", "payments settled"),
        ("mismatches", "payments that do not match Stripe (alarm raised)"),
        ("left_in_flight", "payments still waiting for Stripe"),
        ("refunds_settled", "refunds confirmed"),
        ("refunds_failed", "refunds Stripe never made (make them again if still due)"),
        ("refunds_left", "refunds still waiting for Stripe"),
    ):
        if report[key]:
            print(f"{words}: {', '.join(str(i) for i in report[key])}")
    for note in report["notes"]:
        print(note)
    print("Nothing left for a manager." if report["clean"] else "A manager should look at these.")
    return 0 if report["clean"] else 1


def call(
    settings: Settings, args: argparse.Namespace, method: str, path: str, body: Any
) -> dict[str, Any]:
    """A call to the running engine's API; what it refuses becomes a LiveError (exit 2)."""
    token = args.token or os.environ.get(live.TOKEN_ENV)
    if not token:
        raise live.LiveError(
            f"this goes through the running engine: an API token is needed, --token or "
            f"${live.TOKEN_ENV} (create one with `chargedesk tokens create NAME --scope control`)"
        )
    base = live.api_url(settings, args.api)
    return live.request(f"{base}/api/v1{path}", token, body, method)
