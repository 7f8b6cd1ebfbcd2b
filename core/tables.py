"""SQLModel tables: the record of truth (DESIGN.md "Data model")."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _id() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True, sa_column_kwargs={"name": "record_id"})


def _stamp() -> Any:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False)


def _when() -> Any:
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=True)


class PhotoStatus(enum.StrEnum):
    uploaded = "uploaded"
    processing = "processing"
    done = "done"
    failed = "failed"


class AssignedBy(enum.StrEnum):
    none = "none"
    auto = "auto"
    user = "user"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = _id()
    username: str = Field(max_length=150, unique=True)
    email: str | None = Field(default=None, max_length=320)
    password_hash: str
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()


class ApiToken(SQLModel, table=True):
    """A session (web page) or API token; only its sha256 is stored."""

    __tablename__ = "api_tokens"

    id: uuid.UUID = _id()
    user_id: uuid.UUID = Field(foreign_key="users.record_id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)  # "session" or "api"
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _stamp()
    last_used_at: datetime | None = _when()
    expires_at: datetime | None = _when()
    revoked_at: datetime | None = _when()


class Photo(SQLModel, table=True):
    __tablename__ = "photos"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "sha256", name="uq_photos_owner_sha256"),
        sa.Index("ix_photos_owner_taken", "owner_id", "taken_at", "record_id"),
        sa.Index("ix_photos_owner_status", "owner_id", "status"),
        sa.Index("ix_photos_owner_camera", "owner_id", "camera"),
        sa.Index("ix_photos_owner_country", "owner_id", "country"),
    )

    id: uuid.UUID = _id()
    owner_id: uuid.UUID = Field(foreign_key="users.record_id", ondelete="CASCADE")
    file_name: str = Field(max_length=255)
    file_path: str = Field(max_length=255)  # blob key of the original
    sha256: str = Field(max_length=64)
    size_bytes: int = 0
    content_type: str = Field(default="application/octet-stream", max_length=64)
    upload_date: datetime = _stamp()
    location: str | None = Field(default=None, max_length=255)
    country: str | None = Field(default=None, max_length=64)
    camera: str | None = Field(default=None, max_length=128)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column("metadata", JSONType, nullable=False))
    taken_at: datetime | None = _when()
    latitude: float | None = None
    longitude: float | None = None
    width: int | None = None
    height: int | None = None
    status: str = Field(default=PhotoStatus.uploaded, max_length=16)
    error: str | None = None
    attempts: int = 0
    enqueued_at: datetime | None = _when()
    ingested_at: datetime | None = _when()
    processed_at: datetime | None = _when()
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()


class FaceCluster(SQLModel, table=True):
    """A group of faces; a named cluster is a person."""

    __tablename__ = "face_clusters"
    __table_args__ = (sa.Index("ix_face_clusters_owner_name_key", "owner_id", "name_key"),)

    id: uuid.UUID = _id()
    owner_id: uuid.UUID = Field(foreign_key="users.record_id", index=True, ondelete="CASCADE")
    name: str | None = Field(default=None, max_length=200)
    name_key: str | None = Field(default=None, max_length=200)  # case- and accent-folded name
    face_count: int = 0
    photo_count: int = 0
    cover_face_id: uuid.UUID | None = Field(default=None)
    hidden: bool = False
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()


class Face(SQLModel, table=True):
    __tablename__ = "faces"
    __table_args__ = (
        sa.Index("ix_faces_owner_cluster", "owner_id", "cluster_id"),
        sa.Index("ix_faces_cluster_photo", "cluster_id", "photo_id"),
    )

    id: uuid.UUID = _id()  # also the Qdrant point id
    owner_id: uuid.UUID = Field(foreign_key="users.record_id", ondelete="CASCADE")
    photo_id: uuid.UUID = Field(foreign_key="photos.record_id", index=True, ondelete="CASCADE")
    face_location: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(JSONType, nullable=False))
    face_embedding: bytes = Field(sa_type=sa.LargeBinary)
    embedding_model: str = Field(max_length=64)
    embedding_dim: int
    cluster_id: uuid.UUID | None = Field(default=None, foreign_key="face_clusters.record_id", ondelete="SET NULL")
    detection_confidence: float
    quality: float = 0.0
    quality_detail: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(JSONType, nullable=False))
    clusterable: bool = True
    assigned_by: str = Field(default=AssignedBy.none, max_length=8)
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()


class FaceRejection(SQLModel, table=True):
    """A person said "not this person": the face never returns to that cluster."""

    __tablename__ = "face_rejections"

    face_id: uuid.UUID = Field(foreign_key="faces.record_id", primary_key=True, ondelete="CASCADE")
    cluster_id: uuid.UUID = Field(foreign_key="face_clusters.record_id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = _stamp()


class ClusterSeparation(SQLModel, table=True):
    """Two clusters a person kept apart: never suggested for a merge again (lower id first)."""

    __tablename__ = "cluster_separations"

    cluster_a: uuid.UUID = Field(foreign_key="face_clusters.record_id", primary_key=True, ondelete="CASCADE")
    cluster_b: uuid.UUID = Field(foreign_key="face_clusters.record_id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = _stamp()


class PhotoLabel(SQLModel, table=True):
    __tablename__ = "photo_labels"
    __table_args__ = (
        sa.UniqueConstraint("photo_id", "label_key", name="uq_photo_labels_photo_key"),
        sa.Index("ix_photo_labels_key", "label_key", "photo_id"),
    )

    id: uuid.UUID = _id()
    photo_id: uuid.UUID = Field(foreign_key="photos.record_id", ondelete="CASCADE")
    label: str = Field(max_length=100)
    label_key: str = Field(max_length=100)
    created_at: datetime = _stamp()


class Album(SQLModel, table=True):
    __tablename__ = "albums"

    id: uuid.UUID = _id()
    owner_id: uuid.UUID = Field(foreign_key="users.record_id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    created_at: datetime = _stamp()
    updated_at: datetime = _stamp()


class AlbumPhoto(SQLModel, table=True):
    __tablename__ = "album_photos"

    album_id: uuid.UUID = Field(foreign_key="albums.record_id", primary_key=True, ondelete="CASCADE")
    photo_id: uuid.UUID = Field(foreign_key="photos.record_id", primary_key=True, ondelete="CASCADE", index=True)
    added_at: datetime = _stamp()


class OwnerJob(SQLModel, table=True):
    """Per-owner bookkeeping for debounced work (e.g. when the last recluster ran)."""

    __tablename__ = "owner_jobs"

    owner_id: uuid.UUID = Field(foreign_key="users.record_id", primary_key=True, ondelete="CASCADE")
    recluster_requested_at: datetime | None = _when()
    reclustered_at: datetime | None = _when()
