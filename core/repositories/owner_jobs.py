"""Per-owner bookkeeping of debounced work: when a recluster was asked for and when one ran."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from core.tables import OwnerJob, utcnow


def ensure_owner_job(session: Session, *, owner_id: uuid.UUID) -> None:
    """Create the owner's row if missing; safe when two workers race to create it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(OwnerJob).values(owner_id=owner_id).on_conflict_do_nothing(index_elements=["owner_id"]))


def request_recluster(session: Session, *, owner_id: uuid.UUID, at: datetime | None = None) -> datetime:
    """Record that the owner's unknown faces changed; the recluster debounces on this time."""
    when = at or utcnow()
    ensure_owner_job(session, owner_id=owner_id)
    session.execute(
        sa.update(OwnerJob).where(col(OwnerJob.owner_id) == owner_id).values(recluster_requested_at=when),
        execution_options={"synchronize_session": False},
    )
    return when


def get_owner_job(session: Session, *, owner_id: uuid.UUID, lock: bool = False) -> OwnerJob | None:
    """The owner's row; with ``lock`` (PostgreSQL) other reclusters of this owner wait for us."""
    return session.get(OwnerJob, owner_id, with_for_update=lock or None, populate_existing=True)


def mark_reclustered(session: Session, *, owner_id: uuid.UUID, at: datetime) -> None:
    session.execute(
        sa.update(OwnerJob).where(col(OwnerJob.owner_id) == owner_id).values(reclustered_at=at),
        execution_options={"synchronize_session": False},
    )


def owners_waiting_for_recluster(session: Session, *, asked_before: datetime) -> list[uuid.UUID]:
    """Owners whose last ask is older than ``asked_before`` and has not been served (lost message)."""
    query = sa.select(col(OwnerJob.owner_id)).where(
        col(OwnerJob.recluster_requested_at).is_not(None),
        col(OwnerJob.recluster_requested_at) < asked_before,
        sa.or_(
            col(OwnerJob.reclustered_at).is_(None),
            col(OwnerJob.reclustered_at) < col(OwnerJob.recluster_requested_at),
        ),
    )
    return list(session.execute(query).scalars().all())
