"""Alembic migrations, applied by `facesort serve` and `facesort db upgrade`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


# PostgreSQL expression indexes made by migration 0002 alone (trigram and lower(country)): not in
# the SQLModel tables, since SQLite has nothing like them, so autogenerate must not drop them.
MIGRATION_ONLY_INDEXES = frozenset({
    "ix_photos_location_trgm", "ix_photos_camera_trgm", "ix_photos_file_name_trgm", "ix_photos_owner_country_folded",
    "ix_photo_labels_key_trgm",
})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's filter for comparing the database with the tables in code."""
    return not (type_ == "index" and reflected and name in MIGRATION_ONLY_INDEXES)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
