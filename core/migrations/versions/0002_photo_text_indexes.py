"""indexes for the photo search's text filters (PostgreSQL)

The place, camera and free-text filters match ``lower(column) LIKE '%words%'`` (labels: their
folded key), and country
``lower(country) = code``: B-tree indexes on the plain columns serve neither, so each scanned
the owner's photos. Trigram GIN indexes serve the substring matches (three letters or more),
an expression index the country. SQLite keeps scanning: an embedded library is one person's.

Expression indexes are not part of the SQLModel tables (SQLite has no trigram operator class,
and Alembic's comparison skips reflected expression indexes), so they live here only.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_COLUMNS = ("location", "camera", "file_name")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_photos_owner_country_folded ON photos (owner_id, lower(country))")
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
    if available is None:  # a server without the contrib modules: the substring filters keep scanning
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_photos_{column}_trgm ON photos USING gin (lower({column}) gin_trgm_ops)"
        )
    op.execute("CREATE INDEX IF NOT EXISTS ix_photo_labels_key_trgm ON photo_labels USING gin (label_key gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_photos_{column}_trgm")
    op.execute("DROP INDEX IF EXISTS ix_photo_labels_key_trgm")
    op.execute("DROP INDEX IF EXISTS ix_photos_owner_country_folded")
