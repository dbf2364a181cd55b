"""The database schema. Alembic migrations under migrations/ create exactly this."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect

naming = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=naming)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# BIGINT autoincrement is not a rowid alias on SQLite; use INTEGER there.
BigId = BigInteger().with_variant(Integer(), "sqlite")

stations = Table(
    "stations",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("admission", String(16), nullable=False),
    Column("password_hash", String(255)),
    Column("vendor", String(20)),
    Column("model", String(20)),
    Column("serial_number", String(25)),
    Column("charge_box_serial_number", String(25)),
    Column("firmware_version", String(50)),
    Column("iccid", String(20)),
    Column("imsi", String(20)),
    Column("meter_type", String(25)),
    Column("meter_serial_number", String(25)),
    Column("protocol", String(16)),
    Column("connected", Boolean, nullable=False, default=False),
    Column("heartbeat_interval", Integer),
    Column("auto_fetch_configuration", Boolean, nullable=False, default=False),
    Column("firmware_status", String(32)),
    Column("diagnostics_status", String(32)),
    Column("local_list_version", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_boot_at", UtcDateTime),
    Column("last_seen_at", UtcDateTime),
)

connectors = Table(
    "connectors",
    metadata,
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("connector_id", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("error_code", String(32), nullable=False),
    Column("info", String(50)),
    Column("vendor_id", String(255)),
    Column("vendor_error_code", String(50)),
    Column("since", UtcDateTime),
    # The station's own time of the current state, if it sent one: only a report
    # with an older *station* time is a late one (clocks of station and server differ).
    Column("station_timestamp", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
)

status_history = Table(
    "status_history",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("connector_id", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error_code", String(32), nullable=False),
    Column("info", String(50)),
    Column("vendor_id", String(255)),
    Column("vendor_error_code", String(50)),
    Column("station_timestamp", UtcDateTime),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_status_history_station_time", "station_id", "received_at"),
)

id_tags = Table(
    "id_tags",
    metadata,
    Column("id_tag", String(20), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("expiry_date", UtcDateTime),
    Column("parent_id_tag", String(20)),
    Column("note", Text, nullable=False, default=""),
    Column("driver_id", BigInteger, ForeignKey("drivers.id", ondelete="SET NULL")),
    Column("max_concurrent", Integer, nullable=False, default=1),
    Index("ix_id_tags_driver", "driver_id"),
)

transactions = Table(
    "transactions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("connector_id", Integer, nullable=False),
    Column("id_tag", String(20), nullable=False),
    Column("id_tag_status", String(16), nullable=False),
    Column("meter_start", BigInteger, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("reservation_id", Integer),
    Column("state", String(8), nullable=False),
    Column("meter_stop", BigInteger),
    Column("stopped_at", UtcDateTime),
    Column("stop_reason", String(32)),
    Column("stop_id_tag", String(20)),
    Column("last_meter_wh", Float),
    Column("last_meter_at", UtcDateTime),
    Column("closed_by", String(16)),
    Column("created_at", UtcDateTime, nullable=False),
    # A charger that retries a StartTransaction sends the same four facts again.
    Index(
        "ix_transactions_identity",
        "station_id",
        "connector_id",
        "started_at",
        "meter_start",
        "id_tag",
        unique=True,
    ),
    Index("ix_transactions_open", "station_id", "connector_id", "state"),
    Index("ix_transactions_started", "started_at"),
    Index("ix_transactions_tag", "id_tag", "started_at"),
    # Never hand out an id again, even after the newest rows were deleted (X16-02).
    sqlite_autoincrement=True,
)

# The central system chooses reservation ids (ReserveNow.reservationId); they are unique.
reservations = Table(
    "reservations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("connector_id", Integer, nullable=False),
    Column("id_tag", String(20), nullable=False),
    Column("parent_id_tag", String(20)),
    Column("expiry_date", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),
    Column("transaction_id", BigInteger),
    Column("created_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    Index("ix_reservations_station", "station_id", "connector_id", "state"),
)

meter_samples = Table(
    "meter_samples",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("connector_id", Integer, nullable=False),
    Column("transaction_id", BigInteger, ForeignKey("transactions.id", ondelete="SET NULL")),
    Column("timestamp", UtcDateTime, nullable=False),
    Column("measurand", String(40), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("phase", String(8)),
    Column("location", String(8)),
    Column("context", String(32)),
    Column("format", String(16)),
    Index("ix_meter_samples_tx", "transaction_id", "timestamp"),
    Index("ix_meter_samples_station", "station_id", "timestamp"),
)

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("timestamp", UtcDateTime, nullable=False),
    Column("station_id", String(255)),
    Column("kind", String(64), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_events_time", "timestamp"),
    Index("ix_events_station", "station_id", "timestamp"),
)

commands = Table(
    "commands",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("station_id", String(255), nullable=False),
    Column("action", String(40), nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("request", JSON, nullable=False),
    Column("outcome", String(16)),
    Column("response", JSON),
    Column("error", Text),
    Column("completed_at", UtcDateTime),
    Index("ix_commands_station", "station_id", "requested_at"),
)

frames = Table(
    "frames",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("station_id", String(255), nullable=False),
    Column("timestamp", UtcDateTime, nullable=False),
    Column("direction", String(3), nullable=False),
    Column("size", Integer, nullable=False),
    Column("frame", Text, nullable=False),
    Index("ix_frames_station", "station_id", "timestamp"),
    Index("ix_frames_time", "timestamp"),
)

station_configuration = Table(
    "station_configuration",
    metadata,
    Column("station_id", String(255), primary_key=True),
    Column("key", String(50), primary_key=True),
    Column("value", Text),
    Column("readonly", Boolean, nullable=False),
    Column("fetched_at", UtcDateTime, nullable=False),
    ForeignKeyConstraint(["station_id"], ["stations.id"], ondelete="CASCADE"),
)

data_transfers = Table(
    "data_transfers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("station_id", String(255), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("vendor_id", String(255), nullable=False),
    Column("message_id", String(50)),
    Column("data", Text),
    Column("status", String(20), nullable=False),
)

# ---- control room: sites with floor plans, station positions, acknowledged alarms ----

sites = Table(
    "sites",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("level", String(50), nullable=False, default=""),
    Column("floor_plan", LargeBinary),
    Column("floor_plan_format", String(8)),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
)

station_positions = Table(
    "station_positions",
    metadata,
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("site_id", BigInteger, ForeignKey("sites.id", ondelete="SET NULL")),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
)

alarm_acknowledgements = Table(
    "alarm_acknowledgements",
    metadata,
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("acknowledged_by", String(100), nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=False),
)

# ---- HTTP API: tokens (only a hash of each secret; the plaintext is shown once) ----

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),
    Column("secret_hash", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    Column("role", String(16), nullable=False, server_default="manager"),
)

# ---- access: fleets, drivers, who may charge where and when ----

fleets = Table(
    "fleets",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("note", Text, nullable=False, default=""),
    Column("monthly_budget_minor", BigInteger),
    Column("created_at", UtcDateTime, nullable=False),
)

drivers = Table(
    "drivers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("fleet_id", BigInteger, ForeignKey("fleets.id", ondelete="SET NULL")),
    Column("email", String(254), nullable=False, default=""),
    Column("phone", String(40), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("monthly_budget_minor", BigInteger),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_drivers_fleet", "fleet_id"),
)

access_rules = Table(
    "access_rules",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subject", String(16), nullable=False),
    Column("fleet_id", BigInteger, ForeignKey("fleets.id", ondelete="CASCADE")),
    Column("site_id", BigInteger, ForeignKey("sites.id", ondelete="CASCADE")),
    Column("station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE")),
    # Bit d set: weekday d (0 = Monday) is included.
    Column("weekdays", Integer, nullable=False),
    Column("start_minute", Integer, nullable=False),
    Column("end_minute", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
)

# The local authorization list each station holds, as it last confirmed it
# (SendLocalList Accepted); the next update sends only the difference.
local_list_entries = Table(
    "local_list_entries",
    metadata,
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("id_tag", String(20), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("expiry_date", UtcDateTime),
    Column("parent_id_tag", String(20)),
)

# ---- tariffs, subscriptions and what each session cost ----

tariffs = Table(
    "tariffs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(60), nullable=False, unique=True),
    # app.domain.tariffs' own snapshot form (versioned JSON).
    Column("spec", JSON, nullable=False),
    Column("archived", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

subscription_plans = Table(
    "subscription_plans",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(60), nullable=False, unique=True),
    Column("monthly_fee_minor", BigInteger, nullable=False),
    Column("included_wh", BigInteger, nullable=False, default=0),
    Column("price_per_kwh_minor", BigInteger),
    Column("discount_bp", Integer, nullable=False, default=0),
    Column("currency", String(3), nullable=False),
    Column("vat_rate_bp", Integer, nullable=False),
    Column("archived", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# The sites a plan covers; a plan with no rows here covers every site.
plan_sites = Table(
    "plan_sites",
    metadata,
    Column(
        "plan_id",
        BigInteger,
        ForeignKey("subscription_plans.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("site_id", BigInteger, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("driver_id", BigInteger, ForeignKey("drivers.id", ondelete="CASCADE"), nullable=False),
    Column("plan_id", BigInteger, ForeignKey("subscription_plans.id"), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_subscriptions_driver", "driver_id", "starts_on"),
)

subscription_pauses = Table(
    "subscription_pauses",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        BigInteger,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("from_date", Date, nullable=False),
    Column("to_date", Date),
)

# Which tariff applies: the most specific row wins (station over site over
# everywhere; a fleet's or plan's row over the general one at the same place).
tariff_assignments = Table(
    "tariff_assignments",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("tariff_id", BigInteger, ForeignKey("tariffs.id"), nullable=False),
    Column("site_id", BigInteger, ForeignKey("sites.id", ondelete="CASCADE")),
    Column("station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE")),
    Column("fleet_id", BigInteger, ForeignKey("fleets.id", ondelete="CASCADE")),
    Column("plan_id", BigInteger, ForeignKey("subscription_plans.id", ondelete="CASCADE")),
)

# What a session costs: the tariff (and plan) as they were when it started, and
# the price with its lines, live while charging and final at stop.
session_charges = Table(
    "session_charges",
    metadata,
    Column(
        "transaction_id",
        BigInteger,
        ForeignKey("transactions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tariff_id", BigInteger, ForeignKey("tariffs.id", ondelete="SET NULL")),
    Column("tariff_snapshot", JSON, nullable=False),
    Column("driver_id", BigInteger, ForeignKey("drivers.id", ondelete="SET NULL")),
    Column("fleet_id", BigInteger, ForeignKey("fleets.id", ondelete="SET NULL")),
    Column("subscription_id", BigInteger, ForeignKey("subscriptions.id", ondelete="SET NULL")),
    Column("plan_snapshot", JSON),
    Column("walk_in", Boolean, nullable=False, default=False),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger),
    Column("vat_minor", BigInteger),
    Column("energy_wh", BigInteger),
    Column("included_wh_used", BigInteger, nullable=False, default=0),
    Column("lines", JSON),
    Column("final", Boolean, nullable=False, default=False),
    Column("priced_at", UtcDateTime),
    Index("ix_session_charges_driver", "driver_id"),
)

# ---- payments: the ledger (issue 6) ----

# One row per payment attempt, written before each provider call and updated after.
payments = Table(
    "payments",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    # None: a hold taken before the session exists.
    Column("transaction_id", BigInteger, ForeignKey("transactions.id", ondelete="SET NULL")),
    Column("method", String(16), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("vat_rate_bp", Integer, nullable=False),
    Column("state", String(20), nullable=False),
    # The provider step begun and not yet recorded: unknown outcome after a crash.
    Column("in_flight", String(16)),
    Column("payment_intent_id", String(255)),
    Column("checkout_session_id", String(255)),
    # Only ever the brand and the last four digits.
    Column("card_brand", String(20)),
    Column("card_last4", String(4)),
    Column("tendered_minor", BigInteger),
    Column("change_minor", BigInteger),
    Column("refunded_minor", BigInteger, nullable=False, default=0),
    Column("fleet_id", BigInteger, ForeignKey("fleets.id", ondelete="SET NULL")),
    Column("failure_reason", Text),
    Column("by", String(100), nullable=False, default=""),
    # The session this payment settled, set on capture: unique, so money taken is
    # never applied to two payments of one session.
    Column("settles_transaction_id", BigInteger, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("captured_at", UtcDateTime),
    Index("ix_payments_transaction", "transaction_id"),
    Index("ix_payments_captured", "captured_at"),
    Index("ix_payments_state", "state"),
)

payment_events = Table(
    "payment_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("payment_id", BigInteger, ForeignKey("payments.id", ondelete="CASCADE"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("from_state", String(20)),
    Column("to_state", String(20), nullable=False),
    Column("step", String(32)),
    Column("in_flight", Boolean, nullable=False, default=False),
    Column("reason", Text),
    Column("provider_request_id", String(255)),
    Column("provider_object_id", String(255)),
    Column("by", String(100), nullable=False, default=""),
    Index("ix_payment_events_payment", "payment_id", "id"),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("payment_id", BigInteger, ForeignKey("payments.id", ondelete="CASCADE"), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(100), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("done", Boolean, nullable=False, default=False),
    Column("provider_refund_id", String(255)),
    # Why the provider refused it; a refund neither done nor failed is in flight.
    Column("failure", Text),
    Index("ix_refunds_payment", "payment_id"),
    Index("ix_refunds_at", "at"),
)

# Receipt numbers run 1, 2, 3 … with no gap: the next number is taken in the same
# transaction that finalises the payment.
receipts = Table(
    "receipts",
    metadata,
    Column("number", BigInteger, primary_key=True, autoincrement=False),
    Column("payment_id", BigInteger, ForeignKey("payments.id"), nullable=False, unique=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("email", String(254)),
    # app.domain.receipts.Receipt.to_dict(), as issued.
    Column("body", JSON, nullable=False),
)

# Pay before charging (issue 6): a hold on a walk-in driver's card, the one-off tag the
# session is started with, and how far it has got. One row per card payment that is a
# pre-authorisation; what the card holds and takes is in `payments`.
preauthorisations = Table(
    "preauthorisations",
    metadata,
    Column(
        "payment_id",
        BigInteger,
        ForeignKey("payments.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("station_id", String(255), nullable=False),
    Column("connector_id", Integer, nullable=False),
    Column("id_tag", String(20), nullable=False, unique=True),
    Column("reader_id", String(255)),
    Column("initial_hold_minor", BigInteger, nullable=False),
    Column("hold_minor", BigInteger, nullable=False),
    Column("phase", String(16), nullable=False),
    Column("transaction_id", BigInteger, ForeignKey("transactions.id", ondelete="SET NULL")),
    Column("plug_in_by", UtcDateTime),
    Column("increase_refused", Boolean, nullable=False, default=False),
    Column("session_ended_at", UtcDateTime),
    Column("captured_minor", BigInteger),
    Column("receipt_number", BigInteger),
    Column("message", Text, nullable=False),
    Column("by", String(100), nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_preauthorisations_phase", "phase"),
    Index("ix_preauthorisations_transaction", "transaction_id"),
)

# ---- analytics (issue 7): rolled-up meter samples, site connection limits ----

_POWER_ROLLUPS = "measurand = 'Power.Active.Import' AND unit = 'W' AND phase IS NULL"

# Meter samples older than raw_samples_days, one row per series and 15-minute bucket
# (app/domain/analytics_rollup.py): count, sum, min, max and the first and last sample,
# so every report gives the same figures after the raw rows are gone.
meter_rollups = Table(
    "meter_rollups",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), nullable=False
    ),
    Column("connector_id", Integer, nullable=False),
    Column("transaction_id", BigInteger, ForeignKey("transactions.id", ondelete="SET NULL")),
    Column("bucket_start", UtcDateTime, nullable=False),
    Column("measurand", String(40), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("phase", String(8)),
    Column("location", String(8)),
    Column("samples", Integer, nullable=False),
    Column("total", Float, nullable=False),
    Column("minimum", Float, nullable=False),
    Column("maximum", Float, nullable=False),
    # The first and last sample's time, in seconds after bucket_start (a third the size
    # of a stored time, on a table of a row per connector-quarter-hour).
    Column("first_offset", Float, nullable=False),
    Column("first_value", Float, nullable=False),
    Column("last_offset", Float, nullable=False),
    Column("last_value", Float, nullable=False),
    # Peak and site power read only this (it covers every column they use).
    Index(
        "ix_meter_rollups_power",
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
        sqlite_where=text(_POWER_ROLLUPS),
        postgresql_where=text(_POWER_ROLLUPS),
    ),
    Index("ix_meter_rollups_tx", "transaction_id"),
)

# How far the rollups have got: every raw sample with an id up to rolled_through_id is
# in meter_rollups (reports read the rest raw). seen_max_id: the highest id at the last
# run; on PostgreSQL only ids seen a run ago are rolled, so no sample of a transaction
# still in flight (a lower id committed later) is ever passed over.
rollup_progress = Table(
    "rollup_progress",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("rolled_through_id", BigInteger, nullable=False),
    Column("seen_max_id", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The most a site's grid connection delivers, for peak power against it.
site_connection_limits = Table(
    "site_connection_limits",
    metadata,
    Column("site_id", BigInteger, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    Column("limit_w", BigInteger, nullable=False),
)

# Reports read each connector's last status before a period, and events by kind.
Index(
    "ix_status_history_connector",
    status_history.c.station_id,
    status_history.c.connector_id,
    status_history.c.received_at,
)
Index("ix_events_kind", events.c.kind, events.c.timestamp)

# Operator accounts and the audit log live in their own module, on this metadata.
from app.store import schema_accounts as schema_accounts  # noqa: E402

_POWER_SAMPLES = "measurand = 'Power.Active.Import'"

# Analytics day summaries (issue 7, speed): one row per connector (connector_id 0: the
# station's offline pieces and possibly-turned-away authorisations) and local day,
# written by housekeeping for the days it has summarised.
analytics_days = Table(
    "analytics_days",
    metadata,
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("connector_id", Integer, primary_key=True, autoincrement=False),
    Column("day", Date, primary_key=True),
    Column("charging_s", Float, nullable=False),
    Column("idle_s", Float, nullable=False),
    Column("observed_s", Float, nullable=False),
    Column("usable_s", Float, nullable=False),
    # Sessions started on the day, and the final prices of those priced.
    Column("sessions", Integer, nullable=False),
    Column("revenue_minor", BigInteger, nullable=False),
    Column("priced", Integer, nullable=False),
    Column("busy", Integer, nullable=False),
    Column("peak_w", Float),
    # Packed little-endian doubles: 24 occupied seconds per hour; occupied stretches.
    Column("hours", LargeBinary),
    Column("occupied", LargeBinary),
    # JSON lists: [[start, end, cause, error], …] or, for the station, [[start, end], …];
    # the station's [[at, tag], …] authorisations.
    Column("runs", Text),
    Column("authorised", Text),
)
# A day of a set of connectors (scope: a hash of them; a site's, or every one): its
# heat-map hours, full spells and highest 15-minute bucket of summed mean power.
analytics_scope_days = Table(
    "analytics_scope_days",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("hours", LargeBinary, nullable=False),
    Column("spells", LargeBinary),
    Column("bucket", BigInteger),
    Column("watts", Float),
)
# Every fact with an id up to these is in the summaries of the days summarised.
analytics_summary_progress = Table(
    "analytics_summary_progress",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("zone", String(64), nullable=False),
    Column("status_id", BigInteger, nullable=False),
    Column("event_id", BigInteger, nullable=False),
    Column("sample_id", BigInteger, nullable=False),
    Column("transaction_id", BigInteger, nullable=False),
    Column("priced_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
)
# The reports' sums over a period's sessions read only this.
Index(
    "ix_transactions_report",
    transactions.c.station_id,
    transactions.c.connector_id,
    transactions.c.started_at,
    transactions.c.stopped_at,
    transactions.c.state,
    transactions.c.meter_start,
    transactions.c.meter_stop,
)
# The graphs: sessions that end after a time (or are open); active power samples.
Index("ix_transactions_stopped", transactions.c.stopped_at)
Index(
    "ix_meter_samples_power",
    meter_samples.c.station_id,
    meter_samples.c.timestamp,
    meter_samples.c.connector_id,
    meter_samples.c.unit,
    meter_samples.c.phase,
    meter_samples.c.location,
    meter_samples.c.value,
    sqlite_where=text(_POWER_SAMPLES),
    postgresql_where=text(_POWER_SAMPLES),
)
# Which sessions were priced since housekeeping last summarised.
Index("ix_session_charges_priced", session_charges.c.priced_at)
# A station's days first_day … through_day are summarised (none before first_day has facts).
analytics_summary_stations = Table(
    "analytics_summary_stations",
    metadata,
    Column(
        "station_id", String(255), ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("first_day", Date, nullable=False),
    Column("through_day", Date, nullable=False),
)
