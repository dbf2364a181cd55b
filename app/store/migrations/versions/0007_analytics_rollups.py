"""Analytics (issue 7): meter sample rollups and their progress, site connection limits,
report indexes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)
_POWER_ROLLUPS = "measurand = 'Power.Active.Import' AND unit = 'W' AND phase IS NULL"


def upgrade() -> None:
    op.create_table(
        "meter_rollups",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(length=255), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("bucket_start", _AT, nullable=False),
        sa.Column("measurand", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=8), nullable=True),
        sa.Column("location", sa.String(length=8), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("minimum", sa.Float(), nullable=False),
        sa.Column("maximum", sa.Float(), nullable=False),
        sa.Column("first_offset", sa.Float(), nullable=False),
        sa.Column("first_value", sa.Float(), nullable=False),
        sa.Column("last_offset", sa.Float(), nullable=False),
        sa.Column("last_value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_meter_rollups_station_id_stations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_meter_rollups_transaction_id_transactions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meter_rollups")),
    )
    op.create_index(
        "ix_meter_rollups_power",
        "meter_rollups",
        [
            "station_id",
            "bucket_start",
            "connector_id",
            "location",
            "samples",
            "total",
            "maximum",
            "measurand",
            "unit",
            "phase",
        ],
        sqlite_where=sa.text(_POWER_ROLLUPS),
        postgresql_where=sa.text(_POWER_ROLLUPS),
    )
    op.create_index("ix_meter_rollups_tx", "meter_rollups", ["transaction_id"])
    op.create_table(
        "rollup_progress",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rolled_through_id", sa.BigInteger(), nullable=False),
        sa.Column("seen_max_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_progress")),
    )
    op.create_table(
        "site_connection_limits",
        sa.Column("site_id", sa.BigInteger(), nullable=False),
        sa.Column("limit_w", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_site_connection_limits_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_connection_limits")),
    )
    op.create_index(
        "ix_status_history_connector",
        "status_history",
        ["station_id", "connector_id", "received_at"],
    )
    op.create_index("ix_events_kind", "events", ["kind", "timestamp"])


def downgrade() -> None:
    op.drop_index("ix_events_kind", table_name="events")
    op.drop_index("ix_status_history_connector", table_name="status_history")
    op.drop_table("site_connection_limits")
    op.drop_table("rollup_progress")
    op.drop_index("ix_meter_rollups_tx", table_name="meter_rollups")
    op.drop_index("ix_meter_rollups_power", table_name="meter_rollups")
    op.drop_table("meter_rollups")
