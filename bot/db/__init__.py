"""The project database: engine and sessions, SQLAlchemy models, Alembic migrations."""
