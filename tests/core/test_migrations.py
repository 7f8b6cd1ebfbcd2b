"""Migrations from empty, on SQLite and PostgreSQL, match the tables in code."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from core.migrate import downgrade, upgrade


def test_migrated_database_matches_the_models(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_photos_metadata_is_jsonb_on_postgresql(engine: sa.Engine) -> None:
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("photos")}
    expected = "JSONB" if engine.dialect.name == "postgresql" else "JSON"
    assert type(columns["metadata"]["type"]).__name__ == expected


def test_downgrade_and_upgrade_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    downgrade(url, "base")
    assert sa.inspect(sa.create_engine(url)).get_table_names() == ["alembic_version"]
    upgrade(url)
    assert "faces" in sa.inspect(sa.create_engine(url)).get_table_names()
