"""Durable store: SQLAlchemy Core schema, group-committing writer, repositories, migrations."""
