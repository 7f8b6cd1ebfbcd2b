"""Alembic environment: runs against the URL put in the config by core.migrate."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from core import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from core.db import make_engine
from core.migrate import include_object

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "core.migrate sets sqlalchemy.url"
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
