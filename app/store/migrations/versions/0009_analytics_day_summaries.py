"""Analytics (issue 7, speed): per-connector and per-site summaries of each local day, how
far housekeeping has summarised, and indexes for the reports' session sums and the live
graphs (sessions by end, active power samples).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_POWER_SAMPLES = "measurand = 'Power.Active.Import'"


def _station() -> sa.Column[str]:
    return sa.Column("station_id", sa.String(length=255), nullable=False)


def _station_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["station_id"],
        ["stations.id"],
        name=op.f(f"fk_{table}_station_id_stations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "analytics_days",
        _station(),
        sa.Column("connector_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("charging_s", sa.Float(), nullable=False),
        sa.Column("idle_s", sa.Float(), nullable=False),
        sa.Column("observed_s", sa.Float(), nullable=False),
        sa.Column("usable_s", sa.Float(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=False),
        sa.Column("priced", sa.Integer(), nullable=False),
        sa.Column("busy", sa.Integer(), nullable=False),
        sa.Column("peak_w", sa.Float(), nullable=True),
        sa.Column("hours", sa.LargeBinary(), nullable=True),
        sa.Column("occupied", sa.LargeBinary(), nullable=True),
        sa.Column("runs", sa.Text(), nullable=True),
        sa.Column("authorised", sa.Text(), nullable=True),
        _station_key("analytics_days"),
        sa.PrimaryKeyConstraint(
            "station_id", "connector_id", "day", name=op.f("pk_analytics_days")
        ),
    )
    op.create_table(
        "analytics_scope_days",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.LargeBinary(), nullable=False),
        sa.Column("spells", sa.LargeBinary(), nullable=True),
        sa.Column("bucket", sa.BigInteger(), nullable=True),
        sa.Column("watts", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("scope", "day", name=op.f("pk_analytics_scope_days")),
    )
    op.create_table(
        "analytics_summary_progress",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("sample_id", sa.BigInteger(), nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), nullable=False),
        sa.Column("priced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_summary_progress")),
    )
    op.create_table(
        "analytics_summary_stations",
        _station(),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("through_day", sa.Date(), nullable=False),
        _station_key("analytics_summary_stations"),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_analytics_summary_stations")),
    )
    op.create_index(
        "ix_transactions_report",
        "transactions",
        [
            "station_id",
            "connector_id",
            "started_at",
            "stopped_at",
            "state",
            "meter_start",
            "meter_stop",
        ],
    )
    op.create_index("ix_session_charges_priced", "session_charges", ["priced_at"])
    op.create_index("ix_transactions_stopped", "transactions", ["stopped_at"])
    op.create_index(
        "ix_meter_samples_power",
        "meter_samples",
        ["station_id", "timestamp", "connector_id", "unit", "phase", "location", "value"],
        sqlite_where=sa.text(_POWER_SAMPLES),
        postgresql_where=sa.text(_POWER_SAMPLES),
    )


def downgrade() -> None:
    op.drop_index("ix_meter_samples_power", table_name="meter_samples")
    op.drop_index("ix_transactions_stopped", table_name="transactions")
    op.drop_index("ix_session_charges_priced", table_name="session_charges")
    op.drop_index("ix_transactions_report", table_name="transactions")
    op.drop_table("analytics_summary_stations")
    op.drop_table("analytics_summary_progress")
    op.drop_table("analytics_scope_days")
    op.drop_table("analytics_days")
