"""Pay before charging: holds on walk-in drivers' cards and the sessions they start.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "preauthorisations",
        sa.Column("payment_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("station_id", sa.String(length=255), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("id_tag", sa.String(length=20), nullable=False),
        sa.Column("reader_id", sa.String(length=255), nullable=True),
        sa.Column("initial_hold_minor", sa.BigInteger(), nullable=False),
        sa.Column("hold_minor", sa.BigInteger(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("plug_in_by", _AT, nullable=True),
        sa.Column("increase_refused", sa.Boolean(), nullable=False),
        sa.Column("session_ended_at", _AT, nullable=True),
        sa.Column("captured_minor", sa.BigInteger(), nullable=True),
        sa.Column("receipt_number", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_preauthorisations_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_preauthorisations_transaction_id_transactions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_preauthorisations")),
        sa.UniqueConstraint("id_tag", name=op.f("uq_preauthorisations_id_tag")),
    )
    op.create_index("ix_preauthorisations_phase", "preauthorisations", ["phase"])
    op.create_index("ix_preauthorisations_transaction", "preauthorisations", ["transaction_id"])


def downgrade() -> None:
    op.drop_index("ix_preauthorisations_transaction", table_name="preauthorisations")
    op.drop_index("ix_preauthorisations_phase", table_name="preauthorisations")
    op.drop_table("preauthorisations")
