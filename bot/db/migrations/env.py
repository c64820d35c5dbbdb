"""Alembic environment: migrates the project database named in the config."""
from alembic import context

from bot.db.engine import make_engine
from bot.db.models import Base

config = context.config
target_metadata = Base.metadata

# Expression and partial indexes for the dashboard live only in migration 0002
# (SQLAlchemy cannot declare them portably); autogenerate must not drop them.
MIGRATION_ONLY_INDEXES = {"ix_turns_report", "ix_turns_unanswered", "ix_conversations_report", "ix_answers_report"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        # Batch mode lets later migrations alter SQLite tables.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
