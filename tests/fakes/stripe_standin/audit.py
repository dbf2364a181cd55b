"""Stripe's record (the stand-in's) against ChargeDesk's ledger (its SQLite file).

What the fault tests and bench/payment_faults.py assert after every crash or lost answer:
never a double charge, never a lost capture, no hold left on a card, no refund made
twice, nothing left in flight. The ledger is read with plain sqlite3, not through the
code under test.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from tests.fakes.stripe_standin.standin import StripeStandin

TAKEN = ("captured", "partially_refunded", "refunded")


@dataclass
class Audit:
    charged_at_stripe: int = 0  # PaymentIntents that took money
    captured_in_ledger: int = 0  # card payments the ledger says took money
    orphan_intents: int = 0  # intents the ledger never heard of (nothing charged on them)
    alarms: int = 0  # payment.mismatch alarms raised for a manager
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def audit(standin: StripeStandin, db_path: str) -> Audit:
    found = Audit()
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT id, transaction_id, state, in_flight, payment_intent_id, amount_minor, "
            "refunded_minor, settles_transaction_id FROM payments WHERE method = 'card'"
        ).fetchall()
        refunds = db.execute(
            "SELECT payment_id, amount_minor, done, failure FROM refunds"
        ).fetchall()
        found.alarms = db.execute(
            "SELECT count(*) FROM events WHERE kind = 'payment.mismatch'"
        ).fetchone()[0]
    ledger = {row[0]: row for row in rows}
    stripe_refunded: dict[str, int] = defaultdict(int)
    stripe_refund_count: dict[str, int] = defaultdict(int)
    for refund in standin.objects("refunds"):
        if refund["status"] == "succeeded":
            stripe_refunded[refund["payment_intent"]] += refund["amount"]
            stripe_refund_count[refund["payment_intent"]] += 1
    charged_per_session: dict[int, list[str]] = defaultdict(list)
    for intent in standin.objects("payment_intents"):
        payment_id = int(intent["metadata"].get("chargedesk_payment", "0"))
        row = ledger.get(payment_id)
        received = intent["amount_received"]
        if row is None or row[4] != intent["id"]:
            found.orphan_intents += 1
            if received or intent["status"] == "requires_capture":
                found.problems.append(f"{intent['id']}: money on an intent the ledger lacks")
            continue
        if intent["status"] == "requires_capture":
            found.problems.append(f"payment {payment_id}: a hold left on the card")
        if not received:
            continue
        found.charged_at_stripe += 1
        _, transaction_id, state, _, intent_id, amount, refunded, _ = row
        if transaction_id is not None:
            charged_per_session[transaction_id].append(intent["id"])
        if intent_id != intent["id"] or state not in TAKEN:
            found.problems.append(f"payment {payment_id}: Stripe took {received}, ledger {state}")
        elif amount != received:
            found.problems.append(f"payment {payment_id}: Stripe took {received}, ledger {amount}")
        if stripe_refunded[intent["id"]] != refunded:
            found.problems.append(
                f"payment {payment_id}: Stripe refunded {stripe_refunded[intent['id']]}, "
                f"ledger {refunded}"
            )
    done_refunds: dict[int, int] = defaultdict(int)
    for payment_id, _, done, failure in refunds:
        if not done and failure is None:
            found.problems.append(f"a refund of payment {payment_id} left in flight")
        done_refunds[payment_id] += 1 if done else 0
    settled: dict[int, int] = defaultdict(int)
    for payment_id, _, state, in_flight, intent_id, _, _, settles in rows:
        if in_flight is not None:
            found.problems.append(f"payment {payment_id} left in flight ({in_flight})")
        if state in TAKEN:
            found.captured_in_ledger += 1
            if intent_id is None or not _took_money(standin, intent_id):
                found.problems.append(f"payment {payment_id}: ledger {state}, Stripe took nothing")
            if stripe_refund_count[intent_id or ""] > done_refunds[payment_id]:
                found.problems.append(f"payment {payment_id}: refunded at Stripe more often")
        if settles is not None:
            settled[settles] += 1
    for tx, intents in charged_per_session.items():
        if len(intents) > 1:
            found.problems.append(f"session {tx} charged {len(intents)} times: {intents}")
    for tx, count in settled.items():
        if count > 1:
            found.problems.append(f"session {tx} paid {count} times in the ledger")
    if found.alarms:
        found.problems.append(f"{found.alarms} payment mismatch alarm(s) raised")
    return found


def _took_money(standin: StripeStandin, intent_id: str) -> bool:
    try:
        return int(standin.object(intent_id)["amount_received"]) > 0
    except KeyError:
        return False
