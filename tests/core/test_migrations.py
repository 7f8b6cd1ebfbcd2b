"""Migrations from empty, on SQLite and PostgreSQL, match the tables in code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from core.migrate import MIGRATION_ONLY_INDEXES, downgrade, include_object, upgrade
from core.repositories import search
from core.tables import Photo
from tests.conftest import fresh_database


def test_migrated_database_matches_the_models(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, SQLModel.metadata)
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


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    with fresh_database("facesort_migrate", migrate=False) as url:
        yield url


TEXT_INDEXES = MIGRATION_ONLY_INDEXES


def _photo_indexes(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename IN ('photos', 'photo_labels')"))
        return {row[0] for row in rows}


def test_postgresql_indexes_serve_the_text_filters_as_the_search_writes_them(fresh_postgres: str) -> None:
    upgrade(fresh_postgres)
    engine = sa.create_engine(fresh_postgres)
    try:
        assert _photo_indexes(engine) >= TEXT_INDEXES
        # Each filter as the search writes it can use its index (the planner is pushed off a scan of
        # this empty table; on a real one it picks the index when the filter is selective).
        for query, index in [
            (search.PhotoQuery(place="Paris"), "ix_photos_location_trgm"),
            (search.PhotoQuery(camera="canon eos"), "ix_photos_camera_trgm"),
            (search.PhotoQuery(country=" FR"), "ix_photos_owner_country_folded"),
            (search.PhotoQuery(text="beach"), "ix_photos_file_name_trgm"),
            (search.PhotoQuery(text="beach"), "ix_photos_location_trgm"),
        ]:
            where = search._photo_filters(query)
            statement = sa.select(Photo.id).where(*where).compile(engine, compile_kwargs={"literal_binds": True})
            with engine.connect() as conn:
                conn.execute(sa.text("SET enable_seqscan = off"))
                plan = "\n".join(row[0] for row in conn.execute(sa.text(f"EXPLAIN {statement}")))
            assert index in plan, plan
        downgrade(fresh_postgres, "0001")
        assert not TEXT_INDEXES & _photo_indexes(engine)
        upgrade(fresh_postgres)
        assert _photo_indexes(engine) >= TEXT_INDEXES
    finally:
        engine.dispose()
