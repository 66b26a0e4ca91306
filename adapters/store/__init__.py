"""The SQLAlchemy store: tables, the unit of work, and Alembic migrations."""
