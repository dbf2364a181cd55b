"""Sites with floor plans, station positions on them, acknowledged alarms.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=50), nullable=False),
        sa.Column("floor_plan", sa.LargeBinary(), nullable=True),
        sa.Column("floor_plan_format", sa.String(length=8), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
    )
    op.create_table(
        "station_positions",
        sa.Column("station_id", sa.String(length=255), nullable=False),
        sa.Column("site_id", sa.BigInteger(), nullable=True),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_station_positions_station_id_stations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_station_positions_site_id_sites"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_station_positions")),
    )
    op.create_table(
        "alarm_acknowledgements",
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_alarm_acknowledgements_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_alarm_acknowledgements")),
    )


def downgrade() -> None:
    op.drop_table("alarm_acknowledgements")
    op.drop_table("station_positions")
    op.drop_table("sites")
